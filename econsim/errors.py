"""Errors that econsim reports to its users.

`InputError` is the one exception class for *bad input* (a malformed data file,
scenario, option or notebook parameter).  The command line turns it into the
contract's single line ``econsim: error: <where>: <what>`` and exit code 2;
Python callers can catch it (it is a ``ValueError``).
"""
from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """Bad input, reported as one line naming the file and, where known, line and key.

    Parameters
    ----------
    message : str
        What is wrong and, where possible, what to do next.
    path : str or Path, optional
        The file (or option) the problem is in.
    line : int, optional
        1-based line number in `path`.
    key : str, optional
        The column, scenario key or parameter at fault.
    """

    def __init__(self, message: str, *, path: str | Path | None = None,
                 line: int | None = None, key: str | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.key = key
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The error as a single line: ``file: line N: key 'k': message``."""
        parts = []
        if self.path:
            parts.append(self.path)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.key:
            parts.append(f"key '{self.key}'")
        parts.append(self.message)
        return ": ".join(parts).replace("\n", " ")


def did_you_mean(word: str, choices) -> str:
    """A ``did you mean 'x'?`` hint for a misspelt key, or an empty string.

    The comparison ignores case, so ``GDP`` suggests ``gdp`` and ``Gpd`` suggests ``gdp``.
    """
    import difflib

    by_lower: dict[str, str] = {}
    for c in choices:
        by_lower.setdefault(str(c).lower(), str(c))
    close = difflib.get_close_matches(str(word).lower(), list(by_lower), n=1, cutoff=0.6)
    if not close or by_lower[close[0]] == str(word):
        return ""
    return f" (did you mean '{by_lower[close[0]]}'?)"
