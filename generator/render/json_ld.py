"""Render stage: schema.org structured data (JSON-LD) for an article page.

Pure: an :class:`ArticlePage` and the :class:`SiteConfig` in, JSON text out.
The article template puts it in ``<head>`` as ``<script
type="application/ld+json">``; a data block is never executed, so the page's
CSP (``script-src 'self'``) does not apply to it. The JSON is one ``@graph``:

* a ``NewsArticle``: headline, datePublished, description (the summary),
  keywords (the tags), inLanguage, its original or its translations, publisher, ``commentCount`` and
  ``comment``: one schema.org ``Comment`` per comment (text, dateCreated, the
  author as a ``Person`` only when known (never an inferred name), ``parentItem`` naming the comment it
  answers by ``@id``);
* one ``ClaimReview`` per note, in reading order: ``claimReviewed`` (the span
  text, cut below 75 characters at a word boundary with "…"), ``reviewRating``
  (1 worst … 5 best; ``alternateName`` is the verdict), ``itemReviewed`` (a
  ``Claim`` that appeared in the article, or in the comment holding the span,
  made by the claimant when the note names one, else by the comment's author
  when known), ``reviewBody`` (the note as
  plain text), ``author`` (the reviewers, else the publisher), ``datePublished``.
  The article also carries ``author`` (its byline), ``dateModified`` (``updated``) and
  ``description`` (the summary, then how many checks it holds and their verdict counts, in the
  site's language like the page's own description). Verdicts stay the canonical English words
  (``alternateName``) whatever the site's language: aggregators read them as a vocabulary.

Absolute URLs (``url``, ``mainEntityOfPage``, ``appearance``) need
``base_url`` and are left out without it. Comments always get an ``@id``
(``<page URL>#cN``; without ``base_url`` the relative ``#cN``, which JSON-LD
resolves against the page's own address), so replies can point at them.

Decisions:

* A note without a rating is rated from its verdict (``note_kinds.VERDICTS``).
* The publisher is ``site.yaml``'s ``publisher``, else the site title.
* A review's ``author`` is the article's ``reviewed_by`` (people) when given, else the
  publisher; the article's ``author`` is its byline (people), when given.
* ``claimReviewed`` is the note's ``claim`` when the editor wrote one, else the span text.
* The claimant is an ``Organization`` only when obviously one (an acronym, or a
  word such as Ministry, Agency, Government, News); a ``Person`` when it reads as
  a personal name (one to four capitalised words); otherwise a ``Thing`` (e.g.
  "Analysts cited in the article").
* A review cannot predate the claim it reviews: a note on a comment is dated
  with the comment (the claim's own date), a note on the article with the article.
* Keys appear in the order written here, so output is byte-identical across builds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ..content.config import SiteConfig
from ..content.html_text import html_text
from ..site.article_page import ArticlePage
from ..site.notes import NoteView
from ..site.threads import Thread, in_page_order
from ..site.translations import Translation

CLAIM_LIMIT = 75
"""``claimReviewed`` stays below this many characters (Google's guidance for ClaimReview)."""

_ORGANISATION = re.compile(
    r"\b(?:Agency|Association|Bank|Bureau|Commission|Committee|Company|Corporation|Council|Court|"
    r"Department|Embassy|Foundation|Government|Inc|Institute|Kremlin|Ltd|Ministry|News|Office|"
    r"Organi[sz]ation|Parliament|Party|Police|Press|Reuters|Senate|Service|Times|Union|University|"
    r"White House|[A-Z]{2,})\b"
)
_PERSONAL_NAME = re.compile(r"[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*){0,3}\Z")


def shorten(text: str, limit: int = CLAIM_LIMIT) -> str:
    """``text`` if shorter than ``limit``, else its words that fit below ``limit`` with "…"."""
    if len(text) < limit:
        return text
    budget = limit - 2  # characters of words, leaving room for the "…"
    head = text[: budget + 1]
    if head[-1] == " ":  # the cut falls between two words
        words = head[:-1]
    else:
        space = head.rfind(" ")
        words = head[:space] if space > 0 else text[:budget]  # one huge word: cut inside it
    return words.rstrip(" ,;:.–—-") + "…"


def claimant(name: str) -> dict[str, str]:
    """The claim's author as Organization, Person or Thing (module docstring)."""
    if _ORGANISATION.search(name):
        kind = "Organization"
    elif _PERSONAL_NAME.match(name):
        kind = "Person"
    else:
        kind = "Thing"
    return {"@type": kind, "name": name}


def _comment(thread: Thread, page_url: str) -> dict[str, Any]:
    c = thread.comment
    data: dict[str, Any] = {"@type": "Comment", "@id": f"{page_url}#{c.id}"}
    if page_url:
        data["url"] = f"{page_url}#{c.id}"
    data["text"] = html_text(thread.body_html)
    data["dateCreated"] = c.date
    if c.known_author:  # an inferred name is not published as a Person until an editor confirms it
        data["author"] = {"@type": "Person", "name": c.known_author}
    if thread.parent is not None:
        data["parentItem"] = {"@id": f"{page_url}#{thread.parent.id}"}
    return data


def _review(note: NoteView, page: ArticlePage, page_url: str, publisher: dict[str, str]) -> dict[str, Any]:
    reviewers = [{"@type": "Person", "name": name} for name in page.article.reviewed_by]
    comment = next((c for c in page.article.comments if c.id == note.location), None)
    claim_date = comment.date if comment else page.article.date
    claim: dict[str, Any] = {"@type": "Claim"}
    if note.claimant:
        claim["author"] = claimant(note.claimant)
    elif comment and comment.known_author:
        claim["author"] = {"@type": "Person", "name": comment.known_author}  # who wrote the comment made the claim
    if claim_date:
        claim["datePublished"] = claim_date
    if page_url:
        where = page_url if note.location == "article" else f"{page_url}#{note.location}"
        claim["appearance"] = {"@type": "NewsArticle" if note.location == "article" else "Comment", "url": where}
    review: dict[str, Any] = {"@type": "ClaimReview"}
    if page_url:
        review["@id"] = review["url"] = f"{page_url}#note-{note.id}"
    review["claimReviewed"] = note.claim or shorten(note.quote)
    review["reviewRating"] = {
        "@type": "Rating",
        "ratingValue": note.score,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": note.verdict,
    }
    review["itemReviewed"] = claim
    review["reviewBody"] = html_text(note.body_html)
    review["author"] = (reviewers[0] if len(reviewers) == 1 else reviewers) if reviewers else publisher
    review["publisher"] = publisher
    if claim_date:
        review["datePublished"] = claim_date
    return review


def structured_data(page: ArticlePage, config: SiteConfig, description: str | None = None,
                    translations: Sequence[Translation] = ()) -> dict[str, Any]:
    """The JSON-LD document as plain data; ``description`` is the page's in its language (else English);
    ``translations``, the article's versions (itself among them), name its original or its translations."""
    article = page.article
    page_url = config.base_url + page.url if config.base_url else ""
    publisher = {"@type": "Organization", "name": config.publisher or config.title}
    news: dict[str, Any] = {"@type": "NewsArticle"}
    if page_url:
        news["@id"] = news["url"] = page_url
        news["mainEntityOfPage"] = page_url
    news["headline"] = article.title
    if article.date:
        news["datePublished"] = article.date
    if article.updated:
        news["dateModified"] = article.updated
    if article.authors:
        people = [{"@type": "Person", "name": name} for name in article.authors]
        news["author"] = people[0] if len(people) == 1 else people
    description = page.description if description is None else description
    if description:
        news["description"] = description
    if article.tags:
        news["keywords"] = list(article.tags)
    news["inLanguage"] = article.language or config.language
    if page_url and translations:  # schema.org: a translation names its original, the original its translations
        others = [config.base_url + t.url for t in translations if t.slug != article.slug]
        original = [config.base_url + t.url for t in translations if t.slug == article.translation_of]
        if original:  # a draft original is not published: then it is not named
            news["translationOfWork"] = {"@id": original[0]}
        elif others and not article.translation_of:
            news["workTranslation"] = [{"@id": url} for url in others]
    news["publisher"] = publisher
    news["commentCount"] = page.comment_count
    if page.threads:
        news["comment"] = [_comment(t, page_url) for t in in_page_order(page.threads)]
    graph = [news] + [_review(note, page, page_url, publisher) for note in page.notes]
    return {"@context": "https://schema.org", "@graph": graph}


_SCRIPT_SAFE = (
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
)
"""Characters escaped as JSON ``\\uXXXX`` escapes (they occur only inside strings, where those
decode to the same text). Without ``<`` no user text can write ``</script>`` or ``<!--``,
which would end the element or change how the HTML parser reads it; ``>`` and ``&`` go too, as
in other HTML-safe JSON encoders, so no later markup rule can match; U+2028/U+2029 are line
breaks to JavaScript engines older than ES2019 that read the block as script."""


def json_ld(page: ArticlePage, config: SiteConfig, description: str | None = None,
            translations: Sequence[Translation] = ()) -> str:
    """JSON text that is safe inside ``<script type="application/ld+json">``.

    The standard library's C encoder (compact separators; an indent would select its slow
    pure-Python encoder), then :data:`_SCRIPT_SAFE`. The text decodes to the same data.
    One ``str.replace`` per character rather than ``str.translate``, which looks every character
    of the text up in its table: ten times slower on a page's 50 KB of JSON-LD.
    """
    text = json.dumps(structured_data(page, config, description, translations), ensure_ascii=False,
                      separators=(",", ":"))
    for char, escape in _SCRIPT_SAFE:  # no escape holds a character of the table: order is free
        if char in text:
            text = text.replace(char, escape)
    return text


def json_ld_markup(page: ArticlePage, config: SiteConfig, description: str | None = None,
                   translations: Sequence[Translation] = ()) -> Markup:
    """:func:`json_ld` marked safe for Jinja (autoescape would turn its quotes into entities)."""
    return Markup(json_ld(page, config, description, translations))
