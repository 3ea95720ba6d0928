"""Gloss's version, read from one place: the ``version`` in ``pyproject.toml``.

An installed Gloss (wheel or ``pip install -e``) has it in its package metadata. Run from a
checkout without installing (``PYTHONPATH=. python -m generator``), it is read from the
``pyproject.toml`` beside the package; anywhere else it is ``0+unknown``, not a made-up number.
"""

from __future__ import annotations

import functools
import sys
import tomllib
from pathlib import Path

DISTRIBUTION = "gloss-ssg"
"""The name on the package index (``gloss`` there is another project)."""

UNKNOWN = "0+unknown"
"""The version when neither the metadata nor the checkout's ``pyproject.toml`` can say."""


def _dist_info_version() -> str | None:
    """The version in the first ``gloss_ssg-*.dist-info/METADATA`` on ``sys.path``, as
    ``importlib.metadata`` finds it for a plain install; None when there is none (then it asks).

    Every build needs the version (it is part of the cache's code key), and importing
    ``importlib.metadata`` (with ``email`` and ``calendar``) cost a fifth of a one-article
    rebuild's start-up.
    """
    prefix = DISTRIBUTION.replace("-", "_") + "-"
    for entry in sys.path:
        try:
            folders = sorted(p for p in Path(entry or ".").iterdir()
                             if p.name.startswith(prefix) and p.name.endswith(".dist-info"))
        except OSError:
            continue
        for folder in folders:
            try:
                head = (folder / "METADATA").read_text(encoding="utf-8").split("\n\n", 1)[0]
            except OSError:
                continue
            fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
            name = fields.get("Name", "").lower().replace("_", "-").replace(".", "-")
            if name == DISTRIBUTION and fields.get("Version"):
                return fields["Version"].strip()
    return None


@functools.cache
def gloss_version() -> str:
    """The installed distribution's version, else the checkout's, else :data:`UNKNOWN`."""
    found = _dist_info_version()
    if found is not None:
        return found
    from importlib import metadata  # slow to import: only when no dist-info was found above

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
