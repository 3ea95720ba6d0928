"""Which templates read the site's listing (``build/template_reads.py``), from Jinja's syntax tree.

A template that reads ``site`` beyond ``site.config`` makes every page depend on every article; a
wrong "no" would leave stale pages, a wrong "yes" only costs time. The cases below pin both ways.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.build.state import load_state
from generator.build.template_reads import reads_listing
from generator.common.output_file import OutputFile
from generator.render.renderer import Renderer, make_environment
from generator.site.article_page import ArticlePage

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

    def spy(self: Renderer, page: ArticlePage) -> OutputFile:
        rendered.append(page.article.slug)
        return real(self, page)

    monkeypatch.setattr(Renderer, "article", spy)
    (root / "content" / "two.md").write_text(ARTICLE.replace('"One"', '"Two"').replace('"one"', '"two"'),
                                             encoding="utf-8")
    build(options)
    assert rendered == ["two"]
    state = load_state(root / ".gloss-cache" / "state.bin")
    assert state is not None and "articles/two/index.html" in state.output
