"""Which templates read the site's listing (``build/template_reads.py``), from Jinja's syntax tree.

A template that reads ``site`` beyond ``site.config`` makes every page depend on every article; a
wrong "no" would leave stale pages, a wrong "yes" only costs time. The cases below pin both ways.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.build.state import load_state
from generator.build.field_reads import CARRIERS
from generator.build.template_reads import analyse, reads_listing
from generator.common.output_file import OutputFile
from generator.render.renderer import Renderer, make_environment
from generator.site.article_page import ArticlePage
from generator.site.listing import ClaimEntry, ClaimsPage, IndexPage
from generator.site.site_model import DERIVED_READS, SUMMARY_FIELDS, ArticleInfo, ArticleSummary, Site, Tag

READS = [
    "{{ site.articles | length }}",
    "{% for tag in site.tags %}{{ tag.name }}{% endfor %}",
    "{{ site['articles'][0].article.title }}",
    '{{ site | attr("articles") }}',
    "{% set s = site %}{{ s.config.title }}",  # an alias: counted, to be safe
    "{% macro m(x) %}{{ x }}{% endmacro %}{{ m(site) }}",
    "{{ site.config.title if site.articles else '' }}",
    '{% extends "gloss/base.html" %}{% block nav_extra %}<li>{{ site.articles|length }}</li>{% endblock %}',
    "{{ site.config. }}",  # does not parse: counted, and rendering reports it
]
SETTINGS_ONLY = [
    "{{ site.config.title }}",
    "{{ site['config'].language }}",
    "{% if site.config.extra.motto is defined %}{{ site.config.extra.motto }}{% endif %}",
    # Not reads at all, though the text says "site" (a text search took these for reads):
    '{{ "site.articles" }}',
    "{# site.articles #}<p>site.articles</p>",
    "{% raw %}{{ site.articles }}{% endraw %}",
    "{{ page.site }}{{ website.articles }}",
    "{% set site_name = 'x' %}{{ site_name }}",
]


@pytest.fixture(scope="module")
def env():  # type: ignore[no-untyped-def]
    return make_environment([])


@pytest.mark.parametrize("source", READS)
def test_reads_of_the_listing_are_found(env, source: str) -> None:  # type: ignore[no-untyped-def]
    assert reads_listing(env, source)


@pytest.mark.parametrize("source", SETTINGS_ONLY)
def test_settings_and_text_are_not_reads(env, source: str) -> None:  # type: ignore[no-untyped-def]
    assert not reads_listing(env, source)


def test_builtin_templates_read_no_listing(env, repo_root: Path) -> None:  # type: ignore[no-untyped-def]
    for path in sorted((repo_root / "templates").glob("*.*")):
        assert not reads_listing(env, path.read_text(encoding="utf-8"), path.name), path.name


ARTICLE = """---
title: "One"
slug: "one"
date: "2024-05-01"
tags: []
summary: ""
notes: {}
comments: []
---
Text.
"""


def test_a_string_that_says_site_does_not_make_every_page_depend_on_the_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a template whose text says ``site.articles`` only in a string, adding an article
    renders the new article's page, not the others' (a text search rendered them all)."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text(
        '{% extends "gloss/base.html" %}{% block nav_extra %}<li>{{ "site.articles" }}</li>{% endblock %}',
        encoding="utf-8")
    (root / "content" / "one.md").write_text(ARTICLE, encoding="utf-8")
    options = BuildOptions(root=root, content=root / "content", output=root / "output", cache=root / ".gloss-cache")
    build(options)
    rendered: list[str] = []
    real = Renderer.article

    def spy(self: Renderer, page: ArticlePage, translations: tuple[()] = ()) -> OutputFile:
        rendered.append(page.article.slug)
        return real(self, page, translations)

    monkeypatch.setattr(Renderer, "article", spy)
    (root / "content" / "two.md").write_text(ARTICLE.replace('"One"', '"Two"').replace('"one"', '"two"'),
                                             encoding="utf-8")
    build(options)
    assert rendered == ["two"]
    state = load_state(root / ".gloss-cache" / "state.bin")
    assert state is not None and "articles/two/index.html" in state.output


# Which fields of the article summaries a template reads (``build/field_reads.py``): (source, fields
# read, None for every one). A wrong "reads fewer" would leave a stale page; "reads more" only costs time.
EVERY = None
FIELDS = [
    ("{% for item in articles %}{{ item.article.title }}{{ item.comment_count }}{% endfor %}",
     ("article.title", "comment_count")),
    ("{% set articles = tag.articles %}{% for a in articles %}{{ a.url }}{% endfor %}", ("url",)),
    ("{% for entry in claims.entries %}{{ entry.page['article']['title'] }}{{ entry.note.quote }}{% endfor %}",
     ("article.title",)),
    # A computed property reads what it is computed from (site_model.DERIVED_READS).
    ("{% for item in articles %}{{ item.counts_text }}{% endfor %}", ("notes",)),
    ("{% for e in claims.entries %}{{ url(e.span_url) }}{% endfor %}", ("url",)),
    # Counting, truthiness, "is none" and picking elements read no field.
    ("{{ tag.articles | length }}{% if articles %}x{% endif %}{{ (articles | first).url }}", ("url",)),
    ("{% if item is none %}{% endif %}{{ pagination.number }}{% for t in tags %}{{ t.name }}{% endfor %}", ()),
    ("{{ site.config.title }}{{ url('tags/') }}{{ _('Tags') }}", ()),
    # A summary passed whole: to a macro, a filter, a test, a call, printed, compared: every field.
    ("{% macro card(a) %}{{ a.url }}{% endmacro %}{% for item in articles %}{{ card(item) }}{% endfor %}", EVERY),
    ("{% for item in articles %}{{ item | tojson }}{% endfor %}", EVERY),
    ("{% for item in articles %}{{ item }}{% endfor %}", EVERY),
    ("{% for item in articles|sort(attribute='article.date') %}{{ item.url }}{% endfor %}", EVERY),
    ("{% for item in articles %}{{ item | attr('url') }}{% endfor %}", EVERY),
    ("{% for item in articles %}{{ item[name] }}{% endfor %}", EVERY),
    ("{% for item in articles %}{{ item == other }}{% endfor %}", EVERY),
    ("{% for item in articles %}{{ url(item) }}{% endfor %}", EVERY),
    ("{% for item in articles %}{% set ns.last = item %}{% endfor %}", EVERY),
    ("{% call(x) list(articles) %}{{ x.url }}{% endcall %}", EVERY),
    ("{{ tag.articles[0] ~ '' }}", EVERY),
    ("{{ item.article }}", ("article.date", "article.draft", "article.extra", "article.language", "article.path",
                            "article.slug", "article.source", "article.summary", "article.tag_positions",
                            "article.tags", "article.title", "article.translation_of")),  # the article's fields, printed: all of them
    # A name the template does not bind may hold summaries (an including template sets it).
    ("{{ mine.url }}", ("url",)),
    # A macro's parameter named like a listing does not hide the listing of the same name.
    ("{% macro m(articles) %}{{ articles | length }}{% endmacro %}{% for i in articles %}{{ i.url }}{% endfor %}",
     ("url",)),
    # Bound after the macro that reads it: still followed (the walk repeats until the names settle).
    ("{% macro m() %}{{ x.url }}{% endmacro %}{% set x = tag.articles[0] %}{{ m() }}", ("url",)),
    ("{% for item in articles %}{{ loop.previtem.url if not loop.first }}{{ loop.index }}{% endfor %}", ("url",)),
    ('{% set pair = {"a": tag.articles[0]} %}{{ pair.a.url }}', EVERY),  # a mapping is not followed
    ('{% set total = articles %}{% include "part.html" %}', EVERY),  # part.html would take it for a count
    ("{{ site.config. }}", EVERY),  # does not parse
]


@pytest.mark.parametrize(("source", "fields"), FIELDS)
def test_the_summary_fields_a_template_reads(  # type: ignore[no-untyped-def]
    env, source: str, fields: tuple[str, ...] | None
) -> None:
    assert analyse(env, source, "t.html").fields == fields


def test_builtin_listing_templates_read_the_fields_they_show(  # type: ignore[no-untyped-def]
    env, repo_root: Path
) -> None:
    read = {name: analyse(env, (repo_root / "templates" / name).read_text(encoding="utf-8"), name).fields
            for name in ("_article_list.html", "claims.html", "tags.html", "tag.html", "index.html", "base.html",
                         "_note.html", "_pagination.html")}
    assert read["_article_list.html"] == ("article.date", "article.language", "article.summary", "article.title",
                                          "comment_count", "notes", "url")
    assert read["claims.html"] == ("article.language", "article.title", "url")
    assert all(read[name] == () for name in ("tags.html", "tag.html", "index.html", "base.html", "_note.html",
                                             "_pagination.html"))


def _annotations(cls: type) -> dict[str, str]:
    return {f.name: str(f.type) for f in dataclasses.fields(cls)}


def test_the_carriers_and_derived_reads_match_the_listing_model() -> None:
    """``field_reads.CARRIERS`` names every attribute of the listing model holding summaries, and
    ``site_model.DERIVED_READS`` every property of the summary (and of a claim entry, which holds one)."""
    holders = ("ArticleSummary", "Tag", "ClaimEntry")
    found = {name for cls in (Site, Tag, IndexPage, ClaimsPage, ClaimEntry)
             for name, kind in _annotations(cls).items() if any(h in kind for h in holders)}
    found |= {name for cls in (Site, Tag, IndexPage, ClaimsPage, ClaimEntry) for name in dir(cls)
              if isinstance(getattr(cls, name), property)
              and any(h in str(getattr(cls, name).fget.__annotations__.get("return")) for h in holders)}
    assert found <= CARRIERS, found - CARRIERS
    # field_reads follows no computed property of the article's own fields: one would need a line there.
    assert not [name for name in dir(ArticleInfo) if isinstance(getattr(ArticleInfo, name), property)]
    properties = {name for cls in (ArticleSummary, ClaimEntry) for name, value in vars(cls).items()
                  if isinstance(value, property)}
    assert properties == set(DERIVED_READS)
    assert all(set(read) <= set(SUMMARY_FIELDS) for read in DERIVED_READS.values())
    assert {name for name in SUMMARY_FIELDS if "." not in name} == set(_annotations(ArticleSummary)) - {"article"}
