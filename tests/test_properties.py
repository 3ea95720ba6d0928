"""Property tests (hypothesis) across stages: import, Markdown with annotations, whole builds.

* Any bytes given to ``import_raw`` either fail with a located :class:`GlossError` (inside the
  file, with a hint) or give a content file that parses, renders (``site.article_page``), shows
  every paragraph as written, and is the same bytes when imported again.
* The Markdown parser with the annotation plugin never raises, and every ``<`` in its output
  starts a tag from the renderer's own small set: no user text comes out as markup.
* Any generated site (a few articles with random notes and comments) builds twice to the same
  bytes, and a rebuild into the same ``output/`` changes no file.

Examples are bounded so the file runs in well under a minute.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from budget import examples

from generator.build.pipeline import BuildOptions, build
from generator.content.parse import parse_article
from generator.common.errors import GlossError
from generator.importing.importer import import_raw, yaml_quote
from generator.content.markdown import make_parser, render_block, render_inline, render_note_body
from generator.content.model import TextBlock
from generator.site.article_page import article_page
from generator.site.threads import Thread
from generator.common.textfile import decode_raw
from generator.importing.timestamps import parse_timestamp

MD = make_parser()

# ---------------------------------------------------------------- raw import

MONTHS = ["January", "june", "JUL", "Sep", "december"]
BAD_MONTHS = ["Febr", "Mai", "Jun.", "Sept"]
_word = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
_markup = st.sampled_from(
    ["*", "_", "[", "]", "{.fact #a}", "<script>", "</p>", "<!--", "-->", "&amp;", "&#106;", "`", "\\", "#", "1.",
     "- ", "> ", "|", "---", "===", "~~~", "```", "![x](y)", "[x](javascript:alert(1))", "<https://e.org>",
     "  ", "\t", "@Lena", "Replying to Omar:", "Indeed, SAI,", "{", "}", ":", "\u00a0", "\u2028", "\ufeff"]
)
_text_line = st.lists(st.one_of(_word, _markup), min_size=1, max_size=8).map(" ".join)
_stamp = st.builds(
    lambda month, day, year, at, hour, minute, pm: f"{month} {day}, {year} {at} {hour}:{minute:02d}{pm}",
    st.sampled_from(MONTHS),
    st.integers(1, 28),
    st.sampled_from([2023, 2024]),
    st.sampled_from(["AT", "at"]),
    st.integers(1, 12),
    st.integers(0, 59),
    st.sampled_from(["", " PM", " am"]),
)
# Timestamp-shaped lines that are not possible: each must be a located error.
_bad_stamp = st.builds(
    lambda month, day, hour, minute: f"{month} {day}, 2024 AT {hour}:{minute:02d}",
    st.sampled_from(MONTHS + BAD_MONTHS),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
)
_raw_line = st.one_of(_text_line, _text_line, _stamp, _stamp, st.just(""), st.just("   "))


@st.composite
def raw_bytes(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200))
    lines = draw(st.lists(_raw_line, max_size=14))
    if draw(st.integers(0, 4)):
        lines.insert(0, draw(_text_line))  # mostly, the article comes first
    if draw(st.integers(0, 5)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(_bad_stamp))
    # At most a few comments: reply inference is not what is tested here.
    stamps = 0
    kept = []
    for line in lines:
        is_stamp = bool(re.match(r"^\w+ \d+, \d{4} (AT|at) ", line))
        if is_stamp and stamps >= 5:
            continue
        stamps += is_stamp
        kept.append(line)
    text = draw(st.sampled_from(["\n", "\r\n"])).join(kept)
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + text).encode("utf-8")


class TextOf(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.feed(markup)
        self.close()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown(markup: str) -> str:
    """The text a reader sees, whitespace runs collapsed."""
    return " ".join("".join(TextOf(markup).parts).split())


def paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_bytes())
def test_import_fails_located_or_round_trips(data: bytes) -> None:
    try:
        imported = import_raw(data, "raw.txt")
    except GlossError as error:
        lines = data.count(b"\n") + 1
        assert error.location.path == "raw.txt"
        assert 1 <= error.location.line <= lines and error.location.column >= 1, error.format()
        assert error.hint and error.message and "\n" not in error.format()
        event(f"import refused: {error.message.split(' ')[0]}")
        return
    event(f"imported with {min(imported.text.count('  - id: '), 2)}+ comments")
    # The same bytes give the same file, every time.
    assert import_raw(data, "raw.txt").text == imported.text
    article = parse_article(imported.text, f"{imported.slug}.md", imported.slug)
    page = article_page(MD, article)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", article.slug)
    # Every paragraph is shown as written: nothing was read as Markdown markup.
    raw_text = decode_raw(data, "raw.txt")
    body_shown = shown(page.body_html)
    comments_shown = " ".join(shown(body) for body in _thread_bodies(page.threads))
    for paragraph in paragraphs(raw_text):
        if isinstance(parse_timestamp(paragraph), str):
            continue
        assert paragraph in body_shown or paragraph in comments_shown, paragraph
    assert len(article.comments) == sum(isinstance(parse_timestamp(line), str) for line in raw_text.split("\n"))
    assert page.notes == ()


def _thread_bodies(threads: Sequence[Thread]) -> list[str]:
    return [body for t in threads for body in [t.body_html, *_thread_bodies(t.replies)]]


# ---------------------------------------------------------------- Markdown and annotations

_md_piece = st.one_of(
    st.text(alphabet="[]{}()<>!#.*_`~\\&;:=\"' \n-|>/abcx1", max_size=12),
    st.sampled_from(
        ["[x]{.fact #a}", "[y]{.claim #b}", "]{", "{.fact #a onclick=alert(1)}", "<script>alert(1)</script>",
         "<img src=x onerror=alert(1)>", "<!--gloss-note:a-->", "<!--", "-->", "javascript:alert(1)", "&#106;",
         "&lt;", "&#60;script&#62;", "<https://e.org/a>", "<javascript:x>", "](javascript:x)", "![i](x.png)",
         "\n\n", "\n    code\n", "\n```\n<b>\n```\n", "\n```html\n<i>\n```\n", "| a | b |\n|---|---|\n| <c> | d |\n",
         "[r]: javascript:x\n", "[r]", "\\<", "\\[", "`<code>`", "<div>", "</div>", "<a href='x'>", "&", "\"", "'"]
    ),
)
MARKDOWN_TEXT = st.lists(_md_piece, max_size=14).map("".join)

# Every tag the renderer writes, with the attributes it may carry.
ALLOWED_TAGS = {
    "p": set(), "em": set(), "strong": set(), "code": {"class"}, "pre": {"class", "tabindex", "role", "aria-label"}, "a": {"href", "title", "rel"},
    "img": {"src", "alt", "title"}, "span": {"class", "id", "data-note", "style"}, "ul": set(), "ol": {"start"},
    "li": set(), "blockquote": set(), "h1": set(), "h2": set(), "h3": set(), "h4": set(), "h5": set(),
    "h6": set(), "hr": set(), "br": set(), "table": set(), "thead": set(), "tbody": set(), "tr": set(),
    "th": {"style"}, "td": {"style"}, "s": set(), "del": set(), "sup": set(), "mark": set(),
}
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+=\"[^\"<>]*\")*)\s*/?>")
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')


def assert_only_renderer_markup(markup: str, context: str) -> None:
    for match in _TAG.finditer(markup):
        tag = match.group(2)
        assert tag in ALLOWED_TAGS, (tag, context, markup)
        for name, value in _ATTR.findall(match.group(3)):
            assert name in ALLOWED_TAGS[tag], (tag, name, context, markup)
            if name == "style":
                assert re.fullmatch(r"text-align:(left|right|center)", value), (value, context)
            if name in ("href", "src"):
                assert not re.match(r"\s*(javascript|vbscript|data|file):", html.unescape(value), re.I), (value, context)
    rest = _TAG.sub("", markup)
    assert "<" not in rest, (context, markup)
    assert "<!--" not in markup


@settings(max_examples=examples(600), deadline=None)
@given(MARKDOWN_TEXT, st.booleans())
def test_markdown_never_raises_and_never_leaks_markup(text: str, user_content: bool) -> None:
    rendered = render_block(MD, TextBlock(text, 1), user_content=user_content, note_html=lambda s: "")
    assert_only_renderer_markup(rendered.html, text)
    assert_only_renderer_markup(MD.renderInline(text, {}), text)
    for span in rendered.spans:
        assert span.kind in ("fact", "claim") and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", span.note_id)
    for problem in rendered.problems:
        assert problem.line >= 0 and problem.column >= 0 and problem.message and problem.hint


# ---------------------------------------------------------------- whole builds

_plain = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30)
# Free text in bodies may not hold what would turn a span into something else (code, a link label).
# No fence characters (a body starting "~~~" opens a code block, where a span is no span) and no
# span syntax: the spans are added where the notes want them.
_body_text = _plain.map(lambda t: re.sub(r"[`~\[\]{}\\]", "", t))
_span_text = st.text(alphabet="abc xyzÜ1<&", min_size=1, max_size=10).filter(str.strip)
_free = st.one_of(_plain, st.sampled_from(["<script>x</script>", "Ünïcode “quotes”", "a: b", "no", "20:25", "</script>"]))
_tag = st.sampled_from(["harbour", "../x", "City Council", "Ünï", "a", "A"])


@st.composite
def site_articles(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    for index in range(draw(st.integers(1, 3))):
        slug = f"article-{index}"
        # Ratings a note's verdict allows: Accurate 4–5, Disputed 2–4 (note_kinds.VERDICTS).
        notes = draw(st.lists(st.one_of(st.tuples(st.just("fact"), _free, st.integers(4, 5)),
                                        st.tuples(st.just("claim"), _free, st.integers(2, 4))), max_size=3))
        comment_count = draw(st.integers(0, 4))
        front = [
            "---",
            f"title: {yaml_quote(draw(_free) or 'Untitled')}",
            f'slug: "{slug}"',
            f'date: "2024-0{draw(st.integers(1, 9))}-1{draw(st.integers(0, 9))}"',
            f"tags: [{', '.join(yaml_quote(t) for t in draw(st.lists(_tag, max_size=3)))}]",
            f"summary: {yaml_quote(draw(_free))}",
            f"draft: {draw(st.sampled_from(['false', 'false', 'false', 'true']))}",
            "notes:" if notes else "notes: {}",
        ]
        spans_in: dict[int, list[str]] = {}
        for n, (kind, body, rating) in enumerate(notes):
            verdict = "Accurate" if kind == "fact" else "Disputed"
            front += [f"  n{n}:", f"    body: {yaml_quote(body or 'x')}", f'    verdict: "{verdict}"', f"    rating: {rating}"]
            if draw(st.booleans()):
                front += ["    sources:", f"      - title: {yaml_quote(draw(_free) or 'S')}",
                          '        url: "https://example.org/s"']
            where = draw(st.integers(-1, comment_count - 1))  # -1: the article body
            spans_in.setdefault(where, []).append(f"[{draw(_span_text).strip()}]{{.{kind} #n{n}}}")
        front.append("comments:" if comment_count else "comments: []")
        for c in range(comment_count):
            reply = f'"c{draw(st.integers(1, c))}"' if c and draw(st.booleans()) else "null"
            body = " ".join([draw(_body_text)] + spans_in.get(c, [])).strip() or "x"
            basis = '"editor"' if reply != "null" else "null"
            front += [f'  - id: "c{c + 1}"', f'    date: "2024-05-0{c + 1}T1{c}:00"',
                      f"    author: {draw(st.sampled_from(['null', yaml_quote('Ines'), yaml_quote('<b>')]))}",
                      f"    reply_to: {reply}", f"    reply_basis: {basis}",
                      f"    body: {yaml_quote(body)}"]
        front.append("---")
        body = " ".join([draw(_body_text)] + spans_in.get(-1, [])).strip() or "Text."
        files[f"{slug}.md"] = "\n".join(front) + "\n" + body + "\n"
    return files


def output_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@settings(max_examples=examples(10, least=2), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(site_articles(), st.booleans())
def test_generated_sites_build_byte_identically(files: dict[str, str], drafts: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content").mkdir()
        for name, text in files.items():
            (root / "content" / name).write_text(text, encoding="utf-8")
        first = build(BuildOptions(root, root / "content", root / "one", drafts=drafts))
        event(f"{first.articles} articles")
        assert first.stats.written > 0
        build(BuildOptions(root, root / "content", root / "two", drafts=drafts))
        one, two = output_bytes(root / "one"), output_bytes(root / "two")
        assert one == two
        mtimes = {p: p.stat().st_mtime_ns for p in (root / "one").rglob("*") if p.is_file()}
        again = build(BuildOptions(root, root / "content", root / "one", drafts=drafts))
        assert again.stats.written == 0 and again.stats.removed == 0
        assert {p: p.stat().st_mtime_ns for p in (root / "one").rglob("*") if p.is_file()} == mtimes
        assert output_bytes(root / "one") == one


# --------------------------------------------------------------------------- markdown shortcuts

# Plain prose skips the parser (markdown._plain_html) and note bodies reuse their block render for the
# margin note (markdown.render_note_body): both must give exactly what the parser gives, for prose
# and for everything near it (markup characters, block starts, odd whitespace, entities).
_NEAR_PROSE = "#>+-*_=~`<[]|\\&{}!\"'():;.,?/0123456789 \t\n\r\x0b\x0c\x00\x1f\x7f\x85\xa0\u2003\u2028\u2029\ufeff\u3000é中😀"
_WORD = st.text(alphabet="abcxyzABC", min_size=1, max_size=6)
_CHUNK = st.one_of(
    _WORD, _WORD, _WORD, st.text(alphabet=_NEAR_PROSE, min_size=1, max_size=2), st.sampled_from(list("*_`~[]<&|\\")),
    st.sampled_from(["1. ", "1) ", "- ", "* ", "# ", "> ", "==", "--", "```", "    ", "  ", "\n", "\n\n",
                     " \n", "&amp;", "&#65;", "http://x.y", "see <http://x.y> now", "[a]: /b", "<b>", "a|b", "|---|", "[x]{.fact #n}"]),
)
_PROSE = st.one_of(
    st.lists(_CHUNK, max_size=25).map("".join),
    st.lists(st.lists(_CHUNK, min_size=1, max_size=8).map("".join), min_size=1, max_size=4).map("\n\n".join),
    st.lists(st.lists(_WORD, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=4).map(
        lambda ps: "\n\n".join(ps) + "\n"),
)


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PROSE, st.booleans())
def test_markdown_shortcuts_render_what_the_parser_renders(text: str, user_content: bool) -> None:
    block = TextBlock(text, 1)
    assert render_block(MD, block, user_content=user_content).html == MD.render(text, {"gloss_ugc": user_content})
    inline = " ".join(render_inline(MD, p) for p in text.split("\n\n") if p.strip())
    assert render_note_body(MD, block) == (MD.render(text, {"gloss_ugc": False}), inline)
