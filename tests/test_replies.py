"""Reply inference (``generator.importing.replies``): the seed, hand-labelled threads, and properties.

Each ``tests/fixtures/replies/<name>.txt`` is a raw article-plus-comments dump; next to it,
``<name>.expected.json`` holds what a careful human reader says: for each comment the
comment it answers (or null) with the kind of evidence, and the authors that later replies
reveal. The expectations were written before the algorithm was tuned; ``bronzes``,
``festival`` and ``rents`` were written later, each labelled before its first run, as
held-out checks (the first two then led to fixes). The labels include replies that
no textual rule can find (an answer with no name, quote or shared phrase): they count
against recall, which is what they are for. ``tests/fixtures/replies-hard`` holds five more
threads written to break the rules. The gate: precision 1.00 on all fifteen, recall
no lower than today's on the first ten, the hard five and all fifteen (see the gate below).
``tests/fixtures/replies-rules/cases.json`` holds one small thread per wording-only rule, with
look-alikes that must stay unlinked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget import examples

from generator.importing.replies import Inference, ReplyLink, infer_replies

FIXTURES = Path(__file__).parent / "fixtures"
THREADS = sorted(p.stem for p in (FIXTURES / "replies").glob("*.txt"))
# Five threads written to break the rules (names that are also words, two readers with one name,
# a vocative deep in a comment, quotes with small edits, A-B-A-B exchanges), each labelled before
# its first run.
HARD = FIXTURES / "replies-hard"
HARD_THREADS = sorted(p.stem for p in HARD.glob("*.txt"))
ALL_THREADS = THREADS + HARD_THREADS

# A deliberately tiny reader of the raw format (docs/design.md §2); the real one is the importer's.
_TIMESTAMP = re.compile(
    r"^\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}"
    r"\s+at\s+\d{1,2}:\d{2}(?:\s*[ap]m)?\s*$",
    re.IGNORECASE,
)


def read_raw(path: Path, is_timestamp: Callable[[str], object] = _TIMESTAMP.match) -> tuple[str, list[str]]:
    """(article text, comment bodies) of a raw dump; paragraphs joined as the importer does."""
    article: list[str] = []
    comments: list[list[str]] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if is_timestamp(line):
            comments.append([])
        elif line.strip():
            (comments[-1] if comments else article).append(line.strip())
    return "\n".join(article), ["\n\n".join(c) for c in comments]


def load(name: str) -> tuple[str, list[str], list[ReplyLink], list[str | None]]:
    """(article, bodies, labelled links, labelled authors) of one hand-labelled thread."""
    folder = HARD if name in HARD_THREADS else FIXTURES / "replies"
    article, bodies = read_raw(folder / f"{name}.txt")
    labels = json.loads((folder / f"{name}.expected.json").read_text(encoding="utf-8"))
    links = [ReplyLink(reply_to, basis) for reply_to, basis in labels["links"]]
    authors: list[str | None] = list(labels["authors"])
    assert len(links) == len(bodies) == len(authors), name
    return article, bodies, links, authors


# ---------------------------------------------------------------------------------------
# The seed thread (tests/fixtures/seed.txt)


@pytest.fixture(scope="module", params=["with article", "without article"])
def seed(request: pytest.FixtureRequest) -> Inference:
    article, bodies = read_raw(FIXTURES / "seed.txt")
    assert len(bodies) == 12
    return infer_replies(bodies, article=article if request.param == "with article" else "")


def test_seed_vocative_by_position_alone_links_no_one(seed: Inference) -> None:
    # 2024-07-11 "Alas, dear Gift, you paint …" probably answers 2024-07-04, the comment above, but
    # shares no word with it: position is no evidence (issue #14 round 3), and a wrong guess would
    # give that comment Gift's name. Left to the editor (gloss review).
    assert seed.links[3] == ReplyLink(None, None)
    assert "Gift" not in seed.authors


def test_seed_paraphrase_names_kimberly(seed: Inference) -> None:
    # 2024-07-31 "While Kimberly waxes lyrical about the chessboard …" answers 2024-06-25.
    assert seed.links[6] == ReplyLink(1, "mention")
    assert seed.authors[1] == "Kimberly"


def test_seed_indeed_sai(seed: Inference) -> None:
    # 2024-09-04 "Indeed, SAI, your call for coordinated interdiction …" answers 2024-08-28.
    assert seed.links[11] == ReplyLink(10, "vocative")
    assert seed.authors[10] == "SAI"


@pytest.mark.parametrize("index", [0, 1, 2, 4, 7, 8])
def test_seed_top_level_comments_stay_top_level(seed: Inference, index: int) -> None:
    # Includes "Putin, shackled by sanctions, …" (7) and 1 ↔ 7 sharing "hermit kingdom".
    assert seed.links[index] == ReplyLink(None, None)


def test_seed_names_no_one_else(seed: Inference) -> None:
    assert [a for a in seed.authors if a] == ["Kimberly", "SAI"]


# ---------------------------------------------------------------------------------------
# Every addressing style of docs/design.md §2 in one small thread


def test_each_addressing_style() -> None:
    bodies = [
        "The harbour report says the dredging will take three years and cost 40 million.",
        "Dredging is pointless while silt keeps coming down the river from the quarry upstream.",
        "That is not what the report says, Ruth. Page 12 puts the cost at 55 million, not 40.",
        "Bashir is right that the quarry upstream is the real problem.",
        "Dredging money would be better spent on the lifeboat station, which still has no slipway.",
        "Does anyone know where the new tide tables are published?",
        "@Lena the tide tables are on the port authority website, under notices.",
        "Replying to Omar: the lifeboat station got its slipway funding last spring.",
        "When you stare at the chessboard of harbour politics, every move looks like a gamble.",
        "While Kimberly waxes lyrical about the chessboard, the rest of us read the budget.",
    ]
    result = infer_replies(bodies)
    assert result.links == (
        ReplyLink(None, None),
        ReplyLink(None, None),
        ReplyLink(0, "vocative"),
        ReplyLink(1, "mention"),
        ReplyLink(None, None),
        ReplyLink(None, None),
        ReplyLink(5, "mention"),
        ReplyLink(4, "mention"),
        ReplyLink(None, None),
        ReplyLink(8, "mention"),
    )
    assert result.authors == ("Ruth", "Bashir", None, None, "Omar", "Lena", None, None, "Kimberly", None)


def test_capitalised_openers_and_public_figures_address_nobody() -> None:
    bodies = [
        "Moreover, Russia, choking on sanctions, sees a willing partner. You watch.",
        "Indeed, the summit was a farce.",
        "Yet Putin is right that the West overplayed its hand, you have to admit.",
        "Thus the talks collapsed in Geneva, Switzerland.",
        "Putin says the talks will resume. Putin, as ever, is bluffing.",
    ]
    result = infer_replies(bodies, article="Vladimir Putin met officials in Moscow.")
    assert result.links == (ReplyLink(None, None),) * 5
    assert result.authors == (None,) * 5


def test_a_quote_of_one_earlier_comment_links_without_a_name() -> None:
    bodies = [
        "The fare cap is a gimmick that the council cannot afford for long.",
        "Night buses are what the east side needs.",
        "“a gimmick that the council cannot afford” – they said the same about free school meals.",
        "“night buses are what” everyone says, and “the council cannot afford” is what everyone hears.",
    ]
    result = infer_replies(bodies)
    assert result.links[2] == ReplyLink(0, "quote")
    assert result.authors == (None,) * 4  # a quote does not tell who wrote it
    assert result.links[3].reply_to in (None, 0, 1)


def test_empty_and_single() -> None:
    assert infer_replies([]) == Inference((), (), (), (), ())
    single = infer_replies(["Zoë, you are right."])
    assert (single.links, single.authors, single.author_bases) == ((ReplyLink(None, None),), (None,), (None,))
    assert (single.evidence, single.author_evidence) == ((None,), (None,))


def test_names_and_links_carry_basis_and_evidence() -> None:
    bodies = [
        "The harbour report says the dredging will take three years and cost 40 million.",
        "That is not what the report says, Ruth. Page 12 puts the cost at 55 million, not 40.",
        "Bashir is right that the quarry upstream is the real problem.",
    ]
    result = infer_replies(bodies)
    assert result.authors[0] == "Ruth" and result.author_bases[0] == "vocative"
    assert result.author_evidence[0] == "c2: That is not what the report says, Ruth."
    assert result.evidence[1] == "That is not what the report says, Ruth."
    assert result.evidence[0] is None and result.author_bases[1:] == (None, None)


# ---------------------------------------------------------------------------------------
# Hand-labelled threads


# Comments whose label the algorithm must reproduce exactly (target *and* basis): explicit
# names, greetings, quotes, known authors, and the distractors that must stay top-level.
CERTAIN = {
    "transit": [2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    "summit": [0, 2, 3, 4, 5, 6, 8, 14, 15, 16],
    "sourdough": [2, 3, 4, 9, 10, 12],
    "derby": [c for c in range(14) if c not in (2, 11)],
    "library": [2, 3, 4, 5, 6, 7, 8, 10, 11, 14, 15, 16],
    "schools_ai": [1, 4, 5, 6, 7, 8, 10, 12, 13, 15, 16, 17],
    "plotwise": [2, 3, 5, 7, 8, 9, 10],
    "bronzes": [3, 5, 16],
    "festival": [2, 4, 8, 9, 14, 17, 18],
    "rents": [2, 3, 4, 5, 7, 8, 9, 11, 12, 14, 16, 17, 18],
}
# Not in CERTAIN since round 3 of issue #14, as the name they rely on is no longer given by position:
# derby c11 "José, …"; summit c12 "…, Aiyana." (still linked to c10, now on its wording: similarity).
# Back in it since part 6 (recall): derby c13 "Sí, Pilar, …" answers the question of the one Spanish
# comment just above; rents c14 "Source for the Barcelona figure, Marta?" asks about the one comment
# saying Barcelona (so c13 is Marta's, and c16 "Thanks, Marta, …" thanks her answer c15); transit c15
# "José, do you have a source for that?" challenges the comment it is under, as "Says who?" does.

# Labelled replies that only position (or a single shared word) points at: since issue #14 round 3
# they stay unlinked, as a careful reader could not be sure of them from the words ("@José same here"
# under a Spanish comment it shares no word with; "Aiyana, I think you are being too generous"). A
# missing link costs an editor's glance; a wrong one misleads.
POSITION_ONLY = {"derby": [2], "sourdough": [7], "summit": [11]}


@pytest.mark.parametrize("name", sorted(POSITION_ONLY))
def test_position_alone_links_nothing(name: str) -> None:
    article, bodies, links, _ = load(name)
    result = infer_replies(bodies, article=article)
    for index in POSITION_ONLY[name]:
        assert links[index].reply_to is not None  # labelled a reply ...
        assert result.links[index] == ReplyLink(None, None), f"{name} comment {index}"  # ... left to the editor


def test_certain_cases_cover_every_thread() -> None:
    assert sorted(CERTAIN) == THREADS


@pytest.mark.parametrize("name", THREADS)
def test_thread_certain_links(name: str) -> None:
    article, bodies, links, _ = load(name)
    result = infer_replies(bodies, article=article)
    for index in CERTAIN[name]:
        assert result.links[index] == links[index], f"{name} comment {index}: {bodies[index][:70]!r}"


@pytest.mark.parametrize("name", ALL_THREADS)
def test_thread_never_names_a_wrong_author(name: str) -> None:
    article, bodies, _, authors = load(name)
    result = infer_replies(bodies, article=article)
    for index, author in enumerate(result.authors):
        if author is not None:
            assert author == authors[index], f"{name} comment {index}"


def _score(names: list[str]) -> tuple[int, int, int]:
    """(links found, correct, labelled) over these threads, printed per thread."""
    found = correct = wanted = 0
    for name in names:
        article, bodies, links, _ = load(name)
        result = infer_replies(bodies, article=article)
        pairs = list(zip(result.links, links, strict=True))
        t_found = sum(1 for got, _ in pairs if got.reply_to is not None)
        t_correct = sum(1 for got, want in pairs if got.reply_to is not None and got.reply_to == want.reply_to)
        t_wanted = sum(1 for _, want in pairs if want.reply_to is not None)
        print(f"{name:12} links found {t_found:2}, correct {t_correct:2}, labelled {t_wanted:2}")
        found, correct, wanted = found + t_found, correct + t_correct, wanted + t_wanted
    return found, correct, wanted


# The gate. Precision is a promise on every labelled thread: a wrong link is worse than a missing
# one. Recall is held to what the inference reaches now (raise it as it improves). The bar
# was 0.92 on the first ten; round 3 of issue #14 gave up position guesses and one-word corroboration,
# which were wrong on a third blind set, so the first ten fell from 94/99 to 86/99 (see CHANGELOG.md).
# Part 6 (recall, no position guesses) raised the first ten to 90/99; the nine left have no honest
# evidence in their words (see CHANGELOG.md).
FIRST_TEN_RECALL = 90 / 99  # was 86
HARD_RECALL = 23 / 33  # was 22
ALL_RECALL = 113 / 132  # was 109


def test_precision_and_recall_over_all_threads() -> None:
    totals = {}
    for label, names in (("first ten", THREADS), ("hard five", HARD_THREADS), ("all fifteen", ALL_THREADS)):
        found, correct, wanted = totals[label] = _score(names)
        print(f"{label}: precision {correct / found:.3f} ({correct}/{found}), "
              f"recall {correct / wanted:.3f} ({correct}/{wanted})")
    found, correct, _ = totals["all fifteen"]
    assert correct == found  # precision 1.00 on all fifteen
    _, correct, wanted = totals["first ten"]
    assert correct / wanted >= FIRST_TEN_RECALL
    _, correct, wanted = totals["hard five"]
    assert correct / wanted >= HARD_RECALL
    _, correct, wanted = totals["all fifteen"]
    assert correct / wanted >= ALL_RECALL


# The traps the hard threads set, each with the wrong link the inference used to make. When two
# earlier comments could be meant, neither is linked.
TRAPS = [
    ("ferry", 5, 0, "two Sams: 'Sam is right that August …' is not about the first Sam's comment"),
    ("ferry", 9, 0, "two Sams: once a second one shows, 'Sam, …' points at no one in particular"),
    ("ferry", 7, 2, "'@Lena where did the eight come from': two comments count eight passengers"),
    ("beachparking", 4, 1, "'…, Orla.' answers her unnamed 'I do' reply, not her first comment"),
    ("allotments", 6, 5, "'Thanks, Grace' may answer the open question above the latest comment"),
    ("allotments", 9, 5, "'Grace, …' after the thanks went nowhere"),
]


@pytest.mark.parametrize(("name", "index", "wrong", "why"), TRAPS)
def test_hard_thread_traps(name: str, index: int, wrong: int, why: str) -> None:
    article, bodies, links, _ = load(name)
    got = infer_replies(bodies, article=article).links[index].reply_to
    assert got != wrong, why
    assert got in (None, links[index].reply_to), why


def test_an_address_deep_in_a_comment() -> None:
    bodies = [
        "LED street lights are far brighter and the blue light keeps people awake. Ask anyone on Mill Street.",
        "I walk home from the late shift and the new lights make me feel a lot safer.",
        "Glad to hear it. I cycle that way too, so thank you, Nadia, for saying it out loud.",
        "Warm-white units exist now. Our road got them last year. And honestly, Priya, Mill Street "
        "got the cheap cold ones with the blue light.",
    ]
    result = infer_replies(bodies)
    # Thanks mid-sentence is a direct address, but nothing in it says which comment Nadia's is: the
    # one above is only a position guess, so no link and no name (issue #14 round 3).
    assert result.links[2] == ReplyLink(None, None)
    assert result.links[3] == ReplyLink(0, "vocative")  # third sentence: linked on shared wording ...
    assert result.authors == (None, None, None, None)  # ... but naming no one


def test_author_precision_over_all_threads() -> None:
    named = right = 0
    for name in ALL_THREADS:
        article, bodies, _, authors = load(name)
        result = infer_replies(bodies, article=article)
        for got, want in zip(result.authors, authors):
            if got is not None:
                named += 1
                right += got == want
    print(f"authors: precision {right}/{named}")
    assert named > 0 and right == named


def test_results_do_not_depend_on_hash_seed() -> None:
    script = (
        "import json, sys\n"
        "sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests']\n"  # tests/ too: budget.py
        "from tests.test_replies import ALL_THREADS, load\n"
        "from generator.importing.replies import infer_replies\n"
        "out = {}\n"
        "for name in ALL_THREADS:\n"
        "    article, bodies, _, _ = load(name)\n"
        "    r = infer_replies(bodies, article=article)\n"
        "    out[name] = [[l.reply_to, l.basis] for l in r.links], list(r.authors)\n"
        "print(json.dumps(out, sort_keys=True))\n"
    )
    root = str(Path(__file__).resolve().parent.parent)
    runs = []
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script, root], env=env, cwd=root,
                              capture_output=True, text=True, check=True, timeout=300)
        runs.append(done.stdout)
    assert runs[0] == runs[1]


# ---------------------------------------------------------------------------------------
# Properties on arbitrary input

_PIECES = [
    "Indeed,", "Alas,", "dear", "Zoë", "José", "Nguyễn", "SAI", "Putin", "Moscow", "@Lena", "@",
    "Replying to", "Omar:", "is right that", "While", "waxes lyrical about", "you", "your", "I",
    ",", ".", "?", "!", "“", "”", '"', "…", "...", "> ", "\n\n", "the chessboard", "Yes,", "Not yet.",
    "Because", "why", "Pour", "Amélie :", "‑", "Thanks,", "Ruth.", "—", "_", "**", "’s point",
    "here", "— Margaret", "\nTom, Plymouth", "(Exeter)", "I'm", "a different", "Small,", "Will,",
]
_comment = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(_PIECES), max_size=25).map(" ".join),
    st.lists(st.sampled_from(_PIECES), max_size=25).map("".join),
)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(_comment, max_size=12), article=st.one_of(st.just(""), _comment))
def test_inference_is_total_and_well_formed(bodies: list[str], article: str) -> None:
    result = infer_replies(bodies, article=article)
    assert len(result.links) == len(result.authors) == len(bodies)
    for index, link in enumerate(result.links):
        assert (link.reply_to is None) == (link.basis is None)
        assert link.reply_to is None or 0 <= link.reply_to < index
        assert link.basis in (None, "vocative", "mention", "quote", "similarity")
        assert (link.reply_to is None) == (result.evidence[index] is None)
    for author, basis, evidence in zip(result.authors, result.author_bases, result.author_evidence, strict=True):
        assert (author is None) == (basis is None) == (evidence is None)
        assert basis in (None, "vocative", "mention", "signature", "introduction")
    for author in result.authors:
        assert author is None or (isinstance(author, str) and author.strip() == author and author)
    assert infer_replies(list(bodies), article=article) == result  # deterministic


# ---------------------------------------------------------------------------------------
# Scale: work, not time (timings live in bench/import_bench.py)


@pytest.mark.slow  # thousands of comments at two sizes: CI runs it, the fast loop does not
def test_inference_work_grows_near_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Comment-to-comment comparisons at 1,600 comments are at most 4x those at 400: linear.

    Comparing each comment with every earlier one (as the importer did before the overlap index)
    does 16x; the index does about 3x (fewer comments each, as the rare items get commoner).
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from import_bench import make_dump  # the benchmark's realistic synthetic dumps

    from generator.importing import overlap
    from generator.importing.importer import split_raw

    calls = [0]
    original = overlap.Overlap.sim

    def counting(self: overlap.Overlap, i: int, j: int, focus: frozenset[str]) -> tuple[float, float]:
        calls[0] += 1
        return original(self, i, j, focus)

    monkeypatch.setattr(overlap.Overlap, "sim", counting)
    work = []
    for size in (400, 1600):
        document = split_raw(make_dump(size).decode("utf-8"), "bench.txt")
        calls[0] = 0
        infer_replies(["\n\n".join(c.paragraphs) for c in document.comments], article="\n".join(document.paragraphs))
        work.append(calls[0])
    print(f"comparisons: {work[0]} at 400 comments, {work[1]} at 1,600")
    assert work[0] > 100 and work[1] <= 4 * work[0]


# ---------------------------------------------------------------------------------------
# The wording-only rules, one small thread each (tests/fixtures/replies-rules/cases.json): what each
# must link, and the look-alikes it must leave alone.

_RULES = json.loads((FIXTURES / "replies-rules" / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", sorted(k for k in _RULES if not k.startswith("_")))
def test_wording_rule(case: str) -> None:
    bodies = _RULES[case]["bodies"]
    want = [ReplyLink(None, None) if link is None else ReplyLink(*link) for link in _RULES[case]["links"]]
    result = infer_replies(bodies, article=_RULES[case].get("article", ""))
    assert list(result.links) == want
    if "authors" in _RULES[case]:  # where a case says who wrote what: each name given or withheld
        assert list(result.authors) == _RULES[case]["authors"]
    for index, link in enumerate(result.links):
        if link.reply_to is not None:  # each link shows the words that led to it, for gloss review
            assert result.evidence[index]
