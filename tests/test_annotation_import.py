"""``gloss annotations import``: W3C and Hypothesis annotations become spans and notes, measured.

Fixtures in ``tests/fixtures/annotation-import/``: an article with Markdown in it (emphasis, a link,
escapes, an entity, comments), the same article edited (words inserted, a sentence reworded, a
paragraph moved, one deleted), Hypothesis API search results and a W3C collection for it, and
``expected.yaml``: where every annotation must land (or that it must be an orphan). Zero wrong
anchors is the bar; the anchored share is printed (``-s`` shows it).
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from budget import examples

from generator.annotation_import.importer import PLACED, ImportResult, import_annotations, page_of
from generator.annotation_import.source_map import bodies
from generator.annotation_import.tag_map import default_map, kind_and_verdict, read_map
from generator.cli import main
from generator.common.errors import GlossError
from generator.content.config import SiteConfig
from generator.dump import dump_json
from generator.editing.note_writer import remove_note
from generator.export import annotation_collection, normalise, rendered_text
from generator.importing.anchoring import Anchor, anchor
from generator.importing.annotations_json import QuoteSelector, read_annotations
from generator.importing.json_paths import locate

FIXTURES = Path(__file__).parent / "fixtures" / "annotation-import"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))


@functools.cache  # fixtures and results are immutable: several tests compare with the same import
def run(annotations: str, content: str, tags: str | None = None) -> tuple[str, ImportResult]:
    """Import fixture ``annotations`` into fixture ``content``: (the content text before, the result)."""
    text = (FIXTURES / content).read_text(encoding="utf-8")
    items = read_annotations((FIXTURES / annotations).read_bytes(), annotations)
    tag_map = read_map((FIXTURES / tags).read_text(encoding="utf-8"), tags) if tags else default_map()
    return text, import_annotations(text, content, items, tag_map)


def dumped(text: str, path: str) -> dict:
    return json.loads(dump_json(page_of(text, path)))


def key(annotation_id: str) -> str:
    return annotation_id.rsplit("#note-", 1)[-1]


@pytest.mark.parametrize("pair", list(EXPECTED))
def test_every_annotation_lands_where_expected_and_none_wrongly(pair: str) -> None:
    annotations, content = (part.strip() for part in pair.split("→"))
    before, result = run(annotations, content)
    rendered = bodies(page_of(before, content))[1]
    expected = EXPECTED[pair]
    assert sorted(key(o.annotation.id) for o in result.outcomes) == sorted(expected)
    final = rendered_text(page_of(result.text, content))
    assert final.text == rendered, "marking notes must not change the text a reader sees"
    wrong, anchored = [], 0
    for outcome in result.outcomes:
        status, *where = expected[key(outcome.annotation.id)]
        if status in ("orphan", "skipped"):
            if outcome.status != status:
                wrong.append(f"{outcome.annotation.id}: {outcome.status} at {outcome.span}, expected {status}")
            continue
        before_text, quote = where
        at = rendered.find(before_text + quote)
        assert at >= 0 and rendered.find(before_text + quote, at + 1) < 0, f"fixture: {before_text + quote!r} not unique"
        span = (at + len(before_text), at + len(before_text) + len(quote))
        anchored += 1
        if (outcome.status, outcome.span) != (status, span):
            wrong.append(f"{outcome.annotation.id}: {outcome.status} at {outcome.span} "
                         f"({rendered[slice(*outcome.span)] if outcome.span else ''!r}), expected {status} at {span}")
        elif status == PLACED:
            assert final.spans[outcome.note_id] == span  # the file says so too, not just the report
    total = sum(1 for o in result.outcomes if o.status != "skipped")
    placed = sum(1 for o in result.outcomes if o.status == PLACED)
    print(f"\n{pair}: {anchored} of {total} annotations anchored ({anchored / total:.0%}), {placed} marked "
          f"as notes, {len(wrong)} wrong (the bar is 0)")
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow  # ~3 CPU-s (the seed's 15 notes through the editing projection); test_round_trip_through_markup stays in the fast loop
def test_round_trip_restores_the_seed_article() -> None:
    """Export the example article's notes, import them into the article without notes: the same notes and spans."""
    annotated = (FIXTURES / "seed-annotated.md").read_text(encoding="utf-8")
    exported = annotation_collection(page_of(annotated, "seed-annotated.md"), SiteConfig())
    items = read_annotations(json.dumps(exported).encode(), "export.json")
    plain = (FIXTURES / "seed-plain.md").read_text(encoding="utf-8")
    result = import_annotations(plain, "seed-annotated.md", items, default_map())
    assert {o.status for o in result.outcomes} == {PLACED} and len(result.outcomes) == 15
    assert dumped(result.text, "seed-annotated.md") == dumped(annotated, "seed-annotated.md")
    # The Markdown of the article is byte for byte what it was (the spans where they were).
    assert result.text.split("\n---\n", 1)[1] == annotated.split("\n---\n", 1)[1]


def test_round_trip_through_markup() -> None:
    """Notes on emphasis, escapes, entities and comments come back from their own export unchanged."""
    _, first = run("hypothesis.json", "article.md")
    exported = annotation_collection(page_of(first.text, "article.md"), SiteConfig())
    items = read_annotations(json.dumps(exported).encode(), "export.json")
    plain = (FIXTURES / "article.md").read_text(encoding="utf-8")
    again = import_annotations(plain, "article.md", items, default_map())
    assert [o.status for o in again.outcomes] == [PLACED] * len(exported["first"]["items"])
    assert dumped(again.text, "article.md") == dumped(first.text, "article.md")


def test_importing_twice_changes_nothing() -> None:
    _, first = run("hypothesis.json", "article.md")
    items = read_annotations((FIXTURES / "hypothesis.json").read_bytes(), "hypothesis.json")
    again = import_annotations(first.text, "article.md", items, default_map())
    assert again.text == first.text
    assert [o.status for o in again.outcomes if o.status in ("placed", "present")] == ["present"] * sum(
        o.status == PLACED for o in first.outcomes)


@pytest.mark.parametrize("annotations, content", [("hypothesis.json", "article.md"), ("w3c.json", "article-edited.md")])
def test_only_the_bytes_of_spans_and_notes_change(annotations: str, content: str) -> None:
    """Taking the added notes out again (the writer's remove) gives the file back byte for byte."""
    before, result = run(annotations, content)
    after = result.text
    added = [o.note_id for o in result.outcomes if o.status == PLACED]
    assert added and after != before
    for note_id in reversed(added):
        assert note_id is not None
        after = remove_note(after, note_id, content)
    assert after == before


def test_replies_are_skipped_and_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "article.md"
    shutil.copy(FIXTURES / "article.md", target)
    assert main(["annotations", "import", str(FIXTURES / "hypothesis.json"), "--into", str(target)]) == 0
    out = capsys.readouterr().out
    assert "skipped  z4Ao9iZ3EfCnW1h3Lv0NeA: a reply to y1Zi6hZ3EfCvV9j5Ku8MdQ by Tamás Kovács" in out
    assert out.rstrip().endswith("added 10 notes; 14 of 14 annotations anchored (100%); 0 already there, 0 orphaned, "
                                  "4 refused, 1 reply skipped")
    assert target.read_text(encoding="utf-8") == run("hypothesis.json", "article.md")[1].text


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "article.md"
    shutil.copy(FIXTURES / "article-edited.md", target)
    assert main(["annotations", "import", str(FIXTURES / "w3c.json"), "--into", str(target), "--dry-run"]) == 0
    assert target.read_bytes() == (FIXTURES / "article-edited.md").read_bytes()
    assert "would add 8 notes; 8 of 10 annotations anchored (80%); 0 already there, 2 orphaned" in capsys.readouterr().out


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "article.md"
    original = (FIXTURES / "article.md").read_text(encoding="utf-8")
    target.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode())
    assert main(["annotations", "import", str(FIXTURES / "w3c.json"), "--into", str(target)]) == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == data.count(b"\r\n")
    assert data[3:].decode().replace("\r\n", "\n") == run("w3c.json", "article.md")[1].text


ERRORS = yaml.safe_load((FIXTURES / "errors" / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_json_is_located_and_nothing_is_written(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES / "errors")
    target = tmp_path / "article.md"
    shutil.copy(FIXTURES / "article.md", target)
    assert main(["annotations", "import", name, "--into", str(target)]) == 1
    err = capsys.readouterr().err
    assert err == ERRORS[name] + "\n"
    assert target.read_bytes() == (FIXTURES / "article.md").read_bytes()


@pytest.mark.parametrize("name, line", [
    ("tags-bad.yaml", 'tags-bad.yaml:2:1: unknown key "verdict" in the tag map (hint: did you mean "verdicts"?)'),
    ("tags-bad-verdict.yaml", "tags-bad-verdict.yaml:4:13: \"mostly\" maps to 'Mostly true', which is not a verdict "
     "(hint: verdicts: Accurate, Inaccurate, Outdated, Supported, Unsupported, Misleading, Disputed, Unverified)"),
])
def test_bad_tag_map_is_located(name: str, line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    target = tmp_path / "article.md"
    shutil.copy(FIXTURES / "article.md", target)
    assert main(["annotations", "import", "hypothesis.json", "--into", str(target), "--map", name]) == 1
    assert capsys.readouterr().err == line + "\n"
    assert target.read_bytes() == (FIXTURES / "article.md").read_bytes()


TAG_CASES = yaml.safe_load((FIXTURES / "tag-cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("table, tags, motivation, expected",
                         [(table, *case) for table, cases in TAG_CASES.items() for case in cases])
def test_tags_give_kind_and_verdict(table: str, tags: list[str], motivation: str | None, expected: object) -> None:
    tag_map = default_map() if table == "default" else read_map((FIXTURES / table).read_text(encoding="utf-8"), table)
    got = kind_and_verdict(tuple(tags), motivation, tag_map)
    if isinstance(expected, str):
        assert isinstance(got, str) and got.startswith(expected)
    else:
        assert got == tuple(expected)


# ---------------------------------------------------------------- properties

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


def _paths(value: object, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, path + (i,))
    return found


@settings(max_examples=examples(150), deadline=None)
@given(JSON, st.sampled_from([None, 2]), st.data())
def test_locate_points_at_the_value(value: object, indent: int | None, data: st.DataObject) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    path = data.draw(st.sampled_from(_paths(value)))
    line, column = locate(text, path)
    offset = sum(len(x) + 1 for x in text.split("\n")[: line - 1]) + column - 1
    expected = value
    for step in path:
        expected = expected[step]  # type: ignore[index]
    assert json.JSONDecoder().raw_decode(text, offset)[0] == expected


WORDS = st.lists(st.sampled_from(["grid", "power", "heat", "the", "of", "record", "Spain", "40%"]), min_size=3, max_size=40)


@settings(max_examples=examples(200), deadline=None)
@given(WORDS, st.data())
def test_anchoring_an_unchanged_text_is_right_or_an_orphan(words: list[str], data: st.DataObject) -> None:
    """Whatever the repetitions, a selector made from the text finds its own place or nothing."""
    text = normalise(" ".join(words))[0]
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first, min(len(words) - 1, first + 4)))
    start = len(" ".join(words[:first])) + (1 if first else 0)
    end = len(" ".join(words[: last + 1]))
    quote = QuoteSelector(text[start:end], text[max(0, start - 32) : start], text[end : end + 32])
    hint = data.draw(st.sampled_from([None, (start, end)]))
    placed = anchor(text, quote, hint)
    if isinstance(placed, Anchor):
        same = text[placed.start - 32 if placed.start >= 32 else 0 : placed.end + 32]
        assert (placed.start, placed.end) == (start, end) or same == text[max(0, start - 32) : end + 32]


KEYS = ["rows", "id", "text", "tags", "user", "references", "target", "selector", "type", "exact", "prefix",
        "suffix", "start", "end", "body", "value", "purpose", "format", "motivation", "first", "items",
        "schema:citation", "schema:name", "schema:reviewRating", "schema:ratingValue", "schema:itemReviewed",
        "schema:author", "user_info", "display_name", "creator", "name"]
WORDS_USED = ["TextQuoteSelector", "TextPositionSelector", "AnnotationCollection", "AnnotationPage", "Annotation",
              "tagging", "linking", "text/plain", "text/html", "assessing", "record demand", ""]
SHAPED = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 200) | st.sampled_from(WORDS_USED),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6),
    max_leaves=30,
)


@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(SHAPED, st.lists(st.dictionaries(st.sampled_from(KEYS), SHAPED, max_size=6), max_size=3).map(
    lambda rows: {"rows": rows})))
def test_any_json_gives_annotations_or_one_located_error(value: object) -> None:
    """The reader never fails with anything but a located error, whatever shape the JSON has."""
    try:
        found = read_annotations(json.dumps(value).encode(), "x.json")
    except GlossError as exc:
        assert exc.location.path == "x.json" and exc.location.line >= 1 and "\n" not in exc.format()
    else:
        assert all(a.quote is None or a.quote.exact for a in found)


ANCHORING = yaml.safe_load((FIXTURES / "anchoring-cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", ANCHORING, ids=[case["name"] for case in ANCHORING])
def test_anchoring_cases(case: dict) -> None:
    selector = QuoteSelector(*case["selector"]) if case["selector"] else None
    placed = anchor(case["text"], selector, tuple(case["hint"]) if case["hint"] else None)
    method, *where = case["expect"]
    if method == "orphan":
        assert not isinstance(placed, Anchor) and placed.reason.startswith(where[0]), placed
        return
    before, quote = where
    at = case["text"].index(before + quote) + len(before)
    assert isinstance(placed, Anchor), placed
    assert (placed.method, placed.start, placed.end) == (method, at, at + len(quote))


def test_only_http_sources_come_in_and_the_summary_says_so() -> None:
    """A ``javascript:`` linking body is not a source; the outcome says one was dropped."""
    _, result = run("duplicates.json", "article.md")
    first = result.outcomes[0]
    assert first.status == PLACED and first.detail == "quote; 1 source(s) dropped: not http(s)"
    assert "javascript" not in result.text
    note = page_of(result.text, "article.md").notes[0]
    assert [s.url for s in note.sources] == ["https://www.rte-france.com/en/eco2mix"]


def test_the_hypothesis_client_export_reads_as_the_api_rows() -> None:
    """The client's "Export" file wraps the same annotation objects in ``annotations``."""
    rows = read_annotations((FIXTURES / "hypothesis.json").read_bytes(), "x.json")
    exported = read_annotations((FIXTURES / "hypothesis-client-export.json").read_bytes(), "x.json")
    assert [(a.id, a.quote, a.body, a.tags, a.references) for a in exported] == [
        (a.id, a.quote, a.body, a.tags, a.references) for a in rows]
    assert exported[0].path == "annotations[0]" and all(a.hypothesis for a in exported)
