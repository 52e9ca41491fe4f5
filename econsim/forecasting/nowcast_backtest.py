"""How good the nowcasts were: every past year and month, nowcast as it was known then, against the outcome.

:func:`backtest_nowcast` makes each month with a year-to-date growth release an ``as_of``, nowcasts
with only what was known then (:func:`econsim.forecasting.nowcast.nowcast`) and compares the
estimate with the reported full-year growth; :class:`NowcastBacktest` holds the errors and the
interval coverage.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import indicators as _ind
from .nowcast import _dedupe, nowcast

if TYPE_CHECKING:
    import pandas

    from ..data.dataset import Dataset


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

    frame: pandas.DataFrame

    def to_frame(self) -> pandas.DataFrame:
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


def backtest_nowcast(dataset: Dataset, region: str | None = None, year: int | None = None) -> NowcastBacktest:
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
