"""Check helpers shared by the browser tests and by the negative tests that prove they catch faults.

Each helper returns a list of problems (strings that say where), empty when all is well:

* :func:`run_axe` - axe-core (bundled by ``axe-playwright-python``) on an open Playwright page.
* :func:`run_vnu` - the Nu HTML checker (npm ``vnu-jar``) over many files in ONE java call.
* :func:`overflowing_elements` - what sticks out of the viewport horizontally.
* :func:`invisible_elements` - which of the matched elements a reader cannot see.

Missing tools (Chromium, java, vnu.jar) make the test FAIL with the command that installs them:
this suite never skips silently.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTALL_HINT = "run `bash .ci/install-system.sh` (as root)"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--no-proxy-server",
    # Without this Chromium still sends DNS queries; everything but the test server fails fast.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


# --------------------------------------------------------------------------- tools


def find_chromium() -> str:
    """Path of the system Chromium (Debian package ``chromium``); fails the test when missing."""
    candidates = [os.environ.get("GLOSS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                  shutil.which("chromium-browser")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(f"Chromium not found: {INSTALL_HINT} (apt-get install -y chromium)", pytrace=False)


def find_java() -> str:
    java = shutil.which("java")
    if not java:
        pytest.fail(f"java not found (needed by the Nu HTML checker): {INSTALL_HINT} "
                    "(apt-get install -y default-jre-headless)", pytrace=False)
    return java


def find_vnu_jar() -> Path:
    jar = Path(os.environ.get("GLOSS_VNU_JAR") or REPO_ROOT / "node_modules/vnu-jar/build/dist/vnu.jar")
    if not jar.is_file():
        pytest.fail(f"vnu.jar not found at {jar}: {INSTALL_HINT} "
                    "(npm ci --ignore-scripts, for the vnu-jar pinned in package.json)", pytrace=False)
    return jar


# --------------------------------------------------------------------------- Nu HTML checker


def run_vnu(files: list[Path] | list[str], root: Path | None = None) -> list[str]:
    """Validate ``files`` (HTML, SVG and CSS by extension) with the Nu HTML checker: ``file:line:col: message``.

    HTML and SVG go to ONE java call. CSS files go to a second call that runs at the same time,
    because ``--also-check-css`` makes vnu 26.9 report every HTML line number one too low (measured).
    Paths in the messages are relative to ``root`` when given. Only errors count (``--errors-only``).
    """
    files = [Path(f).resolve() for f in files]
    css = [f for f in files if f.suffix.lower() == ".css"]
    documents = [f for f in files if f.suffix.lower() != ".css"]
    if not files:
        return []
    java = find_java()
    jar = find_vnu_jar()
    # vnu needs a big thread stack (else: StackOverflowError, printed as text). For a small site the
    # C1-only JIT halves the CPU the JVM burns (measured: 1.8 s vs 3.7 s); for big ones it costs more.
    small = sum(f.stat().st_size for f in files) < 5_000_000
    base = [java, "-Xss4m", *(["-XX:TieredStopAtLevel=1"] if small else []), "-jar", str(jar),
            "--errors-only", "--format", "json", "--exit-zero-always"]
    jobs = []
    if documents:
        flags = ["--also-check-svg"] if any(f.suffix.lower() == ".svg" for f in documents) else []
        jobs.append(subprocess.Popen(base + flags + [str(f) for f in documents],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    if css:
        jobs.append(subprocess.Popen(base + ["--css"] + [str(f) for f in css],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    problems = []
    for job in jobs:
        stdout, stderr = job.communicate(timeout=600)
        problems += _vnu_report(job.returncode, stdout, stderr, root)
    return problems


def _vnu_report(returncode: int, stdout: str, stderr: str, root: Path | None) -> list[str]:
    raw = stderr.strip() or stdout.strip()  # vnu writes its JSON report to stderr
    try:
        report = json.loads(raw)
    except json.JSONDecodeError:
        return [f"vnu.jar did not produce a JSON report (exit {returncode}): {raw[:2000]}"]
    problems = []
    for msg in report.get("messages", []):
        if msg.get("type") == "info":
            continue
        path = Path(unquote(urlsplit(msg.get("url", "")).path)) if msg.get("url") else None
        shown = str(path) if path else "?"
        if path and root is not None:
            try:
                shown = path.relative_to(Path(root).resolve()).as_posix()
            except ValueError:
                pass
        line = msg.get("lastLine", msg.get("firstLine", "?"))
        col = msg.get("firstColumn", msg.get("lastColumn", "?"))
        kind = "" if msg.get("type") == "error" else f"[{msg.get('type')}] "
        extract = msg.get("extract", "").replace("\n", "⏎")
        text = f"{shown}:{line}:{col}: {kind}{msg.get('message', '').strip()}"
        if extract:
            text += f"  near: {extract!r}"
        problems.append(text)
    return problems


# --------------------------------------------------------------------------- axe-core


_AXE = None


def run_axe(page, where: str | None = None) -> list[str]:
    """Run axe-core on ``page``; one line per violating node: page, rule id, impact, target, help."""
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()
    results = _AXE.run(page, options={"resultTypes": ["violations"]})
    where = where or page.url
    problems = []
    for violation in results.response.get("violations", []):
        for node in violation.get("nodes", []):
            target = " ".join(" >> ".join(t) if isinstance(t, list) else str(t) for t in node.get("target", []))
            snippet = (node.get("html") or "").replace("\n", " ")[:160]
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            problems.append(
                f"{where}: {violation['id']} ({violation.get('impact')}) at {target}: "
                f"{violation.get('help')} — {summary} — {snippet}  [{violation.get('helpUrl')}]"
            )
    return problems


# --------------------------------------------------------------------------- layout and visibility

_DESCRIBE_JS = """
function describe(e) {
  let s = e.tagName.toLowerCase();
  if (e.id) s += '#' + e.id;
  if (e.classList && e.classList.length) s += '.' + [...e.classList].join('.');
  return s;
}
"""


def overflowing_elements(page, limit: int = 8) -> list[str]:
    """Empty when the page does not scroll horizontally; otherwise the widest culprits."""
    return page.evaluate(
        "(limit) => {" + _DESCRIBE_JS + """
          const doc = document.documentElement;
          const width = doc.clientWidth;
          if (doc.scrollWidth <= width) return [];
          const out = [`document is ${doc.scrollWidth}px wide in a ${width}px viewport`];
          const culprits = [];
          for (const e of document.body.querySelectorAll('*')) {
            const r = e.getBoundingClientRect();
            if (r.right > width + 0.5 && r.width > 0) culprits.push([r.right, e]);
          }
          // Report the innermost offenders first (they are usually the cause).
          const inner = culprits.filter(([_, e]) => !culprits.some(([__, c]) => c !== e && e.contains(c)));
          inner.sort((a, b) => b[0] - a[0]);
          for (const [right, e] of inner.slice(0, limit)) {
            out.push(`${describe(e)} reaches ${Math.round(right)}px: ${(e.textContent || '').trim().slice(0, 60)}`);
          }
          return out;
        }""",
        limit,
    )


def invisible_elements(page, selector: str) -> tuple[int, list[str]]:
    """(number matched, descriptions of those a reader cannot see).

    Visible means: rendered (not display:none, not inside a closed <details>), not visibility:hidden,
    not opacity 0, and at least 2x2 CSS pixels (so "visually hidden" clip tricks count as invisible).
    """
    result = page.evaluate(
        "(sel) => {" + _DESCRIBE_JS + """
          const els = [...document.querySelectorAll(sel)];
          const bad = [];
          els.forEach((e, i) => {
            const r = e.getBoundingClientRect();
            const ok = e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true,
                                          contentVisibilityAuto: true})
                       && r.width >= 2 && r.height >= 2;
            if (!ok) bad.push(`#${i + 1} ${describe(e)} (${Math.round(r.width)}x${Math.round(r.height)}px): `
                              + (e.textContent || '').trim().slice(0, 70));
          });
          return [els.length, bad];
        }""",
        selector,
    )
    return int(result[0]), list(result[1])


# --------------------------------------------------------------------------- reporting


def fail_on(problems: list[str], header: str) -> None:
    """Fail the test with ``header`` and one problem per line (no traceback noise) if there are any."""
    if problems:
        pytest.fail(f"{header} ({len(problems)}):\n  " + "\n  ".join(problems), pytrace=False)
