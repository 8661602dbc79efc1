"""Package discovery, kept here because pyproject alone cannot combine ``find`` with a mapped folder.

The top-level ``resources/`` folder ships inside the wheel (and the bundle) as the package
``caseviewer.resources``; everything else is metadata in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["caseviewer", "caseviewer.*"]) + ["caseviewer.resources"],
    package_dir={"caseviewer.resources": "resources"},
)
