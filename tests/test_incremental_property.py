"""Incremental builds, proved over random edit sequences: after every step, the bytes of a clean build.

``tests/test_incremental.py`` walks hand-picked edits; here Hypothesis draws sequences of them. A
small model of a site (articles with every front-matter field, notes, comments; ``site.yaml``;
templates; static files; images) is written to disk, and each step changes the model the way an
editor would — one front-matter field, the body, a comment, a note, ``site.yaml``, a template (one
that reads the listing too; listing templates that read chosen fields of the article summaries, or
pass a summary whole to a macro), a static file, an image, or adds, deletes or renames an article — then
builds twice: incrementally, with the cache and the spare tree, as ``gloss build`` does, and from
nothing (``--no-cache``) into another folder. The two outputs must be equal, file for file, byte for
byte. Content always stays valid: the property is about what a build reuses, not about errors.

Edits follow each other faster than file-system timestamps tick, so "racy" stamps
(``build/inputs.py``) are exercised as a matter of course. Marked slow: each step is two builds. The
number of examples is bounded; CI (``CI=true``) draws the same ones every run (tests/conftest.py).
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from budget import examples

from generator.build.pipeline import BuildOptions, build
from generator.content.note_kinds import VERDICT

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000000030101000518d84e0000000049454e44ae426082"
)
FACT_VERDICTS = ("Accurate", "Inaccurate", "Outdated")
CLAIM_VERDICTS = ("Supported", "Unsupported", "Misleading", "Disputed", "Unverified")
TAGS = ("council", "harbour", "budget", "tram")
TEMPLATES = {
    "plain nav": '{% extends "gloss/base.html" %}{% block nav_extra %}<li>Edition MARK</li>{% endblock %}',
    # Reads the listing from every page: every page then depends on every article.
    "listing nav": '{% extends "gloss/base.html" %}'
                   "{% block nav_extra %}<li>{{ site.articles | length }} articles, MARK</li>{% endblock %}",
}
# Reads one setting, through a partial it includes: listing pages are keyed on the settings their
# templates name (keys.py), so a motto edit must reach the index and nothing else needs it.
INDEX_TEMPLATE = '{% extends "gloss/index.html" %}{% block nav_extra %}{% include "motto.html" %}{% endblock %}'
MOTTO_TEMPLATE = "{% if site.config.extra.motto is defined %}<li>{{ site.config.extra.motto }}</li>{% endif %}"
# Listing templates that read chosen summary fields (build/field_reads.py): through a macro given the
# whole summary (every field), directly on the claims entries' articles, and in the article list
# partial the index and tag pages share. The "extra" and "comment" edits change exactly those fields.
FIELD_TEMPLATES = {
    "tags.html": '{% extends "gloss/tags.html" %}{% macro card(a) %}<li>{{ a.article.title }}'
                 "{% if a.article.extra.kicker is defined %}: {{ a.article.extra.kicker }}{% endif %}"
                 "</li>{% endmacro %}{% block nav_extra %}{% for tag in tags %}{% for item in tag.articles %}"
                 "{{ card(item) }}{% endfor %}{% endfor %}{% endblock %}",
    "claims.html": '{% extends "gloss/claims.html" %}{% block nav_extra %}{% for entry in claims.entries %}'
                   '<li>{{ entry.page.comment_count }} {{ entry.page.article.extra.kicker | default("") }}</li>'
                   "{% endfor %}{% endblock %}",
    "_article_list.html": '{% include "gloss/_article_list.html" %}{% for item in articles %}'
                          '<p>{{ item.updated }} {{ item.article.extra.kicker | default("") }}</p>{% endfor %}',
}
ARTICLE_TEMPLATE = ('{% extends "gloss/article.html" %}{% block nav_extra %}'
                    "{% if page.article.extra.kicker is defined %}<li>{{ page.article.extra.kicker }}</li>{% endif %}"
                    "{% endblock %}")


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Note:
    id: str
    kind: str
    verdict: str
    body: str
    rating: int | None


@dataclass
class Comment:
    id: str
    body: str
    reply_to: str | None
    minute: int


@dataclass
class Article:
    stem: str
    slug: str
    title: str
    day: int
    tags: list[str]
    summary: str
    draft: bool
    kicker: str | None
    paragraphs: list[str]
    notes: list[Note] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    image: str | None = None
    language: str | None = None
    translates: int | None = None
    """The ``id`` of the article it translates (its slug is looked up when the files are written)."""
    uid: int = 0
    """A name that survives renames and new slugs."""

    def text(self, translation_of: str | None = None) -> str:
        lines = ["---", f"title: {q(self.title)}", f"slug: {q(self.slug)}", f'date: "2024-05-{self.day:02d}"',
                 f"tags: {json.dumps(self.tags)}", f"summary: {q(self.summary)}", f"draft: {str(self.draft).lower()}"]
        if self.kicker is not None:
            lines += ["extra:", f"  kicker: {q(self.kicker)}"]
        if self.language is not None:
            lines.append(f"language: {q(self.language)}")
        if translation_of is not None:
            lines.append(f"translation_of: {q(translation_of)}")
        lines.append("notes:" if self.notes else "notes: {}")
        for note in self.notes:
            lines += [f"  {note.id}:", f"    body: {q(note.body)}", f"    verdict: {q(note.verdict)}"]
            if note.rating is not None:
                lines.append(f"    rating: {note.rating}")
        lines.append("comments:" if self.comments else "comments: []")
        for c in self.comments:
            lines += [f"  - id: {q(c.id)}", f'    date: "2024-05-{self.day:02d}T{10 + c.minute // 60:02d}:{c.minute % 60:02d}"',
                      "    author: null", f"    reply_to: {q(c.reply_to) if c.reply_to else 'null'}",
                      f"    reply_basis: {q('editor') if c.reply_to else 'null'}", "    body: |-", f"      {c.body}"]
        lines.append("---")
        body = list(self.paragraphs)
        body += [f"The desk checked [statement {n.id}]{{.{n.kind} #{n.id}}}." for n in self.notes]
        if self.image is not None:
            body.append(f"![A picture](images/{self.image})")
        return "\n".join(lines) + "\n" + "\n\n".join(body) + "\n"


@dataclass
class SiteModel:
    """What the site folder should hold; :meth:`write` makes the folder match it."""

    articles: list[Article]
    site_yaml: str = 'title: "Desk"\n'
    templates: dict[str, str] = field(default_factory=dict)
    """Site template files by path under ``templates/`` (``static/…`` included)."""
    images: dict[str, bytes] = field(default_factory=dict)
    counter: int = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def files(self) -> dict[str, bytes]:
        links = self.translations()
        files = {f"content/{a.stem}.md": a.text(links.get(a.uid)).encode("utf-8") for a in self.articles}
        files.update({f"content/images/{name}": data for name, data in self.images.items()})
        files.update({f"templates/{rel}": text.encode("utf-8") for rel, text in self.templates.items()})
        files["site.yaml"] = self.site_yaml.encode("utf-8")
        return files

    def translations(self) -> dict[int, str]:
        """The ``translation_of`` slug of each article whose translation the site would accept now (the
        original is there and no translation itself, the languages differ); the others are left out, so
        every step writes a site that builds."""
        site_language = "de" if 'language: "de"' in self.site_yaml else "en"
        by_uid = {a.uid: a for a in self.articles}
        used: dict[int, set[str]] = {}
        found: dict[int, str] = {}
        for art in self.articles:
            original = by_uid.get(art.translates) if art.translates is not None else None
            if original is None or original is art or original.translates is not None:
                continue
            languages = used.setdefault(original.uid, {original.language or site_language})
            if (art.language or site_language) not in languages:
                languages.add(art.language or site_language)
                found[art.uid] = original.slug
        return found

    def write(self, root: Path) -> None:
        wanted = self.files()
        for folder in ("content", "templates"):
            for path in sorted((root / folder).rglob("*")) if (root / folder).exists() else []:
                if path.is_file() and path.relative_to(root).as_posix() not in wanted:
                    path.unlink()
        for rel, data in wanted.items():
            path = root / rel
            if not path.is_file() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)


def new_article(model: SiteModel, n: int) -> Article:
    stem = model.fresh("file-")
    return Article(stem=stem, slug=model.fresh("story-"), title=f"Story {n}", day=1 + n % 28, uid=model.counter,
                   tags=sorted(TAGS[: n % 3]), summary=f"About {n}.", draft=False, kicker=None,
                   paragraphs=[f"First paragraph {n}."],
                   notes=[Note(model.fresh("n"), "fact", "Accurate", "Checked.", None)])


def apply(model: SiteModel, kind: str, n: int) -> None:
    """Change the model as an editor would; ``n`` picks the article and the new value."""
    rng = random.Random(n)
    arts = model.articles
    art = arts[n % len(arts)]
    if kind == "title":
        art.title = rng.choice(["Story", "Council <vote> & “budget”", "Ferry"]) + f" {n}"
    elif kind == "date":
        art.day = 1 + n % 28
    elif kind == "tags":
        art.tags = sorted(rng.sample(TAGS, n % 3))
    elif kind == "summary":
        art.summary = f"Summary {n}."
    elif kind == "draft":
        art.draft = not art.draft
    elif kind == "slug":
        art.slug = model.fresh("story-")
    elif kind == "extra":
        art.kicker = None if art.kicker is not None and n % 2 else f"Kicker {n}"
    elif kind == "translation":  # becomes a translation of another article, or stops being one
        others = [a for a in arts if a is not art]
        if art.translates is not None or not others:
            art.translates = None
        else:
            art.translates = others[n % len(others)].uid
            art.language = ["fr", "ar", "de"][n % 3]
    elif kind == "language":  # the site's own, one with a catalog, one without, or none
        art.language = [None, "fr", "ar", "de", "en"][n % 5] if art.language is None else None
    elif kind == "body":
        if n % 3 == 0 or not art.paragraphs:
            art.paragraphs.append(f"Another paragraph {n} with *emphasis*.")
        else:
            art.paragraphs[n % len(art.paragraphs)] = f"Rewritten paragraph {n}."
    elif kind == "comment":
        if art.comments and n % 2:
            target = art.comments[n % len(art.comments)]
            target.body = f"Edited comment {n}."
        else:
            earlier = [c.id for c in art.comments]
            reply_to = rng.choice(earlier) if earlier and n % 3 else None
            art.comments.append(Comment(model.fresh("c"), f"Comment {n}.", reply_to, len(art.comments)))
    elif kind == "note":
        if art.notes and n % 3:
            note = art.notes[n % len(art.notes)]
            scale = FACT_VERDICTS if note.kind == "fact" else CLAIM_VERDICTS
            note.verdict = scale[n % len(scale)]
            note.body = f"Checked again ({n})."
            # A rating inside the verdict's range (a rating outside it is an error, not an edit).
            allowed = VERDICT[note.verdict]
            note.rating = None if n % 4 == 0 else allowed.lowest + n % (allowed.highest - allowed.lowest + 1)
        else:
            kind_ = "fact" if n % 2 else "claim"
            verdict = (FACT_VERDICTS if kind_ == "fact" else CLAIM_VERDICTS)[n % 3]
            art.notes.append(Note(model.fresh("n"), kind_, verdict, f"Note {n}.", None))
    elif kind == "site.yaml":
        model.site_yaml = [
            'title: "Desk"\n',
            f'title: "Desk {n}"\ndescription: "News, checked."\n',
            'title: "Desk"\nbase_url: "https://example.org/desk/"\npublisher: "The Desk"\n',
            'title: "Desk"\nlanguage: "de"\nextra:\n  motto: "Checked"\n',
            f'title: "Desk"\nextra:\n  motto: "Verified {n}"\n',
        ][n % 5]
    elif kind == "template":
        choice = n % 8
        if choice == 0:
            for name in ("base.html", "article.html", "index.html", "motto.html", *FIELD_TEMPLATES):
                model.templates.pop(name, None)
        elif choice >= 5:
            name = list(FIELD_TEMPLATES)[choice - 5]
            model.templates[name] = FIELD_TEMPLATES[name]
        elif choice == 3:
            model.templates["article.html"] = ARTICLE_TEMPLATE
        elif choice == 4:
            model.templates.update({"index.html": INDEX_TEMPLATE, "motto.html": MOTTO_TEMPLATE})
        else:
            name = list(TEMPLATES)[choice - 1]
            model.templates["base.html"] = TEMPLATES[name].replace("MARK", str(n))
    elif kind == "static":
        choice = n % 3
        if choice == 0:
            model.templates.pop("static/extra.css", None) if "static/extra.css" in model.templates \
                else model.templates.__setitem__("static/extra.css", f".x{{margin:{n}px}}\n")
        elif choice == 1:
            model.templates["static/extra.css"] = f".y{{padding:{n}px}}\n"
        else:
            builtin = (Path(__file__).resolve().parent.parent / "templates" / "static" / "style.css").read_text()
            if "static/style.css" in model.templates:
                model.templates.pop("static/style.css")
            else:
                model.templates["static/style.css"] = builtin + f"\n/* edition {n} */\n"
    elif kind == "image":
        choice = n % 3
        if choice == 0 or not model.images:
            model.images[model.fresh("pic-") + ".png"] = PNG + bytes([n % 256])
        elif choice == 1:
            name = sorted(model.images)[n % len(model.images)]
            model.images[name] = PNG + bytes([n % 256, 1])
            art.image = name
        else:
            name = sorted(model.images)[n % len(model.images)]
            del model.images[name]
            for other in arts:  # a deleted image is no longer shown
                if other.image == name:
                    other.image = None
    elif kind == "add":
        arts.append(new_article(model, n))
    elif kind == "delete":
        if len(arts) > 1:
            arts.remove(art)
    elif kind == "rename":
        art.stem = model.fresh("file-")
    else:  # pragma: no cover - a kind listed in KINDS without a branch
        raise AssertionError(kind)


KINDS = ("title", "date", "tags", "summary", "draft", "slug", "extra", "language", "translation", "body", "comment", "note", "site.yaml",
         "template", "static", "image", "add", "delete", "rename")


def contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def incremental(root: Path) -> None:
    build(BuildOptions(root=root, content=root / "content", output=root / "output", cache=root / ".gloss-cache"))


def clean(root: Path, output: Path) -> dict[str, bytes]:
    shutil.rmtree(output, ignore_errors=True)
    build(BuildOptions(root=root, content=root / "content", output=output))
    return contents(output)


def start() -> SiteModel:
    model = SiteModel(articles=[])
    model.articles = [new_article(model, n) for n in (1, 2, 3)]
    model.articles[0].comments.append(Comment("c0", "First!", None, 0))
    return model


steps = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 10_000)), min_size=1, max_size=8)


@pytest.mark.slow
@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
# Field-targeted: the listing templates that read chosen summary fields, then edits of just those fields.
@example([("template", 5), ("extra", 1), ("template", 6), ("comment", 2), ("extra", 4), ("template", 7),
          ("comment", 1), ("summary", 2)])
@example([("template", 13), ("comment", 3), ("note", 2), ("extra", 2), ("template", 8), ("extra", 2)])
# An article in another language, the one without a catalog, then back: pages, listings and the feed follow.
@example([("language", 1), ("note", 1), ("language", 1), ("language", 3), ("template", 5), ("language", 3)])
# Translations: a new one, a draft, another, the original's slug changed, one removed, an article deleted.
@example([("translation", 1), ("draft", 1), ("translation", 2), ("draft", 1), ("slug", 3), ("translation", 1),
          ("add", 4), ("translation", 3), ("delete", 2)])
def test_any_edit_sequence_builds_what_a_clean_build_builds(sequence: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory(prefix="gloss-incremental-") as temp:
        root = Path(temp) / "site"
        root.mkdir()
        model = start()
        model.write(root)
        incremental(root)
        assert contents(root / "output") == clean(root, Path(temp) / "clean"), "first build"
        for i, (kind, n) in enumerate(sequence):
            apply(model, kind, n)
            model.write(root)
            incremental(root)
            assert contents(root / "output") == clean(root, Path(temp) / "clean"), f"step {i}: {kind} {n}"


def test_every_kind_of_step_changes_the_site() -> None:
    """Each kind really edits something (else the property would prove less than it says)."""
    for kind in KINDS:
        changed = False
        for n in range(12):
            model = start()
            model.images["pic-0.png"] = PNG
            before = model.files()
            apply(model, kind, n)
            changed = changed or model.files() != before
        assert changed, kind
