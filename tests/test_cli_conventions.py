"""Command-line conventions: --version, -q/-v anywhere, --help examples, plurals, a progress line and
colours only on a terminal (tested with a pseudo-terminal), never with NO_COLOR."""

from __future__ import annotations

import argparse
import io
import os
import pty
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator import cli, terminal
from gloss_run import run_gloss

REPO = Path(__file__).resolve().parent.parent
SMALL = REPO / "tests" / "fixtures" / "sites" / "small"
COMMANDS = ["import", "review", "check", "build", "init", "theme", "dump", "export", "serve", "note add", "note edit", "note rm",
            "annotations import"]
ESC = "\x1b["


def run(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``gloss ARGS``: a new process in CI, ``cli.main`` in the fast loop (gloss_run.py)."""
    return run_gloss(*args, cwd=cwd, env=env)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SMALL, root)
    return root


def test_version_is_the_one_in_pyproject() -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    result = run("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"gloss {version}\n", "")


def _leaf_commands(parser: argparse.ArgumentParser, names: tuple[str, ...] = ()) -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _leaf_commands(sub, (*names, name)) or [" ".join((*names, name))]
    return found


def test_the_list_here_is_every_command() -> None:
    assert sorted(_leaf_commands(cli.make_parser())) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_a_one_line_example(command: str) -> None:
    result = run(*command.split(), "--help")
    assert result.returncode == 0, result.stderr
    examples = [line for line in result.stdout.splitlines() if line.startswith("example: ")]
    assert examples == [f"example: {cli.EXAMPLES[command]}"]
    assert examples[0].startswith(f"example: gloss {command}")
    assert "-q, --quiet" in result.stdout and "-v, --verbose" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("flag", ["-q", "--quiet", "-v", "--verbose"])
def test_quiet_and_verbose_go_before_or_after_every_command(command: str, flag: str) -> None:
    needs = {"import": ["raw.txt"], "review": ["x.md"], "init": ["dir"], "theme": ["list"], "dump": ["x.md"],
             "export": ["x.md", "--format", "w3c"], "note edit": ["x.md", "n"], "note rm": ["x.md", "n"],
             "note add": ["x.md", "--quote", "q", "--kind", "fact", "--verdict", "Accurate", "--body", "b"],
             "annotations import": ["a.json", "--into", "x.md"]}
    name = flag.lstrip("-")[0]
    key = "quiet" if name == "q" else "verbose"
    words = command.split()
    for argv in ([flag, *words, *needs.get(command, [])], [*words, *needs.get(command, []), flag]):
        args = cli.make_parser().parse_args(argv)
        assert getattr(args, key) is True, argv
        assert getattr(args, "verbose" if key == "quiet" else "quiet") is False, argv


def test_summary_counts_in_words_and_says_how_long(site: Path) -> None:
    for extra in ("draft-note.md", "old-news.md"):
        (site / "content" / extra).unlink()
    result = run("build", "--no-search", cwd=site)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"built 1 article into output in \d+\.\d\d s\n", result.stdout), result.stdout
    assert run("check", cwd=site).stdout == "ok: 1 article, 3 notes, 3 comments\n"


def test_quiet_build_prints_nothing_but_verbose_adds_file_counts(site: Path) -> None:
    quiet = run("-q", "build", "--no-search", cwd=site)
    assert (quiet.returncode, quiet.stdout) == (0, "")
    (site / "content" / "old-news.md").write_text(
        (site / "content" / "old-news.md").read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    verbose = run("build", "--no-search", "--verbose", cwd=site)
    assert re.search(r"\(\d+ files? written, \d+ unchanged, 0 removed\)", verbose.stdout), verbose.stdout


@contextmanager
def terminal_streams(monkeypatch: pytest.MonkeyPatch, *, tty: bool) -> Iterator[list[str]]:
    """sys.stdout and sys.stderr on a pseudo-terminal (or a pipe); yields what was written, once done."""
    captured: list[str] = []
    reader, writer = pty.openpty() if tty else os.pipe()
    stream = open(writer, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - closed below
    assert stream.isatty() is tty
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.setattr(sys, "stderr", stream)
    try:
        yield captured
    finally:
        stream.flush()
        os.close(writer)
        chunks = []
        while True:
            try:
                chunk = os.read(reader, 65536)
            except OSError:  # a pty reports EIO once the other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(reader)
        captured.append(b"".join(chunks).decode("utf-8", "replace"))


def _build_in_process(site: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.chdir(site)
    monkeypatch.setattr(terminal, "PROGRESS_DELAY", 0.0)  # every build here is "long"
    monkeypatch.setattr(terminal, "PROGRESS_INTERVAL", 0.0)
    return cli.main(["build", "--no-search", "--no-cache"])


def test_progress_line_and_colour_on_a_terminal(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    with terminal_streams(monkeypatch, tty=True) as out:
        assert _build_in_process(site, monkeypatch) == 0
    text = out[0]
    assert "\r\x1b[Kparsed 3/3 articles, rendered " in text, repr(text)
    assert re.search(r"wrote \d+ files", text), repr(text)
    assert "\x1b[32mbuilt 2 articles into output in " in text, repr(text)


def test_no_colour_with_no_color_even_on_a_terminal(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    with terminal_streams(monkeypatch, tty=True) as out:
        assert _build_in_process(site, monkeypatch) == 0
    assert "\x1b[3" not in out[0], repr(out[0])
    assert "built 2 articles" in out[0]


def test_nothing_but_the_summary_in_a_pipe(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    with terminal_streams(monkeypatch, tty=False) as out:
        assert _build_in_process(site, monkeypatch) == 0
    assert ESC not in out[0] and "\r" not in out[0] and "parsed" not in out[0], repr(out[0])
    assert re.fullmatch(r"built 2 articles into output in \d+\.\d\d s\n", out[0]), repr(out[0])


def test_a_quick_build_on_a_terminal_shows_no_progress_line(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    line = terminal.ProgressLine(io.StringIO())
    line.enabled = True
    from generator.build.progress import Counts

    line.update(Counts(3, 1, 1, 1))  # well within the first second
    assert line.stream.getvalue() == ""  # type: ignore[attr-defined]
    line.started -= terminal.PROGRESS_DELAY
    line.update(Counts(3, 2, 2, 2))
    assert line.stream.getvalue() == "\r\x1b[Kparsed 2/3 articles, rendered 2 pages, wrote 2 files"  # type: ignore[attr-defined]


def test_quiet_preview_prints_no_line_per_build(site: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from generator.build.options import BuildOptions
    from generator.preview.server import Preview

    monkeypatch.chdir(site)
    options = BuildOptions(root=site, content=site / "content", output=site / "output")
    Preview(options, verbose=False).rebuild()
    assert re.fullmatch(r"built 2 articles in \d+\.\d\d s: \d+ written, \d+ unchanged, \d+ removed\n",
                        capsys.readouterr().out)
    Preview(options, verbose=False, quiet=True).rebuild()
    assert capsys.readouterr().out == ""
    assert cli.make_parser().parse_args(["serve", "-q"]).quiet is True
