"""Import stage: a raw article-plus-comments dump becomes content-file text.

Pure: bytes in, text out; the CLI does the reading and writing. The raw format
(README, "The raw import format"): the article's paragraphs, then comments, each
under a timestamp line. The content file is written by hand here (not by a YAML
library) so that it is readable, keeps keys in a fixed order, quotes every
free-text scalar and is byte-identical each time the same file is imported.

Raw text is plain prose, not Markdown: characters that Markdown would read as
markup (``*``, ``_``, ``[``, ``<``, a leading ``#`` or ``1.``…) are
backslash-escaped so the page shows exactly what the reader wrote.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from ..common.errors import GlossError, SourceLocation
from ..common.links import bare_urls
from ..common.slugs import slugify
from ..common.textfile import NOT_PRINTABLE, UNICODE_BREAKS, decode_raw
from .replies import infer_replies
from .timestamps import TimestampProblem, read_timestamp, resembles_timestamp

_INLINE_MARKUP = re.compile(r"[\\`*_\[\]<~]|&(?=#?\w+;)")  # no group: a leading class is searched for fast
# A superset of the schemes ``common.links`` lets linkify link (http, https, mailto; any case).
_SCHEME = re.compile(r"(?i:https?|mailto):")
_ESCAPED = r"\\\g<0>"  # a backslash, then what the markup pattern matched
_BLOCK_START = re.compile(r"^(?:([#>+\-=|])|(\d{1,9})([.)]))")


@dataclass(frozen=True, slots=True)
class RawComment:
    """A comment as found in the raw dump."""

    date: str
    """ISO ``YYYY-MM-DDTHH:MM`` from its timestamp line."""
    paragraphs: tuple[str, ...]
    """Its non-blank lines, stripped, in order."""
    line: int
    """1-based line of its timestamp line."""


@dataclass(frozen=True, slots=True)
class RawDocument:
    """The raw dump split into article and comments."""

    paragraphs: tuple[str, ...]
    """The article's non-blank lines, stripped."""
    comments: tuple[RawComment, ...]
    """Comments in file order."""
    warnings: tuple[str, ...] = ()
    """``file:line:col: warning: …`` for each line that looks like a timestamp in no accepted form."""


@dataclass(frozen=True, slots=True)
class ImportedArticle:
    """What ``gloss import`` writes."""

    slug: str
    """The content file is ``<slug>.md``."""
    text: str
    """The content file's full text."""
    warnings: tuple[str, ...] = ()
    """Located one-line warnings to show the user (the import still succeeds)."""


def _lines(text: str) -> Iterator[tuple[int, str, int]]:
    """(1-based line, text, column offset): "\n" lines, each split again at
    Unicode line/paragraph separators, which also end a paragraph."""
    for number, physical in enumerate(text.split("\n"), start=1):
        offset = 0
        for part in UNICODE_BREAKS.split(physical):
            yield number, part, offset
            offset += len(part) + 1


_FORMS_HINT = 'comment lines read like "June 18, 2024 AT 20:25", "18 June 2024, 20:25" or "2024-06-18 20:25"'


def split_raw(text: str, path: str, date_order: str | None = None) -> RawDocument:
    """Split decoded raw text into the article and its comments.

    ``date_order`` ("dmy" or "mdy") reads numeric dates such as ``06/07/2024``; without it such
    a date is an error, and two lines that show different orders (``18/06`` and ``06/18``) are too.
    """
    article: list[str] = []
    comments: list[RawComment] = []
    warnings: list[str] = []
    current: tuple[str, int] | None = None
    paragraphs: list[str] = []
    seen_order: tuple[str, int] | None = None
    for number, line, offset in _lines(text):
        stamp = read_timestamp(line, date_order)
        if isinstance(stamp, TimestampProblem):
            raise GlossError(stamp.message, SourceLocation(path, number, offset + stamp.column), stamp.hint)
        if stamp is None:
            if line.strip():
                if resembles_timestamp(line.strip()):
                    column = offset + len(line) - len(line.lstrip()) + 1
                    warnings.append(GlossError(
                        "warning: this line looks like a timestamp but matches no accepted form; kept as text",
                        SourceLocation(path, number, column), _FORMS_HINT).format())
                (paragraphs if current else article).append(line.strip())
            continue
        if stamp.order is not None and date_order is None:
            if seen_order is not None and seen_order[0] != stamp.order:
                raise GlossError(
                    f"this date reads {_ORDER_WORDS[stamp.order]} but line {seen_order[1]}'s reads "
                    f"{_ORDER_WORDS[seen_order[0]]}",
                    SourceLocation(path, number, offset + len(line) - len(line.lstrip()) + 1),
                    "correct the date that is wrong, or pass --date-order dmy or mdy",
                )
            seen_order = seen_order or (stamp.order, number)
        if current is None:
            if not article:
                raise GlossError(
                    "no article text before the first timestamp line",
                    SourceLocation(path, number, 1),
                    "the article's paragraphs come first, then each comment under its timestamp line",
                )
        else:
            comments.append(RawComment(current[0], tuple(paragraphs), current[1]))
        current, paragraphs = (stamp.iso, number), []
    if current is not None:
        comments.append(RawComment(current[0], tuple(paragraphs), current[1]))
    if not article:
        raise GlossError(
            "no article text in the file",
            SourceLocation(path, 1, 1),
            "the file must start with the article's paragraphs",
        )
    return RawDocument(tuple(article), tuple(comments), tuple(warnings))


_ORDER_WORDS = {"dmy": "day first", "mdy": "month first"}


def escape_markdown(paragraph: str) -> str:
    """Escape what Markdown would read as markup, so the text shows as written.

    Bare addresses (``https://example.org/a_b``) are left as written: the Markdown stage links
    them, and an escape inside one would end up in the link's target.
    """
    pieces, last = [], 0
    # Only http(s) and mailto addresses are linked, so a paragraph naming no such scheme (nearly
    # every one) need not go through linkify, the importer's slowest step per paragraph.
    # (A case-blind search reads every character slowly: a paragraph without a colon has no scheme.)
    for start, end in bare_urls(paragraph) if ":" in paragraph and _SCHEME.search(paragraph) else ():
        pieces += [_INLINE_MARKUP.sub(_ESCAPED, paragraph[last:start]), paragraph[start:end]]
        last = end
    pieces.append(_INLINE_MARKUP.sub(_ESCAPED, paragraph[last:]))
    escaped = "".join(pieces)
    match = _BLOCK_START.match(escaped)
    if match is None:
        return escaped
    if match.group(1):
        return "\\" + escaped
    return escaped[: match.end(2)] + "\\" + escaped[match.end(2) :]


_ABBREVIATIONS = {"dr", "mr", "ms", "mrs", "st", "prof", "no", "vs", "etc", "gen", "sen", "gov", "jr", "sr"}


def _sentence_end(text: str) -> int:
    """Index just past the first sentence: at . ! ? before a space and a capital,
    but not after an initial or abbreviation ("U.S. officials", "Dr. Lima")."""
    for match in re.finditer(r"[.!?]+(?=\s+[A-Z\"“‘'])", text):
        word = re.search(r"(\w+)$", text[: match.start()])
        if match.group() == "." and word and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREVIATIONS):
            continue
        return match.end()
    return len(text)


def derive_title(paragraphs: tuple[str, ...], limit: int = 90) -> str:
    """A provisional headline: the first sentence, cut at a word under ``limit``."""
    sentence = paragraphs[0][: _sentence_end(paragraphs[0])]
    if len(sentence) <= limit:
        return sentence if sentence.endswith("..") else sentence.removesuffix(".")
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


_YAML_SPECIAL = re.compile('["\\\\\n\t\x85\u2028\u2029\ufeff]|' + NOT_PRINTABLE.pattern)


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar that any YAML 1.1 or 1.2 reader reads back as ``text``."""
    if not _YAML_SPECIAL.search(text):  # most text needs no escape: skip the loop below
        return f'"{text}"'
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif NOT_PRINTABLE.match(char) or char in "\x85\u2028\u2029\ufeff":
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _block(key: str, text: str, indent: str) -> list[str]:
    """A ``key: |-`` literal block scalar; keeps the text exactly, one line per line."""
    lines = [f"{indent}{key}: |-"]
    for line in text.split("\n"):
        lines.append(f"{indent}  {line}" if line else "")
    return lines


def _null_or_quoted(value: str | None) -> str:
    return "null" if value is None else yaml_quote(value)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Run without the cyclic garbage collector, as reply inference is best run.

    Inference makes hundreds of thousands of small tuples and sets that live until it ends and form
    no cycles; the collector would traverse all of them again and again as they pile up (a fifth of
    a 20,000-comment import). Reference counting frees them all the same.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def content_text(
    document: RawDocument, *, title: str, slug: str, source: str, date: str | None, digest: str = ""
) -> str:
    """The content file (docs/design.md §3) for a split raw document."""
    bodies = ["\n\n".join(c.paragraphs) for c in document.comments]
    # The article's names (Putin, the mayor) are not commenters; passing it lets inference tell.
    with _collector_paused():
        inference = infer_replies(bodies, article="\n\n".join(document.paragraphs))
    lines = [
        "---",
        f"title: {yaml_quote(title)}",
        f"slug: {yaml_quote(slug)}",
        f"date: {_null_or_quoted(date)}",
        "tags: []",
        'summary: ""',
        f"source: {yaml_quote(source)}",
        f"source_sha256: {yaml_quote(digest)}",
        "draft: false",
        "notes: {}",
        "comments:" if document.comments else "comments: []",
    ]
    for index, comment in enumerate(document.comments):
        link = inference.links[index]
        reply_to = None if link.reply_to is None else f"c{link.reply_to + 1}"
        body = "\n\n".join(escape_markdown(p) for p in comment.paragraphs)
        lines += [
            f"  - id: {yaml_quote(f'c{index + 1}')}",
            f"    date: {yaml_quote(comment.date)}",
            f"    author: {_null_or_quoted(inference.authors[index])}",
            f"    author_basis: {_null_or_quoted(inference.author_bases[index])}",
            f"    author_evidence: {_null_or_quoted(inference.author_evidence[index])}",
            f"    reply_to: {_null_or_quoted(reply_to)}",
            f"    reply_basis: {_null_or_quoted(link.basis)}",
            f"    reply_evidence: {_null_or_quoted(inference.evidence[index])}",
        ]
        lines += _block("body", body, "    ") if body else ['    body: ""']
    lines.append("---")
    lines.append("\n\n".join(escape_markdown(p) for p in document.paragraphs))
    return "\n".join(lines) + "\n"


def import_raw(
    data: bytes,
    path: str,
    *,
    title: str | None = None,
    slug: str | None = None,
    date: str | None = None,
    source: str | None = None,
    date_order: str | None = None,
) -> ImportedArticle:
    """Turn a raw dump into a content file.

    The slug defaults to the raw file's name (``harbour-budget.txt`` → ``harbour-budget``): the
    name the editor chose, where a slug made from the first sentence would be cut mid-phrase.
    ``date`` defaults to the day of the first comment: the article was public by then, and the
    editor is expected to correct it (the README says so). Without comments there is no such
    day, and an undated article would sort last, so ``date`` is then required.
    ``source_sha256`` records the raw bytes, so importing the same dump twice can be refused.
    """
    document = split_raw(decode_raw(data, path), path, date_order)
    title = title or derive_title(document.paragraphs)
    source = source or path
    if slug:
        slug = slugify(slug)
    elif re.search(r"[A-Za-z0-9]", PurePath(source).stem):
        slug = slugify(PurePath(source).stem)
    else:
        raise GlossError(
            f'cannot make a slug from the file name "{PurePath(source).name}"',
            SourceLocation(path, 1, 1),
            "pass --slug with the article's URL name, e.g. --slug harbour-budget",
        )
    if date is None:
        if not document.comments:
            raise GlossError(
                "the dump has no comments, so there is no day to date the article by",
                SourceLocation(path, 1, 1),
                "pass --date YYYY-MM-DD, the day the article was published",
            )
        date = document.comments[0].date[:10]
    digest = hashlib.sha256(data).hexdigest()
    text = content_text(document, title=title, slug=slug, source=source, date=date, digest=digest)
    return ImportedArticle(slug, text, document.warnings)


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An existing content file imported from the same raw bytes."""

    path: PurePath
    """The content file."""
    source: str
    """Its ``source`` value as written in its front matter (quoted), e.g. ``"budget.txt"``."""
    same_source: bool
    """True if its ``source`` is also the new import's: the same file imported again."""

    def how(self) -> str:
        """What matched, for the refusal. The same bytes under another file name ("budget (1).txt")
        are still the same article and discussion, so they are refused too, naming the first name."""
        return "same file name and bytes" if self.same_source else f"same bytes, imported from {self.source}"


def _front_value(lines: Iterable[str], key: str) -> str | None:
    """The raw text after ``key: `` on the first front matter line that starts with it."""
    prefix = f"{key}: "
    return next((ln.rstrip("\n")[len(prefix):] for ln in lines if ln.startswith(prefix)), None)


def find_duplicate(content_files: Iterable[PurePath], text: str) -> Duplicate | None:
    """The content file among ``content_files`` imported from the same bytes, if any; one that
    also has the same ``source`` (the same file name imported again) is preferred.

    Compares the ``source_sha256`` and ``source`` lines that every import writes (a text search:
    the files need not parse); files written by hand have no digest and never match.
    """
    digest = _front_value(text.split("\n"), "source_sha256")
    source = _front_value(text.split("\n"), "source") or ""
    if digest is None or digest == '""':
        return None
    found: Duplicate | None = None
    for candidate in content_files:
        try:
            with open(candidate, encoding="utf-8", errors="replace") as handle:
                head = list(_front_matter_lines(handle))
        except OSError:
            continue
        if _front_value(head, "source_sha256") != digest:
            continue
        theirs = _front_value(head, "source") or '""'
        if theirs == source:
            return Duplicate(candidate, theirs, True)
        found = found or Duplicate(candidate, theirs, False)
    return found


def _front_matter_lines(lines: Iterable[str]) -> Iterator[str]:
    """The lines up to the end of the front matter (the top-level keys come before any comment)."""
    for number, line in enumerate(lines):
        if number > 0 and line.rstrip("\n") == "---":
            return
        yield line
