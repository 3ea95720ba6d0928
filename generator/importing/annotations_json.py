"""Import stage: annotation JSON (W3C Web Annotation or Hypothesis API) → plain records.

Pure (text in, records out). Two shapes are read:

* **W3C**: an ``AnnotationCollection`` (its ``first`` page's ``items``, as ``gloss export
  --format w3c`` writes), an ``AnnotationPage``, a list of ``Annotation`` objects or one
  ``Annotation``. The body is the ``TextualBody`` without a purpose (or with ``commenting``/
  ``describing``); ``tagging`` bodies are tags; ``linking`` bodies (and ``schema:citation``,
  which Gloss's export adds) are sources; ``motivation`` ``assessing``/``questioning`` is a
  kind hint; ``schema:reviewRating`` and ``schema:itemReviewed`` carry a Gloss note's rating and
  claimant back.
* **Hypothesis** search results (``GET /api/search``): ``{"total": n, "rows": [...]}`` (or the
  client's export file, ``{"export_date": …, "annotations": [...]}``), each row with ``id``, ``uri``, ``text`` (Markdown), ``tags``, ``user`` (``acct:name@host``),
  ``created``, ``references`` (set on replies: the ids of the thread above) and
  ``target[].selector``. A single row or a list of rows is read too.

Selectors: ``TextQuoteSelector`` (``exact``, ``prefix``, ``suffix``) and
``TextPositionSelector`` (``start``, ``end``); others (Hypothesis's ``RangeSelector``) are
ignored, as they count in the source page's DOM, which a content file does not have.

Every problem is located in the JSON file: ``file:line:col: annotation at rows[2].target[0]…
(hint: …)`` with the JSON path of the offending value and its line and column, found by
walking the text with :mod:`json`'s own scanner (:func:`.json_paths.locate`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..common.errors import GlossError, SourceLocation
from ..common.textfile import decode_raw
from .json_paths import PathStep, locate, show_path

_SPACE_RUN = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class QuoteSelector:
    """A ``TextQuoteSelector``, whitespace runs made one space (as the rendered text is)."""

    exact: str
    """The quoted text."""
    prefix: str
    """Text just before it (may be empty)."""
    suffix: str
    """Text just after it (may be empty)."""


@dataclass(frozen=True, slots=True)
class Citation:
    """A source the annotation cites (a ``linking`` body, a ``schema:citation`` or a body link)."""

    title: str
    """What it is called (the URL when nothing better is known)."""
    url: str | None
    """Its address, or None for an offline source."""
    date: str | None
    """Its date as written, or None."""


@dataclass(frozen=True, slots=True)
class InAnnotation:
    """One annotation as read from the file, before anchoring."""

    id: str
    """The annotation's id as written ("" when it has none)."""
    path: str
    """Its JSON path, e.g. ``rows[3]`` or ``first.items[0]``, for messages."""
    location: SourceLocation
    """Where the annotation's object starts in the JSON file."""
    quote: QuoteSelector | None
    """Its text-quote selector, if it has one."""
    position: tuple[int, int] | None
    """Its text-position selector (start, end), if it has one."""
    body: str
    """The annotation text (Markdown)."""
    tags: tuple[str, ...]
    """Tags (Hypothesis ``tags``; W3C ``tagging`` bodies), in order."""
    motivation: str | None
    """The W3C motivation, if any (``assessing``, ``questioning``, …)."""
    citations: tuple[Citation, ...]
    """Sources given as data (``linking`` bodies, ``schema:citation``); links in the body are not here."""
    exact_citations: bool
    """True when ``schema:citation`` listed every source (a Gloss export): take them as they are."""
    rating: int | None
    """A Gloss rating carried by ``schema:reviewRating``, else None."""
    claimant: str | None
    """Who made the claim (``schema:itemReviewed`` → ``schema:author``), else None."""
    user: str | None
    """Who wrote it (Hypothesis ``user``/``user_info.display_name``, W3C ``creator.name``)."""
    created: str | None
    """When it was written, as given."""
    references: tuple[str, ...]
    """Hypothesis ``references``: for a reply, the ids of the annotations it answers."""
    hypothesis: bool
    """True for a Hypothesis API row (its body is ``text``; it has no W3C bodies or motivation)."""


class _Reader:
    """Walks the parsed JSON, raising located errors."""

    def __init__(self, text: str, file: str) -> None:
        self.text, self.file = text, file

    def where(self, path: tuple[PathStep, ...]) -> SourceLocation:
        return SourceLocation(self.file, *locate(self.text, path))

    def fail(self, path: tuple[PathStep, ...], message: str, hint: str) -> GlossError:
        return GlossError(f"{show_path(path)}: {message}", self.where(path), hint)

    def string(self, data: dict[str, Any], key: str, path: tuple[PathStep, ...], hint: str) -> str | None:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(path + (key,), f'"{key}" must be a string, not {_kind(value)}', hint)
        return value

    def strings(self, data: dict[str, Any], key: str, path: tuple[PathStep, ...]) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(path + (key,), f'"{key}" must be a list of strings', f'like "{key}": ["a", "b"]')
        return tuple(value)

    def position(self, selector: dict[str, Any], path: tuple[PathStep, ...]) -> tuple[int, int]:
        start, end = selector.get("start"), selector.get("end")
        for key, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise self.fail(path + (key,), f'TextPositionSelector "{key}" must be a whole number ≥ 0',
                                'like {"type": "TextPositionSelector", "start": 10, "end": 24}')
        assert isinstance(start, int) and isinstance(end, int)
        if end < start:
            raise self.fail(path + ("end",), f"TextPositionSelector ends ({end}) before it starts ({start})",
                            '"end" counts past the last character, so it is at least "start"')
        return start, end

    def quote(self, selector: dict[str, Any], path: tuple[PathStep, ...]) -> QuoteSelector:
        hint = 'like {"type": "TextQuoteSelector", "exact": "quoted text", "prefix": "…", "suffix": "…"}'
        exact = self.string(selector, "exact", path, hint)
        if not exact or not exact.strip():
            raise self.fail(path + ("exact",), "TextQuoteSelector has no exact text", hint)
        prefix = self.string(selector, "prefix", path, hint) or ""
        suffix = self.string(selector, "suffix", path, hint) or ""
        # The rendered text has every whitespace run as one space; so must the selector.
        # A selection often takes a space at either end; that space belongs to the context.
        exact = _one_space(exact)
        if exact.startswith(" "):
            prefix += " "
        if exact.endswith(" "):
            suffix = " " + suffix
        return QuoteSelector(exact.strip(" "), _one_space(prefix), _one_space(suffix))


def _one_space(text: str) -> str:
    return _SPACE_RUN.sub(" ", text)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def read_annotations(data: bytes, file: str) -> tuple[InAnnotation, ...]:
    """Every annotation in a W3C or Hypothesis JSON file, in file order; a located error otherwise."""
    text = decode_raw(data, file)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GlossError(f"not valid JSON: {exc.msg}", SourceLocation(file, exc.lineno, exc.colno),
                         "check the JSON syntax near here (a missing comma, quote or bracket)") from None
    reader = _Reader(text, file)
    return tuple(_annotation(reader, item, path) for item, path in _items(reader, parsed))


def _items(reader: _Reader, data: Any) -> Iterator[tuple[dict[str, Any], tuple[PathStep, ...]]]:
    """The annotation objects and their paths, whatever the container."""
    path: tuple[PathStep, ...] = ()
    hint = ('expected a W3C AnnotationCollection, AnnotationPage, Annotation or list of them, '
            'or Hypothesis search results {"rows": [...]}')
    if isinstance(data, dict) and "rows" in data:
        data, path = data["rows"], ("rows",)
    elif isinstance(data, dict) and "annotations" in data and "type" not in data:
        data, path = data["annotations"], ("annotations",)  # the Hypothesis client's "Export" file
    elif isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        first = data.get("first")
        if not isinstance(first, dict):
            raise reader.fail(("first",), "an AnnotationCollection needs its annotations in \"first\"",
                              'write "first": {"type": "AnnotationPage", "items": [...]}')
        data, path = first.get("items"), ("first", "items")
    elif isinstance(data, dict) and data.get("type") == "AnnotationPage":
        data, path = data.get("items"), ("items",)
    elif isinstance(data, dict) and ("target" in data or data.get("type") == "Annotation"):
        data = [data]
        yield data[0], ()
        return
    if not isinstance(data, list):
        raise reader.fail(path, "no list of annotations here", hint)
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise reader.fail(path + (index,), f"an annotation must be an object, not {_kind(item)}", hint)
        yield item, path + (index,)


def _annotation(reader: _Reader, data: dict[str, Any], path: tuple[PathStep, ...]) -> InAnnotation:
    hypothesis = "text" in data or path[:1] in (("rows",), ("annotations",)) or "references" in data or "user" in data
    ident = data.get("id", "")
    if not isinstance(ident, str):
        raise reader.fail(path + ("id",), f'"id" must be a string, not {_kind(ident)}', 'like "id": "Xy7a9Q2k"')
    quote, position = _selectors(reader, data, path)
    tags = reader.strings(data, "tags", path)
    body = reader.string(data, "text", path, 'the annotation text, like "text": "Checked: …"') or ""
    citations: list[Citation] = []
    exact_citations = False
    motivation = reader.string(data, "motivation", path, 'like "motivation": "assessing"') if not hypothesis else None
    if not hypothesis:
        body, more_tags, citations = _bodies(reader, data, path)
        tags = tags + more_tags
        cited = data.get("schema:citation")
        if cited is not None:
            citations, exact_citations = _citations(reader, cited, path + ("schema:citation",)), True
    user = _user(reader, data, path)
    created = reader.string(data, "created", path, 'an ISO 8601 time, like "created": "2024-06-18T20:25:00Z"')
    return InAnnotation(
        id=ident, path=show_path(path), location=reader.where(path), quote=quote, position=position,
        body=body, tags=tags, motivation=motivation, citations=tuple(citations),
        exact_citations=exact_citations, rating=_rating(reader, data, path), claimant=_claimant(reader, data, path),
        user=user, created=created, references=reader.strings(data, "references", path), hypothesis=hypothesis,
    )


def _listed(value: Any, path: tuple[PathStep, ...]) -> list[tuple[Any, tuple[PathStep, ...]]] | None:
    """A value that may be one item or a list of them, each with its path; None for anything else."""
    if isinstance(value, (dict, str)):
        return [(value, path)]
    if isinstance(value, list):
        return [(item, path + (index,)) for index, item in enumerate(value)]
    return None


def _selectors(
    reader: _Reader, data: dict[str, Any], path: tuple[PathStep, ...]
) -> tuple[QuoteSelector | None, tuple[int, int] | None]:
    targets = _listed(data.get("target", []), path + ("target",))
    if targets is None:
        raise reader.fail(path + ("target",), f'"target" must be an object or a list, not {_kind(data["target"])}',
                          'like "target": [{"source": "https://…", "selector": [...]}]')
    quote: QuoteSelector | None = None
    position: tuple[int, int] | None = None
    for target, tpath in targets:
        if isinstance(target, str):
            continue  # a bare source IRI: a page note or a reply, no text selected
        if not isinstance(target, dict):
            raise reader.fail(tpath, f"a target must be an object, not {_kind(target)}",
                              'like {"source": "https://…", "selector": [...]}')
        selectors = _listed(target.get("selector", []), tpath + ("selector",))
        if selectors is None:
            raise reader.fail(tpath + ("selector",), f'"selector" must be an object or a list, not '
                              f'{_kind(target["selector"])}', 'like "selector": [{"type": "TextQuoteSelector", "exact": "…"}]')
        for selector, where in selectors:
            if not isinstance(selector, dict):
                raise reader.fail(where, f"a selector must be an object, not {_kind(selector)}",
                                  'like {"type": "TextQuoteSelector", "exact": "…"}')
            if selector.get("type") == "TextQuoteSelector" and quote is None:
                quote = reader.quote(selector, where)
            elif selector.get("type") == "TextPositionSelector" and position is None:
                position = reader.position(selector, where)
    return quote, position


def _bodies(
    reader: _Reader, data: dict[str, Any], path: tuple[PathStep, ...]
) -> tuple[str, tuple[str, ...], list[Citation]]:
    """(text, tags, linked sources) from W3C ``body``/``bodyValue``."""
    bodies = _listed(data.get("body", []), path + ("body",))
    if bodies is None:
        raise reader.fail(path + ("body",), f'"body" must be an object or a list, not {_kind(data["body"])}',
                          'like "body": [{"type": "TextualBody", "value": "…"}]')
    texts: list[str] = []
    value = data.get("bodyValue")
    if isinstance(value, str):
        texts.append(value)
    tags: list[str] = []
    citations: list[Citation] = []
    for body, where in bodies:
        if isinstance(body, str):  # an IRI: a linked resource
            citations.append(Citation(body, body, None))
            continue
        if not isinstance(body, dict):
            raise reader.fail(where, f"a body must be an object or an IRI, not {_kind(body)}",
                              'like {"type": "TextualBody", "value": "…"}')
        purpose = body.get("purpose")
        if purpose == "linking" or ("value" not in body and isinstance(body.get("id"), str)):
            url = reader.string(body, "id", where, 'a linked source, like {"id": "https://…", "purpose": "linking"}')
            if url:
                citations.append(Citation(url, url, None))
            continue
        text = reader.string(body, "value", where, 'a TextualBody, like {"type": "TextualBody", "value": "…"}')
        if text is None:
            continue
        fmt = body.get("format", "text/markdown")
        if purpose == "tagging":
            tags.append(text)
        elif fmt in ("text/markdown", "text/plain") or fmt is None:
            texts.append(text if fmt != "text/plain" else _escape_plain(text))
        else:
            raise reader.fail(where + ("format",), f'body format "{fmt}" cannot be imported',
                              "Gloss notes are Markdown: give the body as text/markdown or text/plain")
    return "\n\n".join(t.strip("\n") for t in texts if t.strip()), tuple(tags), citations


_PLAIN_MARKUP = re.compile(r"([\\`*_\[\]<&#])")


def _escape_plain(text: str) -> str:
    """Plain text as Markdown that shows the same characters."""
    return _PLAIN_MARKUP.sub(r"\\\1", text)


def _citations(reader: _Reader, cited: Any, path: tuple[PathStep, ...]) -> list[Citation]:
    hint = 'like "schema:citation": [{"schema:name": "Reuters", "schema:url": "https://…"}]'
    if not isinstance(cited, list):
        raise reader.fail(path, '"schema:citation" must be a list', hint)
    out: list[Citation] = []
    for index, item in enumerate(cited):
        if not isinstance(item, dict):
            raise reader.fail(path + (index,), "a citation must be an object", hint)
        title = reader.string(item, "schema:name", path + (index,), hint)
        if not title:
            raise reader.fail(path + (index,), 'a citation needs "schema:name"', hint)
        out.append(Citation(title, reader.string(item, "schema:url", path + (index,), hint),
                            reader.string(item, "schema:datePublished", path + (index,), hint)))
    return out


def _rating(reader: _Reader, data: dict[str, Any], path: tuple[PathStep, ...]) -> int | None:
    rating = data.get("schema:reviewRating")
    if rating is None:
        return None
    value = rating.get("schema:ratingValue") if isinstance(rating, dict) else None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise reader.fail(path + ("schema:reviewRating",), "the rating must be a whole number from 1 to 5",
                          'like "schema:reviewRating": {"type": "schema:Rating", "schema:ratingValue": 4}')
    return value


def _claimant(reader: _Reader, data: dict[str, Any], path: tuple[PathStep, ...]) -> str | None:
    item = data.get("schema:itemReviewed")
    author = item.get("schema:author") if isinstance(item, dict) else None
    name = author.get("schema:name") if isinstance(author, dict) else None
    if item is not None and not isinstance(name, str):
        raise reader.fail(path + ("schema:itemReviewed",), "the reviewed claim needs an author's name",
                          'like "schema:itemReviewed": {"type": "schema:Claim", "schema:author": {"schema:name": "…"}}')
    return name


def _user(reader: _Reader, data: dict[str, Any], path: tuple[PathStep, ...]) -> str | None:
    info = data.get("user_info")
    if isinstance(info, dict) and isinstance(info.get("display_name"), str) and info["display_name"]:
        return str(info["display_name"])
    user = data.get("user")
    if isinstance(user, str):
        # "acct:name@hypothes.is" → "name"
        return user.removeprefix("acct:").split("@", 1)[0] or None
    creator = data.get("creator")
    if isinstance(creator, dict) and isinstance(creator.get("name"), str):
        return str(creator["name"])
    return None
