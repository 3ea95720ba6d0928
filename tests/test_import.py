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
# An independent reading of the timestamp forms the fixtures use (the importer's is generator.importing.timestamps).
_TIME = r"\d{1,2}:\d{2}(?: ?[ap]\.?m\.?)?"
RAW_TIMESTAMP = re.compile(
    rf"[a-z]{{3,9}}\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}(?:,? at |, ){_TIME}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? [a-z]{{3,9}} \d{{4}}(?: at |, ){_TIME}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}[ T]{_TIME}|\d{{2}}([/.])\d{{2}}\1\d{{4}},? {_TIME}",
    re.IGNORECASE,
)
TOP_KEYS = ["title", "slug", "date", "tags", "summary", "source", "source_sha256", "draft", "notes", "comments"]
COMMENT_KEYS = [
    "id", "date", "author", "author_basis", "author_evidence", "reply_to", "reply_basis", "reply_evidence", "body"
]


def no_inference(bodies: Sequence[str], **_: object) -> Inference:
    nothing = tuple(None for _ in bodies)
    return Inference(tuple(ReplyLink(None, None) for _ in bodies), nothing, nothing, nothing, nothing)


def expected_warnings(case: Path) -> list[str]:
    """``LINE:COL: substring`` rows of ``NAME.warnings`` (none when the file is missing)."""
    sidecar = case.with_name(case.stem + ".warnings")
    return sidecar.read_text(encoding="utf-8").splitlines() if sidecar.is_file() else []


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
    for extra in FIXTURES.glob("*.warnings"):
        assert extra.stem in stems, extra.name


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_import_warnings(case: Path) -> None:
    """Lines that look like timestamps in no accepted form are kept as text, each with a located warning."""
    found = import_case(case).warnings
    wanted = expected_warnings(case)
    assert len(found) == len(wanted), found
    for text, row in zip(found, wanted, strict=True):
        where, substring = row.split(": ", 1)
        assert text.startswith(f"{case.name}:{where}: warning: "), text
        assert substring in text and "(hint: " in text and "\n" not in text


def test_warnings_are_printed_and_the_import_succeeds(tmp_path: Path) -> None:
    case = FIXTURES / "near-miss-timestamps.txt"
    (tmp_path / case.name).write_bytes(case.read_bytes())
    result = run_gloss("import", case.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "content/near-miss-timestamps.md\n"
    lines = result.stderr.splitlines()
    assert [line.split(": warning: ")[0] for line in lines] == [
        f"{case.name}:{row.split(': ')[0]}" for row in expected_warnings(case)
    ]


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


def unlinked(html: str) -> str:
    """The HTML with each bare-address link (its text is its target) replaced by its text."""
    return re.sub(r'<a href="([^"]*)"(?: rel="nofollow ugc noopener")?>\1</a>', r"\1", html)


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
    # (Bare addresses become links; apart from that, the text is exactly what was written.)
    assert unlinked(render_block(md, article.body).html) == shown_as_written(paragraphs)
    for comment, (stamp, body) in zip(article.comments, comments, strict=True):
        assert unlinked(render_block(md, comment.body, user_content=True).html) == shown_as_written(body), comment.id
        # Dates round-trip: the stored ISO string is the timestamp line's value.
        assert comment.date == parse_timestamp(stamp, options(case).get("date_order"))
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
    for key in ("title", "slug", "summary", "source", "source_sha256"):
        assert mapping[key].style == '"', key
    assert mapping["date"].style == '"' or mapping["date"].value == "null"
    for item in mapping["comments"].value:
        assert [k.value for k, _ in item.value] == COMMENT_KEYS
        fields = {k.value: v for k, v in item.value}
        assert fields["id"].style == '"' and fields["date"].style == '"'
        for key in ("author", "author_basis", "author_evidence", "reply_to", "reply_basis", "reply_evidence"):
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
    # The same text, apart from the digest of the bytes (which differ, so each is recorded as it is).
    digest = re.compile(r'^source_sha256: "[0-9a-f]{64}"$', re.MULTILINE)
    texts = [import_raw(v, case.name, source=case.name).text for v in variants]
    assert {digest.sub("", t) for t in texts} == {digest.sub("", expected_path(case).read_text(encoding="utf-8"))}
    assert len({digest.search(t).group() for t in texts if digest.search(t)}) == len(variants)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_inferred_replies_are_written_as_found(case: Path) -> None:
    """With the real inference, each comment's author/reply_to/reply_basis is what it found.

    The inference is given the article text too, so names the article is about ("Putin")
    are known as topics, not taken for commenters.
    """
    document = importer.split_raw(decode_raw(case.read_bytes(), case.name), case.name, options(case).get("date_order"))
    bodies = ["\n\n".join(c.paragraphs) for c in document.comments]
    inference = infer_replies(bodies, article="\n\n".join(document.paragraphs))
    article = parse_article(import_case(case).text, case.name, case.stem)
    found = [
        (None if link.reply_to is None else f"c{link.reply_to + 1}", link.basis, evidence, author, basis, named_by)
        for link, evidence, author, basis, named_by in zip(
            inference.links, inference.evidence, inference.authors, inference.author_bases,
            inference.author_evidence, strict=True)
    ]
    assert [
        (c.reply_to, c.reply_basis, c.reply_evidence, c.author, c.author_basis, c.author_evidence)
        for c in article.comments
    ] == found


def test_reply_fields_are_quoted_and_ordered(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(bodies: Sequence[str], **_: object) -> Inference:
        links = [ReplyLink(None, None), ReplyLink(0, "vocative"), ReplyLink(1, "similarity")]
        return Inference(tuple(links), ('Zoë "Z" O\'Neil', None, "no"), ("vocative", None, "mention"),
                         (None, 'Zoë "Z", no', "B. C."), ('c2: Zoë "Z", no', None, "c3: no, no"))

    monkeypatch.setattr(importer, "infer_replies", fake)
    raw = b"Text.\nJune 1, 2024 at 10:00\nA.\nJune 1, 2024 at 11:00\nB.\nJune 1, 2024 at 12:00\nC.\n"
    text = import_raw(raw, "r.txt").text
    assert (
        '  - id: "c1"\n    date: "2024-06-01T10:00"\n    author: "Zoë \\"Z\\" O\'Neil"\n'
        '    author_basis: "vocative"\n    author_evidence: "c2: Zoë \\"Z\\", no"\n'
        "    reply_to: null\n    reply_basis: null\n    reply_evidence: null\n    body: |-\n      A.\n"
    ) in text
    assert (
        '  - id: "c2"\n    date: "2024-06-01T11:00"\n    author: null\n    author_basis: null\n'
        '    author_evidence: null\n    reply_to: "c1"\n    reply_basis: "vocative"\n'
        '    reply_evidence: "Zoë \\"Z\\", no"\n'
    ) in text
    assert '    author: "no"\n    author_basis: "mention"\n    author_evidence: "c3: no, no"\n' in text
    assert '    reply_to: "c2"\n    reply_basis: "similarity"\n    reply_evidence: "B. C."\n' in text
    article = parse_article(text, "r.md", "r")
    assert [(c.author, c.author_basis, c.reply_to, c.reply_basis) for c in article.comments] == [
        ('Zoë "Z" O\'Neil', "vocative", None, None),
        (None, None, "c1", "vocative"),
        ("no", "mention", "c2", "similarity"),
    ]
    assert [(c.author_evidence, c.reply_evidence) for c in article.comments] == [
        ('c2: Zoë "Z", no', None), (None, 'Zoë "Z", no'), ("c3: no, no", "B. C.")
    ]
    assert [c.known_author for c in article.comments] == [None, None, None]  # inferred names are not known


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


# --- defaults: slug, date, duplicates ------------------------------------------------------------

_BUDGET = (
    "The budget passed 5–4 after a night of amendments, with the harbour fund cut by a third.\n"
    "June 18, 2024 at 20:25\nA close vote.\n"
).encode()


def test_slug_comes_from_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "Harbour Budget.txt").write_bytes(_BUDGET)
    result = run_gloss("import", "Harbour Budget.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "content/harbour-budget.md\n"
    text = (tmp_path / "content" / "harbour-budget.md").read_text(encoding="utf-8")
    assert 'slug: "harbour-budget"\n' in text
    assert import_raw(_BUDGET, "x.txt", slug="Other Name").slug == "other-name"  # --slug still wins


def test_a_file_name_without_letters_or_digits_asks_for_a_slug() -> None:
    with pytest.raises(GlossError) as caught:
        import_raw(_BUDGET, "---.txt")
    assert caught.value.format().startswith("---.txt:1:1: cannot make a slug from the file name")
    assert "--slug" in caught.value.hint


def test_no_comments_needs_a_date(tmp_path: Path) -> None:
    raw = b"An article nobody has commented on yet.\n"
    (tmp_path / "quiet.txt").write_bytes(raw)
    refused = run_gloss("import", "quiet.txt", cwd=tmp_path)
    assert refused.returncode == 1 and "--date" in refused.stderr and not (tmp_path / "content").exists()
    done = run_gloss("import", "quiet.txt", "--date", "2024-06-01", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert 'date: "2024-06-01"\n' in (tmp_path / "content" / "quiet.md").read_text(encoding="utf-8")


def test_the_same_dump_is_not_imported_twice(tmp_path: Path) -> None:
    (tmp_path / "budget.txt").write_bytes(_BUDGET)
    (tmp_path / "copy.txt").write_bytes(_BUDGET)
    assert run_gloss("import", "budget.txt", cwd=tmp_path).returncode == 0
    first = (tmp_path / "content" / "budget.md").read_bytes()
    # The same file again (same source, same bytes), and a renamed copy of it (same bytes only):
    # both refused, naming the existing file and saying which of the two it is.
    for args, how in ((["budget.txt", "--slug", "budget-again"], "(same file name and bytes)"),
                      (["copy.txt"], '(same bytes, imported from "budget.txt")')):
        again = run_gloss("import", *args, cwd=tmp_path)
        assert again.returncode == 1
        assert again.stderr.startswith(f"{args[0]}:1:1: this dump was already imported as content/budget.md {how}")
        assert "--force" in again.stderr and len(again.stderr.splitlines()) == 1
    assert sorted(p.name for p in (tmp_path / "content").iterdir()) == ["budget.md"]
    forced = run_gloss("import", "copy.txt", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert sorted(p.name for p in (tmp_path / "content").iterdir()) == ["budget.md", "copy.md"]
    assert (tmp_path / "content" / "budget.md").read_bytes() == first
    # A different dump is no duplicate.
    (tmp_path / "other.txt").write_bytes(_BUDGET + b"June 19, 2024 at 08:00\nAnother.\n")
    assert run_gloss("import", "other.txt", cwd=tmp_path).returncode == 0
    # Two earlier imports of these bytes: the one from the same file name is the one named.
    again = run_gloss("import", "copy.txt", "--slug", "copy-again", cwd=tmp_path)
    assert again.stderr.startswith("copy.txt:1:1: this dump was already imported as content/copy.md (same file name")
    # An updated dump under the same name (new comments, other bytes) is not this duplicate: it
    # meets the existing file only by slug, and the hint says how to replace it.
    (tmp_path / "budget.txt").write_bytes(_BUDGET + b"June 20, 2024 at 09:00\nLater.\n")
    newer = run_gloss("import", "budget.txt", cwd=tmp_path)
    assert newer.returncode == 1 and newer.stderr.startswith("budget.txt:1:1: content/budget.md already exists")


def test_date_order_option(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_bytes(b"Summer schedule.\n06/07/2024 09:15\nA comment.\n")
    refused = run_gloss("import", "ferry.txt", cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.startswith('ferry.txt:2:1: ambiguous date "06/07/2024"') and "--date-order" in refused.stderr
    done = run_gloss("import", "ferry.txt", "--date-order", "dmy", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert 'date: "2024-07-06T09:15"' in (tmp_path / "content" / "ferry.md").read_text(encoding="utf-8")


def test_bare_addresses_are_kept_unescaped_and_linked() -> None:
    raw = ("Article.\nJune 18, 2024 at 20:25\n"
           "See https://example.org/a_b_(c)?x=1&y=*2* and _this_, not javascript:alert(1) or readme.md.\n").encode()
    article = parse_article(import_raw(raw, "x.txt").text, "x.md", "x")
    body = article.comments[0].body.text
    # The address is left unescaped; markdown-it ends the link before its final "*", shown as written.
    assert body == "See https://example.org/a_b_(c)?x=1&y=*2* and \\_this\\_, not javascript:alert(1) or readme.md."
    html = render_block(make_parser(), article.comments[0].body, user_content=True).html
    assert html == (
        '<p>See <a href="https://example.org/a_b_(c)?x=1&amp;y=*2" rel="nofollow ugc noopener">'
        "https://example.org/a_b_(c)?x=1&amp;y=*2</a>* and _this_, not javascript:alert(1) or readme.md.</p>\n"
    )
