"""Build, template side: does a template read the site's listing? Read from Jinja's syntax tree.

Templates get ``site``: ``site.config`` (settings) and the listing (``site.articles``,
``site.tags``). A template that reads only ``site.config`` renders an article page from that
article alone; one that reads anything else of ``site`` may list other articles on every page,
so every page must be rendered again whenever the listing changes (``theme.uses_listing``).

The answer comes from the template's syntax tree (``Environment.parse``), not its text: ``site``
in a string, a comment or a ``{% raw %}`` block is not a read, and ``site.config`` /
``site["config"]`` is told apart from every other use of the name by the node it sits in. Any
other use of ``site`` — passed to a filter or macro, assigned to another name, ``site.articles`` —
counts as a read of the listing: possibly more work than needed, never a stale page. A template
that does not parse counts too; rendering it reports the error at its line.
"""

from __future__ import annotations

import jinja2
from jinja2 import nodes

SITE = "site"
"""The template variable holding the site model."""
SETTINGS = "config"
"""The part of ``site`` that is not the listing."""


def _is_settings(node: nodes.Node) -> bool:
    """``site.config`` or ``site["config"]``."""
    if isinstance(node, nodes.Getattr):
        return isinstance(node.node, nodes.Name) and node.node.name == SITE and node.attr == SETTINGS
    if isinstance(node, nodes.Getitem):
        return (isinstance(node.node, nodes.Name) and node.node.name == SITE
                and isinstance(node.arg, nodes.Const) and node.arg.value == SETTINGS)
    return False


def _reads(node: nodes.Node) -> bool:
    if _is_settings(node):
        return False  # nothing below site.config is the listing
    if isinstance(node, nodes.Name) and node.name == SITE and node.ctx == "load":
        return True
    return any(_reads(child) for child in node.iter_child_nodes())


def reads_listing(env: jinja2.Environment, source: str, name: str | None = None) -> bool:
    """True when the template ``source`` may read ``site`` for more than ``site.config``."""
    try:
        tree = env.parse(source, name)
    except jinja2.TemplateSyntaxError:
        return True
    return _reads(tree)
