"""Adding one sub-command to the parser: its flags' parents, its help, the function it runs.

Every sub-command that runs a function is added with ``add_command`` (in ``cli/parser.py`` and
in each command module's ``register``), so a sub-command is one call and its arguments, never the
same three steps again. Only a group of sub-commands (``profile``) has a parser of its own.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_command(
    subparsers: Any,
    name: str,
    func: Callable[[argparse.Namespace], int],
    parents: list[argparse.ArgumentParser],
    help: str,  # noqa: A002 - argparse's own name for it
    description: str | None = None,
    *,
    profile_metavar: str | None = None,
) -> argparse.ArgumentParser:
    """The parser of sub-command ``name`` running ``func``; with ``profile_metavar`` it takes a
    profile's name first (as ``args.name``)."""
    parser = subparsers.add_parser(name, parents=parents, help=help, description=description)
    if profile_metavar is not None:
        parser.add_argument("name", metavar=profile_metavar)
    parser.set_defaults(func=func)
    return parser


__all__ = ["add_command"]
