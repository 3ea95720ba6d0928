"""``gloss export --format w3c``: W3C Web Annotations whose selectors find their quotes.

The rendered text the selectors count in is recomputed here from the BUILT page, by the
procedure the module docstring of ``generator/export.py`` documents (article body, then comment
bodies in document order, margin-note markup removed, textContent, whitespace normalised), so the
export is checked against what a reader's browser has, not against itself.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build, load_articles, load_pages
from generator.content.config import SiteConfig
from generator.export import annotation_collection, normalise, rendered_text

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = REPO_ROOT / "content" / "putin-north-korea-visit.md"
DROPPED = {"margin-note", "note-drawer", "note-toggle-label", "note-ref"}


class PageText(HTMLParser):
    """textContent of ``.article-body`` and each ``.comment-body``, without the margin-note markup."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[bool, bool]] = []  # (starts a body, is dropped) per open element
        self.bodies: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag in self.VOID:
            return
        body = bool(classes & {"article-body", "comment-body"})
        if body:
            self.bodies.append([])
        self.stack.append((body, bool(classes & DROPPED)))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        in_body = any(body for body, _ in self.stack)
        if in_body and not any(dropped for _, dropped in self.stack):
            self.bodies[-1].append(data)

    def text(self) -> str:
        return normalise(" ".join("".join(parts) for parts in self.bodies))[0]


@pytest.fixture(scope="module")
def page():
    return load_pages(load_articles(REPO_ROOT / "content"))[0]


def run_export(*args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-m", "generator", "export", str(SEED), "--format", "w3c", *args],
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def check_selectors(item: dict, text: str) -> None:
    quote, position = item["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    start, end = position["start"], position["end"]
    assert text[start:end] == quote["exact"], item["id"]
    assert text[:start].endswith(quote["prefix"]) and len(quote["prefix"]) == min(32, start)
    assert text[end:].startswith(quote["suffix"]) and len(quote["suffix"]) == min(32, len(text) - end)
    # The quote with its context occurs once, so a tool can anchor it without the positions.
    assert text.count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1


def test_export_round_trips_on_the_built_page(page, tmp_path: Path) -> None:
    out = tmp_path / "output"
    build(BuildOptions(root=REPO_ROOT, content=REPO_ROOT / "content", output=out))
    parser = PageText()
    parser.feed((out / page.url / "index.html").read_text(encoding="utf-8"))
    text = parser.text()
    assert text == rendered_text(page).text, "the documented procedure on the built page gives the same text"
    data = run_export()
    items = data["first"]["items"]
    assert len(items) == len(page.notes) == data["total"]
    for item, note in zip(items, page.notes):
        check_selectors(item, text)
        assert item["target"]["selector"][0]["exact"] == note.quote


def test_collection_shape_and_bodies(page) -> None:
    data = run_export()
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["first"]["type"] == "AnnotationPage" and data["first"]["startIndex"] == 0
    markdown = {n.id: n.body.text for n in page.article.notes}
    for item, note in zip(data["first"]["items"], page.notes):
        assert item["type"] == "Annotation"
        # The example site's site.yaml sets base_url, so ids are absolute.
        assert item["id"] == f"https://example.org/desk/articles/putin-north-korea-visit/#note-{note.id}"
        assert item["motivation"] == ("assessing" if note.kind == "fact" else "questioning")
        text_body, verdict, *links = item["body"]
        assert text_body == {"type": "TextualBody", "value": markdown[note.id], "format": "text/markdown",
                             "language": "en"}
        assert verdict == {"type": "TextualBody", "value": note.verdict, "purpose": "tagging"}
        assert links == [{"id": s.url, "purpose": "linking"} for s in note.sources if s.url]
        assert item["target"]["source"] == "https://example.org/desk/articles/putin-north-korea-visit/"


def test_base_url_makes_the_target_absolute() -> None:
    data = run_export("--base-url", "https://example.org/news")
    url = "https://example.org/news/articles/putin-north-korea-visit/"
    assert data["id"] == url + "#annotations"
    assert all(item["target"]["source"] == url for item in data["first"]["items"])


def test_format_is_required_and_checked() -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "export", str(SEED), "--format", "csv"],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_tricky_markup(tmp_path: Path) -> None:
    """Emphasis, code, entities, links, nested spans, a span at a paragraph edge, replies nested."""
    from generator.content.parse import parse_article

    text = (
        '---\ntitle: "Tricky"\nnotes:\n'
        '  a:\n    body: "A."\n    verdict: "Accurate"\n'
        '  b:\n    body: "B."\n    verdict: "Unverified"\n'
        '  c:\n    body: "C."\n    verdict: "Disputed"\n'
        '  d:\n    body: "D."\n    verdict: "Inaccurate"\n'
        "comments:\n"
        '  - id: "c1"\n    date: "2024-01-01T10:00"\n    body: "First [comment]{.claim #c} here."\n'
        '  - id: "c2"\n    date: "2024-01-01T11:00"\n    reply_to: "c1"\n    reply_basis: "editor"\n'
        '    body: "Reply with   [spaces\n      and a break]{.fact #d}."\n'
        "---\n"
        "[Starts *the* paragraph with `code` & <tags>]{.fact #a}.\n\n"
        "- a list [with [a link](https://example.org) inside]{.claim #b}\n"
    )
    article = parse_article(text, "tricky.md", "tricky")
    page = load_pages([article])[0]
    rendered = rendered_text(page)
    data = annotation_collection(page, SiteConfig())
    for item in data["first"]["items"]:
        check_selectors(item, rendered.text)
    exact = {item["id"].rsplit("-", 1)[1]: item["target"]["selector"][0]["exact"] for item in data["first"]["items"]}
    assert exact == {"a": "Starts the paragraph with code & <tags>", "b": "with a link inside",
                     "c": "comment", "d": "spaces and a break"}
    assert not re.search(r"\s\s", rendered.text)
