"""Content stage helper: read YAML keeping where every value stands.

PyYAML's node tree carries the line and column of each node; we keep it so a
wrong type or unknown key is reported at its place in the user's file, not at
line 1 of the front matter. Values are built from the same nodes (one parse).
Problems are appended to a shared list, so one run reports all of them.

Untrusted YAML is checked before any value is built from it: aliases are
refused (a few hundred bytes of nested aliases expand to gigabytes, and
content files have no use for them), nesting is capped (building a deeply
nested value recurses), and no text may carry a control character written as
an escape (``"\\0"``, ``"\\e"``), which would break the feed's XML and
reach terminals raw.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from bisect import bisect_left
from collections.abc import Callable
from typing import Any, TypeVar

import yaml

from ..common.errors import GlossError, SourceLocation
from ..common.textfile import NOT_PRINTABLE
from .model import Position

try:  # The C loader is several times faster; fall back where libyaml is missing.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

T = TypeVar("T")

_STR_TAG = "tag:yaml.org,2002:str"

MAX_DEPTH = 32
"""Deepest nesting of lists and mappings a YAML text may have (a content file needs 5 levels)."""

_ALIAS_HINT = "Gloss does not expand YAML aliases: write the value out, or quote text that starts with *"

_HINTS = (
    ("mapping values are not allowed", 'put text that contains ": " in double quotes'),
    ("could not find expected ':'", "each line of a mapping is `key: value`; check the line above"),
    ("found undefined alias", 'an unquoted value cannot start with "*"; put it in double quotes'),
    ("while scanning a quoted scalar", "a quoted value is not closed; add the closing quote"),
    ("expected <block end>", "check the indentation: items of one list or mapping line up"),
    ("did not find expected key", "check the indentation: keys of one mapping line up"),
    ("did not find expected '-' indicator", "check the indentation: items of one list line up"),
    ("found unexpected end of stream", "the value is not finished; check quotes and brackets"),
)


class YamlDocument:
    """One YAML text, its node tree, and how to map its positions to the file."""

    def __init__(self, text: str, path: str, first_line: int, errors: list[GlossError]) -> None:
        self.path = path
        self.first_line = first_line
        self.errors = errors
        self.lines = text.split("\n")
        self.text = text
        self._breaks: list[int] | None = None
        self._loader = _Loader(text)
        self.root: yaml.Node | None = None
        try:
            self.root = self._loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            hint = next((h for key, h in _HINTS if key in str(exc)), "check the YAML syntax on this line")
            if exc.context == "while scanning a quoted scalar" and exc.context_mark:
                # The scanner fails where the file ends; the mistake is where the quote opened.
                mark, problem = exc.context_mark, "a quoted value is not closed"
            pos = self.at(mark.index if mark else 0)
            line = pos.line - first_line
            if 0 <= line < len(self.lines) and "\t" in self.lines[line][: pos.column]:
                # libyaml's message does not mention the tab; the line does.
                hint = "indent with spaces; YAML does not allow tabs"
            self.error(f"invalid YAML: {problem}", pos, hint)
        except yaml.YAMLError as exc:  # reader errors: non-printable characters
            self.error(f"invalid YAML: {exc}", Position(first_line, 1), "remove control characters")
        if self.root is not None and not self._check(self.root):
            self.root = None  # nothing is built from a refused tree

    def at(self, index: int) -> Position:
        """The file position of character ``index`` of the YAML text.

        PyYAML counts U+0085, U+2028 and U+2029 as line breaks too, so its own line numbers drift
        from the file's after such a character; its character index does not, so lines are
        counted from the index, in "\\n" as the rest of Gloss (and every editor) counts them.
        """
        if self._breaks is None:
            self._breaks = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect_left(self._breaks, index)
        start = self._breaks[line - 1] + 1 if line else 0
        return Position(line + self.first_line, index - start + 1)

    def _check(self, root: yaml.Node) -> bool:
        """Refuse aliases and deep nesting (False: build nothing) and record control characters.

        Iterative, so a deep tree cannot exhaust the stack here; a node met twice is an alias
        (composing shares the anchored node), found in time linear in the text.
        """
        seen: set[int] = set()
        stack: list[tuple[yaml.Node, int]] = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            if id(node) in seen:
                self.error("YAML aliases (*name) are not allowed", self.at(self._alias_index()), _ALIAS_HINT)
                return False
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode):
                bad = NOT_PRINTABLE.search(node.value)
                if bad is not None:
                    self.error(
                        f"control character U+{ord(bad.group()):04X} in a value",
                        node,
                        "remove the escape (such as \\0, \\e or \\x1b); only tab and line break are allowed",
                    )
                continue
            if depth > MAX_DEPTH:
                self.error(
                    f"YAML nested deeper than {MAX_DEPTH} levels",
                    node,
                    "content files need a few levels of lists and mappings; flatten this value",
                )
                return False
            children = node.value if isinstance(node, yaml.SequenceNode) else [n for kv in node.value for n in kv]
            stack.extend((child, depth + 1) for child in reversed(children))
        return True

    def _alias_index(self) -> int:
        """Where the first alias stands (parsed again only when there is one)."""
        loader = _Loader(self.text)
        try:
            while loader.check_event():
                event = loader.get_event()
                if isinstance(event, yaml.AliasEvent):
                    return int(event.start_mark.index) if event.start_mark else 0
        finally:
            loader.dispose()
        return 0  # pragma: no cover - only called after composing found a shared node

    def position(self, node: yaml.Node) -> Position:
        """Where ``node`` starts in the file."""
        return self.at(node.start_mark.index)

    def error(self, message: str, where: Position | yaml.Node, hint: str = "") -> None:
        """Record a problem at ``where``."""
        pos = where if isinstance(where, Position) else self.position(where)
        self.errors.append(GlossError(message, SourceLocation(self.path, pos.line, pos.column), hint))

    def value(self, node: yaml.Node) -> Any:
        """The Python value of ``node`` (YAML 1.1 safe types)."""
        if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value  # what the constructor returns for text, without its bookkeeping
        try:
            return self._loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.error(f"invalid YAML value: {exc}", node, "put the value in double quotes")
            return None


class Fields:
    """Typed, located access to one YAML mapping; reports unknown and duplicate keys."""

    def __init__(self, doc: YamlDocument, node: yaml.Node, what: str, known: tuple[str, ...]) -> None:
        self.doc = doc
        self.node = node
        self.what = what
        self.keys: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        if not isinstance(node, yaml.MappingNode):
            doc.error(
                f"{what} must be a mapping of `key: value` lines",
                node,
                "write one `key: value` per line, not a list or a single value",
            )
            return
        for key_node, value_node in node.value:
            key = str(doc.value(key_node))
            if key in self.keys:
                first = doc.position(self.keys[key][0])
                doc.error(
                    f'duplicate key "{key}" in {what}',
                    key_node,
                    f"it is already set on line {first.line}; keep one",
                )
                continue
            self.keys[key] = (key_node, value_node)
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f'did you mean "{close[0]}"?' if close else "known keys: " + ", ".join(known)
                doc.error(f'unknown key "{key}" in {what}', key_node, hint)

    @property
    def valid(self) -> bool:
        return isinstance(self.node, yaml.MappingNode)

    def has(self, key: str) -> bool:
        return key in self.keys

    def node_of(self, key: str) -> yaml.Node:
        """The value node of ``key`` (or the mapping itself when absent)."""
        return self.keys[key][1] if key in self.keys else self.node

    def get(
        self,
        key: str,
        check: Callable[[Any], T | None],
        expected: str,
        default: T,
        *,
        required: bool = False,
        hint: str = "",
    ) -> T:
        """``key``'s value passed through ``check`` (None means wrong type)."""
        if key not in self.keys:
            if required and self.valid:  # a wrong mapping is reported once, not once per key
                self.doc.error(
                    f'{self.what} has no "{key}"', self.node, hint or f"add `{key}:` ({expected})"
                )
            return default
        node = self.keys[key][1]
        raw = self.doc.value(node)
        checked = check(raw)
        if checked is None:
            if raw is None and not required:
                return default
            shown = repr(raw) if isinstance(raw, str) else type(raw).__name__ if raw is not None else "nothing"
            self.doc.error(
                f'"{key}" in {self.what} must be {expected}, not {shown}',
                node,
                f"write {key} as {expected}" + (" in double quotes" if expected == "text" else ""),
            )
            return default
        return checked


def as_text(value: Any) -> str | None:
    """Strings only: ``20:25`` or ``no`` unquoted are not text, and saying so beats guessing."""
    return value if isinstance(value, str) else None


LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
"""A BCP 47 language tag, as ``language`` takes it (``en``, ``pt-BR``, ``sr-Latn``)."""
LANGUAGE_EXPECTED = "a language tag like en or pt-BR"


def same_language(one: str, other: str) -> bool:
    """Whether two language tags name one language: tags are case-blind (``pt-BR`` is ``pt-br``)."""
    return one.lower() == other.lower()


def as_language(value: Any) -> str | None:
    """A language tag (``fr``, ``pt-BR``): it goes into ``lang`` attributes and picks a catalog."""
    return value if isinstance(value, str) and LANGUAGE_TAG.match(value) else None


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""An article's slug: its folder name under ``articles/``."""
SLUG_EXPECTED = "a slug like putin-visits-pyongyang (a-z, 0-9 and single hyphens)"


def as_slug(value: Any) -> str | None:
    """An article's slug, as ``slug:`` and ``translation_of:`` take it."""
    return value if isinstance(value, str) and SLUG.match(value) else None


def as_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_text_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _plain(value: Any) -> Any:
    """``value`` as JSON-like data (dates as ISO text), or :data:`_NOT_PLAIN` when it cannot be."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        items = [_plain(v) for v in value]
        return _NOT_PLAIN if any(v is _NOT_PLAIN for v in items) else items
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        pairs = {k: _plain(v) for k, v in value.items()}
        return _NOT_PLAIN if any(v is _NOT_PLAIN for v in pairs.values()) else pairs
    return _NOT_PLAIN


_NOT_PLAIN = object()


EXTRA_EXPECTED = "a mapping of names to text, numbers, dates, lists or mappings"


def as_extra(value: Any) -> dict[str, Any] | None:
    """``extra:``: a free mapping of text keys to plain values (text, numbers, lists, mappings)."""
    if not isinstance(value, dict):
        return None
    plain = _plain(value)
    return None if plain is _NOT_PLAIN else dict(plain)
