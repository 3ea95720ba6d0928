"""Ratios and the stdout table, computed from the JSON-shaped results of ``bench/run.py``.

Working from the serialised results (not live objects) means the table can be re-printed from any saved
run: ``python bench/report.py bench/results/latest.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from targets import NO_SEARCH, targets, targets_table  # a sibling: bench/ is sys.path[0] when run as a script

ROWS: tuple[tuple[str, str, str], ...] = (
    ("gloss", "cold", "cold build"),
    ("gloss", "warm", "warm build, nothing changed"),
    ("gloss", "edit_article", "rebuild, one article edited"),
    ("gloss", "edit_template", "rebuild, base.html edited"),
    (NO_SEARCH, "cold", "cold build"),
    (NO_SEARCH, "warm", "warm build, nothing changed"),
    (NO_SEARCH, "edit_article", "rebuild, one article edited"),
    (NO_SEARCH, "edit_template", "rebuild, base.html edited"),
    ("hugo", "cold", "cold build"),
    ("pelican", "cold", "cold build"),
)


def _median(data: dict[str, Any], size: int | str, tool: str, phase: str = "cold") -> float | None:
    entry = data["sizes"].get(str(size), {}).get(tool, {})
    figure = entry.get(phase)
    return figure["median_s"] if isinstance(figure, dict) else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def ratios(data: dict[str, Any]) -> dict[str, float | None]:
    """Gloss cold (with and without search) ÷ Hugo and Pelican cold at every size, each tool's small → big
    growth, and Gloss's big → ``--large`` growth."""
    big, small = data["params"]["articles"], data["params"]["small"]
    large = data["params"].get("large") or 0
    out: dict[str, float | None] = {}
    for size in data["sizes"]:
        for gloss in ("gloss", NO_SEARCH):
            cold = _median(data, size, gloss)
            out[f"{gloss}_over_hugo_cold_{size}"] = _ratio(cold, _median(data, size, "hugo"))
            out[f"{gloss}_over_pelican_cold_{size}"] = _ratio(cold, _median(data, size, "pelican"))
    if small and str(small) in data["sizes"] and small != big:
        for tool in ("gloss", NO_SEARCH, "hugo", "pelican"):
            out[f"{tool}_cold_growth_{small}_to_{big}"] = _ratio(_median(data, big, tool), _median(data, small, tool))
    if large and str(large) in data["sizes"] and large != big:
        for tool in ("gloss", NO_SEARCH):
            out[f"{tool}_cold_growth_{big}_to_{large}"] = _ratio(_median(data, large, tool), _median(data, big, tool))
    return out


def _cell(data: dict[str, Any], size: str, tool: str, phase: str) -> str:
    entry = data["sizes"][size].get(tool, {})
    figure = entry.get(phase)
    if isinstance(figure, dict):
        return f"{figure['median_s']:7.3f} [{figure['min_s']:.2f}–{figure['max_s']:.2f}]"
    if entry.get("status") == "ok":
        return "skipped" if f"{phase}_skipped" in entry else "n/a"
    return str(entry.get("status", "n/a"))


def _rss(data: dict[str, Any], size: str, tool: str, phase: str) -> str:
    figure = data["sizes"][size].get(tool, {}).get(phase)
    return f"{figure['peak_rss_mb_max']:6.0f} MB" if isinstance(figure, dict) else ""


def table(data: dict[str, Any]) -> str:
    p = data["params"]
    sizes = sorted(data["sizes"], key=int)
    big = str(p["articles"])
    c = data["sizes"][big]["corpus"]
    lines = [
        f"Gloss benchmark — {p['runs']} runs per figure, seed {p['seed']}, {data['machine']['cpus']} CPUs; "
        "wall seconds, median [min–max]",
        f"load average (1 min) at start {data['machine']['loadavg_at_start'][0]}, "
        f"at end {data['machine'].get('loadavg_at_end', ['?'])[0]} (above ~0.5, other work skewed the figures)",
        f"corpus: ~{c['body_words_mean']:.0f} body words, {c['comments_per_article']} comments "
        f"(~{c['comment_words_mean']:.0f} words), ~{c['notes_per_article_mean']:.1f} notes per article",
        "",
        f"{'tool':15} {'figure':30} " + " ".join(f"{n + ' articles':>24}" for n in sizes) + f"  {'peak RSS @' + big:>14}",
    ]
    lines.append("-" * len(lines[-1]))
    for tool, phase, label in ROWS:
        cells = " ".join(f"{_cell(data, n, tool, phase):>24}" for n in sizes)
        if all(tool not in data["sizes"][n] for n in sizes):
            continue  # a variant this run did not time (--search)
        lines.append(f"{tool:15} {label:30} {cells}  {_rss(data, big, tool, phase):>14}")
    for name, t in data["tools"].items():
        if t.get("status") != "ok":
            lines.append(f"{name}: {t['status']} ({t.get('reason', '')})")
    for size in sizes:
        for tool, entry in data["sizes"][size].items():
            if isinstance(entry, dict) and entry.get("status") == "failed":
                lines.append(f"{tool} @ {size} articles: failed: {entry['reason'].splitlines()[0]}")
    lines.append("")
    for key, value in data["ratios"].items():
        if value is not None:
            lines.append(f"{key.replace('_', ' '):52} {value:7.2f}×")
    serve = data.get("serve", {})
    if serve.get("available"):
        lines.append(f"\nserve: save-to-visible median {serve['median_s']:.3f} s "
                     f"[{serve['min_s']:.3f}–{serve['max_s']:.3f}] over {len(serve['samples_s'])} edits"
                     + (f", {serve['missed']} missed" if serve.get("missed") else ""))
    else:
        lines.append(f"\nserve: not available ({serve.get('reason', 'not run')})")
    return "\n".join(lines)


def full_report(data: dict[str, Any]) -> str:
    """The figures' table, then issue #19's targets beside them."""
    return table(data) + "\n\n" + targets_table(targets(data))


if __name__ == "__main__":
    print(full_report(json.loads(Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results/latest.json").read_text())))
