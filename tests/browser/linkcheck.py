"""Gloss's own link checker for a built site.

Two entry points, both returning a list of human-readable problems (empty when all is well):

* :func:`check_links` reads the output folder on disk. Every internal ``href``/``src``/``srcset``
  (and ``poster``, ``data``, ``cite``, ``<meta http-equiv=refresh>``, CSS ``url()`` and ``@import``)
  must resolve to a file, and every ``#fragment`` must match an ``id`` (or ``<a name>``) of the
  target page. External links (any URL with a scheme, or ``//host``) are ignored. Root-absolute
  links (``href="/..."``) are problems in themselves: every link in a Gloss site is relative so
  that the output works under any sub-path and from ``file://``.
* :func:`crawl_http` crawls a served copy of the site from a start URL (e.g. ``http://127.0.0.1:PORT/news/``)
  with ``urllib``: every internal URL reached must answer 200 and must stay under the start
  URL's path; fragments are checked as well.

Problems read ``<file>:<line>: <what> "<link>" (<why>)`` so that a failure says where to look.
"""

from __future__ import annotations

import posixpath
import re
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

__all__ = ["check_links", "crawl_http", "CrawlResult", "parse_html"]

# Which attributes of which elements hold URLs. ``srcset`` is a list of candidates.
URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "input": ("src",),
    "object": ("data",),
    "form": ("action",),
    "blockquote": ("cite",),
    "q": ("cite",),
    "ins": ("cite",),
    "del": ("cite",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
}

# Fragments that need no matching id (HTML: "#" and "#top" scroll to the top; text fragments).
_FREE_FRAGMENTS = {"", "top"}

_CSS_URL = re.compile(r"""url\(\s*(?P<q>['"]?)(?P<url>.*?)(?P=q)\s*\)|@import\s+(?P<q2>['"])(?P<url2>.*?)(?P=q2)""", re.I)
_REFRESH_URL = re.compile(r"""url\s*=\s*['"]?([^'"\s]+)""", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass
class Link:
    line: int
    where: str  # e.g. 'a href', 'img srcset', 'css url()'
    url: str


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    base: str | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._in_style = False
        self._style_line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: (value or "") for name, value in attrs}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        if tag == "base" and "href" in values and self.page.base is None:
            self.page.base = values["href"]
        for attr in URL_ATTRIBUTES.get(tag, ()):
            if attr not in values:
                continue
            value = values[attr].strip()
            if attr == "srcset":
                for url in srcset_urls(value):
                    self.page.links.append(Link(line, f"{tag} srcset", url))
            else:
                self.page.links.append(Link(line, f"{tag} {attr}", value))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = _REFRESH_URL.search(values.get("content", ""))
            if match:
                self.page.links.append(Link(line, "meta refresh", match.group(1)))
        if "style" in values:
            for url in css_urls(values["style"]):
                self.page.links.append(Link(line, f"{tag} style url()", url))
        if tag == "style":
            self._in_style = True
            self._style_line = line

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            for url in css_urls(data):
                self.page.links.append(Link(self._style_line, "<style> url()", url))


def parse_html(text: str) -> ParsedPage:
    """Ids and URL-bearing attributes of one HTML document."""
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return parser.page


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` (HTML's parsing rules, so ``data:`` URLs with commas survive)."""
    urls = []
    i, n = 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if not url:
            break
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # skip the descriptors ("2x", "300w") up to the next comma outside parentheses
            depth = 0
            while i < n and not (value[i] == "," and depth <= 0):
                depth += {"(": 1, ")": -1}.get(value[i], 0)
                i += 1
        if url:
            urls.append(url)
    return urls


def css_urls(text: str) -> list[str]:
    out = []
    for match in _CSS_URL.finditer(text):
        url = (match.group("url") if match.group("url") is not None else match.group("url2")) or ""
        url = url.strip()
        if url:
            out.append(url)
    return out


def _css_links(text: str) -> list[Link]:
    links = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for url in css_urls(line):
            links.append(Link(lineno, "css url()", url))
    return links


def _is_external(url: str) -> bool:
    return url.startswith("//") or bool(_SCHEME.match(url))


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def check_links(root: Path, url_prefix: str = "/", *, file_url: bool = False) -> list[str]:
    """Check every internal link and fragment of the site in ``root`` (an output folder) on disk.

    ``url_prefix`` is the URL path the site is deployed under; a root-absolute link is always
    reported, and if it points inside ``url_prefix`` it is also resolved. With ``file_url=True``
    links are resolved the way a browser opening the files from ``file://`` does: a link to a
    folder (``tags/x/``) does not open its ``index.html`` there, so it is reported too.
    """
    root = Path(root)
    prefix = "/" + url_prefix.strip("/") + "/" if url_prefix.strip("/") else "/"
    problems: list[str] = []
    pages: dict[str, ParsedPage] = {}
    sources: list[tuple[str, list[Link], str | None]] = []  # (rel path, links, base)

    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if path.suffix.lower() in (".html", ".htm"):
            try:
                parsed = parse_html(_read_text(path))
            except Exception as exc:  # pragma: no cover - HTMLParser is very forgiving
                problems.append(f"{rel}: cannot parse HTML ({exc})")
                continue
            pages[rel] = parsed
            sources.append((rel, parsed.links, parsed.base))
        elif path.suffix.lower() == ".css":
            sources.append((rel, _css_links(_read_text(path)), None))
        elif path.suffix.lower() == ".svg":
            try:
                parsed = parse_html(_read_text(path))
            except Exception:  # pragma: no cover
                continue
            pages[rel] = parsed  # ids inside SVG sprites can be targets of "#fragment"
            sources.append((rel, parsed.links, None))

    for rel, links, base in sources:
        for link in links:
            problem = _check_one(root, rel, link, base, prefix, pages, file_url)
            if problem:
                problems.append(f"{rel}:{link.line}: {problem}")
    return problems


def _check_one(root: Path, rel: str, link: Link, base: str | None, prefix: str,
               pages: dict[str, ParsedPage], file_url: bool) -> str | None:
    url = link.url
    what = f'{"broken link" if link.where.startswith(("a ", "area ")) else "broken " + link.where}'
    if _is_external(url):
        if url.lower().startswith("file:"):
            return f'{link.where} "{url}" is a file: URL (points outside the site)'
        return None
    if base and not url.startswith("#"):
        if _is_external(base):
            return None  # resolved against an external <base>: not ours to check
        url_for_resolve = urljoin(base, url)
    else:
        url_for_resolve = url
    path_part, _, fragment = url_for_resolve.partition("#")
    path_part = path_part.split("?", 1)[0]
    fragment = unquote(fragment)

    if url.startswith("/"):
        return (f'root-absolute {link.where} "{url}" (all links must be relative, '
                f'or the site breaks under a sub-path and from file://)')

    if path_part == "":
        target = rel
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(path_part)))
        if target == ".." or target.startswith("../"):
            return f'{what} "{url}" (points outside the site root)'
        wants_dir = path_part.endswith("/") or target == "."
        target_path = root / target
        if wants_dir or target_path.is_dir():
            if not (target_path / "index.html").is_file():
                return f'{what} "{url}" (no such file: {posixpath.normpath(posixpath.join(target, "index.html"))})'
            if file_url:
                return (f'{link.where} "{url}" links to a folder: from file:// that opens a folder '
                        f'listing, not {posixpath.normpath(posixpath.join(target, "index.html"))}; '
                        f'link to the index.html itself')
            target = posixpath.normpath(posixpath.join(target, "index.html"))
        elif not target_path.is_file():
            return f'{what} "{url}" (no such file: {target})'

    if fragment and fragment.lower() not in _FREE_FRAGMENTS and not fragment.startswith(":~:"):
        page = pages.get(target)
        if page is not None and fragment not in page.ids:
            where = "this page" if target == rel else target
            return f'broken fragment "{url}" (no id="{fragment}" in {where})'
    return None


# --------------------------------------------------------------------------- HTTP crawl


@dataclass
class CrawlResult:
    problems: list[str]
    visited: dict[str, int]  # URL (no fragment) -> HTTP status

    @property
    def pages(self) -> list[str]:
        return sorted(self.visited)


def _opener() -> urllib.request.OpenerDirector:
    # Never go through a proxy for 127.0.0.1, whatever the environment says.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def crawl_http(start_url: str, *, max_urls: int = 20000, timeout: float = 10.0) -> CrawlResult:
    """Crawl a served site from ``start_url`` following every internal link; every URL must answer 200.

    Internal means same scheme, host and port. Internal links must stay under the start URL's
    path (the sub-path the site is served from). Problems name the page that holds the link.
    """
    opener = _opener()
    start = urlsplit(start_url)
    origin = (start.scheme, start.netloc)
    scope = start.path if start.path.endswith("/") else posixpath.dirname(start.path) + "/"
    queue: deque[tuple[str, str]] = deque([(start_url, "(start)")])
    seen: set[str] = {start_url}
    visited: dict[str, int] = {}
    ids: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str, str]] = []  # (target url, fragment, referrer, raw link)
    problems: list[str] = []

    while queue:
        url, referrer = queue.popleft()
        if len(visited) >= max_urls:
            problems.append(f"crawl stopped after {max_urls} URLs (a link loop?)")
            break
        try:
            with opener.open(url, timeout=timeout) as response:
                status = response.status
                final_url = response.geturl()
                ctype = response.headers.get_content_type()
                body = response.read()
        except urllib.error.HTTPError as exc:
            visited[url] = exc.code
            problems.append(f"{referrer}: {url} answered HTTP {exc.code}")
            continue
        except (urllib.error.URLError, OSError) as exc:
            visited[url] = 0
            problems.append(f"{referrer}: {url} could not be fetched ({exc})")
            continue
        visited[url] = status
        if status != 200:
            problems.append(f"{referrer}: {url} answered HTTP {status}")
            continue
        text = body.decode("utf-8", errors="replace")
        if ctype == "text/html":
            parsed = parse_html(text)
            ids[url] = parsed.ids
            if final_url != url:
                ids[final_url] = parsed.ids
            links = parsed.links
            base_url = urljoin(final_url, parsed.base) if parsed.base else final_url
        elif ctype == "text/css":
            links = _css_links(text)
            base_url = final_url
        else:
            continue
        here = urlsplit(final_url).path
        for link in links:
            raw = link.url
            if raw.startswith("//") or (_SCHEME.match(raw) and not raw.lower().startswith(("http:", "https:"))):
                continue
            absolute = urljoin(base_url, raw)
            parts = urlsplit(absolute)
            if (parts.scheme, parts.netloc) != origin:
                continue  # external
            where = f"{here}:{link.line}"
            if not parts.path.startswith(scope):
                problems.append(f'{where}: {link.where} "{raw}" leaves the site\'s path {scope} (goes to {parts.path})')
                continue
            target, fragment = urldefrag(absolute)
            target = target.split("?", 1)[0]
            if fragment:
                fragments.append((target, unquote(fragment), where, raw))
            if target not in seen:
                seen.add(target)
                queue.append((target, where))

    for target, fragment, where, raw in fragments:
        if fragment.lower() in _FREE_FRAGMENTS or fragment.startswith(":~:"):
            continue
        page_ids = ids.get(target)
        if page_ids is None:
            # A folder URL without its slash was redirected; try the slashed form.
            page_ids = ids.get(target + "/")
        if page_ids is not None and fragment not in page_ids:
            problems.append(f'{where}: broken fragment "{raw}" (no id="{fragment}" in {urlsplit(target).path})')
    return CrawlResult(problems=problems, visited=visited)
