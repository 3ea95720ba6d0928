"""``--output`` never throws away what a folder held (issue #20, defects 1, 7, 11 and 14's ``/``).

Gloss replaces the output folder whole, so it writes only into a folder that is new, empty (but
for what ``keep:`` lists) or stamped as its own (``.gloss-output``); anything else needs
``--force``, and some folders are refused even then: the content folder, the site root, a folder
holding either, a folder inside content, the file-system root. A refusal is one line naming the
folder, exit 1, and nothing on disk changes. Each case runs the real command line in-process.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

from generator.build.guard import STAMP
from generator.build.write import clean_leftovers, spare_path
from generator.cli import main

SMALL = Path(__file__).resolve().parent / "fixtures" / "sites" / "small"


def tree(root: Path) -> dict[str, tuple[str, int] | str]:
    """Every entry under ``root`` (links not followed): digest and mtime of files, "dir" for folders."""
    found: dict[str, tuple[str, int] | str] = {}
    for top, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(top, name), root)] = "dir"
        for name in files:
            path = Path(top, name)
            found[os.path.relpath(path, root)] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return found


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SMALL, root)
    monkeypatch.chdir(root)
    return root


def gloss(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["build", "--no-search", *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, err: str, folder: str) -> None:
    lines = err.strip().splitlines()
    assert code == 1, err
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"{folder}:1:1: ") and "(hint: " in lines[0], err


def test_a_folder_gloss_did_not_make_is_refused_untouched(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = site / "docs"
    docs.mkdir()
    (docs / "thesis.txt").write_text("years of work\n")
    (docs / "notes").mkdir()
    (docs / "notes" / "a.md").write_text("a\n")
    before = tree(site)
    code, _, err = gloss(capsys, "--output", "docs")
    assert_refused(code, err, "docs")
    assert "not empty and was not made by gloss build" in err and "--force" in err
    assert tree(site) == before, "nothing beside or inside docs/ may change"
    code, _, err = gloss(capsys, "--output", "docs")  # the second try, which used to delete it for good
    assert code == 1 and tree(site) == before


@pytest.mark.parametrize("where", ["content", ".", "..", "content/out", "content/images/out"])
@pytest.mark.parametrize("force", [False, True])
def test_never_the_content_folder_the_root_a_parent_or_inside_content(
    site: Path, capsys: pytest.CaptureFixture[str], where: str, force: bool
) -> None:
    (site / "content" / "images").mkdir(exist_ok=True)
    before = tree(site.parent)
    code, _, err = gloss(capsys, "--output", where, *(["--force"] if force else []))
    assert_refused(code, err, where)
    assert "--force does not change this" in err
    assert tree(site.parent) == before, f"--output {where} changed something"


def test_the_file_system_root_is_refused_at_once(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    code, _, err = gloss(capsys, "--output", "/", "--force")
    assert time.monotonic() - started < 5, "it must not walk the file system first"
    assert_refused(code, err, "/")
    assert "file-system root" in err


def test_the_cache_folder_is_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = gloss(capsys, "--output", ".gloss-cache/site", "--force")
    assert_refused(code, err, ".gloss-cache/site")
    assert not (site / ".gloss-cache").exists()


def test_force_replaces_a_foreign_folder_and_then_it_is_gloss_s(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "public").mkdir()
    (site / "public" / "old.html").write_text("old\n")
    code, _, err = gloss(capsys, "--output", "public", "--force")
    assert code == 0, err
    assert not (site / "public" / "old.html").exists()
    assert (site / "public" / STAMP).is_file() and (site / "public" / "index.html").is_file()
    (site / "content" / "old-news.md").write_text((site / "content" / "old-news.md").read_text() + "\nMore.\n")
    code, _, err = gloss(capsys, "--output", "public")  # stamped now: no --force needed
    assert code == 0, err


def test_an_empty_folder_and_a_new_one_are_fine(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "empty").mkdir()
    assert gloss(capsys, "--output", "empty")[0] == 0
    assert gloss(capsys, "--output", "new/deeper")[0] == 0
    assert (site / "new" / "deeper" / STAMP).is_file()


def test_a_file_in_the_way_is_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "output").write_text("not a folder\n")
    code, _, err = gloss(capsys, "--force")
    assert_refused(code, err, "output")
    assert (site / "output").read_text() == "not a folder\n"


def test_a_symbolic_link_is_refused_before_anything_changes(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Defect 7: the link used to be replaced by a folder, and later builds failed after the swap."""
    webroot = site.parent / "www"
    assert gloss(capsys, "--output", str(webroot))[0] == 0
    (site / "output").symlink_to(webroot)
    before = tree(site.parent)
    code, _, err = gloss(capsys)
    assert_refused(code, err, "output")
    assert f"symbolic link (to {webroot})" in err and f"--output {webroot}" in err
    assert (site / "output").is_symlink() and tree(site.parent) == before
    assert gloss(capsys, "--output", str(webroot))[0] == 0  # building into the target works


def test_gh_pages_worktree_keeps_git_and_cname(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A ``gh-pages`` worktree as the output: ``.git`` and ``CNAME`` survive every build."""
    out = site / "output"
    (out / ".git").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / "CNAME").write_text("news.example.org\n")
    (out / "index.html").write_text("the site a previous tool made\n")
    code, _, err = gloss(capsys)
    assert_refused(code, err, "output")  # not Gloss's yet: --force once
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "keep: [.git, CNAME, .nojekyll]\n")
    ino = (out / ".git" / "HEAD").stat().st_ino
    assert gloss(capsys, "--force")[0] == 0
    for step in range(4):  # fresh, then the spare tree reused: the kept entries must follow every swap
        assert (out / ".git" / "HEAD").stat().st_ino == ino, f"build {step}: .git was copied or lost"
        assert (out / "CNAME").read_text() == "news.example.org\n"
        assert "previous tool" not in (out / "index.html").read_text()
        page = site / "content" / "old-news.md"
        page.write_text(page.read_text() + f"\nStep {step}.\n")
        code, out_text, err = gloss(capsys)
        assert code == 0, err
    assert not (spare_path(out) / ".git").exists()


def test_a_folder_holding_only_kept_entries_counts_as_empty(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "keep: [CNAME]\n")
    (site / "output").mkdir()
    (site / "output" / "CNAME").write_text("news.example.org\n")
    assert gloss(capsys)[0] == 0
    assert (site / "output" / "CNAME").read_text() == "news.example.org\n"


def test_keep_names_are_checked(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "keep: [CNAME, ../x, index.html]\n")
    code, _, err = gloss(capsys)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 2, err
    assert 'keep: "../x" is not a plain file or folder name' in lines[0] and lines[0].startswith("site.yaml:")
    assert 'keep: "index.html" is written by every build' in lines[1]


def test_a_killed_build_s_kept_entries_are_put_back(tmp_path: Path) -> None:
    """Killed between moving ``.git`` into the new tree and the swap: the next build moves it back."""
    output = tmp_path / "output"
    output.mkdir()
    staging = tmp_path / ".output.staging-12345"
    (staging / ".git").mkdir(parents=True)
    (staging / ".git" / "HEAD").write_text("ref\n")
    (staging / "index.html").write_text("half a site\n")
    clean_leftovers(output, (".git",))
    assert (output / ".git" / "HEAD").read_text() == "ref\n"
    assert not staging.exists()


def _legacy_state(site: Path, payload: object) -> None:
    data = pickle.dumps(payload)
    (site / ".gloss-cache").mkdir(exist_ok=True)
    (site / ".gloss-cache" / "state.bin").write_bytes(b"GLOSS-STATE\x01" + hashlib.sha256(data).digest() + data)


class _Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, ("open('UNPICKLED', 'w').close()",))


def test_an_output_from_before_the_stamp_is_recognised_by_its_state(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Upgrading users keep building into their own output/ without --force; the old state is never unpickled."""
    assert gloss(capsys)[0] == 0
    shutil.rmtree(site / ".gloss-cache")
    (site / "output" / STAMP).unlink()
    _legacy_state(site, ("code", (str(site / "content"), str(site / "output")), _Boom()))
    code, _, err = gloss(capsys)
    assert code == 0, err
    assert not (site / "UNPICKLED").exists()
    assert (site / "output" / STAMP).is_file()


def test_a_state_that_does_not_name_the_folder_proves_nothing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "output").mkdir()
    (site / "output" / "mine.txt").write_text("mine\n")
    _legacy_state(site, ("code", (str(site / "content"), str(site / "elsewhere"))))
    code, _, err = gloss(capsys)
    assert_refused(code, err, "output")
    assert (site / "output" / "mine.txt").read_text() == "mine\n"


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
@pytest.mark.parametrize("exchange", ["atomic", "fallback"])
def test_a_swap_that_fails_puts_the_kept_entries_back(site: Path, monkeypatch: pytest.MonkeyPatch,
                                                      failure: type[BaseException], exchange: str) -> None:
    """Ctrl-C or an error after ``.git`` moved into the new tree, before the swap: nothing is lost."""
    import generator.build.write as write
    from generator.build.pipeline import BuildOptions, build

    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "keep: [.git]\n")
    opts = BuildOptions(root=site, content=site / "content", output=site / "output", cache=site / ".gloss-cache")
    build(opts)
    (site / "output" / ".git").mkdir()
    (site / "output" / ".git" / "HEAD").write_text("ref\n")
    page = site / "content" / "old-news.md"
    page.write_text(page.read_text() + "\nEdited.\n")
    before = tree(site / "output")
    real_rename = os.rename

    def fail(*args: object) -> bool:
        raise failure()

    def rename(src: object, dst: object) -> None:
        moving_in = Path(str(dst)) == site / "output" and "-old-" not in str(src)
        if moving_in:  # the new tree moving in (the fallback's second rename); the old one may go back
            raise failure()
        real_rename(src, dst)  # type: ignore[arg-type]

    if exchange == "atomic":
        monkeypatch.setattr(write, "_exchange", fail)
    else:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
        monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(failure):
        build(opts)
    monkeypatch.undo()
    assert tree(site / "output") == before, "the old output, .git included, exactly as it was"
    assert not [p for p in site.iterdir() if p.name.startswith(".output.staging-")]
