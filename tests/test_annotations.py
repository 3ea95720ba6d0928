"""Tests for generator.content.annotations: fixtures, positions, problems, env, properties."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import read_fixture_file

from budget import examples

from generator.content.annotations import SpanProblem, SpanRecord, annotations_plugin

FIXTURES = Path(__file__).parent / "fixtures" / "annotations"
CASES = [
    pytest.param(src, expected, id=f"{path.stem}:{line}:{title}")
    for path in sorted(FIXTURES.glob("*.md"))
    for line, title, src, expected in read_fixture_file(path)
]


def make_md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).use(annotations_plugin)


MD = make_md()


def render(src: str, **env_items: Any) -> tuple[str, dict[str, Any]]:
    env: dict[str, Any] = dict(env_items)
    return MD.render(src, env), env


def spans(src: str, md: MarkdownIt = MD) -> list[SpanRecord]:
    env: dict[str, Any] = {}
    md.parse(src, env)
    assert env["gloss_problems"] == []
    return list(env["gloss_spans"])


def problems(src: str) -> list[tuple[int, int, str]]:
    env: dict[str, Any] = {}
    MD.parse(src, env)
    return [(p.line, p.column, p.message) for p in env["gloss_problems"]]


def positions(src: str, md: MarkdownIt = MD) -> list[tuple[str, int, int]]:
    return [(s.note_id, s.line, s.column) for s in spans(src, md)]


def source_lines(src: str) -> list[str]:
    """Lines as markdown-it counts them (and as the positions are given)."""
    return src.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --- fixtures -------------------------------------------------------------------------


def test_fixture_files_exist() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("src", "expected"), CASES)
def test_fixture(src: str, expected: str) -> None:
    assert MD.render(src) == expected


# --- plugin wiring -----------------------------------------------------------------------


def test_rule_runs_before_link() -> None:
    names = MD.inline.ruler.get_active_rules()
    assert names.index("gloss_span") < names.index("link")
    assert MD.core.ruler.get_active_rules()[-1] == "gloss_spans"


def test_env_keys_created_and_appended() -> None:
    env: dict[str, Any] = {}
    MD.render("plain text", env)
    assert env["gloss_spans"] == [] and env["gloss_problems"] == []
    existing = SpanRecord("fact", "old", "old", 0, 0)
    env = {"gloss_spans": [existing], "gloss_problems": []}
    MD.render("[new]{.claim #new}", env)
    assert [s.note_id for s in env["gloss_spans"]] == ["old", "new"]


def test_one_env_collects_several_parses() -> None:
    env: dict[str, Any] = {}
    MD.render("[body]{.fact #a}", env)
    MD.render("comment\n\n[reply]{.claim #b}", env)
    assert [(s.note_id, s.line) for s in env["gloss_spans"]] == [("a", 0), ("b", 2)]


def test_records_are_frozen_and_slotted() -> None:
    record = SpanRecord("fact", "a", "t", 0, 0)
    problem = SpanProblem(0, 0, "m", "h")
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.text = "x"  # type: ignore[misc]
    assert not hasattr(record, "__dict__") and not hasattr(problem, "__dict__")


def test_other_span_tokens_render_normally() -> None:
    token = Token("span_open", "span", 1)
    token.attrs = {"class": "x"}
    assert MD.renderer.render([token, Token("span_close", "span", -1)], MD.options, {}) == (
        '<span class="x"></span>'
    )


# --- positions ---------------------------------------------------------------------------


def test_position_deep_inside_paragraph() -> None:
    assert positions("Analysts say that [Russia]{.claim #w} is short.") == [("w", 0, 18)]


def test_position_third_line_of_paragraph() -> None:
    src = "first line\nsecond line\nthird has [it]{.fact #t} here\nfourth"
    assert positions(src) == [("t", 2, 10)]


def test_position_after_earlier_blocks() -> None:
    src = "# Title\n\nPara one.\n\n\nPara two [x]{.fact #x}."
    assert positions(src) == [("x", 5, 9)]


def test_two_spans_on_one_line() -> None:
    src = "[a]{.fact #a} and [b]{.claim #b}"
    assert positions(src) == [("a", 0, 0), ("b", 0, 18)]


def test_multibyte_text_counts_characters() -> None:
    # “ ” are 3 bytes in UTF-8 and U+2011 (non-breaking hyphen) too: columns count characters.
    src = "“Curly quotes” and a non\u2011breaking hyphen: [x]{.fact #x} 🙂 [y]{.claim #y}"
    found = positions(src)
    assert found == [("x", 0, src.index("[x]")), ("y", 0, src.index("[y]"))]
    assert found[0][2] == 42


@pytest.mark.parametrize(
    ("src", "line", "column"),
    [
        ("- a\n- b [x]{.fact #x}", 1, 4),
        ("- a\n\n  continued\n  more [x]{.fact #x}", 3, 7),
        ("1. one\n   two [x]{.fact #x}", 1, 7),
        ("10. one\n\n    para [x]{.fact #x}", 2, 9),
        ("- outer\n  - inner\n    - deepest [x]{.fact #x}", 2, 14),
        ("- item\nlazy [x]{.fact #x}", 1, 5),
        ("-\t[x]{.fact #x}", 0, 2),
        ("> [x]{.fact #x}", 0, 2),
        (">[x]{.fact #x}", 0, 1),
        ("> a\n> b\n>   c [x]{.fact #x}", 2, 6),
        ("> > nested\n> > quote [x]{.fact #x}", 1, 10),
        ("> quoted\nlazy line [x]{.fact #x}", 1, 10),
        ("> - in list\n>   in quote [x]{.fact #x}", 1, 13),
        ("1. x\n   > - q\n   >   [x]{.fact #x}", 2, 7),
        ("   indented [x]{.fact #x}", 0, 12),
        ("## Head [x]{.fact #x} ##", 0, 8),
        ("#   [x]{.fact #x}   #####   ", 0, 4),
        ("Setext [x]{.fact #x}\n======", 0, 7),
        ("a\\\nb [x]{.fact #x}", 1, 2),
        ("a  \n  b [x]{.fact #x}", 1, 4),
        ("\tindented code\n\npara [x]{.fact #x}", 2, 5),
    ],
)
def test_positions_in_blocks(src: str, line: int, column: int) -> None:
    assert positions(src) == [("x", line, column)]
    assert source_lines(src)[line][column] == "["


def test_positions_with_crlf_and_nul() -> None:
    src = "a\r\nb\r\n\r\nc\x00 [x]{.fact #x}\rd [y]{.claim #y}"
    assert positions(src) == [("x", 3, 3), ("y", 4, 2)]


def test_positions_in_table_cells() -> None:
    md = make_md().enable("table")
    src = "| a | b |\n|---|---|\n| [x]{.fact #x} | [x]{.fact #y} |\n| same | same [z]{.claim #z} |"
    assert positions(src, md) == [("x", 2, 2), ("y", 2, 18), ("z", 3, 14)]


def test_positions_in_render_inline() -> None:
    env: dict[str, Any] = {}
    MD.renderInline("one\ntwo [x]{.fact #x}", env)
    assert [(s.line, s.column) for s in env["gloss_spans"]] == [(1, 4)]


def test_positions_of_spans_inside_link_and_nested() -> None:
    src = "intro\n[see [c]{.claim #c}](u) [out [in]{.fact #in}]{.claim #out}"
    assert positions(src) == [("c", 1, 5), ("out", 1, 24), ("in", 1, 29)]


# --- problems ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("[x]{.fact #x onclick=alert(1)}", [(0, 13, 'span attribute "onclick=alert(1)" is not allowed')]),
        ('[x]{.fact #x title="a b"}', [(0, 13, 'span attribute "title="a b"" is not allowed')]),
        ("[x]{.fact .big #x}", [(0, 10, 'span class ".big" is not allowed')]),
        ("[x]{.Fact #x}", [(0, 4, 'span class ".Fact" is not allowed')]),
        ("[x]{.fact #a #b}", [(0, 13, 'span has more than one id ("#b" after #a)')]),
        ("[x]{.fact .claim #x}", [(0, 10, 'span has more than one kind (".claim" after .fact)')]),
        ("[x]{.fact .fact #x}", [(0, 10, 'span has more than one kind (".fact" after .fact)')]),
        ("[x]{.fact #1x}", [(0, 10, 'span id "#1x" is not valid')]),
        ("[x]{.fact #a.b}", [(0, 10, 'span id "#a.b" is not valid')]),
        ("[x]{.claim}", [(0, 0, "span has no #id naming its note")]),
        ("[x]{#x}", [(0, 0, "span has no kind: add .fact or .claim")]),
        ("[x]{}", [(0, 0, "span has no kind: add .fact or .claim"), (0, 0, "span has no #id naming its note")]),
        ("[]{.fact #e}", [(0, 0, "span has no text")]),
        ("a [ ![](i.png) ]{.fact #e}", [(0, 2, "span has no text")]),
        ("[x]{.fact #x", [(0, 3, 'span attributes are not closed: "{" has no matching "}"')]),
        ("x\n![a [b]{.fact #b}](i.png)", [(1, 4, "a span inside an image description cannot carry a note")]),
        ("> q\n> [x]{.fact\n> #x key=v}", [(2, 5, 'span attribute "key=v" is not allowed')]),
        (
            "[one]{.fact #d} and\n  [two]{.claim #d}",
            [(1, 2, 'note id "d" is already used by the span at 1:1')],
        ),
    ],
)
def test_problem_messages_and_positions(src: str, expected: list[tuple[int, int, str]]) -> None:
    assert problems(src) == expected


def test_problem_hints() -> None:
    env: dict[str, Any] = {}
    MD.parse("[x]{.fact #x onclick=y} [y]{.fact #9}", env)
    hints = [p.hint for p in env["gloss_problems"]]
    assert hints[0] == "a span takes exactly one of .fact/.claim and one #id, like [text]{.fact #id}"
    assert "starts with a letter" in hints[1]


def test_long_attribute_is_shortened_in_message() -> None:
    [(_, _, message)] = problems("[x]{.fact #x data-" + "a" * 100 + "}")
    assert message.startswith('span attribute "data-aaa') and message.endswith('…" is not allowed')
    assert len(message) < 80


def test_invalid_span_is_not_recorded_and_renders_plain() -> None:
    html, env = render("[x *y*]{.fact #x onclick=alert(1)}")
    assert html == "<p>x <em>y</em></p>\n"
    assert env["gloss_spans"] == []
    assert "onclick" not in html and "span" not in html


def test_duplicate_across_parses_says_so() -> None:
    env: dict[str, Any] = {}
    MD.render("intro\n\n[a]{.fact #d}", env)
    html = MD.render("[b]{.fact #d}", env)
    assert html == "<p>b</p>\n"
    [problem] = env["gloss_problems"]
    assert problem.message == (
        'note id "d" is already used by the span at 3:1 of an earlier text parsed with the same env'
    )


def test_invalid_span_does_not_reserve_its_id() -> None:
    env: dict[str, Any] = {}
    MD.parse("[a]{.fact #d x=y} [b]{.fact #d}", env)
    assert [s.text for s in env["gloss_spans"]] == ["b"]
    assert len(env["gloss_problems"]) == 1


def test_no_problem_for_ordinary_brackets() -> None:
    for src in ["[x]", "[x] {not attributes}", "[1] {2}", "[x](u){.fact}", "\\[x]{.fact #x}", "[x]\\{.fact #x}",
                "`[x]{}`", "a]{b}", "\\]{.fact #x}"]:
        assert problems(src) == [], src


def test_broken_spans_are_one_error_each_at_their_own_place() -> None:
    """A space before the brace, a span across a blank line, a missing "}": one error, at the span."""
    cases = {
        "Text [with space] {.fact #a} here.": [(0, 5, "space between")],
        "A [span that\n\ncrosses]{.fact #b} two.": [(2, 7, 'no "[" in this paragraph')],
        "Unclosed [x]{.claim #c and more": [(0, 12, "not closed")],
    }
    for src, want in cases.items():
        got = problems(src)
        assert len(got) == len(want), (src, got)
        for (line, col, message), (w_line, w_col, w_message) in zip(got, want):
            assert (line, col) == (w_line, w_col) and w_message in message, (src, got)


def test_broken_span_names_its_note() -> None:
    for src, note in [("[x] {.fact #a}", "a"), ("[y]{.claim #b and", "b"), ("x\n\nb]{.fact #c}", "c")]:
        env: dict[str, Any] = {}
        MD.parse(src, env)
        assert [p.note_id for p in env["gloss_problems"]] == [note], src


# --- span text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "text"),
    [
        ("[the *2018* [agreement](https://x.org)]{.fact #a}", "the 2018 agreement"),
        ("[**Seoul** said `x < y` &amp; &copy;]{.fact #a}", "Seoul said x < y & ©"),
        ("[a \\* b]{.fact #a}", "a * b"),
        ("[line one\n   line  two]{.fact #a}", "line one line two"),
        ("[hard\\\nbreak]{.fact #a}", "hard break"),
        ("[chart ![alt *t*](c.png)]{.fact #a}", "chart alt t"),
        ("[<b>not html</b>]{.fact #a}", "<b>not html</b>"),
        ("[  padded  ]{.fact #a}", "padded"),
    ],
)
def test_span_text(src: str, text: str) -> None:
    [record] = spans(src)
    assert record.text == text


def test_nested_span_texts() -> None:
    got = [(s.note_id, s.text) for s in spans("[outer [inner]{.fact #in} end]{.claim #out}")]
    assert got == [("out", "outer inner end"), ("in", "inner")]


def test_span_text_after_typographer() -> None:
    md = MarkdownIt("commonmark", {"typographer": True}).enable(["replacements", "smartquotes"])
    md.use(annotations_plugin)
    [record] = spans('[he said "no" -- twice]{.claim #q}', md)
    assert record.text == "he said “no” – twice"


# --- note html callback -----------------------------------------------------------------


def test_note_html_callback_appended_after_span() -> None:
    seen: list[SpanRecord] = []

    def note_html(record: SpanRecord) -> str:
        seen.append(record)
        return f'<span class="note" id="note-{record.note_id}">{record.kind}</span>'

    html, env = render("a [b]{.fact #b} c [d]{.claim #x onclick=1}", gloss_note_html=note_html)
    assert html == (
        '<p>a <span class="gloss-span gloss-fact" id="span-b" data-note="b">b</span>'
        '<span class="note" id="note-b">fact</span> c d</p>\n'
    )
    assert seen == env["gloss_spans"] == [SpanRecord("fact", "b", "b", 0, 2)]


def test_note_html_not_callable_is_ignored() -> None:
    html, _ = render("[b]{.fact #b}", gloss_note_html="<b>not a callable</b>")
    assert html == '<p><span class="gloss-span gloss-fact" id="span-b" data-note="b">b</span></p>\n'


def test_note_html_must_return_str() -> None:
    with pytest.raises(TypeError, match="must return str"):
        render("[b]{.fact #b}", gloss_note_html=lambda record: None)


def test_note_html_for_nested_spans_in_order() -> None:
    html, _ = render("[o [i]{.fact #i}]{.claim #o}", gloss_note_html=lambda r: f"<!--{r.note_id}-->")
    assert html == (
        '<p><span class="gloss-span gloss-claim" id="span-o" data-note="o">o '
        '<span class="gloss-span gloss-fact" id="span-i" data-note="i">i</span><!--i--></span><!--o--></p>\n'
    )


# --- properties --------------------------------------------------------------------------

PIECES = st.sampled_from(
    list("[]{}.#=*_`<>&\"'\\!()|-\t ab1\n")
    + ["\n", "\n\n", "> ", "- ", "1. ", "    ", "# ", "“", "\u2011", "🙂", "\r\n"]
    + [".fact", ".claim", "#a", "#b", "#1", " onclick=alert(1)", "<script>", "](u)", "![", "[x]: /u\n"]
    + ["[t]{.fact #a}", "[t]{.claim #b}", "]{.fact #c}", "]{", "x=\"y}\""]
)
MARKDOWNISH = st.lists(PIECES, max_size=60).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=200), MARKDOWNISH)

VOID = {"img", "br", "hr", "input", "meta", "link"}
ALLOWED_TAGS = {
    "p", "em", "strong", "a", "code", "pre", "span", "ul", "ol", "li", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "img", "br", "hr", "table", "thead", "tbody", "tr", "th", "td",
}


class TagChecker(HTMLParser):
    """Checks that tags balance and that only markdown-it's own tags and attributes appear."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"unexpected <{tag}>")
        if any(name.startswith("on") for name, _ in attrs):
            self.errors.append(f"event handler on <{tag}>")
        if tag == "span" and {name for name, _ in attrs} != {"class", "id", "data-note"}:
            self.errors.append(f"span attributes {attrs}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")


def check_positions(src: str, env: dict[str, Any]) -> None:
    lines = source_lines(src)
    for record in env["gloss_spans"]:
        assert lines[record.line][record.column] == "[", (record, lines[record.line])
    quoted = re.compile(r'^span (?:attribute|class|id) "(.)|^span has more than one (?:kind|id) \("(.)')
    for problem in env["gloss_problems"]:
        char = lines[problem.line][problem.column]
        match = quoted.match(problem.message)
        # Attribute errors point at the attribute; a span across a blank line at its "]"; others at "[" or "{".
        expected = (match.group(1) or match.group(2)) if match else "]" if 'no "["' in problem.message else "[{"
        assert char in expected, (problem, lines[problem.line])


@settings(max_examples=examples(400), deadline=None)
@given(ANY_TEXT)
def test_property_never_raises_and_positions_point_at_brackets(src: str) -> None:
    env: dict[str, Any] = {}
    MD.render(src, env)
    assert all(isinstance(s, SpanRecord) for s in env["gloss_spans"])
    assert all(isinstance(p, SpanProblem) for p in env["gloss_problems"])
    check_positions(src, env)


TABLE_MD = make_md().enable("table")


@settings(max_examples=examples(200), deadline=None)
@given(ANY_TEXT)
def test_property_positions_with_tables_enabled(src: str) -> None:
    env: dict[str, Any] = {}
    TABLE_MD.render(src, env)
    if "\\|" not in src:  # escaped pipes are rewritten in cells: positions are approximate there
        check_positions(src, env)



@settings(max_examples=examples(400), deadline=None)
@given(MARKDOWNISH)
def test_property_output_is_well_formed_and_escaped(src: str) -> None:
    html = MD.render(src, {"gloss_note_html": lambda r: f'<span class="n" id="n-{r.note_id}" data-note="x"></span>'})
    checker = TagChecker()
    checker.feed(html)
    checker.close()
    assert checker.errors == [] and checker.stack == [], (src, html)
    assert "<script" not in html


@settings(max_examples=examples(200), deadline=None)
@given(MARKDOWNISH, st.sampled_from(["<script>x</script>", "<img src=x onerror=alert(1)>", "<b>&</b>"]))
def test_property_user_angle_brackets_never_unescaped(src: str, evil: str) -> None:
    html = MD.render(f"[{evil}]{{.fact #a}} {src} [{evil}]{{.claim #b onclick=x}}")
    assert "<script" not in html and "<img src=x" not in html and "<b>" not in html
