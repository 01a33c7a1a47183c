"""Packages whose public names load on first use (a PEP 562 module ``__getattr__``).

A package re-exporting the names of its modules would import them all with the package; a
command that needs one module then pays for every other. ``names_from`` gives the package a
``__getattr__`` that imports each name's module the first time the name is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib import import_module


def names_from(package: str, modules: Mapping[str, Sequence[str]]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: ``modules`` maps a module to its names."""
    home = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> object:
        if name not in home:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(home[name]), name)

    return __getattr__
