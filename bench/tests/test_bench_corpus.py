"""The benchmark corpus is deterministic, valid for Gloss, and exported without spans. No timings here:
figures belong in bench/run.py's report, never in a test's pass/fail."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.content.note_kinds import VERDICT

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import export  # noqa: E402
import report  # noqa: E402

# sha256 of article_to_gloss(generate_article(1, 0)). It pins the bytes, so figures from different
# commits are comparable. Change it only together with a deliberate change to the corpus (and say so in
# bench/README.md: results from before and after are then not comparable).
ARTICLE_0_SHA256 = "6713a132368b8617cf155420ca92ac6caf0de934de2ad84e71e94e5cf22803a1"


def front_matter(text: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head + "\n"), body


def test_bytes_are_pinned() -> None:
    text = corpus.article_to_gloss(corpus.generate_article(1, 0))
    assert hashlib.sha256(text.encode()).hexdigest() == ARTICLE_0_SHA256


def test_same_bytes_under_another_hash_seed() -> None:
    code = "import sys, corpus; sys.stdout.write(corpus.article_to_gloss(corpus.generate_article(7, 3)))"
    outs = {
        subprocess.run([sys.executable, "-c", code], cwd=BENCH, capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("0", "12345")
    }
    assert outs == {corpus.article_to_gloss(corpus.generate_article(7, 3))}


def test_small_corpus_is_a_prefix_of_the_big_one() -> None:
    assert corpus.generate_corpus(1, 12)[:5] == corpus.generate_corpus(1, 5)


@pytest.mark.parametrize("index", range(6))
def test_article_matches_the_content_format(index: int) -> None:
    article = corpus.generate_article(3, index)
    data, body = front_matter(corpus.article_to_gloss(article))
    assert list(data) == ["title", "slug", "date", "tags", "summary", "source", "draft", "notes", "comments"]
    assert body == article.body
    assert isinstance(data["date"], str) and data["draft"] is False
    assert set(data["tags"]) <= set(corpus.TAG_POOL)
    assert 1000 < corpus.word_count(article) < 2500  # ~1,500 on average

    body_ids = [m.group(3) for m in corpus.SPAN_RE.finditer(body)]
    comment_ids = [m.group(3) for c in data["comments"] for m in corpus.SPAN_RE.finditer(c["body"])]
    assert len(body_ids) == corpus.BODY_NOTES
    # Every span names a note, every note is used exactly once.
    assert sorted(body_ids + comment_ids) == sorted(data["notes"])
    assert body.count("```") == 2

    for note_id, note in data["notes"].items():
        kind = note_id.split("-")[0]
        scale = corpus.FACT_VERDICTS if kind == "fact" else corpus.CLAIM_VERDICTS
        verdict = VERDICT[note["verdict"]]
        assert note["verdict"] in scale and verdict.lowest <= note["rating"] <= verdict.highest
        assert ("claimant" in note) == (kind == "claim")
        assert note["sources"] and all(s["url"].startswith("https://") for s in note["sources"])

    assert len(data["comments"]) == corpus.COMMENTS
    seen: set[str] = set()
    for c, original in zip(data["comments"], article.comments):
        assert isinstance(c["date"], str) and len(c["date"]) == 16
        assert c["reply_to"] is None or c["reply_to"] in seen
        assert (c["reply_basis"] is None) == (c["reply_to"] is None)
        assert c["body"] == original.body
        seen.add(c["id"])
    assert any(c["reply_to"] for c in data["comments"])


def test_exports_have_no_spans(tmp_path: Path) -> None:
    articles = corpus.generate_corpus(2, 3)
    export.write_hugo_site(tmp_path / "hugo", articles)
    export.write_pelican_site(tmp_path / "pelican", articles)
    for path in [*tmp_path.glob("hugo/content/articles/*.md"), *tmp_path.glob("pelican/content/*.md")]:
        text = path.read_text(encoding="utf-8")
        assert "{.fact" not in text and "{.claim" not in text
        assert "## Discussion" in text
    assert (tmp_path / "hugo/layouts/_default/single.html").is_file()
    assert (tmp_path / "pelican/theme/templates/article.html").is_file()


def test_gloss_accepts_the_corpus(tmp_path: Path) -> None:
    """`gloss check` on a few generated articles: the bench must feed Gloss what Gloss reads."""
    repo = BENCH.parent
    if not (repo / "generator" / "__main__.py").is_file():
        pytest.skip("generator not written yet")
    corpus.write_gloss_site(tmp_path, corpus.generate_corpus(1, 3))
    r = subprocess.run([sys.executable, "-m", "generator", "check", "--content", "content"], cwd=tmp_path,
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(repo)})
    assert r.returncode == 0, r.stderr


def test_report_prints_missing_tools() -> None:
    data = {
        "params": {"articles": 10, "small": 0, "runs": 1, "seed": 1},
        "machine": {"cpus": 2, "loadavg_at_start": [0.1], "loadavg_at_end": [0.2]},
        "tools": {"gloss": {"status": "not available", "reason": "x"}},
        "sizes": {"10": {"corpus": {"body_words_mean": 1, "comments_per_article": 40,
                                     "comment_words_mean": 1, "notes_per_article_mean": 11},
                         "gloss": {"status": "not available"},
                         "hugo": {"status": "ok", "cold": {"median_s": 1.0, "min_s": 1.0, "max_s": 1.0,
                                                           "peak_rss_mb_max": 5.0}}}},
        "serve": {"available": False, "reason": "gloss not available"},
    }
    data["ratios"] = report.ratios(data)
    text = report.table(data)
    assert "gloss: not available (x)" in text and "serve: not available" in text
