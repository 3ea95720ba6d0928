"""Small things a reader meets: links that go somewhere, words instead of ids, one warning per preview run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build.options import BuildOptions
from generator.preview.server import Preview
from generator.render.feeds import BASE_URL_WARNING

SMALL = Path(__file__).parent / "fixtures" / "sites" / "small"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SMALL, root)
    return root


def _build(root: Path) -> Path:
    from generator.build.pipeline import build

    build(BuildOptions(root=root, content=root / "content", output=root / "output"))
    return root / "output"


def test_every_same_page_link_on_an_article_has_its_target(site: Path) -> None:
    """An article without notes has no #notes list, so its "No notes" is not a link to one."""
    out = _build(site)
    pages = sorted(out.glob("articles/*/index.html"))
    assert len(pages) == 2
    for page in pages:
        html = page.read_text(encoding="utf-8")
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        missing = sorted(set(re.findall(r'href="#([^"]+)"', html)) - ids)
        assert missing == [], f"{page.relative_to(out)}: links to missing #{missing}"
    bare = (out / "articles/old-news/index.html").read_text(encoding="utf-8")
    assert "No notes" in bare and 'href="#notes"' not in bare


def test_back_link_from_a_note_in_a_comment_names_the_comment_not_its_id(site: Path) -> None:
    html = (_build(site) / "articles/harbour-bridge/index.html").read_text(encoding="utf-8")
    backs = re.findall(r'<a class="back-link" href="#span-(\w+)">([^<]*)</a>', html)
    assert ("traffic", "Back to the text (in the comment by Ines, 2 March 2025, 09:15)") in backs
    assert ("closed", "Back to the text") in backs
    assert "in comment c" not in html


def test_preview_warns_about_missing_base_url_once_per_run(site: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    yaml = site / "site.yaml"
    yaml.write_text("\n".join(l for l in yaml.read_text().splitlines() if not l.startswith("base_url")) + "\n")
    monkeypatch.chdir(site)
    preview = Preview(BuildOptions(root=site, content=site / "content", output=site / "output"), verbose=False)
    article = site / "content" / "old-news.md"
    good = article.read_text(encoding="utf-8")
    preview.rebuild()
    article.write_text(good + "More text.\n", encoding="utf-8")
    preview.rebuild()
    article.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")  # a failed build between two good ones
    preview.rebuild()
    article.write_text(good, encoding="utf-8")
    preview.rebuild()
    err = capsys.readouterr().err
    assert err.count(BASE_URL_WARNING) == 1, err
    assert "old-news.md:3:1: invalid YAML" in err, "the error itself is still shown"
