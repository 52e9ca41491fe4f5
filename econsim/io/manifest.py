"""Writing results so that a failure never leaves half-written output.

Everything a command writes is first written to a temporary sibling and then moved into
place with ``os.replace`` (atomic on one filesystem).  Directories of results are staged
in a temporary sibling directory and swapped in as a whole.
"""
from __future__ import annotations




def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


def sha256_file(path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


#: Packages whose versions every manifest records.
MANIFEST_PACKAGES = ("econsim", "numpy", "pandas", "scipy", "statsmodels", "matplotlib", "pyyaml")


def package_versions(extra=()) -> dict:
    """Versions of Python and of econsim's packages (read from metadata, nothing imported)."""
    import platform
    from importlib import metadata

    out = {"python": platform.python_version()}
    for dist in MANIFEST_PACKAGES + tuple(extra):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out
