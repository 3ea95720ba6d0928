"""Gloss: a static site generator for annotated articles.

Stages, each one module, imports pointing one way:
import (``importer``, ``timestamps``, ``replies``) → content (``content``,
``config``, ``yamldoc``) → markdown (``annotations``, ``markdown``) → site model
(``threads``, ``site``, ``summary``) → render (``render``, ``listing``,
``feeds``, ``structured``) → write (``write``), driven by ``build`` and the
``cli``. A build starts in ``uptodate`` (``inputs``, ``state``: is there
anything to do?), then ``build`` runs ``pages`` per article on all cores
(``parallel``), with ``articles``, ``theme`` and the ``cache`` beside it.
"""

__version__ = "0.1.0"
