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

from dataclasses import dataclass

from .. import indicators as _ind
from .nowcast import _dedupe, nowcast


# --------------------------------------------------------------------------- backtest

@dataclass
class NowcastBacktest:
    """Nowcasts at each past release compared with the full-year outcome.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per region, indicator and release month: ``as_of``, ``months_elapsed``,
        ``ytd_growth``, ``estimate``, ``lo_80``…``hi_95``, ``actual``, ``error`` (estimate −
        actual, percentage points), ``in_80``, ``in_95``.
    """

    frame: "pandas.DataFrame"

    def to_frame(self) -> "pandas.DataFrame":
        return self.frame.copy()

    def summary(self) -> dict:
        """Counts, mean absolute error (pp) and interval coverage (share, 0–1)."""
        f = self.frame
        if f.empty:
            return {"nowcasts": 0, "mae": None, "coverage_80": None, "coverage_95": None}
        return {"nowcasts": int(len(f)), "mae": float(f["error"].abs().mean()),
                "coverage_80": float(f["in_80"].mean()), "coverage_95": float(f["in_95"].mean())}

    def _repr_html_(self) -> str:
        s = self.summary()
        if not s["nowcasts"]:
            return "<p><b>Nowcast backtest</b>: no release with a known full-year outcome.</p>"
        head = (f"<p><b>Nowcast backtest</b>: {s['nowcasts']} nowcasts, mean absolute error "
                f"{s['mae']:.2f} pp, 80% intervals contain the outcome {100 * s['coverage_80']:.0f}%, "
                f"95% intervals {100 * s['coverage_95']:.0f}%</p>")
        view = self.frame.assign(indicator=self.frame["indicator"].map(_ind.label))
        return head + view.round(2).to_html(index=False, na_rep="")


BACKTEST_COLUMNS = ("region", "indicator", "year", "as_of", "months_elapsed", "ytd_growth", "estimate",
                    "lo_80", "hi_80", "lo_95", "hi_95", "actual", "error", "in_80", "in_95", "method")


def backtest_nowcast(dataset, region: str | None = None, year: int | None = None) -> NowcastBacktest:
    """Nowcast at every year-to-date release and compare with the full-year outcome.

    For each indicator, each month in which its year-to-date growth was released becomes an
    ``as_of``; the nowcast made then (which cannot see the outcome) is compared with the reported
    full-year growth (status actual, else preliminary).

    Parameters
    ----------
    dataset : econsim.data.Dataset
    region : str, optional
        Default: every region with year-to-date figures.
    year : int, optional
        Default: every year with year-to-date figures and an outcome.

    Returns
    -------
    NowcastBacktest
    """
    import pandas as pd

    if region is not None:
        dataset.require_region(region)
    obs = _dedupe(dataset.select(region=region) if region else dataset.observations)
    ytd = obs[obs["measure"] == "ytd_growth"]
    full = obs[(obs["measure"] == "growth") & obs["period"].astype(str).str.fullmatch(r"\d{4}")]
    outcome = {(r, i, int(p)): float(v) for r, i, p, v in
               zip(full["region"], full["indicator"], full["period"], full["value"])}
    rows = []
    for r, ind, p in sorted(zip(ytd["region"], ytd["indicator"], ytd["period"])):
        y = int(p[:4])
        if (year is not None and y != year) or (r, ind, y) not in outcome:
            continue
        nc = nowcast(dataset, p, region=r, targets=False)
        est = nc.for_indicator(ind, r)
        actual = outcome[(r, ind, y)]
        rows.append({
            "region": r, "indicator": ind, "year": y, "as_of": p, "months_elapsed": est.months_elapsed,
            "ytd_growth": est.ytd_growth, "estimate": est.estimate, "lo_80": est.lo_80, "hi_80": est.hi_80,
            "lo_95": est.lo_95, "hi_95": est.hi_95, "actual": actual, "error": est.estimate - actual,
            "in_80": bool(est.lo_80 <= actual <= est.hi_80), "in_95": bool(est.lo_95 <= actual <= est.hi_95),
            "method": est.method,
        })
    return NowcastBacktest(pd.DataFrame(rows, columns=list(BACKTEST_COLUMNS)))
