"""Gloss's version, read from one place: the ``version`` in ``pyproject.toml``.

An installed Gloss (wheel or ``pip install -e``) has it in its package metadata. Run from a
checkout without installing (``PYTHONPATH=. python -m generator``), it is read from the
``pyproject.toml`` beside the package; anywhere else it is ``0+unknown``, not a made-up number.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "gloss-ssg"
"""The name on the package index (``gloss`` there is another project)."""

UNKNOWN = "0+unknown"
"""The version when neither the metadata nor the checkout's ``pyproject.toml`` can say."""


@functools.cache
def gloss_version() -> str:
    """The installed distribution's version, else the checkout's, else :data:`UNKNOWN`."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, ValueError):
        return UNKNOWN
    if project.get("name") == DISTRIBUTION and isinstance(project.get("version"), str):
        return str(project["version"])
    return UNKNOWN
