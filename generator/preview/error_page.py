"""Preview: the page a failed build shows in the browser, with each error's source lines.

Made here, not by a theme template: it must work when the templates are what is broken.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..common.errors import GlossError

ERROR_STYLE = """\
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#fff;color:#1a1a1a}
main{max-width:60rem;margin:0 auto;padding:1rem}h1{color:#a00000}
section{border:2px solid #a00000;border-radius:6px;padding:0 1rem 1rem;margin:1rem 0}
pre{background:#f4f4f4;padding:.5rem;overflow-x:auto}mark{background:#ffd6d6;color:inherit;font-weight:bold}
@media (prefers-color-scheme:dark){body{background:#161616;color:#eee}pre{background:#262626}
mark{background:#6b1a1a}h1{color:#ff8080}section{border-color:#ff8080}}"""
ERROR_CSP = "default-src 'self'; style-src 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'"


def excerpt(error: GlossError, around: int = 3) -> str:
    """The source lines around the error, the error's line marked (by more than colour: ``>``)."""
    loc = error.location
    try:
        lines = Path(loc.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except (OSError, ValueError):
        lines = []
    if not 1 <= loc.line <= len(lines):
        return f"<pre><code>{html.escape(error.source_line)}</code></pre>" if error.source_line else ""
    first, last = max(1, loc.line - around), min(len(lines), loc.line + around)
    width = len(str(last))
    out = []
    for number in range(first, last + 1):
        text = html.escape(f"{'>' if number == loc.line else ' '} {number:>{width}} | {lines[number - 1]}")
        if number == loc.line:
            caret = " " * (width + 4 + max(loc.column - 1, 0)) + "^"
            text = f"<mark>{text}\n{caret}</mark>"
        out.append(text)
    return "<pre><code>" + "\n".join(out) + "</code></pre>"


def error_page(errors: tuple[GlossError, ...]) -> bytes:
    """A page listing every error of the failed build; everything from the user is escaped."""
    sections = []
    for error in errors:
        hint = f"<p><strong>Hint:</strong> {html.escape(error.hint)}</p>" if error.hint else ""
        sections.append(
            f"<section><h2>{html.escape(error.message)}</h2>"
            f"<p><code>{html.escape(str(error.location))}</code></p>{excerpt(error)}{hint}</section>"
        )
    count = f"{len(errors)} errors" if len(errors) != 1 else "1 error"
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Build failed: {count} — Gloss</title>\n<style>{ERROR_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>Build failed: {count}</h1>\n<p>Fix the file and save: this page reloads by itself.</p>\n"
        + "\n".join(sections) + "\n</main>\n</body>\n</html>\n"
    ).encode("utf-8")
