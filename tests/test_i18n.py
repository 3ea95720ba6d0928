"""Languages: UI text from gettext catalogs, dates from Babel, ``lang``/``dir`` on every page.

The catalogs are data (``generator/locales``); these tests keep them in step with the templates and
complete, and check a site built in each shipped language shows none of the English UI text.
"""

from __future__ import annotations

import html
from functools import lru_cache
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from budget import examples

from generator.build.pipeline import BuildOptions, build
from generator.render.catalogs import extract, render_po
from generator.render.i18n import DOMAIN, LOCALES, format_date, language, shipped, translations, words
from gloss_run import run_gloss  # a new process in CI, cli.main in the fast loop

FIXTURE = Path(__file__).parent / "fixtures" / "i18n"
"""A site whose user-written words are all Greek: every page type, every verdict, inferred names and
links, corrections, code blocks, two index pages."""
SITE_YAML = 'title: "Σ"\nlanguage: "{language}"\npublisher: "Ω"\n'
ARTICLE = (FIXTURE / "content" / "zeta.md").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def extracted() -> Catalog:
    """The template's messages from the templates and code, scanned once per test process (a second a scan)."""
    return extract()


def _catalog(name: str):  # type: ignore[no-untyped-def]
    with (LOCALES / name / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        return read_po(file, locale=name, domain=DOMAIN)


def test_the_template_file_is_up_to_date() -> None:
    assert (LOCALES / f"{DOMAIN}.pot").read_bytes() == render_po(extracted()), (
        "run `python -m generator.render.catalogs` and translate the new strings"
    )


def test_english_french_and_arabic_are_shipped() -> None:
    assert {"en", "fr", "ar"} <= set(shipped()) and shipped()[0] == "en"
    assert (LOCALES / "en" / "LC_MESSAGES" / f"{DOMAIN}.po").exists()


def test_the_english_catalog_is_its_msgids_so_english_builds_need_no_catalog() -> None:
    """English pages are rendered without the .po (render.i18n.translations): exact only while
    every English entry reads as its msgid, with English's two plural forms."""
    catalog = _catalog("en")
    assert catalog.num_plurals == 2 and catalog.plural_expr.replace(" ", "") == "(n!=1)"
    for message in catalog:
        if message.id:
            assert message.string == message.id if isinstance(message.id, str) else tuple(message.string) == message.id
    assert type(translations("en")).__name__ == "NullTranslations"


@pytest.mark.parametrize("name", shipped())
def test_every_shipped_catalog_is_complete_and_well_formed(name: str) -> None:
    catalog = _catalog(name)
    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted() if m.id}
    have = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    assert wanted == set(have), "catalog and templates disagree: run python -m generator.render.catalogs"
    for key, message in have.items():
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert strings and all(strings), f"{name}: no translation for {key!r}"
        assert not message.fuzzy, f"{name}: fuzzy translation for {key!r}"
        if isinstance(message.id, tuple):
            assert len(strings) == catalog.num_plurals, f"{name}: {key!r} needs {catalog.num_plurals} forms"
        # Translations are trusted markup (gettext output is not escaped): the same tags as the English,
        # and no straight double quote, which would end the attribute some of them are written into.
        english = message.id if isinstance(message.id, str) else message.id[0]
        for text in strings:
            assert sorted(re.findall(r"<[^>]*>", text)) == sorted(re.findall(r"<[^>]*>", english)), (name, key)
            assert re.sub(r"<[^>]*>", "", text).count('"') == re.sub(r"<[^>]*>", "", english).count('"'), (name, key)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, f"{name}: placeholders differ from the English text: {problems}"


def _english_words(text: str) -> list[str]:
    """The runs of English a msgid shows a reader: without placeholders and tags."""
    text = re.sub(r"%\(\w+\)[sd]|<[^>]*>", "\n", text)
    return [part.strip(" .,:;()“”") for part in text.split("\n") if len(part.strip(" .,:;()“”")) >= 4]


class _Visible(HTMLParser):
    """What a reader sees or hears of a page: text (not scripts or styles) and labelling attributes."""

    LABELS = ("title", "aria-label", "alt", "placeholder", "content", "data-label", "data-showing")
    """Attributes a reader meets (data-label and data-showing are words the scripts show)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        names = dict(attrs)
        if tag == "meta" and names.get("name") not in ("description", "twitter:title", "twitter:description"):
            return
        self.parts += [value for name, value in attrs if name in self.LABELS and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _site(tmp_path: Path, tag: str, search: bool = False) -> Path:
    root = tmp_path / tag
    shutil.copytree(FIXTURE, root)
    config = (root / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(config.replace('language: "en"', f'language: "{tag}"'), encoding="utf-8")
    build(BuildOptions(root, root / "content", root / "output", search=search))
    return root / "output"


PAGE_TYPES = {
    "index.html": "the index, page 1",
    "page/2/index.html": "the index, page 2",
    "articles/zeta/index.html": "an article with notes, corrections and comments",
    "tags/index.html": "the tags",
    "tags/ψ/index.html": "a tag",
    "claims/index.html": "the claims list",
    "claims/fact/index.html": "a kind filter",
    "claims/verdict/accurate/index.html": "a verdict filter",
    "search/index.html": "the search page",
    "404.html": "the page for a missing address",
}


def _built_text(out: Path) -> dict[str, str]:
    """What a reader sees of every built page, and of the feed (its note tooltips are UI text)."""
    pages = {page.relative_to(out).as_posix(): visible_text(page.read_text(encoding="utf-8"))
             for page in sorted(out.rglob("*.html")) if "pagefind" not in page.parts}
    feed = html.unescape((out / "feed.xml").read_text(encoding="utf-8"))
    pages["feed.xml"] = visible_text(feed[feed.index("<entry>"):])
    return pages


def _leaks(pages: dict[str, str], catalog: Catalog) -> list[str]:
    """English UI text found on the pages: every run of English words of every msgid, unless the
    language's own UI text uses the same words (French "Notes", "Discussion")."""
    own = " ".join(" ".join([m.string] if isinstance(m.string, str) else m.string or ()) for m in catalog if m.id)
    found = []
    for message in catalog:
        if not message.id:
            continue
        english = [message.id] if isinstance(message.id, str) else list(message.id)
        for words in sorted({w for text in english for w in _english_words(text)}):
            if re.search(rf"(?<!\w){re.escape(words)}(?!\w)", own):
                continue
            pattern = re.compile(rf"(?<!\w){re.escape(words)}(?!\w)")
            found += [f"{path}: {words!r}" for path, text in pages.items() if pattern.search(text)]
    return found


@pytest.mark.parametrize("name", [n for n in shipped() if n != "en"])
def test_a_site_in_each_language_shows_no_english_ui_text(tmp_path: Path, name: str) -> None:
    out = _site(tmp_path, name, search=True)
    pages = _built_text(out)
    assert set(PAGE_TYPES) <= set(pages), "a page type the scan must cover was not built"
    assert not _leaks(pages, _catalog(name))
    home = (out / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{name}" dir="{language(name).direction}">' in home


def test_the_scan_finds_english_ui_text(tmp_path: Path) -> None:
    """The scan above can fail: an English site shows the English of many msgids on every page type."""
    pages = _built_text(_site(tmp_path, "en", search=True))
    english_leaks = _leaks(pages, extracted())  # msgids without translations: all their English counts
    for path in PAGE_TYPES:
        assert any(leak.startswith(f"{path}: ") for leak in english_leaks), path
    for words in ("Back to the text", "name inferred", "replying to", "Fact check", "Accurate",
                  "hold up", "Claims and fact checks", "Showing", "Pagination", "Code", "Search the articles and their discussions"):
        assert any(repr(words) in leak for leak in english_leaks), words


def test_right_to_left_languages_set_dir_rtl(tmp_path: Path) -> None:
    assert language("ar").direction == "rtl" and language("fa-IR").direction == "rtl"
    assert language("fr-CA").direction == "ltr" and language("fr-CA").catalog == "fr"
    page = (_site(tmp_path, "ar") / "articles" / "zeta" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page


def test_dates_are_written_in_the_site_language() -> None:
    assert format_date("2024-06-18T20:25", "en") == "18 June 2024, 20:25"
    assert format_date("2024-06-18T20:25", "fr") == "18 juin 2024, 20:25"
    assert format_date("2024-06-18", "de-AT", with_time=False) == "18 Juni 2024"
    assert "يونيو" in format_date("2024-06-18", "ar")


def test_a_language_without_a_catalog_stays_english_with_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML.format(language="sw"), encoding="utf-8")
    (root / "content" / "zeta.md").write_text(ARTICLE, encoding="utf-8")
    result = build(BuildOptions(root, root / "content", root / "output"))
    assert any('no translation of the page text for language "sw"' in w for w in result.warnings)
    home = (root / "output" / "index.html").read_text(encoding="utf-8")
    assert "Skip to content" in home and '<html lang="sw" dir="ltr">' in home
    assert "18 Juni 2024" in home  # the month still comes from Swahili's CLDR data


def test_the_command_warns_in_one_line_for_a_language_without_a_catalog(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML.format(language="de"), encoding="utf-8")
    (root / "content" / "zeta.md").write_text(ARTICLE, encoding="utf-8")
    done = run_gloss("build", "--no-search", "--base-url", "https://example.org/", cwd=root, env={"NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "language" in line]
    assert warnings == [
        'warning: site.yaml: no translation of the page text for language "de": pages show English '
        "(hint: shipped languages are en, ar, fr; to add one, copy generator/locales/gloss.pot to "
        "generator/locales/de/LC_MESSAGES/gloss.po and translate it)"
    ]
    assert "Traceback" not in done.stderr
    assert "Skip to content" in (root / "output" / "index.html").read_text(encoding="utf-8")


def test_a_build_in_one_language_leaves_nothing_behind_for_the_next(tmp_path: Path) -> None:
    """Builds in one process share the Jinja environment; a macro imported from ``_note.html`` must
    not keep the previous build's language."""
    _site(tmp_path / "first", "ar")
    page = (_site(tmp_path / "second", "en") / "articles" / "zeta" / "index.html").read_text(encoding="utf-8")
    assert "مدعوم" not in page and "العودة" not in page
    assert "✓</span> Supported</span>" in page and ">Back to the text</a>" in page and "rated 5/5" in page


def test_the_data_keeps_the_canonical_english_verdicts(tmp_path: Path) -> None:
    out = _site(tmp_path, "fr")
    page = (out / "articles" / "zeta" / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    reviews = [node for node in data["@graph"] if node["@type"] == "ClaimReview"]
    assert {r["reviewRating"]["alternateName"] for r in reviews} == {
        "Accurate", "Inaccurate", "Outdated", "Supported", "Unsupported", "Misleading", "Disputed", "Unverified"}
    news = data["@graph"][0]
    assert news["inLanguage"] == "fr"
    assert news["description"] == "Ξι. 9 vérifications\u00a0: 3 tiennent la route, 2 ne tiennent pas, 3 tiennent en partie, 1 en suspens."
    assert 'data-verdict="accurate"' in page and "claims/verdict/accurate/" in "\n".join(
        p.relative_to(out).as_posix() for p in out.rglob("index.html"))
    assert "</span> Exact</span>" in page  # while the page says it in French


@settings(max_examples=examples(200), deadline=None)
@given(count=st.integers(min_value=0, max_value=10**7), name=st.sampled_from(shipped()))
def test_every_counted_text_reads_for_any_count(count: int, name: str) -> None:
    """Whatever plural form a count selects (Arabic has six), it exists and is filled in."""
    said = words(name)
    for one, many in _counted_msgids():
        text = said.catalog.ngettext(one, many, count) % {"shown": 1, "num": count}
        assert text and "%(" not in text, (name, one, count)


@lru_cache(maxsize=1)
def _counted_msgids() -> tuple[tuple[str, str], ...]:
    return tuple(m.id for m in extracted() if isinstance(m.id, tuple))


EQUIVALENCE_TEMPLATE = (
    '{{ _("Discussion") }}|{{ _("to %(who)s", who=who) }}|{{ gettext("100%% sure") }}|'
    '{{ ngettext("%(num)d reply", "%(num)d replies", n) }}|{{ ngettext("%(num)d note", "%(num)d notes", n, num=n) }}|'
    '{{ _("Q&A <b>") }}|{{ ngettext("%(num)d reply & %(who)s", "%(num)d replies & %(who)s", n, who=who) }}|'
    '{% trans %}Reply to {{ who }}{% endtrans %}|'
    '{% autoescape false %}{{ _("to %(who)s", who=who) }}|{{ gettext("100%% sure") }}|'
    '{{ ngettext("%(num)d reply", "%(num)d replies", n) }}{% endautoescape %}'
)


@settings(max_examples=examples(60), deadline=None)
@given(who=st.text(max_size=12), n=st.integers(min_value=0, max_value=120), name=st.sampled_from(shipped()))
def test_the_template_gettext_renders_as_jinjas_own(who: str, n: int, name: str) -> None:
    # Gloss installs its own (one-call, remembering) gettext callables for speed; they must render
    # every call form exactly as Jinja's new-style ones do, escaped or not.
    import jinja2
    from generator.render.i18n import template_gettext

    catalog = translations(language(name).catalog)
    jinjas = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    jinjas.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    ours = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    ours.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    gettext, ngettext = template_gettext(catalog)
    ours.globals.update(gettext=gettext, _=gettext, ngettext=ngettext)
    for _ in range(2):  # the second render reads what the first remembered
        assert (ours.from_string(EQUIVALENCE_TEMPLATE).render(who=who, n=n)
                == jinjas.from_string(EQUIVALENCE_TEMPLATE).render(who=who, n=n))


def test_updating_the_catalogs_leaves_a_new_string_untranslated_outside_english(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new string reads as its msgid in English only: in French or Arabic it must arrive empty, so the
    completeness test asks for its translation (English used to fill the template's shared entries)."""
    from generator.render import catalogs, i18n

    locales = tmp_path / "locales"
    shutil.copytree(LOCALES, locales)
    source = tmp_path / "src"
    (source / "generator").mkdir(parents=True)
    (source / "templates").mkdir()
    (source / "generator" / "words.py").write_text('N_("A brand new editor word")\n', encoding="utf-8")
    monkeypatch.setattr(catalogs, "LOCALES", locales)
    monkeypatch.setattr(i18n, "LOCALES", locales)
    catalogs.update(source)
    for name in shipped():
        with (locales / name / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
            message = read_po(file, locale=name, domain=DOMAIN)["A brand new editor word"]
        assert message is not None and message.string == ("A brand new editor word" if name == "en" else ""), name
