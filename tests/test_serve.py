"""``gloss serve``: live preview in headless Chromium, plus the server's HTTP, bind and signal behaviour.

Each test copies ``tests/fixtures/sites/small/`` to a temporary folder and starts
``python -m generator serve --port 0`` there as a subprocess (its own session, so the test can check that
nothing of it is left), reading the URL from the ``Serving on`` line. Browser tests never reload by
hand: they save a file and wait (10 s at most) for the page to show the change. No timing is asserted.
"""

from __future__ import annotations

import http.client
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, expect

REPO = Path(__file__).resolve().parent.parent
SMALL = REPO / "tests" / "fixtures" / "sites" / "small"
ARTICLE = Path("content") / "harbour-bridge.md"
TIMEOUT_MS = 10_000
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
    # Without this Chromium still sends DNS queries (docs/design.md §9).
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]

pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "PYTHONUNBUFFERED": "1"}


class Server:
    """A ``gloss serve`` subprocess with its stdout and stderr collected by two threads."""

    def __init__(self, site: Path, *args: str, max_files: int | None = None) -> None:
        def limit() -> None:  # in the child: a lower descriptor limit, to reach it with few sockets
            if max_files is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (max_files, max_files))

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--port", "0", *args],
            cwd=site, env=_env(), text=True, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, preexec_fn=limit,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.pumps = [
            threading.Thread(target=lambda s=stream, into=into: into.extend(s), daemon=True)
            for stream, into in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))
        ]
        for pump in self.pumps:
            pump.start()

    def stdout(self) -> str:
        return "".join(self.out)

    def stderr(self) -> str:
        return "".join(self.err)

    def url(self, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if m := re.search(r"Serving on (http://\S+)", self.stdout()):
                return m.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        pytest.fail(f"no 'Serving on' line; stdout={self.stdout()!r} stderr={self.stderr()!r}")

    def stop(self, sig: int = signal.SIGINT) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(15)
        for pump in self.pumps:
            pump.join(5)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SMALL, root)
    return root


@pytest.fixture
def server(site: Path) -> Iterator[Server]:
    running = Server(site)
    yield running
    running.kill()
    # Shown by pytest only when the test failed: what the server said, to tell slow from broken.
    print(f"--- serve stdout:\n{running.stdout()}--- serve stderr:\n{running.stderr()}")


def _eventually(check: object, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.05)
    pytest.fail(f"not within {timeout} s: {what}")


def _get(url: str, path: str) -> tuple[int, bytes, dict[str, str]]:
    """A raw GET: http.client sends the path exactly as given (no dot-segment clean-up)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


# --------------------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def chromium(playwright_session: Playwright) -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium not found: install it with `apt-get install chromium` (never `playwright install`)")
    browser = playwright_session.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def page(chromium: Browser, server: Server) -> Iterator[Page]:
    """The served article, open in Chromium; fails the test on any CSP violation (the reload script)."""
    context = chromium.new_context()
    opened = context.new_page()
    console: list[str] = []

    def record(message: ConsoleMessage) -> None:
        console.append(message.text)

    opened.on("console", record)
    opened.goto(server.url() + "articles/harbour-bridge/")
    yield opened
    context.close()
    assert not [m for m in console if "Content Security Policy" in m], console


def test_content_edit_shows_without_reloading_by_hand(page: Page, site: Path) -> None:
    expect(page.locator("h1")).to_contain_text("harbour bridge reopens")
    article = site / ARTICLE
    article.write_text(article.read_text().replace("reopened on Sunday", "reopened on Monday morning"))
    expect(page.locator("main")).to_contain_text("reopened on Monday morning", timeout=TIMEOUT_MS)


def test_broken_yaml_shows_error_page_then_the_fix_brings_the_article_back(
    page: Page, site: Path, server: Server
) -> None:
    article = site / ARTICLE
    original = article.read_text()
    broken = re.sub(r'(?m)^summary: .*$', 'summary: "unterminated', original)
    article.write_text(broken)
    # The error and its place, as the CLI reports them.
    check = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=site, env=_env(),
                           capture_output=True, text=True, timeout=60)
    first = check.stderr.splitlines()[0]
    m = re.match(r"(content/harbour-bridge\.md):(\d+):(\d+): ", first)
    assert m, check.stderr
    line = int(m.group(2))

    expect(page.locator("h1")).to_contain_text("Build failed", timeout=TIMEOUT_MS)
    expect(page.locator("main")).to_contain_text(f"{m.group(1)}:{line}:{m.group(3)}")
    marked = page.locator("mark")
    expect(marked).to_contain_text(f"{line} | {broken.splitlines()[line - 1].strip()}")
    expect(page.locator("main")).to_contain_text("Hint:")
    # The terminal shows it once, one line, no traceback.
    _eventually(lambda: first in server.stderr(), "the error on stderr")
    assert server.stderr().count(first) == 1, server.stderr()
    assert "Traceback" not in server.stderr()

    article.write_text(original)
    expect(page.locator("h1")).to_contain_text("harbour bridge reopens", timeout=TIMEOUT_MS)


def test_template_edits_show(page: Page, site: Path) -> None:
    base = (REPO / "templates" / "base.html").read_text()
    assert "</body>" in base
    # templates/ does not exist yet: the watcher must notice the new folder, then edits inside it.
    (site / "templates").mkdir()
    own = site / "templates" / "base.html"
    own.write_text(base.replace("</body>", '<p id="theme-edit">first theme edit</p>\n</body>'))
    expect(page.locator("#theme-edit")).to_have_text("first theme edit", timeout=TIMEOUT_MS)
    own.write_text(base.replace("</body>", '<p id="theme-edit">second theme edit</p>\n</body>'))
    expect(page.locator("#theme-edit")).to_have_text("second theme edit", timeout=TIMEOUT_MS)


def test_two_saves_300_ms_apart_both_show(page: Page, site: Path) -> None:
    article = site / ARTICLE
    original = article.read_text()
    article.write_text(original + "\nQuick save one.\n")
    time.sleep(0.3)
    article.write_text(original + "\nQuick save two.\n")
    expect(page.locator("main")).to_contain_text("Quick save two.", timeout=TIMEOUT_MS)
    expect(page.locator("main")).not_to_contain_text("Quick save one.")


# --------------------------------------------------------------------------- over HTTP


@pytest.mark.parametrize("path", [
    "/../pyproject.toml", "/..%2fpyproject.toml", "/%2e%2e/pyproject.toml", "/%2E%2E%2Fpyproject.toml",
    "/%252e%252e/pyproject.toml", "/..%252fpyproject.toml", "/%25252e%25252e/pyproject.toml",
    "/articles/../../pyproject.toml", "/../../secret.txt", "/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt",
    "/leak/secret.txt", "/leak.txt",
])
def test_only_files_under_output_are_served(site: Path, server: Server, path: str) -> None:
    (site / "pyproject.toml").write_text("SECRET-in-site-root")
    (site.parent / "secret.txt").write_text("SECRET-beside-site")
    url = server.url()
    (site / "output" / "leak").symlink_to(site.parent)  # a symlink inside output/ must not lead out
    (site / "output" / "leak.txt").symlink_to(site.parent / "secret.txt")
    status, body, _ = _get(url, path)
    assert status == 404
    assert b"SECRET" not in body


def test_script_injected_when_served_never_on_disk(site: Path, server: Server, tmp_path: Path) -> None:
    url = server.url()
    status, body, headers = _get(url, "/articles/harbour-bridge/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'<script src="/__gloss__/reload.js?g=' in body.split(b"</head>")[0]
    status, js, headers = _get(url, "/__gloss__/reload.js")
    assert status == 200 and "javascript" in headers["Content-Type"] and b"EventSource" in js
    status, _, headers = _get(url, "/articles/harbour-bridge")
    assert status == 301 and headers["Location"] == "/articles/harbour-bridge/"
    # output/ is byte-identical to what `gloss build --no-search` makes from the same input
    # (serve builds the search index only with --search).
    other = tmp_path / "other"
    shutil.copytree(SMALL, other)
    subprocess.run([sys.executable, "-m", "generator", "build", "--no-search"], cwd=other, env=_env(), check=True,
                   capture_output=True, timeout=60)

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert tree(site / "output") == tree(other / "output")


def test_error_page_escapes_everything(site: Path, server: Server) -> None:
    url = server.url()
    article = site / ARTICLE
    evil = '"<img src=x onerror=alert(1)>": 1'
    article.write_text(re.sub(r"(?m)^tags: .*$", evil, article.read_text()))
    seen: list[bytes] = []

    def failed() -> bool:
        status, body, _ = _get(url, "/articles/harbour-bridge/")
        seen[:] = [body]
        return status == 500

    _eventually(failed, "the error page")
    body = seen[0]
    assert b"<img" not in body
    assert b"&lt;img src=x onerror=alert(1)&gt;" in body
    assert b"content/harbour-bridge.md:5:1" in body


def test_template_error_shows_its_file_and_line(site: Path, server: Server) -> None:
    url = server.url()
    lines = (REPO / "templates" / "base.html").read_text().splitlines()
    lines.insert(3, "{% if %}")  # line 4: a Jinja syntax error
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text("\n".join(lines) + "\n")
    seen: list[bytes] = []

    def failed() -> bool:
        status, body, _ = _get(url, "/")
        seen[:] = [body]
        return status == 500

    _eventually(failed, "the error page")
    assert b"templates/base.html:4:" in seen[0]
    assert b"<mark>&gt; 4 | {% if %}" in seen[0]
    (site / "templates" / "base.html").unlink()
    _eventually(lambda: _get(url, "/")[0] == 200, "the site again")
    assert "Traceback" not in server.stderr()


def test_default_bind_is_loopback(server: Server) -> None:
    assert server.url().startswith("http://127.0.0.1:")
    assert "warning: serving on" not in server.stderr()


def test_other_host_warns(site: Path) -> None:
    running = Server(site, "--host", "0.0.0.0")
    try:
        assert running.url().startswith("http://0.0.0.0:")
        assert "warning: serving on 0.0.0.0" in running.stderr()
    finally:
        running.kill()


def test_port_in_use_is_a_clear_error(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "generator", "serve", "--port", str(port)],
                                cwd=site, env=_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"port {port} is in use (hint: pass --port 0 to pick a free one)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_cleanly(server: Server, sig: int) -> None:
    url = server.url()
    # An open reload stream (a browser tab) must not keep the server alive.
    parts = urlsplit(url)
    stream = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    _, body, _ = _get(url, "/")
    m = re.search(rb"reload\.js\?g=(\d+)", body)
    assert m, body
    stream.request("GET", f"/__gloss__/events?g={m.group(1).decode()}")
    assert stream.getresponse().status == 200
    assert server.stop(sig) == 0
    stream.close()
    assert "Traceback" not in server.stderr()
    with pytest.raises(ProcessLookupError):  # nothing of its process group is left
        os.killpg(server.proc.pid, 0)


# --------------------------------------------------------------------------- who may connect (#20 defect 13)


def _get_with_host(url: str, host: str) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.putrequest("GET", "/articles/harbour-bridge/", skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_only_the_printed_host_names_are_answered(server: Server) -> None:
    """DNS rebinding: a page on evil.example re-pointed at 127.0.0.1 must not read the preview."""
    url = server.url()
    port = urlsplit(url).port
    for good in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}", "127.0.0.1"):
        status, body = _get_with_host(url, good)
        assert status == 200 and b"harbour bridge" in body, good
    for bad in (f"evil.example:{port}", "evil.example", f"127.0.0.1.nip.io:{port}", f"localhost.evil.example:{port}", ""):
        status, body = _get_with_host(url, bad)
        assert status == 403 and b"harbour" not in body, bad


def _open_idle(url: str, count: int) -> list[socket.socket]:
    parts = urlsplit(url)
    sockets = []
    for _ in range(count):
        sock = socket.create_connection((parts.hostname or "", parts.port or 0), timeout=10)
        sockets.append(sock)
    return sockets


def test_a_client_dribbling_its_headers_is_cut_off(server: Server) -> None:
    url = server.url()
    (sock,) = _open_idle(url, 1)
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        deadline = time.monotonic() + 15
        closed = False
        while time.monotonic() < deadline and not closed:
            try:
                sock.sendall(b"X")  # one byte a second: each read succeeds, the whole never ends
                sock.settimeout(1.0)
                closed = sock.recv(1) == b""
            except socket.timeout:
                pass
            except OSError:
                closed = True
        assert closed, "the server kept a connection that never finished its headers"
    finally:
        sock.close()


def test_idle_sockets_beyond_the_descriptor_limit_do_not_stall_the_preview(site: Path) -> None:
    """1,100 idle sockets under a 1,024 limit, scaled down: 300 under 256."""
    running = Server(site, max_files=256)
    idle: list[socket.socket] = []
    try:
        url = running.url()
        idle = _open_idle(url, 300)
        # Idle connections are cut off after the header timeout; the cap keeps descriptors free meanwhile.
        _eventually(lambda: _status_or_none(url) == 200, "an answer while 300 idle sockets are open", timeout=30)
    finally:
        for sock in idle:
            sock.close()
        running.kill()
    assert "Traceback" not in running.stderr()


def _status_or_none(url: str) -> int | None:
    try:
        return _get(url, "/")[0]
    except OSError:
        return None
