"""The atomic writer (``write.Assembly``): ``output/`` is always a complete build, unchanged files keep their mtime."""

from __future__ import annotations

import os
import pathlib
from pathlib import Path

import pytest

from generator.build.write import Assembly, WriteStats, clean_leftovers
from generator.common.output_file import OutputFile

FIRST = [
    OutputFile("index.html", b"<p>index</p>\n"),
    OutputFile("articles/a/index.html", b"<p>a</p>\n"),
    OutputFile("articles/b/index.html", b"<p>b</p>\n"),
    OutputFile("style.1234567890.css", b"body{}\n"),
    OutputFile("feed.xml", b"<feed/>\n"),
]


def write_output(files: list[OutputFile], output: Path) -> WriteStats:
    """Replace ``output`` with exactly ``files``, as a build does when it has no record of the old
    output (bytes are compared, unchanged files are linked): put every file, then commit."""
    assembly = Assembly(output)
    try:
        placed = {f.path: assembly.put(f.path, f.data) for f in files}
        return assembly.commit({rel: stamp for rel, (stamp, _) in placed.items()},
                               sum(wrote for _, wrote in placed.values()))
    except BaseException:
        assembly.abort()
        raise


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ``root``: bytes, inode, mtime in ns."""
    result = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            result[path.relative_to(root).as_posix()] = (path.read_bytes(), stat.st_ino, stat.st_mtime_ns)
    return result


def contents(root: Path) -> dict[str, bytes]:
    return {name: data for name, (data, _, _) in snapshot(root).items()}


def siblings(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir())


def test_first_write_creates_exactly_the_files(tmp_path: Path) -> None:
    output = tmp_path / "output"
    stats = write_output(FIRST, output)
    assert stats == WriteStats(written=5, unchanged=0, removed=0)
    assert contents(output) == {f.path: f.data for f in FIRST}
    assert siblings(output) == ["output"]


def test_creates_missing_parent_folders(tmp_path: Path) -> None:
    output = tmp_path / "deep" / "er" / "site"
    write_output(FIRST, output)
    assert contents(output) == {f.path: f.data for f in FIRST}


def test_unchanged_kept_changed_rewritten_stale_removed(tmp_path: Path) -> None:
    output = tmp_path / "output"
    write_output(FIRST, output)
    before = snapshot(output)
    second = [
        OutputFile("index.html", b"<p>index</p>\n"),  # unchanged
        OutputFile("articles/a/index.html", b"<p>a, edited</p>\n"),  # changed
        OutputFile("style.1234567890.css", b"body{}\n"),  # unchanged
        OutputFile("feed.xml", b"<feed>x</feed>\n"),  # changed, same folder as an unchanged file
        OutputFile("tags/new/index.html", b"<p>new</p>\n"),  # new
        # articles/b/index.html is stale
    ]
    stats = write_output(second, output)
    assert stats == WriteStats(written=3, unchanged=2, removed=1)
    after = snapshot(output)
    assert {name: data for name, (data, _, _) in after.items()} == {f.path: f.data for f in second}
    for name in ("index.html", "style.1234567890.css"):
        assert after[name][1:] == before[name][1:], f"{name} must keep its inode and mtime"
    for name in ("articles/a/index.html", "feed.xml"):
        assert after[name][1] != before[name][1], f"{name} must be a new file"
    assert not (output / "articles" / "b").exists(), "a stale file's folder goes too"
    assert siblings(output) == ["output"]


def test_identical_rewrite_changes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "output"
    write_output(FIRST, output)
    before = snapshot(output)
    stats = write_output(FIRST, output)
    assert stats == WriteStats(written=0, unchanged=5, removed=0)
    assert snapshot(output) == before


def test_same_size_different_bytes_is_rewritten(tmp_path: Path) -> None:
    output = tmp_path / "output"
    write_output([OutputFile("a.txt", b"aaaa")], output)
    stats = write_output([OutputFile("a.txt", b"bbbb")], output)
    assert stats == WriteStats(written=1, unchanged=0, removed=0)
    assert (output / "a.txt").read_bytes() == b"bbbb"


def test_leftover_staging_folders_are_cleaned(tmp_path: Path) -> None:
    output = tmp_path / "output"
    write_output(FIRST, output)
    for name in (".output.staging-99999", ".output.staging-1"):
        leftover = tmp_path / name / "articles"
        leftover.mkdir(parents=True)
        (leftover / "half.html").write_bytes(b"<p>half")
    (tmp_path / "unrelated").mkdir()
    (tmp_path / ".other.staging-5").mkdir()
    write_output(FIRST, output)
    assert siblings(output) == [".other.staging-5", "output", "unrelated"]
    assert contents(output) == {f.path: f.data for f in FIRST}


def test_old_tree_moved_aside_is_restored_when_output_is_missing(tmp_path: Path) -> None:
    """Killed between the fallback's two renames: the old tree is the last complete one."""
    output = tmp_path / "output"
    write_output(FIRST, output)
    os.rename(output, tmp_path / ".output.staging-old-4242")
    (tmp_path / ".output.staging-4242").mkdir()  # the half-moved new tree
    clean_leftovers(output)
    assert contents(output) == {f.path: f.data for f in FIRST}
    assert siblings(output) == ["output"]


def test_fallback_without_atomic_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("generator.build.write._exchange", lambda a, b: False)
    output = tmp_path / "output"
    write_output(FIRST, output)
    before = snapshot(output)
    second = FIRST[:4]
    stats = write_output(second, output)
    assert stats == WriteStats(written=0, unchanged=4, removed=1)
    after = snapshot(output)
    assert after == {name: before[name] for name in after}
    assert sorted(after) == sorted(f.path for f in second)
    assert siblings(output) == ["output"]


def test_crash_while_linking_leaves_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "output"
    write_output(FIRST, output)
    before = snapshot(output)
    calls = []

    def failing_link(*args: object, **kwargs: object) -> None:
        calls.append(args)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_link(*args, **kwargs)  # type: ignore[arg-type]

    real_link = os.link
    monkeypatch.setattr(os, "link", failing_link)
    changed = [FIRST[0], OutputFile("articles/a/index.html", b"<p>new a</p>\n"), *FIRST[2:]]
    with pytest.raises(OSError):
        write_output(changed, output)
    assert len(calls) == 2
    assert snapshot(output) == before
    monkeypatch.undo()
    stats = write_output(changed, output)
    assert contents(output) == {f.path: f.data for f in changed}
    assert stats.written == 1
    assert siblings(output) == ["output"]


def test_crash_while_writing_leaves_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "output"
    write_output(FIRST, output)
    before = snapshot(output)
    real_write = pathlib.Path.write_bytes
    calls = []

    def failing_write(self: Path, data: bytes) -> int:
        calls.append(self)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed midway
        return real_write(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", failing_write)
    changed = [OutputFile(f.path, f.data + b"<!-- v2 -->\n") for f in FIRST]
    with pytest.raises(KeyboardInterrupt):
        write_output(changed, output)
    assert len(calls) == 2
    assert snapshot(output) == before
    monkeypatch.undo()
    write_output(changed, output)
    assert contents(output) == {f.path: f.data for f in changed}
    assert siblings(output) == ["output"]


def test_crash_before_swap_leaves_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "output"
    write_output(FIRST, output)
    before = snapshot(output)

    def failing_exchange(a: Path, b: Path) -> bool:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("generator.build.write._exchange", failing_exchange)
    with pytest.raises(OSError):
        write_output(FIRST[:2], output)
    assert snapshot(output) == before


def test_crash_between_fallback_renames_is_recovered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "output"
    write_output(FIRST, output)
    before = snapshot(output)
    monkeypatch.setattr("generator.build.write._exchange", lambda a, b: False)
    real_rename = os.rename
    calls = []

    def failing_rename(src: object, dst: object) -> None:
        calls.append((src, dst))
        if len(calls) >= 2:
            # Killed after the old tree was moved aside: no later rename runs (an interrupt that is
            # not a kill puts the old tree back, tested in test_output_guard.py).
            raise KeyboardInterrupt
        real_rename(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", failing_rename)
    with pytest.raises(KeyboardInterrupt):
        write_output(FIRST[:3], output)
    monkeypatch.setattr(os, "rename", real_rename)
    assert not output.exists()
    stats = write_output(FIRST, output)
    assert stats == WriteStats(written=0, unchanged=5, removed=0)
    assert snapshot(output) == before
    assert siblings(output) == ["output"]


def test_file_and_folder_may_swap_places(tmp_path: Path) -> None:
    output = tmp_path / "output"
    write_output([OutputFile("tags", b"a file"), OutputFile("feed/index.xml", b"<feed/>")], output)
    swapped = [OutputFile("tags/x/index.html", b"<p>x</p>"), OutputFile("feed", b"now a file")]
    stats = write_output(swapped, output)
    assert stats == WriteStats(written=2, unchanged=0, removed=2)
    assert contents(output) == {"tags/x/index.html": b"<p>x</p>", "feed": b"now a file"}
