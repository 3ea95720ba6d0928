"""Hostile content: a site whose every free-text field tries to inject markup or script.

One site is built (in a subprocess, as a user would) and every file of its ``output/`` is
scanned: raw HTML from articles, notes and comments is text; no ``javascript:``/``vbscript:``/
``data:``/``file:`` URL is emitted as a link or source, whatever its spelling; every page carries
the Content-Security-Policy and no inline script but JSON-LD; readers' links carry
``rel="nofollow ugc noopener"``; nothing is written outside ``output/``; user text cannot close
the JSON-LD block. Span attributes and ids are checked against allow-lists (errors).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.content.parse import parse_article
from generator.common.errors import GlossError, GlossErrors, flatten
from generator.content.markdown import make_parser, render_block
from generator.content.model import TextBlock
from generator.site.article_page import article_page
from gloss_run import run_gloss  # a new process in CI, cli.main in the fast loop

REPO_ROOT = Path(__file__).resolve().parent.parent

# Every spelling of a script-bearing URL that a link, image, autolink or reference may carry.
UNSAFE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(2)",
    " javascript:alert(3)",
    "&#106;avascript:alert(4)",
    "&#x6A;avascript:alert(5)",
    "&#0000106;avascript:alert(6)",
    "java&#115;cript:alert(7)",
    "&#x09;javascript:alert(8)",
    "&#x01;javascript:alert(9)",
    "java&#9;script:alert(10)",
    "<java\tscript:alert(11)>",
    "vbscript:msgbox(12)",
    "VBScript:msgbox(13)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxNCk8L3NjcmlwdD4=",
    "DATA:text/html,<script>alert(15)</script>",
    " data:image/svg+xml,<svg onload=alert(16)>",
    "file:///etc/passwd",
    "&#xFEFF;javascript:alert(17)",
]


UNSAFE_SCHEME = re.compile(r"(?:javascript|vbscript|data|file):", re.IGNORECASE)
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))


def browser_url(value: str) -> str:
    """What a browser makes of an attribute value before it looks at the scheme (WHATWG URL)."""
    return re.sub(r"[\t\n\r]", "", value).strip(_C0_OR_SPACE)


def markdown_attacks(prefix: str, images: bool = True) -> str:
    """Markdown that tries each unsafe URL as link, image, autolink and reference.

    Some spellings come out as harmless relative paths (``java%09script:…``); as images in
    an article or comment body those are "image not in the content folder" errors, so the
    body and comments try images only with the spellings that are refused outright.
    """
    lines = []
    for i, url in enumerate(UNSAFE_URLS):
        image = f" ![{prefix} image {i}]({url})" if images or UNSAFE_SCHEME.match(browser_url(url)) else ""
        lines.append(f"[{prefix} link {i}]({url}){image} [{prefix} ref {i}][{prefix}{i}]")
        lines.append("")
    for i, url in enumerate(UNSAFE_URLS):
        lines.append(f"[{prefix}{i}]: {url}")
    lines.append("")
    lines.append("<javascript:alert(20)> <JAVASCRIPT:alert(21)> <vbscript:x> <data:text/html,x> <file:///etc/passwd>")
    return "\n".join(lines)


def block(text: str, indent: int) -> str:
    pad = " " * indent
    return "\n".join(pad + line if line else "" for line in text.split("\n"))


SCRIPT = '<script>alert("x")</script>'
HTML_ATTACKS = (
    f'{SCRIPT} <img src=x onerror=alert(1)> <iframe src="javascript:alert(1)"></iframe> '
    "<!-- a comment --> <!--gloss-note:cost--> <svg onload=alert(1)> <a href=\"javascript:alert(1)\">a</a> "
    '<style>body{display:none}</style> </script> <base href="https://evil.example/"> '
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"> <object data="x"></object>'
)

TITLE = 'Evil </script><script>alert("title")</script> & <!-- <b>title</b>'

HOSTILE = f"""\
---
title: '{TITLE}'
slug: "evil"
date: "2024-05-06"
tags: ["../x", "../../etc/passwd", "<b>bold</b>", "/abs", "C:\\\\Windows", "%2e%2e", "..", "javascript:alert(1)"]
summary: '</script><script>alert("summary")</script> <img src=x onerror=alert(1)>'
source: '<script>alert("source")</script>'
draft: false
notes:
  cost:
    body: |-
{block(HTML_ATTACKS, 6)}

{block(markdown_attacks("note"), 6)}

      [a title attack](https://example.org/t "x&quot; onmouseover=&quot;alert(1)")
      ```"><script>alert(1)</script>
      </script><script>alert("code")</script>
      ```
      ```html
      <script>alert("highlighted")</script>
      ```
    verdict: "Accurate"
    rating: 5
    claimant: '<img src=x onerror=alert("claimant")>'
    sources:
      - title: '</script><script>alert("source title")</script>'
        url: 'https://example.org/?q=<script>&x="onmouseover=alert(1)'
        date: "2024-05-01"
  storms:
    body: '<script>alert("note2")</script>'
    verdict: "Unsupported"
    claimant: "</script>"
comments:
  - id: "c1"
    date: "2024-05-06T09:00"
    author: '<script>alert("author")</script>'
    reply_to: null
    reply_basis: null
    body: |-
{block(HTML_ATTACKS, 6)}

{block(markdown_attacks("comment", images=False), 6)}

      A [reader's link](https://example.org/reader) and <https://example.org/autolink>, [plain](http://example.com/plain), and a
      [claim]{{.claim #storms}} with </script> after it.
  - id: "c2"
    date: "2024-05-06T10:00"
    author: "</script><!--"
    reply_to: "c1"
    reply_basis: "editor"
    body: '<!--<script>alert("c2")</script> and </SCRIPT > and <!-- and -->'
---
{HTML_ATTACKS}

{markdown_attacks("body", images=False)}

The breakwater will cost [14.2 million <img src=x onerror=alert(1)>]{{.fact #cost}}.
"""

SITE_YAML = """\
title: '</title><script>alert("site")</script>'
base_url: "https://example.org/gazette/"
language: "en"
publisher: '<img src=x onerror=alert("publisher")>'
description: '"><script>alert("description")</script>'
"""

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "srcset", "data", "xlink:href", "background", "cite"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "svg", "math", "form"}


class Page(HTMLParser):
    """Tags, attributes, comments, script blocks and text of one HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))
        elif tag == "style":
            self._style = True
            self.styles.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        elif tag == "style":
            self._style = False

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        elif self._style:
            self.styles[-1] += data
        else:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    site = root / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (site / "content" / "evil.md").write_text(HOSTILE, encoding="utf-8")
    result = run_gloss("build", "--no-search", cwd=site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Page]:
    output = site / "output"
    found = {p.relative_to(output).as_posix(): Page(p.read_text(encoding="utf-8")) for p in output.rglob("*.html")}
    assert "articles/evil/index.html" in found and "index.html" in found and "404.html" in found
    return found


def raw_pages(site: Path) -> dict[str, str]:
    output = site / "output"
    return {p.relative_to(output).as_posix(): p.read_text(encoding="utf-8") for p in output.rglob("*.html")}


def test_nothing_escapes_the_output_folder(site: Path) -> None:
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    # .gloss-cache: the build cache (generator/cache.py), named by hashes, never by content text.
    assert sorted(p.name for p in site.iterdir()) == [".gloss-cache", "content", "output", "site.yaml"]
    output = (site / "output").resolve()
    for path in output.rglob("*"):
        assert not path.is_symlink(), path
        assert path.resolve().is_relative_to(output), path
    tags = {p.parent.name for p in (site / "output" / "tags").glob("*/index.html")}
    assert "x" in tags and "etc-passwd" in tags and "b-bold-b" in tags
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", tag) for tag in tags), tags


def test_raw_html_is_shown_as_text(pages: dict[str, Page]) -> None:
    for name, page in pages.items():
        for tag, attrs in page.tags:
            assert tag not in FORBIDDEN_TAGS, (name, tag, attrs)
            assert not [a for a in attrs if a.startswith("on")], (name, tag, attrs)
            if tag == "meta":
                assert (attrs.get("http-equiv") or "").lower() != "refresh", name
        # No HTML comment reaches a page: neither the reader's nor a forged note marker.
        assert page.comments == [], (name, page.comments)
    article = "".join(pages["articles/evil/index.html"].text)
    # The attack strings are visible to the reader, as text.
    assert SCRIPT in article
    assert "<img src=x onerror=alert(1)>" in article
    assert "<!--gloss-note:cost-->" in article
    assert 'alert("author")' in article and 'alert("claimant")' in article
    assert TITLE in article


def test_note_marker_cannot_be_forged(site: Path) -> None:
    text = (site / "output" / "articles" / "evil" / "index.html").read_text(encoding="utf-8")
    # One margin note per note, placed after its span: a forged marker did not add one.
    assert text.count('id="margin-cost"') == 1
    assert text.count('id="margin-storms"') == 1


TEXT_META = {"description", "og:title", "og:description", "og:site_name", "twitter:title", "twitter:description",
             "article:author"}


def test_no_unsafe_url_is_linked(site: Path, pages: dict[str, Page]) -> None:
    checked = 0
    for name, page in pages.items():
        for tag, attrs in page.tags:
            for attr, value in attrs.items():
                if attr in URL_ATTRIBUTES and value is not None:
                    checked += 1
                    assert not UNSAFE_SCHEME.match(browser_url(value)), (name, tag, attr, value)
            # Link-preview text (titles, descriptions, names) shows user text as text; every other
            # meta value (refresh, og:url, og:image…) may be read as an address.
            text_meta = (attrs.get("property") or attrs.get("name") or "") in TEXT_META
            if tag == "meta" and attrs.get("content") and not text_meta:
                assert "javascript:" not in browser_url(attrs["content"] or "").lower()
    assert checked > 100
    # The feed carries article bodies as escaped HTML: unescape and scan those too.
    feed = ET.parse(site / "output" / "feed.xml").getroot()
    for element in feed.iter():
        for attr, value in element.attrib.items():
            # Atom's URL attributes (a category term is a tag's name, not a URL).
            if attr in ("href", "src", "scheme", "{http://www.w3.org/XML/1998/namespace}base"):
                assert not UNSAFE_SCHEME.match(browser_url(value)), (element.tag, attr, value)
        if element.tag.rpartition("}")[2] in ("id", "uri", "icon", "logo"):
            assert not UNSAFE_SCHEME.match(browser_url(element.text or "")), (element.tag, element.text)
        if element.tag.endswith("content") and element.text:
            for tag, attrs in Page(element.text).tags:
                assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
                assert tag != "script"
                for attr, value in attrs.items():
                    if attr in URL_ATTRIBUTES and value is not None:
                        assert not UNSAFE_SCHEME.match(browser_url(value)), (tag, attr, value)
    sitemap = ET.parse(site / "output" / "sitemap.xml").getroot()
    for element in sitemap.iter():
        if element.tag.endswith("loc"):
            assert (element.text or "").startswith("https://example.org/gazette/")


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_unsafe_urls_render_as_text(url: str) -> None:
    md = make_parser()
    for source in (f"[x]({url})", f"![x]({url})", f"<{url}>", f"[x][r]\n\n[r]: {url}", f"bare {url} here"):
        rendered = render_block(md, TextBlock(source, 1), user_content=True)
        for tag, attrs in Page(rendered.html).tags:
            for attr, value in attrs.items():
                if attr in URL_ATTRIBUTES and value is not None:
                    assert not UNSAFE_SCHEME.match(browser_url(value)), (source, rendered.html)


def test_every_page_has_the_csp_and_no_inline_script(pages: dict[str, Page]) -> None:
    for name, page in pages.items():
        csp = [a for t, a in page.tags if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
        assert len(csp) == 1, name
        policy = csp[0].get("content") or ""
        assert "script-src 'self'" in policy and "object-src 'none'" in policy and "base-uri 'none'" in policy
        assert "unsafe-inline" not in policy
        for attrs, body in page.scripts:
            if attrs.get("src"):
                assert not body.strip(), name
                continue
            assert attrs.get("type") == "application/ld+json", (name, attrs, body[:80])
        # An inline stylesheet is the theme's own: allowed by its hash in the policy, so no
        # other inline style (a reader's) could ever apply.
        for css in page.styles:
            digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest}'" in policy, (name, css[:80])
            assert "</style" not in css.lower(), name


def test_json_ld_cannot_be_closed_by_user_text(site: Path, pages: dict[str, Page]) -> None:
    raw = raw_pages(site)
    blocks = 0
    for name, page in pages.items():
        text = raw[name]
        # Every "</script" in the file closes one of the page's script elements: user text closed none.
        assert len(re.findall(r"</script", text, re.I)) == len(page.scripts), name
        for attrs, body in page.scripts:
            if attrs.get("type") != "application/ld+json":
                continue
            blocks += 1
            assert "</" not in body and "<!--" not in body, (name, body[:200])
            data = json.loads(body)
            if name == "articles/evil/index.html":
                strings = list(_strings(data))
                assert TITLE in strings, "the headline survives as data"
                assert any("</script>" in s and s != TITLE for s in strings), "comment text survives as data"
    assert blocks >= 1


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_readers_links_are_marked_ugc(pages: dict[str, Page]) -> None:
    page = pages["articles/evil/index.html"]
    links = {a.get("href"): a for t, a in page.tags if t == "a"}
    for href in ("https://example.org/reader", "https://example.org/autolink", "http://example.com/plain"):
        assert links[href].get("rel") == "nofollow ugc noopener", links[href]
    # A reader cannot smuggle in a rel of their own: the link is rendered from Markdown only.
    assert all(a.get("rel") in (None, "noopener", "nofollow ugc noopener") for t, a in page.tags if t == "a")


def test_feed_is_well_formed_and_escaped(site: Path) -> None:
    text = (site / "output" / "feed.xml").read_text(encoding="utf-8")
    root = ET.fromstring(text)
    titles = [e.text for e in root.iter() if e.tag.endswith("title")]
    assert TITLE in titles and '</title><script>alert("site")</script>' in titles
    assert "<script" not in text


def _article_errors(text: str) -> list[str]:
    try:
        article = parse_article(text, "evil.md", "evil")
        article_page(make_parser(), article)
    except (GlossError, GlossErrors) as exc:
        return [e.format() for e in flatten(exc)]
    return []


FRONT = '---\ntitle: "T"\nslug: "{slug}"\n{extra}---\n{body}\n'
NOTE = 'notes:\n  {id}:\n    body: "b"\n    verdict: "Accurate"\n'


@pytest.mark.parametrize(
    "slug", ["../../etc", "..", "/etc", "a/b", "a\\\\b", "%2e%2e", "UPPER", "a b", "-a", "a--b", ".hidden", ""]
)
def test_slug_cannot_name_another_folder(slug: str) -> None:
    errors = _article_errors(FRONT.format(slug=slug, extra="", body="Text."))
    assert len(errors) == 1 and "may only contain a-z, 0-9 and single hyphens" in errors[0], errors
    assert errors[0].startswith("evil.md:3:7: ")


@pytest.mark.parametrize(
    "attrs",
    [
        ".fact #a onclick=alert(1)",
        '.fact #a onclick="alert(1)"',
        ".fact #a style=color:red",
        ".fact #a .evil",
        ".fact #a data-x=1",
        ".fact #a href=javascript:alert(1)",
        '.fact #a"onmouseover=alert(1)',
        ".fact #a><script>alert(1)</script>",
        ".fact #a id=b",
    ],
)
def test_span_attributes_are_allow_listed(attrs: str) -> None:
    text = FRONT.format(slug="evil", extra=NOTE.format(id="a"), body=f"Text [x]{{{attrs}}} more.")
    errors = _article_errors(text)
    assert any("span" in e and "evil.md:9:" in e for e in errors), errors
    rendered = render_block(make_parser(), TextBlock(f"Text [x]{{{attrs}}} more.", 1))
    assert rendered.problems and not rendered.spans
    for tag, found in Page(rendered.html).tags:
        assert set(found) <= {"class", "id", "data-note"}, (tag, found)
        assert tag != "script"


@pytest.mark.parametrize("note_id", ['"x\\" onclick=\\"y"', '"../x"', '"a b"', '"<b>"', '"1a"'])
def test_note_ids_are_checked(note_id: str) -> None:
    errors = _article_errors(FRONT.format(slug="evil", extra=NOTE.format(id=note_id), body="Text."))
    assert any("is not a valid id" in e for e in errors), errors


@pytest.mark.parametrize("comment_id", ['"x\\" onclick=\\"y"', '"../c1"', '"c 1"', '"#c1"'])
def test_comment_ids_are_checked(comment_id: str) -> None:
    comments = f'comments:\n  - id: {comment_id}\n    date: "2024-05-06T09:00"\n    body: "b"\n'
    errors = _article_errors(FRONT.format(slug="evil", extra=comments, body="Text."))
    assert any("is not a valid id" in e for e in errors), errors


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd",
            "//evil.example/x", "&#106;avascript:alert(1)", "https:/x"],
)
def test_source_urls_must_be_http(url: str) -> None:
    extra = NOTE.format(id="a") + f'    sources:\n      - title: "S"\n        url: {json.dumps(url)}\n'
    errors = _article_errors(FRONT.format(slug="evil", extra=extra, body="Text [x]{.fact #a}."))
    assert len(errors) == 1 and "is not an http(s) address" in errors[0], errors


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:image/png;base64,x", "vbscript:x", "file:///etc/passwd",
            "//evil.example/x", "&#106;avascript:alert(1)", "https:/x", "https://example.org/a b"],
)
def test_link_preview_images_must_be_http(url: str, tmp_path: Path) -> None:
    errors = _article_errors(FRONT.format(slug="evil", extra=f"image: {json.dumps(url)}\n", body="Text."))
    assert len(errors) == 1 and "is not an http(s) address" in errors[0], errors
    from generator.content.config import parse_config

    with pytest.raises(GlossError, match="is not an absolute http"):
        parse_config(f"image: {json.dumps(url)}\n", "site.yaml")


def test_base_url_option_is_checked(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    before = {p: p.read_bytes() for p in (copy / "output").rglob("*") if p.is_file()}
    result = run_gloss("build", "--no-search", "--base-url", "javascript:alert(1)//", cwd=copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("--base-url:1:1: ") and "(hint: " in result.stderr
    assert {p: p.read_bytes() for p in (copy / "output").rglob("*") if p.is_file()} == before


def test_readme_states_the_escaping_rule() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**Untrusted text.**"):]
    section = section[: section.index("\n\n")]
    for needle in ("javascript:", "data:", "Content-Security-Policy", "nofollow ugc noopener", "JSON-LD", "slug"):
        assert needle in section, needle


@pytest.mark.parametrize(("source", "html_out"), [
    ("see https://example.org/a_b?x=1&y=2.", '<p>see <a href="https://example.org/a_b?x=1&amp;y=2" '
     'rel="nofollow ugc noopener">https://example.org/a_b?x=1&amp;y=2</a>.</p>\n'),
    ("(http://example.org/x)", '<p>(<a href="http://example.org/x" rel="nofollow ugc noopener">'
     "http://example.org/x</a>)</p>\n"),
    ("mail mailto:desk@example.org", '<p>mail <a href="mailto:desk@example.org" rel="nofollow ugc noopener">'
     "mailto:desk@example.org</a></p>\n"),
    # No guessing: no scheme, no link (readme.md is Moldova's domain; //host and ftp: are not offered).
    ("see www.example.org, readme.md, Node.js, a@b.org", "<p>see www.example.org, readme.md, Node.js, a@b.org</p>\n"),
    ("see //evil.example/x and ftp://files.example/x", "<p>see //evil.example/x and ftp://files.example/x</p>\n"),
    ("JAVASCRIPT://example.org/%0aalert(1)", "<p>JAVASCRIPT://example.org/%0aalert(1)</p>\n"),
])
def test_bare_urls_are_linked_through_the_allow_list(source: str, html_out: str) -> None:
    assert render_block(make_parser(), TextBlock(source, 1), user_content=True).html == html_out
