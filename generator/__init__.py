"""Gloss: a static site generator for annotated articles.

The package's folders are its stages, in the order a build runs them; imports point from
a later stage to an earlier one only (``tests/test_layout.py`` keeps it so):

============== ==============================================================
``common/``    located errors, reading user files, slugs (used by every stage)
``importing/`` stage 1: raw dump → content file (``gloss import``)
``content/``   stage 2: content file → ``Article`` (front matter, spans, Markdown)
``site/``      stage 3: articles → the read-only site model templates read
``render/``    stage 4: site model → output files in memory (Jinja, feed, JSON-LD)
``build/``     stage 5: what is stale, run the stages, write ``output/`` atomically
============== ==============================================================

At the top: ``cli`` (the commands), ``preview/`` (the live preview), ``editing/`` (notes written into
content files: ``gloss note``, ``gloss serve --edit``), ``annotation_import/`` (``gloss annotations
import``: W3C and Hypothesis annotations into notes, through ``editing/``), ``scaffold``
(``gloss init``), ``export`` and ``dump`` (command outputs). ``docs/architecture.md``
walks through the data passed between the stages.
"""


def __getattr__(name: str) -> str:
    # Looked up on first use: reading package metadata costs a few milliseconds every command would pay.
    if name == "__version__":
        from .common.version import gloss_version

        return gloss_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
