"""Verdict first (#13) and one note vocabulary (#17): what the built pages, the dump and the JSON-LD say.

The site is ``tests/fixtures/sites/verdicts``: one article whose notes use every verdict and every
fact-checker field (``claim``, ``author``, ``reviewed_by``, ``updated``, ``corrections``, ``image``),
and a short second article. Expectations are written out here, not computed by the generator's code.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.build.pipeline import BuildOptions, build
from generator.content.note_kinds import GROUPS, KINDS, VERDICTS
from generator.site.notes import first_sentence
from gloss_run import run_gloss  # a new process in CI, cli.main in the fast loop

REPO_ROOT = Path(__file__).resolve().parent.parent
SITE = REPO_ROOT / "tests" / "fixtures" / "sites" / "verdicts"
ARTICLE = "articles/every-verdict/index.html"
URL = "https://example.org/verdicts/articles/every-verdict/"

# note id → (verdict, group, icon), in reading order (the heading, the paragraph, the list, the table, the comment).
EXPECTED = [
    ("deficit", "Accurate", "holds", "✓"),
    ("staff", "Inaccurate", "fails", "✗"),
    ("rates", "Outdated", "partly", "◐"),
    ("housing", "Supported", "holds", "✓"),
    ("buses", "Unsupported", "fails", "✗"),
    ("parks", "Misleading", "partly", "◐"),
    ("schools", "Disputed", "partly", "◐"),
    ("bridge", "Unverified", "open", "?"),
]


class Page(HTMLParser):
    """Elements (tag, attributes, ancestors' tags) and the text inside each element with an id."""

    VOID = {"br", "hr", "img", "input", "link", "meta", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.elements: list[tuple[str, dict[str, str], tuple[str, ...]]] = []
        self.texts: dict[str, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.elements.append((tag, values, tuple(t for t, _ in self.stack)))
        if tag not in self.VOID:
            self.stack.append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        for _, values in self.stack:
            if "id" in values:
                self.texts.setdefault(values["id"], []).append(data)

    def text(self, element_id: str) -> str:
        return " ".join("".join(self.texts.get(element_id, [])).split())

    def by_id(self, element_id: str) -> tuple[str, dict[str, str]]:
        return next((t, a) for t, a, _ in self.elements if a.get("id") == element_id)

    def meta(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for tag, attrs, _ in self.elements:
            if tag == "meta" and ("property" in attrs or "name" in attrs):
                found.setdefault(attrs.get("property") or attrs["name"], []).append(attrs.get("content", ""))
        return found


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("verdicts") / "output"
    build(BuildOptions(root=SITE, content=SITE / "content", output=output, cache=None))
    return output


@pytest.fixture(scope="module")
def article(out: Path) -> Page:
    return Page((out / ARTICLE).read_text(encoding="utf-8"))


def test_the_registry_is_complete_and_consistent() -> None:
    assert sorted((v.word, v.group.name, v.group.icon) for v in VERDICTS) == sorted(
        (w, g, i) for _, w, g, i in EXPECTED)
    assert len({g.icon for g in GROUPS}) == len(GROUPS), "each group has its own icon"
    for verdict in VERDICTS:
        assert 1 <= verdict.lowest <= verdict.rating <= verdict.highest <= 5
        assert verdict.word in next(k for k in KINDS if k.name == verdict.kind).verdicts
    # Verdicts that hold up rate above every verdict that fails.
    holds = [v for v in VERDICTS if v.group.name == "holds"]
    fails = [v for v in VERDICTS if v.group.name == "fails"]
    assert min(v.lowest for v in holds) > max(v.highest for v in fails)


def test_every_note_shows_its_verdict_group_icon_and_word(article: Page) -> None:
    for number, (nid, verdict, group, icon) in enumerate(EXPECTED, 1):
        tag, span = article.by_id(f"span-{nid}")
        assert f"verdict-{group}" in span["class"].split(), nid
        for where in (f"margin-{nid}", f"open-{nid}", f"note-{nid}"):
            _, attrs = article.by_id(where)
            assert f"verdict-{group}" in attrs["class"].split(), where
            assert article.text(where).startswith(f"{icon} {verdict}"), (where, article.text(where))
        # The phone label shows icon and verdict word, not only a number.
        labels = [a for t, a, _ in article.elements if t == "label" and a.get("for") == f"toggle-{nid}"
                  and "note-toggle-label" in a.get("class", "")]
        assert len(labels) == 1 and f"verdict-{group}" in labels[0]["class"]
        kind = "Fact check" if nid in ("deficit", "staff", "rates") else "Claim"
        assert f"{kind} {number}" in article.text(f"margin-{nid}"), "the kind stays visible as a word"


def test_span_text_is_a_label_for_its_note_unless_it_sits_in_a_link(article: Page) -> None:
    for nid, *_ in EXPECTED:
        tag, attrs = article.by_id(f"span-{nid}")
        assert tag == "label" and attrs["for"] == f"toggle-{nid}", nid
        _, toggle = article.by_id(f"toggle-{nid}")
        assert toggle["type"] == "checkbox"


def test_opened_notes_follow_their_block_not_split_it(out: Path) -> None:
    html = (out / ARTICLE).read_text(encoding="utf-8")
    for nid, *_ in EXPECTED:
        opened = html.index(f'id="open-{nid}"')
        span = html.index(f'id="span-{nid}"')
        between = html[span:opened]
        # The paragraph, heading, list item or table cell holding the span ends before its opened note.
        assert re.search(r"</(p|h2|li|td)>|<div class=\"note-drawer\">", between), nid
        drawer = html.rindex('<div class="note-drawer">', 0, opened)
        assert not re.search(r"<p>|<p |<h2", html[drawer:opened].split("<div class=\"open-note")[0])
    assert re.search(r'\.</p><div class="note-drawer"><input class="note-toggle" type="checkbox" id="toggle-staff">',
                     html), "the paragraph's opened notes come right after its last sentence"


def test_margin_notes_show_their_sources(out: Path, article: Page) -> None:
    assert "Source: Audited accounts 2024" in article.text("margin-deficit")
    assert 'title="Audited accounts 2024, 10 March 2025"' in (out / ARTICLE).read_text(encoding="utf-8")
    assert "Study by the teachers' union" in article.text("margin-schools")
    links = [a["href"] for t, a, anc in article.elements if t == "a" and "href" in a]
    assert links.count("https://example.org/accounts-2024") == 3, "margin note, opened note, list of notes"


def test_summary_box_counts_groups_and_lists_every_check(article: Page) -> None:
    box = article.text("check-summary-heading")
    assert box == "8 checks in this article"
    html_items = [a for t, a, anc in article.elements if t == "a" and "nav" in anc and a.get("href", "").startswith("#span-")]
    assert [a["href"] for a in html_items] == [f"#span-{nid}" for nid, *_ in EXPECTED]


def test_summary_box_text(out: Path) -> None:
    html = (out / ARTICLE).read_text(encoding="utf-8")
    box = html[html.index('<nav class="check-summary"'):html.index("</nav>", html.index('<nav class="check-summary"'))]
    text = " ".join(re.sub(r"<[^>]+>", " ", box).split())
    assert "✓ 2 hold up ✗ 2 fail ◐ 3 partly hold ? 1 open" in text
    # Each line: the verdict, then the claim checked (the editor's claim, else the span text).
    assert "✓ Accurate The council ran a deficit of 2.5 million euros in 2024." in text
    assert "✗ Inaccurate 400 staff" in text
    assert "? Unverified bridge will cost less than the old one (in a comment)" in text


def test_byline_reviewer_update_and_corrections_are_on_the_page(out: Path) -> None:
    html = (out / ARTICLE).read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "By Ana Lima, Ben Okafor. Checked by Chidi Eze." in text
    assert "updated 3 April 2025 ( 2 corrections )" in text
    assert ('<li><time datetime="2025-04-02">2 April 2025</time>: The first version gave the deficit as 3 million; '
            "it is 2.5 million.</li>") in html
    assert 'id="corrections"' in html and 'href="#corrections"' in html


def test_json_ld_carries_author_reviewer_date_modified_and_claim(out: Path) -> None:
    html = (out / ARTICLE).read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    news, *reviews = data["@graph"]
    assert news["author"] == [{"@type": "Person", "name": "Ana Lima"}, {"@type": "Person", "name": "Ben Okafor"}]
    assert news["dateModified"] == "2025-04-03" and news["datePublished"] == "2025-04-01"
    assert news["description"] == ("The council's budget speech, with every statement checked. "
                                   "8 checks: 2 hold up, 2 fail, 3 partly hold, 1 open.")
    assert [r["reviewRating"]["alternateName"] for r in reviews] == [v for _, v, _, _ in EXPECTED]
    assert all(r["author"] == {"@type": "Person", "name": "Chidi Eze"} for r in reviews)
    assert reviews[0]["claimReviewed"] == "The council ran a deficit of 2.5 million euros in 2024."
    assert reviews[1]["claimReviewed"] == "400 staff", "without claim: the span text"
    # Unrated notes are rated from their verdict, inside its range.
    assert reviews[3]["reviewRating"]["ratingValue"] == 4 and reviews[6]["reviewRating"]["ratingValue"] == 3


def test_link_preview_tags(out: Path, article: Page) -> None:
    meta = article.meta()
    for prop in ("og:title", "og:type", "og:url", "og:image", "og:site_name", "og:description",
                 "twitter:card", "twitter:title", "twitter:description", "twitter:image"):
        assert meta.get(prop) and all(meta[prop]), f"{prop} missing"
    assert meta["og:type"] == ["article"] and meta["og:url"] == [URL]
    assert meta["og:image"] == ["https://example.org/verdicts/budget.png"], "the article's image wins"
    assert meta["og:description"] == meta["description"] == [
        "The council's budget speech, with every statement checked. 8 checks: 2 hold up, 2 fail, 3 partly hold, 1 open."]
    assert meta["article:modified_time"] == ["2025-04-03"]
    assert meta["article:author"] == ["Ana Lima", "Ben Okafor"]
    assert [a["href"] for t, a, _ in article.elements if t == "link" and a.get("rel") == "canonical"] == [URL]
    # Every other page: its own title and URL, the site's image, type website.
    for path, folder in (("index.html", ""), ("tags/budget/index.html", "tags/budget/"), ("claims/index.html", "claims/")):
        other = Page((out / path).read_text(encoding="utf-8")).meta()
        assert other["og:type"] == ["website"] and other["og:url"] == [f"https://example.org/verdicts/{folder}"]
        assert other["og:image"] == ["https://example.org/verdicts/card.png"] and other["og:title"][0]


def test_index_tag_and_claims_pages_show_verdicts(out: Path) -> None:
    for path in ("index.html", "tags/council/index.html"):
        text = " ".join(re.sub(r"<[^>]+>", " ", (out / path).read_text(encoding="utf-8")).split())
        assert "Verdicts: ✓ 2 hold up ✗ 2 fail ◐ 3 partly hold ? 1 open" in text, path
        assert "Verdicts: ✓ 1 holds up" in text, path
    claims = " ".join(re.sub(r"<[^>]+>", " ", (out / "claims/index.html").read_text(encoding="utf-8")).split())
    # The finding (the note's first sentence) beside the verdict.
    assert "✗ Inaccurate Fact check rated 1/5: False or unsupported 400 staff Finding: Staff numbers fell by 40, not 400." in claims
    assert "Finding: The audited accounts show a deficit of 2.5 million." in claims
    assert "They were published in March." not in claims


@pytest.mark.parametrize("html, sentence", [
    ("<p>One. Two.</p>", "One."),
    ("<p>Staff fell by 40, e.g. in parks. Then more.</p>", "Staff fell by 40, e.g. in parks."),
    ("<p>Rose <strong>by 3 %</strong>. Next</p>", "Rose by 3 %."),
    ("<p>No full stop</p>", "No full stop"),
    ("", ""),
])
def test_first_sentence(html: str, sentence: str) -> None:
    assert first_sentence(html) == sentence


def test_dump_round_trips_the_checker_fields(tmp_path: Path) -> None:
    result = run_gloss("dump", str(SITE / "content" / "every-verdict.md"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["author"] == ["Ana Lima", "Ben Okafor"] and data["reviewed_by"] == ["Chidi Eze"]
    assert data["updated"] == "2025-04-03" and data["image"] == "https://example.org/verdicts/budget.png"
    assert data["corrections"] == [
        {"date": "2025-04-02", "text": "The first version gave the deficit as 3 million; it is 2.5 million."},
        {"date": "2025-04-03", "text": "The housing note now links the audit report."},
    ]
    assert data["notes"][0]["claim"] == "The council ran a deficit of 2.5 million euros in 2024."
    assert [n["claim"] for n in data["notes"][1:]] == [None] * 7


def test_check_warns_about_sources_without_url(tmp_path: Path) -> None:
    shutil.copytree(SITE, tmp_path / "site")
    result = run_gloss("check", cwd=tmp_path / "site")
    assert result.returncode == 0, result.stderr
    text = (SITE / "content" / "every-verdict.md").read_text(encoding="utf-8").split("\n")
    line = next(i for i, t in enumerate(text, 1) if "Study by the teachers' union" in t)
    assert result.stderr.splitlines() == [
        f"content/every-verdict.md:{line}:9: warning: source \"Study by the teachers' union\" of note \"schools\" "
        "has no URL (hint: add `url: https://…` so readers can follow it, if the source is online)"
    ]
    assert result.stdout.startswith("ok: 2 articles, 9 notes, 1 comment\n")


def test_a_verdict_change_rerenders_the_listings(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    options = BuildOptions(root=site, content=site / "content", output=site / "output", cache=site / ".gloss-cache")
    build(options)
    path = site / "content" / "short.md"
    path.write_text(path.read_text(encoding="utf-8").replace('verdict: "Accurate"', 'verdict: "Outdated"'),
                    encoding="utf-8")
    build(options)
    for page in ("index.html", "tags/council/index.html"):
        text = " ".join(re.sub(r"<[^>]+>", " ", (site / "output" / page).read_text(encoding="utf-8")).split())
        assert "Verdicts: ◐ 1 partly holds" in text and "1 holds up" not in text, page


def test_feed_entry_is_updated_with_the_article(out: Path) -> None:
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(out / "feed.xml").getroot()
    entry = next(e for e in feed.iter(f"{atom}entry") if e.findtext(f"{atom}title") == "A council budget, checked line by line")
    # The article's updated date (3 April) is newer than its date and its only comment (1 April, 18:00).
    assert entry.findtext(f"{atom}updated") == "2025-04-03T00:00:00Z"
