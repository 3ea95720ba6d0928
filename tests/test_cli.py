"""The ``gloss`` command line end to end, run from a temporary site root (a new process per command in CI)."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.importing.importer import escape_markdown, import_raw
from gloss_run import run_gloss

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = REPO_ROOT / "tests" / "fixtures" / "seed.txt"
SEED_DATES = [
    "2024-06-18T20:25", "2024-06-25T16:03", "2024-07-04T16:21", "2024-07-11T11:59",
    "2024-07-18T07:37", "2024-07-25T03:16", "2024-07-31T22:54", "2024-08-07T18:32",
    "2024-08-14T14:10", "2024-08-21T09:48", "2024-08-28T05:26", "2024-09-04T01:05",
]  # fmt: skip
STAMP = re.compile(r"^[A-Z][a-z]+ \d{1,2}, \d{4} AT \d{2}:\d{2}$")

ANNOTATED = """\
---
title: "Harbour breakwater approved"
slug: "harbour-breakwater"
date: "2024-05-06"
tags: ["harbour", "council"]
summary: "The council approved the breakwater."
source: null
draft: false
notes:
  cost:
    body: |-
      The council's budget papers list 14.2 million.
    verdict: "Accurate"
    rating: 5
    sources:
      - title: "Council budget 2024, page 12"
        url: "https://example.org/budget-2024.pdf"
        date: "2024-02-01"
  storms:
    body: "No storm record supports this."
    verdict: "Unsupported"
    rating: 1
    sources: []
    claimant: "A reader"
comments:
  - id: "c1"
    date: "2024-05-06T09:00"
    author: "Ines"
    reply_to: null
    reply_basis: null
    body: |-
      Storms have [doubled since 2010]{.claim #storms}.
  - id: "c2"
    date: "2024-05-06T10:30"
    author: null
    reply_to: "c1"
    reply_basis: "editor"
    body: "Source?"
---
The breakwater will cost [14.2 million]{.fact #cost}.
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``gloss ARGS`` in ``cwd``: a new process in CI, ``cli.main`` in the fast loop (gloss_run.py)."""
    return run_gloss(*args, cwd=cwd)


def seed_parts() -> tuple[list[str], list[list[str]]]:
    """The seed's article paragraphs and each comment's paragraphs, read independently."""
    article: list[str] = []
    comments: list[list[str]] = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if STAMP.match(line):
            comments.append([])
        elif line.strip():
            (comments[-1] if comments else article).append(line.strip())
    return article, comments


def tree_state(root: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under ``root`` with its hash and mtime."""
    state = {}
    for path in sorted(root.rglob("*")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[path.relative_to(root).as_posix()] = (digest, path.stat().st_mtime_ns)
    return state


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site root with the seed imported into content/ and built into output/."""
    root = tmp_path_factory.mktemp("site")
    result = run("import", str(SEED), "--content", "content", cwd=root)
    assert result.returncode == 0, result.stderr
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def content_file(root: Path) -> Path:
    (path,) = (root / "content").glob("*.md")
    return path


def copy_site(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(built, root, symlinks=True)
    return root


def test_import_prints_path_and_never_overwrites_without_force(tmp_path: Path) -> None:
    result = run("import", str(SEED), "--content", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    (written,) = (tmp_path / "content").glob("*.md")
    assert result.stdout == f"content/{written.name}\n"
    original = written.read_bytes()
    assert original == import_raw(SEED.read_bytes(), "seed.txt", source="seed.txt").text.encode("utf-8")
    assert b"\r" not in original and original.endswith(b"\n")

    written.write_bytes(original + b"edited by hand\n")
    edited = written.read_bytes()
    result = run("import", str(SEED), "--content", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert written.read_bytes() == edited

    result = run("import", str(SEED), "--content", "content", "--force", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"content/{written.name}\n"
    assert written.read_bytes() == original
    assert sorted(p.name for p in (tmp_path / "content").iterdir()) == [written.name]


def test_import_with_slug_and_title(tmp_path: Path) -> None:
    result = run(
        "import", str(SEED), "--content", "content", "--slug", "putin-in-pyongyang",
        "--title", "Putin visits Pyongyang", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "content/putin-in-pyongyang.md\n"
    text = (tmp_path / "content" / "putin-in-pyongyang.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Putin visits Pyongyang"\nslug: "putin-in-pyongyang"\n')


def test_build_writes_index_and_article(built_site: Path) -> None:
    slug = content_file(built_site).stem
    index = built_site / "output" / "index.html"
    page_path = built_site / "output" / "articles" / slug / "index.html"
    assert index.is_file()
    assert page_path.is_file()
    page = page_path.read_text(encoding="utf-8")
    text = html.unescape(page)
    article, comments = seed_parts()
    assert len(article) == 12
    for paragraph in article:
        assert paragraph in text, paragraph[:60]
    for body in comments:
        for paragraph in body:
            assert paragraph in text, paragraph[:60]
    assert len(re.findall(r'<article class="comment[" ]', page)) == 12
    for date in SEED_DATES:
        assert f'datetime="{date}"' in page
    assert f'href="articles/{slug}/' in index.read_text(encoding="utf-8")


def test_dump_gives_dates_in_order_and_text_intact(built_site: Path) -> None:
    path = content_file(built_site)
    result = run("dump", f"content/{path.name}", cwd=built_site)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["slug"] == path.stem
    assert [c["date"] for c in data["comments"]] == SEED_DATES
    assert [c["id"] for c in data["comments"]] == [f"c{i}" for i in range(1, 13)]
    article, comments = seed_parts()
    assert all(escape_markdown(p) == p for p in article + sum(comments, []))  # nothing to escape in the seed
    assert data["body"].rstrip("\n") == "\n\n".join(article)
    assert [c["body"] for c in data["comments"]] == ["\n\n".join(body) for body in comments]
    bodies = "".join(c["body"] for c in data["comments"])
    assert "Putin’s kiss‑off with Kim" in bodies
    assert bodies.count("\u2011") == SEED.read_text(encoding="utf-8").count("\u2011") > 0
    assert "’" in bodies and "‘mutual benefit’" in bodies
    assert '\\u2011' not in result.stdout, "non-ASCII is written as is"


def test_dump_schema(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "harbour-breakwater.md").write_text(ANNOTATED, encoding="utf-8")
    result = run("dump", "content/harbour-breakwater.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pairs = json.loads(result.stdout, object_pairs_hook=lambda items: items)
    top = dict(pairs)
    assert [k for k, _ in pairs] == ["slug", "title", "date", "tags", "author", "reviewed_by", "updated", "image",
                                     "language", "translation_of", "corrections", "body", "extra", "notes", "comments"]
    note_keys = ["id", "kind", "verdict", "rating", "quote", "in", "body", "sources", "claimant", "claim"]
    assert [[k for k, _ in note] for note in top["notes"]] == [note_keys, note_keys]
    for note in top["notes"]:
        for source in dict(note)["sources"]:
            assert [k for k, _ in source] == ["title", "url", "date"]
    comment_keys = ["id", "author", "author_basis", "date", "reply_to", "reply_basis", "body"]
    assert [[k for k, _ in c] for c in top["comments"]] == [comment_keys, comment_keys]

    data = json.loads(result.stdout)
    assert data["slug"] == "harbour-breakwater"
    assert data["title"] == "Harbour breakwater approved"
    assert data["date"] == "2024-05-06"
    assert data["tags"] == ["harbour", "council"]
    assert data["body"] == "The breakwater will cost [14.2 million]{.fact #cost}.\n"
    assert data["notes"] == [
        {
            "id": "cost", "kind": "fact", "verdict": "Accurate", "rating": 5, "quote": "14.2 million",
            "in": "article", "body": "The council's budget papers list 14.2 million.",
            "sources": [
                {"title": "Council budget 2024, page 12", "url": "https://example.org/budget-2024.pdf",
                 "date": "2024-02-01"}
            ],
            "claimant": None,
            "claim": None,
        },
        {
            "id": "storms", "kind": "claim", "verdict": "Unsupported", "rating": 1,
            "quote": "doubled since 2010", "in": "c1", "body": "No storm record supports this.",
            "sources": [], "claimant": "A reader", "claim": None,
        },
    ]  # fmt: skip
    assert data["comments"] == [
        {"id": "c1", "author": "Ines", "author_basis": None, "date": "2024-05-06T09:00", "reply_to": None, "reply_basis": None,
         "body": "Storms have [doubled since 2010]{.claim #storms}."},
        {"id": "c2", "author": None, "author_basis": None, "date": "2024-05-06T10:30", "reply_to": "c1", "reply_basis": "editor",
         "body": "Source?"},
    ]  # fmt: skip


def break_yaml(path: Path) -> int:
    """Misindent the first comment's ``reply_to`` key; returns its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = lines.index("    reply_to: null")
    lines[number] = "   reply_to: null"
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def test_broken_yaml_fails_build_and_keeps_output(built_site: Path, tmp_path: Path) -> None:
    root = copy_site(built_site, tmp_path)
    before = tree_state(root / "output")
    siblings = sorted(p.name for p in root.iterdir())
    path = content_file(root)
    line = break_yaml(path)
    result = run("build", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"content/{path.name}:{line}:4: "), lines[0]
    assert tree_state(root / "output") == before
    assert sorted(p.name for p in root.iterdir()) == siblings, "no staging folder is left behind"

    result = run("check", cwd=root)
    assert result.returncode == 1
    assert result.stderr.startswith(f"content/{path.name}:{line}:4: ")

    verbose = run("--verbose", "build", cwd=root)
    assert verbose.returncode == 1
    assert "Traceback" in verbose.stderr
    assert f"content/{path.name}:{line}:4: " in verbose.stderr
    assert tree_state(root / "output") == before


def test_rebuild_is_byte_identical_and_keeps_mtimes(built_site: Path, tmp_path: Path) -> None:
    root = copy_site(built_site, tmp_path)
    shutil.rmtree(root / "output")
    first = run("build", cwd=root)
    assert first.returncode == 0, first.stderr
    state = tree_state(root / "output")
    files = tree_bytes(root / "output")
    second = run("build", cwd=root)
    assert second.returncode == 0, second.stderr
    assert tree_bytes(root / "output") == files
    # Unchanged files keep their mtime (folders are new: the tree is swapped in whole).
    after = tree_state(root / "output")
    assert {k: v for k, v in after.items() if k in files} == {k: v for k, v in state.items() if k in files}
    # Nor does a build depend on where it runs.
    elsewhere = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(root / "content", elsewhere / "content")
    third = run("build", cwd=elsewhere)
    assert third.returncode == 0, third.stderr
    assert tree_bytes(elsewhere / "output") == files


def test_check_reports_counts(built_site: Path) -> None:
    result = run("check", cwd=built_site)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok: 1 article, 0 notes, 12 comments\n"


@pytest.mark.parametrize(
    "args",
    [["frobnicate"], [], ["build", "--no-such-option"], ["import"], ["dump"]],
    ids=["unknown-command", "no-command", "unknown-option", "import-without-file", "dump-without-file"],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_files_are_reported_without_traceback(tmp_path: Path) -> None:
    for args in (["import", "no-such.txt"], ["dump", "content/no-such.md"], ["build"], ["check"]):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 1, (args, result)
        assert "Traceback" not in result.stderr
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert re.match(r"[^:\n]+:1:1: ", result.stderr), result.stderr
    assert list(tmp_path.iterdir()) == []
