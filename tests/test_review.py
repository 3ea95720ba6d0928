"""``gloss review``: list the importer's inferences with their evidence; accept or reject each one.

Golden cases: ``tests/fixtures/review/CASE.json`` names an input content file, the command's
arguments and optionally what is typed at the prompts; ``CASE.expected.md`` is the file after the
command and ``CASE.expected.out`` its standard output. After an intended change, regenerate with
``GLOSS_UPDATE_GOLDEN=1`` and read the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budget import examples

from generator.common.errors import GlossError
from generator.content.parse import parse_article
from generator.importing.review import apply_decisions, find_inferences

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "review"
CASES = sorted(FIXTURES.glob("*.json"))
SEED = (FIXTURES / "seed.md").read_text(encoding="utf-8")
UPDATE = os.environ.get("GLOSS_UPDATE_GOLDEN") == "1"
# The fields a decision may change; every other line must stay byte-identical.
DECIDED_FIELDS = ("author:", "author_basis:", "author_evidence:", "reply_to:", "reply_basis:", "reply_evidence:")


def run_gloss(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_review_golden(case: Path, tmp_path: Path) -> None:
    spec = json.loads(case.read_text(encoding="utf-8"))
    (tmp_path / "content").mkdir()
    target = tmp_path / "content" / "article.md"
    shutil.copyfile(FIXTURES / spec["input"], target)
    result = run_gloss("review", "content/article.md", *spec["args"], cwd=tmp_path, stdin=spec.get("stdin", ""))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    expected_md, expected_out = case.with_suffix(".expected.md"), case.with_suffix(".expected.out")
    if UPDATE:
        expected_md.write_bytes(target.read_bytes())
        expected_out.write_text(result.stdout, encoding="utf-8")
    assert target.read_bytes() == expected_md.read_bytes()
    assert result.stdout == expected_out.read_text(encoding="utf-8")
    changed_lines_are_decided_fields(SEED, target.read_text(encoding="utf-8"))


def changed_lines_are_decided_fields(before: str, after: str) -> None:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    for a, b in zip(old, new, strict=True):
        if a != b:
            assert a.strip().startswith(DECIDED_FIELDS) and a.split(":")[0] == b.split(":")[0], (a, b)
            assert b.rstrip("\r\n").endswith(('"editor"', "null")), b


def test_accept_and_reject_change_only_those_values() -> None:
    edited = apply_decisions(SEED, "seed.md", ["c4:reply", "c3:name"], ["c7", "c2:name"])
    article = parse_article(edited, "seed.md", "seed")
    by_id = {c.id: c for c in article.comments}
    assert (by_id["c4"].reply_to, by_id["c4"].reply_basis) == ("c3", "editor")
    assert (by_id["c3"].author, by_id["c3"].author_basis, by_id["c3"].known_author) == ("Gift", "editor", "Gift")
    assert (by_id["c7"].reply_to, by_id["c7"].reply_basis, by_id["c7"].reply_evidence) == (None, None, None)
    assert (by_id["c2"].author, by_id["c2"].author_basis, by_id["c2"].author_evidence) == (None, None, None)
    assert [i.key for i in find_inferences(edited, "seed.md")] == ["c11:name", "c12:reply"]
    changed_lines_are_decided_fields(SEED, edited)


def test_crlf_and_other_styles_are_kept() -> None:
    crlf = SEED.replace("\n", "\r\n")
    edited = apply_decisions(crlf, "seed.md", ["c4"], ["c7"])
    assert edited == apply_decisions(SEED, "seed.md", ["c4"], ["c7"]).replace("\n", "\r\n")
    # A name written as a block scalar, a flow mapping elsewhere: only the value is replaced.
    odd = SEED.replace('    author: "Gift"\n', "    author: |-\n      Gift\n")
    edited = apply_decisions(odd, "seed.md", [], ["c3:name"])
    assert "    author: null\n    author_basis: null\n    author_evidence: null\n" in edited
    assert parse_article(edited, "seed.md", "seed").comments[2].author is None


@pytest.mark.parametrize(("accept", "reject", "message"), [
    (["c5"], [], 'nothing inferred to review at "c5"'),
    (["c99:reply"], [], 'nothing inferred to review at "c99:reply"'),
    (["c4:name"], [], 'nothing inferred to review at "c4:name"'),
    (["c4"], ["c4:reply"], "c4:reply is both accepted and rejected"),
    (["c4:nonsense"], [], 'nothing inferred to review at "c4:nonsense"'),
])
def test_bad_keys(accept: list[str], reject: list[str], message: str) -> None:
    with pytest.raises(GlossError) as caught:
        apply_decisions(SEED, "seed.md", accept, reject)
    assert caught.value.message == message and caught.value.hint


def test_bad_key_through_the_cli_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text(SEED, encoding="utf-8")
    result = run_gloss("review", "a.md", "--accept", "c4", "--reject", "c5", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        'a.md:1:1: nothing inferred to review at "c5" (hint: run gloss review FILE to list the open inferences '
        "and their keys (c4:reply, c3:name))"
    ]
    assert target.read_text(encoding="utf-8") == SEED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


def test_nothing_left_to_review(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text(apply_decisions(SEED, "a.md", ["c2", "c3", "c4", "c7", "c11", "c12"], []), encoding="utf-8")
    result = run_gloss("review", "a.md", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "a.md: nothing inferred is left to review\n")


_KEYS = [i.key for i in find_inferences(SEED, "seed.md")]


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(st.sampled_from(_KEYS), unique=True))
def test_any_decisions_keep_the_file_valid(keys: list[str]) -> None:
    split = len(keys) // 2
    accept, reject = keys[:split], keys[split:]
    edited = apply_decisions(SEED, "seed.md", accept, reject)
    parse_article(edited, "seed.md", "seed")
    changed_lines_are_decided_fields(SEED, edited)
    left = [i.key for i in find_inferences(edited, "seed.md")]
    assert left == [k for k in _KEYS if k not in keys]
    assert apply_decisions(edited, "seed.md", [], []) == edited
