"""Content stage: a content file's text becomes an :class:`~generator.content.model.Article`.

Pure (text in, model out). Front matter is YAML between two ``---`` lines;
every schema problem is reported at its line and column in the content file
itself, and all problems of the file are collected before raising.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

import yaml

from ..common.errors import GlossError, SourceLocation, raise_all
from .model import (
    AUTHOR_BASES,
    REPLY_BASES,
    Article,
    Comment,
    Correction,
    Note,
    Position,
    Source,
    TextBlock,
)
from .note_kinds import VERDICT, rating_hint, verdict_hint, verdict_suggestion
from .yamldoc import (EXTRA_EXPECTED, LANGUAGE_EXPECTED, SLUG, SLUG_EXPECTED, Fields, YamlDocument, as_bool, as_extra,
                      as_int, as_language, as_slug, as_text, as_text_list)

ARTICLE_KEYS = ("title", "slug", "date", "updated", "author", "reviewed_by", "tags", "summary", "image", "source",
                "source_sha256", "draft", "corrections", "notes", "comments", "extra", "language", "translation_of")
NOTE_KEYS = ("body", "verdict", "rating", "claim", "sources", "claimant")
CORRECTION_KEYS = ("date", "text")
SOURCE_KEYS = ("title", "url", "date")
COMMENT_KEYS = (
    "id", "date", "author", "author_basis", "author_evidence", "reply_to", "reply_basis", "reply_evidence", "body"
)

NOTE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
COMMENT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\Z")
_DELIMITER = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
# The closing delimiter line with the line break before it: a pattern that starts with a literal
# lets the regex engine skip from line break to line break instead of trying every position of
# the front matter (which holds every comment: tens of kilobytes).
_CLOSING = re.compile(r"\n(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


def as_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` (quoted or not) as a checked ISO string."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and (_DATE.match(value) or _DATETIME.match(value)):
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            return None
        return value
    return None


def as_datetime(value: Any) -> str | None:
    """``YYYY-MM-DDTHH:MM`` as a checked ISO string."""
    checked = as_date(value)
    return checked if checked is not None and "T" in checked else None


def _block_text(doc: YamlDocument, node: yaml.Node, text: str) -> TextBlock:
    """Locate a scalar's text so spans inside it map back to the file."""
    pos = doc.position(node)
    style = getattr(node, "style", None)
    if style in ("|", ">"):
        # A block scalar's text starts on the line after its "|" indicator,
        # indented as its first non-blank line is.
        following = doc.lines[pos.line - doc.first_line + 1 :]
        first = next((line for line in following if line.strip()), "")
        return TextBlock(text, pos.line + 1, len(first) - len(first.lstrip(" ")))
    # A plain scalar starts at its node; a quoted one one column after its quote.
    return TextBlock(text, pos.line, pos.column if style in ('"', "'") else pos.column - 1)


def _image(doc: YamlDocument, fields: Fields) -> str | None:
    image = fields.get("image", as_text, "an http(s) image URL", None)
    if image is not None and not re.match(r"https?://[^\s/]+\S*\Z", image, re.IGNORECASE):
        doc.error(f'image "{image}" is not an http(s) address', fields.node_of("image"),
                  "link previews need an absolute URL starting with https://")
        return None
    return image


def split_front_matter(text: str, path: str) -> tuple[str, int, str, int]:
    """(front matter, its first line, body, the body's first line)."""
    if not text.startswith("---") or not _DELIMITER.match(text):
        raise GlossError(
            "content file does not start with front matter",
            SourceLocation(path, 1, 1),
            "start the file with a line --- then the YAML fields, then another line ---",
        )
    first_end = text.find("\n") + 1
    closing = _CLOSING.search(text, first_end - 1) if first_end else None
    if closing is None:
        raise GlossError(
            "front matter is not closed",
            SourceLocation(path, 1, 1),
            "add a line --- after the last front-matter field",
        )
    line_start = closing.start() + 1
    front = text[first_end:line_start]
    body_start = text.find("\n", closing.end())
    body = "" if body_start < 0 else text[body_start + 1 :]
    body_line = text.count("\n", 0, line_start) + 2
    return front, 2, body, body_line


def _sources(doc: YamlDocument, fields: Fields, what: str, warnings: list[str]) -> tuple[Source, ...]:
    if not fields.has("sources"):
        return ()
    node = fields.node_of("sources")
    if not isinstance(node, yaml.SequenceNode):
        doc.error(f'"sources" of {what} must be a list', node, "write each source as `- title: …`")
        return ()
    sources = []
    for item in node.value:
        source = Fields(doc, item, f"a source of {what}", SOURCE_KEYS)
        if not source.valid:
            continue
        title = source.get("title", as_text, "text", "", required=True)
        url = source.get("url", as_text, "an http(s) URL", None)
        if url is not None and not re.match(r"https?://[^\s/]+", url, re.IGNORECASE):
            doc.error(
                f'source URL "{url}" is not an http(s) address',
                source.node_of("url"),
                "sources link to web pages: use a URL starting with https://",
            )
            url = None
        date = source.get("date", as_date, "a date YYYY-MM-DD", None)
        if url is None and (not source.has("url") or doc.value(source.node_of("url")) is None):
            # A warning, not an error: an offline source (a printed report) is still evidence,
            # but a reader cannot follow it, so the editor should add a link where one exists.
            where = doc.position(item)
            warnings.append(GlossError(
                f'warning: source "{title}" of {what} has no URL', SourceLocation(doc.path, where.line, where.column),
                "add `url: https://…` so readers can follow it, if the source is online",
            ).format())
        sources.append(Source(title, url, date))
    return tuple(sources)


def _notes(doc: YamlDocument, fields: Fields, warnings: list[str]) -> tuple[Note, ...]:
    if not fields.has("notes"):
        return ()
    node = fields.node_of("notes")
    if isinstance(node, yaml.ScalarNode) and doc.value(node) is None:
        return ()
    if not isinstance(node, yaml.MappingNode):
        doc.error('"notes" must be a mapping from note id to note', node, "write `notes:` then `  myid:`")
        return ()
    notes = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        note_id = str(doc.value(key_node))
        what = f'note "{note_id}"'
        if not NOTE_ID.match(note_id):
            doc.error(f"note id {note_id!r} is not a valid id", key_node, "use letters, digits, - and _")
            continue
        if note_id in seen:
            doc.error(f'duplicate note id "{note_id}"', key_node, "each note id must be unique")
            continue
        seen.add(note_id)
        note = Fields(doc, value_node, what, NOTE_KEYS)
        if not note.valid:
            continue
        body = note.get("body", as_text, "text", "", required=True)
        verdict = note.get("verdict", as_text, "a verdict word", "", required=True, hint=verdict_hint())
        if verdict and verdict not in VERDICT:
            doc.error(f'unknown verdict "{verdict}" in {what}', note.node_of("verdict"), verdict_suggestion(verdict))
        rating = note.get("rating", as_int, "a whole number from 1 to 5", None)
        if rating is not None and not 1 <= rating <= 5:
            doc.error(
                f"rating {rating} in {what} is outside 1–5",
                note.node_of("rating"),
                "1 = false or unsupported … 5 = true and fully supported",
            )
            rating = None
        elif rating is not None and verdict in VERDICT and not (
            VERDICT[verdict].lowest <= rating <= VERDICT[verdict].highest
        ):
            doc.error(
                f'rating {rating} in {what} does not fit its verdict "{verdict}"',
                note.node_of("rating"),
                rating_hint(VERDICT[verdict]),
            )
            rating = None
        claim = note.get("claim", as_text, "one line of text", None)
        if claim is not None and (not claim.strip() or "\n" in claim.strip()):
            doc.error(
                f'"claim" of {what} must be one line of text',
                note.node_of("claim"),
                "state the claim checked in one sentence, or leave claim out to use the span text",
            )
            claim = None
        notes.append(
            Note(
                id=note_id,
                body=_block_text(doc, note.node_of("body"), body),
                verdict=verdict,
                rating=rating,
                sources=_sources(doc, note, what, warnings),
                claimant=note.get("claimant", as_text, "text", None),
                claim=" ".join(claim.split()) if claim else None,
                position=doc.position(key_node),
                verdict_position=doc.position(note.node_of("verdict")),
            )
        )
    return tuple(notes)


def _people(value: Any) -> tuple[str, ...] | None:
    """A name or a list of names (a byline), each non-empty text."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        return None
    return tuple(" ".join(n.split()) for n in names)


def _corrections(doc: YamlDocument, fields: Fields) -> tuple[Correction, ...]:
    if not fields.has("corrections"):
        return ()
    node = fields.node_of("corrections")
    if isinstance(node, yaml.ScalarNode) and doc.value(node) is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        doc.error('"corrections" must be a list', node, 'write each correction as `- date: "2024-06-20"` and `text: "…"`')
        return ()
    corrections = []
    for item in node.value:
        entry = Fields(doc, item, "a correction", CORRECTION_KEYS)
        if not entry.valid:
            continue
        date = entry.get("date", as_date, "a date YYYY-MM-DD", "", required=True)
        text = entry.get("text", as_text, "text", "", required=True)
        corrections.append(Correction(date, text))
    return tuple(corrections)


def _comments(doc: YamlDocument, fields: Fields) -> tuple[Comment, ...]:
    if not fields.has("comments"):
        return ()
    node = fields.node_of("comments")
    if isinstance(node, yaml.ScalarNode) and doc.value(node) is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        doc.error('"comments" must be a list', node, "write each comment as `- id: c1`")
        return ()
    comments: list[Comment] = []
    earlier: dict[str, Position] = {}
    for item in node.value:
        entry = Fields(doc, item, "a comment", COMMENT_KEYS)
        if not entry.valid:
            continue
        comment_id = entry.get("id", as_text, "text like c1", "", required=True)
        what = f'comment "{comment_id}"'
        if comment_id and not COMMENT_ID.match(comment_id):
            doc.error(f"comment id {comment_id!r} is not a valid id", entry.node_of("id"), "use ids like c1")
        elif comment_id in earlier:
            first = earlier[comment_id]
            doc.error(
                f'duplicate comment id "{comment_id}"',
                entry.node_of("id"),
                f"it is already used on line {first.line}; ids must be unique",
            )
        reply_to = entry.get("reply_to", as_text, "an earlier comment id", None)
        if reply_to is not None and reply_to not in earlier:
            later = any(doc.value(n) == reply_to for n in _ids_after(node, item))
            doc.error(
                f'{what} replies to "{reply_to}", which is '
                + ("not an earlier comment" if later or reply_to == comment_id else "not a comment here"),
                entry.node_of("reply_to"),
                "reply_to must name a comment that comes before this one",
            )
            reply_to = None
        basis = entry.get("reply_basis", as_text, "one of " + ", ".join(REPLY_BASES), None)
        if basis is not None and basis not in REPLY_BASES:
            doc.error(
                f'unknown reply_basis "{basis}" in {what}',
                entry.node_of("reply_basis"),
                "use one of " + ", ".join(REPLY_BASES),
            )
        author = entry.get("author", as_text, "text or null", None)
        author_basis = entry.get("author_basis", as_text, "one of " + ", ".join(AUTHOR_BASES), None)
        if author_basis is not None and author_basis not in AUTHOR_BASES:
            doc.error(
                f'unknown author_basis "{author_basis}" in {what}',
                entry.node_of("author_basis"),
                "use one of " + ", ".join(AUTHOR_BASES),
            )
        body = entry.get("body", as_text, "text", "", required=True)
        if comment_id and comment_id not in earlier:
            earlier[comment_id] = doc.position(entry.node_of("id"))
        comments.append(
            Comment(
                id=comment_id,
                date=entry.get("date", as_datetime, "a date-time YYYY-MM-DDTHH:MM", "", required=True),
                author=author,
                reply_to=reply_to,
                reply_basis=basis if reply_to is not None else None,
                body=_block_text(doc, entry.node_of("body"), body),
                position=doc.position(item),
                author_basis=author_basis if author is not None else None,
                author_evidence=entry.get("author_evidence", as_text, "text or null", None),
                reply_evidence=entry.get("reply_evidence", as_text, "text or null", None),
            )
        )
    return tuple(comments)


def _tag_positions(doc: YamlDocument, fields: Fields) -> tuple[Position, ...]:
    """Where each tag of ``tags: [...]`` stands (for a tag that shares another's page)."""
    node = fields.node_of("tags") if fields.valid and fields.has("tags") else None
    if not isinstance(node, yaml.SequenceNode):
        return ()
    return tuple(doc.position(item) for item in node.value)


def _ids_after(sequence: yaml.SequenceNode, item: yaml.Node) -> list[yaml.Node]:
    after = sequence.value[sequence.value.index(item) + 1 :]
    return [v for m in after if isinstance(m, yaml.MappingNode) for k, v in m.value if k.value == "id"]


def parse_article(
    text: str, path: str, default_slug: str, problems: list[GlossError] | None = None
) -> Article:
    """Parse one content file; raises every problem found in it at once.

    With ``problems``, field-level problems are appended to it instead and the
    article is returned as far as it could be read, so the later stages can still
    check its spans (one ``gloss check`` lists every error). A file without usable
    front matter still raises.
    """
    errors: list[GlossError] = []
    front, front_line, body, body_line = split_front_matter(text, path)
    doc = YamlDocument(front, path, front_line, errors)
    if doc.root is None:
        if not errors:
            errors.append(
                GlossError("front matter is empty", SourceLocation(path, 1, 1), 'add at least `title: "…"`')
            )
        raise_all(errors)
        raise AssertionError("unreachable")
    fields = Fields(doc, doc.root, "the front matter", ARTICLE_KEYS)
    warnings: list[str] = []
    title = fields.get("title", as_text, "text", "", required=True, hint='add `title: "Your headline"`')
    slug = fields.get("slug", as_text, "text", default_slug)
    if not SLUG.match(slug):
        doc.error(
            f'slug "{slug}" may only contain a-z, 0-9 and single hyphens',
            fields.node_of("slug"),
            "the slug becomes a folder name in output/; e.g. putin-visits-pyongyang",
        )
    article = Article(
        path=path,
        slug=slug,
        title=title,
        date=fields.get("date", as_date, "a date YYYY-MM-DD", None),
        tags=fields.get("tags", as_text_list, "a list of text", ()),
        summary=fields.get("summary", as_text, "text", ""),
        source=fields.get("source", as_text, "text", None),
        draft=fields.get("draft", as_bool, "true or false", False),
        authors=fields.get("author", _people, "a name or a list of names", ()),
        reviewed_by=fields.get("reviewed_by", _people, "a name or a list of names", ()),
        updated=fields.get("updated", as_date, "a date YYYY-MM-DD", None),
        corrections=_corrections(doc, fields) if fields.valid else (),
        image=_image(doc, fields),
        warnings=(),
        extra=fields.get("extra", as_extra, EXTRA_EXPECTED, {}),
        notes=_notes(doc, fields, warnings) if fields.valid else (),
        comments=_comments(doc, fields) if fields.valid else (),
        body=TextBlock(body, body_line),
        source_sha256=fields.get("source_sha256", as_text, "text", None),
        tag_positions=_tag_positions(doc, fields),
        language=fields.get("language", as_language, LANGUAGE_EXPECTED, None),
        translation_of=fields.get("translation_of", as_slug, SLUG_EXPECTED, None),
    )
    article = replace(article, warnings=tuple(warnings))
    if problems is not None:
        problems.extend(errors)
        return article
    raise_all(errors)
    return article
