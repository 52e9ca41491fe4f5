"""Year-to-date (1–N月 累计) statistics: single periods, implied growth and full-year nowcasts.

Chinese statistics arrive as cumulative figures from the start of the year: 1–2月 (January and
February are usually released together, so period ``2025-02`` means 1–2月 and there is normally
no ``2025-01``), 1–3月, …, 1–12月.  In the observations format the measures are ``ytd_level``
(亿元, current prices 现价) and ``ytd_growth`` (percent on the same months of last year; for GDP
and value added at comparable prices 可比价), and ``period`` is the month the figure runs through.

This module turns those figures into

* the levels of single months, spans between releases and quarters (:func:`single_periods`,
  :func:`quarterly_levels`) — differences of cumulative levels;
* the growth of the latest span where levels allow it (:func:`span_growth`), or an explicit
  reason why it cannot be derived (growth rates alone never determine it);
* the weight of the elapsed months in last year's total (:func:`elapsed_weight`) and the growth
  the rest of the year needs to meet a target (:func:`required_rest_growth`,
  :func:`required_growth_text`);
* a full-year growth estimate with 80% and 95% intervals (:func:`nowcast`, returning
  :class:`Nowcast`) and its evaluation against known outcomes (:func:`backtest_nowcast`).

The model behind the nowcast
----------------------------
A year's growth splits exactly into the elapsed and the remaining months::

    g_year = w * g_ytd + (1 - w) * g_rest

where ``w`` is the share of the elapsed months in last year's annual total.  The estimate assumes
the rest of the year grows as the year so far (``g_rest = g_ytd``, the persistence that analysts
use by default), so the full-year estimate is the year-to-date growth; its uncertainty is that of
``g_rest``, scaled by ``1 - w``: it shrinks as the year goes on and is zero-width only at 1–12月.
Where the dataset holds past years' year-to-date figures at the same month *and* their full-year
outcomes, the deviations ``g_year - g_ytd`` of those years shift the estimate and set the width,
shrunk toward the default (see :data:`REMAINDER_SD_PP`) with the weight of
:data:`PRIOR_YEARS` years, because two or three past years say little on their own.

Nothing later than ``as_of`` is ever used: year-to-date figures only up to that month, annual
figures only of earlier years (the outcome of the nowcast year is never seen), targets only up to
the nowcast year, and no ``derived`` rows (a reconstruction may have used later data).

Only the standard library is imported at module level: the command line imports
:func:`parse_as_of` while parsing its arguments.
"""
from __future__ import annotations

import re

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


def _as_of_text(as_of) -> str:
    """`as_of` (text, date, datetime or pandas Period/Timestamp) as ``'YYYY-MM'``."""
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
