"""Year-to-date (1–N月 累计) arithmetic: single periods, span growth, elapsed weights, required growth.

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
  :func:`required_growth_text`).

The full-year estimate built on them is :mod:`econsim.forecasting.nowcast`.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..periods import _split_period, ytd_label


# --------------------------------------------------------------------------- conversions

@dataclass(frozen=True)
class PeriodFigure:
    """A figure derived from year-to-date releases, or the reason it cannot be derived.

    Attributes
    ----------
    year : int
    first_month, last_month : int
        The months covered (``3, 3`` is March alone; ``1, 2`` is 1–2月 combined).
    measure : str
        ``level`` (in the unit of the releases, e.g. 亿元) or ``growth`` (percent on the same
        months of last year).
    value : float or None
        None when the figure cannot be derived; `reason` then says why.
    approximate : bool
        True when the derivation mixes current-price levels (现价) with comparable-price growth
        (可比价): the result is then close to, not exactly, the comparable-price growth.
    reason : str
        Why `value` is None, or a caveat about it.
    status : str
        Always ``derived``: econsim computed it.
    """

    year: int
    first_month: int
    last_month: int
    measure: str
    value: float | None
    approximate: bool = False
    reason: str = ""
    status: str = "derived"

    @property
    def label(self) -> str:
        """``2025 7–9月`` style label."""
        return f"{self.year} {ytd_label(self.last_month, self.first_month)}"

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1

    @property
    def derived(self) -> bool:
        """Whether a value could be derived."""
        return self.value is not None


def _sorted_ytd(ytd: dict) -> list[tuple[int, int, float]]:
    """(year, month, value) sorted by month; all in one year, months distinct."""
    items = sorted((*_split_period(p), float(v)) for p, v in dict(ytd).items())
    years = {y for y, _, _ in items}
    if len(years) > 1:
        raise ValueError(f"year-to-date figures of several years given ({sorted(years)}); pass one year")
    return items


def single_periods(ytd_levels: dict) -> list[PeriodFigure]:
    """Levels of the spans between consecutive year-to-date releases.

    Each span's level is the difference of the cumulative levels at its ends.  The first span
    starts in January: with the usual combined release of January and February it is 1–2月
    (two months, which cannot be split); a missing release makes the next span cover several
    months.

    Parameters
    ----------
    ytd_levels : mapping of str to float
        ``{'2025-02': 1000.0, '2025-03': 1600.0, ...}``: cumulative levels (e.g. 亿元) of one year.

    Returns
    -------
    list of PeriodFigure
        One level per span, in order (measure ``level``, same unit as the input).
    """
    out, prev = [], 0
    prev_level = 0.0
    for year, month, level in _sorted_ytd(ytd_levels):
        reason = ""
        if prev == 0 and month == 2:
            reason = "1–2月 combined: January and February are released together"
        elif month - prev > 1:
            reason = f"no release for 1–{month - 1}月, so {ytd_label(month, prev + 1)} cannot be split"
        value = level - prev_level
        if value < 0:
            reason = (reason + "; " if reason else "") + "cumulative level fell: a revision or an error " \
                     "in one of the releases"
        out.append(PeriodFigure(year, prev + 1, month, "level", value, reason=reason))
        prev, prev_level = month, level
    return out


def quarterly_levels(ytd_levels: dict) -> list[PeriodFigure]:
    """Levels of the four quarters from the 1–3月, 1–6月, 1–9月 and 1–12月 cumulative levels.

    Parameters
    ----------
    ytd_levels : mapping of str to float
        Cumulative levels of one year keyed ``'YYYY-MM'``; other months are ignored.

    Returns
    -------
    list of PeriodFigure
        Q1–Q4 (measure ``level``); a quarter whose end points are not both released has value
        None and a reason naming the missing release.
    """
    items = _sorted_ytd(ytd_levels)
    if not items:
        return []
    year = items[0][0]
    by_month = {m: v for _, m, v in items}
    by_month[0] = 0.0
    out = []
    for q in range(1, 5):
        start, end = 3 * (q - 1), 3 * q
        missing = [ytd_label(m) for m in (start, end) if m not in by_month]
        if missing:
            out.append(PeriodFigure(year, start + 1, end, "level", None,
                                    reason=f"Q{q} needs the {' and '.join(missing)} cumulative level; "
                                           "not released"))
        else:
            out.append(PeriodFigure(year, start + 1, end, "level", by_month[end] - by_month[start]))
    return out


def span_growth(*, year: int, month_t: int, level_t: float | None, growth_t: float,
                month_s: int = 0, level_s: float | None = None, growth_s: float | None = None,
                growth_basis: str = "nominal") -> PeriodFigure:
    """Growth of the months between two year-to-date releases (months ``s+1 .. t``).

    Last year's cumulative levels are ``L / (1 + g/100)``, so the span's growth is::

        (L_t - L_s) / (L_t / (1 + g_t) - L_s / (1 + g_s)) - 1

    Growth rates alone do not determine it: the answer depends on how last year's total was split
    between the two spans, which only levels reveal.  Such a request returns value None with the
    reason.

    Parameters
    ----------
    year : int
    month_t, level_t, growth_t :
        The later release: month it runs through, cumulative level (e.g. 亿元, current prices) or
        None, year-to-date growth (percent).
    month_s, level_s, growth_s :
        The earlier release; ``month_s=0`` (the default) means the start of the year, so the span
        is the whole year to date and its growth is `growth_t`.
    growth_basis : {'comparable', 'nominal', 'unknown'}
        Price basis of the growth rates.  Levels are at current prices (现价), so with
        ``comparable`` (可比价) growth the result mixes the two and is flagged approximate.

    Returns
    -------
    PeriodFigure
        Measure ``growth`` in percent, or value None with the reason.
    """
    if not 0 <= month_s < month_t <= 12:
        raise ValueError(f"months must satisfy 0 <= month_s < month_t <= 12 (got {month_s}, {month_t})")
    if month_s == 0:
        return PeriodFigure(year, 1, month_t, "growth", float(growth_t),
                            reason="the span is the year to date: its growth is the released figure")
    span = ytd_label(month_t, month_s + 1)
    if level_s is None or level_t is None or growth_s is None:
        return PeriodFigure(
            year, month_s + 1, month_t, "growth", None,
            reason=f"growth of {span} cannot be derived from growth rates alone: it needs the "
                   f"cumulative levels of {ytd_label(month_s)} and {ytd_label(month_t)} (last year's "
                   "split between the two spans is unknown otherwise)")
    prior_t = level_t / (1 + growth_t / 100)
    prior_s = level_s / (1 + growth_s / 100)
    if prior_t - prior_s <= 0:
        return PeriodFigure(year, month_s + 1, month_t, "growth", None,
                            reason=f"implied last-year level of {span} is not positive; the releases "
                                   "are inconsistent (revision?)")
    value = 100 * ((level_t - level_s) / (prior_t - prior_s) - 1)
    approximate = growth_basis == "comparable"
    reason = ("approximate: combines current-price levels (现价) with comparable-price growth (可比价)"
              if approximate else "")
    return PeriodFigure(year, month_s + 1, month_t, "growth", value, approximate=approximate,
                        reason=reason)


@dataclass(frozen=True)
class ElapsedWeight:
    """Share of the elapsed months in last year's annual total.

    Attributes
    ----------
    value : float
        ``w`` in [0, 1].
    basis : str
        ``levels`` (last year's year-to-date level over last year's annual level) or ``months``
        (``m / 12``, when levels are missing).
    note : str
        Caveats (an approximation from mixed price bases, or why levels were not used).
    """

    value: float
    basis: str
    note: str = ""


def elapsed_weight(month: int, *, ytd_level: float | None = None, ytd_growth: float | None = None,
                   prior_annual_level: float | None = None,
                   growth_basis: str = "nominal") -> ElapsedWeight:
    """Weight ``w`` of months 1..`month` in last year's annual total.

    From levels where available: last year's cumulative level ``ytd_level / (1 + ytd_growth/100)``
    over last year's annual level; otherwise ``month / 12`` (which ignores seasonality: in China
    the fourth quarter is usually the largest, so ``m/12`` tends to overstate ``w``).

    Parameters
    ----------
    month : int
        Last month of the year to date (1–12).
    ytd_level : float, optional
        This year's cumulative level (current prices, same unit as `prior_annual_level`).
    ytd_growth : float, optional
        This year's year-to-date growth, percent.
    prior_annual_level : float, optional
        Last year's annual level (current prices).
    growth_basis : str
        ``comparable`` growth deflates a current-price level by a real rate: flagged approximate.

    Returns
    -------
    ElapsedWeight
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1–12, got {month}")
    if month == 12:
        return ElapsedWeight(1.0, "months", "the year is complete")
    by_months = ElapsedWeight(month / 12, "months", f"w = {month}/12 (no levels to weight the months)")
    if ytd_level is None or ytd_growth is None or prior_annual_level is None or prior_annual_level <= 0:
        return by_months
    w = ytd_level / (1 + ytd_growth / 100) / prior_annual_level
    if not 0 < w < 1:
        return ElapsedWeight(month / 12, "months",
                             f"w = {month}/12: the weight from levels ({w:.3f}) is outside 0–1, so the "
                             "levels are not comparable (different coverage or a revision)")
    note = ("w from last year's levels: current-price level deflated by comparable-price growth, "
            "approximate" if growth_basis == "comparable" else "w from last year's levels")
    return ElapsedWeight(w, "levels", note)


def required_rest_growth(target: float, ytd_growth: float, weight: float) -> float:
    """Growth (percent) the remaining months need for the year to reach `target`.

    ``g_rest = (target - w * g_ytd) / (1 - w)``.  Example: 1–9月 +5.2%, target 6%, ``w = 0.75``
    gives +8.4%.

    Parameters
    ----------
    target : float
        Full-year growth target, percent.
    ytd_growth : float
        Year-to-date growth, percent.
    weight : float
        Share ``w`` of the elapsed months in last year's total, ``0 <= w < 1``.

    Raises
    ------
    ValueError
        When ``w >= 1`` (the year is complete: nothing remains to grow).
    """
    if not 0 <= weight < 1:
        raise ValueError(f"weight of the elapsed months must be in [0, 1), got {weight}")
    return (target - weight * ytd_growth) / (1 - weight)


def required_growth_text(ytd_growth: float, target: float, month: int, weight: float | None = None) -> str:
    """One sentence on what the rest of the year needs.

    Example: ``required_growth_text(5.2, 6, 9)`` gives
    ``'1–9月 +5.2%: the remaining 3 months (weight 25%) need +8.4% for the year to reach 6%'``.

    Parameters
    ----------
    ytd_growth, target : float
        Percent.
    month : int
        Last month of the year to date.
    weight : float, optional
        ``w``; default ``month / 12``.
    """
    head = f"{ytd_label(month)} {ytd_growth:+.1f}%"
    if month == 12:
        verdict = "reached" if ytd_growth >= target else "fell short of"
        return f"{head}: the year is complete and {verdict} the target of {target:g}%"
    w = month / 12 if weight is None else weight
    need = required_rest_growth(target, ytd_growth, w)
    rest = 12 - month
    months = "the remaining month" if rest == 1 else f"the remaining {rest} months"
    return f"{head}: {months} (weight {100 * (1 - w):.0f}%) need {need:+.1f}% for the year to reach {target:g}%"
