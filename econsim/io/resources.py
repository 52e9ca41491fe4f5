"""Where econsim finds its data, scenarios and notebooks.

Lookup order for each kind of resource (``data``, ``scenarios``, ``notebooks``):

1. the user's working directory (``./data``, ``./scenarios``, ``./notebooks``), so an
   economist can keep edited copies beside their work;
2. the copy bundled inside the installed package (``econsim/_bundled/...``), which a
   non-editable ``pip install .`` carries;
3. the source tree (an editable install or a checkout).
"""
from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
KINDS = ("data", "scenarios", "notebooks")


def candidate_dirs(kind: str) -> list[Path]:
    """Directories searched for `kind`, most specific first."""
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {KINDS}")
    return [
        Path(os.getcwd()) / kind,
        _PACKAGE_DIR / "_bundled" / kind,
        _PACKAGE_DIR.parent / kind,
    ]


def find(kind: str, name: str) -> Path | None:
    """First existing file `name` under the `kind` directories, or None."""
    for d in candidate_dirs(kind):
        p = d / name
        if p.is_file():
            return p
    return None


def list_names(kind: str, suffix: str) -> list[str]:
    """Sorted stems of files ending in `suffix` across all `kind` directories."""
    names = set()
    for d in candidate_dirs(kind):
        if d.is_dir():
            names.update(p.stem for p in d.glob(f"*{suffix}") if p.is_file())
    return sorted(names)
