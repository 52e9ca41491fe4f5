"""Months and periods as the data and the command line write them.

``as_of`` (``YYYY-MM``, the latest month whose releases may be used) is parsed here
(:func:`parse_as_of`), year-to-date spans get their Chinese labels (:func:`ytd_label`, ``1–9月``)
and periods (``2025``, ``2025-09``, ``2021-2025``) are split into years.

Only the standard library is imported: the command line imports :func:`parse_as_of` while
parsing its arguments.
"""
from __future__ import annotations

import re
from typing import Protocol, Union

from .errors import InputError

#: The ``--as-of`` years econsim accepts (statistics of the reform era to the end of the century).
AS_OF_YEARS = (1990, 2100)
_AS_OF_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_YTD_RE = re.compile(r"^(\d{4})-(\d{2})$")


# --------------------------------------------------------------------------- as-of dates

def parse_as_of(text: str) -> str:
    """Normalise an ``--as-of`` value to ``'YYYY-MM'``.

    Parameters
    ----------
    text : str
        A year and month, ``2025-09`` or ``2025-9`` (surrounding blanks are ignored).

    Returns
    -------
    str
        ``'YYYY-MM'``, e.g. ``'2025-09'`` (the nowcast then uses 1–9月 and earlier releases).

    Raises
    ------
    InputError
        (path ``command line``, key ``--as-of``) for text that is not a year and month, a month
        outside 01–12, or a year outside 1990–2100.
    """
    def fail(why: str):
        raise InputError(f"{why} (expected YYYY-MM, e.g. 2025-09 for 1–9月)", path="command line",
                         key="--as-of")

    if not isinstance(text, str):
        fail(f"{text!r} is not text of the form YYYY-MM")
    m = _AS_OF_RE.match(text.strip())
    if not m:
        fail(f"'{text}' is not a year and month")
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        fail(f"month {month} in '{text}' does not exist (months run 01–12)")
    if not AS_OF_YEARS[0] <= year <= AS_OF_YEARS[1]:
        fail(f"year {year} in '{text}' is outside {AS_OF_YEARS[0]}–{AS_OF_YEARS[1]}")
    return f"{year:04d}-{month:02d}"


class YearMonth(Protocol):
    """Anything with a ``year`` and a ``month``: ``datetime.date``, ``pandas.Period``, ``pandas.Timestamp``."""

    @property
    def year(self) -> int: ...

    @property
    def month(self) -> int: ...


#: A month as users give it: ``'YYYY-MM'`` text, or a date-like object.
AsOf = Union[str, YearMonth]


def as_of_text(as_of: AsOf) -> str:
    """`as_of` (text, date, datetime or pandas Period/Timestamp) as ``'YYYY-MM'``.

    Raises
    ------
    InputError
        With key ``as_of``, for anything that is not a year and month from 1990 to 2100.
    """
    if not isinstance(as_of, str) and hasattr(as_of, "year") and hasattr(as_of, "month"):
        as_of = f"{int(as_of.year):04d}-{int(as_of.month):02d}"
    try:
        return parse_as_of(as_of)
    except InputError as exc:
        raise InputError(exc.message, key="as_of") from None


def ytd_label(last_month: int, first_month: int = 1) -> str:
    """Chinese label of a span of months: ``1–9月``, ``3月`` (a single month)."""
    if first_month == last_month:
        return f"{last_month}月"
    return f"{first_month}–{last_month}月"


def _split_period(period: str) -> tuple[int, int]:
    m = _YTD_RE.match(str(period))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"'{period}' is not a year-to-date period YYYY-MM")
    return int(m.group(1)), int(m.group(2))
