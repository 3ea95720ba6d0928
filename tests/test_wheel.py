"""The wheel is complete: installed on its own (not editable), it builds a site with its built-in templates."""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

CONTENT = """\
---
title: "Wheel test"
slug: "wheel-test"
date: "2024-06-18"
tags: ["packaging"]
summary: ""
source: null
draft: false
notes:
  fact1:
    body: "Checked."
    verdict: "Accurate"
comments:
  - id: "c1"
    date: "2024-06-18T20:25"
    author: null
    reply_to: null
    reply_basis: null
    body: |-
      It ships.
---
The templates [ship inside the wheel]{.fact #fact1}.
"""


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def check(args: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.slow
def test_installed_wheel_builds_a_site_without_local_templates(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    check([sys.executable, "-m", "pip", "wheel", str(REPO_ROOT), "--no-deps", "-w", str(wheels)], cwd=tmp_path)
    (wheel,) = wheels.glob("gloss_ssg-*.whl")

    venv = tmp_path / "venv"
    check([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    # The dependencies come from the environment running the tests (this one may itself be a
    # venv, which --system-site-packages does not see); the repository itself must not be visible.
    purelib = Path(check([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=tmp_path).stdout.strip())
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib"), *site.getsitepackages()}
    lines = sorted(p for p in ours if Path(p).is_dir() and Path(p).resolve() != REPO_ROOT)
    (purelib / "zz_test_deps.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
    check([str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], cwd=tmp_path)

    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "content" / "wheel-test.md").write_text(CONTENT, encoding="utf-8")
    assert not (root / "templates").exists()

    where = check([str(python), "-I", "-c", "import generator; print(generator.__file__)"], cwd=root).stdout.strip()
    assert Path(where).resolve().is_relative_to(venv.resolve()), where
    assert not Path(where).resolve().is_relative_to(REPO_ROOT), where

    result = check([str(python), "-I", "-m", "generator", "build"], cwd=root)
    assert "Traceback" not in result.stderr
    page = (root / "output" / "articles" / "wheel-test" / "index.html").read_text(encoding="utf-8")
    assert "ship inside the wheel" in page
    assert (root / "output" / "index.html").is_file()
    assert any((root / "output").rglob("style*.css")), "static assets ship too"
    gloss = venv / "bin" / "gloss"
    assert gloss.is_file(), "the console script is installed"
    shutil.rmtree(root / "output")
    check([str(gloss), "build"], cwd=root)
    assert (root / "output" / "articles" / "wheel-test" / "index.html").read_text(encoding="utf-8") == page
    # The translation catalogs ship too: a French site has French page text and no missing-catalog warning.
    (root / "site.yaml").write_text('language: "fr"\n', encoding="utf-8")
    result = check([str(gloss), "build"], cwd=root)
    assert "no translation" not in result.stderr
    assert "Aller au contenu" in (root / "output" / "index.html").read_text(encoding="utf-8")


def deploy_install_specs() -> tuple[str, str]:
    """What the README's Netlify command and the GitHub Pages workflow give pip to install Gloss."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    netlify = re.search(r'command = "pip install \'([^\']+)\' && gloss build', readme)
    assert netlify, "README: the Netlify command installs Gloss with pip install '…'"
    workflow = (REPO_ROOT / "docs" / "deploy" / "github-pages.yml").read_text(encoding="utf-8")
    pages = re.search(r'^  GLOSS_PACKAGE: "([^"]+)"$', workflow, re.M)
    assert pages and 'python -m pip install "$GLOSS_PACKAGE"' in workflow
    return netlify.group(1), pages.group(1)


@pytest.mark.slow
def test_deploy_docs_install_command_works_in_a_fresh_venv(tmp_path: Path) -> None:
    """The exact install command of the deploy docs, in a new venv, with the wheel the docs say to make."""
    netlify, pages = deploy_install_specs()
    assert netlify == pages, "README and the GitHub Pages workflow install Gloss the same way"
    site_root = tmp_path / "site"
    site_root.mkdir()
    # The docs: in a checkout of Gloss, `pip wheel --no-deps -w wheels/ .`, then copy wheels/ to the site.
    check([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(site_root / "wheels"), "."], cwd=REPO_ROOT)
    wheel_path = netlify.split("[")[0]
    assert (site_root / wheel_path).is_file(), (
        f"the docs name {wheel_path}, the checkout builds {sorted(p.name for p in (site_root / 'wheels').iterdir())}")
    venv = tmp_path / "venv"
    check([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    env = {**clean_env(), "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    install = f"pip install '{netlify}'"  # the Netlify command, up to its `&&`
    result = subprocess.run(["bash", "-c", install], cwd=site_root, env=env, capture_output=True, text=True,
                            timeout=900)
    assert result.returncode == 0, f"{install}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    version = subprocess.run(["gloss", "--version"], cwd=site_root, env=env, capture_output=True, text=True,
                             timeout=120)
    expected = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert (version.returncode, version.stdout) == (0, f"gloss {expected}\n"), version.stderr
    assert (venv / "bin" / "gloss").is_file()
    found = subprocess.run([str(venv / "bin" / "python"), "-c", "import pagefind_bin"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert found.returncode == 0, "[search] brings Pagefind\n" + found.stderr
