"""``gloss review FILE``: the importer's inferences in a content file, to accept or reject.

The listing and the prompts live here; what an inference is and how a decision edits the file
is :mod:`generator.importing.review` (which the preview's editor will call too). Edits are
written only after the edited file still parses, and atomically (beside it, then renamed), so
an interrupted review leaves the file as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .common.atomic_write import write_atomically
from .common.errors import GlossError, SourceLocation
from .common.textfile import shown_path
from .content.parse import parse_article
from .importing.review import Inference, apply_decisions, find_inferences, select

_BASIS_WORDS = {
    "vocative": "addressed by name",
    "mention": "named",
    "signature": "signed",
    "introduction": "introduces themselves",
    "quote": "quoted",
    "similarity": "similar wording",
}


def describe(inference: Inference) -> str:
    """One line: key, what was inferred, how, and the evidence in quotes."""
    what = (f"replies to {inference.value}" if inference.kind == "reply"
            else f'author is "{inference.value}"')
    line = f"{inference.key:<12} {what} ({inference.basis}: {_BASIS_WORDS.get(inference.basis, inference.basis)})"
    if inference.evidence:
        line += f"\n{'':<12} evidence: {inference.evidence}"
    return line


def _read(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GlossError(f"cannot read file: {exc.strerror}", SourceLocation(shown, 1, 1), "check the path") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GlossError("the file is not UTF-8 text", SourceLocation(shown, 1, 1),
                         "save it as UTF-8") from exc


def _prompt(inferences: tuple[Inference, ...], out: TextIO, ask: Callable[[], str]) -> tuple[list[str], list[str]]:
    """Ask about each inference in turn: a(ccept), r(eject), s(kip), q(uit). End of input is quit."""
    accept: list[str] = []
    reject: list[str] = []
    for inference in inferences:
        out.write(describe(inference) + "\n")
        while True:
            out.write("accept, reject, skip or quit? [a/r/s/q] ")
            out.flush()
            answer = ask().strip().lower()
            if answer in ("a", "accept"):
                accept.append(inference.key)
            elif answer in ("r", "reject"):
                reject.append(inference.key)
            elif answer not in ("s", "skip", "q", "quit", "eof"):
                continue
            break
        if answer in ("q", "quit", "eof"):
            break
    return accept, reject


def review(file: str, accept: list[str], reject: list[str], *, list_only: bool, out: TextIO,
           ask: Callable[[], str]) -> int:
    """Run ``gloss review``: list the inferences, then apply the decisions (flags, else prompts)."""
    path = Path(file)
    shown = shown_path(path)
    text = _read(path, shown)
    inferences = find_inferences(text, shown)
    if list_only or not (accept or reject):
        if not inferences:
            out.write(f"{shown}: nothing inferred is left to review\n")
            return 0
        if list_only:
            out.write("".join(describe(i) + "\n" for i in inferences))
            return 0
        accept, reject = _prompt(inferences, out, ask)
        if not (accept or reject):
            out.write("no changes\n")
            return 0
    edited = apply_decisions(text, shown, accept, reject)
    parse_article(edited, shown, path.stem)  # never write a file that no longer parses
    write_atomically(path, edited.encode("utf-8"))  # an interrupted review leaves the file as it was
    states = {i.key: "accepted" for key in accept for i in select(inferences, key, shown)}
    states.update({i.key: "rejected" for key in reject for i in select(inferences, key, shown)})
    out.write("".join(f"{i.key:<12} {states[i.key]}\n" for i in inferences if i.key in states))
    return 0
