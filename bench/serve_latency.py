"""Save-to-visible latency of ``gloss serve``: edit an article, time until headless Chromium shows it.

``measure_serve_latency`` starts ``<gloss> serve --port 0`` in the site root, reads the URL from the line
``Serving on http://127.0.0.1:PORT/`` on its stdout, opens the article in Chromium (Debian's, through
Python playwright — never ``playwright install``; flags from docs/design.md §9), then ``iterations`` times writes a
unique marker paragraph into the article's Markdown and polls the page until the marker is in it. The
median of those intervals is what a writer feels between saving and seeing.

Whatever is missing (the ``serve`` command, playwright, Chromium) gives ``{"available": False, "reason": …}``
instead of an exception, so ``bench/run.py`` can print "serve: not available" and carry on.
"""

from __future__ import annotations

import os
import queue
import re
import secrets
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # playwright is optional: imported for real only inside measure_serve_latency
    from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # Without this Chromium still sends DNS queries for its own services (docs/design.md §9).
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
SERVING_RE = re.compile(r"Serving on (http://\S+)")


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Copy the server's stdout into a queue (a thread, so reading never blocks the measurement)."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def _stop(proc: subprocess.Popen[str]) -> None:
    """Ctrl-C the server's own process group (it was started in a new session), then escalate."""
    for sig, grace in ((signal.SIGINT, 10.0), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            continue


def _wait_for_url(proc: subprocess.Popen[str], lines: queue.Queue[str | None], timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        if line is None:  # stdout closed: the server exited
            return None
        if m := SERVING_RE.search(line):
            return m.group(1)
    return None


def serve_available(gloss_cmd: Sequence[str], site: Path, env: dict[str, str]) -> bool:
    """True if the CLI knows a ``serve`` command (``serve --help`` exits 0)."""
    try:
        r = subprocess.run([*gloss_cmd, "serve", "--help"], cwd=site, env=env, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


def measure_serve_latency(
    site: Path,
    gloss_cmd: Sequence[str],
    env: dict[str, str],
    slug: str,
    iterations: int = 10,
    settle: float = 1.0,
    startup_timeout: float = 300.0,
    edit_timeout: float = 120.0,
) -> dict[str, object]:
    """Median save-to-visible time of ``gloss serve`` for the article ``content/<slug>.md`` of ``site``.

    ``settle`` seconds pass between edits so that one reload has finished before the next save (a
    reloader that drops changes arriving too soon after a reload would otherwise be measured as slow).
    """
    if not serve_available(gloss_cmd, site, env):
        return {"available": False, "reason": "`serve --help` did not exit 0"}
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return {"available": False, "reason": f"playwright not importable: {exc}"}
    if not Path(CHROMIUM).exists():
        return {"available": False, "reason": f"{CHROMIUM} not found (apt-get install chromium)"}

    article = site / "content" / f"{slug}.md"
    original = article.read_text(encoding="utf-8")
    # Unbuffered, or Python's block buffering on a pipe would hold the "Serving on" line back.
    env = {**env, "PYTHONUNBUFFERED": "1"}
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen([*gloss_cmd, "serve", "--port", "0"], cwd=site, env=env, text=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                            start_new_session=True)
    lines: queue.Queue[str | None] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
    samples: list[float] = []
    missed = 0
    try:
        started = time.perf_counter()
        base = _wait_for_url(proc, lines, startup_timeout)
        if base is None:
            err.seek(0)
            tail = err.read()[-2000:].decode("utf-8", "replace").strip()
            return {"available": False, "reason": f"no 'Serving on' line from serve: {tail}"}
        startup_s = time.perf_counter() - started
        url = base.rstrip("/") + f"/articles/{slug}/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page()
            page.goto(url, wait_until="load")
            token = secrets.token_hex(4)  # unique per bench run; never in the corpus
            for i in range(iterations):
                marker = f"glossbenchmarker{token}n{i}"
                # The marker is a new last paragraph of the body (the body runs to the end of the file).
                article.write_text(original + f"\n{marker}\n", encoding="utf-8")
                saved = time.perf_counter()
                seen = _poll_for(page, marker, edit_timeout, PlaywrightError)
                if seen is None:
                    missed += 1
                else:
                    samples.append(seen - saved)
                time.sleep(settle)
            browser.close()
    finally:
        article.write_text(original, encoding="utf-8")
        _stop(proc)
        err.close()
    if not samples:
        return {"available": False, "reason": f"no edit became visible within {edit_timeout} s"}
    return {
        "available": True,
        "median_s": round(statistics.median(samples), 4),
        "min_s": round(min(samples), 4),
        "max_s": round(max(samples), 4),
        "samples_s": [round(s, 4) for s in samples],
        "missed": missed,
        "startup_s": round(startup_s, 3),
    }


def _poll_for(page: Page, marker: str, timeout: float, error: type[Exception]) -> float | None:
    """perf_counter() when the page's text first contains ``marker``, or None after ``timeout``.

    Polling from Python (every 10 ms) rather than ``wait_for_function``: a live reload navigates the
    page, which destroys the execution context a ``wait_for_function`` runs in. ``textContent`` avoids
    forcing a layout on every poll.
    """
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if page.evaluate("m => document.body !== null && document.body.textContent.includes(m)", marker):
                return time.perf_counter()
        except error:
            pass  # navigation in progress: try again
        time.sleep(0.01)
    return None
