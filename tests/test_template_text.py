"""Every word a built-in template shows goes through gettext (``_()``/``ngettext()``).

The templates are read through Jinja's own parser: their literal HTML text and the labelling
attributes in it (``title``, ``aria-label``…) must hold no letters, and a string constant the
template prints (``{{ "Reader" }}``, ``{{ "reply" if n == 1 }}``) or hands to a macro that prints it
(``filter_link(…, 'All', …)``) must not be words either. Punctuation, symbols (``·``, ``→``, ``✓``)
and entities are fine: they read the same in every language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

from generator.render.renderer import make_environment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
GETTEXT = {"_", "gettext", "ngettext"}
LABELS = {"title", "aria-label", "alt", "placeholder", "data-label", "data-showing"}
"""Attributes whose value a reader sees or hears."""
DATA = {"summary_large_image", "summary"}
"""Printed constants that are values for machines, not words (``twitter:card``)."""
_LETTER = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[A-Z][a-z]+|[^\W\d_]+\s+[^\W\d_]+")
"""A constant that reads as words: capitalised, or two words (``'kind'``, ``'claims/'`` are names)."""
ATTRIBUTE_BLOCKS = {"csp_style", "csp_script", "main_class"}
"""Blocks that fill an attribute of base.html with names (CSP sources, class names), not text."""
HOLE = "\x00"
"""Stands for whatever an expression prints, between two pieces of literal text."""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [f"{tag}[{name}]: {value!r}" for name, value in attrs
                       if name in LABELS and value and _LETTER.search(value.replace(HOLE, ""))]

    def handle_data(self, data: str) -> None:
        if _LETTER.search(data.replace(HOLE, "")):
            self.found.append(f"text: {data.strip()!r}")


def _pieces(node: nodes.Node) -> Iterator[str]:
    """The template's literal text in source order, each printed expression as :data:`HOLE`."""
    if isinstance(node, nodes.TemplateData):
        yield node.data
        return
    if isinstance(node, nodes.Block) and node.name in ATTRIBUTE_BLOCKS:
        return
    if isinstance(node, nodes.Output):
        for child in node.nodes:
            yield from _pieces(child) if isinstance(child, nodes.TemplateData) else HOLE
        return
    for child in node.iter_child_nodes():
        yield from _pieces(child)


def _printed_constants(node: nodes.Node, printed: bool = False) -> Iterator[tuple[int, str, bool]]:
    """String constants outside gettext calls: (line, value, printed directly)."""
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in GETTEXT:
        return
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        yield node.lineno, node.value, printed
        return
    if isinstance(node, (nodes.Compare, nodes.Test, nodes.Getitem, nodes.Getattr, nodes.Filter)):
        printed_here = False  # operands of a test or a lookup are names, not text
    elif isinstance(node, nodes.Output):
        printed_here = True
    elif isinstance(node, (nodes.CondExpr, nodes.Concat)):
        printed_here = printed
    else:
        printed_here = False
    if isinstance(node, nodes.CondExpr):
        assert node.test is not None
        yield from _printed_constants(node.test, False)
        yield from _printed_constants(node.expr1, printed_here)
        if node.expr2 is not None:
            yield from _printed_constants(node.expr2, printed_here)
        return
    for child in node.iter_child_nodes():
        yield from _printed_constants(child, printed_here)


def untranslated(source: str, env: jinja2.Environment) -> list[str]:
    """Where a template's source shows words outside gettext."""
    tree = env.parse(source)
    parser = _Text()
    parser.feed("".join(_pieces(tree)))
    parser.close()
    found = parser.found
    for line, value, printed in _printed_constants(tree):
        if value in DATA:
            continue
        if (printed and _LETTER.search(value)) or _WORDS.search(value):
            found.append(f"line {line}: constant {value!r}")
    return found


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_no_template_shows_a_word_outside_gettext(name: str) -> None:
    env = make_environment([TEMPLATES])
    assert untranslated((TEMPLATES / name).read_text(encoding="utf-8"), env) == []


@pytest.mark.parametrize("source", [
    "<p>Close</p>",
    '<span title="Name inferred: {{ reason }}">x</span>',
    '<ul aria-label="Sources">{{ x }}</ul>',
    '{{ c.author or "Reader" }}',
    '{{ "reply" if n == 1 else "replies" }}',
    "{{ link('claims/', 'All', total) }}",
    "{% if x %}<p>No notes{% endif %}",
    "<p>{{ n }} notes</p>",
])
def test_the_check_finds_english_outside_gettext(source: str) -> None:
    assert untranslated(source, make_environment([TEMPLATES]))


@pytest.mark.parametrize("source", [
    '<p>{{ _("Close") }} · <a href="#x">{{ ngettext("%(num)d note", "%(num)d notes", n) }}</a></p>',
    '<ul aria-label="{{ _("Sources") }}" class="note-sources">{{ x | join(", ") }}</ul>',
    "{{ link('claims/', 'kind', _('All')) }} &amp; → ✓ (…)",
    '{% if x.kind == "article" %}{{ "; " if not loop.last }}{% endif %}',
])
def test_the_check_allows_translated_text_names_and_symbols(source: str) -> None:
    assert untranslated(source, make_environment([TEMPLATES])) == []
