"""Shared by the render and write stages: one file of the built site, in memory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of the built site."""

    path: str
    """POSIX path relative to the output folder, e.g. ``articles/x/index.html``."""
    data: bytes
    """Its exact bytes."""
