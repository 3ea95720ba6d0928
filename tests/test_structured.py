"""JSON-LD on the article page: a NewsArticle with its comments and a ClaimReview for every note."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build, load_articles, load_pages
from generator.content.config import SiteConfig
from generator.content.note_kinds import CLAIM_VERDICTS, FACT_VERDICTS, VERDICT, VERDICTS
from generator.render.json_ld import claimant, json_ld, shorten, structured_data

REPO_ROOT = Path(__file__).resolve().parent.parent
BASE = "https://example.org/news/"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def page():
    return load_pages(load_articles(REPO_ROOT / "content"))[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("jsonld") / "output"
    build(BuildOptions(root=REPO_ROOT, content=REPO_ROOT / "content", output=out, base_url=BASE))
    return (out / "articles" / "putin-north-korea-visit" / "index.html").read_text(encoding="utf-8")


def graph_of(html: str) -> list[dict]:
    scripts = SCRIPT.findall(html)
    assert len(scripts) == 1, "one JSON-LD block in the page"
    head = html[: html.index("</head>")]
    assert scripts[0] in head, "the JSON-LD block is in <head>"
    data = json.loads(scripts[0])
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def test_news_article_with_comments(built: str, page) -> None:
    news = graph_of(built)[0]
    url = BASE + "articles/putin-north-korea-visit/"
    assert news["@type"] == "NewsArticle"
    assert news["url"] == news["mainEntityOfPage"] == url
    assert news["headline"] == page.article.title
    assert news["datePublished"] == page.article.date
    assert news["description"] == page.article.summary + " 15 checks: 7 hold up, 2 fail, 2 partly hold, 4 open."
    assert "author" not in news and "dateModified" not in news, "the seed names no byline and no update"
    assert news["keywords"] == list(page.article.tags)
    assert news["publisher"] == {"@type": "Organization", "name": "The Annotated Desk (a Gloss example)"}
    assert news["commentCount"] == len(page.article.comments) == len(news["comment"])
    by_id = {c["@id"]: c for c in news["comment"]}
    for comment in page.article.comments:
        item = by_id[f"{url}#{comment.id}"]
        assert item["@type"] == "Comment" and item["url"] == f"{url}#{comment.id}"
        assert item["dateCreated"] == comment.date
        assert item["text"] and "{." not in item["text"] and "<" not in item["text"]
        if comment.author and comment.author_basis in (None, "editor"):
            assert item["author"] == {"@type": "Person", "name": comment.author}
        else:
            assert "author" not in item, "an unknown or inferred author is left out, never invented"
        if comment.reply_to:
            assert item["parentItem"] == {"@id": f"{url}#{comment.reply_to}"}
            assert item["parentItem"]["@id"] in by_id
        else:
            assert "parentItem" not in item


def test_a_claim_review_for_every_note(built: str, page) -> None:
    reviews = [item for item in graph_of(built) if item["@type"] == "ClaimReview"]
    url = BASE + "articles/putin-north-korea-visit/"
    assert [r["url"] for r in reviews] == [f"{url}#note-{note.id}" for note in page.notes]
    dates = {c.id: c.date for c in page.article.comments}
    for review, note in zip(reviews, page.notes):
        assert len(review["claimReviewed"]) < 75
        assert note.quote.startswith(review["claimReviewed"].removesuffix("…"))
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"] == note.verdict
        assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
        assert rating["ratingValue"] == (note.rating or VERDICT[note.verdict].rating)
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim"
        if note.location == "article":
            assert claim["appearance"] == {"@type": "NewsArticle", "url": url}
            assert review["datePublished"] == page.article.date
        else:
            assert claim["appearance"] == {"@type": "Comment", "url": f"{url}#{note.location}"}
            assert review["datePublished"] == dates[note.location]
        authors = {c.id: c.known_author for c in page.article.comments}
        if note.claimant:
            assert claim["author"]["name"] == note.claimant
        elif authors.get(note.location):
            assert claim["author"] == {"@type": "Person", "name": authors[note.location]}
        else:
            assert "author" not in claim
        assert review["author"] == {"@type": "Organization", "name": "The Annotated Desk (a Gloss example)"}
        assert review["reviewBody"]


def test_every_verdict_has_a_derived_rating_within_its_range() -> None:
    assert {v.word for v in VERDICTS} == set(FACT_VERDICTS + CLAIM_VERDICTS)
    assert all(1 <= v.lowest <= v.rating <= v.highest <= 5 for v in VERDICTS)


def test_without_base_url_no_url_is_made_up(page) -> None:
    data = structured_data(page, SiteConfig(title="Site", publisher="The Publisher"))
    news, *reviews = data["@graph"]
    assert "url" not in news and "mainEntityOfPage" not in news
    assert news["publisher"]["name"] == "The Publisher"
    assert all(c["@id"].startswith("#c") and "url" not in c for c in news["comment"])
    for review in reviews:
        assert "url" not in review and "appearance" not in review["itemReviewed"]


@pytest.mark.parametrize("title", [
    "</script><script>alert(1)</script><!--",
    "<!-- <script> --> & &amp; </SCRIPT >",
    "line\u2028separator\u2029paragraph",
    "]]> <![CDATA[ \\u003c/script>",
])
def test_user_text_cannot_close_the_script(page, title: str) -> None:
    import dataclasses

    article = dataclasses.replace(page.article, title=title, tags=(title,))
    text = json_ld(dataclasses.replace(page, article=article), SiteConfig())
    for unsafe in ("<", ">", "&", "\u2028", "\u2029"):
        assert unsafe not in text, unsafe
    data = json.loads(text)
    assert data["@graph"][0]["headline"] == title and data["@graph"][0]["keywords"] == [title]
    # The same data the standard library would encode, only with those characters escaped.
    assert data == json.loads(json.dumps(structured_data(dataclasses.replace(page, article=article), SiteConfig())))


def test_output_is_deterministic(page) -> None:
    config = SiteConfig(base_url=BASE)
    assert json_ld(page, config) == json_ld(page, config)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short claim", "Short claim"),
        ("x" * 74, "x" * 74),
        ("word " * 20, "word word word word word word word word word word word word word word…"),
        ("a" * 100, "a" * 73 + "…"),
    ],
)
def test_shorten(text: str, expected: str) -> None:
    assert shorten(text.strip()) == expected
    assert len(shorten(text.strip())) < 75


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Gift", "Person"),
        ("Councillor Ada Moreau", "Person"),
        ("The White House", "Organization"),
        ("Russian Ministry of Defence", "Organization"),
        ("KCNA", "Organization"),
        ("Analysts cited by the article", "Thing"),
        ("An anonymous commenter", "Thing"),
    ],
)
def test_claimant_types(name: str, kind: str) -> None:
    assert claimant(name) == {"@type": kind, "name": name}


_NAMES_SITE = """---
title: "Names"
slug: "names"
date: "2024-06-18"
notes:
  said:
    body: "Checked."
    verdict: "Accurate"
comments:
  - id: "c1"
    date: "2024-06-18T20:25"
    author: "Lena"
    author_basis: "vocative"
    author_evidence: "c2: Thanks, Lena, that is the page."
    body: "The tide tables are [on page 12]{.fact #said}."
  - id: "c2"
    date: "2024-06-18T21:00"
    author: "Omar"
    author_basis: "editor"
    reply_to: "c1"
    reply_basis: "vocative"
    body: "Thanks, Lena, that is the page."
  - id: "c3"
    date: "2024-06-18T22:00"
    author: "Ruth"
    reply_to: "c2"
    reply_basis: "editor"
    body: "Written by hand: a known name."
  - id: "c4"
    date: "2024-06-18T23:00"
    author: null
    reply_to: "c1"
    reply_basis: "mention"
    body: "No name at all."
---
Body.
"""


def test_an_inferred_name_is_marked_and_never_published_as_a_person(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "names.md").write_text(_NAMES_SITE, encoding="utf-8")
    build(BuildOptions(root=tmp_path, content=tmp_path / "content", output=tmp_path / "out", base_url=BASE))
    html = (tmp_path / "out" / "articles" / "names" / "index.html").read_text(encoding="utf-8")
    news = graph_of(html)[0]
    authors = {c["@id"].rsplit("#", 1)[1]: c.get("author") for c in news["comment"]}
    assert authors == {
        "c1": None,  # inferred (vocative): no Person until an editor confirms it
        "c2": {"@type": "Person", "name": "Omar"},  # confirmed by an editor
        "c3": {"@type": "Person", "name": "Ruth"},  # written by hand
        "c4": None,
    }
    review = next(item for item in graph_of(html) if item["@type"] == "ClaimReview")
    assert "author" not in review["itemReviewed"], "the claim's author is not the inferred name either"
    # On the page: marked where it is shown, visibly and for screen readers, with the reason.
    header = re.search(r'<span class="comment-author" id="c1-by">(.*?)</span>\n', html, re.S)
    assert header is not None
    assert header.group(1).startswith("<bdi>Lena</bdi> <span class=\"inferred\" title=\"Name inferred: a later reply addresses")
    assert '(name inferred<span class="visually-hidden">: a later reply addresses this comment&#39;s author by this name;' in header.group(1)
    assert 'replying to <a href="#c1"><bdi>Lena</bdi> (name inferred)</a>' in html
    assert '<span class="comment-author" id="c2-by"><bdi>Omar</bdi></span>' in html
    assert '<span class="comment-author" id="c3-by"><bdi>Ruth</bdi></span>' in html
    assert '<span class="comment-author" id="c4-by">Reader</span>' in html
    assert 'replying to <a href="#c2"><bdi>Omar</bdi></a>' in html
    assert "Anonymous" not in html
