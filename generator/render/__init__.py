"""Stage 4, render: the site model through Jinja templates into output files (HTML, feed, JSON-LD).

Renders into memory only; ``build`` decides what to render and writes it.
"""
