"""``gloss init DIR``: a new site that builds at once with the built-in templates.

Writes ``site.yaml``, one short sample article in ``content/`` (a fact note,
a claim note, and two comments, one replying to the other) and a
``.gitignore`` for ``output/``. A folder that already holds anything is left
alone unless ``--force`` is given; even then only the sample files that are
missing are written (anything already there, ``site.yaml`` included, is kept).
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

from .common.atomic_write import write_atomically
from .common.errors import GlossError, SourceLocation

SITE_YAML = """\
# Site settings (every key is optional). See the README, "Site settings and themes".
title: "{title}"
# The address the site will be published at, ending in "/". Needed for absolute URLs in the
# feed, the sitemap and canonical links; pages link to each other relatively either way.
# base_url: "https://example.org/news/"
# The language of the page text and dates, a tag such as en or pt-BR. Translated: {languages}.
language: "{language}"
publisher: ""
description: "Articles with their facts checked and their discussion kept."
"""

SAMPLE_ARTICLE = """\
---
title: "Welcome to your Gloss site"
slug: "welcome"
date: "{date}"
tags: ["Gloss"]
summary: "A sample article: one checked fact, one weighed claim and a short discussion."
draft: false
notes:
  height:
    body: |-
      The tower measures 330 metres to the tip of its antennas; it was 312 metres when it opened
      in 1889.
    verdict: "Accurate"
    rating: 5
    sources:
      - title: "Eiffel Tower: the monument's key figures"
        url: "https://www.toureiffel.paris/en/the-monument/key-figures"
  visitors:
    body: |-
      Visitor counts of paid monuments are published by each operator, with different methods,
      so no single ranking settles it.
    verdict: "Unverified"
    rating: 3
    claimant: "Travel brochures"
comments:
  - id: "c1"
    date: "{date}T09:30"
    author: "Ada"
    reply_to: null
    reply_basis: null
    body: |-
      Is the height with or without the antennas?
  - id: "c2"
    date: "{date}T10:05"
    author: null
    reply_to: "c1"
    reply_basis: "vocative"
    body: |-
      Ada, with them. The note beside the sentence gives both figures and its source.
---
This is a sample article. Mark what can be checked: [the Eiffel Tower is 330 metres
tall]{{.fact #height}}. Mark what someone asserts, to weigh it: [it is the most visited paid
monument in the world]{{.claim #visitors}}.

Each note is described in the front matter above, with its verdict and sources. Edit this file,
run `gloss build`, and open `output/index.html`.
"""

GITIGNORE = "output/\n.output.spare/\n.output.spare.unusable/\n.output.staging-*\n.gloss-cache/\n"


def files_for(title: str, today: dt.date, language: str = "en") -> dict[str, str]:
    """The scaffold's files by relative path."""
    from .render.i18n import shipped  # the catalogs folder; only init needs it

    return {
        ".gitignore": GITIGNORE,
        "site.yaml": SITE_YAML.format(title=title.replace('"', "'"), language=language,
                                      languages=", ".join(shipped())),
        "content/welcome.md": SAMPLE_ARTICLE.format(date=today.isoformat()),
    }


def scaffold(target: Path, *, force: bool = False, today: dt.date | None = None, language: str = "en"
             ) -> list[Path]:
    """Create the sample site in ``target``; returns the files written (never one that exists).
    ``language`` (a tag ``content.yamldoc.LANGUAGE_TAG`` accepts) goes into ``site.yaml``."""
    if target.exists() and not target.is_dir():
        raise GlossError(
            "this is a file, not a folder", SourceLocation(str(target), 1, 1), "name a new or empty folder"
        )
    if target.is_dir() and any(target.iterdir()) and not force:
        raise GlossError(
            "the folder is not empty",
            SourceLocation(str(target), 1, 1),
            "name a new or empty folder, or pass --force to add the missing sample files (files already there are kept)",
        )
    title = target.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "My site"
    written: list[Path] = []
    for rel, text in files_for(title, today or dt.date.today(), language).items():
        path = target / rel
        if path.exists() or path.is_symlink():
            continue  # --force adds what is missing; the user's own site.yaml or article stays
        write_atomically(path, text)  # an interrupted init leaves no half file
        written.append(path)
    return written


def builtin_names(builtin: Path) -> list[str]:
    """Every built-in template and static file, as ``gloss theme copy`` names them."""
    return sorted(p.relative_to(builtin).as_posix() for p in builtin.rglob("*") if p.is_file()
                  and "__pycache__" not in p.parts)


def copy_builtin(builtin: Path, name: str, site_root: Path, *, force: bool = False) -> Path:
    """Copy the built-in template ``name`` into the site's ``templates/`` for editing; returns its path.

    The copy overrides the built-in by name from the next build on; a site's file is never
    replaced without ``force``.
    """
    names = builtin_names(builtin)
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
        hint = f'did you mean "{close[0]}"?' if close else "`gloss theme list` shows the names"
        raise GlossError(f'no built-in template "{name}"', SourceLocation(name, 1, 1), hint)
    target = site_root / "templates" / name
    if target.exists() and not force:
        raise GlossError(
            "the site already has this template", SourceLocation(f"templates/{name}", 1, 1),
            "edit it, or pass --force to replace it with the built-in one",
        )
    write_atomically(target, (builtin / name).read_bytes())
    return target
