"""Shared by every stage: marks for page text written in Python that the render stage translates.

``N_("Fact check")`` is the English text itself; the mark only lets ``python -m
generator.render.catalogs`` (Babel's extractor) find it, so the catalogs carry it. The
render stage looks the text up in the site language's catalog where a page shows it
(``translated``/``counted`` in the templates). Data keeps the English text: a verdict in
JSON-LD or an export is the canonical word, whatever the page language.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name, which the extractor looks for
    """``message`` unchanged: translatable page text, translated where it is shown."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - as N_
    """A counted phrase (``%(num)d note``/``%(num)d notes``), translated with the count where it is shown."""
    return (singular, plural)
