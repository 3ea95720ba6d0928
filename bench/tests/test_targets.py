"""The targets table (bench/targets.py): results in, text out. No timing is run here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH))

import report  # noqa: E402
import targets  # noqa: E402


def phase(median: float, rss: float = 50.0) -> dict[str, float]:
    return {"median_s": median, "min_s": median, "max_s": median, "peak_rss_mb_max": rss}


def results(large: int = 10000) -> dict[str, Any]:
    corpus = {"body_words_mean": 1500, "comments_per_article": 40, "comment_words_mean": 1800,
              "notes_per_article_mean": 11}
    data: dict[str, Any] = {
        "params": {"articles": 1000, "small": 0, "runs": 3, "seed": 1, "large": large, "large_runs": 1},
        "machine": {"cpus": 2, "loadavg_at_start": [0.1], "loadavg_at_end": [0.4]},
        "tools": {"gloss": {"status": "ok"}, "hugo": {"status": "ok"}, "pelican": {"status": "skipped"}},
        "sizes": {"1000": {
            "corpus": corpus,
            "gloss": {"status": "ok", "cold": phase(6.0, 180.0), "edit_article": phase(1.25)},
            targets.NO_SEARCH: {"status": "ok", "cold": phase(3.0, 110.0), "edit_article": phase(0.15)},
            "hugo": {"status": "ok", "cold": phase(4.0, 600.0)},
            "pelican": {"status": "skipped", "reason": "--skip-pelican"},
        }},
        "serve": {"available": True, "median_s": 0.2, "min_s": 0.1, "max_s": 0.3, "samples_s": [0.2]},
    }
    if large:
        data["sizes"][str(large)] = {"corpus": corpus, "gloss": {"status": "ok", "cold": phase(63.0, 310.0)},
                                     "hugo": {"status": "skipped"}, "pelican": {"status": "skipped"}}
    data["ratios"] = report.ratios(data)
    return data


def test_targets_table_text() -> None:
    assert targets.targets_table(targets.targets(results())).splitlines() == [
        "targets (issue #19)",
        "figure                                           measured     target  verdict",
        "-" * 77,
        "cold build, --no-search, ÷ Hugo @1000               0.75×    ≤ 1.00×  met",
        "cold build with search, ÷ Hugo @1000                1.50×    ≤ 1.50×  met",
        "one-article edit, with search @1000               1.250 s  ≤ 1.000 s  missed by 25 %",
        "one-article edit, --no-search @1000               0.150 s  ≤ 0.150 s  met",
        "peak memory, default build @1000                   180 MB   ≤ 200 MB  met",
        "save-to-visible in Chromium @1000                 0.200 s  ≤ 0.250 s  met",
        "10000 articles: cold ÷ 1000-article cold           10.50×   ≤ 10.50×  met",
        "10000 articles: peak memory                        310 MB   ≤ 300 MB  missed by 3 %",
    ]


def test_far_misses_are_told_as_a_multiple() -> None:
    data = results()
    data["sizes"]["1000"]["gloss"]["edit_article"] = phase(11.7)
    line = targets.targets_table(targets.targets(data)).splitlines()[5]
    assert line == "one-article edit, with search @1000              11.700 s  ≤ 1.000 s  missed: 11.7× the target"


def test_figures_not_measured_say_so() -> None:
    data = results(large=0)
    data["serve"] = {"available": False, "reason": "--skip-serve"}
    del data["sizes"]["1000"]["hugo"]["cold"]
    lines = targets.targets_table(targets.targets(data)).splitlines()
    assert lines[3].endswith("—    ≤ 1.00×  not measured")
    assert lines[8].endswith("not measured (--skip-serve)")
    assert lines[9].endswith("not measured (run with --large 10000)")


def test_the_large_ratio_target_scales_with_the_sizes() -> None:
    """``--articles 200 --large 1000`` is 5× the articles: linear is 5×, the target 5% above it."""
    data = results(large=1000)
    data["params"]["articles"] = 200
    data["sizes"]["200"] = data["sizes"].pop("1000")
    growth = next(t for t in targets.targets(data) if "cold ÷" in t.figure)
    assert growth.limit == 5.25


def test_saved_runs_from_before_the_targets_still_print() -> None:
    """bench/results/*.json predate the --no-search variant and --large: report.py still prints them."""
    for saved in sorted((BENCH / "results").glob("*.json")):
        text = report.full_report(json.loads(saved.read_text(encoding="utf-8")))
        assert "targets (issue #19)" in text and "cold build with search" in text, saved
