"""Preview stage: ``gloss serve``'s watcher, rebuild loop and HTTP server (the design is in ``__init__``)."""

from __future__ import annotations

import errno
import ipaddress
import json
import mimetypes
import signal
import socket
import sys
import threading
import time
import webbrowser
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import watchfiles

from ..build.options import BuildOptions
from ..build.uptodate import builtin_templates
from ..build.write import spare_path
from ..common.errors import GlossError
from ..terminal import plural
from .builder import Builder
from .error_page import ERROR_CSP, error_page
from .edit_api import PREFIX as EDIT_PREFIX
from .edit_api import EditApi, Refused
from .guard import IDLE_TIMEOUT_S, AllowedHosts, GuardedServer

RELOAD_PATH = "/__gloss__/reload.js"
EVENTS_PATH = "/__gloss__/events"
RELOAD_JS = """\
// Gloss live preview: reload this page once the site has been rebuilt (or has failed to build).
(() => {
  const generation = new URL(document.currentScript.src).searchParams.get("g") || "";
  const events = new EventSource("/__gloss__/events?g=" + encodeURIComponent(generation));
  events.onmessage = () => { events.close(); location.reload(); };
})();
"""
KEEPALIVE_S = 15.0  # an SSE comment this often notices browsers that went away


class Preview:
    """Shared state between the watcher thread and the request threads."""

    def __init__(self, options: BuildOptions, verbose: bool, quiet: bool = False,
                 builder: Builder | None = None) -> None:
        self.options = options
        self.verbose = verbose
        self.builder = builder or Builder(options, verbose)
        self.quiet = quiet  # -q: no line per successful build (errors and warnings still show)
        self.stop = threading.Event()  # set by SIGINT/SIGTERM; also stops the watcher
        self.ready = threading.Event()  # the first build has finished (or the watcher gave up)
        self._changed = threading.Condition()
        # Starts from the clock, so a page left open across a server restart reloads when it reconnects.
        self.generation = time.time_ns() // 1_000_000
        self.errors: tuple[GlossError, ...] = ()
        self._printed: tuple[str, ...] = ()
        self._warned: set[str] = set()

    def snapshot(self) -> tuple[int, tuple[GlossError, ...]]:
        """The current generation and errors (read before the file, so a racing build still reloads)."""
        with self._changed:
            return self.generation, self.errors

    def wait_for_change(self, since: str, timeout: float) -> bool:
        """True once the generation differs from ``since``; False after ``timeout`` or when stopping."""
        with self._changed:
            self._changed.wait_for(lambda: str(self.generation) != since or self.stop.is_set(), timeout)
            return str(self.generation) != since and not self.stop.is_set()

    def wake_all(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def rebuild(self) -> None:
        """Build once; publish the outcome to browsers only after ``output/`` is completely in place."""
        started = time.perf_counter()
        warnings: tuple[str, ...] = ()
        outcome = self.builder.build()
        errors = outcome.gloss_errors()
        if (result := outcome.result) is not None:
            stats, warnings = result.stats, result.warnings
            if not self.quiet:
                print(f"built {plural(result.articles, 'article')} in {time.perf_counter() - started:.2f} s: "
                      f"{stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed", flush=True)
        lines = tuple(e.format() for e in errors)
        if lines and lines != self._printed:  # each distinct failure once, not once per save
            print("\n".join(lines), file=sys.stderr, flush=True)
        self._printed = lines
        # A warning (no base_url…) is about the site, not this save: once per run, errors or not.
        if fresh := [w for w in warnings if w not in self._warned]:
            print("\n".join(fresh), file=sys.stderr, flush=True)
            self._warned.update(fresh)
        with self._changed:
            self.errors = errors
            self.generation += 1
            self._changed.notify_all()

    def _targets(self) -> dict[Path, int]:
        """What to watch, with inode numbers: a folder created later or a file replaced re-arms the watcher."""
        found: dict[Path, int] = {}
        root = self.options.root
        for path in (self.options.content, root / "templates", root / "site.yaml", builtin_templates()):
            try:
                found[path.resolve()] = path.stat().st_ino
            except OSError:
                pass  # not there (yet)
        return found

    def _wanted(self, change: watchfiles.Change, path: str) -> bool:
        """Editor droppings are ignored; so is our own output, should it live inside a watched folder.

        So are dot-files, which no build reads: the note editor's (and many text editors') temporary file
        beside the one being saved would otherwise cost a rebuild and a page reload of its own.
        """
        if Path(path).name.startswith("."):
            return False
        output = self.options.output.absolute()
        # The build's own trees beside output/: staging folders and the spare (write.py).
        if path.startswith((str(output.parent / f".{output.name}.staging-"), f"{spare_path(output)}/")):
            return False
        return path != str(output) and not path.startswith(f"{output}/") and _DEFAULT_FILTER(change, path)

    def watch(self) -> None:
        """The builder thread: arm the watcher, build, then build after every batch of changes."""
        try:
            while not self.stop.is_set():
                targets = self._targets()
                armed = False
                try:
                    # yield_on_timeout: the first (empty) yield means "armed"; later ones let us notice
                    # a templates/ folder or site.yaml that appeared, which a running watcher cannot see.
                    # step=20: a batch ends 20 ms after its last event (default 50): a save shows sooner.
                    for changes in watchfiles.watch(
                        *targets, watch_filter=self._wanted, stop_event=self.stop, rust_timeout=200, step=20,
                        yield_on_timeout=True, raise_interrupt=False,
                    ):
                        if changes or not armed:
                            armed = True
                            self.rebuild()
                            self.ready.set()
                        if self._targets() != targets:
                            break
                except OSError:  # a watched path vanished while arming: look again shortly
                    self.stop.wait(0.2)
        finally:
            self.ready.set()


_DEFAULT_FILTER = watchfiles.DefaultFilter()


def resolve(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` a URL path names, or None for anything that could leave ``root``.

    Decoded exactly once: ``%252e%252e`` stays the literal name ``%2e%2e`` (which does not exist).
    """
    parts = [p for p in unquote(url_path).split("/") if p]
    if any(p in (".", "..") or "\\" in p or "\0" in p for p in parts):
        return None
    base = root.resolve()
    target = base.joinpath(*parts).resolve()  # follows symlinks: one pointing outside is refused too
    return target if target == base or target.is_relative_to(base) else None


def inject(page: bytes, generation: int, extra: bytes = b"") -> bytes:
    """The reload script (and ``extra``) before the first ``</head>`` (any case), else ``</body>``, else at the end."""
    tag = f'<script src="{RELOAD_PATH}?g={generation}"></script>'.encode() + extra
    lower = page.lower()
    at = lower.find(b"</head>")
    at = at if at >= 0 else lower.find(b"</body>")
    at = at if at >= 0 else len(page)
    return page[:at] + tag + page[at:]


class PreviewServer(GuardedServer):
    """The HTTP server, holding the preview state its handlers need."""

    request_queue_size = 128  # a reload opens several connections at once; a full backlog costs 1 s retries
    preview: Preview
    allowed: AllowedHosts
    edit: EditApi | None = None  # gloss serve --edit

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser closing a tab is not news
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """GET/HEAD: files under ``output/``, the reload script and events; with ``--edit``, POST: the edit API."""

    server: PreviewServer
    timeout = IDLE_TIMEOUT_S  # a read or write that stalls this long ends the connection (see guard.py)

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would bury the build messages

    def parse_request(self) -> bool:
        """Headers are in: lift the header deadline, and answer only the host names we printed."""
        if not super().parse_request():
            return False
        self.server.headers_read(self.connection)
        if not self.server.allowed.allows(self.headers.get("Host")):
            self.close_connection = True
            message = b"403 unknown Host header: open the address gloss serve printed\n"
            self.send(403, "text/plain; charset=utf-8", message, self.command == "HEAD")
            return False
        return True

    def do_GET(self) -> None:
        self.respond(head=False)

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def do_POST(self) -> None:
        """The edit API (``edit_api.py``); without ``--edit`` POST is refused as it always was."""
        api = self.server.edit
        if api is None:
            return self.send_error(501, f"Unsupported method ({self.command!r})")
        path = urlsplit(self.path).path
        if not path.startswith(EDIT_PREFIX):
            return self.send_json(404, {"error": "not an edit address"})
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            length = None
        try:
            api.check(self.headers, self.headers.get("Host"), length)
        except Refused as refused:
            self.close_connection = True  # the body, if any, is left unread
            return self.send_json(refused.status, {"error": refused.message})
        assert length is not None
        status, reply = api.handle(path[len(EDIT_PREFIX):], self.rfile.read(length))
        self.send_json(status, reply)

    def send_json(self, status: int, reply: dict[str, Any]) -> None:
        self.send(status, "application/json; charset=utf-8", json.dumps(reply).encode(), head=False)

    def send(self, status: int, kind: str, body: bytes, head: bool, csp: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # the browser must never show a stale page
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def respond(self, head: bool) -> None:
        url, preview = urlsplit(self.path), self.server.preview
        if url.path == RELOAD_PATH:
            return self.send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode(), head)
        if url.path == EVENTS_PATH and not head:
            return self.events(parse_qs(url.query).get("g", [""])[0])
        if (api := self.server.edit) is not None:
            if url.path.startswith(EDIT_PREFIX):
                return self.send(405, "text/plain; charset=utf-8", b"405 the edit API takes POST only\n", head)
            if (asset := api.asset(url.path)) is not None:
                return self.send(200, asset[0], asset[1], head)
        generation, errors = preview.snapshot()  # before reading the file: see Preview.snapshot
        target = resolve(preview.options.output, url.path)
        if target is not None and target.is_dir():
            if not url.path.endswith("/"):  # relative links need the slash
                self.send_response(301)
                self.send_header("Location", url.path + "/" + (f"?{url.query}" if url.query else ""))
                self.send_header("Content-Length", "0")
                return self.end_headers()
            target = target / "index.html"
        if errors and (target is None or target.suffix == ".html" or not target.is_file()):
            page = inject(error_page(errors), generation)
            return self.send(500, "text/html; charset=utf-8", page, head, ERROR_CSP)
        status, body = 200, _read(target)
        if body is None:
            status, target = 404, preview.options.output / "404.html"
            if (body := _read(target)) is None:
                return self.send(404, "text/plain; charset=utf-8", b"404 not found\n", head)
        assert target is not None
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            edit = self.server.edit
            body = inject(body, generation, edit.page_tags(url.path, body) if edit is not None and status == 200 else b"")
        if kind.startswith("text/") or kind.endswith(("javascript", "xml")):
            kind += "; charset=utf-8"
        self.send(status, kind, body, head)

    def events(self, since: str) -> None:
        """Server-Sent Events: one ``reload`` message as soon as the generation differs from ``since``."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.server.preview
        try:
            self.wfile.write(b"retry: 500\n\n")  # after a server restart, reconnect quickly
            self.wfile.flush()
            while not preview.stop.is_set():
                if preview.wait_for_change(since, KEEPALIVE_S):
                    self.wfile.write(b"data: reload\n\n")
                    self.wfile.flush()
                    return
                self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except OSError:
            pass  # the browser went away


def _read(path: Path | None) -> bytes | None:
    """A file's bytes, or None if it is not a regular file (or vanished in a swap)."""
    try:
        return path.read_bytes() if path is not None and path.is_file() else None
    except OSError:
        return None


def is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(options: BuildOptions, host: str, port: int, open_browser: bool = False, verbose: bool = False,
          edit: bool = False, quiet: bool = False) -> int:
    """Run the live preview until SIGINT or SIGTERM; the return value is the exit code."""
    if edit and not is_loopback(host):
        print(f"gloss serve: --edit works only on a loopback address, not {host} "
              "(hint: drop --host, or preview without --edit)", file=sys.stderr)
        return 2
    if not is_loopback(host):
        print(f"warning: serving on {host}: other machines can see the preview, "
              "including the source lines that error pages show", file=sys.stderr, flush=True)
    # Forked first, while this process has one thread and no listening socket to hand down.
    builder = Builder(options, verbose)
    try:
        return _serve(options, host, port, open_browser, verbose, edit, quiet, builder)
    finally:
        builder.close()


def _serve(options: BuildOptions, host: str, port: int, open_browser: bool, verbose: bool, edit: bool,
           quiet: bool, builder: Builder) -> int:
    try:
        PreviewServer.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        server = PreviewServer((host, port), Handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"gloss serve: port {port} is in use (hint: pass --port 0 to pick a free one)", file=sys.stderr)
        else:
            print(f"gloss serve: cannot listen on {host}:{port}: {exc.strerror or exc} "
                  "(hint: check --host, or pass --port 0)", file=sys.stderr)
        return 1
    preview = server.preview = Preview(options, verbose, quiet, builder)
    server.allowed = AllowedHosts(host)
    server.edit = EditApi(options.content) if edit else None

    def stop(signum: int, frame: FrameType | None) -> None:
        preview.stop.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    watcher = threading.Thread(target=preview.watch, name="gloss-watch")
    web = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="gloss-http")
    try:
        watcher.start()
        while not preview.ready.wait(0.2) and not preview.stop.is_set():
            pass
        if not preview.stop.is_set():
            web.start()
            bound = str(server.server_address[0])
            url = f"http://{f'[{bound}]' if ':' in bound else bound}:{server.server_address[1]}/"
            print(f"Serving on {url}", flush=True)
            if edit:
                print("Editing is on: select words in an article or a comment to add a note", flush=True)
            if open_browser:
                webbrowser.open(url)
            while not preview.stop.wait(1.0):
                pass
    finally:
        # Order matters: stop the watcher (a running build finishes: it is atomic), end the event
        # streams, then the server loop; join everything, so nothing outlives the command.
        preview.stop.set()
        preview.wake_all()
        if web.is_alive():
            server.shutdown()
        server.server_close()
        watcher.join()
        if web.ident is not None:
            web.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("stopped", flush=True)
    return 0
