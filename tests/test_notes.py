"""Inline fact and claim notes: validation through ``gloss check``, and the notes as the page shows them.

The error test breaks a copy of the annotated example article in every way an editor can
(misspelled and unknown note ids, an unused note, an id used twice, a bad class, missing,
unknown and wrongly-kinded verdicts, a rating of 9, a non-http source URL) and expects ONE run
of ``gloss check`` to list every error at the exact ``file:line:col`` (positions are computed
here from the broken file's text, independently of the generator).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.content.note_kinds import VERDICT
from gloss_run import run_gloss  # a new process in CI, cli.main in the fast loop

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = REPO_ROOT / "content" / "putin-north-korea-visit.md"


def where(text: str, needle: str, *, after: str = "", shift: int = 0) -> tuple[int, int]:
    """1-based line and column of ``needle`` (the first one after ``after``), plus ``shift`` columns."""
    start = text.index(after) if after else 0
    index = text.index(needle, start) + shift
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the example article changed: {old!r} is not there exactly once"
    return text.replace(old, new)


def note_block(text: str, note: str) -> str:
    """The note's lines in the front matter, so an edit can be aimed at one note."""
    match = re.search(rf"^  {re.escape(note)}:\n(?:    .*\n|      .*\n)+", text, re.M)
    assert match, note
    return match.group(0)


def edit_note(text: str, note: str, old: str, new: str) -> str:
    block = note_block(text, note)
    return replace_once(text, block, replace_once(block, old, new))


def test_check_lists_every_note_error_at_its_position(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    text = replace_once(text, "{.fact #visit}", "{.fact #vist}")  # misspelled: unknown "vist", unused "visit"
    text = replace_once(text, "the ongoing conflict in Ukraine", "[the ongoing conflict in Ukraine]{.fact #war}")
    text = replace_once(text, "{.claim #weapons}", "{.opinion #weapons}")  # bad class: one error, not also "unused"
    text = replace_once(text, "space collaboration", "[space collaboration]{.claim #space-agency}")  # same text
    text = replace_once(text, "Moscow was snubbed from", "[Moscow]{.fact #summit} was snubbed from")  # in c2
    text = edit_note(text, "balloons", '    verdict: "Accurate"\n', "")
    text = edit_note(text, "oil", 'verdict: "Supported"', 'verdict: "Likely"')
    text = edit_note(text, "space-agency", 'verdict: "Unverified"', 'verdict: "Accurate"')
    text = edit_note(text, "shells", "rating: 4", "rating: 9")
    text = edit_note(text, "delegation", "https://en.wikipedia.org/wiki/Andrei_Belousov", "ftp://example.org/belousov")
    text = replace_once(text, "\ncomments:\n", '\n  orphan:\n    body: "Nobody uses me."\n    verdict: "Accurate"\ncomments:\n')
    content = tmp_path / "content"
    content.mkdir()
    (content / "broken.md").write_text(text, encoding="utf-8")

    expected = [
        (where(text, "  visit:\n", shift=2), 'note "visit" is not used by any span'),
        (where(text, "body:", after="  balloons:\n"), 'note "balloons" has no "verdict"'),
        (where(text, '"Likely"'), 'unknown verdict "Likely" in note "oil"'),
        (where(text, "9", after="  shells:\n    body"), 'rating 9 in note "shells" is outside 1–5'),
        (where(text, '"ftp://'), 'source URL "ftp://example.org/belousov" is not an http(s) address'),
        (where(text, '"Accurate"', after="  space-agency:\n"), 'verdict "Accurate" does not fit a claim note'),
        (where(text, "  orphan:\n", shift=2), 'note "orphan" is not used by any span'),
        (where(text, "[Russian President"), 'span names note "vist", which is not in the front matter'),
        (where(text, "[the ongoing conflict"), 'span names note "war", which is not in the front matter'),
        (where(text, ".opinion"), 'span class ".opinion" is not allowed'),
        (where(text, "[space collaboration]"), 'note id "space-agency" is already used by the span at '
                                               f"line {where(text, '[heads of the Russian')[0]}, "
                                               f"column {where(text, '[heads of the Russian')[1]}"),
        (where(text, "[Moscow]"), 'note "summit" is already used at line '
                                  f"{where(text, '[a peace summit')[0]}, column {where(text, '[a peace summit')[1]}"),
    ]
    result = run_gloss("check", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for (line, column), message in expected:
        prefix = f"content/broken.md:{line}:{column}: "
        found = [got for got in lines if got.startswith(prefix) and message in got]
        assert found, f"missing {prefix}{message}\n--- got ---\n{result.stderr}"
    assert len(lines) == len(expected), f"expected {len(expected)} errors, got:\n{result.stderr}"
    assert lines == sorted(lines, key=lambda row: tuple(int(n) for n in row.split(":")[1:3])), "not in file order"


def test_the_example_article_passes_check() -> None:
    result = run_gloss("check", cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    assert re.search(r"ok: \d+ articles?, (\d+) notes", result.stdout)


# --------------------------------------------------------------------------- the notes on the page


class Tree(HTMLParser):
    """Elements with their attributes and ancestors; text per element id."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.elements: list[tuple[str, dict[str, str], tuple[str, ...]]] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.elements.append((tag, values, tuple(t for t, _ in self.stack)))
        if tag not in self.VOID:
            self.stack.append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        for _, values in self.stack:
            if "id" in values:
                self.text.setdefault(values["id"], []).append(data)

    def text_of(self, element_id: str) -> str:
        return " ".join("".join(self.text.get(element_id, [])).split())

    def ids(self) -> dict[str, dict[str, str]]:
        return {values["id"]: values for _, values, _ in self.elements if "id" in values}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Tree, dict]:
    import json

    out = tmp_path_factory.mktemp("example") / "output"
    build(BuildOptions(root=REPO_ROOT, content=REPO_ROOT / "content", output=out))
    tree = Tree()
    tree.feed((out / "articles" / "putin-north-korea-visit" / "index.html").read_text(encoding="utf-8"))
    dump = json.loads(run_gloss("dump", str(SEED), cwd=REPO_ROOT).stdout)
    return tree, dump


def test_example_is_annotated_like_a_fact_checker_would(example: tuple[Tree, dict]) -> None:
    _, dump = example
    notes = dump["notes"]
    in_article = [n for n in notes if n["in"] == "article"]
    assert len(in_article) >= 8 and len(notes) - len(in_article) >= 3
    assert {n["kind"] for n in in_article} == {"fact", "claim"}
    for note in notes:
        assert note["sources"], f"note {note['id']} cites no source"
        for source in note["sources"]:
            assert source["url"] or source["date"], f"{note['id']}: a source without URL needs a date"
        if note["kind"] == "claim":
            assert note["claimant"], f"claim {note['id']} names no claimant"


def test_each_note_is_beside_its_span_and_in_the_list(example: tuple[Tree, dict]) -> None:
    tree, dump = example
    ids = tree.ids()
    for number, note in enumerate(dump["notes"], 1):
        nid, kind = note["id"], note["kind"]
        verdict = VERDICT[note["verdict"]]
        span, margin = ids[f"span-{nid}"], ids[f"margin-{nid}"]
        assert span["class"] == f"gloss-span gloss-{kind} verdict-{verdict.group.name}" and span["data-note"] == nid
        assert {f"note-{kind}", f"verdict-{verdict.group.name}"} <= set(margin["class"].split())
        head = tree.text_of(f"margin-{nid}")
        word = "Fact check" if kind == "fact" else "Claim"
        # Verdict first (its group's icon, the word), then the kind as a word.
        assert head.startswith(f"{verdict.group.icon} {note['verdict']} {word} {number}"), head
        assert tree.text_of(f"open-{nid}").startswith(f"{verdict.group.icon} {note['verdict']} {word} {number}")
        assert note["quote"] in tree.text_of(f"span-{nid}")
        listed = tree.text_of(f"note-{nid}")
        assert note["verdict"] in listed and note["quote"] in listed
        # Both ways: the text links to the note in the list, the list links back to the text.
        links = [values.get("href") for tag, values, _ in tree.elements if tag == "a"]
        assert f"#note-{nid}" in links and f"#span-{nid}" in links
        assert ids[f"toggle-{nid}"]["type"] == "checkbox"
        for source in note["sources"]:
            if source["url"]:
                assert links.count(source["url"]) >= 3, "linked in the margin note, the opened note and the list"
            assert source["title"].split(" — ")[0] in tree.text_of(f"margin-{nid}"), "the margin note names its sources"


def test_note_markup_is_never_inside_a_link(tmp_path: Path) -> None:
    """A span inside link text: the margin note (a link, a checkbox, a label) must follow the link."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "linked.md").write_text(
        '---\ntitle: "Linked"\nnotes:\n  x:\n    body: "Checked."\n    verdict: "Accurate"\n'
        '  y:\n    body: "Also checked."\n    verdict: "Unverified"\n'
        "comments:\n  - id: \"c1\"\n    date: \"2024-06-18T20:25\"\n    body: |-\n"
        "      See [the [report]{.claim #y}](https://example.org/r) now.\n"
        "---\nRead [the [bridge]{.fact #x} story](https://example.org/b) first.\n",
        encoding="utf-8",
    )
    out = tmp_path / "output"
    build(BuildOptions(root=tmp_path, content=content, output=out))
    html = (out / "articles" / "linked" / "index.html").read_text(encoding="utf-8")
    tree = Tree()
    tree.feed(html)
    for tag, values, ancestors in tree.elements:
        if tag in ("a", "input", "label", "div") and "a" in ancestors:
            pytest.fail(f"<{tag} {values}> inside a link")
    # Inside a link a span stays a span (a label may not sit in a link); its label follows the link.
    assert ('<span class="gloss-span gloss-fact verdict-holds" id="span-x" data-note="x">bridge</span> story</a>'
            '<a class="note-ref"') in html
    assert 'id="span-y" data-note="y">report</span></a><a class="note-ref"' in html
