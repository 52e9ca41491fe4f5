"""Reading a user's text file with the checks every input file gets.

Data files and scenario files fail in the same ways — missing, a directory, empty, binary,
not UTF-8, too large — and each gets the same kind of one-line :class:`InputError`.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError


def read_text(path, *, what: str, empty_hint: str, max_bytes: int | None = None) -> str:
    """The text of `path`, or an InputError naming the file and what is wrong with it.

    Parameters
    ----------
    path : str or Path
    what : str
        What the file should be, for messages (e.g. ``"an observations CSV file"``).
    empty_hint : str
        What a non-empty file holds (e.g. ``"a CSV header and observations"``).
    max_bytes : int, optional
        Largest size accepted.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"is a directory, not {what}", path=path)
    if not path.is_file():
        raise InputError("file not found; check the path", path=path)
    raw = path.read_bytes()
    if max_bytes is not None and len(raw) > max_bytes:
        raise InputError(f"file is {len(raw)} bytes; {what} is at most {max_bytes} bytes", path=path)
    if not raw.strip():
        raise InputError(f"file is empty; expected {empty_hint}", path=path)
    if b"\x00" in raw:
        raise InputError(f"looks like a binary file, not {what}", path=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 text (byte {exc.start}); save the file as UTF-8",
                         path=path) from None
