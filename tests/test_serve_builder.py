"""``gloss serve`` builds in a process forked before its threads (``preview/builder.py``), so a
build of many articles uses the worker pool (every core), which a build in the watcher thread
cannot: forking is unsafe once a process has threads (``build/parallel.py`` refuses)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "tests" / "fixtures" / "sites" / "small"

# Runs in a fresh process (pytest's own may have threads): a Builder, then a thread as serve has,
# then a build of 30 articles; reports whether the article stage ran on the pool.
SCRIPT = """
import sys, threading
from pathlib import Path
import generator.build.pipeline as pipeline
from generator.build.options import BuildOptions
from generator.preview.builder import Builder

original = pipeline.ordered_map
def spy(task, count, done=None):
    results = original(task, count, done)
    if count >= 24:  # the article stage (the listings are fewer)
        Path("pool-used").write_text(str(results is not None))
    return results
pipeline.ordered_map = spy

builder = Builder(BuildOptions(root=Path("."), content=Path("content"), output=Path("output"), search=False), False)
stop = threading.Event()
threading.Thread(target=stop.wait, daemon=True).start()  # serve's watcher and HTTP threads
outcome = builder.build()
builder.close()
stop.set()
print(outcome.result.articles if outcome.result else outcome.gloss_errors())
"""


def test_serve_builds_use_the_worker_pool(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SMALL, site)
    article = next((site / "content").glob("harbour-bridge.md")).read_text(encoding="utf-8")
    for i in range(30):
        (site / "content" / f"copy-{i}.md").write_text(
            article.replace('slug: "harbour-bridge"', f'slug: "copy-{i}"'), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    r = subprocess.run([sys.executable, "-c", SCRIPT], cwd=site, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.split()[-1]) >= 30, r.stdout  # the site's articles and the 30 copies
    assert (site / "pool-used").read_text() == "True"
