"""Gloss: a static site generator for annotated articles.

Stages, each one module, imports pointing one way:
import (``importer``, ``timestamps``, ``replies``) → content (``content``,
``config``, ``yamldoc``) → markdown (``annotations``, ``markdown``) → site model
(``threads``, ``site``) → render (``render``) → write (``write``), driven by
``build`` and the ``cli``.
"""

__version__ = "0.1.0"
