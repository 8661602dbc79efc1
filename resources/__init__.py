"""Icons and other resources shipped inside the wheel and the bundle (as ``caseviewer.resources``).

The top-level ``resources/`` folder of the repository is mapped to this package by pyproject, so
``resource_path("icons/app.svg")`` works from a checkout, an installed wheel and a frozen bundle.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(name: str) -> Path:
    """The filesystem path of a shipped resource file (e.g. ``"icons/refresh.svg"``)."""
    return Path(str(resources.files(__name__).joinpath(name)))
