"""``python -m generator`` is ``gloss``."""

import sys

from .cli import main

sys.exit(main())
