"""Render stage: the site's ``language`` — UI text from gettext catalogs, dates from Babel, text direction.

Catalogs are ``generator/locales/<lang>/LC_MESSAGES/gloss.po``; they are compiled with Babel when a
build first needs one (no compiled ``.mo`` files to keep in step). A language tag picks the catalog of
the tag itself (``pt_BR``), else of its primary language (``fr-CA`` → ``fr``); a language with no
catalog keeps English UI text, with a warning. Only what readers see is translated: data (verdict names
in JSON-LD, exports and front matter, note kinds in URLs) keeps its canonical English values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import babel
import babel.dates
import babel.support
import jinja2
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup, escape

from ..common.translatable import N_
from ..content.yamldoc import same_language
from ..site.article_page import ArticlePage
from ..site.notes import NoteSummary, counts_text
from .json_ld import json_ld_markup

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
    """Set when the language has no catalog and the UI text stays English (the message, without the
    file that names the language: :func:`language_warnings` adds it)."""


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
        f'no translation of the page text for language "{tag}": pages show English '
        f"(hint: shipped languages are {', '.join(names)}; to add one, copy generator/locales/gloss.pot to "
        f"generator/locales/{primary}/LC_MESSAGES/gloss.po and translate it)",
    )


@lru_cache(maxsize=None)
def translations(catalog: str) -> babel.support.NullTranslations:
    """The compiled catalog. English has one too, for translators to start from, but its entries
    are the msgids themselves (``python -m generator.render.catalogs`` writes it so, and a test
    holds it so): English needs no catalog at all, which spares most builds Babel's .po parser
    (~0.2 s, a third of a one-article rebuild)."""
    path = LOCALES / catalog / "LC_MESSAGES" / f"{DOMAIN}.po"
    if catalog == SOURCE_LANGUAGE:
        return babel.support.NullTranslations()
    with path.open("rb") as file:
        parsed = read_po(file, locale=catalog, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, parsed, use_fuzzy=False)
    compiled.seek(0)
    return babel.support.Translations(compiled, domain=DOMAIN)


@lru_cache(maxsize=None)
def catalogs_digest() -> str:
    """What the rendered pages depend on of the catalogs, for the keys (``keys.World.catalog``): every
    shipped catalog's bytes, since a page is in the site's language or in its article's own."""
    digest = hashlib.sha256()
    for name in shipped():
        path = LOCALES / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=None)
def language_name(tag: str) -> str:
    """A language's name in itself, as a link to its version reads (``fr`` → ``Français``, ``ar`` →
    ``العربية``); the tag itself for a language Babel does not know."""
    locale = _locale(tag)
    name = str(locale.get_display_name(locale) or "") if locale is not None else ""
    return name[:1].upper() + name[1:] if name else tag


def format_date(value: str | None, tag: str, with_time: bool = True) -> str:
    """``2024-06-18T20:25`` → ``18 June 2024, 20:25`` in the site's language (``18 juin 2024, 20:25``).

    Day, month name and year in that order for every language, so pages read the same way whatever
    the machine's locale; the month name comes from the language's own CLDR data.
    """
    if not value:
        return ""
    parsed = dt.datetime.fromisoformat(value)
    text = _day_text(parsed.date(), tag)
    if with_time and "T" in value:
        text += f", {parsed.hour:02d}:{parsed.minute:02d}"
    return text


@lru_cache(maxsize=4096)
def _day_text(day: dt.date, tag: str) -> str:
    """The day as :func:`format_date` writes it. Kept: babel's formatter costs ~0.1 ms a call, and a
    page formats a date for every comment (5 % of a build's CPU), mostly the same few days."""
    locale = _locale(tag) or babel.Locale.parse(SOURCE_LANGUAGE)
    return str(babel.dates.format_date(day, "d MMMM y", locale=locale))


_CODE, _CODE_NAMED = N_("Code"), N_("Code: %(language)s")
"""How ``content/markdown.py`` names a code block (English), which :meth:`Words.code_labels` translates."""
_CODE_START = '<pre tabindex="0" role="group" aria-label="Code'
_CODE_LABEL = re.compile(r'(<pre tabindex="0" role="group" aria-label=")Code(: ([^"]*))?"')


@dataclass(frozen=True, slots=True)
class Words:
    """Page text written in Python (``N_``/``NP_`` marks), in one language."""

    catalog: babel.support.NullTranslations
    """The language's compiled catalog."""

    def translated(self, text: str | None) -> str:
        """``Accurate`` → ``Exact``: a marked English word in the page's language ("" stays "")."""
        return self.catalog.gettext(text) if text else ""

    def counted(self, forms: tuple[str, str], count: int) -> str:
        """``("%(num)d note", "%(num)d notes"), 3`` → ``3 notes``, with the language's plural rule."""
        return self.catalog.ngettext(forms[0], forms[1], count) % {"num": count}

    def counts(self, notes: Sequence[NoteSummary]) -> str:
        """``5 checks: 2 hold up, 1 fails, 2 open`` in the page's language ("" without notes)."""
        return counts_text(notes, self.catalog.ngettext, self.catalog.gettext)

    def code_labels(self, html: str) -> str:
        """Code blocks' names (``aria-label="Code: python"``, written in English by the content stage)."""
        if _CODE_START not in html:
            return html
        return _CODE_LABEL.sub(
            lambda m: m.group(1) + (self.catalog.gettext(_CODE_NAMED) % {"language": m.group(3)} if m.group(2)
                                    else self.catalog.gettext(_CODE)) + '"',
            html,
        )

    def description(self, page: ArticlePage) -> str:
        """An article's summary, then its counts: ``<meta name="description">``, link previews, JSON-LD."""
        counts = self.counts(page.notes)
        return " ".join(p for p in (page.article.summary.strip(), counts + "." if counts else "") if p)


def words(tag: str) -> Words:
    """The Python-written page text of ``tag``'s catalog (English without one)."""
    return Words(translations(language(tag).catalog))


def template_gettext(catalog: babel.support.NullTranslations
                     ) -> tuple[Callable[..., str], Callable[..., str]]:
    """``gettext`` and ``ngettext`` for templates, as Jinja's new-style ones behave.

    The text is always a format string (``%%`` is one ``%`` even without variables); with
    autoescape on, the translation is markup and the variables are escaped into it; ``ngettext``
    gives ``num`` the count unless the call names it.
    """
    translated: dict[str, str] = {}
    plain: dict[str, str] = {}

    @jinja2.pass_eval_context
    def gettext(eval_ctx: jinja2.nodes.EvalContext, string: str, /, **variables: object) -> str:
        if eval_ctx.autoescape:
            if variables:
                return Markup(catalog.gettext(string)) % variables
            done = translated.get(string)
            if done is None:
                done = translated[string] = Markup(catalog.gettext(string)) % {}
            return done
        if variables:
            return catalog.gettext(string) % variables
        done = plain.get(string)
        if done is None:
            done = plain[string] = catalog.gettext(string) % {}
        return done

    @jinja2.pass_eval_context
    def ngettext(eval_ctx: jinja2.nodes.EvalContext, singular: str, plural: str, num: int, /,
                 **variables: object) -> str:
        variables.setdefault("num", num)
        text = catalog.ngettext(singular, plural, num)
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    return gettext, ngettext


_localised: weakref.WeakKeyDictionary[jinja2.Environment, str] = weakref.WeakKeyDictionary()
"""The language each environment was last localised for (build/theme.py keeps one per process)."""


def localise(env: jinja2.Environment, tag: str) -> Language:
    """Give ``env`` the UI text, dates and direction of ``tag`` (until the next call; one build at a time).

    The templates are compiled with new-style gettext calls, so one compiled template serves every
    language: only the installed callables change. Words defined in Python (verdicts, note kinds,
    ratings, reasons) reach templates untranslated and go through the ``translated`` filter;
    counted ones (``VerdictGroup.counted``) through ``counted``.
    """
    lang = language(tag)
    said = words(tag)
    if _localised.get(env, tag) != tag and env.cache is not None:
        # An imported template's macros (``{% from "_note.html" import … %}``) keep the filters and
        # gettext of the language its module was made in: made again for a new language.
        env.cache.clear()
    _localised[env] = tag
    env.install_gettext_translations(said.catalog, newstyle=True)  # type: ignore[attr-defined]
    # Jinja's own new-style callables go through the template context three times per ``_()``
    # (the alias, the wrapper, the catalog): a tenth of a build's CPU time on articles with forty
    # comments. These do the same in one call and remember each translated string.
    gettext, ngettext = template_gettext(said.catalog)
    env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext)
    env.filters["date"] = lambda value, with_time=True: format_date(value, tag, with_time)
    env.filters["translated"] = said.translated
    env.filters["counted"] = said.counted
    # A note's body is HTML the content stage wrote (trusted, like ``| safe``); its code blocks' names
    # are UI words.
    env.filters["note_html"] = lambda html: Markup(said.code_labels(html))
    env.globals["counts_text"] = said.counts
    env.globals["page_description"] = said.description
    # The article's JSON-LD describes it in the page's language too (its verdicts stay English).
    env.filters["json_ld"] = lambda page, config, translations=(): json_ld_markup(
        page, config, said.description(page), translations)
    env.globals["text_direction"] = lang.direction
    env.globals["page_language"] = tag
    env.filters["language_name"] = language_name
    # ` lang="fr" dir="ltr"` for text in another language than the page's (an article's own language on a
    # listing page, the site's title on a page in an article's language); "" when it is the page's.
    env.filters["lang_attrs"] = lambda other: Markup(
        f' lang="{escape(other)}" dir="{language(other).direction}"') if other and not same_language(other, tag) else ""
    return lang


@dataclass(frozen=True, slots=True)
class Voice:
    """What renders a page in one language."""

    env: jinja2.Environment
    """A Jinja environment localised for the language (:func:`localise`)."""
    words: Words
    """Its page text written in Python."""


_siblings: weakref.WeakKeyDictionary[jinja2.Environment, dict[str, jinja2.Environment]] = weakref.WeakKeyDictionary()
"""Per site environment, one environment per other language an article is written in (kept per process,
like the site's own, so its compiled templates are reused)."""


def voice(env: jinja2.Environment, site_tag: str, tag: str | None) -> Voice:
    """The voice of a page in ``tag`` (None: the site's language) on a site whose environment ``env``
    is localised for ``site_tag``. Another language gets its own environment (same loader, options,
    filters and bytecode cache): one environment keeps one language, so switching never recompiles."""
    tag = tag or site_tag
    if same_language(tag, site_tag):
        return Voice(env, words(site_tag))
    family = _siblings.setdefault(env, {})
    sibling = family.get(tag)
    if sibling is None:
        sibling = family[tag] = jinja2.Environment(
            extensions=list(env.extensions), loader=env.loader, bytecode_cache=env.bytecode_cache,
            autoescape=env.autoescape, undefined=env.undefined, trim_blocks=env.trim_blocks,
            lstrip_blocks=env.lstrip_blocks, keep_trailing_newline=env.keep_trailing_newline)
        sibling.filters.update(env.filters)
        sibling.globals.update(env.globals)
    localise(sibling, tag)
    return Voice(sibling, words(tag))


def language_warnings(site_tag: str, articles: Iterable[tuple[str, str | None]]) -> tuple[str, ...]:
    """The site's language without a catalog, then each article language without one (other than the
    site's), named once with the first file written in it; ``articles``: (shown path, own tag or None)."""
    first: dict[str, str] = {}
    for path, tag in articles:
        if tag and not same_language(tag, site_tag):  # the site's own is named at site.yaml
            first.setdefault(tag, path)
    places = [("site.yaml", site_tag), *((path, tag) for tag, path in sorted(first.items()))]
    return tuple(f"warning: {path}: {problem}" for path, tag in places if (problem := language(tag).warning))
