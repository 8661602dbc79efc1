"""``python -m caseviewer.cli``: the same as the ``caseviewer`` command."""

from caseviewer.cli.run import main

if __name__ == "__main__":
    raise SystemExit(main())
