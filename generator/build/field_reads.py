"""Build, template side: which fields of the article summaries a template reads, from its syntax tree.

A listing page is rendered from :class:`~generator.site.site_model.ArticleSummary` objects; its key
covers the digests of the summary fields its template reads (``keys.py``), so an edit to a field no
template of the page reads leaves the page alone. This module finds those fields in one template's
syntax tree (``template_reads.analyse`` calls it; the fields of the templates a page uses are added up
by ``keys.py``).

Jinja has no types, so values are followed by where they come from. A value is a *carrier* (it may be
a summary, or hold summaries: the list of articles, a tag, an index or claims page, a claim entry)
when it is a name the renderer passes that may hold summaries (any name the template does not bind,
except the known helpers of :data:`LEAF_NAMES`), an attribute of the listing model that holds them
(:data:`CARRIERS`), an element of a carrier, or a name bound to one (``for``, ``set``, ``with``). An
attribute read on a carrier is a field read (``item.comment_count``; ``item.article.title`` reads
``article.title``); a computed property reads what ``site_model.DERIVED_READS`` says.

Every doubt reads more: a carrier passed whole to a filter, a test, a macro or any other call,
printed, compared, concatenated or indexed by a name known only at render time reads every field
(the article's own fields, for ``item.article`` so used). Counting (``| length``), truthiness,
``is none`` / ``is defined`` and the filters that only pick elements (``| first``…) read none.
Macro parameters are not carriers: a call that passes one a carrier already reads every field.
"""

from __future__ import annotations

import jinja2
import jinja2.meta
from jinja2 import nodes

from ..site.site_model import DERIVED_READS, SUMMARY_FIELDS

LEAF, INFO, CARRIER = 0, 1, 2
"""What a value may be: nothing of a summary; a summary's ``article`` (``ArticleInfo``); a summary or
something holding summaries."""

ARTICLE = "article"
"""The summary field holding the content file's listing fields (``ArticleInfo``)."""
TOP_FIELDS = frozenset(name for name in SUMMARY_FIELDS if "." not in name)
INFO_FIELDS = frozenset(name.split(".", 1)[1] for name in SUMMARY_FIELDS if name.startswith(ARTICLE + "."))
CARRIERS = frozenset({"articles", "tags", "entries", "page", "previtem", "nextitem"})
"""Attributes of the listing model that are or hold summaries: ``Site.articles``, ``Site.tags``,
``Tag.articles``, ``IndexPage.articles``, ``ClaimsPage.entries``, ``ClaimEntry.page``
(``tests/test_template_reads.py`` checks the model against this list); and the elements next to
the current one of a ``for`` loop over them (``loop.previtem``)."""
LEAF_NAMES = frozenset({
    "url", "asset", "absolute", "page_path", "page_folder", "search", "with_notes", "inline_asset", "csp_hash",
    "kinds", "verdicts", "total", "html_paths", "text_direction", "_", "gettext", "ngettext", "pgettext",
    "npgettext", "self", "caller", "varargs", "kwargs", "super", "range", "dict", "lipsum", "cycler",
    "joiner", "namespace", "true", "false", "none", "True", "False", "None",
})
"""Names the renderer or Jinja passes every template that hold no summary (helpers, the claims
filters and count, the sitemap's paths). Any other name a template does not bind may hold one; a
template that binds one of these names to a summary (an included template would take it for a
helper) reads every field."""
COUNTING = frozenset({"length", "count"})
"""Filters that read no field of the elements they count."""
PICKING = frozenset({"first", "last", "list", "reverse", "batch", "slice"})
"""Filters that only pick or group elements: the result is what the elements are."""
QUIET_TESTS = frozenset({"none", "defined", "undefined"})
"""Tests that read nothing of the value."""
LOOP = "loop"
"""The name of a ``for`` loop's helper (``loop.index``, ``loop.previtem``)."""


class FieldReads:
    """Walks one template's tree, noting the summary fields it reads (``fields``: None for every one)."""

    def __init__(self, free: frozenset[str]) -> None:
        self.fields: set[str] | None = set()
        self.free = free
        """The names the template uses without binding them (somewhere: names are not told apart by scope)."""
        self.bound: dict[str, int] = {}
        """What each name the template binds may be (the most of all its bindings)."""

    def read(self, *names: str) -> None:
        if self.fields is not None:
            self.fields.update(names)

    def read_all(self, kind: int) -> None:
        """A value of ``kind`` used whole: a carrier reads every field, an article every article field."""
        if kind == CARRIER:
            self.fields = None
        elif kind == INFO:
            self.read(*(f"{ARTICLE}.{name}" for name in INFO_FIELDS))

    def run(self, tree: nodes.Template) -> tuple[str, ...] | None:
        """The fields ``tree`` reads, sorted; None: any."""
        while True:  # a name may be bound after it is used: walk until what the names hold settles
            before = dict(self.bound)
            self.fields = set()
            self.stmt(tree)
            if self.bound == before:
                return None if self.fields is None else tuple(sorted(self.fields))

    def bind(self, target: nodes.Node, kind: int) -> None:
        if isinstance(target, nodes.Name):
            self.bound[target.name] = max(kind, self.bound.get(target.name, LEAF))
            if target.name in LEAF_NAMES:
                self.read_all(kind)
        elif isinstance(target, (nodes.Tuple, nodes.List)):
            for item in target.items:
                self.bind(item, kind)
        else:  # ns.attr = value: not followed
            self.read_all(kind)

    def attribute(self, base: int, name: str) -> int:
        """``base.name``: note the field read, and what the result may be."""
        if base == CARRIER:
            if name in TOP_FIELDS:
                self.read(name)
            if name in DERIVED_READS:
                self.read(*DERIVED_READS[name])
            if name.startswith("_"):
                self.read_all(CARRIER)  # a dunder reads who knows what
            return INFO if name == ARTICLE else CARRIER if name in CARRIERS else LEAF
        if base == INFO:
            if name in INFO_FIELDS:
                self.read(f"{ARTICLE}.{name}")
            elif name.startswith("_"):
                self.read_all(INFO)
        return LEAF

    def use(self, node: nodes.Node | None) -> None:
        """An expression whose value is used whole."""
        if node is not None:
            self.read_all(self.expr(node))

    def expr(self, node: nodes.Node) -> int:
        """What the expression ``node`` may be, noting what it reads on the way."""
        if isinstance(node, nodes.Name):
            if node.ctx != "load":
                return LEAF
            free = node.name in self.free and node.name not in LEAF_NAMES
            return max(self.bound.get(node.name, LEAF), CARRIER if free else LEAF)
        if isinstance(node, nodes.Getattr):
            return self.attribute(self.expr(node.node), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node)
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                return self.attribute(base, arg.value)
            if isinstance(arg, nodes.Slice) or (isinstance(arg, nodes.Const) and isinstance(arg.value, int)):
                for part in arg.iter_child_nodes():
                    self.use(part)
                return base  # an element or a part of a list of carriers
            self.use(arg)
            self.read_all(base)  # x[name]: any attribute
            return base
        if isinstance(node, nodes.Filter):
            base = self.expr(node.node) if node.node is not None else LEAF
            self._arguments(node)
            if node.name in COUNTING:
                return LEAF
            if node.name in PICKING:
                return base
            self.read_all(base)
            return LEAF
        if isinstance(node, nodes.Test):
            base = self.expr(node.node)
            self._arguments(node)
            if node.name not in QUIET_TESTS:
                self.read_all(base)
            return LEAF
        if isinstance(node, nodes.Call):
            self.expr(node.node)  # the callee: a helper, a macro, a method of a field's value
            self._arguments(node)
            return LEAF
        if isinstance(node, nodes.CondExpr):
            self.expr(node.test)  # truthiness reads no field
            return max(self.expr(node.expr1), self.expr(node.expr2) if node.expr2 is not None else LEAF)
        if isinstance(node, (nodes.And, nodes.Or)):
            return max(self.expr(node.left), self.expr(node.right))  # the value of one of them
        if isinstance(node, nodes.Not):
            self.expr(node.node)
            return LEAF
        if isinstance(node, (nodes.Tuple, nodes.List)):
            return max((self.expr(item) for item in node.items), default=LEAF)
        if isinstance(node, nodes.Dict):  # read back by any key name: not followed
            for pair in node.items:
                self.use(pair.key)
                self.use(pair.value)
            return LEAF
        for child in node.iter_child_nodes():  # compared, concatenated, computed with, marked safe…
            self.use(child)
        return LEAF

    def _arguments(self, node: nodes.Filter | nodes.Test | nodes.Call) -> None:
        for arg in node.args:
            self.use(arg)
        for keyword in node.kwargs:
            self.use(keyword.value)
        self.use(node.dyn_args)
        self.use(node.dyn_kwargs)

    def stmt(self, node: nodes.Node) -> None:
        """A statement (or the template): bindings, truthiness tests, and everything else used whole."""
        if isinstance(node, nodes.For):
            kind = self.expr(node.iter)
            self.bind(node.target, kind)
            self.bound[LOOP] = max(kind, self.bound.get(LOOP, LEAF))  # loop.previtem, loop.nextitem
            if node.test is not None:
                self.expr(node.test)
            self.stmts(node.body + node.else_)
        elif isinstance(node, nodes.If):
            self.expr(node.test)
            self.stmts(node.body + node.elif_ + node.else_)
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.expr(node.node))
        elif isinstance(node, nodes.With):
            for target, value in zip(node.targets, node.values):
                self.bind(target, self.expr(value))
            self.stmts(node.body)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            if isinstance(node, nodes.CallBlock):
                self.expr(node.call)
            for arg in node.args:
                self.bind(arg, LEAF)  # a call that passes a carrier reads every field (see above)
            for default in node.defaults:
                self.use(default)
            self.stmts(node.body)
        elif isinstance(node, nodes.AssignBlock):
            self.bind(node.target, LEAF)  # the text the block renders
            self.use(node.filter)
            self.stmts(node.body)
        elif isinstance(node, nodes.Expr):
            self.use(node)
        else:  # output, blocks, includes, set blocks…: their expressions are used whole
            for child in node.iter_child_nodes():
                self.stmt(child)

    def stmts(self, body: list[nodes.Node]) -> None:
        for node in body:
            self.stmt(node)


def field_reads(tree: nodes.Template) -> tuple[str, ...] | None:
    """The summary fields the template ``tree`` reads of the articles it is given, sorted; None: any."""
    try:
        free = frozenset(jinja2.meta.find_undeclared_variables(tree))
    except jinja2.TemplateError:  # an unknown filter or test, say: rendering reports it
        return None
    return FieldReads(free).run(tree)
