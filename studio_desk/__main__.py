"""``python -m studio_desk`` runs the same command line as ``studio-desk``."""

import sys

from studio_desk.cli import main

sys.exit(main())
