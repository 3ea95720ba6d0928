"""Output stage for ``gloss dump``: one parsed article as stable JSON.

The schema is a public interface (README, "gloss dump"): keys and their order
never change without a note in the changelog. Notes come in reading order,
comments in source order.
"""

from __future__ import annotations

import json
from typing import Any

from .site.article_page import ArticlePage


def dump_data(page: ArticlePage) -> dict[str, Any]:
    """The dump as plain data."""
    article = page.article
    return {
        "slug": article.slug,
        "title": article.title,
        "date": article.date,
        "tags": list(article.tags),
        "author": list(article.authors),
        "reviewed_by": list(article.reviewed_by),
        "updated": article.updated,
        "image": article.image,
        "language": article.language,
        "translation_of": article.translation_of,
        "corrections": [{"date": c.date, "text": c.text} for c in article.corrections],
        "body": article.body.text,
        "extra": article.extra,
        "notes": [
            {
                "id": note.id,
                "kind": note.kind,
                "verdict": note.verdict,
                "rating": note.rating,
                "quote": note.quote,
                "in": note.location,
                "body": next(n.body.text for n in article.notes if n.id == note.id),
                "sources": [{"title": s.title, "url": s.url, "date": s.date} for s in note.sources],
                "claimant": note.claimant,
                "claim": note.claim,
            }
            for note in page.notes
        ],
        "comments": [
            {
                "id": c.id,
                "author": c.author,
                "author_basis": c.author_basis,
                "date": c.date,
                "reply_to": c.reply_to,
                "reply_basis": c.reply_basis,
                "body": c.body.text,
            }
            for c in article.comments
        ],
    }


def dump_json(page: ArticlePage) -> str:
    """The dump as indented UTF-8 JSON text (non-ASCII kept as is)."""
    return json.dumps(dump_data(page), ensure_ascii=False, indent=2) + "\n"
