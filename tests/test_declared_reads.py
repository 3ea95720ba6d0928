"""Outputs declare what they read (``build/outputs.py``); ``build/keys.py`` derives every key from that.

What a template reads comes from its syntax tree (``template_reads.analyse``): the settings it names,
the templates it uses, the listing. The build tests below change a template so that it newly reads
a setting, then change that setting: the page must be rendered again, though nobody listed the
setting anywhere; before the template read it, the same edit must leave the page alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import outputs
from generator.build.keys import Reads, TemplateReads, World, key, read_fields, reads_listing, used_templates
from generator.build.pipeline import BuildOptions, build, builtin_templates
from generator.build.template_reads import analyse
from generator.common.errors import GlossError
from generator.content.config import SiteConfig
from generator.content.markdown import make_parser
from generator.content.parse import parse_article
from generator.render.feeds import FEED_READS
from generator.render.renderer import ListingPage, Renderer, make_environment
from generator.site.article_page import article_page
from generator.site.site_model import SUMMARY_FIELDS, ArticleSummary, build_site, summarise

ENV = make_environment([])

ANALYSED = [
    # (source, settings read (None: any), templates used (None: any), reads the listing)
    ("{{ site.config.title }}", ("title",), (), False),
    ("{{ site['config'].language }}{{ site.config.extra.motto }}", ("extra", "language"), (), False),
    ("{{ page | json_ld(site.config) }}", None, (), False),  # passed whole: any setting
    ("{% set c = site.config %}{{ c.title }}", None, (), False),
    ("{{ site.config[name] }}", None, (), False),  # a name known only at render time
    ("{{ site.tags | length }}", None, (), True),  # site passed on: anything
    ('{% extends "base.html" %}{% include "_x.html" %}{% import "_m.html" as m %}', (),
     ("_m.html", "_x.html", "base.html"), False),
    ("{% include name %}", (), None, False),  # computed at render time: any template
    ('{{ "site.config.title" }}{# site.config.image #}', (), (), False),  # text, not reads
    ("{{ site.config. }}", None, None, True),  # does not parse: everything
]


@pytest.mark.parametrize(("source", "settings", "templates", "listing"), ANALYSED)
def test_what_a_template_reads_comes_from_its_syntax_tree(
    source: str, settings: tuple[str, ...] | None, templates: tuple[str, ...] | None, listing: bool
) -> None:
    found = analyse(ENV, source, "t.html", "d")  # the summary fields it reads: tests/test_template_reads.py
    assert dataclasses.replace(found, fields=None) == TemplateReads("d", listing, settings, templates)


def _world(**sources: str) -> World:
    templates = {name.replace("__", "."): analyse(ENV, text, name, str(hash(text))) for name, text in sources.items()}
    return World(templates, {"title": "Desk", "image": "", "extra": {"motto": "Checked"}}, {"search": False}, "")


def test_a_key_covers_the_templates_an_output_uses_and_only_those() -> None:
    page = Reads("listing", "tags/index.html", templates=("tags__html",))
    base = _world(tags__html='{% extends "base.html" %}', base__html="<p>{{ site.config.title }}</p>",
                  other__html="x")
    page = dataclasses.replace(page, templates=("tags.html",))
    assert used_templates(page.templates, base) == ("base.html", "tags.html")
    first = key(page, base)
    changed_base = _world(tags__html='{% extends "base.html" %}', base__html="<p>{{ site.config.title }}!</p>",
                          other__html="x")
    changed_other = _world(tags__html='{% extends "base.html" %}', base__html="<p>{{ site.config.title }}</p>",
                           other__html="y")
    assert key(page, changed_base) != first
    assert key(page, changed_other) == first
    # Settings: the title is read (through base.html), the motto is not.
    assert key(page, dataclasses.replace(base, settings={**base.settings, "title": "Other"})) != first
    assert key(page, dataclasses.replace(base, settings={**base.settings, "extra": {"motto": "New"}})) == first


def test_a_missing_template_that_appears_changes_the_key() -> None:
    page = Reads("listing", "x.html", templates=("x.html",))
    before = _world(x__html='{% include "part.html" %}')
    after = _world(x__html='{% include "part.html" %}', part__html="new")
    assert key(page, before) != key(page, after)


def test_a_template_that_reads_the_listing_makes_the_output_read_it() -> None:
    page = Reads("page", "articles/", templates=("article.html",))
    quiet = _world(article__html='{% include "nav.html" %}', nav__html="<nav></nav>")
    listing = _world(article__html='{% include "nav.html" %}', nav__html="{{ site.articles | length }}")
    assert not reads_listing(page, quiet) and reads_listing(page, listing)
    assert key(page, dataclasses.replace(quiet, listing="a")) == key(page, dataclasses.replace(quiet, listing="b"))
    assert key(page, dataclasses.replace(listing, listing="a")) != key(page, dataclasses.replace(listing, listing="b"))


def test_a_listing_key_covers_the_summary_fields_read_and_only_those() -> None:
    fields = ("url", "notes", "article.title", "article.extra")
    world = dataclasses.replace(_world(list__html="{% for i in articles %}{{ i.article.title }}{% endfor %}"),
                                fields=fields)

    def page(*digests: bytes, code: tuple[str, ...] | None = ("url",)) -> str:
        return key(Reads("listing", "x.html", templates=("list.html",), summaries=digests, fields=code), world)

    one, two = bytes(range(64)), bytes(range(1, 65))
    notes, title, extra = (bytearray(one) for _ in range(3))
    notes[16], title[32], extra[48] = 255, 255, 255  # one byte of one field's digest each
    assert read_fields(Reads("listing", "x.html", templates=("list.html",), fields=("url",)), world) == (
        "url", "article.title")
    assert page(one, two) == page(bytes(notes), two) == page(bytes(extra), two)  # not read
    assert page(one, two) != page(bytes(title), two)  # read by the template
    assert page(one, two) != page(two, one)  # the order shown
    assert page(one) != page(one, one)
    assert page(one, code=None) != page(bytes(notes), code=None)  # the code may read any field
    with pytest.raises(ValueError):
        page(bytes(16))  # digests for other fields than the world's


ARTICLE = """---
title: "One"
slug: "one"
date: "2024-05-01"
tags: ["harbour"]
summary: ""
notes: {}
comments: []
---
Text.
"""
QUIET = '{% extends "gloss/tags.html" %}{% block nav_extra %}<li>Tags</li>{% endblock %}'
READS_MOTTO = [
    # The tags page newly reads a setting: directly, or through a partial it includes.
    ('{% extends "gloss/tags.html" %}{% block nav_extra %}<li>{{ site.config.extra.motto }}</li>{% endblock %}',
     {}),
    ('{% extends "gloss/tags.html" %}{% block nav_extra %}{% include "motto.html" %}{% endblock %}',
     {"motto.html": "<li>{{ site['config'].extra['motto'] }}</li>"}),
]


def _site(tmp_path: Path, tags_template: str, more: dict[str, str]) -> BuildOptions:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "templates").mkdir(exist_ok=True)
    (root / "content" / "one.md").write_text(ARTICLE, encoding="utf-8")
    (root / "templates" / "tags.html").write_text(tags_template, encoding="utf-8")
    for name, text in more.items():
        (root / "templates" / name).write_text(text, encoding="utf-8")
    return BuildOptions(root=root, content=root / "content", output=root / "output", cache=root / ".gloss-cache")


def _motto(options: BuildOptions, motto: str) -> None:
    (options.root / "site.yaml").write_text(f'title: "Desk"\nextra:\n  motto: "{motto}"\n', encoding="utf-8")


def _tags_page(options: BuildOptions) -> tuple[int, str]:
    path = options.output / "tags" / "index.html"
    return path.stat().st_ino, path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("template", "more"), READS_MOTTO)
def test_a_template_that_newly_reads_a_setting_makes_its_page_follow_that_setting(
    tmp_path: Path, template: str, more: dict[str, str]
) -> None:
    options = _site(tmp_path, QUIET, more)
    _motto(options, "Checked")
    build(options)
    kept = _tags_page(options)
    _motto(options, "Verified")
    build(options)
    assert _tags_page(options) == kept, "a setting no template of the page reads left it alone"
    (options.root / "templates" / "tags.html").write_text(template, encoding="utf-8")
    build(options)
    assert "<li>Verified</li>" in _tags_page(options)[1]
    _motto(options, "Sourced")
    build(options)
    page = _tags_page(options)[1]
    assert "<li>Sourced</li>" in page and "Verified" not in page
    clean = BuildOptions(root=options.root, content=options.content, output=tmp_path / "clean")
    build(clean)
    assert (clean.output / "tags" / "index.html").read_text(encoding="utf-8") == page


# What a listing page or the feed does not declare it reads, it must not show: change one summary
# field in every article, and every output that does not read it (by its code or its templates) and
# shows the same other things (``detail``) must come out byte for byte the same.
ALTERED: dict[str, Callable[[ArticleSummary], object]] = {
    "url": lambda s: s.url.replace("articles/", "stories/"),
    "notes": lambda s: tuple(dataclasses.replace(n, quote=n.quote + " (more)") for n in s.notes),
    "comment_count": lambda s: s.comment_count + 5,
    "updated": lambda s: "2031-01-01T00:00:00Z",
    "feed_summary": lambda s: s.feed_summary + " More.",
    "article.path": lambda s: s.article.path.replace("content/", "elsewhere/"),
    "article.slug": lambda s: s.article.slug + "-b",
    "article.title": lambda s: s.article.title + " (updated)",
    "article.date": lambda s: s.article.date.replace("2024", "2023") if s.article.date else "2023-01-01",
    "article.tags": lambda s: ("Other", *s.article.tags[1:]),
    "article.summary": lambda s: s.article.summary + " More.",
    "article.source": lambda s: "https://example.org/first",
    "article.draft": lambda s: not s.article.draft,
    "article.extra": lambda s: {"kicker": "Exclusive"},
    "article.tag_positions": lambda s: (),
    "article.language": lambda s: "de" if s.article.language != "de" else "fr",
    "article.translation_of": lambda s: "report-9",
}


def _text(i: int) -> str:
    return (f'---\ntitle: "Report {i}"\nslug: "report-{i}"\ndate: "2024-03-0{i}"\ntags: ["council", "t{i % 2}"]\n'
            f'summary: "Report {i}."\nnotes:\n  f{i}:\n    body: "Checked."\n    verdict: "Accurate"\n'
            f'  c{i}:\n    body: "Weighed."\n    verdict: "Misleading"\n    claimant: "The mayor"\n'
            f"comments:\n  - id: c1\n    date: \"2024-03-0{i}T10:00\"\n    author: Ada\n    reply_to: null\n"
            f"    reply_basis: null\n    body: |-\n      Is that right?\n---\n"
            f"Report {i}: [the council met]{{.fact #f{i}}} and [it was fine]{{.claim #c{i}}}.\n")


def _altered(summary: ArticleSummary, name: str) -> ArticleSummary:
    value = ALTERED[name](summary)
    if name.startswith("article."):
        return dataclasses.replace(summary, article=dataclasses.replace(summary.article, **{name[8:]: value}))
    return dataclasses.replace(summary, **{name: value})


SITE_ENV = make_environment([builtin_templates()])


def _outputs(summaries: list[ArticleSummary], config: SiteConfig) -> tuple[Renderer, dict[str, ListingPage]]:
    assets = {name: b"/* x */" for name in ("style.css", "favicon.svg", "claims.js", "search.js")}
    renderer = Renderer(SITE_ENV, build_site(config, summaries, include_drafts=True), assets)
    return renderer, {page.path: page for page in renderer.listing()}


def test_an_output_shows_no_summary_field_it_does_not_declare(repo_root: Path) -> None:
    md = make_parser()
    summaries = []
    for i in (1, 2, 3):
        problems: list[GlossError] = []
        summaries.append(summarise(article_page(md, parse_article(_text(i), f"content/r{i}.md", f"r{i}", problems))))
        assert not problems
    assert set(ALTERED) == set(SUMMARY_FIELDS)
    templates = {path.name: analyse(ENV, path.read_text(encoding="utf-8"), path.name)
                 for path in (repo_root / "templates").glob("*.*")}
    world = World({**templates, **{f"gloss/{name}": t for name, t in templates.items()}}, {}, {}, "",
                  fields=SUMMARY_FIELDS)
    compared = 0
    for config in (SiteConfig(title="Desk"), SiteConfig(title="Desk", base_url="https://example.org/")):
        renderer, pages = _outputs(summaries, config)
        for name in SUMMARY_FIELDS:
            other, other_pages = _outputs([_altered(s, name) for s in summaries], config)
            for path, page in pages.items():
                reads = outputs.listing_page(page, [bytes(16 * len(SUMMARY_FIELDS))] * len(page.shows))
                same_detail = path in other_pages and other_pages[path].detail == page.detail  # declared too
                if same_detail and name not in read_fields(reads, world):
                    assert renderer.render_listing(page) == other.render_listing(other_pages[path]), (name, path)
                    compared += 1
            if name not in FEED_READS:
                contents = {s.url: "<p>Body.</p>" for s in summaries}
                assert renderer.feed(contents) == other.feed(contents), name
                compared += 1
    assert compared > 300  # (pages × fields not read): the test compares, it does not skip
