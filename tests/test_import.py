"""``gloss import``: raw dumps become content files (docs/design.md §2, §3), byte for byte.

Golden files: ``tests/fixtures/import/NAME.txt`` imports to ``NAME.expected.md``,
with ``source`` set to ``NAME.txt`` and, when ``NAME.options.json`` exists, the
``title``/``slug``/``date`` it gives (what ``--title``/``--slug``/``--date`` pass).

Reply inference (``generator.importing.replies``) has its own fixtures in
``tests/fixtures/replies``; here it is replaced by an inference that finds
nothing, so these golden files pin down splitting, dates, escaping, quoting
and key order only. :func:`test_inferred_replies_are_written_as_found` then
checks, with the real inference, that every link and author it returns lands
in the file as ``reply_to: "cN"``, ``reply_basis`` and ``author``.

Errors: ``tests/fixtures/import-errors/NAME.txt`` must fail with the location
and message substring in ``NAME.expect`` (``LINE:COL: substring``), both from
:func:`import_raw` and from ``python -m generator import``.

After a deliberate change to the import format, regenerate the golden files and READ
the diff before committing it::

    python -c "import sys; sys.path[:0] = ['.', 'tests']; import test_import as t; \
      t.importer.infer_replies = t.no_inference; \
      [t.expected_path(c).write_bytes(t.import_case(c).text.encode()) for c in t.CASES]"
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import yaml

import generator.importing.importer as importer
from generator.content.parse import parse_article
from generator.common.errors import GlossError
from generator.importing.importer import ImportedArticle, import_raw
from generator.content.markdown import make_parser, render_block
from generator.importing.replies import Inference, ReplyLink, infer_replies
from generator.common.textfile import decode_raw
from generator.importing.timestamps import parse_timestamp

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "import"
ERROR_FIXTURES = REPO_ROOT / "tests" / "fixtures" / "import-errors"
CASES = sorted(FIXTURES.glob("*.txt"))
ERROR_CASES = sorted(ERROR_FIXTURES.glob("*.txt"))
RAW_TIMESTAMP = re.compile(
    r"[a-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4},? at \d{1,2}:\d{2}(?: ?[ap]\.?m\.?)?", re.IGNORECASE
)
TOP_KEYS = ["title", "slug", "date", "tags", "summary", "source", "draft", "notes", "comments"]
COMMENT_KEYS = ["id", "date", "author", "reply_to", "reply_basis", "body"]


def no_inference(bodies: Sequence[str], **_: object) -> Inference:
    return Inference(tuple(ReplyLink(None, None) for _ in bodies), tuple(None for _ in bodies))


def options(case: Path) -> dict[str, str]:
    sidecar = case.with_name(case.stem + ".options.json")
    return json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else {}


def import_case(case: Path) -> ImportedArticle:
    return import_raw(case.read_bytes(), case.name, source=case.name, **options(case))


def expected_path(case: Path) -> Path:
    return case.with_name(case.stem + ".expected.md")


@pytest.fixture
def null_inference(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(importer, "infer_replies", no_inference)
    yield


def test_fixture_set_is_complete() -> None:
    assert len(CASES) >= 10
    for case in CASES:
        assert expected_path(case).is_file(), f"{case.name} has no {expected_path(case).name}"
    stems = {c.stem for c in CASES}
    for extra in FIXTURES.glob("*.expected.md"):
        assert extra.name.removesuffix(".expected.md") in stems, extra.name
    for extra in FIXTURES.glob("*.options.json"):
        assert extra.name.removesuffix(".options.json") in stems, extra.name


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_import_matches_golden_file(case: Path, null_inference: None) -> None:
    imported = import_case(case)
    expected = expected_path(case).read_bytes()
    assert imported.text.encode("utf-8") == expected
    match = re.search(r'^slug: "([a-z0-9-]+)"$', imported.text, re.MULTILINE)
    assert match is not None and imported.slug == match.group(1)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_import_is_deterministic(case: Path) -> None:
    first = import_case(case)
    second = import_case(case)
    assert first == second
    assert import_raw(case.read_bytes(), case.name, source=case.name, **options(case)).text == first.text


_IMPORT_ALL = """
import json, sys
from pathlib import Path
from generator.importing.importer import import_raw
cases = [Path(p) for p in sys.argv[1:]]
print(json.dumps([import_raw(c.read_bytes(), c.name, source=c.name).text for c in cases]))
"""


def test_import_does_not_depend_on_hash_seed() -> None:
    """Same bytes in separate processes with different string hashing (set/dict order)."""
    cases = [c for c in CASES if not options(c)]
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO_ROOT)}
        result = subprocess.run(
            [sys.executable, "-c", _IMPORT_ALL, *map(str, cases)],
            env=env, capture_output=True, text=True, encoding="utf-8", timeout=120, check=True,
        )  # fmt: skip
        outputs.append(json.loads(result.stdout))
    assert outputs[0] == outputs[1]
    assert outputs[0] == [import_raw(c.read_bytes(), c.name, source=c.name).text for c in cases]


def raw_paragraphs(case: Path) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """An independent reading of the raw file: article paragraphs and (timestamp line, paragraphs)."""
    text = case.read_bytes().decode("utf-8-sig")
    article: list[str] = []
    comments: list[tuple[str, list[str]]] = []
    for line in re.split("\r\n|\r|\n|\x85|\u2028|\u2029", text):
        stripped = line.strip()
        if RAW_TIMESTAMP.fullmatch(stripped):
            comments.append((stripped, []))
        elif stripped:
            (comments[-1][1] if comments else article).append(stripped)
    return article, comments


def shown_as_written(paragraphs: Sequence[str]) -> str:
    """The HTML a paragraph list must render to: each line one <p>, its text escaped, nothing else."""

    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")

    return "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden_file_parses_and_keeps_the_text(case: Path) -> None:
    golden = expected_path(case)
    text = golden.read_bytes().decode("utf-8")
    article = parse_article(text, golden.name, case.stem)
    paragraphs, comments = raw_paragraphs(case)
    assert article.source == case.name
    assert article.slug == import_case(case).slug
    assert [c.id for c in article.comments] == [f"c{i}" for i in range(1, len(comments) + 1)]
    md = make_parser()
    # The Markdown shows exactly what was written: every character, no markup.
    assert render_block(md, article.body).html == shown_as_written(paragraphs)
    for comment, (stamp, body) in zip(article.comments, comments, strict=True):
        assert render_block(md, comment.body, user_content=True).html == shown_as_written(body), comment.id
        # Dates round-trip: the stored ISO string is the timestamp line's value.
        assert comment.date == parse_timestamp(stamp)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", comment.date)
    if "date" not in options(case):
        assert article.date == (article.comments[0].date[:10] if article.comments else None)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_golden_file_layout(case: Path) -> None:
    """docs/design.md §3: fixed key order, LF line ends, timestamps and free text quoted."""
    data = expected_path(case).read_bytes()
    assert b"\r" not in data and data.endswith(b"\n") and not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    root = yaml.compose(front, Loader=yaml.SafeLoader)
    assert isinstance(root, yaml.MappingNode)
    assert [k.value for k, _ in root.value] == TOP_KEYS
    mapping = {k.value: v for k, v in root.value}
    for key in ("title", "slug", "summary", "source"):
        assert mapping[key].style == '"', key
    assert mapping["date"].style == '"' or mapping["date"].value == "null"
    for item in mapping["comments"].value:
        assert [k.value for k, _ in item.value] == COMMENT_KEYS
        fields = {k.value: v for k, v in item.value}
        assert fields["id"].style == '"' and fields["date"].style == '"'
        for key in ("author", "reply_to", "reply_basis"):
            assert fields[key].style == '"' or fields[key].value == "null"
        assert fields["body"].style == "|" or fields["body"].value == ""


def test_seed_comment_dates() -> None:
    article = parse_article(expected_path(FIXTURES / "seed.txt").read_text(encoding="utf-8"), "seed.md", "seed")
    assert [c.date for c in article.comments] == [
        "2024-06-18T20:25", "2024-06-25T16:03", "2024-07-04T16:21", "2024-07-11T11:59",
        "2024-07-18T07:37", "2024-07-25T03:16", "2024-07-31T22:54", "2024-08-07T18:32",
        "2024-08-14T14:10", "2024-08-21T09:48", "2024-08-28T05:26", "2024-09-04T01:05",
    ]  # fmt: skip


def test_line_ending_and_bom_variants_import_identically(null_inference: None) -> None:
    case = FIXTURES / "sourdough-bom-crlf.txt"
    data = case.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    body = data[3:]
    variants = [body, body.replace(b"\r\n", b"\n"), body.replace(b"\r\n", b"\r"), data.replace(b"\r\n", b"\n")]
    texts = {import_raw(v, case.name, source=case.name).text for v in variants}
    assert texts == {expected_path(case).read_text(encoding="utf-8")}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_inferred_replies_are_written_as_found(case: Path) -> None:
    """With the real inference, each comment's author/reply_to/reply_basis is what it found.

    The inference is given the article text too, so names the article is about ("Putin")
    are known as topics, not taken for commenters.
    """
    document = importer.split_raw(decode_raw(case.read_bytes(), case.name), case.name)
    bodies = ["\n\n".join(c.paragraphs) for c in document.comments]
    inference = infer_replies(bodies, article="\n\n".join(document.paragraphs))
    article = parse_article(import_case(case).text, case.name, case.stem)
    found = [
        (None if link.reply_to is None else f"c{link.reply_to + 1}", link.basis, author)
        for link, author in zip(inference.links, inference.authors, strict=True)
    ]
    assert [(c.reply_to, c.reply_basis, c.author) for c in article.comments] == found


def test_reply_fields_are_quoted_and_ordered(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(bodies: Sequence[str], **_: object) -> Inference:
        links = [ReplyLink(None, None), ReplyLink(0, "vocative"), ReplyLink(1, "similarity")]
        return Inference(tuple(links), ('Zoë "Z" O\'Neil', None, "no"))

    monkeypatch.setattr(importer, "infer_replies", fake)
    raw = b"Text.\nJune 1, 2024 at 10:00\nA.\nJune 1, 2024 at 11:00\nB.\nJune 1, 2024 at 12:00\nC.\n"
    text = import_raw(raw, "r.txt").text
    assert (
        '  - id: "c1"\n    date: "2024-06-01T10:00"\n    author: "Zoë \\"Z\\" O\'Neil"\n'
        "    reply_to: null\n    reply_basis: null\n    body: |-\n      A.\n"
    ) in text
    assert '  - id: "c2"\n    date: "2024-06-01T11:00"\n    author: null\n    reply_to: "c1"\n    reply_basis: "vocative"\n' in text
    assert '    author: "no"\n    reply_to: "c2"\n    reply_basis: "similarity"\n' in text
    article = parse_article(text, "r.md", "r")
    assert [(c.author, c.reply_to, c.reply_basis) for c in article.comments] == [
        ('Zoë "Z" O\'Neil', None, None),
        (None, "c1", "vocative"),
        ("no", "c2", "similarity"),
    ]


# --- errors ------------------------------------------------------------------------------------


def expected_error(case: Path) -> tuple[int, int, str]:
    row = case.with_suffix(".expect").read_text(encoding="utf-8").strip()
    line, column, substring = row.split(":", 2)
    return int(line), int(column), substring.strip()


def test_error_fixture_set_is_complete() -> None:
    assert len(ERROR_CASES) >= 8
    for case in ERROR_CASES:
        assert case.with_suffix(".expect").is_file(), case.name
    assert {p.stem for p in ERROR_FIXTURES.glob("*.expect")} == {p.stem for p in ERROR_CASES}


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda p: p.stem)
def test_import_error_location(case: Path) -> None:
    line, column, substring = expected_error(case)
    with pytest.raises(GlossError) as caught:
        import_raw(case.read_bytes(), case.name)
    error = caught.value
    assert (error.location.path, error.location.line, error.location.column) == (case.name, line, column), error.format()
    assert substring in error.format().removeprefix(f"{error.location}: "), error.format()
    assert error.hint


def run_gloss(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda p: p.stem)
def test_import_error_through_cli(case: Path, tmp_path: Path) -> None:
    line, column, substring = expected_error(case)
    (tmp_path / "raw").mkdir()
    raw = tmp_path / "raw" / case.name
    raw.write_bytes(case.read_bytes())
    content = tmp_path / "content"
    result = run_gloss("import", f"raw/{case.name}", "--content", "content", cwd=tmp_path)
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"raw/{case.name}:{line}:{column}: "), lines[0]
    assert substring in lines[0]
    assert result.stdout == ""
    assert not content.exists()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["raw", f"raw/{case.name}"]
