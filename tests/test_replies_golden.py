"""Reply inference's full output, pinned: every labelled thread, the seed, and a synthetic long thread.

The precision/recall gate in ``tests/test_replies.py`` counts links; this file pins *everything*
(links, bases, names, evidence) so that a change meant only to make the inference faster is seen
to change nothing. The expected output is ``tests/fixtures/replies-golden.json``; after an
intended change to the inference, rewrite it with ``GLOSS_UPDATE_GOLDEN=1`` and read the diff.
The long thread (``bench/import_bench.py``'s 1,000-comment dump, beyond the overlap index's
all-pairs length) is pinned by a digest of its output and its link count.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from generator.importing.importer import split_raw
from generator.importing.replies import Inference, infer_replies
from tests.test_replies import ALL_THREADS, FIXTURES, load, read_raw

GOLDEN = FIXTURES / "replies-golden.json"


def _plain(result: Inference) -> dict[str, object]:
    """The inference as JSON-ready lists."""
    return {
        "links": [[link.reply_to, link.basis] for link in result.links],
        "authors": list(result.authors),
        "author_bases": list(result.author_bases),
        "evidence": list(result.evidence),
        "author_evidence": list(result.author_evidence),
    }


def _outputs() -> dict[str, object]:
    out: dict[str, object] = {}
    for name in ALL_THREADS:
        article, bodies, _, _ = load(name)
        out[name] = _plain(infer_replies(bodies, article=article))
    article, bodies = read_raw(FIXTURES / "seed.txt")
    out["seed"] = _plain(infer_replies(bodies, article=article))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from import_bench import make_dump

    document = split_raw(make_dump(1000).decode("utf-8"), "bench.txt")
    long = _plain(infer_replies(["\n\n".join(c.paragraphs) for c in document.comments],
                                article="\n".join(document.paragraphs)))
    digest = hashlib.sha256(json.dumps(long, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    links = long["links"]
    assert isinstance(links, list)
    out["bench-1000"] = {"sha256": digest, "links": sum(1 for target, _ in links if target is not None)}
    return out


def test_full_output_is_unchanged() -> None:
    got = _outputs()
    if os.environ.get("GLOSS_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(got) == sorted(want)
    for name in sorted(want):
        assert got[name] == want[name], name
