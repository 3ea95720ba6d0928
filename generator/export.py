"""Output stage for ``gloss export FILE --format w3c``: notes as W3C Web Annotations.

One article page becomes an ``AnnotationCollection`` (JSON-LD, context
``http://www.w3.org/ns/anno.jsonld``) whose first and only ``AnnotationPage``
holds one ``Annotation`` per note, in reading order: ``motivation`` is
``assessing`` for facts and ``questioning`` for claims; the bodies are the note
text (``text/markdown``), the verdict (purpose ``tagging``) and each source
that has a URL (purpose ``linking``); the target is the article page
(``source``: absolute when a base URL is known, else the site-relative page
path ``articles/<slug>/``) with a ``TextQuoteSelector`` and a
``TextPositionSelector``. What the W3C model has no term for is added in schema.org terms (the
context defines ``schema:``), as the page's ClaimReview says it: ``schema:reviewRating`` (a rated
note), ``schema:itemReviewed`` → ``schema:author`` (the claimant) and ``schema:citation`` (every
source with its title, URL and date), so ``gloss annotations import`` restores the notes exactly.

**The text the selectors count in** (the page's *rendered text*): take the
article body (``.article-body``) and then every comment body
(``.comment-body``) in document order (a reply comes right after the comment
it answers, as the page nests them); from each, drop the note markup
(``.margin-note``, ``.note-drawer``, ``.note-toggle-label``, ``.note-ref``, ``input``) and take
the DOM ``textContent``; join these with one space; replace every run of ASCII
whitespace (space, tab, LF, CR, FF) with one space; strip the ends. Positions
count Unicode code points (not UTF-16 units), ``start`` inclusive, ``end``
exclusive; ``prefix``/``suffix`` are up to 32 characters on either side. A
browser gets the same string from the page (the browser tests check it), and
:func:`rendered_text` computes it here from the rendered Markdown, where the
margin notes are still placeholders (HTML comments) that contribute no text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from .content.config import SiteConfig
from .content.html_text import SPACE
from .site.article_page import ArticlePage
from .site.notes import NoteView
from .site.threads import in_page_order

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
AFFIX = 32
"""Characters of ``prefix`` and ``suffix`` around each quote."""



@dataclass(frozen=True, slots=True)
class RenderedText:
    """The page's rendered text and where each note's span sits in it."""

    text: str
    """Article body, then comment bodies, whitespace-normalised (see the module docstring)."""
    spans: dict[str, tuple[int, int]]
    """Note id → (start, end) of its span's text in :attr:`text`, code points, end exclusive."""


class _Text(HTMLParser):
    """Collects text nodes and the raw offsets where each note span opens and closes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.size = 0
        self.open: list[str | None] = []  # one entry per open <span>: its note id, or None
        self.starts: dict[str, int] = {}
        self.ends: dict[str, int] = {}

    def feed_fragment(self, html: str) -> None:
        if self.parts:
            self.add(" ")  # fragments are separate elements: never glue their words together
        self.feed(html)
        self.close()
        self.reset()
        self.open.clear()

    def add(self, data: str) -> None:
        self.parts.append(data)
        self.size += len(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "span":
            return
        values = dict(attrs)
        note = values.get("data-note")
        is_note = note is not None and "gloss-span" in (values.get("class") or "").split()
        self.open.append(note if is_note else None)
        if note is not None and is_note:
            self.starts[note] = self.size

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self.open:
            note = self.open.pop()
            if note is not None:
                self.ends[note] = self.size

    def handle_data(self, data: str) -> None:
        self.add(data)


def normalise(raw: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space and strip; also map raw offsets to new ones.

    ``where[i]`` is how many normalised characters precede raw character ``i``
    (``where[len(raw)]`` is the normalised length), so a raw range maps to the
    normalised range covering the same characters.
    """
    out: list[str] = []
    where: list[int] = []
    pending = False
    for char in raw:
        where.append(len(out))
        if char in SPACE:
            pending = bool(out)  # leading whitespace is dropped
            continue
        if pending:
            out.append(" ")
            pending = False
        out.append(char)
    where.append(len(out))
    return "".join(out), where


def rendered_text(page: ArticlePage) -> RenderedText:
    """The text the selectors count in, with each span's place (module docstring)."""
    parser = _Text()
    for html in (page.body_html, *(t.body_html for t in in_page_order(page.threads))):
        parser.feed_fragment(html)
    text, where = normalise("".join(parser.parts))
    spans: dict[str, tuple[int, int]] = {}
    for note, raw_start in parser.starts.items():
        start, end = where[raw_start], where[parser.ends.get(note, raw_start)]
        # A span's own leading or trailing space is not part of the quote.
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        spans[note] = (start, end)
    return RenderedText(text, spans)


def page_source(page: ArticlePage, config: SiteConfig) -> str:
    """The annotations' target: the page's absolute URL, or its site-relative path."""
    return config.base_url + page.url if config.base_url else page.url


def annotation_collection(page: ArticlePage, config: SiteConfig) -> dict[str, Any]:
    """The W3C ``AnnotationCollection`` for one article page, as plain data.

    Ids are IRIs under the page's URL: ``#note-<id>`` (the note in the page's list
    of notes) for each annotation, ``#annotations`` for the collection. Without a
    base URL they are relative, resolved against wherever the export is published.
    """
    source = page_source(page, config)
    text = rendered_text(page)
    creator = {"type": "Organization", "name": config.publisher or config.title}
    markdown = {note.id: note.body.text for note in page.article.notes}
    items: list[dict[str, Any]] = []
    for note in page.notes:
        start, end = text.spans[note.id]
        bodies: list[dict[str, Any]] = [
            {
                "type": "TextualBody",
                "value": markdown[note.id],
                "format": "text/markdown",
                "language": config.language,
            },
            {"type": "TextualBody", "value": note.verdict, "purpose": "tagging"},
        ]
        bodies += [{"id": s.url, "purpose": "linking"} for s in note.sources if s.url]
        items.append(
            {
                "id": f"{source}#note-{note.id}",
                "type": "Annotation",
                "motivation": note.kind_info.motivation,
                "creator": creator,
                "body": bodies,
                **_note_extras(note),
                "target": {
                    "source": source,
                    "selector": [
                        {
                            "type": "TextQuoteSelector",
                            "exact": text.text[start:end],
                            "prefix": text.text[max(0, start - AFFIX) : start],
                            "suffix": text.text[end : end + AFFIX],
                        },
                        {"type": "TextPositionSelector", "start": start, "end": end},
                    ],
                },
            }
        )
    return {
        "@context": CONTEXT,
        "id": f"{source}#annotations",
        "type": "AnnotationCollection",
        "label": f"Notes on “{page.article.title}”",
        "total": len(items),
        "first": {
            "id": f"{source}#annotations-page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def _note_extras(note: NoteView) -> dict[str, Any]:
    """What a note says beyond the W3C model, in schema.org terms (ClaimReview's), for a lossless round trip."""
    extras: dict[str, Any] = {}
    if note.rating is not None:
        extras["schema:reviewRating"] = {"type": "schema:Rating", "schema:ratingValue": note.rating}
    if note.claimant is not None:
        extras["schema:itemReviewed"] = {"type": "schema:Claim", "schema:author": {"schema:name": note.claimant}}
    citations = []
    for cited in note.sources:
        entry = {"type": "schema:CreativeWork", "schema:name": cited.title}
        if cited.url:
            entry["schema:url"] = cited.url
        if cited.date:
            entry["schema:datePublished"] = cited.date
        citations.append(entry)
    extras["schema:citation"] = citations
    return extras


def export_w3c(page: ArticlePage, config: SiteConfig) -> str:
    """The collection as indented JSON text (keys in the order above; non-ASCII kept)."""
    return json.dumps(annotation_collection(page, config), ensure_ascii=False, indent=2) + "\n"
