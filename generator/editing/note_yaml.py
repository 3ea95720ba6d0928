"""Editing helper: a note's fields, checked, and written as the YAML lines of the front matter.

The lines look like what ``gloss import`` and the README write: the body as a literal block
(``body: |-``) when it can be one, every other text double-quoted, keys in the schema's order
(body, verdict, rating, claim, sources, claimant). Indentation follows the notes already in the file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from ..common.errors import GlossError, SourceLocation
from ..common.textfile import NOT_PRINTABLE, UNICODE_BREAKS
from ..content.note_kinds import KIND, RATING_SCALE, VERDICT, rating_hint


@dataclass(frozen=True, slots=True)
class SourceFields:
    """One source of a note, as the editor gives it."""

    title: str
    """What the source is called (required)."""
    url: str | None = None
    """An http(s) address, or None."""
    date: str | None = None
    """``YYYY-MM-DD``, or None."""


@dataclass(frozen=True, slots=True)
class NoteFields:
    """Everything an editor says about a note; the id and the span's place are given separately."""

    kind: str
    """``"fact"`` or ``"claim"``: the span's class."""
    verdict: str
    """A verdict of the kind's scale (``note_kinds.KIND[kind].verdicts``)."""
    body: str
    """The note text (Markdown); line ends are normalised, surrounding blank lines dropped."""
    rating: int | None = None
    """1–5, or None when not rated."""
    sources: tuple[SourceFields, ...] = ()
    """Evidence, in the editor's order."""
    claimant: str | None = None
    """Who made the claim, or None."""
    claim: str | None = None
    """The claim checked, in one line (``claim:``, schema.org ``claimReviewed``); a new note's id is made
    from its words. None: the span's text is the claim."""


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_URL = re.compile(r"https?://[^\s/]+", re.IGNORECASE)


def clean(fields: NoteFields, where: SourceLocation) -> NoteFields:
    """``fields`` with text normalised, or an error at ``where`` (the selection, or the note edited)."""

    def text(value: str | None, what: str, *, one_line: bool = True) -> str | None:
        if value is None:
            return None
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = value.strip() if one_line else value.strip("\n").rstrip()
        bad = NOT_PRINTABLE.search(UNICODE_BREAKS.sub(" ", value))
        if bad is not None:
            raise GlossError(f"{what} holds the control character U+{ord(bad.group()):04X}", where, "remove it")
        if one_line and "\n" in value:
            raise GlossError(f"{what} must be one line", where, "remove the line breaks")
        return value or None

    if fields.kind not in KIND:
        raise GlossError(f'unknown note kind "{fields.kind}"', where, "use fact or claim")
    allowed = KIND[fields.kind].verdicts
    if fields.verdict not in allowed:
        raise GlossError(f'verdict "{fields.verdict}" does not fit a {fields.kind} note', where,
                         f"{fields.kind} verdicts: " + ", ".join(allowed))
    if fields.rating is not None and fields.rating not in RATING_SCALE:
        raise GlossError(f"rating {fields.rating} is outside 1–5", where,
                         "1 = false or unsupported … 5 = true and fully supported")
    verdict = VERDICT[fields.verdict]
    if fields.rating is not None and not verdict.lowest <= fields.rating <= verdict.highest:
        raise GlossError(f'rating {fields.rating} does not fit the verdict "{fields.verdict}"', where,
                         rating_hint(verdict))
    body = text(fields.body, "the note body", one_line=False)
    if not body:
        raise GlossError("the note has no body", where, "say what the evidence shows, in a sentence or two")
    sources = []
    for number, source in enumerate(fields.sources, 1):
        title = text(source.title, f"the title of source {number}")
        if not title:
            raise GlossError(f"source {number} has no title", where, "name the source, e.g. Reuters, 4 June 2024")
        url = text(source.url, f"the URL of source {number}")
        if url is not None and not _URL.match(url):
            raise GlossError(f'source URL "{url}" is not an http(s) address', where,
                             "sources link to web pages: use a URL starting with https://")
        date = text(source.date, f"the date of source {number}")
        if date is not None and not _valid_date(date):
            raise GlossError(f'source date "{date}" is not a date YYYY-MM-DD', where, "write it like 2024-06-04")
        sources.append(SourceFields(title, url, date))
    return NoteFields(fields.kind, fields.verdict, body, fields.rating, tuple(sources),
                      text(fields.claimant, "the claimant"), text(fields.claim, "the claim"))


def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def quoted(value: str) -> str:
    """A YAML double-quoted scalar that reads back as ``value`` exactly."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable() and ch not in "\x85\u2028\u2029\ufeff":
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _literal_ok(body: str) -> bool:
    """Whether ``body`` reads back exactly from a ``|-`` block (else it is double-quoted)."""
    if body != body.strip("\n") or body[:1] in (" ", "\t") or "\r" in body:
        return False
    lines = body.split("\n")
    if any(line and not line.strip() for line in lines):  # whitespace-only lines change indentation
        return False
    return all((ch.isprintable() and ch not in "\x85\u2028\u2029\ufeff") or ch in "\t\n" for ch in body)


def field_lines(name: str, fields: NoteFields, indent: int, step: int) -> str:
    """The YAML lines of one field of a note (each ending in a line break), or "" if it is unset."""
    pad = " " * indent
    if name == "body":
        if _literal_ok(fields.body):
            inner = " " * (indent + step)
            lines = fields.body.split("\n")
            return f"{pad}body: |-\n" + "".join(f"{inner}{line}\n" if line else "\n" for line in lines)
        return f"{pad}body: {quoted(fields.body)}\n"
    if name == "verdict":
        return f"{pad}verdict: {quoted(fields.verdict)}\n"
    if name == "rating":
        return "" if fields.rating is None else f"{pad}rating: {fields.rating}\n"
    if name == "claimant":
        return "" if fields.claimant is None else f"{pad}claimant: {quoted(fields.claimant)}\n"
    if name == "claim":
        return "" if fields.claim is None else f"{pad}claim: {quoted(fields.claim)}\n"
    if name == "sources":
        if not fields.sources:
            return ""
        item = " " * (indent + step)
        more = " " * (indent + step + 2)
        lines = [f"{pad}sources:\n"]
        for source in fields.sources:
            lines.append(f"{item}- title: {quoted(source.title)}\n")
            if source.url is not None:
                lines.append(f"{more}url: {quoted(source.url)}\n")
            if source.date is not None:
                lines.append(f"{more}date: {quoted(source.date)}\n")
        return "".join(lines)
    raise ValueError(name)


FIELD_ORDER = ("body", "verdict", "rating", "claim", "sources", "claimant")
"""The order new notes' fields are written in (the schema's, ``parse.NOTE_KEYS``)."""


def reads_as_text(word: str) -> bool:
    """Whether YAML reads ``word`` unquoted as this very text (``null``, ``yes``, ``on`` are not)."""
    try:
        return bool(yaml.safe_load(word) == word)
    except yaml.YAMLError:
        return False


def note_lines(note_id: str, fields: NoteFields, indent: int, step: int) -> str:
    """The YAML lines of a whole note under ``notes:``: its id, then its fields one level deeper."""
    key = note_id if reads_as_text(note_id) else quoted(note_id)
    return f"{' ' * indent}{key}:\n" + "".join(field_lines(n, fields, indent + step, step) for n in FIELD_ORDER)
