"""The sharded search index (generator/build/search.py): shard planning, re-indexing one shard per
edit, byte-identical rebuilds, and a Chromium search across shards under a sub-path.

Real Pagefind runs here (the test group installs ``pagefind[bin]``). A small site gets several
shards by lowering ``search.SHARD_PAGES`` for the test; the build runs in this process (and its
pool's forks), so the patched value is the one used.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import generator.build.search as search
from generator.build.pipeline import BuildOptions, build
from generator.build.search import BUNDLE, MANIFEST, plan_shards, shard_count, shard_of
from test_site import chromium, open_page, write_site  # noqa: F401  (chromium: a fixture)

WORDS = ("marmalade", "quokka", "zeppelin", "tambourine", "obsidian", "gondola", "periwinkle", "harpsichord",
         "cardamom")
"""One made-up-for-the-test word per generated article (its only occurrence on the site)."""

SLUGS = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)


def pages_of(slugs: set[str]) -> list[str]:
    return [f"articles/{slug}/index.html" for slug in sorted(slugs)]


# --------------------------------------------------------------------------- planning


@given(st.sets(SLUGS, max_size=300))
def test_every_page_is_in_exactly_one_shard_of_bounded_size(slugs: set[str]) -> None:
    pages = pages_of(slugs)
    shards = plan_shards(pages)
    count = shard_count(len(pages))
    assert count & (count - 1) == 0 and len(pages) <= count * search.SHARD_PAGES
    assert count == 1 or len(pages) > count // 2 * search.SHARD_PAGES  # the least such power of two
    assert sorted(p for s in shards for p in s.pages) == sorted(pages)
    assert not shards or shards[0].folder == BUNDLE
    assert all(s.folder == f"{BUNDLE}/shard-{s.number:02d}" for s in shards[1:])
    assert all(s.pages for s in shards) and (not shards) == (not pages)
    for shard in shards:
        assert all(shard_of(p, count) == shard.number for p in shard.pages)


@given(st.sets(SLUGS, min_size=1, max_size=200), SLUGS)
def test_adding_a_page_moves_no_other_page_while_the_count_holds(slugs: set[str], new: str) -> None:
    before = {p: s.number for s in plan_shards(pages_of(slugs)) for p in s.pages}
    after = {p: s.number for s in plan_shards(pages_of(slugs | {new})) for p in s.pages}
    if shard_count(len(after)) == shard_count(len(before)):
        assert all(after[p] == n for p, n in before.items())


def test_the_manifest_names_the_secondary_bundles() -> None:
    shards = plan_shards(pages_of({f"a{i}" for i in range(3 * search.SHARD_PAGES)}))
    data = search.manifest(shards)
    assert data.path == MANIFEST
    names = [s.folder.removeprefix(BUNDLE + "/") + "/" for s in shards[1:]]
    assert data.data == ('{"shards":[' + ",".join(f'"{n}"' for n in names) + "]}\n").encode()


# --------------------------------------------------------------------------- builds


def write_sharded_site(root: Path, count: int = len(WORDS)) -> Path:
    """The test_site generator's articles, each with one word of its own, plus the seed article."""
    write_site(root, count=count)
    for i in range(1, count + 1):
        path = root / "content" / f"report-{i:02d}.md"
        text = path.read_text(encoding="utf-8").replace("Belousov is not mentioned.", f"A {WORDS[i - 1]} appears.")
        path.write_text(text, encoding="utf-8")
    shutil.copy(Path(__file__).parent.parent / "content" / "putin-north-korea-visit.md", root / "content")
    return root


def build_at(root: Path, output: Path, cache: bool = False) -> Path:
    """A build with search; with ``cache``, incremental as ``gloss build`` (state in the site root)."""
    build(BuildOptions(root=root, content=root / "content", output=output, search=True,
                       cache=root / ".gloss-cache" if cache else None))
    return output


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def small_shards(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Two pages a shard; answers the folders of the shards Pagefind indexes, in call order."""
    monkeypatch.setattr(search, "SHARD_PAGES", 2)
    indexed: list[str] = []
    real = search._index_shard

    def spy(site: Path, shard: search.Shard, binary: Path, scratch: Path, language: str) -> list[search.OutputFile]:
        indexed.append(shard.folder)
        return real(site, shard, binary, scratch, language)

    monkeypatch.setattr(search, "_index_shard", spy)
    return indexed


def identities(output: Path) -> dict[str, tuple[int, int]]:
    """Inode and mtime of every search file: a re-written file gets a new inode (write.py)."""
    return {rel: ((output / rel).stat().st_ino, (output / rel).stat().st_mtime_ns)
            for rel in tree(output) if rel.startswith(BUNDLE + "/")}


def test_an_edit_reindexes_only_its_shard_and_matches_a_clean_build(tmp_path: Path, small_shards: list[str]) -> None:
    root = write_sharded_site(tmp_path / "site")
    out = build_at(root, root / "output", cache=True)
    shards = plan_shards([p for p in tree(out) if search.indexed(p)])
    assert len(shards) >= 3 and sorted(small_shards) == sorted(s.folder for s in shards)
    assert {f"{s.folder}/pagefind-entry.json" for s in shards} <= set(tree(out))
    assert build_at(root, tmp_path / "clean") and tree(tmp_path / "clean") == tree(out)  # deterministic

    edited = next(s for s in shards if s.folder != BUNDLE)  # a secondary shard: the primary keeps its files
    page = edited.pages[0]
    slug = page.split("/")[1]
    source = root / "content" / f"{slug}.md"
    before = identities(out)
    small_shards.clear()
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more sentence, about a lighthouse.\n",
                      encoding="utf-8")
    build_at(root, out, cache=True)
    assert small_shards == [edited.folder]
    after = identities(out)
    others = [rel for rel in before if not rel.startswith(edited.folder + "/")]
    assert others and all(after[rel] == before[rel] for rel in others if rel in after)
    assert after[f"{edited.folder}/pagefind-entry.json"] != before[f"{edited.folder}/pagefind-entry.json"]
    shutil.rmtree(tmp_path / "clean")
    assert tree(out) == tree(build_at(root, tmp_path / "clean"))

    # Removing an article re-indexes its shard only (10 → 9 pages: still 8 shards of ≤ 2), and the
    # output is still a clean build's.
    small_shards.clear()
    source.unlink()
    build_at(root, out, cache=True)
    assert shards[0].count == shard_count(sum(len(s.pages) for s in shards) - 1) == 8
    assert small_shards == ([edited.folder] if len(edited.pages) > 1 else [])
    assert f"articles/{slug}/index.html" not in tree(out)
    shutil.rmtree(tmp_path / "clean")
    assert tree(out) == tree(build_at(root, tmp_path / "clean"))


# --------------------------------------------------------------------------- in the browser


@pytest.mark.slow
def test_search_across_shards_finds_each_article(tmp_path: Path, small_shards: list[str],  # type: ignore[no-untyped-def]
                                                  chromium) -> None:
    from browser.sitebuild import serve

    root = write_sharded_site(tmp_path / "site")
    out = build_at(root, tmp_path / "out")
    shards = plan_shards([p for p in tree(out) if search.indexed(p)])
    seed = "articles/putin-north-korea-visit/index.html"
    home = next(s for s in shards if seed in s.pages)
    other = next(s for s in shards if s is not home)
    target = other.pages[0]
    word = WORDS[int(target.split("/")[1].removeprefix("report-")) - 1]
    served = serve(out, sub_path="news", work_dir=tmp_path / "root")
    try:
        for query, page_path in (("Belousov", seed), (word, target)):
            page = open_page(chromium, served.url + "search/index.html")
            page.fill(".pagefind-ui__search-input", query)
            link = page.locator(".pagefind-ui__result-link").first
            link.wait_for(timeout=15000)
            hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
            assert {h.split("#")[0] for h in hrefs} == {f"/news/{page_path}"}, (query, hrefs)  # its shard's page only
            assert link.get_attribute("href") == f"/news/{page_path}", query
            assert page.problems == []  # every shard's files load (no 404, no CSP violation)
            page.close()
    finally:
        served.close()


def test_a_site_with_nothing_to_search_still_builds(tmp_path: Path, small_shards: list[str]) -> None:
    """Pagefind refuses an empty folder; a new site whose only article is gone, or a site of
    drafts only, must build anyway (with no index), and gain one with its first article."""
    root = write_sharded_site(tmp_path / "site", count=1)
    for path in (root / "content").glob("*.md"):
        path.unlink()
    out = build_at(root, tmp_path / "out", cache=True)
    assert small_shards == [] and not (out / BUNDLE).exists()
    assert (out / "search" / "index.html").is_file()
    write_sharded_site(root, count=1)
    build_at(root, out, cache=True)
    assert small_shards and (out / BUNDLE / "pagefind-ui.js").is_file()
