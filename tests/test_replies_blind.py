"""Reply and name inference on threads labelled blind (tests/fixtures/replies-blind).

These six threads were written and labelled by someone who never read the inference code, so
unlike tests/fixtures/replies{,-hard} they were not used to shape its rules before the precision
work of issue #14 (they were that work's development set). The gate: every link and every name
the inference gives is the labelled one (precision 1.000), and recall stays at least what it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.importing.replies import infer_replies
from test_replies import read_raw

BLIND = Path(__file__).parent / "fixtures" / "replies-blind"
BLIND_THREADS = sorted(p.stem for p in BLIND.glob("*.txt"))
LINK_RECALL = 35 / 86  # reached by the precision work of issue #14 (was 31/86 at precision 0.72)
NAME_RECALL = 11 / 25  # names given and right, over the names labelled (was 8/25 at precision 0.67)


def _run(name: str) -> tuple[list[tuple[int | None, int | None]], list[tuple[str | None, str | None]]]:
    """(got, labelled) reply targets and (got, labelled) authors, comment by comment."""
    article, bodies = read_raw(BLIND / f"{name}.txt")
    labels = json.loads((BLIND / f"{name}.expected.json").read_text(encoding="utf-8"))
    result = infer_replies(bodies, article=article)
    links = [(got.reply_to, want) for got, (want, _) in zip(result.links, labels["links"], strict=True)]
    return links, list(zip(result.authors, labels["authors"], strict=True))


def test_six_blind_threads_are_present() -> None:
    assert BLIND_THREADS == ["bananabread", "castlelane", "paintcase", "referendum", "steps", "thermostat"]


@pytest.mark.parametrize("name", BLIND_THREADS)
def test_blind_thread_has_no_wrong_link_or_name(name: str) -> None:
    links, authors = _run(name)
    wrong = [(i, got, want) for i, (got, want) in enumerate(links) if got is not None and got != want]
    assert wrong == [], f"{name}: wrong links (comment, got, labelled)"
    named_wrong = [(i, got, want) for i, (got, want) in enumerate(authors) if got is not None and got != want]
    assert named_wrong == [], f"{name}: wrong names (comment, got, labelled)"


def test_blind_recall() -> None:
    found = labelled = named = labelled_names = 0
    for name in BLIND_THREADS:
        links, authors = _run(name)
        found += sum(1 for got, want in links if got is not None and got == want)
        labelled += sum(1 for _, want in links if want is not None)
        named += sum(1 for got, want in authors if got is not None and got == want)
        labelled_names += sum(1 for _, want in authors if want is not None)
    print(f"blind links: recall {found}/{labelled}; names: recall {named}/{labelled_names}")
    assert found / labelled >= LINK_RECALL
    assert named / labelled_names >= NAME_RECALL
