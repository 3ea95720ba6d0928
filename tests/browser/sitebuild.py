"""Building, listing and serving sites for the browser tests."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
HARNESS_CONTENT = Path(__file__).resolve().parent / "content"
"""Articles the harness adds to every site it builds, for page shapes the example site lacks
(``reading-code.md``: code blocks wider than a phone, in the article and in a comment;
``library-reopens.md``: an article in Arabic, right to left, on a site in another language, translating
``library-reopens-en.md``)."""


class BuildError(RuntimeError):
    pass


def build_site(content_dir: Path | str, out_dir: Path | str, *extra_args: str, timeout: float = 600) -> Path:
    """Run ``python -m generator build --content CONTENT --output OUT [extra...]`` from the repo root.

    Returns ``out_dir``. Raises :class:`BuildError` with the command's output when it fails.
    """
    out_dir = Path(out_dir)
    cmd = [sys.executable, "-m", "generator", "build", "--content", str(content_dir), "--output", str(out_dir),
           *extra_args]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise BuildError(
            f"`{' '.join(cmd)}` (cwd {REPO_ROOT}) exited {proc.returncode}\n"
            f"--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"
        )
    if not any(out_dir.rglob("*.html")):
        raise BuildError(f"`{' '.join(cmd)}` succeeded but wrote no HTML file into {out_dir}")
    return out_dir


def harness_content(content_dir: Path | str, dest: Path | str) -> Path:
    """A copy of ``content_dir`` with the :data:`HARNESS_CONTENT` articles added; returns ``dest``.

    An article whose file name the site already has is not added (the site's own wins).
    """
    dest = Path(dest)
    shutil.copytree(content_dir, dest)
    for article in sorted(HARNESS_CONTENT.glob("*.md")):
        if not (dest / article.name).exists():
            shutil.copy2(article, dest / article.name)
    return dest


def html_pages(root: Path) -> list[str]:
    """Every HTML file of a built site, as sorted POSIX paths relative to ``root``."""
    return sorted(p.relative_to(root).as_posix() for p in Path(root).rglob("*.html") if p.is_file())


def checkable_files(root: Path) -> list[str]:
    """HTML, CSS and SVG files: what the Nu HTML checker validates."""
    return sorted(p.relative_to(root).as_posix() for p in Path(root).rglob("*")
                  if p.is_file() and p.suffix.lower() in (".html", ".htm", ".css", ".svg"))


def page_type(rel: str) -> str:
    """The page's shape, which is usually its template: ``articles/x/index.html`` -> ``articles/*/index.html``.

    ``index.html`` and ``404.html`` are their own types; ``tags/index.html`` and
    ``tags/*/index.html`` differ, as do ``claims/*/index.html`` and ``claims/*/*/index.html``.
    """
    parts = rel.split("/")
    if len(parts) <= 2:
        return rel
    return "/".join([parts[0], *["*"] * (len(parts) - 2), parts[-1]])


def page_id(rel: str) -> str:
    """A file-name-safe id: ``articles/x/index.html`` -> ``articles-x``; ``index.html`` -> ``index``."""
    stem = rel[: -len("/index.html")] if rel.endswith("/index.html") else rel.rsplit(".", 1)[0]
    return stem.replace("/", "-") or "index"


def page_url_path(rel: str) -> str:
    """The URL path (relative to the site root) a reader uses: ``articles/x/index.html`` -> ``articles/x/``."""
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


def representative_pages(pages: list[str], per_type: int) -> list[str]:
    """All pages, but at most ``per_type`` of each :func:`page_type` (0 = no limit)."""
    if per_type <= 0:
        return list(pages)
    counts: dict[str, int] = {}
    chosen = []
    for rel in pages:
        kind = page_type(rel)
        if counts.get(kind, 0) < per_type:
            counts[kind] = counts.get(kind, 0) + 1
            chosen.append(rel)
    return chosen


# --------------------------------------------------------------------------- serving


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature from the base class
        pass


@dataclass
class ServedSite:
    """A folder served over HTTP on 127.0.0.1; ``url`` is where the site's root is (ends in ``/``)."""

    root: Path  # the built output folder
    url: str
    server: http.server.ThreadingHTTPServer
    thread: threading.Thread

    def page_url(self, rel: str) -> str:
        return self.url + page_url_path(rel)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve(folder: Path, *, sub_path: str = "", work_dir: Path | None = None) -> ServedSite:
    """Serve ``folder`` on a free port of 127.0.0.1.

    With ``sub_path`` (e.g. ``"news"``) a copy of ``folder`` is served at ``/news/`` from a fresh
    document root in ``work_dir``, and nothing else exists on the server (like a site deployed into
    a sub-path of another site).
    """
    folder = Path(folder)
    doc_root = folder
    sub_path = sub_path.strip("/")
    if sub_path:
        if work_dir is None:
            raise ValueError("serving under a sub-path needs a work_dir for the copy")
        doc_root = Path(work_dir)
        target = doc_root / sub_path
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(folder, target)
    handler = functools.partial(_QuietHandler, directory=str(doc_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"serve-{folder.name}", daemon=True)
    thread.start()
    port = server.server_address[1]
    url = f"http://127.0.0.1:{port}/" + (sub_path + "/" if sub_path else "")
    return ServedSite(root=folder, url=url, server=server, thread=thread)
