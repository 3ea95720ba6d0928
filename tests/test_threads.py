"""The discussion as it really happened: reply trees (``generator.site.threads``) and how they render.

* ``build_threads`` on hand-made comment lists: nesting in source order, reply counts, links that
  name no earlier comment, depths that would overflow a recursive builder or Jinja's macro stack.
* The seed dump (``tests/fixtures/seed.txt``) imported as ``gloss import`` does it: exactly the
  reply links a careful reader finds, with their bases, as ``gloss dump`` reports them.
* The rendered discussion of the ``deep-thread`` fixture site (one twelve-comment chain) and of a
  200-deep chain: nested ``<article>``s, permalinks, ``<time datetime>``, "Reader", "replying
  to" links, the inferred marker's accessible reason, collapsible branches, user-content links.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.content.parse import parse_article
from generator.dump import dump_data
from generator.common.errors import GlossError, GlossErrors, flatten
from generator.importing.importer import import_raw
from generator.content.markdown import make_parser
from generator.content.model import Comment, Position, TextBlock
from generator.site.article_page import article_page
from generator.site.threads import BASIS_EXPLANATIONS, INDENT_DEPTH, NESTING_DEPTH, Thread, build_threads, in_page_order

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
DEEP_SITE = FIXTURES / "sites" / "deep-thread"


def comment(n: int, reply_to: int | str | None = None, *, basis: str | None = None,
            author: str | None = None) -> Comment:
    target = f"c{reply_to}" if isinstance(reply_to, int) else reply_to
    return Comment(
        id=f"c{n}", date=f"2025-01-01T{n % 24:02d}:00", author=author, reply_to=target,
        reply_basis=basis if target else None, body=TextBlock(f"Comment {n}.", 1), position=Position(n, 1),
    )


def threads_of(comments: list[Comment]) -> tuple[Thread, ...]:
    return build_threads(comments, {c.id: f"<p>{c.id}</p>" for c in comments})


def shape(threads: tuple[Thread, ...]) -> list[object]:
    """``[("c1", [("c2", [])]), ...]``: the tree as plain data, for readable assertions."""
    return [(t.comment.id, shape(t.replies)) for t in threads]


def walk(threads: tuple[Thread, ...]) -> dict[str, Thread]:
    return {thread.comment.id: thread for thread in in_page_order(threads)}


# --------------------------------------------------------------------------- build_threads


def test_replies_nest_under_their_parent_in_source_order() -> None:
    comments = [comment(1), comment(2, 1), comment(3), comment(4, 1), comment(5, 2), comment(6, 3), comment(7, 2)]
    threads = threads_of(comments)
    assert shape(threads) == [
        ("c1", [("c2", [("c5", []), ("c7", [])]), ("c4", [])]),
        ("c3", [("c6", [])]),
    ]
    by_id = walk(threads)
    assert {i: t.depth for i, t in by_id.items()} == {"c1": 0, "c2": 1, "c3": 0, "c4": 1, "c5": 2, "c6": 1, "c7": 2}
    assert by_id["c5"].parent == comments[1]
    assert by_id["c1"].parent is None
    assert by_id["c5"].body_html == "<p>c5</p>"


def test_page_order_is_each_comment_then_its_replies() -> None:
    comments = [comment(1), comment(2, 1), comment(3), comment(4, 1), comment(5, 2), comment(6, 3), comment(7, 2)]
    assert [t.comment.id for t in in_page_order(threads_of(comments))] == ["c1", "c2", "c5", "c7", "c4", "c3", "c6"]
    # Below the nesting depth the page shows a branch flat under its anchor: the walk follows the page.
    chain = [comment(1)] + [comment(n, n - 1) for n in range(2, 41)]
    assert [t.comment.id for t in in_page_order(threads_of(chain))] == [f"c{n}" for n in range(1, 41)]
    assert list(in_page_order(())) == []


def test_reply_count_counts_every_descendant() -> None:
    comments = [comment(1), comment(2, 1), comment(3, 2), comment(4, 3), comment(5, 1), comment(6), comment(7, 2)]
    by_id = walk(threads_of(comments))
    assert {i: t.reply_count for i, t in by_id.items()} == {
        "c1": 5, "c2": 3, "c3": 1, "c4": 0, "c5": 0, "c6": 0, "c7": 0,
    }


@pytest.mark.parametrize("reply_to", [None, "c99", "c2", "c3"], ids=["none", "unknown", "self", "later"])
def test_a_link_to_no_earlier_comment_leaves_the_comment_at_the_top(reply_to: str | None) -> None:
    # The content stage reports such links; the tree must still show every comment once.
    comments = [comment(1), comment(2, reply_to, basis="vocative"), comment(3, 1)]
    threads = threads_of(comments)
    assert shape(threads) == [("c1", [("c3", [])]), ("c2", [])]
    assert threads[1].parent is None
    assert threads[1].inferred_reason is None


def test_no_comments_no_threads() -> None:
    assert threads_of([]) == ()


def test_a_200_deep_chain_needs_no_recursion_and_nests_only_so_deep() -> None:
    comments = [comment(1)] + [comment(n, n - 1) for n in range(2, 201)]
    threads = threads_of(comments)
    by_id = walk(threads)
    assert len(by_id) == 200
    assert by_id["c1"].reply_count == 199
    anchor = by_id[f"c{NESTING_DEPTH + 1}"]  # depth NESTING_DEPTH: the deepest rendered level
    assert anchor.depth == NESTING_DEPTH
    # Everything deeper is shown flat under it, in source order, each keeping its real parent and depth.
    assert [t.comment.id for t in anchor.replies] == [f"c{n}" for n in range(NESTING_DEPTH + 2, 201)]
    assert all(t.replies == () for t in anchor.replies)
    assert by_id["c200"].depth == 199
    assert by_id["c200"].parent == comments[198]
    assert by_id["c150"].reply_count == 50
    assert not by_id[f"c{INDENT_DEPTH + 1}"].flat
    assert by_id[f"c{INDENT_DEPTH + 2}"].flat


def test_flattening_keeps_branches_below_the_nesting_depth_in_source_order() -> None:
    chain = [comment(1)] + [comment(n, n - 1) for n in range(2, NESTING_DEPTH + 2)]
    deepest = NESTING_DEPTH + 1  # c13 sits at depth NESTING_DEPTH
    extra = [comment(100, deepest), comment(101, 100), comment(102, deepest), comment(103, 101)]
    by_id = walk(threads_of(chain + extra))
    assert [t.comment.id for t in by_id[f"c{deepest}"].replies] == ["c100", "c101", "c102", "c103"]
    assert by_id["c100"].reply_count == 2
    assert by_id["c101"].parent == extra[0]


def test_inferred_reason_for_every_inferred_basis_and_none_when_confirmed() -> None:
    comments = [comment(1)] + [comment(i + 2, 1, basis=b) for i, b in enumerate(BASIS_EXPLANATIONS)]
    comments += [comment(10, 1, basis="editor"), comment(11, 1, basis=None)]
    by_id = walk(threads_of(comments))
    assert [by_id[f"c{i + 2}"].inferred_reason for i in range(len(BASIS_EXPLANATIONS))] == list(
        BASIS_EXPLANATIONS.values()
    )
    assert by_id["c10"].inferred_reason is None
    assert by_id["c11"].inferred_reason is None  # a hand-written reply_to without a basis is the editor's own


def test_every_basis_but_editor_has_an_explanation() -> None:
    from generator.content.model import REPLY_BASES

    assert set(BASIS_EXPLANATIONS) == set(REPLY_BASES) - {"editor"}


# --------------------------------------------------------------------------- the content stage


CONTENT = """---
title: "Replies"
comments:
  - id: "c1"
    date: "2025-01-01T10:00"
    reply_to: "c2"
    body: "First."
  - id: "c2"
    date: "2025-01-01T11:00"
    reply_to: "c1"
    body: "Second."
---
Body.
"""


def test_a_reply_to_a_later_comment_is_an_error_at_its_line() -> None:
    with pytest.raises((GlossError, GlossErrors)) as info:
        parse_article(CONTENT, "content/replies.md", "replies")
    assert isinstance(info.value, (GlossError, GlossErrors))
    errors = flatten(info.value)
    assert [(e.location.line, e.message) for e in errors] == [
        (6, 'comment "c1" replies to "c2", which is not an earlier comment')
    ]


# --------------------------------------------------------------------------- the seed discussion


@pytest.fixture(scope="module")
def seed_dump() -> dict[str, dict[str, object]]:
    imported = import_raw((FIXTURES / "seed.txt").read_bytes(), "seed.txt", slug="seed")
    page = article_page(make_parser(), parse_article(imported.text, "content/seed.md", imported.slug))
    comments = dump_data(page)["comments"]
    return {c["id"]: c for c in comments}


@pytest.mark.parametrize(("reply", "parent", "basis"), [("c7", "c2", "mention"), ("c12", "c11", "vocative")])
def test_seed_replies_are_found_with_their_basis(seed_dump: dict[str, dict[str, object]], reply: str,
                                                 parent: str, basis: str) -> None:
    assert (seed_dump[reply]["reply_to"], seed_dump[reply]["reply_basis"]) == (parent, basis)


# c4 "Alas, dear Gift, you paint …" shares no word with c3 above it: position alone links nothing.
@pytest.mark.parametrize("cid", ["c1", "c2", "c3", "c4", "c5", "c8", "c9"])
def test_seed_top_level_comments_stay_top_level(seed_dump: dict[str, dict[str, object]], cid: str) -> None:
    assert (seed_dump[cid]["reply_to"], seed_dump[cid]["reply_basis"]) == (None, None)


def test_seed_authors_come_from_the_replies_that_name_them(seed_dump: dict[str, dict[str, object]]) -> None:
    # c7 "While Kimberly waxes lyrical…" names c2's author, c12 "Indeed, SAI" c11's; c4 "Alas, dear
    # Gift" names no one, as nothing in it says which comment is Gift's.
    assert {i: c["author"] for i, c in seed_dump.items() if c["author"]} == {"c2": "Kimberly", "c11": "SAI"}


# --------------------------------------------------------------------------- rendered HTML


class Outline(HTMLParser):
    """Records each comment ``<article>`` with its enclosing comments, and elements by id."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str | None]] = []  # (tag, comment id) for every open element
        self.ancestors: dict[str, list[str]] = {}
        self.attrs: dict[str, dict[str, str | None]] = {}
        self.text: dict[str, str] = {}  # comment id -> its own text, replies excluded
        self.replies_open: dict[str, bool] = {}
        self.summaries: dict[str, str] = {}
        self.links: list[tuple[str | None, dict[str, str | None]]] = []  # (comment id, attrs) of <a> in comments
        self._summary: str | None = None

    def current(self) -> str | None:
        return next((cid for tag, cid in reversed(self.open) if cid), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.attrs[str(values["id"])] = values
        cid: str | None = None
        if tag == "article" and "comment" in (values.get("class") or "").split():
            cid = str(values["id"])
            self.ancestors[cid] = [c for _, c in self.open if c]
            self.text[cid] = ""
        if tag == "details" and self.current():
            self.replies_open[str(self.current())] = "open" in values
        if tag == "summary":
            self._summary = self.current()
            self.summaries[str(self._summary)] = ""
        if tag == "a" and self.current():
            self.links.append((self.current(), values))
        if tag not in ("br", "img", "input", "meta", "link", "hr", "wbr", "source"):
            self.open.append((tag, cid))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop()[0] == tag:
                break
        if tag == "summary":
            self._summary = None

    def handle_data(self, data: str) -> None:
        if self._summary:
            self.summaries[self._summary] += data
        elif self.current() and not any(t == "summary" for t, _ in self.open):
            self.text[str(self.current())] += data


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def deep_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    output = tmp_path_factory.mktemp("deep") / "output"
    build(BuildOptions(root=DEEP_SITE, content=DEEP_SITE / "content", output=output))
    return (output / "articles" / "tram-line" / "index.html").read_text(encoding="utf-8")


def test_deep_thread_renders_one_nested_article_per_comment(deep_html: str) -> None:
    page = outline(deep_html)
    assert list(page.ancestors) == [f"c{n}" for n in range(1, 13)]
    # The one tree walk (JSON-LD, images, export) visits comments in the order the page shows them.
    content = DEEP_SITE / "content" / "tram-line.md"
    parsed = article_page(make_parser(), parse_article(content.read_text(encoding="utf-8"), str(content), "tram-line"))
    assert [t.comment.id for t in in_page_order(parsed.threads)] == list(page.ancestors)
    for n in range(1, 13):
        assert page.ancestors[f"c{n}"] == [f"c{k}" for k in range(1, n)]
        assert page.attrs[f"c{n}"]["aria-labelledby"] == f"c{n}-by c{n}-date"
    # Every branch is collapsible and open by default (so it shows without JavaScript and links into it work).
    assert page.replies_open == {f"c{n}": True for n in range(1, 12)}
    assert squash(page.summaries["c1"]) == "11 replies to Ines"
    assert squash(page.summaries["c2"]) == "10 replies to Reader, 3 May 2025, 10:14"
    assert squash(page.summaries["c11"]) == "1 reply to Tomasz"
    classes = {cid: (page.attrs[cid]["class"] or "").split() for cid in page.ancestors}
    assert [cid for cid, c in classes.items() if "comment-flat" in c] == [f"c{n}" for n in range(INDENT_DEPTH + 2, 13)]


def test_deep_thread_comment_headers(deep_html: str) -> None:
    page = outline(deep_html)
    assert '<time datetime="2025-05-03T10:14">3 May 2025, 10:14</time>' in deep_html
    assert squash(page.text["c2"]).startswith(
        "Reader 3 May 2025, 10:14 replying to Ines (inferred: it addresses that comment's author by name; "
        "not confirmed by an editor)"
    )
    # The parent's name, else "Reader, <date>"; an editor-confirmed link is not marked inferred.
    assert squash(page.text["c3"]).startswith("Ines 4 May 2025, 11:21 replying to Reader, 3 May 2025, 10:14 Which")
    permalinks = [a for cid, a in page.links if a.get("class") == "comment-permalink"]
    assert [a["href"] for a in permalinks] == [f"#c{n}" for n in range(1, 13)]
    reply_links = [(cid, a["href"]) for cid, a in page.links if cid and (a.get("href") or "").startswith("#c")
                   and a.get("class") != "comment-permalink"]
    assert reply_links == [(f"c{n}", f"#c{n - 1}") for n in range(2, 13)]
    # The reason is text (read by screen readers), not only a title attribute.
    assert deep_html.count('<span class="visually-hidden">: it quotes that comment; not confirmed by an editor</span>') == 2
    assert "replies marked <i>(inferred)</i>" in deep_html


def test_links_in_comments_are_marked_as_user_content(deep_html: str) -> None:
    page = outline(deep_html)
    rels = {a.get("href"): (cid, a.get("rel")) for cid, a in page.links if (a.get("href") or "").startswith("https")}
    committee = "https://example.org/committee/2025-04/minutes-of-the-transport-and-infrastructure-subcommittee"
    assert rels[committee] == ("c11", "nofollow ugc noopener")
    # The editor's note inside c12 cites a source: editor content, so it is not marked as user content.
    assert rels["https://example.org/regulator/report"] == ("c12", "noopener")


def test_margin_notes_inside_a_deep_comment_still_render(deep_html: str) -> None:
    body = deep_html[deep_html.index('id="c12"'):deep_html.index("</section>", deep_html.index('id="c12"'))]
    assert 'id="span-signoff"' in body
    assert 'class="margin-note note-claim"' in body or "margin-note" in body
    assert 'href="#note-signoff"' in deep_html


def test_a_200_deep_chain_builds_and_renders_every_comment(tmp_path: Path) -> None:
    lines = ["---", 'title: "Deep"', "comments:"]
    for n in range(1, 201):
        parent = "null" if n == 1 else f'"c{n - 1}"'
        lines += [f'  - id: "c{n}"', '    date: "2025-01-01T10:00"', f"    reply_to: {parent}",
                  '    reply_basis: "editor"' if n > 1 else "    reply_basis: null", f'    body: "Reply {n}."']
    lines += ["---", "Body.", ""]
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "deep.md").write_text("\n".join(lines), encoding="utf-8")
    build(BuildOptions(root=tmp_path, content=tmp_path / "content", output=tmp_path / "output"))
    page = outline((tmp_path / "output" / "articles" / "deep" / "index.html").read_text(encoding="utf-8"))
    assert list(page.ancestors) == [f"c{n}" for n in range(1, 201)]
    # Nesting stops at NESTING_DEPTH: c14 and every later comment sit inside c1..c13 only.
    assert page.ancestors["c200"] == [f"c{k}" for k in range(1, NESTING_DEPTH + 2)]
    assert max(len(a) for a in page.ancestors.values()) == NESTING_DEPTH + 1
    assert squash(page.text["c200"]).startswith("Reader 1 January 2025, 10:00 replying to Reader, 1 January")
    assert squash(page.summaries["c1"]) == "199 replies to Reader, 1 January 2025, 10:00"
    assert squash(page.summaries[f"c{NESTING_DEPTH + 1}"]).startswith(f"{200 - NESTING_DEPTH - 1} replies")
