"""Theme API: built-in templates under the ``gloss/`` prefix, ``gloss theme``, and ``extra:`` settings."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.cli import main
from generator.scaffold import scaffold


def _site(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name / "site"  # one folder name: the scaffold titles the site after it
    scaffold(root)
    return root


def _build(root: Path) -> Path:
    build(BuildOptions(root, root / "content", root / "output"))
    return root / "output"


def test_a_theme_replaces_one_block_and_inherits_the_rest(tmp_path: Path) -> None:
    plain = _build(_site(tmp_path, "plain"))
    themed_root = _site(tmp_path, "themed")
    (themed_root / "templates").mkdir()
    (themed_root / "templates" / "article.html").write_text(
        '{% extends "gloss/article.html" %}\n'
        "{% block main_class %}page page-article themed{% endblock %}\n",
        encoding="utf-8",
    )
    themed = _build(themed_root)
    before = (plain / "articles" / "welcome" / "index.html").read_text(encoding="utf-8").splitlines()
    after = (themed / "articles" / "welcome" / "index.html").read_text(encoding="utf-8").splitlines()
    changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0)
               if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    assert changed == [
        '-<main id="main" class="page page-article">',
        '+<main id="main" class="page page-article themed">',
    ]
    # Every other page is the built-in one, byte for byte.
    for page in sorted(plain.rglob("*.html")):
        rel = page.relative_to(plain)
        if rel.as_posix() != "articles/welcome/index.html":
            assert (themed / rel).read_bytes() == page.read_bytes(), rel


def test_extra_settings_reach_templates_escaped(tmp_path: Path) -> None:
    root = _site(tmp_path, "extra")
    with (root / "site.yaml").open("a", encoding="utf-8") as f:
        f.write('extra:\n  banner: "Election <b>special</b>"\n  columns: [2, 3]\n  since: 2020-01-31\n')
    article = root / "content" / "welcome.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "draft: false\n", 'draft: false\nextra:\n  kicker: "Fact check"\n  series: {name: "Towers", part: 2}\n'),
        encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "article.html").write_text(
        '{% extends "gloss/article.html" %}\n'
        "{% block nav_extra %}<p class=\"kicker\">{{ page.article.extra.kicker }} · "
        "{{ page.article.extra.series.name }} {{ page.article.extra.series.part }} · "
        "{{ site.config.extra.banner }} · {{ site.config.extra.columns | sum }} · "
        "{{ site.config.extra.since }}</p>{% endblock %}\n",
        encoding="utf-8",
    )
    listing = (Path(__file__).resolve().parent.parent / "templates" / "_article_list.html").read_text(encoding="utf-8")
    assert "{{ item.article.title }}" in listing
    (root / "templates" / "_article_list.html").write_text(
        listing.replace("{{ item.article.title }}", "{{ item.article.extra.kicker }}: {{ item.article.title }}", 1),
        encoding="utf-8",
    )
    out = _build(root)
    page = (out / "articles" / "welcome" / "index.html").read_text(encoding="utf-8")
    assert ('<p class="kicker">Fact check · Towers 2 · Election &lt;b&gt;special&lt;/b&gt; · 5 · 2020-01-31</p>'
            in page)
    assert "Fact check: Welcome to your Gloss site" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("yaml", "where"),
    [("extra: [1, 2]\n", "{line}:8"), ("extra:\n  1: one\n", "{next}:3"), ("extra: no\n", "{line}:8")],
)
def test_extra_must_be_a_mapping_with_text_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, yaml: str, where: str
) -> None:
    root = _site(tmp_path, "bad")
    before = (root / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(before + yaml, encoding="utf-8")
    monkeypatch.chdir(root)
    assert main(["build", "--no-search"]) == 1
    line = before.count("\n") + 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith(f"site.yaml:{where.format(line=line, next=line + 1)}: \"extra\" in site.yaml must be a "
                             "mapping of names to text"), err


def test_theme_copy_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = _site(tmp_path, "copy")
    monkeypatch.chdir(root)
    assert main(["theme", "list"]) == 0
    names = capsys.readouterr().out.split()
    assert "article.html" in names and "static/style.css" in names and "base.html" in names
    assert main(["theme", "copy", "static/style.css"]) == 0
    assert capsys.readouterr().out.strip() == str(Path("templates") / "static" / "style.css")
    builtin = Path(__file__).resolve().parent.parent / "templates" / "static" / "style.css"
    assert (root / "templates" / "static" / "style.css").read_bytes() == builtin.read_bytes()
    (root / "templates" / "static" / "style.css").write_text("/* mine */", encoding="utf-8")
    assert main(["theme", "copy", "static/style.css"]) == 1
    assert "already has this template" in capsys.readouterr().err
    assert (root / "templates" / "static" / "style.css").read_text(encoding="utf-8") == "/* mine */"
    assert main(["theme", "copy", "artcle.html"]) == 1
    assert 'did you mean "article.html"?' in capsys.readouterr().err
    assert main(["theme", "copy", "static/style.css", "--force"]) == 0
    assert (root / "templates" / "static" / "style.css").read_bytes() == builtin.read_bytes()


# --- docs/themes.md documents everything a theme can use -----------------------------------------

REPO = Path(__file__).resolve().parent.parent
DOCS = (REPO / "docs" / "themes.md").read_text(encoding="utf-8")


def _documented(name: str) -> bool:
    """``name`` appears in the docs as code: `name`, `name(…)` or `something.name`."""
    import re

    return re.search(rf"`(?:[\w.]+\.)?{re.escape(name)}[`(]", DOCS) is not None


def test_every_block_of_the_built_in_templates_is_documented() -> None:
    import jinja2
    from jinja2 import nodes

    env = jinja2.Environment()
    blocks = set()
    for template in sorted((REPO / "templates").glob("*.html")):
        tree = env.parse(template.read_text(encoding="utf-8"))
        blocks |= {block.name for block in tree.find_all(nodes.Block)}
    assert blocks, "the templates define blocks"
    assert not {b for b in blocks if not _documented(b)}, "add these blocks to docs/themes.md"


def test_every_filter_and_global_is_documented() -> None:
    import ast

    import jinja2.defaults

    from generator.render.renderer import make_environment

    env = make_environment([REPO / "templates"])
    filters = set(env.filters) - set(jinja2.defaults.DEFAULT_FILTERS)
    assert {"date", "tag_slug", "json_ld", "translated", "counted"} <= filters
    # Globals set on the environment (the language's gettext callables, text_direction…), not per page.
    filters |= set(env.globals) - set(jinja2.defaults.DEFAULT_NAMESPACE)
    assert {"_", "ngettext", "text_direction"} <= filters
    source = (REPO / "generator" / "render" / "renderer.py").read_text(encoding="utf-8")
    render_calls = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute) and node.func.attr == "render"]
    names = {kw.arg for call in render_calls for kw in call.keywords if kw.arg}
    assert {"site", "url", "asset"} <= names
    assert not {n for n in filters | names if not _documented(n)}, "add these to docs/themes.md"


def test_every_field_templates_read_is_documented() -> None:
    import dataclasses

    from generator.content.config import SiteConfig
    from generator.site import article_page, listing, notes, site_model, threads

    classes = [SiteConfig, article_page.ArticlePage, notes.NoteView, threads.Thread,
               site_model.ArticleSummary, site_model.ArticleInfo, notes.NoteSummary, site_model.Site,
               site_model.Tag, listing.IndexPage, listing.ClaimsPage, listing.ClaimEntry, listing.ClaimFilter]
    missing = [f"{cls.__name__}.{field.name}" for cls in classes for field in dataclasses.fields(cls)
               if not _documented(field.name)]
    assert not missing, "add these fields to docs/themes.md"
