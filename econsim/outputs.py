"""Writing results so that a failure never leaves half-written output.

Everything a command writes is first written to a temporary sibling and then moved into
place with ``os.replace`` (atomic on one filesystem).  Directories of results are staged
in a temporary sibling directory and swapped in as a whole.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from .errors import InputError


def check_output_dir(out, *, option: str = "--out") -> Path:
    """`out` as a Path usable as an output directory; InputError if it is a file or cannot be made."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError("output path exists and is a file, not a directory; choose another --out",
                         path=out, key=option)
    parent = out.parent if not out.exists() else out
    while not parent.exists():
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise InputError("a parent of the output path is a file", path=out, key=option)
    if not os.access(parent, os.W_OK):
        raise InputError("output location is not writable", path=out, key=option)
    return out


def write_text_atomic(path, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` via a temporary file and an atomic rename."""
    return write_bytes_atomic(path, text.encode(encoding))


def write_bytes_atomic(path, data: bytes) -> Path:
    """Write `data` to `path` via a temporary file and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


@contextlib.contextmanager
def staged_files(out_dir):
    """Stage files for `out_dir`; on success move each into place, on failure leave `out_dir` untouched.

    Usage::

        with staged_files(out) as stage:
            (stage / "projection.csv").write_text(...)
            ...
        # now out/projection.csv exists; files in out/ not written this time are kept

    Files are moved one by one with ``os.replace`` only after the block has finished without error.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        yield stage
        out_dir.mkdir(parents=True, exist_ok=True)
        for src in sorted(stage.rglob("*")):
            if src.is_file():
                dst = out_dir / src.relative_to(stage)
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dst)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
