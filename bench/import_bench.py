"""How long ``gloss import`` takes as a dump grows: 2,000 comments, 20,000 (about 10 MB), and between.

    python bench/import_bench.py                      # 500, 1000, 2000, 5000, 20000 comments, 3 runs each
    python bench/import_bench.py --sizes 2000 --runs 5
    python bench/import_bench.py --sizes 2000 --runs 1 --profile 25   # and where the time goes

The dumps are made, deterministically (``--seed``), from the sentences of the hand-labelled
threads in ``tests/fixtures/replies``, so they read like real discussions: comments of two to five
sentences, about a third opening by addressing an earlier commenter ("Ruth, …", "@Omar", "Thanks,
Lena."), some naming one ("As Bashir said, …"), some quoting an earlier comment. Names come from a
pool that grows with the thread, so a long thread has many readers, not ten readers writing
thousands of comments.

Each size is imported with :func:`generator.importing.importer.import_raw` (decoding, splitting,
reply inference, writing the content text: everything but the disk and the interpreter's start),
each run in a fresh process so no cache carries over, and timed both by the wall clock and by
the process's CPU time (on a shared, loaded machine the CPU time is the fairer figure). The
medians are printed with the growth ratio of the CPU time to the previous size (a linear
importer shows a ratio close to the size ratio). Nothing here is a test: figures are
reported, never asserted. Run it on an idle machine (``bench/README.md``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
from itertools import cycle
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


_STAMP = re.compile(r"^\s*[A-Za-z]{3,9}\.? \d{1,2},? \d{4},? at \d{1,2}:\d{2}(?: ?[ap]m)?\s*$", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NAMES = (
    "Ruth Omar Lena Bashir Kimberly Gift Zoë José Pilar Tomás Dani Niamh Priya Wei Yusuf Amélie Hervé "
    "Lukas Radek Tamsin Chidi Aiyana Ines Marta Kofi Sven Aoife Malik Hana Jonas Farah Ibrahim Noor Tariq "
    "Eamon Greta Milan Sofia Arjun Leila Mateo Yara Oskar Freya Rohan Elif Tobias Mina Dmitri Anouk"
).split()


def _sentences() -> list[str]:
    """Every sentence of every comment of the labelled threads, without names at the start."""
    found: list[str] = []
    for path in sorted((ROOT / "tests" / "fixtures" / "replies").glob("*.txt")):
        in_comments = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if _STAMP.match(line):
                in_comments = True
            elif in_comments and line.strip():
                found += [s for s in _SENTENCE.split(line.strip()) if len(s.split()) >= 4]
    return found


def _vocabulary(sentences: list[str], rng: random.Random) -> tuple[list[str], list[float]]:
    """Content words with Zipf weights: the threads' own words by frequency, then invented ones.

    Real discussions share their everyday words and rarely their rare ones; sentences copied
    whole would make every comment resemble dozens of others, which no real thread does.
    """
    counts: dict[str, int] = {}
    for sentence in sentences:
        for word in re.findall(r"[a-z]{4,}", sentence):
            counts[word] = counts.get(word, 0) + 1
    words = sorted(counts, key=lambda w: (-counts[w], w))
    syllables = ["ka", "lo", "mer", "tin", "sa", "dor", "vel", "qui", "ran", "bo", "te", "ly", "nus", "per"]
    while len(words) < 60_000:
        words.append("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return words, [1.0 / (rank + 10) for rank in range(len(words))]


def make_dump(comments: int, seed: int = 1) -> bytes:
    """A raw dump with ``comments`` comments (UTF-8 bytes), about 500 bytes each."""
    rng = random.Random(seed)
    real = _sentences()
    vocabulary, weights = _vocabulary(real, rng)
    # Real sentences keep the grammar (function words, questions, clauses); most content words are
    # redrawn from the Zipf vocabulary, so no two comments share whole sentences.
    draws = cycle(rng.choices(vocabulary, weights, k=comments * 90))

    def sentence() -> str:
        return re.sub(r"\b[a-z]{4,}\b", lambda m: next(draws) if rng.random() < 0.8 else m.group(),
                      rng.choice(real))

    sentences = [sentence]
    names = [f"{n}" if i < len(_NAMES) else f"{n} {chr(65 + i // len(_NAMES) % 26)}."
             for i, n in enumerate(_NAMES * 40)]
    lines = ["The harbour board voted on Tuesday to publish the ferry timetable a month earlier.",
             "Readers argued about it for weeks; this is their discussion."]
    bodies: list[str] = []
    for index in range(comments):
        text = " ".join(sentences[0]() for _ in range(rng.randint(4, 9)))
        pool = names[: max(10, min(len(names), 10 + index // 20))]
        roll = rng.random()
        if bodies and roll < 0.15:
            text = f"{rng.choice(pool)}, {text[0].lower()}{text[1:]}"
        elif bodies and roll < 0.22:
            text = f"@{rng.choice(pool).split()[0]} {text}"
        elif bodies and roll < 0.30:
            text = f"Thanks, {rng.choice(pool)}. {text}"
        elif bodies and roll < 0.36:
            text = f"As {rng.choice(pool)} said, {text[0].lower()}{text[1:]}"
        elif bodies and roll < 0.40:
            earlier = rng.choice(bodies[-50:]).split()
            start = rng.randrange(max(1, len(earlier) - 6))
            text = f"“{' '.join(earlier[start:start + 6])}” {text}"
        bodies.append(text)
        minute = 60 * 8 + index
        day = 1 + minute // (24 * 60) % 28
        month = 1 + minute // (28 * 24 * 60) % 12
        lines.append(f"{['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]} "
                     f"{day}, 2024 at {minute // 60 % 24}:{minute % 60:02d}")
        lines.append(text)
    return ("\n".join(lines) + "\n").encode("utf-8")


_TIMED = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from generator.importing.importer import import_raw
data = open(sys.argv[2], "rb").read()
wall, cpu = time.perf_counter(), time.process_time()
import_raw(data, "bench.txt", source="bench.txt", date="2024-01-01")
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""


_PROFILED = """
import cProfile, pstats, sys
sys.path.insert(0, sys.argv[1])
from generator.importing.importer import import_raw
data = open(sys.argv[2], "rb").read()
profile = cProfile.Profile()
profile.runcall(import_raw, data, "bench.txt", source="bench.txt", date="2024-01-01")
pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(r"importing", int(sys.argv[3]))
"""


def profile_import(data: bytes, top: int) -> str:
    """cProfile's table of the importer's ``top`` functions by cumulative time, for one import.

    cProfile roughly doubles the time of many small calls: read the table for where time goes,
    the timed runs for how much there is.
    """
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "bench.txt"
        dump.write_bytes(data)
        return subprocess.run([sys.executable, "-c", _PROFILED, str(ROOT), str(dump), str(top)], check=True,
                              capture_output=True, text=True).stdout


def time_import(data: bytes, runs: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of ``runs`` imports, each in a fresh process (cold caches)."""
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "bench.txt"
        dump.write_bytes(data)
        times = [json.loads(subprocess.run([sys.executable, "-c", _TIMED, str(ROOT), str(dump)], check=True,
                                           capture_output=True, text=True).stdout) for _ in range(runs)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                        default=[500, 1000, 2000, 5000, 20000], help="comment counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (the median is reported)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="also write the figures as JSON")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also print the importer's N costliest functions (cProfile, cumulative) per size")
    args = parser.parse_args(argv)
    rows = []
    previous: tuple[int, float] | None = None
    print(f"{'comments':>9} {'MB':>6} {'wall s':>7} {'CPU s':>7} {'growth':>7}  (size ratio)")
    for size in args.sizes:
        data = make_dump(size, args.seed)
        wall, cpu = time_import(data, args.runs)
        growth = f"{cpu / previous[1]:7.2f}  ({size / previous[0]:.1f}x)" if previous else ""
        print(f"{size:>9} {len(data) / 1e6:>6.2f} {wall:>7.2f} {cpu:>7.2f} {growth}", flush=True)
        rows.append({"comments": size, "bytes": len(data), "wall_seconds": round(wall, 3),
                     "cpu_seconds": round(cpu, 3), "runs": args.runs})
        previous = (size, cpu)
        if args.profile:
            print(profile_import(data, args.profile), flush=True)
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
