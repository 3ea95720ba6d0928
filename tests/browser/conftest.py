"""Fixtures for testing the built site as readers get it (see tests/browser/README.md).

* The example site (``content/``, or ``$GLOSS_TEST_CONTENT``), with the harness's own articles
  (``tests/browser/content/``) added, is built ONCE per session with
  ``python -m generator build``; ``GLOSS_TEST_SITE=/path/to/output`` tests an already built folder instead, and
  ``GLOSS_TEST_SITE=sample`` the hand-written sample site (for working on the harness itself).
* Tests are parametrized over the pages found in the output (``**/*.html``), so new page types are
  covered as soon as the generator writes them:
  ``site_page`` - every HTML page; ``browser_page`` - at most ``GLOSS_BROWSER_PAGES_PER_TYPE``
  (default 2, 0 = all) pages of each type (``index.html``, ``404.html``, ``tags/index.html``,
  ``articles/*/index.html``, ``claims/*/*/index.html`` ...: see ``sitebuild.page_type``);
  ``article_page`` - the same for ``articles/``; ``checked_file`` - every HTML, CSS and SVG file;
  ``width`` - 390 (phone) and 1280 (desktop).
* One Chromium per session (Debian ``chromium``, never ``playwright install``); ``page_factory``
  records console errors, HTTP errors, failed requests and a missing favicon on every page, and
  the test fails if there are any.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .browsing import WIDTHS, PageFactory
from .checks import CHROMIUM_ARGS, find_chromium
from .sample_site import write_sample_site
from .sitebuild import (
    REPO_ROOT,
    BuildError,
    ServedSite,
    build_site,
    checkable_files,
    harness_content,
    html_pages,
    page_type,
    representative_pages,
    serve,
)

SUB_PATH = "news"
HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------- marker (registered in pyproject.toml)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --------------------------------------------------------------------------- the site, built once


@dataclass
class SiteState:
    tmp: Path
    output: Path | None = None
    content: Path | None = None  # the content folder the output was built from, when known
    error: str | None = None
    pages: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


_SITE = pytest.StashKey[SiteState]()


def _site(config: pytest.Config) -> SiteState:
    state = config.stash.get(_SITE, None)
    if state is not None:
        return state
    state = SiteState(tmp=Path(tempfile.mkdtemp(prefix="gloss-browser-")))
    config.stash[_SITE] = state
    choice = os.environ.get("GLOSS_TEST_SITE", "").strip()
    try:
        if choice == "sample":
            state.output = write_sample_site(state.tmp / "output")
        elif choice:
            state.output = Path(choice).resolve()
            if not state.output.is_dir():
                raise BuildError(f"GLOSS_TEST_SITE={choice}: no such folder")
        else:
            source = Path(os.environ.get("GLOSS_TEST_CONTENT") or REPO_ROOT / "content").resolve()
            state.content = harness_content(source, state.tmp / "content")
            state.output = build_site(state.content, state.tmp / "output")
    except (BuildError, OSError, ValueError) as exc:
        state.error = f"building the example site failed:\n{exc}"
        state.output = None
        return state
    except Exception as exc:  # noqa: BLE001 - e.g. a timeout: report it on every test, not as a crash
        state.error = f"building the example site failed: {type(exc).__name__}: {exc}"
        state.output = None
        return state
    state.pages = html_pages(state.output)
    state.files = checkable_files(state.output)
    return state


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(_SITE, None)
    if state is not None:
        shutil.rmtree(state.tmp, ignore_errors=True)


def _per_type() -> int:
    try:
        return int(os.environ.get("GLOSS_BROWSER_PAGES_PER_TYPE", "2"))
    except ValueError:
        return 2


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    names = {"site_page", "browser_page", "article_page", "checked_file"} & set(metafunc.fixturenames)
    if names:
        state = _site(metafunc.config)
        for name in sorted(names):
            if state.error:
                values = ["<build failed>"]
            elif name == "site_page":
                values = state.pages
            elif name == "browser_page":
                values = representative_pages(state.pages, _per_type())
            elif name == "article_page":
                values = representative_pages([p for p in state.pages if page_type(p) == "articles/*/index.html"],
                                              _per_type())
            else:
                values = state.files
            if not values:
                values = [f"<no {name.replace('_', ' ')} in the output>"]
            metafunc.parametrize(name, values, ids=values, indirect=True, scope="function")
    if "width" in metafunc.fixturenames:
        metafunc.parametrize("width", list(WIDTHS.values()), ids=[f"{w}px" for w in WIDTHS.values()])


def _param(request: pytest.FixtureRequest) -> str:
    value = request.param
    if value.startswith("<"):
        state = _site(request.config)
        pytest.fail(state.error or f"{value}: expected at least one", pytrace=False)
    return value


@pytest.fixture
def site_page(request: pytest.FixtureRequest) -> str:
    """Path of an HTML page relative to the output folder, e.g. ``articles/x/index.html``."""
    return _param(request)


@pytest.fixture
def browser_page(request: pytest.FixtureRequest) -> str:
    return _param(request)


@pytest.fixture
def article_page(request: pytest.FixtureRequest) -> str:
    return _param(request)


@pytest.fixture
def checked_file(request: pytest.FixtureRequest) -> str:
    return _param(request)


@pytest.fixture(scope="session")
def built_site(request: pytest.FixtureRequest) -> Path:
    """The example site's output folder, built once per session."""
    state = _site(request.config)
    if state.error:
        pytest.fail(state.error, pytrace=False)
    assert state.output is not None
    return state.output


@pytest.fixture(scope="session")
def content_dir(request: pytest.FixtureRequest, built_site: Path) -> Path:
    """The content folder the example site was built from (skips only under ``GLOSS_TEST_SITE``)."""
    state = _site(request.config)
    if state.content is None:
        pytest.skip("GLOSS_TEST_SITE is set: no content folder to build from")
    return state.content


@pytest.fixture(scope="session")
def content_dumps(request: pytest.FixtureRequest, built_site: Path) -> dict[str, dict]:
    """``{slug: gloss dump JSON}`` for each content file the site was built from ({} if not known)."""
    state = _site(request.config)
    dumps: dict[str, dict] = {}
    if state.content is None or not state.content.is_dir():
        return dumps
    for path in sorted(state.content.glob("*.md")):
        proc = subprocess.run([sys.executable, "-m", "generator", "dump", str(path)], cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            pytest.fail(f"`gloss dump {path}` exited {proc.returncode}:\n{proc.stderr}", pytrace=False)
        data = json.loads(proc.stdout)
        dumps[data["slug"]] = data
    return dumps


@pytest.fixture(scope="session")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-work")


# --------------------------------------------------------------------------- serving


@pytest.fixture(scope="session")
def site_server(work_dir: Path):
    """``site_server(folder, sub_path="")`` serves any folder for the rest of the session."""
    servers: list[ServedSite] = []
    counter = iter(range(1_000_000))

    def start(folder: Path, sub_path: str = "") -> ServedSite:
        root = work_dir / f"docroot-{next(counter)}"
        served = serve(Path(folder), sub_path=sub_path, work_dir=root if sub_path else None)
        servers.append(served)
        return served

    yield start
    for served in servers:
        served.close()


@pytest.fixture(scope="session")
def served_site(built_site: Path, site_server) -> ServedSite:
    """The built site at ``http://127.0.0.1:PORT/``."""
    return site_server(built_site)


@pytest.fixture(scope="session")
def served_site_subpath(built_site: Path, site_server) -> ServedSite:
    """A copy of the built site at ``http://127.0.0.1:PORT/news/`` (nothing else on that server)."""
    return site_server(built_site, sub_path=SUB_PATH)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser(playwright_session):
    """One headless Debian Chromium for the whole session."""
    executable = find_chromium()
    try:
        chromium = playwright_session.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"Chromium at {executable} did not start: {exc}", pytrace=False)
    yield chromium
    chromium.close()


@pytest.fixture
def page_factory(browser):
    """``page_factory(width, javascript_enabled=True)``; console errors and 404s fail the test."""
    factory = PageFactory(browser)
    yield factory
    factory.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    result = yield
    funcargs = getattr(item, "funcargs", {})
    factory = funcargs.get("page_factory")
    if isinstance(factory, PageFactory):
        problems = factory.take_problems()
        if problems:
            pytest.fail(
                f"{len(problems)} problem(s) while loading pages (console errors, HTTP errors, "
                "failed requests, missing favicon):\n  " + "\n  ".join(problems),
                pytrace=False,
            )
    return result


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """``test-artifacts/`` at the repo root, or ``$GLOSS_ARTIFACTS``."""
    path = Path(os.environ.get("GLOSS_ARTIFACTS") or REPO_ROOT / "test-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def screenshot_dir(artifacts_dir: Path) -> Path:
    """``<artifacts>/screenshots/``, emptied once per run so it shows only this run's pages.

    Under pytest-xdist every worker is a session of its own, so "once per session" would let a
    late worker delete an early one's screenshots. The folder is stamped with the run's id
    (``PYTEST_XDIST_TESTRUNUID``, the same in every worker of one run) and emptied, under a
    lock, only by the first worker of a new run.
    """
    path = artifacts_dir / "screenshots"
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid-{os.getpid()}"
    with open(artifacts_dir / ".screenshots.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = path / ".run"
        if not stamp.is_file() or stamp.read_text(encoding="utf-8") != run:
            shutil.rmtree(path, ignore_errors=True)
            path.mkdir(parents=True)
            stamp.write_text(run, encoding="utf-8")
    return path
