"""Editing API: add, edit and remove a note in a content file's text, changing only the bytes that must change.

Text in, text out (no file access; see :mod:`.note_file`). The text is a content file with ``\\n`` line
ends, as :func:`generator.common.textfile.decode_raw` gives it. Every function raises a located
:class:`~generator.common.errors.GlossError` (``path`` is only used in messages) and never returns a
text that ``gloss check`` would refuse:

* the input must already pass the checks (its own errors are raised otherwise: fix them first);
* the result is re-parsed and checked, and compared with what was asked (the new note's fields, the
  span's text); :func:`add_note` also checks that removing the note again gives the input back byte
  for byte. A mismatch is refused, never written.

Usage (what ``gloss note add`` does)::

    where = locate_quote(text, path, "the same words", prefix="…", suffix="…")   # or --occurrence
    note = NoteFields(kind="fact", verdict="Accurate", body="…", sources=(SourceFields("Reuters"),))
    note_id = unique_id(note.claim or where.quote, note_ids(text, path))
    text = add_note(text, start=where.start, end=where.end, note=note, note_id=note_id, path=path)

What changes: ``[`` and ``]{.kind #id}`` around the selection; the note's lines appended to ``notes:``
(created before ``comments:``, or at the end of the front matter, when absent; removed again with the
last note). Everything else — comments, key order, quoting, blank lines — stays as it was.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from pathlib import Path

import yaml

from ..common.errors import GlossError, GlossErrors, SourceLocation, flatten
from ..content.annotations import SpanRecord
from ..content.markdown import make_parser
from ..content.model import Article, Note
from ..content.parse import NOTE_ID, parse_article
from ..site.article_page import article_page
from .note_yaml import FIELD_ORDER, NoteFields, SourceFields, clean, field_lines, note_lines, reads_as_text
from .regions import ARTICLE, Region, Selection, check_wrappable, location, locate_quote, normalise, region_of, regions

__all__ = [
    "ARTICLE", "NoteFields", "Selection", "SourceFields", "add_note", "current_fields", "edit_note", "locate_quote",
    "note_ids", "remove_note", "unique_id",
]

_STOP = frozenset(
    "a an and are as at be been but by for from had has have he her his i in is it its of on or she that the "
    "their them they this to was were will with".split()
)
_Edit = tuple[int, int, str]  # (start, end, replacement) in the original text


# ---------------------------------------------------------------- the front matter's notes, located


class _Front:
    """The front matter's node tree, with node positions as file offsets."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.start = text.find("\n") + 1
        closing = re.compile(r"\n(?:---|\.\.\.)[ \t]*$", re.MULTILINE).search(text, self.start - 1)
        self.end = closing.start() + 1 if closing else len(text)
        front = text[self.start : self.end]
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", front)]
        root = yaml.compose(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        self.root = root if isinstance(root, yaml.MappingNode) else None
        self.path = path

    def offset(self, mark: yaml.Mark) -> int:
        return self.start + self.line_starts[mark.line] + mark.column

    def line_begin(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def lines_end(self, node: yaml.Node) -> int:
        """Offset just after the line holding the last character of ``node``."""
        end = self.offset(node.end_mark)
        while end > 0 and self.text[end - 1].isspace():
            end -= 1
        newline = self.text.find("\n", end)
        return len(self.text) if newline < 0 else newline + 1

    def key(self, name: str) -> tuple[yaml.Node, yaml.Node] | None:
        if self.root is None:
            return None
        return next(((k, v) for k, v in self.root.value if k.value == name), None)

    def notes(self) -> list[tuple[yaml.Node, yaml.Node]]:
        found = self.key("notes")
        if found is None or not isinstance(found[1], yaml.MappingNode):
            return []
        return list(found[1].value)

    def note(self, note_id: str) -> tuple[yaml.Node, yaml.Node]:
        for key, value in self.notes():
            if key.value == note_id:
                return key, value
        known = ", ".join(str(k.value) for k, _ in self.notes()) or "none"
        raise GlossError(f'there is no note "{note_id}"', SourceLocation(self.path, 1, 1), f"notes: {known}")

    def indents(self) -> tuple[int, int]:
        """(column of note ids, indentation step), from the notes already there (else 2 and 2)."""
        notes = self.notes()
        top = self.root.value[0][0].start_mark.column if self.root is not None and self.root.value else 0
        if not notes:
            return top + 2, 2
        key, value = notes[0]
        step = 2
        if isinstance(value, yaml.MappingNode) and value.value and not value.flow_style:
            step = max(1, value.value[0][0].start_mark.column - key.start_mark.column)
        return key.start_mark.column, step


def _apply(text: str, edits: list[_Edit]) -> str:
    """``text`` with non-overlapping edits applied (given in any order)."""
    out, at = [], 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        out.append(text[at:start])
        out.append(replacement)
        at = end
    out.append(text[at:])
    return "".join(out)


# ---------------------------------------------------------------- checks


def _checked(text: str, path: str) -> tuple[Article, list[tuple[SpanRecord, str, int]]]:
    """Parse and cross-check ``text`` as ``gloss check`` does; its spans as (record, where, file offset)."""
    article = parse_article(text, path, Path(path).stem)
    article_page(make_parser(), article)  # raises every problem: unknown or unused notes, wrong verdicts
    md = make_parser()
    spans: list[tuple[SpanRecord, str, int]] = []
    for region in regions(text, path)[0]:
        env: dict[str, object] = {}
        md.parse(region.text, env)
        starts = [0] + [m.end() for m in re.finditer("\n", region.text)]
        for record in env.get("gloss_spans", []):  # type: ignore[attr-defined]
            spans.append((record, region.where, region.offsets[starts[record.line] + record.column]))
    return article, spans


def _refuse(path: str, why: str) -> GlossError:
    return GlossError(f"cannot change the notes safely here: {why}", SourceLocation(path, 1, 1),
                      "edit the file by hand, or report this as a Gloss bug with the file")


def _same_note(note: Note, fields: NoteFields) -> bool:
    sources = tuple(SourceFields(s.title, s.url, s.date) for s in note.sources)
    return (note.body.text, note.verdict, note.rating, sources, note.claimant, note.claim) == (
        fields.body, fields.verdict, fields.rating, fields.sources, fields.claimant, fields.claim)


def _verify(
    text: str, path: str, note_id: str, fields: NoteFields, quote: str | None
) -> list[tuple[SpanRecord, str, int]]:
    """Check the result of an edit; returns its spans (as :func:`_checked` does)."""
    try:
        article, spans = _checked(text, path)
    except (GlossError, GlossErrors) as exc:
        raise _refuse(path, "the result would not pass gloss check: " + flatten(exc)[0].format()) from None
    note = next((n for n in article.notes if n.id == note_id), None)
    span = next((s for s, _, _ in spans if s.note_id == note_id), None)
    if note is None or span is None or span.kind != fields.kind or not _same_note(note, fields):
        raise _refuse(path, f'note "{note_id}" would not read back as written')
    if quote is not None and normalise(span.text) != normalise(quote):
        raise _refuse(path, f'the span would hold "{span.text}", not the selected "{quote}"')
    return spans


# ---------------------------------------------------------------- the API


def note_ids(text: str, path: str = "content file") -> set[str]:
    """The ids of the notes in the front matter (for :func:`unique_id`)."""
    return {str(k.value) for k, _ in _Front(text, path).notes()}


def current_fields(text: str, note_id: str, path: str = "content file") -> NoteFields:
    """The note ``note_id`` as :class:`NoteFields` (its kind from its span): the start of an edit."""
    article, spans = _checked(text, path)
    note = next((n for n in article.notes if n.id == note_id), None)
    if note is None:
        known = ", ".join(n.id for n in article.notes) or "none"
        raise GlossError(f'there is no note "{note_id}"', SourceLocation(path, 1, 1), f"notes: {known}")
    kind = next(s.kind for s, _, _ in spans if s.note_id == note_id)
    return NoteFields(kind, note.verdict, note.body.text, note.rating,
                      tuple(SourceFields(s.title, s.url, s.date) for s in note.sources), note.claimant, note.claim)


def unique_id(claim_words: str, existing: Collection[str]) -> str:
    """A readable note id from a claim's (or a quote's) words, not in ``existing``.

    Up to four significant words, ASCII, lower case, joined by ``-`` (``"Seoul suspended the
    agreement"`` → ``seoul-suspended-agreement``); ``-2``, ``-3``… when taken.
    """
    # Apostrophes join ("Putin's" → putins); other non-letters separate; accents fall away (é → e).
    joined = re.sub("['\u2019]", "", claim_words)
    ascii_text = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    chosen = [w for w in words if w not in _STOP][:4] or words[:4]
    base = "-".join(chosen)[:40].rstrip("-") or "note"
    if not base[0].isalpha():
        base = "n-" + base
    if not reads_as_text(base):  # `null`, `yes`, `off`… would not read back as an id
        base += "-note"
    taken = set(existing)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def add_note(
    text: str, *, start: int, end: int, note: NoteFields, note_id: str | None = None, path: str = "content file"
) -> str:
    """Wrap file offsets [start, end) in a span of ``note.kind`` and add the note; returns the new text.

    ``note_id`` defaults to :func:`unique_id` of ``note.claim`` (else the selected text).
    """
    _, spans = _checked(text, path)
    fields = clean(note, location(text, path, start))
    region = region_of(text, path, start, end)
    check_wrappable(text, path, region, start, end)
    quote = _quote(region, start, end)
    front = _Front(text, path)
    existing = note_ids(text, path) | {s.note_id for s, _, _ in spans}
    if note_id is None:
        note_id = unique_id(fields.claim or quote, existing)
    elif not NOTE_ID.match(note_id) or note_id in existing:
        raise GlossError(f'note id "{note_id}" is ' + ("taken" if note_id in existing else "not a valid id"),
                         location(text, path, start), "use letters, digits, - and _, starting with a letter")
    edits: list[_Edit] = [(start, start, "["), (end, end, f"]{{.{fields.kind} #{note_id}}}")]
    indent, step = front.indents()
    lines = note_lines(note_id, fields, indent, step)
    notes_key = front.key("notes")
    if front.notes() and not (notes_key and getattr(notes_key[1], "flow_style", False)):
        edits.append((at := front.lines_end(front.notes()[-1][1]), at, lines))
    elif notes_key is not None and isinstance(notes_key[1], yaml.ScalarNode) and notes_key[1].value == "":
        edits.append((at := front.lines_end(notes_key[0]), at, lines))
    elif notes_key is not None and not front.notes() and _empty(notes_key[1]):  # `notes: {}` or `notes: null` becomes a block
        colon, value_end = front.offset(notes_key[0].end_mark), front.offset(notes_key[1].end_mark)
        edits.append((colon + 1, value_end, ""))  # " {}" goes; a comment after it stays on the line
        edits.append((at := front.lines_end(notes_key[1]), at, lines))
    elif notes_key is not None:
        raise GlossError('"notes" is written in a form new notes cannot be added to', location(
            text, path, front.offset(notes_key[0].start_mark)), "write it as `notes:` with each note on its own lines")
    else:
        comments = front.key("comments")
        at = front.line_begin(front.offset(comments[0].start_mark)) if comments else front.end
        edits.append((at, at, f"{' ' * (indent - step)}notes:\n{lines}"))
    result = _apply(text, edits)
    checked = _verify(result, path, note_id, fields, quote)
    if notes_key is None or front.notes():  # `notes:` left empty would come back without its line
        if _without(result, note_id, path, checked) != text:  # text is valid: no need to check it again
            raise _refuse(path, "removing the note again would not give the file back")
    return result


def _empty(node: yaml.Node) -> bool:
    """An empty flow mapping or an explicit null."""
    if isinstance(node, yaml.MappingNode):
        return not node.value
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _quote(region: Region, start: int, end: int) -> str:
    first, last = region.offsets.index(start), region.offsets.index(end)
    projection = region.projection
    return "".join(ch for ch, at in zip(projection.text, projection.starts, strict=True) if first <= at < last)


def _span_edits(text: str, path: str, note_id: str, spans: list[tuple[SpanRecord, str, int]]) -> tuple[_Edit, _Edit]:
    """The edits that delete the ``[`` and the ``]{…}`` of the note's span."""
    found = next(((s, at) for s, _, at in spans if s.note_id == note_id), None)
    if found is None:
        raise GlossError(f'no span uses note "{note_id}"', SourceLocation(path, 1, 1), "check the note id")
    _, opening = found
    closing = re.compile(r"\]\{[^}\n]*#" + re.escape(note_id) + r"(?=[\s}])[^}\n]*\}").search(text, opening)
    if closing is None:
        raise _refuse(path, f'the end of the span of "{note_id}" was not found')
    return (opening, opening + 1, ""), (closing.start(), closing.end(), "")


def remove_note(text: str, note_id: str, path: str = "content file") -> str:
    """Remove the note ``note_id`` and the span marking its text (the text itself stays)."""
    _, spans = _checked(text, path)
    result = _without(text, note_id, path, spans)
    try:
        article, remaining = _checked(result, path)
    except (GlossError, GlossErrors) as exc:
        raise _refuse(path, "the result would not pass gloss check: " + flatten(exc)[0].format()) from None
    if any(n.id == note_id for n in article.notes) or any(s.note_id == note_id for s, _, _ in remaining):
        raise _refuse(path, f'note "{note_id}" would still be there')
    return result


def _without(text: str, note_id: str, path: str, spans: list[tuple[SpanRecord, str, int]]) -> str:
    """``text`` without the note and its span's markup (``spans``: the checked text's), unchecked."""
    front = _Front(text, path)
    key, value = front.note(note_id)
    edits: list[_Edit] = list(_span_edits(text, path, note_id, spans))
    if len(front.notes()) == 1:
        notes_key, notes_value = front.key("notes") or (key, value)
        edits.append((front.line_begin(front.offset(notes_key.start_mark)), front.lines_end(notes_value), ""))
    else:
        edits.append((front.line_begin(front.offset(key.start_mark)), front.lines_end(value), ""))
    return _apply(text, edits)


def edit_note(text: str, note_id: str, note: NoteFields, path: str = "content file") -> str:
    """Change the note ``note_id`` (and its span's kind) to ``note``; unchanged fields keep their bytes."""
    article, spans = _checked(text, path)
    front = _Front(text, path)
    key, value = front.note(note_id)
    fields = clean(note, location(text, path, front.offset(key.start_mark)))
    old = next(n for n in article.notes if n.id == note_id)
    span = next((s for s, _, _ in spans if s.note_id == note_id), None)
    if not isinstance(value, yaml.MappingNode) or value.flow_style:
        raise GlossError(f'note "{note_id}" is written in a form Gloss cannot edit in place',
                         location(text, path, front.offset(key.start_mark)), "write each field on its own line")
    present = {str(k.value): (k, v) for k, v in value.value}
    indent = value.value[0][0].start_mark.column
    step = front.indents()[1]
    current = {"body": old.body.text, "verdict": old.verdict, "rating": old.rating, "claimant": old.claimant,
               "claim": old.claim,
               "sources": tuple(SourceFields(s.title, s.url, s.date) for s in old.sources)}
    wanted = {"body": fields.body, "verdict": fields.verdict, "rating": fields.rating, "claimant": fields.claimant,
              "claim": fields.claim,
              "sources": fields.sources}
    edits: list[_Edit] = []
    last_end = front.line_begin(front.offset(value.value[0][0].start_mark))
    for name in FIELD_ORDER:
        if name in present:
            k, v = present[name]
            begin, finish = front.line_begin(front.offset(k.start_mark)), front.lines_end(v)
            if current[name] != wanted[name]:
                edits.append((begin, finish, field_lines(name, fields, indent, step)))  # "" removes it
            last_end = finish
        elif wanted[name] not in (None, ()):
            edits.append((last_end, last_end, field_lines(name, fields, indent, step)))
    if span is not None and span.kind != fields.kind:
        closing = _span_edits(text, path, note_id, spans)[1]
        attrs = text[closing[0] : closing[1]]
        edits.append((closing[0], closing[1], attrs.replace(f".{span.kind}", f".{fields.kind}", 1)))
    result = _apply(text, edits)
    _verify(result, path, note_id, fields, None)
    return result
