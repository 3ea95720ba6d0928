"""Import stage, afterwards: list the importer's inferences in a content file and settle them.

The importer writes every reply link and name it inferred with its basis (``vocative``,
``mention``, ``quote``, ``similarity``) and its evidence. An editor then accepts each one (the
basis becomes ``editor``: a person vouches for it) or rejects it (the link or the name is set to
null). ``gloss review`` and, later, the preview's editor call the same two functions:

* :func:`find_inferences` reads the front matter and returns what is still unconfirmed;
* :func:`apply_decisions` edits the text. Only the values of the fields concerned change, in
  place: every other byte of the file (comments, quoting style, CRLF line ends, the article)
  stays as it was, so a review is a small, readable diff.

Keys: ``c4:reply`` is comment c4's reply link, ``c3:name`` the name given to c3's author, and
a bare ``c4`` means every open inference on c4.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from ..common.errors import GlossError, SourceLocation

INFERRED_REPLY_BASES = ("vocative", "mention", "quote", "similarity")
"""Reply bases that an importer found (``editor`` is a person's; none means written by hand)."""
INFERRED_NAME_BASES = ("vocative", "mention", "signature", "introduction")
"""Name bases that an importer found."""

_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)(?::(reply|name))?\Z")
_OPENING = re.compile(r"\A(\ufeff?)---[ \t]*\r?\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Inference:
    """One unconfirmed inference in a content file."""

    key: str
    """``c4:reply`` or ``c3:name``."""
    comment: str
    """The comment's id."""
    kind: str
    """"reply" (the comment answers ``value``) or "name" (the comment's author is ``value``)."""
    value: str
    """The comment answered, or the name given."""
    basis: str
    """How the importer found it."""
    evidence: str | None
    """The words that led to it, as the importer recorded them (None in older files)."""
    line: int
    """1-based line of the basis field, for messages."""


@dataclass(frozen=True, slots=True)
class _Field:
    """Where one scalar value sits in the text."""

    start: int
    """Offset of the value's first character."""
    end: int
    """Offset just past the value (a block scalar's final line break excluded)."""
    value: str | None
    """The value as YAML reads it (None for null or a non-text value)."""
    line: int
    """1-based line of the value."""


def _front_matter(text: str, path: str) -> tuple[yaml.Node, int]:
    """The front matter's composed node and its offset in ``text``."""
    opening = _OPENING.match(text)
    closing = _CLOSING.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        raise GlossError("no front matter to review", SourceLocation(path, 1, 1),
                         "a content file starts with a line '---' and its fields, then '---'")
    try:
        node = yaml.compose(text[opening.end():closing.start()], Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = text.count("\n", 0, opening.end()) + 1 + (mark.line if mark else 0)
        raise GlossError(f"the front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
                         SourceLocation(path, line, (mark.column + 1) if mark else 1),
                         "run gloss check on the file and fix it first") from exc
    if node is None:
        raise GlossError("the front matter is empty", SourceLocation(path, 2, 1), "run gloss check on the file")
    return node, opening.end()


def _comment_fields(text: str, path: str) -> list[dict[str, _Field]]:
    """For each comment mapping, its scalar fields by key, with their places in ``text``."""
    root, offset = _front_matter(text, path)
    if not isinstance(root, yaml.MappingNode):
        return []
    comments = next((v for k, v in root.value if k.value == "comments"), None)
    if not isinstance(comments, yaml.SequenceNode):
        return []
    found = []
    for item in comments.value:
        if not isinstance(item, yaml.MappingNode):
            continue
        fields = {}
        for key, value in item.value:
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
                start, end = offset + value.start_mark.index, offset + value.end_mark.index
                while value.style in ("|", ">") and end > start and text[end - 1] in "\r\n":
                    end -= 1  # a block scalar's span runs on to the next line; keep that line break
                read = yaml.safe_load(text[start:end]) if value.style in ("|", ">") else value.value
                text_value = None if value.tag.endswith(":null") else str(read)
                fields[str(key.value)] = _Field(start, end, text_value, text.count("\n", 0, start) + 1)
        found.append(fields)
    return found


def find_inferences(text: str, path: str) -> tuple[Inference, ...]:
    """Every inferred reply link and name in a content file's text, in file order, name first."""
    result = []
    for fields in _comment_fields(text, path):
        comment = fields.get("id")
        if comment is None or comment.value is None:
            continue

        def value(name: str) -> str | None:
            field = fields.get(name)
            return field.value if field else None

        if value("author") and value("author_basis") in INFERRED_NAME_BASES:
            result.append(Inference(f"{comment.value}:name", comment.value, "name", str(value("author")),
                                    str(value("author_basis")), value("author_evidence"),
                                    fields["author_basis"].line))
        if value("reply_to") and value("reply_basis") in INFERRED_REPLY_BASES:
            result.append(Inference(f"{comment.value}:reply", comment.value, "reply", str(value("reply_to")),
                                    str(value("reply_basis")), value("reply_evidence"),
                                    fields["reply_basis"].line))
    return tuple(result)


def select(inferences: Iterable[Inference], key: str, path: str) -> list[Inference]:
    """The inferences a key names: ``c4:reply``, ``c4:name``, or ``c4`` for both."""
    match = _KEY.match(key)
    chosen = [i for i in inferences if match and i.comment == match.group(1)
              and (match.group(2) is None or i.kind == match.group(2))]
    if not chosen:
        raise GlossError(f'nothing inferred to review at "{key}"', SourceLocation(path, 1, 1),
                         "run gloss review FILE to list the open inferences and their keys (c4:reply, c3:name)")
    return chosen


def apply_decisions(text: str, path: str, accept: Iterable[str], reject: Iterable[str]) -> str:
    """The text with the named inferences accepted (basis ``editor``) or rejected (set to null).

    Raises a :class:`GlossError` for a key with nothing to decide, or one both accepted and rejected.
    """
    inferences = find_inferences(text, path)
    accepted = {i.key: i for key in accept for i in select(inferences, key, path)}
    rejected = {i.key: i for key in reject for i in select(inferences, key, path)}
    both = sorted(accepted.keys() & rejected.keys())
    if both:
        raise GlossError(f"{both[0]} is both accepted and rejected", SourceLocation(path, 1, 1),
                         "name each inference once")
    fields = {f["id"].value: f for f in _comment_fields(text, path) if "id" in f}
    edits: dict[int, tuple[int, str]] = {}
    for inference in accepted.values():
        own = fields[inference.comment]
        basis = own["author_basis" if inference.kind == "name" else "reply_basis"]
        edits[basis.start] = (basis.end, '"editor"')
    for inference in rejected.values():
        own = fields[inference.comment]
        names = ("author", "author_basis", "author_evidence") if inference.kind == "name" else (
            "reply_to", "reply_basis", "reply_evidence")
        for name in names:
            if name in own:
                edits[own[name].start] = (own[name].end, "null")
    for start in sorted(edits, reverse=True):  # from the end, so earlier offsets stay right
        end, replacement = edits[start]
        text = text[:start] + replacement + text[end:]
    return text
