"""Render stage, for contributors: keep the translation catalogs in step with the templates.

``python -m generator.render.catalogs`` extracts every translatable string of the built-in templates
(``_()``, ``ngettext()``) and of the package (``_()``/``N_()`` markers) into
``generator/locales/gloss.pot``, then updates each ``<lang>/LC_MESSAGES/gloss.po`` from it: new
strings arrive untranslated, removed ones are dropped, translations are kept. The English catalog's new
entries read as their msgid (edit an entry there to reword the English page text). ``tests/test_i18n.py``
fails while the template file is stale or a shipped catalog misses a translation.
"""

from __future__ import annotations

import copy
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import DOMAIN, LOCALES, SOURCE_LANGUAGE, shipped

REPO = Path(__file__).resolve().parent.parent.parent
"""The source checkout (templates live beside the package there)."""
METHODS = [("generator/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "NP_": (1, 2)}
"""``N_``/``NP_`` (``common/translatable.py``) mark a string for translation where it is defined; it is
translated where it is shown."""


def extract(root: Path = REPO) -> Catalog:
    """Every translatable string under ``root``, with where it is used (sorted, so the file is stable)."""
    catalog = Catalog(domain=DOMAIN, project="Gloss", charset="utf-8", fuzzy=False)
    found = extract_from_dir(str(root), METHODS, OPTIONS, keywords=KEYWORDS, strip_comment_tags=True)
    for filename, lineno, message, comments, context in sorted(found, key=lambda m: (m[0], m[1])):
        catalog.add(message, None, [(Path(filename).as_posix(), lineno)], auto_comments=comments, context=context)
    return catalog


def render_po(catalog: Catalog) -> bytes:
    """A catalog as ``.po``/``.pot`` text without the creation date (so it changes only with its strings)."""
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return b"\n".join(line for line in out.getvalue().split(b"\n")
                      if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:', b'"Generated-By:')))


def update(root: Path = REPO) -> list[Path]:
    """Write the template file and bring every shipped catalog up to date; returns the files written."""
    template = extract(root)
    written = [LOCALES / f"{DOMAIN}.pot"]
    written[0].write_bytes(render_po(template))
    for name in shipped():
        path = LOCALES / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if name == SOURCE_LANGUAGE and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(render_po(Catalog(locale=name, domain=DOMAIN, project="Gloss", charset="utf-8", fuzzy=False)))
        with path.open("rb") as file:
            catalog = read_po(file, locale=name, domain=DOMAIN)
        # A copy each: Catalog.update adopts the template's new Message objects, and English fills them
        # with their msgids, which the next language would then take for translations.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if name == SOURCE_LANGUAGE:
            _fill_from_msgids(catalog)
        path.write_bytes(render_po(catalog))
        written.append(path)
    return written


def _fill_from_msgids(catalog: Catalog) -> None:
    """English entries the catalog does not word otherwise read as their msgid (every plural form)."""
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            forms = list(message.string) if isinstance(message.string, tuple) else []
            if not forms or not all(forms):
                message.string = (message.id[0], message.id[1])
        elif not message.string:
            message.string = message.id


if __name__ == "__main__":  # pragma: no cover - a contributor's command
    for path in update():
        print(path.relative_to(REPO), file=sys.stderr)
