"""Manifests: what a command read and wrote (SHA-256), with which versions, settings and timings.

Every ``manifest.json`` econsim writes (``econsim run``, ``compare`` and ``report``) is built by
:func:`build_manifest` and written by :func:`econsim.io.writing.write_manifest`, so they share one
layout::

    command         run, compare or report
    ...             the command's own settings (scenarios, seeds, parameters, ...)
    status
    inputs_sha256   {resolved path of every file read: SHA-256}
    outputs_sha256  {name of every file written beside the manifest: SHA-256}
    versions        Python and the packages of :data:`MANIFEST_PACKAGES` (plus the command's own)
    timings_s       seconds per step

:func:`econsim.io.writing.staged_files` reads ``outputs_sha256`` of the previous manifest to
remove files a new run no longer writes.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Mapping

#: Packages whose versions every manifest records.
MANIFEST_PACKAGES = ("econsim", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "pyyaml")

#: Digits of the timings (seconds) a manifest keeps.
TIMING_DIGITS = 4


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_hashes(paths: Iterable[str | os.PathLike | None]) -> dict[str, str]:
    """SHA-256 of each file read, keyed by its resolved path, in the order given (``None`` skipped).

    Parameters
    ----------
    paths : iterable of path or None
        The files a command read (data file, scenario files and their parents, notebook).

    Returns
    -------
    dict
        ``{absolute path: hex SHA-256}``; a file given twice appears once.
    """
    return {str(Path(p).resolve()): sha256_file(p) for p in paths if p is not None}


def output_hashes(directory: str | os.PathLike) -> dict[str, str]:
    """SHA-256 of each file directly in `directory`, keyed by file name, sorted by name."""
    return {p.name: sha256_file(p) for p in sorted(Path(directory).iterdir()) if p.is_file()}


def package_versions(extra: Iterable[str] = ()) -> dict[str, str | None]:
    """Versions of Python and of econsim's packages (read from metadata, nothing imported)."""
    import platform
    from importlib import metadata

    out: dict[str, str | None] = {"python": platform.python_version()}
    for dist in MANIFEST_PACKAGES + tuple(extra):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def build_manifest(command: str, *, status: str, inputs: Mapping[str, str], outputs: Mapping[str, str],
                   timings: Mapping[str, float], packages: Iterable[str] = (), **fields: Any) -> dict:
    """The manifest of one command's run, in the layout of the module docstring.

    Parameters
    ----------
    command : str
        ``run``, ``compare`` or ``report``.
    status : str
        The outcome (``ok``, ``failed``; a run's figures are ``derived``).
    inputs, outputs : mapping
        :func:`input_hashes` of what was read and :func:`output_hashes` of what was written.
    timings : mapping
        Seconds per step; kept to :data:`TIMING_DIGITS` digits.
    packages : iterable of str
        Packages recorded besides :data:`MANIFEST_PACKAGES`.
    **fields
        The command's own settings, placed after ``command`` in the given order.

    Returns
    -------
    dict
        Plain JSON data.
    """
    return {"command": command, **fields, "status": status, "inputs_sha256": dict(inputs),
            "outputs_sha256": dict(outputs), "versions": package_versions(packages),
            "timings_s": {k: round(float(v), TIMING_DIGITS) for k, v in timings.items()}}
