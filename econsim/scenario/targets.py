"""Targets: the probability of meeting them, and the growth they require (goal seek).

A target is met when the projected figure is at least the target: growth in a year
(percent), a level in a year (indicator's unit), or the geometric average growth over the
horizon (``2026-2030``, percent per year).  Probabilities are shares of Monte Carlo draws,
counted while the draws are summarised (:class:`econsim.scenario.projection.DrawSummary`), so they
are exact also for runs too large to keep the draws: the share at or above each target, within
each range target, and meeting every growth target of a year together.

Goal seek is closed form:

* to go from level ``L0`` to ``L`` in ``n`` years, constant real growth
  ``g = ((L / L0)^(1/n) / (1 + p) − 1) · 100`` is needed, where ``p`` is the assumed price change;
* for an average growth ``a`` over ``N`` years when the first years' growth ``g_1 … g_k`` is
  already fixed or projected, the remaining ``N − k`` years need
  ``x = ((1 + a)^N / Π(1 + g_i))^(1/(N−k)) − 1``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from .. import indicators as _ind

if TYPE_CHECKING:
    import pandas
    from numpy.typing import ArrayLike


class Projected(Protocol):
    """What the target functions read of a :class:`~econsim.scenario.projection.Projection`.

    (A protocol rather than the class: the projection module imports this one.)
    """

    scenario: Any
    years: list[int]
    indicators: list[str]
    growth: np.ndarray
    level: np.ndarray
    history: dict
    dataset_targets: Any

    def average_growth(self, indicator: str) -> np.ndarray: ...

    @property
    def summary(self) -> Any: ...

TARGET_COLUMNS = ("indicator", "year", "measure", "target", "probability", "required_growth",
                  "projected_p50", "unit", "name", "source", "note", "target_upper", "probability_in_range",
                  "probability_all")


# --------------------------------------------------------------------------- closed forms

def required_growth(target: float, current: float, years: int = 1, *, price: float = 0.0) -> float:
    """Constant annual growth (percent) that takes a level from `current` to `target`.

    Parameters
    ----------
    target, current : float
        Levels in the same unit (e.g. 亿元); both positive.
    years : int
        Number of years of growth between them (2025 → 2030 is 5).
    price : float
        Assumed price change in percent per year when the levels are nominal and the growth
        is real (可比价); 0 gives nominal growth.

    Returns
    -------
    float
        Percent per year.

    Raises
    ------
    ValueError
        When a level is not positive or `years` is below 1.

    Examples
    --------
    >>> round(required_growth(121.0, 100.0, 2), 6)
    10.0
    """
    if not (target > 0 and current > 0):
        raise ValueError(f"levels must be positive, got target={target!r}, current={current!r}")
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years!r}")
    return ((target / current) ** (1.0 / years) / (1 + price / 100.0) - 1.0) * 100.0


def required_growth_for_average(average: float, fixed: Sequence[float] = (), years: int = 5) -> float:
    """Constant growth (percent) needed in the remaining years for an average over `years`.

    Parameters
    ----------
    average : float
        Target geometric average annual growth over the whole period, percent.
    fixed : sequence of float
        Growth of the first years already fixed or projected, percent (e.g. ``[6.0]`` for 2026).
    years : int
        Length of the whole period (2026–2030 is 5).

    Returns
    -------
    float
        Percent per year for each of the ``years − len(fixed)`` remaining years.

    Raises
    ------
    ValueError
        When every year of the period is fixed.

    Examples
    --------
    >>> round(required_growth_for_average(6.0, [6.0], 5), 6)
    6.0
    """
    fixed = [float(g) for g in fixed]
    remaining = years - len(fixed)
    if remaining < 1:
        raise ValueError("no years left to adjust: every year of the period is fixed")
    done = math.prod(1 + g / 100.0 for g in fixed)
    return (((1 + average / 100.0) ** years / done) ** (1.0 / remaining) - 1.0) * 100.0


def average_growth(growth_draws: ArrayLike) -> np.ndarray:
    """Geometric average annual growth of each draw, percent per year.

    Parameters
    ----------
    growth_draws : array-like
        Annual growth in percent, shape ``(..., years)`` (e.g. ``(draws, years)``).

    Returns
    -------
    ndarray
        Shape ``(...,)``: ``(Π(1 + g/100))^(1/years) − 1``, in percent.

    Examples
    --------
    >>> round(float(average_growth([[10.0, 10.0]])[0]), 6)
    10.0
    """
    g = np.asarray(growth_draws, dtype=float)
    n = g.shape[-1]
    return (np.prod(1 + g / 100.0, axis=-1) ** (1.0 / n) - 1.0) * 100.0


def probability(draws: ArrayLike, target: float) -> float:
    """Share of draws at or above `target`, 0 to 1.

    Parameters
    ----------
    draws : array-like
        Simulated values in the target's unit (percent for growth, the indicator's unit for a level).
    target : float
        The value to meet.

    Returns
    -------
    float
        NaN when there are no draws or any is not finite (e.g. levels without a base level).
    """
    draws = np.asarray(draws, dtype=float)
    if draws.size == 0 or not np.isfinite(draws).all():
        return float("nan")
    return float(np.mean(draws >= target))


# --------------------------------------------------------------------------- the target table

def collect_targets(projection: Projected) -> list[dict]:
    """The dataset's targets for the region and horizon, then the scenario's (which win on a tie)."""
    found: dict = {}
    for row in projection.dataset_targets.itertuples(index=False):
        # growth and level are the measures of a single year (data.schema.PERIOD_SHAPE); a Dataset built
        # from a frame in Python has not been through the file checks, so its period may be anything
        if row.measure not in ("growth", "level") or not str(row.period).isdigit() \
                or int(row.period) not in projection.years:
            continue
        value = _ind.to_registry_unit(row.value, row.unit, row.indicator)
        upper = getattr(row, "value_upper", None)  # optional column: absent, None or NaN for a single figure
        upper = float("nan") if upper is None or upper != upper else _ind.to_registry_unit(
            upper, row.unit, row.indicator)
        found[(row.indicator, str(row.period), row.measure)] = {
            "indicator": row.indicator, "year": str(row.period), "measure": row.measure,
            "target": value, "target_upper": upper, "source": f"{row.source} ({row.locator})"}
    for key, spec in projection.scenario.indicators.items():
        for t in spec.targets:
            found[(key, t["period"], t["measure"])] = {
                "indicator": key, "year": t["period"], "measure": t["measure"], "target": t["target"],
                "target_upper": float("nan"), "source": f"scenario {projection.scenario.name}"}
    return list(found.values())


def target_table(projection: Projected) -> pandas.DataFrame:
    """Probability of meeting each target, with the growth it requires.

    ``required_growth`` is the constant growth (percent per year) needed:

    * level target in the first projected year: from the base-year level, over one year;
    * level target in a later year: from the first year's projected median level, over the years between;
    * average-growth target: in the years after the first, given the first year's projected median growth.

    A level goal seek nets out the scenario's price assumptions of exactly the years it spans,
    compounded, so the growth is real (可比价) where the indicator's growth is.

    Growth targets for a single year need no goal seek (the column is empty).

    A range target (``target`` the lower bound, ``target_upper`` the upper) is met when the figure
    reaches the lower bound (``probability``); ``probability_in_range`` is the share of draws within
    the range.  ``probability_all`` (on growth targets for a single year) is the share of draws that
    meet every growth target of that year together — indicators are drawn jointly in an outlook
    scenario, so this is not the product of the single probabilities.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator, year, measure, target, probability, required_growth, projected_p50,
        unit, name, source, note, target_upper, probability_in_range, probability_all``.
    """
    import pandas as pd

    rows = []
    years = projection.years
    for t in collect_targets(projection):
        key, measure, target = t["indicator"], t["measure"], t["target"]
        ind = _ind.INDICATORS[key]
        row = dict(t, probability=float("nan"), required_growth=float("nan"), projected_p50=float("nan"),
                   unit=ind.unit if measure == "level" else "pct", name=ind.label, note="",
                   probability_in_range=float("nan"), probability_all=float("nan"))
        if key not in projection.indicators:
            row["note"] = "not projected in this scenario"
            rows.append(row)
            continue
        figures = projection.summary.figures
        if measure == "avg_growth":
            first = figures[(key, str(years[0]), "growth")]
            if first.finite and len(years) > 1:
                row["required_growth"] = required_growth_for_average(target, [first.median], len(years))
        else:
            t_idx = years.index(int(t["year"]))
            if measure == "level":
                row.update(_level_goal_seek(projection, key, t_idx, target))
        figure = (key, t["year"], measure)
        fig = figures[figure]
        row["probability"] = projection.summary.probability(figure, target)
        upper = t.get("target_upper", float("nan"))
        if upper == upper:
            row["probability_in_range"] = projection.summary.probability_between(figure, target, upper)
        if fig.finite:
            row["projected_p50"] = fig.median
            if fig.low == fig.high:
                row["note"] = "no spread (pinned or zero uncertainty)"
        else:
            row["note"] = (f"no {years[0] - 1} level in the data; give base_level in the scenario"
                           if measure == "level" else "not computable")
        rows.append(row)
    for year in joint_growth_targets(rows, projection.indicators):
        p_all = projection.summary.probability_together(year)
        for row in rows:
            if row["measure"] == "growth" and row["year"] == year and row["indicator"] in projection.indicators:
                row["probability_all"] = p_all
    frame = pd.DataFrame(rows, columns=list(TARGET_COLUMNS))
    return frame.sort_values(["indicator", "year", "measure"], kind="stable").reset_index(drop=True)


def joint_growth_targets(targets: list[dict], indicators: list[str]) -> dict[str, list[tuple]]:
    """The growth targets met together for ``probability_all``, by year.

    Parameters
    ----------
    targets : list of dict
        From :func:`collect_targets`.
    indicators : list of str
        The projected indicators (targets of others are left out).

    Returns
    -------
    dict
        ``{year: [((indicator, year, "growth"), target), ...]}`` for every single year with a
        growth target of a projected indicator.
    """
    groups: dict = {}
    for t in targets:
        if t["measure"] == "growth" and t["indicator"] in indicators:
            groups.setdefault(t["year"], []).append(((t["indicator"], t["year"], "growth"), float(t["target"])))
    return groups


def all_targets_met(table: pandas.DataFrame) -> dict[str, tuple[int, float]]:
    """{year: (number of growth targets, probability all are met together)} from a target table.

    Reads ``probability_all`` of :func:`target_table` (the share of joint draws meeting every growth
    target of the year); years without such targets are left out.
    """
    rows = table[table["probability_all"].notna()]
    return {str(year): (len(grp), float(grp["probability_all"].iloc[0]))
            for year, grp in rows.groupby("year", sort=True)}


def _level_goal_seek(projection, key, t_idx, target) -> dict:
    """Required constant growth for a level target (see :func:`target_table`)."""
    spec = projection.scenario.indicators[key]
    years = projection.years
    # Levels chain as L_t = L_{t-1} (1 + g_t) (1 + p_t).  From the base level the growth spans
    # years[0] alone; from the first year's level (which already holds years[0]'s price change)
    # it spans years[1..t_idx].  Over that span prices compound, so the constant equivalent is
    # their geometric mean.
    span = years[:1] if t_idx == 0 else years[1: t_idx + 1]
    price = 0.0
    if spec.price:
        factor = math.prod(1 + spec.price.get(y, 0.0) / 100.0 for y in span)
        price = (factor ** (1.0 / len(span)) - 1.0) * 100.0
    if t_idx == 0:
        prev_year = years[0] - 1
        hist = projection.history[key]["level"]  # every projected indicator has one (empty without data)
        base = None
        if spec.base_level is not None:
            base = spec.base_level
        elif prev_year in [p.year for p in hist.index]:
            base = float(hist[[p.year == prev_year for p in hist.index]].iloc[0])
        if base is None:
            return {}
        return {"required_growth": required_growth(target, base, price=price)}  # over one year
    start = projection.summary.figures[(key, str(years[0]), "level")]
    if not start.finite:
        return {}
    return {"required_growth": required_growth(target, start.median, t_idx, price=price)}
