"""Errors that econsim reports to its users.

`InputError` is the one exception class for *bad input* (a malformed data file,
scenario, option or notebook parameter).  The command line turns it into the
contract's single line ``econsim: error: <where>: <what>`` and exit code 2;
Python callers can catch it (it is a ``ValueError``).

The checks of values that several places take from users (Monte Carlo draws, random seeds)
are written once here; each caller passes the file (or option) and key its message names.
"""
from __future__ import annotations

import os
from typing import Any, Iterable

#: Most Monte Carlo draws a run may ask for: beyond it the paths would not fit in memory.
MAX_DRAWS = 5_000_000
#: Largest random seed (seeds are 0 to 2**63-1: what NumPy takes and a JSON manifest keeps exactly).
MAX_SEED = 2**63 - 1


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

    def __init__(self, message: str, *, path: str | os.PathLike | None = None,
                 line: int | None = None, key: str | None = None) -> None:
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


def did_you_mean(word: str, choices: Iterable[Any]) -> str:
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


def check_whole_number(value: Any, *, low: int, high: int, what: str, path: str | os.PathLike | None = None,
                       key: str | None = None) -> int:
    """`value` as an ``int`` when it is a whole number from `low` to `high`; InputError otherwise.

    Parameters
    ----------
    value : object
        What the user gave.  Python and NumPy integers are accepted; ``True``, ``2.0`` and text are
        not (text that reads as a number gets a hint to write the number out).
    low, high : int
        The allowed range, both ends included.
    what : str
        What is expected, as the message says it (``a whole number of Monte Carlo draws ...``).
    path, key : optional
        The file (or option) and key the message names.

    Raises
    ------
    InputError
        ``expected <what>, got <value>`` naming `path` and `key`.
    """
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(f"expected {what}, got {value!r} ({type(value).__name__}){_number_text_hint(value)}",
                         path=path, key=key)
    value = int(value)
    if not low <= value <= high:
        raise InputError(f"expected {what}, got {value}", path=path, key=key)
    return value


def _number_text_hint(value: Any) -> str:
    """A hint for text that reads as a number (YAML 1.1 reads ``1e5`` as text), else an empty string."""
    if not isinstance(value, str):
        return ""
    try:
        number = float(value)
    except ValueError:
        return ""
    return f"; '{value}' is text: write the number out ({number:.0f})" if abs(number) < 1e18 else ""


def check_draws(value: Any, *, path: str | os.PathLike | None = None, key: str | None = "draws") -> int:
    """A number of Monte Carlo draws: a whole number from 1 to :data:`MAX_DRAWS`. Raises InputError."""
    return check_whole_number(value, low=1, high=MAX_DRAWS, path=path, key=key,
                              what=f"a whole number of Monte Carlo draws from 1 to {MAX_DRAWS:,}")


def check_seed(value: Any, *, path: str | os.PathLike | None = None, key: str | None = "seed") -> int:
    """A random seed: a whole number from 0 to :data:`MAX_SEED` (2**63-1). Raises InputError."""
    return check_whole_number(value, low=0, high=MAX_SEED, path=path, key=key,
                              what="a whole number from 0 to 2**63-1 as the random seed")
