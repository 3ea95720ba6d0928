"""Reply and name inference on threads labelled blind (tests/fixtures/replies-blind, -blind2).

These threads were written and labelled by someone who never read the inference code, so unlike
tests/fixtures/replies{,-hard} they were not used to shape its rules before the precision work of
issue #14: the first six were its first round's development set, the second six (replies-blind2,
with a README of the traps) its second round's, the third six (replies-blind3) its third round's,
which changed the policy (no position guesses) rather than adding cases. replies-blind4 was held back
from all three rounds: its figures are the out-of-sample precision. The gate, for the first three sets:
every link and every name the inference gives is the labelled one (precision 1.000), and recall
stays at least what it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.importing.replies import infer_replies
from test_replies import read_raw

FIXTURES = Path(__file__).parent / "fixtures"
BLIND = FIXTURES / "replies-blind"
BLIND2 = FIXTURES / "replies-blind2"
BLIND3 = FIXTURES / "replies-blind3"
BLIND_THREADS = sorted(p.stem for p in BLIND.glob("*.txt"))
BLIND2_THREADS = sorted(p.stem for p in BLIND2.glob("*.txt"))
BLIND3_THREADS = sorted(p.stem for p in BLIND3.glob("*.txt"))
BLIND4 = FIXTURES / "replies-blind4"  # held back from rounds 1-3; partly in sample since part 6 (its README)
BLIND4_THREADS = sorted(p.stem for p in BLIND4.glob("*.txt"))
LINK_RECALL = 40 / 86  # 35 before part 6 (recall); reached by the precision work of issue #14 (was 31/86 at precision 0.72)
NAME_RECALL = 11 / 25  # names given and right, over the names labelled (was 8/25 at precision 0.67)
# The second set, after round 2 of issue #14 (before it: links 54 right of 69 given, names 21 of 29).
LINK_RECALL2 = 70 / 108  # 66 before part 6; was 67 before round 3: wickham c10 "It lists it, Ifeoma, …" shares one word
NAME_RECALL2 = 27 / 37
# The third set, after round 3 (before it: links 52 right of 68 given, names 28 of 35).
LINK_RECALL3 = 52 / 102  # 49 before part 6
NAME_RECALL3 = 26 / 48
# Its wrong links left after round 3, held exactly so that any change shows (comment, got, labelled):
# libraryhours c28 quotes "fell by half" from c2 while speaking to the council (labelled no reply);
# tbilisi c19 echoes "mum" from the comment above (labelled no reply), c24 lists two dishes of c9
# while answering c23's "which dishes did you order?".
BLIND3_OPEN = {"libraryhours": [(28, 2, None)], "tbilisi": [(19, 18, None), (24, 9, 23)]}


def _run(name: str, folder: Path = BLIND) -> tuple[list[tuple[int | None, int | None]],
                                                 list[tuple[str | None, str | None]]]:
    """(got, labelled) reply targets and (got, labelled) authors, comment by comment."""
    article, bodies = read_raw(folder / f"{name}.txt")
    labels = json.loads((folder / f"{name}.expected.json").read_text(encoding="utf-8"))
    result = infer_replies(bodies, article=article)
    links = [(got.reply_to, want) for got, (want, _) in zip(result.links, labels["links"], strict=True)]
    return links, list(zip(result.authors, labels["authors"], strict=True))


def test_six_blind_threads_are_present() -> None:
    assert BLIND_THREADS == ["bananabread", "castlelane", "paintcase", "referendum", "steps", "thermostat"]


def test_six_more_blind_threads_are_present() -> None:
    assert BLIND2_THREADS == ["bus592", "comet", "saltroad", "tomatoes", "uniform", "wickham"]
    assert BLIND3_THREADS == ["harbourlane", "libraryhours", "marathon", "recount", "shingles", "tbilisi"]


@pytest.mark.parametrize(("folder", "name"), [(BLIND, n) for n in BLIND_THREADS] + [(BLIND2, n) for n in BLIND2_THREADS]
                         + [(BLIND3, n) for n in BLIND3_THREADS if n not in BLIND3_OPEN])
def test_blind_thread_has_no_wrong_link_or_name(folder: Path, name: str) -> None:
    links, authors = _run(name, folder)
    wrong = [(i, got, want) for i, (got, want) in enumerate(links) if got is not None and got != want]
    assert wrong == [], f"{name}: wrong links (comment, got, labelled)"
    named_wrong = [(i, got, want) for i, (got, want) in enumerate(authors) if got is not None and got != want]
    assert named_wrong == [], f"{name}: wrong names (comment, got, labelled)"


@pytest.mark.parametrize(("folder", "names", "link_recall", "name_recall"), [
    (BLIND, BLIND_THREADS, LINK_RECALL, NAME_RECALL), (BLIND2, BLIND2_THREADS, LINK_RECALL2, NAME_RECALL2),
    (BLIND3, BLIND3_THREADS, LINK_RECALL3, NAME_RECALL3)])
def test_blind_recall(folder: Path, names: list[str], link_recall: float, name_recall: float) -> None:
    found = labelled = named = labelled_names = 0
    for name in names:
        links, authors = _run(name, folder)
        found += sum(1 for got, want in links if got is not None and got == want)
        labelled += sum(1 for _, want in links if want is not None)
        named += sum(1 for got, want in authors if got is not None and got == want)
        labelled_names += sum(1 for _, want in authors if want is not None)
    print(f"blind links: recall {found}/{labelled}; names: recall {named}/{labelled_names}")
    assert found / labelled >= link_recall
    assert named / labelled_names >= name_recall


@pytest.mark.parametrize("name", sorted(BLIND3_OPEN))
def test_third_blind_set_wrong_links_are_the_known_ones(name: str) -> None:
    links, authors = _run(name, BLIND3)
    wrong = [(i, got, want) for i, (got, want) in enumerate(links) if got is not None and got != want]
    assert wrong == BLIND3_OPEN[name]
    assert [(i, got, want) for i, (got, want) in enumerate(authors) if got is not None and got != want] == []


def test_the_held_back_set_keeps_its_out_of_sample_figures() -> None:
    """replies-blind4 was held back from rounds 1-3: its precision was what an editor can expect of a
    dump nobody has seen (0.73 before the precision work, 0.85 after). Part 6 (recall) read its misses
    and took two rules from them (its README), so it is partly in sample since (0.87). A floor, not a
    target: a change that makes more wrong links or names here than now fails, and so does one losing
    recall."""
    assert BLIND4_THREADS == ["bakery", "foundry", "poolclosure", "recall", "rugby", "waitingtimes"]
    given = right = labelled = named = named_right = 0
    for name in BLIND4_THREADS:
        links, authors = _run(name, BLIND4)
        given += sum(1 for got, _ in links if got is not None)
        right += sum(1 for got, want in links if got is not None and got == want)
        labelled += sum(1 for _, want in links if want is not None)
        named += sum(1 for got, _ in authors if got is not None)
        named_right += sum(1 for got, want in authors if got is not None and got == want)
    print(f"held back: links {right}/{given} right (of {labelled} labelled), names {named_right}/{named}")
    assert given - right <= 9 and right >= 60  # 60 right of 69 given, 109 labelled (53 of 62 before part 6)
    assert named - named_right <= 1 and named_right >= 21  # 21 right of 22


BLIND5 = FIXTURES / "replies-blind5"
"""Written after issue #14's part 6 (recall) by someone who read neither the code nor the other sets, and
scored once, by the code of part 6, before any rule was looked at again: the out-of-sample figures."""
BLIND5_THREADS = sorted(p.stem for p in BLIND5.glob("*.txt"))


def _read_with_the_importers_timestamps(path: Path) -> tuple[str, list[str]]:
    """``read_raw``, with comments starting where the importer's own timestamp reader says: this set
    writes its timestamps in the other accepted forms (``21st May 2025, 07:18``, ``17/05/2025 09:06``)."""
    from generator.importing.timestamps import parse_timestamp

    return read_raw(path, lambda line: isinstance(parse_timestamp(line), str))


def test_the_fifth_set_keeps_its_out_of_sample_figures() -> None:
    """Precision on dumps nobody tuned on: links 35 right of 41 given (0.85; 33 of 39 before part 6),
    names 16 of 16. A floor: more wrong links or names than now fails, and so does lost recall. Its wrong
    links are an address to a reader who wrote, or shares a name with, another comment (carehome c14 "Pat",
    cyclelane c9 "Rob"), an address whose words take up two comments (allotments c20, labelled no link) and
    three similarity links the labels call new points."""
    assert BLIND5_THREADS == ["allotments", "bustimetable", "carehome", "cyclelane", "floodwall", "schoolmerger"]
    given = right = labelled = named = named_right = 0
    for name in BLIND5_THREADS:
        article, bodies = _read_with_the_importers_timestamps(BLIND5 / f"{name}.txt")
        labels = json.loads((BLIND5 / f"{name}.expected.json").read_text(encoding="utf-8"))
        result = infer_replies(bodies, article=article)
        for got, (want, _) in zip(result.links, labels["links"], strict=True):
            given += got.reply_to is not None
            right += got.reply_to is not None and got.reply_to == want
            labelled += want is not None
        for got_name, want_name in zip(result.authors, labels["authors"], strict=True):
            named += got_name is not None
            named_right += got_name is not None and got_name == want_name
    print(f"fifth set: links {right}/{given} right (of {labelled} labelled), names {named_right}/{named}")
    assert given - right <= 6 and right >= 35  # of 96 labelled
    assert named == named_right and named_right >= 16
