"""Full-year growth nowcasts from year-to-date (1–N月 累计) releases, with 80% and 95% intervals.

:func:`nowcast` returns a :class:`Nowcast`; the year-to-date arithmetic it rests on (weights,
span growth, required growth) is :mod:`econsim.forecasting.ytd`, and its evaluation against
known outcomes is :mod:`econsim.forecasting.nowcast_backtest`.

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
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import TYPE_CHECKING, Sequence

from .. import indicators as _ind
from ..data.dataset import known_at  # noqa: F401  (re-exported: what a nowcast may see)
from ..data.schema import REPORTED_STATUSES, STATUS_RANK
from ..errors import InputError
from ..periods import AsOf, as_of_text, ytd_label
from .ytd import elapsed_weight, required_rest_growth, span_growth

if TYPE_CHECKING:
    import pandas

    from ..data.dataset import Dataset

#: Default uncertainty (1 sd, percentage points) of the growth of the *remaining* months of the
#: year around the year-to-date growth, by indicator.  Deliberately wide: a city's single quarter
#: or month routinely departs from its year-to-date rate by several points, and the bundled 2025
#: releases show how far (foreign trade 1–7月 +7.7% then 1–9月 +3.9%, so August–September ran
#: about −8%, 16 points below the year-to-date rate; fixed investment went from 1–4月 +3.4% to
#: 1–5月 −6.1% in one month).  GDP is quarterly and smoothed by construction (3 pp); industrial
#: value added swings with a few large plants (6 pp); retail sales are steadier (5 pp); investment,
#: trade and budget revenue depend on single projects, cargoes and tax items (10–12 pp); FDI used
#: is lumpier still (30 pp).  Indicators not listed use :data:`DEFAULT_REMAINDER_SD_PP`.
REMAINDER_SD_PP = {
    "gdp": 3.0,
    "industrial_va": 6.0,
    "industrial_output": 6.0,
    "retail_sales": 5.0,
    "fixed_investment": 12.0,
    "foreign_trade": 12.0,
    "exports": 12.0,
    "imports": 12.0,
    "budget_revenue": 10.0,
    "budget_revenue_excl_tax_cuts": 10.0,
    "software_revenue": 8.0,
    "tech_services_revenue": 8.0,
    "fdi_used": 30.0,
}
DEFAULT_REMAINDER_SD_PP = 10.0

#: Weight, in years, of the default uncertainty when past years' deviations are available.
PRIOR_YEARS = 2.0

#: Interval levels (percent) of a nowcast.
LEVELS = (80, 95)

#: Columns of :meth:`Nowcast.to_frame`, in order (a contract for the scenario engine and report).
NOWCAST_COLUMNS = (
    "region", "indicator", "year", "measure", "estimate", "lo_80", "hi_80", "lo_95", "hi_95",
    "target", "required_growth", "as_of", "latest_period", "months_elapsed", "ytd_growth",
    "remaining_weight", "weight_basis", "sd", "method", "prob_target", "latest_span",
    "latest_span_growth", "basis", "status", "note",
)


# --------------------------------------------------------------------------- the nowcast

@dataclass(frozen=True)
class IndicatorNowcast:
    """The full-year growth nowcast of one indicator in one region (percent, status derived).

    ``estimate`` with ``lo_80``/``hi_80`` and ``lo_95``/``hi_95``; the estimate is normal with
    standard deviation ``sd`` (percentage points).  See :data:`NOWCAST_COLUMNS` for the fields.
    """

    region: str
    indicator: str
    year: int
    estimate: float
    lo_80: float
    hi_80: float
    lo_95: float
    hi_95: float
    sd: float
    ytd_growth: float
    months_elapsed: int
    latest_period: str
    remaining_weight: float
    target: float | None
    required_growth: float | None
    method: str
    note: str

    def interval(self, level: int) -> tuple[float, float]:
        """The central `level`-percent interval (any level in (0, 100)), percent."""
        z = NormalDist().inv_cdf(0.5 + level / 200)
        return self.estimate - z * self.sd, self.estimate + z * self.sd


@dataclass
class Nowcast:
    """Full-year growth estimates from year-to-date figures, as known at `as_of`.

    Attributes
    ----------
    as_of : str
        ``'YYYY-MM'``: the latest month whose releases were used.
    year : int
        The year being nowcast (that of `as_of`).
    notes : list of str
        What the estimates rest on, and why some indicators have none.
    """

    as_of: str
    year: int
    _frame: pandas.DataFrame = field(repr=False)
    notes: list = field(default_factory=list)

    def to_frame(self) -> pandas.DataFrame:
        """One row per region and indicator, columns :data:`NOWCAST_COLUMNS` (a copy).

        ``estimate``, ``lo_*``, ``hi_*``, ``ytd_growth``, ``target``, ``required_growth``,
        ``latest_span_growth`` and ``sd`` are percent / percentage points; ``remaining_weight`` is
        ``1 - w``; ``status`` is ``derived``.  Empty (with these columns) when nothing has
        year-to-date figures in the year of `as_of`.
        """
        return self._frame.copy()

    def __len__(self) -> int:
        return len(self._frame)

    @property
    def empty(self) -> bool:
        """Whether no indicator has a nowcast (nothing released in the year by `as_of`)."""
        return self._frame.empty

    def indicators(self, region: str | None = None) -> list[str]:
        """Indicator keys with a nowcast (in `region`, or any region)."""
        df = self._frame if region is None else self._frame[self._frame["region"] == region]
        return sorted(df["indicator"].unique())

    def for_indicator(self, key: str, region: str | None = None) -> IndicatorNowcast:
        """The nowcast of indicator `key` (in `region`; optional when only one region has it).

        Raises
        ------
        KeyError
            When there is no nowcast for it (no year-to-date figures), or `region` is needed.
        """
        df = self._frame[self._frame["indicator"] == key]
        if region is not None:
            df = df[df["region"] == region]
        if df.empty:
            where = f" in region '{region}'" if region else ""
            have = ", ".join(f"{r}/{i}" for r, i in zip(self._frame["region"], self._frame["indicator"]))
            raise KeyError(f"no nowcast of '{key}'{where} for {self.year} as of {self.as_of} "
                           f"(no year-to-date figures); available: {have or 'none'}")
        if len(df) > 1:
            raise KeyError(f"'{key}' is nowcast in several regions ({', '.join(df['region'])}); pass region=")
        r = df.iloc[0]

        def opt(v):
            return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

        return IndicatorNowcast(
            region=r["region"], indicator=key, year=int(r["year"]), estimate=float(r["estimate"]),
            lo_80=float(r["lo_80"]), hi_80=float(r["hi_80"]), lo_95=float(r["lo_95"]),
            hi_95=float(r["hi_95"]), sd=float(r["sd"]), ytd_growth=float(r["ytd_growth"]),
            months_elapsed=int(r["months_elapsed"]), latest_period=r["latest_period"],
            remaining_weight=float(r["remaining_weight"]), target=opt(r["target"]),
            required_growth=opt(r["required_growth"]), method=r["method"], note=r["note"])

    def __repr__(self) -> str:
        return f"Nowcast(year={self.year}, as_of='{self.as_of}', {len(self)} estimates)"

    def _repr_html_(self) -> str:
        import html

        head = (f"<p><b>Nowcast of {self.year} growth</b> as of {self.as_of} "
                f"(year-to-date 1–N月 累计 figures up to then; percent; status <i>derived</i>)</p>")
        if self.empty:
            body = "<p><i>No year-to-date figures in this year up to the as-of month.</i></p>"
        else:
            body = display_frame(self._frame).to_html(index=False, na_rep="", escape=True)
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return head + body + (f"<ul>{notes}</ul>" if notes else "")


def display_frame(frame: pandas.DataFrame) -> pandas.DataFrame:
    """A readable view of a nowcast frame: bilingual names, intervals as ``[lo, hi]``."""
    import pandas as pd

    if frame.empty:
        return pd.DataFrame(columns=["region", "indicator", "指标 name", "ytd", "ytd_growth", "estimate",
                                     "80% interval", "95% interval", "target", "required_growth", "method"])

    def iv(lo, hi):
        return f"[{lo:.1f}, {hi:.1f}]"

    def num(v, fmt="{:.1f}"):
        return "" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt.format(v)

    return pd.DataFrame({
        "region": frame["region"],
        "indicator": frame["indicator"],
        "指标 name": frame["indicator"].map(lambda k: _ind.INDICATORS[k].name_zh if k in _ind.INDICATORS else k),
        "ytd": frame["months_elapsed"].map(lambda m: ytd_label(int(m))),
        "ytd_growth": frame["ytd_growth"].map(num),
        "estimate": frame["estimate"].map(num),
        "80% interval": [iv(a, b) for a, b in zip(frame["lo_80"], frame["hi_80"])],
        "95% interval": [iv(a, b) for a, b in zip(frame["lo_95"], frame["hi_95"])],
        "target": frame["target"].map(lambda v: num(v, "{:g}")),
        "required_growth": frame["required_growth"].map(num),
        "method": frame["method"],
    })


def first_year(observations: pandas.DataFrame) -> int | None:
    """Earliest year any observation refers to (None for an empty frame)."""
    if observations.empty:
        return None
    return int(observations["period"].astype(str).str.slice(0, 4).min())   # 4-digit years: text order is numeric


def check_as_of(dataset: Dataset, as_of: str, region: str | Sequence[str] | None = None, *,
                path: str | os.PathLike | None = None, key: str = "as_of") -> None:
    """Raise InputError when `as_of` lies before every observation of `region` in `dataset`.

    Such a date is a mistake (nothing could be known then), unlike a month with simply no
    year-to-date figures yet, which gives an empty nowcast.
    """
    obs = dataset.select(region=region)   # region None: all observations
    start = first_year(obs)
    if start is not None and int(as_of[:4]) < start:
        # region: one name (the command line) or a list of names (nowcast)
        names = "', '".join([region] if isinstance(region, str) else region or [])
        where = f" of region '{names}'" if names else ""
        raise InputError(f"as-of {as_of} is before the first observation{where} in "
                         f"{dataset.path or 'the dataset'} ({start}); nothing was known then",
                         path=path if path is not None else dataset.path, key=key)


def _dedupe(df):
    """One row per region, indicator, period and measure: actual before preliminary."""
    df = df[df["status"].isin(REPORTED_STATUSES)]
    df = df.assign(_rank=df["status"].map(STATUS_RANK))
    df = df.sort_values(["region", "indicator", "measure", "period", "_rank", "source"], kind="stable")
    return df.drop_duplicates(["region", "indicator", "period", "measure"]).drop(columns="_rank")


def _history(known, region: str, indicator: str, year: int, month: int):
    """Deviations (full-year growth - year-to-date growth at `month`) of earlier years."""
    df = known[(known["region"] == region) & (known["indicator"] == indicator)]
    ytd = df[(df["measure"] == "ytd_growth") & df["period"].str.endswith(f"-{month:02d}")]
    full = df[(df["measure"] == "growth") & df["period"].str.fullmatch(r"\d{4}")
              & (df["status"].isin(REPORTED_STATUSES))]
    full = {int(p): float(v) for p, v in zip(full["period"], full["value"])}
    devs = {}
    for p, v in zip(ytd["period"], ytd["value"]):
        y = int(p[:4])
        if y < year and y in full:
            devs[y] = full[y] - float(v)
    return dict(sorted(devs.items()))


def _target(known, region: str, indicator: str, year: int):
    df = known[(known["region"] == region) & (known["indicator"] == indicator)
               & (known["status"] == "target") & (known["measure"] == "growth")
               & (known["period"] == str(year))]
    if df.empty:
        return None, ""
    df = df.sort_values("source", kind="stable")
    row = df.iloc[0]
    note = ""
    if row.get("source_quality") == "unverified_copy":
        note = "target from an unverified copy"
    if df["value"].nunique() > 1:
        note = (note + "; " if note else "") + f"several targets given ({', '.join(map(str, df['value']))}), " \
               f"using {row['value']:g}"
    return float(row["value"]), note


def _nowcast_one(known, ytd, region: str, indicator: str, year: int, as_of: str,
                 prior_annual_level: float | None, targets: bool) -> dict:
    """The nowcast row of one indicator from its year-to-date releases `ytd` (see :data:`NOWCAST_COLUMNS`)."""
    ind = _ind.INDICATORS[indicator]
    g = ytd[ytd["measure"] == "ytd_growth"].sort_values("period")
    lv = ytd[ytd["measure"] == "ytd_level"]
    levels = {p: _ind.to_registry_unit(v, u, indicator) for p, v, u in zip(lv["period"], lv["value"], lv["unit"])}
    growths = dict(zip(g["period"], g["value"].astype(float)))
    latest = g["period"].iloc[-1]
    month = int(latest[5:])
    g_ytd = growths[latest]
    notes: list[str] = []

    weight = elapsed_weight(month, ytd_level=levels.get(latest), ytd_growth=g_ytd,
                            prior_annual_level=prior_annual_level, growth_basis=ind.growth_basis)
    if weight.basis == "levels" and "approximate" in weight.note:
        notes.append("w approximate (现价 levels with 可比价 growth)")
    elif weight.basis == "months" and "outside" in weight.note:   # never at 1–12月 ("the year is complete")
        notes.append(weight.note)
    rest = 1 - weight.value
    shift, sd, method = _spread(known, region, indicator, year, month, rest)
    estimate = g_ytd + shift
    z80, z95 = (NormalDist().inv_cdf(0.5 + lev / 200) for lev in LEVELS)
    target, required, prob = (_target_columns(known, region, indicator, year, month, g_ytd, weight.value,
                                              estimate, sd, notes) if targets else (math.nan,) * 3)
    span = _latest_span(year, month, latest, levels, growths, ind.growth_basis, notes)

    return {
        "region": region, "indicator": indicator, "year": year, "measure": "growth",
        "estimate": estimate, "lo_80": estimate - z80 * sd, "hi_80": estimate + z80 * sd,
        "lo_95": estimate - z95 * sd, "hi_95": estimate + z95 * sd,
        "target": target, "required_growth": required, "as_of": as_of, "latest_period": latest,
        "months_elapsed": month, "ytd_growth": g_ytd, "remaining_weight": rest,
        "weight_basis": weight.basis, "sd": sd, "method": method, "prob_target": prob,
        "latest_span": ytd_label(span.last_month, span.first_month),
        "latest_span_growth": math.nan if span.value is None else span.value, "basis": ind.growth_basis,
        "status": "derived", "note": "; ".join(notes),
    }


def _spread(known, region: str, indicator: str, year: int, month: int, rest: float) -> tuple[float, float, str]:
    """Shift of the estimate and its sd (percentage points), and how they were found.

    The default sd of the remaining months' growth, scaled by their weight `rest`; shrunk toward
    the deviations of earlier years at the same month where there are any.
    """
    sd_rest = REMAINDER_SD_PP.get(indicator, DEFAULT_REMAINDER_SD_PP)
    s0 = rest * sd_rest
    devs = _history(known, region, indicator, year, month)
    if not devs:
        return 0.0, s0, (f"default: rest of year ±{sd_rest:g} pp (1 sd)" if month < 12 else "1–12月 released")
    n = len(devs)
    shift = sum(devs.values()) / (n + PRIOR_YEARS)
    sd = math.sqrt((PRIOR_YEARS * s0 ** 2 + sum(d * d for d in devs.values())) / (PRIOR_YEARS + n))
    method = (f"history: {n} earlier year{'s' if n > 1 else ''} at {ytd_label(month)} "
              f"({min(devs)}–{max(devs)}), shrunk to default")
    return shift, sd, method


def _target_columns(known, region: str, indicator: str, year: int, month: int, g_ytd: float, weight: float,
                    estimate: float, sd: float, notes: list[str]) -> tuple[float, float, float]:
    """The year's growth target, the growth the rest of the year needs, and the chance of reaching it.

    NaN, not None, for "no target": the columns stay float64 whether or not any row has one
    (an all-None column would be object dtype, and None == None passes a NaN self-test).
    """
    target, required, prob = math.nan, math.nan, math.nan
    given, tnote = _target(known, region, indicator, year)
    if tnote:
        notes.append(tnote)
    if given is not None:
        target = given
        if month < 12:
            required = required_rest_growth(target, g_ytd, weight)
        prob = (1.0 if estimate >= target else 0.0) if sd == 0 else 1 - NormalDist(estimate, sd).cdf(target)
    return target, required, prob


def _latest_span(year: int, month: int, latest: str, levels: dict, growths: dict, growth_basis: str,
                 notes: list[str]):
    """Growth of the span since the previous release, where levels allow it (a note says why not)."""
    earlier = [p for p in growths if p < latest]
    prev = earlier[-1] if earlier else None
    span = span_growth(year=year, month_t=month, level_t=levels.get(latest), growth_t=growths[latest],
                       month_s=int(prev[5:]) if prev else 0,
                       level_s=levels.get(prev), growth_s=growths.get(prev), growth_basis=growth_basis)
    if prev and span.value is None:
        # missing levels are the usual case and get a short note; anything else (inconsistent
        # releases) is worth the span's full reason
        no_levels = levels.get(latest) is None or levels.get(prev) is None
        why = "(no levels)" if no_levels else f"({span.reason})"
        notes.append(f"{ytd_label(span.last_month, span.first_month)} growth not derivable {why}")
    elif span.approximate:
        notes.append(f"{ytd_label(span.last_month, span.first_month)} growth approximate (现价/可比价)")
    return span


def nowcast(dataset: Dataset, as_of: AsOf, region: str | Sequence[str] | None = None,
            targets: bool = True) -> Nowcast:
    """Full-year growth estimates, with 80% and 95% intervals, from year-to-date figures.

    For each region and indicator with year-to-date growth (``ytd_growth``) released in the year
    of `as_of` up to `as_of`, the full-year growth of that year is estimated from the latest
    release, the months elapsed and the historical pattern (see the module docstring).

    Parameters
    ----------
    dataset : econsim.data.Dataset
        Observations (e.g. ``econsim.load_dataset()``).
    as_of : str or date-like
        ``'YYYY-MM'``: use only what was released for months up to this one.  Later figures, and
        the full-year outcome of the year, are never used.
    region : str or list of str, optional
        Only these regions (default: all regions with year-to-date figures in that year).
    targets : bool
        Attach the year's growth targets (status ``target``), the growth the rest of the year
        needs to reach them and the probability of reaching them.

    Returns
    -------
    Nowcast
        Empty (with a note) when nothing was released in the year by `as_of`.

    Raises
    ------
    InputError
        For a malformed `as_of`, an unknown region, or an `as_of` before every observation.
    """
    as_of = as_of_text(as_of)
    year = int(as_of[:4])
    regions = _checked_regions(dataset, region, as_of)
    known = known_at(dataset.observations if regions is None else dataset.select(region=regions), as_of)
    ytd = _year_to_date(known, year)
    pairs = _with_growth(ytd)
    prior = _prior_levels(known, dataset.path, year, pairs)
    rows = [_nowcast_one(known, ytd[(ytd["region"] == r) & (ytd["indicator"] == ind)], r, ind, year, as_of,
                         prior.get((r, ind)), targets) for r, ind in pairs]
    notes = _notes(known, ytd, pairs, year, as_of, regions, targets, estimated=bool(rows))
    return Nowcast(as_of=as_of, year=year, _frame=_frame(rows), notes=notes)


def _checked_regions(dataset: Dataset, region: str | Sequence[str] | None, as_of: str) -> list[str] | None:
    """`region` as a list of regions the dataset has (None: all), after checking `as_of` against them."""
    regions = None
    if region is not None:
        regions = [region] if isinstance(region, str) else list(region)
        for r in regions:
            dataset.require_region(r)
    check_as_of(dataset, as_of, regions)
    return regions


def _year_to_date(known, year: int):
    """The year-to-date figures of `year`, one per region, indicator, month and measure."""
    period = known["period"].astype(str)
    return _dedupe(known[known["measure"].isin(["ytd_growth", "ytd_level"]) & period.str.startswith(f"{year}-")])


def _with_growth(ytd) -> list[tuple[str, str]]:
    """(region, indicator) pairs with year-to-date growth, the ones a nowcast is made for, sorted."""
    growth = ytd[ytd["measure"] == "ytd_growth"]
    return sorted(set(zip(growth["region"], growth["indicator"])))


def _prior_levels(known, path, year: int, pairs) -> dict[tuple[str, str], float]:
    """Last year's annual level of each (region, indicator) of `pairs`, where known (registry unit)."""
    import pandas as pd

    from ..data.dataset import Dataset

    known_ds = Dataset(known, path)
    out = {}
    for r in sorted({r for r, _ in pairs}):
        annual = known_ds.annual(r, "level")
        if (year - 1) not in annual.index:
            continue
        last_year = annual.loc[year - 1]
        for ind in (i for rr, i in pairs if rr == r):
            if ind in last_year and not pd.isna(last_year[ind]):
                out[(r, ind)] = float(last_year[ind])
    return out


def _notes(known, ytd, pairs, year: int, as_of: str, regions, targets: bool, *, estimated: bool) -> list[str]:
    """What the nowcast rests on, and which indicators have none and why."""
    notes = []
    level_only = ytd[ytd["measure"] == "ytd_level"]
    for r, ind in sorted(set(zip(level_only["region"], level_only["indicator"])) - set(pairs)):
        notes.append(f"{r}/{ind}: year-to-date levels but no growth rates, so no nowcast")
    if targets:
        tg = known[(known["status"] == "target") & (known["measure"] == "growth")
                   & (known["period"].astype(str) == str(year))]
        waiting = sorted({(r, i, float(v)) for r, i, v in zip(tg["region"], tg["indicator"], tg["value"])
                          if (r, i) not in set(pairs)})
        if waiting:
            notes.append(f"{year} growth targets without year-to-date figures yet: "
                         + ", ".join(f"{r}/{i} {v:g}%" for r, i, v in waiting))
    if not estimated:
        where = ", ".join(regions) if regions else "any region"
        notes.append(f"no year-to-date (1–N月 累计) growth figures for {year} up to {as_of} in {where}; "
                     "nothing to nowcast")
    else:
        notes.append("estimate = latest year-to-date growth (the rest of the year assumed to grow alike) "
                     "unless earlier years show a pattern; intervals normal; 'remaining_weight' = 1 - w, "
                     "w = share of elapsed months in last year's total")
    return notes


def _frame(rows: list[dict]) -> pandas.DataFrame:
    """The nowcast rows as a table of :data:`NOWCAST_COLUMNS`, sorted by region and indicator."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(NOWCAST_COLUMNS))
    if frame.empty:
        return frame
    frame = frame.sort_values(["region", "indicator"], kind="stable").reset_index(drop=True)
    return frame.astype({"year": "int64", "months_elapsed": "int64"})
