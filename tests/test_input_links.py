"""Symbolic links among the inputs: followed while they stay inside the site, refused otherwise.

The refusals are bad-input cases (``tests/fixtures/bad-input/*symlink*``); here, links that stay
inside the site build as the files they point to, and a link back up the tree does not hang the scan.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build.inputs import scan
from generator.build.pipeline import BuildOptions, build
from generator.common.errors import GlossError, GlossErrors

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000000030101000518d84e0000000049454e44ae426082"
)
ARTICLE = '---\ntitle: "Linked"\nslug: "linked"\n---\nA map: ![Map](images/map.png)\n'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "assets" / "map.png").write_bytes(PNG)
    (root / "drafts").mkdir()
    (root / "drafts" / "linked.md").write_text(ARTICLE, encoding="utf-8")
    return root


def test_links_inside_the_site_are_followed(site: Path) -> None:
    os.symlink("../assets", site / "content" / "images")  # a linked folder inside the site
    os.symlink("../drafts/linked.md", site / "content" / "linked.md")  # a linked content file
    os.symlink(".", site / "content" / "loop")  # a loop: walked once, not forever
    build(BuildOptions(root=site, content=site / "content", output=site / "output"))
    page = (site / "output" / "articles" / "linked" / "index.html").read_text(encoding="utf-8")
    published = [p.name for p in (site / "output" / "images").iterdir()]
    assert len(published) == 1 and published[0].startswith("map.") and published[0] in page


def test_every_link_out_of_the_site_is_reported_at_once(site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("token=hunter2\n", encoding="utf-8")
    os.symlink(secret, site / "content" / "key.png")
    os.symlink(tmp_path, site / "content" / "everything")
    with pytest.raises(GlossErrors) as raised:
        scan(site / "content", site / "site.yaml", [], {}, site)
    names = sorted(e.location.path.rsplit("/", 1)[-1] for e in raised.value.errors)
    assert names == ["everything", "key.png"]
    assert all("outside the site" in e.message for e in raised.value.errors)


def test_content_folder_given_elsewhere_may_link_inside_itself(tmp_path: Path) -> None:
    """``--content`` outside the site root: links within that folder are inside too."""
    content = tmp_path / "elsewhere" / "content"
    (content / "real").mkdir(parents=True)
    (content / "real" / "map.png").write_bytes(PNG)
    os.symlink("real", content / "images")
    site = tmp_path / "site"
    site.mkdir()
    try:
        inputs = scan(content, site / "site.yaml", [], {}, site)
    except (GlossError, GlossErrors) as exc:  # pragma: no cover - the failure being tested
        raise AssertionError(str(exc)) from exc
    assert sorted(f.rel for f in inputs.media) == ["images/map.png", "real/map.png"]
