"""The quick scheme check in front of linkify-it (``common/links.py``) changes no output.

linkify-it's own pretest answers yes to any "@", "www." or ".com" and costs a large Unicode
pattern per paragraph; Gloss links only addresses written with a scheme, so its pretest looks
for a scheme and nothing else. Here: texts without a scheme are refused by the quick pretest
(the speed-up), and on any text the configured linkify and the Markdown parser give exactly
what linkify-it configured the same way but without the quick checks gives.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from linkify_it import LinkifyIt  # type: ignore[import-untyped]

from generator.common.links import LINKIFY_OPTIONS, bare_urls, configure
from generator.content.markdown import make_parser

MD = make_parser()


def plain_linkify() -> Any:
    """linkify-it with Gloss's options and schemes, its own pretest and test."""
    linkify = LinkifyIt()
    linkify.set(LINKIFY_OPTIONS)
    for schema in ("//", "ftp:"):
        linkify.add(schema, None)
    return linkify


def reference_parser() -> Any:
    md = make_parser()
    md.linkify = plain_linkify()
    return md


REF_MD = reference_parser()


def test_text_without_a_scheme_fails_the_quick_pretest() -> None:
    text = "mail me@example.org or see www.example.com and node.js"
    assert plain_linkify().pretest(text)  # linkify-it's own: a false alarm (fuzzy links are off)
    assert not configure(LinkifyIt()).pretest(text)
    assert configure(LinkifyIt()).pretest("see HTTPS://example.org")
    assert bare_urls(text) == []


PIECES = st.sampled_from([
    "see ", "https://example.org/a_b", "HTTP://x.y", "mailto:me@example.org", "me@example.org",
    "www.example.com", "ftp://files.example", "//host.example/p", "node.js", " and ", "\n\n",
    "[link](https://example.com)", "<https://auto.example>", "*", "_", "`code https://c.example`",
    ":", "http:", "https//no", "(", ")", ".", "é", "readme.md",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_same_links_as_linkify_it_alone(text: str) -> None:
    ours, ref = configure(LinkifyIt()), plain_linkify()
    assert bool(ours.test(text)) == bool(ref.test(text))
    spans = lambda l: [(m.index, m.last_index, m.url) for m in l.match(text) or ()]  # noqa: E731
    assert spans(ours) == spans(ref)
    assert MD.render(text) == REF_MD.render(text)
