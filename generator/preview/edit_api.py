"""Preview helper: the edit API of ``gloss serve --edit`` (add, edit and remove notes from the page).

Off by default, and only on a loopback address. The page gets its means to edit only as it is served,
never on disk: a ``<meta name="gloss-edit">`` carrying the run's secret token, the content file and its
version, plus ``/__gloss__/edit.css`` and ``/__gloss__/edit.js`` (same origin, so the pages' CSP allows
them unchanged). ``output/`` stays byte-identical to ``gloss build``.

Every write request must pass, in this order (each refusal writes nothing):

1. the server's Host check (``guard.py``): only the names it printed;
2. POST to ``/__gloss__/edit/<action>`` (other methods: 405);
3. ``Origin`` equal to the preview's own origin (``http://`` + the Host it was reached at), and
   ``Sec-Fetch-Site`` — when the browser sends it — ``same-origin``: cross-site forms and pages fail;
4. ``X-Gloss-Token`` equal to this run's secret (a custom header: a cross-site page cannot even send it
   without a CORS preflight, which is never granted), and a JSON body of at most :data:`MAX_BODY` bytes;
5. the file named must be a ``.md`` file directly in the content folder (no dot-files, no ``..``, no link
   leading out): 403 otherwise;
6. its bytes must still be the version the page was served with: 409 otherwise (someone saved it since);
7. the edit itself goes through :mod:`generator.editing` (400 with ``file:line:col`` lines when refused).
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from dataclasses import asdict
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from ..common.errors import GlossError, GlossErrors, flatten
from ..common.translatable import N_
from ..content.note_kinds import CLAIM_VERDICTS, FACT_VERDICTS, KIND, RATING_SCALE, VERDICT
from ..editing.note_file import Conflict, ContentFile, read_content, write_content
from ..editing.note_yaml import NoteFields, SourceFields

PREFIX = "/__gloss__/edit/"
SCRIPT = "/__gloss__/edit.js"
STYLE = "/__gloss__/edit.css"
MAX_BODY = 256 * 1024
ACTIONS = ("note", "add", "edit", "remove", "review")
_ASSETS = Path(__file__).resolve().parent / "edit_assets"

Reply = tuple[int, dict[str, Any]]

EDITOR_WORDS = (
    N_("Add note"), N_("Edit note"), N_("Edit note %(id)s"), N_("Kind"), N_("Verdict"), N_("Rating"),
    N_("No rating"), N_("Claim, in one line"), N_("Note (Markdown)"), N_("Sources"), N_("Add source"),
    N_("Remove"), N_("Title"), N_("URL"), N_("Date"), N_("YYYY-MM-DD"), N_("Claimant (who made the claim)"),
    N_("Save note"), N_("Delete note"), N_("Delete: are you sure?"), N_("Cancel"), N_("Saving…"),
    N_("Saved as #%(id)s; the page reloads…"), N_("Deleted; the page reloads…"), N_("Saved; the page reloads…"),
    N_("Not saved: %(reason)s"), N_("Not saved: the file changed on disk since this page was built. Reload the "
                                    "page and make the change again."),
    N_("error %(code)s"), N_("no answer from the preview"),
    N_("The page was rebuilt while you were editing; your note is kept. Check it and save again."),
    N_("Confirm"), N_("Reject"),
    N_("Confirm the inferred name of comment %(id)s"), N_("Reject the inferred name of comment %(id)s"),
    N_("Confirm the inferred reply link of comment %(id)s"), N_("Reject the inferred reply link of comment %(id)s"),
)
"""Every word ``edit.js`` shows, in English: the page's language translates them (``data-words``)."""

_PAGE_LANGUAGE = re.compile(rb'<html[^>]*\slang="([A-Za-z0-9-]{1,35})"')


class Refused(Exception):
    """A request refused before any file was read: (status, message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class EditApi:
    """The edit API of one preview run."""

    def __init__(self, content: Path, token: str | None = None) -> None:
        self.content = content
        self.token = token or secrets.token_urlsafe(32)
        self._writing = threading.Lock()

    # ------------------------------------------------------------------ what the page gets

    def asset(self, url_path: str) -> tuple[str, bytes] | None:
        """The editing script or stylesheet (content type, bytes), or None for other paths."""
        if url_path == SCRIPT:
            schema = {"verdicts": {"fact": FACT_VERDICTS, "claim": CLAIM_VERDICTS},
                      "ratings": {str(k): v for k, v in RATING_SCALE.items()},
                      "ranges": {word: [v.lowest, v.highest] for word, v in VERDICT.items()}}
            script = f"const GLOSS_SCHEMA = {json.dumps(schema)};\n" + (_ASSETS / "edit.js").read_text("utf-8")
            return "text/javascript; charset=utf-8", script.encode()
        if url_path == STYLE:
            return "text/css; charset=utf-8", (_ASSETS / "edit.css").read_bytes()
        return None

    def page_tags(self, url_path: str, page: bytes) -> bytes:
        """What to add before ``</head>`` of a page: the token, the editor's words in the page's
        language, and the page's content file if any."""
        file = self._file_for_page(url_path)
        found = _PAGE_LANGUAGE.search(page, 0, 4096)
        words = _words_attribute(found.group(1).decode() if found else "en")
        attributes = f'data-token="{escape(self.token)}" data-words="{words}"'
        if file is not None:
            attributes += f' data-file="{escape(file.path.name)}" data-version="{escape(file.version)}"'
        return (f'<meta name="gloss-edit" {attributes}><link rel="stylesheet" href="{STYLE}">'
                f'<script src="{SCRIPT}" defer></script>').encode()

    def _file_for_page(self, url_path: str) -> ContentFile | None:
        parts = [p for p in url_path.split("/") if p]
        if len(parts) < 2 or parts[0] != "articles":
            return None
        slug = parts[1]
        candidates = [self.content / f"{slug}.md"] + sorted(self.content.glob("*.md"))
        for path in candidates:
            if path.name.startswith(".") or not path.is_file():
                continue
            try:
                file = read_content(path)
            except (GlossError, OSError):
                continue
            if _slug_of(file.text, path.stem) == slug:
                return file
        return None

    # ------------------------------------------------------------------ requests

    def check(self, headers: Any, host: str | None, length: int | None) -> None:
        """Steps 3 and 4 of the module docstring; raises :class:`Refused`."""
        origin = headers.get("Origin")
        if not host or origin != f"http://{host}":
            raise Refused(403, "this request does not come from the preview's own page")
        if headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
            raise Refused(403, "this request does not come from the preview's own page")
        if not secrets.compare_digest(str(headers.get("X-Gloss-Token", "")).encode(), self.token.encode()):
            raise Refused(403, "missing or wrong edit token: reload the page")
        if not str(headers.get("Content-Type", "")).startswith("application/json"):
            raise Refused(415, "send JSON")
        if length is None or not 0 < length <= MAX_BODY:
            raise Refused(413, f"the request must have a body of at most {MAX_BODY} bytes")

    def handle(self, action: str, body: bytes) -> Reply:
        """Run one action on a request that passed :meth:`check`; returns (status, JSON reply)."""
        if action not in ACTIONS:
            return 404, {"error": f"unknown action {action!r}"}
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except ValueError:
            return 400, {"error": "the request body is not a JSON object"}
        try:
            file = self._file(data.get("file"))
            if action != "note" and data.get("version") != file.version:
                return 409, {"error": f"{file.shown} changed on disk since this page was built; nothing was "
                                      "written (reload the page and make the change again)"}
            with self._writing:  # one edit at a time: a second one on the same file then gets its 409
                return 200, self._run(action, file, data)
        except Refused as refused:
            return refused.status, {"error": refused.message}
        except Conflict as conflict:
            return 409, {"error": conflict.format()}
        except (GlossError, GlossErrors) as exc:
            return 400, {"error": "\n".join(e.format() for e in flatten(exc))}
        except (KeyError, TypeError, ValueError) as exc:
            return 400, {"error": f"malformed request: {exc}"}

    def _file(self, name: Any) -> ContentFile:
        """Step 5: a .md file directly in the content folder."""
        if not isinstance(name, str) or not name.endswith(".md") or name.startswith(".") or "/" in name \
                or "\\" in name or "\0" in name:
            raise Refused(403, "only content files (content/*.md) can be edited")
        base = self.content.resolve()
        path = (base / name).resolve()
        if path.parent != base or not path.is_file():
            raise Refused(403, "only content files (content/*.md) can be edited")
        return read_content(self.content / name)

    def _run(self, action: str, file: ContentFile, data: dict[str, Any]) -> dict[str, Any]:
        from ..editing import note_writer as writer  # the Markdown and site stages: only when editing

        if action == "note":
            fields = writer.current_fields(file.text, str(data["id"]), file.shown)
            return {"id": data["id"], "note": asdict(fields), "version": file.version}
        if action == "remove":
            text = writer.remove_note(file.text, str(data["id"]), file.shown)
            write_content(file, text)
            return {"removed": data["id"]}
        if action == "review":  # confirm or reject an inferred reply link or name, as `gloss review` does
            from ..importing.review import apply_decisions

            key, decision = str(data["key"]), data["decision"]
            if decision not in ("accept", "reject"):
                raise ValueError('decision must be "accept" or "reject"')
            accept, reject = ([key], []) if decision == "accept" else ([], [key])
            write_content(file, apply_decisions(file.text, file.shown, accept, reject))
            return {"reviewed": key, "decision": decision}
        note = _note(data["note"])
        if action == "edit":
            write_content(file, writer.edit_note(file.text, str(data["id"]), note, file.shown))
            return {"id": data["id"]}
        quote = data["quote"]
        where = writer.locate_quote(file.text, file.shown, str(quote["exact"]), prefix=str(quote.get("prefix", "")),
                                    suffix=str(quote.get("suffix", "")), within=quote.get("within") or None)
        note_id = writer.unique_id(note.claim or where.quote, writer.note_ids(file.text, file.shown))
        text = writer.add_note(file.text, start=where.start, end=where.end, note=note, note_id=note_id, path=file.shown)
        write_content(file, text)
        return {"id": note_id}


def editor_words(tag: str) -> dict[str, str]:
    """The editor's words in language ``tag`` (English without its catalog), keyed by the English:
    :data:`EDITOR_WORDS`, the note kinds, verdicts and rating labels (their values stay English)."""
    from ..render.i18n import language, translations  # the render stage: only when editing

    catalog = translations(language(tag).catalog)
    english = (*EDITOR_WORDS, *(kind.label for kind in KIND.values()), *VERDICT, *RATING_SCALE.values())
    return {text: catalog.gettext(text) for text in english}


@lru_cache(maxsize=None)
def _words_attribute(tag: str) -> str:
    """:func:`editor_words` as the escaped JSON of ``data-words``: made once per language, not per page served."""
    return escape(json.dumps(editor_words(tag), ensure_ascii=False, sort_keys=True))


def _text(value: Any, what: str, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise ValueError(f"{what} is missing")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text")
    return value


def _note(data: Any) -> NoteFields:
    if not isinstance(data, dict):
        raise ValueError("note must be an object")
    rating = data.get("rating")
    if rating in (None, ""):
        rating = None
    elif isinstance(rating, str) and rating.isdigit():
        rating = int(rating)
    elif not isinstance(rating, int) or isinstance(rating, bool):
        raise ValueError("rating must be a number")
    sources = []
    for item in data.get("sources") or ():
        if not isinstance(item, dict):
            raise ValueError("each source must be an object")
        sources.append(SourceFields(_text(item.get("title"), "a source's title") or "",
                                    _text(item.get("url"), "a source's URL"),
                                    _text(item.get("date"), "a source's date")))
    return NoteFields(
        kind=_text(data.get("kind"), "kind", True) or "", verdict=_text(data.get("verdict"), "verdict", True) or "",
        body=_text(data.get("body"), "body") or "", rating=rating, sources=tuple(sources),
        claimant=_text(data.get("claimant"), "claimant"), claim=_text(data.get("claim"), "claim"),
    )


def _slug_of(text: str, default: str) -> str:
    """The ``slug:`` of a content file's front matter (as written), else ``default``."""
    from ..content.parse import split_front_matter

    try:
        front = split_front_matter(text, "")[0]
    except GlossError:
        return default
    for line in front.split("\n"):
        if line.startswith("slug:"):
            return line[5:].split("#")[0].strip().strip("\"'")
    return default
