"""Deterministic benchmark corpus in Gloss's content format (docs/design.md §3).

``generate_article(seed, index)`` builds one article as plain data; ``article_to_gloss`` turns it into the
text of ``content/<slug>.md`` (YAML front matter + Markdown body). The other exports (Hugo, Pelican) live in
``bench/export.py`` and start from the same data, so every generator renders the same words.

Determinism: each article draws from its own ``random.Random(f"{seed}:{index}")``. A ``str`` seed is turned
into an integer through SHA-512 (``random.seed`` version 2), so it does not depend on ``PYTHONHASHSEED``,
and article *i* is the same whether the corpus has 100 or 1,000 articles — the 100-article corpus is the
first tenth of the big one, which keeps the 100 → N growth ratio honest. Nothing reads the clock.

The YAML is written by hand rather than by ``yaml.safe_dump`` so that the bytes are fixed by this file alone
(no dependence on PyYAML's version, line width or key order), and so every free-text scalar and timestamp
is double-quoted (PyYAML reads an unquoted ``20:25`` as the integer 1225). Double-quoted scalars are
produced with ``json.dumps``: a JSON string is a valid YAML double-quoted scalar.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.note_kinds import CLAIM_VERDICTS, FACT_VERDICTS, VERDICT

# A small fixed vocabulary: enough variety for Markdown parsing and highlighting to do real work.
WORDS: tuple[str, ...] = tuple(
    """the a of to and in that is for on with as was by at from it an be this which or are have has had
    not but were their its they been more one would all there also who after than other when about into
    over new most some could only these two first years may time said people government minister report
    country state officials military cooperation agreement border talks analysts region security energy
    oil supply deal visit leaders meeting week month statement policy economic trade sanctions forces
    weapons artillery shells rockets delegation defence foreign space agency summit relations tension
    broadcasts balloons peninsula conflict support evidence sources record figures estimate data claim
    review court ruling election vote campaign budget deficit growth inflation prices market workers
    union strike factory harbour railway bridge highway airport river coast village city province capital
    council committee parliament senate treaty envoy ambassador spokesman diplomat observer journalist
    researcher professor doctor hospital school university library museum archive newspaper broadcast
    network satellite launch mission programme project plan proposal memo letter document transcript
    interview survey poll study paper chart table map photo video witness account version detail
    question answer reason cause effect result change decline increase shortage surplus demand exports
    imports tariff quota loan debt bank fund investor company firm contract tender auction price
    quickly slowly openly quietly reportedly allegedly clearly widely largely partly nearly roughly
    strong weak large small early late recent former current future public private regional national
    local global major minor senior junior official unofficial historic modern ancient northern southern""".split()
)
TAG_POOL: tuple[str, ...] = (
    "politics", "economy", "defence", "diplomacy", "energy", "trade", "elections", "health", "science",
    "climate", "technology", "space", "transport", "labour", "courts", "media", "education", "housing",
    "migration", "agriculture", "finance", "security", "culture", "history", "sport", "europe", "asia",
    "africa", "americas", "oceans",
)
AUTHORS: tuple[str, ...] = (
    "Lena", "Omar", "Ruth", "Bashir", "Kimberly", "Gift", "Sai", "Mateo", "Ingrid", "Tomasz", "Aiko",
    "Priya", "Kwame", "Elif", "Jonas", "Noor", "Dmitri", "Hana", "Felipe", "Grace",
)
CLAIMANTS: tuple[str, ...] = (
    "Analysts quoted in the article", "The defence ministry", "A government spokesman",
    "Opposition leaders", "An unnamed official", "The state news agency", "Industry representatives",
    "A commenter in the discussion", "The foreign minister", "Independent researchers",
)
REPLY_BASES: tuple[str, ...] = ("vocative", "mention", "quote", "similarity")

BODY_NOTES = 8  # spans in the article body, one note each
COMMENTS = 40
COMMENT_SPANS = 3  # comments whose body carries a span (with its own note)
EPOCH = dt.date(2019, 1, 1)  # article dates fall in the ~5 years after this fixed day

SITE_YAML = (
    'title: "Gloss Bench"\n'
    'base_url: "https://example.org/"\n'
    'language: "en"\n'
    'publisher: "Gloss Bench Publisher"\n'
)

# `[text]{.fact #id}` / `[text]{.claim #id}`: used to check the corpus and to flatten spans for other tools.
SPAN_RE = re.compile(r"\[([^\[\]]+)\]\{\.(fact|claim) #([A-Za-z][\w-]*)\}")


@dataclass
class Note:
    id: str
    kind: str  # "fact" | "claim" (Gloss derives it from the span class; kept here for the exports)
    quote: str  # the span text
    body: str
    verdict: str
    rating: int
    sources: list[dict[str, str]]
    claimant: str | None


@dataclass
class Comment:
    id: str
    date: str  # "YYYY-MM-DDTHH:MM", naive like Gloss's own
    author: str | None
    reply_to: str | None
    reply_basis: str | None
    body: str  # Markdown, may contain spans


@dataclass
class Article:
    slug: str
    title: str
    date: str  # "YYYY-MM-DD"
    tags: list[str]
    summary: str
    body: str  # Markdown with spans
    notes: list[Note] = field(default_factory=list)  # in order of first use
    comments: list[Comment] = field(default_factory=list)


class _Writer:
    """Random text helpers bound to one article's generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, lo: int, hi: int) -> list[str]:
        return self.rng.choices(WORDS, k=self.rng.randint(lo, hi))

    def phrase(self, lo: int, hi: int) -> str:
        return " ".join(self.words(lo, hi))

    def title(self, lo: int, hi: int) -> str:
        return " ".join(w.capitalize() for w in self.words(lo, hi))

    def sentence(self, link_chance: float = 0.0) -> str:
        words = self.words(9, 22)
        if self.rng.random() < link_chance:  # an inline link (never a reference link: see docs/design.md §9)
            at = self.rng.randrange(len(words) - 2)
            target = f"https://example.org/ref/{words[at]}-{self.rng.randrange(10_000)}"
            words[at : at + 2] = [f"[{words[at]} {words[at + 1]}]({target})"]
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, lo: int = 4, hi: int = 7, link_chance: float = 0.08) -> list[str]:
        return [self.sentence(link_chance) for _ in range(self.rng.randint(lo, hi))]

    def code_block(self) -> str:
        names = [self.rng.choice(WORDS[40:]) for _ in range(4)]
        lines = [
            "```python",
            f"def {names[0]}_{names[1]}(rows: list[dict]) -> dict[str, int]:",
            f'    """Count {names[2]} by {names[3]}."""',
            "    totals: dict[str, int] = {}",
            "    for row in rows:",
            f'        key = row.get("{names[3]}", "unknown")',
            f"        totals[key] = totals.get(key, 0) + int(row[\"{names[2]}\"])",
            f"    return totals  # {self.rng.randrange(1000)} rows in the sample",
            "```",
        ]
        return "\n".join(lines)



def _fitting(verdict: str, drawn: int) -> int:
    """A drawn 1–5 moved into the verdict's rating range. The draw itself stays ``randint(1, 5)``, so the
    random sequence, and with it everything else in the corpus, is what it was before ranges existed."""
    v = VERDICT[verdict]
    return v.lowest + (drawn - 1) % (v.highest - v.lowest + 1)

def _make_note(w: _Writer, kind: str, note_id: str, quote: str, day: dt.date) -> Note:
    rng = w.rng
    sources = []
    for k in range(rng.randint(1, 3)):
        when = day - dt.timedelta(days=rng.randint(1, 400))
        sources.append({
            "title": w.title(3, 7),
            "url": f"https://example.org/sources/{note_id}-{k + 1}-{rng.randrange(100_000)}",
            "date": when.isoformat(),
        })
    body = " ".join(w.sentence(link_chance=0.3) for _ in range(rng.randint(1, 3)))
    verdict = rng.choice(FACT_VERDICTS if kind == "fact" else CLAIM_VERDICTS)
    return Note(
        id=note_id,
        kind=kind,
        quote=quote,
        body=body,
        verdict=verdict,
        rating=_fitting(verdict, rng.randint(1, 5)),
        sources=sources,
        claimant=rng.choice(CLAIMANTS) if kind == "claim" else None,
    )


class _NoteMaker:
    """Hands out note ids (`fact-1`, `claim-1`, …) in order of use, so each note is used exactly once."""

    def __init__(self, w: _Writer, day: dt.date) -> None:
        self.w, self.day = w, day
        self.notes: list[Note] = []
        self.counts = {"fact": 0, "claim": 0}

    def span(self) -> str:
        kind = self.w.rng.choice(("fact", "claim"))
        self.counts[kind] += 1
        note_id = f"{kind}-{self.counts[kind]}"
        quote = self.w.phrase(5, 10)
        quote = quote[0].upper() + quote[1:]
        self.notes.append(_make_note(self.w, kind, note_id, quote, self.day))
        return f"[{quote}]{{.{kind} #{note_id}}}."


def _body(w: _Writer, notes: _NoteMaker) -> str:
    """~1,500 words: intro, five sections, two lists, one code block, links, and BODY_NOTES spans."""
    rng = w.rng
    # Paragraph layout first, then choose which paragraphs carry a span (one each, in reading order).
    sections = [rng.randint(2, 4) for _ in range(5)]
    n_paragraphs = 2 + sum(sections)
    with_span = set(rng.sample(range(n_paragraphs), BODY_NOTES))
    list_section, numbered_section, code_section = rng.sample(range(5), 3)

    blocks: list[str] = []
    counter = 0

    def paragraph() -> str:
        nonlocal counter
        sentences = w.paragraph()
        if counter in with_span:
            sentences[rng.randrange(len(sentences))] = notes.span()
        counter += 1
        return " ".join(sentences)

    blocks += [paragraph(), paragraph()]
    for s, count in enumerate(sections):
        blocks.append(f"## {w.title(3, 6)}")
        for p in range(count):
            blocks.append(paragraph())
            if p == 0 and s == list_section:
                blocks.append("\n".join(f"- {w.phrase(4, 12)}" for _ in range(rng.randint(4, 6))))
            if p == 0 and s == numbered_section:
                blocks.append("\n".join(f"{i}. {w.phrase(5, 14)}" for i in range(1, rng.randint(4, 6))))
            if p == 0 and s == code_section:
                blocks.append(w.code_block())
    return "\n\n".join(blocks) + "\n"


def _comments(w: _Writer, notes: _NoteMaker, day: dt.date) -> list[Comment]:
    rng = w.rng
    with_span = set(rng.sample(range(COMMENTS), COMMENT_SPANS))
    when = dt.datetime.combine(day, dt.time(8, 0)) + dt.timedelta(minutes=rng.randint(0, 600))
    out: list[Comment] = []
    for i in range(COMMENTS):
        when += dt.timedelta(minutes=rng.randint(1, 180))
        author = rng.choice(AUTHORS) if rng.random() < 0.7 else None  # null: never invented
        reply_to = basis = parent = None
        if out and rng.random() < 0.6:
            # Bias towards recent comments so that real chains (c5 → c7 → c8 …) form.
            pool = out[-4:] if rng.random() < 0.7 else out
            parent = rng.choice(pool)
            reply_to, basis = parent.id, rng.choice(REPLY_BASES)
        # Short, like real comments (~50 words): one paragraph mostly, one to three sentences each.
        paragraphs = [" ".join(w.paragraph(1, 3, link_chance=0.03)) for _ in range(rng.choice((1, 1, 2)))]
        name = (parent.author if parent and parent.author else "friend")
        if basis == "vocative":
            paragraphs[0] = f"Indeed, {name}, {paragraphs[0][0].lower()}{paragraphs[0][1:]}"
        elif basis == "mention":
            paragraphs[0] = f"@{name} {paragraphs[0]}"
        elif basis == "quote" and parent is not None:
            # Quote the parent's first own sentence (not its quote, not a span: each note is used once).
            own = next(p for p in parent.body.split("\n\n") if not p.startswith(">"))
            first = SPAN_RE.sub(r"\1", own).split(". ", 1)[0].rstrip(".")
            paragraphs.insert(0, f"> {first}.")
        if i in with_span:
            paragraphs[-1] += " " + notes.span()
        out.append(Comment(
            id=f"c{i + 1}",
            date=when.strftime("%Y-%m-%dT%H:%M"),
            author=author,
            reply_to=reply_to,
            reply_basis=basis,
            body="\n\n".join(paragraphs) + "\n",
        ))
    return out


def generate_article(seed: int, index: int) -> Article:
    """Article number ``index`` (0-based) of the corpus for ``seed``; independent of the corpus size."""
    w = _Writer(random.Random(f"gloss-bench:{seed}:{index}"))
    day = EPOCH + dt.timedelta(days=w.rng.randrange(5 * 365))
    title = w.title(4, 9)
    slug = "-".join(title.lower().split()[:5]) + f"-{index + 1:04d}"  # index suffix keeps slugs unique
    notes = _NoteMaker(w, day)
    tags = sorted(w.rng.sample(TAG_POOL, w.rng.randint(1, 4)))
    summary = w.sentence()
    body = _body(w, notes)
    comments = _comments(w, notes, day)
    return Article(slug, title, day.isoformat(), tags, summary, body, notes.notes, comments)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _q_or_null(text: str | None) -> str:
    return "null" if text is None else _q(text)


def article_to_gloss(a: Article) -> str:
    """The text of ``content/<slug>.md`` in Gloss's format: front matter, ``---``, Markdown body."""
    out = ["---", f"title: {_q(a.title)}", f"slug: {_q(a.slug)}", f"date: {_q(a.date)}", "tags:"]
    out += [f"  - {_q(t)}" for t in a.tags]
    out += [f"summary: {_q(a.summary)}", f"source: {_q(f'raw/{a.slug}.txt')}", "draft: false", "notes:"]
    for n in a.notes:
        out += [f"  {n.id}:", f"    body: {_q(n.body)}", f"    verdict: {_q(n.verdict)}", f"    rating: {n.rating}"]
        if n.claimant is not None:
            out.append(f"    claimant: {_q(n.claimant)}")
        out.append("    sources:")
        for s in n.sources:
            out += [f"      - title: {_q(s['title'])}", f"        url: {_q(s['url'])}", f"        date: {_q(s['date'])}"]
    out.append("comments:")
    for c in a.comments:
        out += [
            f"  - id: {_q(c.id)}",
            f"    date: {_q(c.date)}",
            f"    author: {_q_or_null(c.author)}",
            f"    reply_to: {_q_or_null(c.reply_to)}",
            f"    reply_basis: {_q_or_null(c.reply_basis)}",
            "    body: |",
        ]
        # Literal block scalar; blank lines stay empty (no trailing spaces), clip chomping keeps one "\n".
        out += [f"      {line}" if line else "" for line in c.body.rstrip("\n").split("\n")]
    out.append("---")
    return "\n".join(out) + "\n" + a.body


def word_count(a: Article) -> int:
    """Words in the article body (Markdown markup counted as words; a rough figure for the report)."""
    return len(a.body.split())


def write_gloss_site(root: Path, articles: list[Article]) -> None:
    """A Gloss site root: ``site.yaml`` and ``content/<slug>.md`` for every article."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for a in articles:
        (content / f"{a.slug}.md").write_text(article_to_gloss(a), encoding="utf-8", newline="\n")


def generate_corpus(seed: int, count: int) -> list[Article]:
    return [generate_article(seed, i) for i in range(count)]
