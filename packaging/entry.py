"""Entry script for the frozen bundle: the same ``main`` as the ``caseviewer`` command."""

import sys

from caseviewer.cli import main

if __name__ == "__main__":
    sys.exit(main())
