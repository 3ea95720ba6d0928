"""Incremental builds: whatever changed, a build with the cache gives the bytes a clean build gives.

Each step below changes the site the way an editor would (an article's body, a title, an added or
deleted article, a changed slug, a draft, a template, ``site.yaml``, an image, options), then builds
twice: with the build cache and state (``.gloss-cache``, the spare tree: the fast path), and from
nothing into another folder. The two outputs must be identical, files whose bytes did not change
must keep their inode and mtime, and the fast path must really have been taken (a step that
changes one article writes a handful of files, not the whole site). ``test_incremental_property.py``
draws random sequences of such edits.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from budget import FULL
from generator.build import parallel
from generator.build.pipeline import BuildOptions, BuildResult, build
from generator.build.state import load_state
from generator.build.write import spare_path
from generator.common.output_file import OutputFile
from generator.render.renderer import ListingPage, Renderer

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def serial_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast loop builds these 30-article sites without a worker pool; CI keeps the pool.

    Under ``pytest -n auto`` every core already runs a test, so a pool forked per build only adds
    CPU (about 40% more here, measured). What these tests check, incremental bytes == clean bytes,
    holds on either path, and CI (``budget.FULL``) runs them through the pool as a user's build does.
    """
    if not FULL:
        monkeypatch.setattr(parallel, "MIN_PARALLEL", 10**9)


def article(i: int, body: str = "", title: str | None = None, draft: bool = False, image: bool = False) -> str:
    picture = "\n![A map](images/map.png)\n" if image else ""
    return (
        f'---\ntitle: "{title or f"Report {i}"}"\nslug: "report-{i:02d}"\ndate: "2024-03-{i:02d}"\n'
        f'tags: ["council", "t{i % 3}"]\nsummary: "Report {i}."\ndraft: {str(draft).lower()}\n'
        f'notes:\n  f{i}:\n    body: "Checked against minutes {i}."\n    verdict: "Accurate"\n'
        f"comments:\n  - id: c1\n    date: \"2024-03-{i:02d}T10:00\"\n    author: Ada\n    reply_to: null\n"
        f"    reply_basis: null\n    body: |-\n      Is that right?\n---\n"
        f"Paragraph of report {i}: [the council met {i} times]{{.fact #f{i}}}.\n{picture}{body}\n"
    )


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000000030101000518d84e0000000049454e44ae426082"
)


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def contents(root: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _, _) in snapshot(root).items()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "images").mkdir(parents=True)
    (root / "content" / "images" / "map.png").write_bytes(PNG)
    for i in range(1, 31):
        (root / "content" / f"report-{i:02d}.md").write_text(article(i, image=i == 3), encoding="utf-8")
    (root / "site.yaml").write_text('title: "Desk"\nbase_url: "https://example.org/desk/"\n', encoding="utf-8")
    return root


def incremental(root: Path, **options: object) -> BuildResult:
    return build(BuildOptions(root=root, content=root / "content", output=root / "output",
                              cache=root / ".gloss-cache", **options))  # type: ignore[arg-type]


def clean(root: Path, target: Path, **options: object) -> dict[str, bytes]:
    shutil.rmtree(target, ignore_errors=True)
    build(BuildOptions(root=root, content=root / "content", output=target, **options))  # type: ignore[arg-type]
    return contents(target)


def edit(root: Path, name: str, change: Callable[[str], str]) -> None:
    path = root / "content" / name
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


STEPS: list[tuple[str, Callable[[Path], None], int | None]] = [
    # (what, change, most files the incremental build may write; None: no limit)
    ("nothing", lambda r: None, 0),
    ("body of an old article", lambda r: edit(r, "report-01.md", lambda t: t + "\nA new closing line.\n"), 1),
    ("body of a feed article", lambda r: edit(r, "report-30.md", lambda t: t + "\nAnother line.\n"), 2),
    ("title", lambda r: edit(r, "report-05.md", lambda t: t.replace('"Report 5"', '"Report five"')), None),
    ("verdict", lambda r: edit(r, "report-07.md", lambda t: t.replace('"Accurate"', '"Outdated"')), None),
    ("new article", lambda r: (r / "content" / "report-31.md").write_text(article(31), encoding="utf-8"), None),
    ("deleted article", lambda r: (r / "content" / "report-02.md").unlink(), None),
    ("changed slug", lambda r: edit(r, "report-04.md", lambda t: t.replace('"report-04"', '"fourth"')), None),
    ("draft", lambda r: edit(r, "report-06.md", lambda t: t.replace("draft: false", "draft: true")), None),
    ("draft edited", lambda r: edit(r, "report-06.md", lambda t: t + "\nStill a draft.\n"), 0),
    ("image changed", lambda r: (r / "content" / "images" / "map.png").write_bytes(PNG + b"\0"), None),
    ("image added", lambda r: (r / "content" / "images" / "new.png").write_bytes(PNG + b"\1"), 1),
    ("template", lambda r: (r / "templates").mkdir() or shutil.copy(
        REPO_ROOT / "templates" / "base.html", r / "templates" / "base.html"), 0),
    ("template edited", lambda r: (r / "templates" / "base.html").write_text(
        (r / "templates" / "base.html").read_text() + "<!-- edited -->\n"), None),
    ("template removed", lambda r: shutil.rmtree(r / "templates"), None),
    ("site.yaml", lambda r: (r / "site.yaml").write_text('title: "The Desk"\n', encoding="utf-8"), None),
    ("back to the first body", lambda r: edit(r, "report-01.md", lambda t: t.replace("\nA new closing line.\n", "")), 1),
]


def test_every_kind_of_change_builds_what_a_clean_build_builds(site: Path, tmp_path: Path) -> None:
    incremental(site)
    assert spare_path(site / "output").exists() is False  # the first build has no old tree to keep
    before = snapshot(site / "output")
    for step, (what, change, limit) in enumerate(STEPS):
        change(site)
        result = incremental(site)
        after = snapshot(site / "output")
        # CI compares every step with a clean build; the fast loop every third step and the last (a clean
        # build is most of a step's time; the write counts and kept files below are checked at every step).
        if FULL or step % 3 == 0 or step == len(STEPS) - 1:
            assert contents(site / "output") == clean(site, tmp_path / "clean"), what
        for rel, (data, ino, mtime) in after.items():
            if rel in before and before[rel][0] == data:
                assert (ino, mtime) == before[rel][1:], f"{what}: {rel} kept its bytes but not its file"
        changed = sum(1 for rel, value in after.items() if before.get(rel, (None,))[0] != value[0])
        assert result.stats.written == changed, what
        if limit is not None:
            assert result.stats.written <= limit, (what, result.stats)
        before = after


# (what, edit, listing outputs it must render, listing outputs it must leave alone): a listing page is
# rendered again only when a summary field it reads changed (build/field_reads.py, ListingPage.reads,
# feeds.FEED_READS). report-25 is on index.html and in the feed, report-07 on page/2/ and not; both
# carry the tags council and t1 and one fact check marked Accurate.
UNREAD = ("sitemap.xml", "tags/index.html", "search/index.html", "404.html", "robots.txt", "tags/t0/index.html")
FIELD_EDITS: list[tuple[str, Callable[[Path], None], set[str], set[str]]] = [
    ("a note's text", lambda r: edit(r, "report-25.md", lambda t: t.replace("minutes 25.", "minutes 25, twice.")),
     {"index.html", "tags/council/index.html", "tags/t1/index.html", "claims/index.html",
      "claims/fact/index.html", "claims/verdict/accurate/index.html"},
     {"feed.xml", "page/2/index.html", *UNREAD}),
    ("a summary", lambda r: edit(r, "report-25.md", lambda t: t.replace('"Report 25."', '"Twenty-five."')),
     {"index.html", "tags/council/index.html", "tags/t1/index.html", "feed.xml"},
     {"claims/index.html", "claims/fact/index.html", "page/2/index.html", *UNREAD}),
    ("an extra: field", lambda r: edit(r, "report-25.md", lambda t: t.replace(
        "draft: false\n", 'draft: false\nextra:\n  kicker: "Exclusive"\n')),
     set(), {"index.html", "tags/council/index.html", "claims/index.html", "feed.xml", *UNREAD}),
    ("a verdict", lambda r: edit(r, "report-07.md", lambda t: t.replace('"Accurate"', '"Outdated"')),
     {"page/2/index.html", "tags/council/index.html", "tags/t1/index.html", "claims/index.html",
      "claims/verdict/accurate/index.html", "claims/verdict/outdated/index.html"},
     {"index.html", "feed.xml", *UNREAD}),
    ("a tag", lambda r: edit(r, "report-25.md", lambda t: t.replace('"t1"]', '"harbour"]')),
     {"tags/index.html", "tags/t1/index.html", "tags/harbour/index.html", "tags/council/index.html", "feed.xml",
      "sitemap.xml"},
     {"index.html", "claims/index.html", "claims/fact/index.html", "page/2/index.html", "search/index.html",
      "404.html", "robots.txt", "tags/t0/index.html"}),
    ("a title", lambda r: edit(r, "report-07.md", lambda t: t.replace('"Report 7"', '"Report seven"')),
     {"page/2/index.html", "tags/council/index.html", "tags/t1/index.html", "claims/index.html",
      "claims/fact/index.html"},
     {"index.html", "feed.xml", *UNREAD}),
]


@pytest.mark.parametrize(("what", "change", "rendered", "alone"), FIELD_EDITS, ids=[e[0] for e in FIELD_EDITS])
def test_a_listing_is_rendered_again_only_when_a_field_it_reads_changed(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str, change: Callable[[Path], None],
    rendered: set[str], alone: set[str]
) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 10**9)  # rendered here, where the spies see it
    incremental(site)
    seen: list[str] = []
    real_listing, real_feed = Renderer.render_listing, Renderer.feed

    def listing(self: Renderer, page: ListingPage) -> OutputFile:
        seen.append(page.path)
        return real_listing(self, page)

    def feed(self: Renderer, contents: Mapping[str, str]) -> OutputFile:
        seen.append("feed.xml")
        return real_feed(self, contents)

    monkeypatch.setattr(Renderer, "render_listing", listing)
    monkeypatch.setattr(Renderer, "feed", feed)
    change(site)
    incremental(site)
    done = set(seen)
    assert rendered <= done, (what, sorted(rendered - done))
    assert not alone & done, (what, sorted(alone & done))
    assert contents(site / "output") == clean(site, tmp_path / "clean"), what


def test_a_one_article_edit_reuses_the_spare_tree(site: Path) -> None:
    incremental(site)
    edit(site, "report-10.md", lambda t: t + "\nOne.\n")
    incremental(site)  # the first swap: the old tree becomes the spare
    state = load_state(site / ".gloss-cache" / "state.bin")
    assert state is not None and state.spare is not None
    spare = spare_path(site / "output")
    assert snapshot(spare).keys() == state.spare.keys()
    edit(site, "report-10.md", lambda t: t + "\nTwo.\n")
    staging_seen: list[str] = []
    real_mkdir = Path.mkdir

    def spy(self: Path, *args: object, **kwargs: object) -> None:
        if ".output.staging-" in self.name:
            staging_seen.append(self.name)
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "mkdir", spy)
        result = incremental(site)
    assert staging_seen == [], "a one-article edit must not assemble a fresh tree"
    assert result.stats.written == 1 and result.stats.removed == 0


@pytest.mark.parametrize("damage", ["output file edited", "output file added", "output deleted",
                                    "spare file edited", "state garbage"])
def test_damage_outside_the_build_is_repaired(site: Path, tmp_path: Path, damage: str) -> None:
    incremental(site)
    edit(site, "report-10.md", lambda t: t + "\nOne.\n")
    incremental(site)
    expected = clean(site, tmp_path / "clean")
    output = site / "output"
    if damage == "output file edited":
        page = output / "articles" / "report-09" / "index.html"
        data = page.read_bytes()
        page.write_bytes(data.replace(b"Report 9", b"Report X"))
    elif damage == "output file added":
        (output / "articles" / "stray.html").write_bytes(b"<p>stray</p>")
    elif damage == "output deleted":
        shutil.rmtree(output)
    elif damage == "spare file edited":
        page = spare_path(output) / "articles" / "report-09" / "index.html"
        page.write_bytes(page.read_bytes().replace(b"Report 9", b"Report Y"))
    else:
        (site / ".gloss-cache" / "state.bin").write_bytes(b"GLOSS-STATE\x01" + os.urandom(64))
    incremental(site)
    assert contents(output) == expected
    edit(site, "report-11.md", lambda t: t + "\nTwo.\n")
    incremental(site)
    assert contents(output) == clean(site, tmp_path / "clean")


def test_same_size_edit_right_after_a_build_is_seen(site: Path) -> None:
    """A file changed within the timestamp tick of the previous scan, size and mtime restored."""
    incremental(site)
    path = site / "content" / "report-12.md"
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Report 12.", "Report XY."), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    result = incremental(site)
    assert result.stats.written >= 1
    assert "Report XY." in (site / "output" / "index.html").read_text(encoding="utf-8")


def test_options_change_is_a_full_build(site: Path, tmp_path: Path) -> None:
    incremental(site)
    incremental(site, drafts=True)
    assert contents(site / "output") == clean(site, tmp_path / "clean", drafts=True)
    incremental(site, base_url="https://example.com/other/")
    assert contents(site / "output") == clean(site, tmp_path / "clean", base_url="https://example.com/other/")


def test_same_size_edit_with_mtime_set_back_is_seen(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit of the same size whose mtime is restored later (``touch -r``): the ctime still moved."""
    import generator.build.inputs as inputs

    monkeypatch.setattr(inputs, "RACY_NS", 0)  # no file counts as just written: only the stamps decide
    path = site / "content" / "report-12.md"
    incremental(site)
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Report 12.", "Report XY."), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)
    incremental(site)
    assert "Report XY." in (site / "output" / "index.html").read_text(encoding="utf-8")


def test_empty_base_url_is_not_site_yaml_base_url(site: Path, tmp_path: Path) -> None:
    """``--base-url ''`` (no absolute URLs) after a build with site.yaml's base_url is another site."""
    incremental(site)
    assert "https://example.org/desk/" in (site / "output" / "feed.xml").read_text(encoding="utf-8")
    incremental(site, base_url="")
    assert contents(site / "output") == clean(site, tmp_path / "clean", base_url="")
    assert "https://example.org/desk/" not in (site / "output" / "feed.xml").read_text(encoding="utf-8")


def test_builds_of_one_site_wait_for_each_other(site: Path) -> None:
    """``gloss serve`` and ``gloss build`` side by side: the second build waits for the first."""
    import fcntl
    import subprocess
    import sys
    import time

    incremental(site)
    edit(site, "report-10.md", lambda t: t + "\nOne.\n")
    fd = os.open(site, os.O_RDONLY)  # what a running build holds: a lock on the folder of output/
    fcntl.flock(fd, fcntl.LOCK_EX)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-m", "generator", "build", "--no-search"], cwd=site, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    assert child.poll() is None, "the build did not wait for the lock"
    # Changed while the lock is held: a build that waited sees this edit too.
    edit(site, "report-11.md", lambda t: t + "\nTwo.\n")
    os.close(fd)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert time.monotonic() - started >= 1.5
    assert "Two." in (site / "output" / "articles" / "report-11" / "index.html").read_text(encoding="utf-8"), out
