"""Annotation import: anchor each annotation in a content file's page and add it as a span and a note.

Text in, text out (``gloss annotations import`` reads and writes the files). For each annotation,
in file order:

1. a reply (Hypothesis ``references`` set, W3C motivation ``replying``) is **skipped** and listed:
   replies discuss a note, they are not one, and a note body is the desk's finding, not the thread;
2. its tags (and W3C motivation) give the kind and verdict (:mod:`.tag_map`), else it is **refused**;
3. :func:`generator.importing.anchoring.anchor` finds it in the page's rendered text, else it is
   an **orphan** (with the reason and its quote), never placed at a guess;
4. the range must lie in one body (the article or one comment) and must not overlap an existing
   span, else it is **refused**; a span already on exactly that text whose note has the same body
   means it is **present** (importing the same file twice changes nothing), another note there is
   **refused** (a span holds one note);
5. the note writer (:func:`generator.editing.note_writer.add_note`, the one every note edit uses)
   wraps the Markdown range and adds the note, changing only those bytes; the new page's rendered
   text must be unchanged and the new span exactly the anchored range, else the next way of
   cutting the Markdown is tried (:func:`.source_map.cuts`), and if none fits it is **refused**.

The note id is the one a Gloss export gave (``…#note-<id>``) when free, else one made from the
quote's words. Sources are the annotation's linked sources, and the links in its body (unless a
Gloss export listed the sources exactly). A rating and claimant come back from a Gloss export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..common.errors import GlossError, GlossErrors, SourceLocation, flatten
from ..content.markdown import make_parser
from ..content.parse import parse_article
from ..editing.note_writer import NoteFields, SourceFields, add_note, note_ids, unique_id
from ..editing.regions import regions
from ..export import rendered_text
from ..importing.anchoring import Anchor, anchor
from ..importing.annotations_json import InAnnotation
from ..site.article_page import ArticlePage, article_page
from .source_map import bodies, body_at, cuts
from .tag_map import TagMap, kind_and_verdict

PLACED, PRESENT, ORPHAN, REFUSED, SKIPPED = "placed", "present", "orphan", "refused", "skipped"
_EXPORT_ID = re.compile(r"#note-([A-Za-z][A-Za-z0-9_-]*)\Z")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((https?://[^\s)]+)\)", re.IGNORECASE)
_BARE_URL = re.compile(r"(?<![(<\w])https?://[^\s<>()\[\]]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one annotation."""

    status: str
    """``placed``, ``present``, ``orphan``, ``refused`` or ``skipped``."""
    annotation: InAnnotation
    """The annotation as read."""
    note_id: str | None
    """The note it became (or that already marks its text), else None."""
    detail: str
    """How it was anchored (``quote+context``, ``fuzzy 0.87``, …) or why it was not placed."""
    span: tuple[int, int] | None
    """Its range in the page's rendered text, when anchored."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The new content file and the outcome of every annotation."""

    text: str
    """The content file with the new spans and notes (the input when nothing was placed)."""
    outcomes: tuple[Outcome, ...]
    """One per annotation, in file order."""


def page_of(text: str, path: str) -> ArticlePage:
    """The article page of a content file's text (its own errors raised as ``gloss check`` would)."""
    return article_page(make_parser(), parse_article(text, path, Path(path).stem))


def import_annotations(text: str, path: str, annotations: tuple[InAnnotation, ...], tags: TagMap) -> ImportResult:
    """Anchor and add every annotation (module docstring); raises only for the content file's own errors."""
    page = page_of(text, path)
    rendered = bodies(page)[1]
    if rendered != rendered_text(page).text:  # both read the same HTML; a difference is a bug here
        raise GlossError("cannot map this page's text to its Markdown", SourceLocation(path, 1, 1),
                         "report this as a Gloss bug, with the file")
    outcomes: list[Outcome] = []
    for item in annotations:
        outcome, text = _one(text, path, item, tags, rendered)
        outcomes.append(outcome)
    return ImportResult(text, tuple(outcomes))


def _one(text: str, path: str, item: InAnnotation, tags: TagMap, rendered: str) -> tuple[Outcome, str]:
    if item.references:
        return Outcome(SKIPPED, item, None, f"a reply to {item.references[-1]}", None), text
    if item.motivation == "replying":  # a W3C reply: its target is the annotation it answers
        return Outcome(SKIPPED, item, None, "a reply (W3C motivation replying)", None), text
    kind = kind_and_verdict(item.tags, item.motivation, tags)
    if isinstance(kind, str):
        return Outcome(REFUSED, item, None, kind, None), text
    placed = anchor(rendered, item.quote, item.position)
    if not isinstance(placed, Anchor):
        return Outcome(ORPHAN, item, None, placed.reason, None), text
    span = (placed.start, placed.end)
    how = placed.method + (f" {placed.score:.2f}" if placed.method == "fuzzy" else "")
    page = page_of(text, path)  # as the notes added so far left it: the same rendered text, new Markdown
    body = body_at(bodies(page)[0], *span)
    if body is None:
        return Outcome(REFUSED, item, None, "the quote runs from one body into the next (article and a comment)", span), text
    fields = _fields(item, kind[0], kind[1])
    bodies_of = {note.id: note.body.text for note in page.article.notes}
    for note_id, (start, end) in rendered_text(page).spans.items():
        if (start, end) == span and (bodies_of.get(note_id) or "").strip() == fields.body.strip():
            return Outcome(PRESENT, item, note_id, f"note {note_id} already marks this text", span), text
        if (start, end) == span:
            return Outcome(REFUSED, item, None, f"note {note_id} already marks exactly this text", span), text
        if start < span[1] and span[0] < end:
            return Outcome(REFUSED, item, None, f"the quote overlaps the span of note {note_id}", span), text
    taken = note_ids(text, path)
    wanted = _EXPORT_ID.search(item.id)
    note_id = wanted.group(1) if wanted and wanted.group(1) not in taken else unique_id(rendered[span[0] : span[1]], taken)
    region = next((r for r in regions(text, path)[0] if r.where == body.where), None)
    if region is None or region.text != body.markdown:
        return Outcome(REFUSED, item, None, f"the text of {body.where} cannot be edited in place", span), text
    why = ""
    for low, high in cuts(body, *span):
        try:
            new = add_note(text, start=region.offsets[low], end=region.offsets[high], note=fields, note_id=note_id, path=path)
        except (GlossError, GlossErrors) as exc:
            why = why or flatten(exc)[0].message  # the innermost cut's reason is the one that explains
            continue
        after = rendered_text(page_of(new, path))
        if after.text == rendered and after.spans.get(note_id) == span:
            dropped = sum(1 for c in item.citations if c.url is not None and not _http(c.url))
            how += f"; {dropped} source(s) dropped: not http(s)" if dropped else ""
            return Outcome(PLACED, item, note_id, how, span), new
    return Outcome(REFUSED, item, None, why or "no way of marking the Markdown gives exactly the quoted text", span), text


def _fields(item: InAnnotation, kind: str, verdict: str) -> NoteFields:
    # Only http(s) sources: Gloss refuses any other scheme (javascript:, data:, file:), and says so.
    sources = [SourceFields(c.title, c.url, c.date) for c in item.citations if c.url is None or _http(c.url)]
    if not item.exact_citations:
        seen = {s.url for s in sources}
        for title, url in _links(item.body):
            if url not in seen:
                seen.add(url)
                sources.append(SourceFields(title, url, None))
    return NoteFields(kind=kind, verdict=verdict, body=item.body, rating=item.rating, sources=tuple(sources),
                      claimant=item.claimant)  # no claim: the span's words are the claim


def _http(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _links(body: str) -> list[tuple[str, str]]:
    """(title, url) of every http(s) link in a Markdown body, in order: ``[text](url)`` and bare URLs."""
    found = [(m.start(), m.group(1).strip() or m.group(2), m.group(2)) for m in _MD_LINK.finditer(body)]
    rest = _MD_LINK.sub(lambda m: " " * len(m.group(0)), body)
    found += [(m.start(), url, url) for m in _BARE_URL.finditer(rest) for url in [m.group(0).rstrip(".,;:!?'\"")]]
    return [(title, url) for _, title, url in sorted(found)]

