"""Translations (``translation_of:``): the groups and their problems as data (``site/translations.py``),
then the pages a build makes of them, in full builds and incremental ones."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.common.errors import GlossError, GlossErrors, flatten
from generator.site.translations import Translation, TranslationEntry, translation_links


def _entry(slug: str, language: str, of: str | None = None, published: bool = True) -> TranslationEntry:
    return TranslationEntry(f"content/{slug}.md", slug, language, of, published)


def test_a_group_links_every_published_version_itself_included_by_language() -> None:
    links, problems = translation_links([
        _entry("lib", "en"), _entry("lib-fr", "fr", "lib"), _entry("lib-ar", "ar", "lib"), _entry("other", "en"),
        _entry("lib-de", "de", "lib", published=False)])
    group = (Translation("ar", "lib-ar"), Translation("en", "lib"), Translation("fr", "lib-fr"))
    assert problems == []
    assert links == {"content/lib.md": group, "content/lib-fr.md": group, "content/lib-ar.md": group}
    assert group[0].url == "articles/lib-ar/"


def test_a_group_with_one_published_version_links_nothing() -> None:
    links, problems = translation_links([_entry("lib", "en", published=False), _entry("lib-fr", "fr", "lib")])
    assert (links, problems) == ({}, [])


@pytest.mark.parametrize(("entries", "where", "message", "hint"), [
    ([_entry("lib", "en"), _entry("lib-fr", "fr", "libb")], "content/lib-fr.md",
     'no article has the slug "libb"', 'did you mean "lib"?'),
    ([_entry("lib", "en"), _entry("lib-fr", "fr", "zzz")], "content/lib-fr.md",
     'no article has the slug "zzz"', "name the slug of the article this one translates"),
    ([_entry("lib", "en", "lib")], "content/lib.md", "an article cannot be a translation of itself",
     "name the slug of the original article"),
    ([_entry("lib", "en"), _entry("lib-fr", "fr", "lib"), _entry("lib-ar", "ar", "lib-fr")], "content/lib-ar.md",
     '"lib-fr" is itself a translation, of "lib"', 'name the original: translation_of: "lib"'),
    ([_entry("lib-fr", "fr", "lib"), _entry("lib", "en"), _entry("lib-fr2", "FR", "lib")], "content/lib-fr2.md",
     'this translation is in the same language ("FR") as "lib-fr"', "set its language: to the language it is written in"),
    ([_entry("lib", "en"), _entry("lib-en", "en", "lib")], "content/lib-en.md",
     'this translation is in the same language ("en") as "lib"', "set its language: to the language it is written in"),
])
def test_what_cannot_be_followed_is_a_problem_of_the_file_that_says_it(
        entries: list[TranslationEntry], where: str, message: str, hint: str) -> None:
    _, problems = translation_links(entries)
    assert [(p.shown, p.message, p.hint) for p in problems] == [(where, message, hint)]


# ------------------------------------------------------------------------------------------------ builds

ORIGINAL = """---
title: "The library reopens"
slug: "library"
date: "2024-06-02"
---
The library reopened on Sunday.
"""
FRENCH = """---
title: "La bibliothèque rouvre"
slug: "bibliotheque"
date: "2024-06-02"
language: "fr"
translation_of: "library"
---
La bibliothèque a rouvert dimanche.
"""
ARABIC = """---
title: "المكتبة تعيد فتح أبوابها"
slug: "maktaba"
date: "2024-06-02"
language: "ar"
translation_of: "library"
draft: DRAFT
---
أعادت المكتبة فتح أبوابها يوم الأحد.
"""


def _site(root: Path, *, arabic_draft: bool = False) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text('title: "Desk"\nbase_url: "https://example.org/desk/"\n', encoding="utf-8")
    (root / "content" / "library.md").write_text(ORIGINAL, encoding="utf-8")
    (root / "content" / "bibliotheque.md").write_text(FRENCH, encoding="utf-8")
    (root / "content" / "maktaba.md").write_text(ARABIC.replace("DRAFT", str(arabic_draft).lower()), encoding="utf-8")
    return root


def _page(root: Path, slug: str) -> str:
    return (root / "output" / "articles" / slug / "index.html").read_text(encoding="utf-8")


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_the_versions_link_to_each_other(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    build(BuildOptions(root, root / "content", root / "output"))
    alternates = ('<link rel="alternate" hreflang="ar" href="https://example.org/desk/articles/maktaba/">\n'
                  '<link rel="alternate" hreflang="en" href="https://example.org/desk/articles/library/">\n'
                  '<link rel="alternate" hreflang="fr" href="https://example.org/desk/articles/bibliotheque/">\n')
    original, french, arabic = (_page(root, s) for s in ("library", "bibliotheque", "maktaba"))
    for page in (original, french, arabic):
        assert alternates in page
    assert ('<nav class="meta translations" aria-label="Translations">Also in: '
            '<a href="../../articles/maktaba/index.html" hreflang="ar" lang="ar" dir="rtl">العربية</a> · '
            '<a href="../../articles/bibliotheque/index.html" hreflang="fr" lang="fr" dir="ltr">Français</a></nav>'
            ) in original
    assert ('<nav class="meta translations" aria-label="Traductions">Aussi en : '
            '<a href="../../articles/maktaba/index.html" hreflang="ar" lang="ar" dir="rtl">العربية</a> · '
            '<a href="../../articles/library/index.html" hreflang="en" lang="en" dir="ltr">English</a></nav>'
            ) in french
    assert 'aria-label="الترجمات"' in arabic and '<html lang="ar" dir="rtl">' in arabic


def test_a_draft_is_left_out_until_it_is_published(tmp_path: Path) -> None:
    root = _site(tmp_path / "site", arabic_draft=True)
    build(BuildOptions(root, root / "content", root / "output"))
    original = _page(root, "library")
    assert "maktaba" not in original and 'hreflang="fr"' in original
    build(BuildOptions(root, root / "content", root / "drafts-output", drafts=True))
    assert "maktaba" in (root / "drafts-output" / "articles" / "library" / "index.html").read_text(encoding="utf-8")


def test_an_incremental_build_follows_translations_added_and_removed(tmp_path: Path) -> None:
    """The original's file never changes, yet its page gains and loses links: each step's output is
    the bytes of a clean build."""
    root = _site(tmp_path / "site")
    french = root / "content" / "bibliotheque.md"
    arabic = root / "content" / "maktaba.md"
    steps = [
        lambda: arabic.unlink(),
        lambda: french.write_text(FRENCH.replace('translation_of: "library"\n', ""), encoding="utf-8"),
        lambda: french.write_text(FRENCH, encoding="utf-8"),
        lambda: arabic.write_text(ARABIC.replace("DRAFT", "true"), encoding="utf-8"),
        lambda: arabic.write_text(ARABIC.replace("DRAFT", "false"), encoding="utf-8"),
        lambda: (root / "content" / "library.md").write_text(ORIGINAL.replace("Sunday", "Monday"), encoding="utf-8"),
    ]
    build(BuildOptions(root, root / "content", root / "output", cache=root / ".cache"))
    for i, step in enumerate(steps):
        step()
        build(BuildOptions(root, root / "content", root / "output", cache=root / ".cache"))
        clean = tmp_path / f"clean-{i}"
        shutil.copytree(root / "content", clean / "content")
        shutil.copy(root / "site.yaml", clean / "site.yaml")
        build(BuildOptions(clean, clean / "content", clean / "output"))
        assert _tree(root / "output") == _tree(clean / "output"), f"step {i}"
    assert "maktaba" in _page(root, "library") and "bibliotheque" in _page(root, "library")


def test_a_wrong_translation_of_is_an_error_at_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _site(tmp_path / "site")
    monkeypatch.chdir(root)
    (root / "content" / "bibliotheque.md").write_text(FRENCH.replace('"library"', '"librar"'), encoding="utf-8")
    with pytest.raises((GlossError, GlossErrors)) as raised:
        build(BuildOptions(root, root / "content", root / "output"))
    assert [e.format() for e in flatten(raised.value)] == [
        'content/bibliotheque.md:6:17: no article has the slug "librar" (hint: did you mean "library"?)']
    assert not (root / "output").exists()  # nothing written


def test_translation_of_must_be_a_slug(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    (root / "content" / "bibliotheque.md").write_text(FRENCH.replace('"library"', '"The Library"'), encoding="utf-8")
    with pytest.raises((GlossError, GlossErrors)) as raised:
        build(BuildOptions(root, root / "content", root / "output"))
    (error,) = flatten(raised.value)
    assert re.search(r"bibliotheque\.md:6:17: .*translation_of.* must be a slug like", error.format())


def test_gloss_check_finds_what_a_build_would_refuse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.build.pipeline import check

    root = _site(tmp_path / "site")
    monkeypatch.chdir(root)
    assert len(check(root / "content", root)) == 3
    (root / "content" / "maktaba.md").write_text(ARABIC.replace("DRAFT", "false").replace('"ar"', '"fr"'),
                                                 encoding="utf-8")
    with pytest.raises((GlossError, GlossErrors)) as raised:
        check(root / "content", root)
    assert [e.format() for e in flatten(raised.value)] == [
        'content/maktaba.md:6:17: this translation is in the same language ("fr") as "bibliotheque" '
        "(hint: set its language: to the language it is written in)"]


def test_the_structured_data_names_the_original_and_its_translations(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    build(BuildOptions(root, root / "content", root / "output"))

    def news(slug: str) -> dict[str, object]:
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', _page(root, slug),
                                    re.S).group(1))
        (found,) = [node for node in data["@graph"] if node["@type"] == "NewsArticle"]
        return found

    base = "https://example.org/desk/articles/"
    assert news("library")["workTranslation"] == [{"@id": base + "maktaba/"}, {"@id": base + "bibliotheque/"}]
    assert news("bibliotheque")["translationOfWork"] == {"@id": base + "library/"}
    assert "workTranslation" not in news("bibliotheque") and "translationOfWork" not in news("library")
    assert news("maktaba")["inLanguage"] == "ar"
    # An original that is a draft is not named (its address is not published).
    (root / "content" / "library.md").write_text(ORIGINAL.replace('date: "2024-06-02"', 'date: "2024-06-02"\ndraft: true'),
                                                 encoding="utf-8")
    build(BuildOptions(root, root / "content", root / "output"))
    assert "translationOfWork" not in news("bibliotheque") and "workTranslation" not in news("maktaba")
    assert 'hreflang="ar"' in _page(root, "bibliotheque") and "library" not in _page(root, "bibliotheque")
