"""Render stage: the site's ``language`` — UI text from gettext catalogs, dates from Babel, text direction.

Catalogs are ``generator/locales/<lang>/LC_MESSAGES/gloss.po``; they are compiled with Babel when a
build first needs one (no compiled ``.mo`` files to keep in step). A language tag picks the catalog of
the tag itself (``pt_BR``), else of its primary language (``fr-CA`` → ``fr``); a language with no
catalog keeps English UI text, with a warning. Only what readers see is translated: data (verdict names
in JSON-LD, note kinds in URLs) keeps its canonical English values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import babel
import babel.dates
import babel.support
import jinja2
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"
"""Where the catalogs live: ``<lang>/LC_MESSAGES/gloss.po``, and ``gloss.pot`` (the source strings)."""
DOMAIN = "gloss"
SOURCE_LANGUAGE = "en"
"""The language of the msgids: it needs no catalog."""


@dataclass(frozen=True, slots=True)
class Language:
    """What the templates need to know about the site's language."""

    tag: str
    """The BCP 47 tag from ``site.yaml`` (``<html lang>``)."""
    catalog: str
    """The catalog in use (``fr``, ``pt_BR``), or ``en`` for the built-in English text."""
    direction: str
    """``ltr`` or ``rtl`` (``<html dir>``), from the language's script."""
    warning: str | None
    """Set when the language has no catalog and the UI text stays English."""


def shipped() -> tuple[str, ...]:
    """The languages with a catalog, English first."""
    found = sorted(p.parent.parent.name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *[name for name in found if name != SOURCE_LANGUAGE])


def _locale(tag: str) -> babel.Locale | None:
    try:
        return babel.Locale.parse(tag, sep="-")
    except (ValueError, babel.UnknownLocaleError):
        try:
            return babel.Locale.parse(tag.split("-")[0])
        except (ValueError, babel.UnknownLocaleError):
            return None


@lru_cache(maxsize=None)
def language(tag: str) -> Language:
    """The catalog, direction and any warning for a ``site.yaml`` language tag."""
    locale = _locale(tag)
    direction = "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"
    names = shipped()
    exact = tag.replace("-", "_")
    primary = tag.split("-")[0].lower()
    for candidate in (exact, primary):
        if candidate in names:
            return Language(tag, candidate, direction, None)
    return Language(
        tag, SOURCE_LANGUAGE, direction,
        f'site.yaml: no translation of the page text for language "{tag}"; it stays English '
        f"(shipped: {', '.join(names)})",
    )


@lru_cache(maxsize=None)
def translations(catalog: str) -> babel.support.NullTranslations:
    """The compiled catalog (English needs none: its msgids are the text)."""
    if catalog == SOURCE_LANGUAGE:
        return babel.support.NullTranslations()
    path = LOCALES / catalog / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as file:
        parsed = read_po(file, locale=catalog, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, parsed, use_fuzzy=False)
    compiled.seek(0)
    return babel.support.Translations(compiled, domain=DOMAIN)


@lru_cache(maxsize=None)
def catalog_digest(catalog: str) -> str:
    """What the rendered pages depend on of the catalog (its bytes), for the render key."""
    if catalog == SOURCE_LANGUAGE:
        return ""
    return hashlib.sha256((LOCALES / catalog / "LC_MESSAGES" / f"{DOMAIN}.po").read_bytes()).hexdigest()


def format_date(value: str | None, tag: str, with_time: bool = True) -> str:
    """``2024-06-18T20:25`` → ``18 June 2024, 20:25`` in the site's language (``18 juin 2024, 20:25``).

    Day, month name and year in that order for every language, so pages read the same way whatever
    the machine's locale; the month name comes from the language's own CLDR data.
    """
    if not value:
        return ""
    parsed = dt.datetime.fromisoformat(value)
    locale = _locale(tag) or babel.Locale.parse(SOURCE_LANGUAGE)
    text = babel.dates.format_date(parsed.date(), "d MMMM y", locale=locale)
    if with_time and "T" in value:
        text += f", {parsed.hour:02d}:{parsed.minute:02d}"
    return text


def localise(env: jinja2.Environment, tag: str) -> Language:
    """Give ``env`` the UI text, dates and direction of ``tag`` (until the next call; one build at a time).

    The templates are compiled with new-style gettext calls, so one compiled template serves every
    language: only the installed callables change.
    """
    lang = language(tag)
    env.install_gettext_translations(translations(lang.catalog), newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = lambda value, with_time=True: format_date(value, tag, with_time)
    env.globals["text_direction"] = lang.direction
    return lang
