"""Stage 2, content: one content file (YAML front matter + Markdown) becomes an :class:`Article`.

``parse`` reads the file (``yamldoc`` keeps positions for located errors), ``model`` holds the
data classes, ``config`` reads ``site.yaml``, ``annotations`` is the inline span syntax and
``markdown`` renders bodies to HTML.
"""
