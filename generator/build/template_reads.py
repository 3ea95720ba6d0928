"""Build, template side: what a template reads, from Jinja's syntax tree.

Templates get ``site``: ``site.config`` (settings) and the listing (``site.articles``,
``site.tags``). An output's key covers what its templates read (``keys.py``), so this module says,
for one template: does it read the listing, which settings (``site.config.<field>``) does it read,
which other templates does it extend, include or import, and which fields of the article summaries
it is given does it read (``field_reads.py``).

The answers come from the template's syntax tree (``Environment.parse``, ``jinja2.meta``), not its
text: ``site`` in a string, a comment or a ``{% raw %}`` block is not a read, and ``site.config`` /
``site["config"]`` is told apart from every other use of the name by the node it sits in. Every
doubt is answered "reads more": ``site`` passed to a filter or macro or assigned to another name
reads the listing and every setting; ``site.config`` passed whole (``page | json_ld(site.config)``)
reads every setting; an include whose name is computed at render time may include any template;
a template that does not parse reads everything (rendering it reports the error at its line).
Possibly more work than needed, never a stale page.
"""

from __future__ import annotations

import jinja2
import jinja2.meta
from jinja2 import nodes

from .field_reads import field_reads
from .keys import TemplateReads

SITE = "site"
"""The template variable holding the site model."""
SETTINGS = "config"
"""The part of ``site`` that is not the listing."""

EVERYTHING = TemplateReads("", listing=True, settings=None, templates=None, fields=None)
"""What a template that does not parse may read (its digest is filled in by :func:`analyse`)."""


def _const_key(node: nodes.Node) -> str | None:
    """The name in ``x.name`` or ``x["name"]``, else None."""
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def _is_site(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.name == SITE and node.ctx == "load"


def _is_settings(node: nodes.Node) -> bool:
    """``site.config`` or ``site["config"]``."""
    return isinstance(node, (nodes.Getattr, nodes.Getitem)) and _is_site(node.node) and _const_key(node) == SETTINGS


class _Visitor:
    """Walks a tree once, noting the listing read and the settings read."""

    def __init__(self) -> None:
        self.listing = False
        self.settings: set[str] | None = set()

    def visit(self, node: nodes.Node) -> None:
        if isinstance(node, (nodes.Getattr, nodes.Getitem)) and _is_settings(node.node):
            field = _const_key(node)
            if field is None:
                self.settings = None  # site.config[name]: a name known only at render time
            elif self.settings is not None:
                self.settings.add(field)  # site.config.<field>: that setting alone
            if isinstance(node, nodes.Getitem):
                self.visit(node.arg)
            return
        if _is_settings(node):
            self.settings = None  # site.config passed whole: any setting
            return
        if _is_site(node):
            self.listing, self.settings = True, None  # site passed whole: the listing and any setting
            return
        for child in node.iter_child_nodes():
            self.visit(child)


def analyse(env: jinja2.Environment, source: str, name: str | None = None, digest: str = "") -> TemplateReads:
    """What the template ``source`` reads; ``digest`` identifies its bytes in keys."""
    try:
        tree = env.parse(source, name)
    except jinja2.TemplateSyntaxError:
        return TemplateReads(digest, EVERYTHING.listing, EVERYTHING.settings, EVERYTHING.templates, None)
    visitor = _Visitor()
    visitor.visit(tree)
    referenced = list(jinja2.meta.find_referenced_templates(tree))
    templates = None if any(ref is None for ref in referenced) else tuple(sorted({r for r in referenced if r}))
    settings = None if visitor.settings is None else tuple(sorted(visitor.settings))
    return TemplateReads(digest, visitor.listing, settings, templates, field_reads(tree))


def reads_listing(env: jinja2.Environment, source: str, name: str | None = None) -> bool:
    """True when the template ``source`` may read ``site`` for more than ``site.config``."""
    return analyse(env, source, name).listing
