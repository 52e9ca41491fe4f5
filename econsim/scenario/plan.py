"""Preparing a projection: a scenario checked against the data, its models fitted, no draws yet.

:func:`prepare` turns a validated :class:`~econsim.scenario.spec.Scenario` and a
:class:`~econsim.data.dataset.Dataset` into a :class:`Plan` of NumPy arrays per indicator (growth
centre, shifts, pinned years, prices, nowcast, base level) and a sampler of the forecaster's
paths, which :func:`econsim.scenario.engine.simulate` turns into draws.  A scenario with
``outlook: true`` takes each model indicator's centre and spread from the evidence-based outlook
(:mod:`econsim.scenario.outlook`) and draws its indicators jointly (a correlation matrix on the
plan).  Everything that reads the
data or fits a model happens here; what the data cannot support (a model without enough history,
a spread nobody states, prices on constant-price levels) is an
:class:`~econsim.errors.InputError` naming the scenario file and key.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .. import indicators as _ind
from ..errors import InputError
from .outlook import Z80

if TYPE_CHECKING:
    import pandas

    from ..data.dataset import Dataset
    from .outlook import IndicatorOutlook
    from .spec import IndicatorSpec, Scenario

#: Fewest reported year-to-year changes that may set a floor under a model's spread.
MIN_FLOOR_EVIDENCE = 3


# --------------------------------------------------------------------------- the plan (validated inputs)

@dataclass
class IndicatorPlan:
    """One indicator's inputs to the engine, by projected year (arrays of the horizon's length)."""

    key: str
    centre: np.ndarray                 # growth centre by year, percent (NaN where a link decides)
    noise: str                         # "model", "outlook", "sd" or "none"
    sd: float
    uncertainty: float
    shift: np.ndarray                  # add factors + shocks, percentage points
    override_growth: np.ndarray        # NaN = not pinned
    override_level: np.ndarray
    price: np.ndarray                  # percent per year (0 for nominal indicators)
    base_level: float                  # NaN when unknown
    links: list
    nowcast_centre: np.ndarray         # NaN = no nowcast for that year
    nowcast_sd: np.ndarray
    extra_sd: float = 0.0              # pp: yearly noise added to the model's (reported evidence)
    model_mean: np.ndarray | None = None   # the forecaster's path its simulated paths scatter around
    #: ``(draws, rng) -> (draws, years)`` simulated paths of the forecaster (noise "model", and
    #: "outlook" where the region has its own history).
    model_paths: Callable[[int, np.random.Generator], np.ndarray] | None = None
    outlook_sd: np.ndarray | None = None   # pp by year: the outlook's spread (noise "outlook")
    outlook: IndicatorOutlook | None = None  # what the outlook's centre and spread rest on


@dataclass
class Plan:
    """Everything :func:`~econsim.scenario.engine.simulate` needs, in simulation order."""

    scenario: Scenario
    region: str
    years: list[int]
    order: list[str]                   # drivers before the indicators they drive
    indicators: dict[str, IndicatorPlan]
    history: dict
    notes: list[str]
    level_basis: dict[str, str] = field(default_factory=dict)
    joint: list[str] = field(default_factory=list)      # indicators drawn jointly (outlook scenarios)
    correlation: np.ndarray | None = None              # their correlation matrix (order of `joint`)


def _fail(scenario, key, msg):
    raise InputError(msg, path=scenario.path or scenario.name, key=key)


# --------------------------------------------------------------------------- the procedure

def prepare(scenario: Scenario, dataset: Dataset, as_of: str | None = None) -> Plan:
    """Check a scenario against the data and fit the models it needs (no random draws yet).

    Parameters
    ----------
    scenario : Scenario
        Validated (:meth:`Scenario.validated`).
    dataset : Dataset
        The observations; the reconstructed history of `scenario.region` is read from it.
    as_of : str, optional
        ``YYYY-MM`` for ``start_from: nowcast`` and the year-to-date nowcast an outlook folds in.

    Returns
    -------
    Plan

    Raises
    ------
    InputError
        When the region is not in the data, an indicator needs a model but the data hold too
        little history, or needs a spread that neither the model nor the scenario gives, or a
        price assumption would apply to constant-price levels.  Names the scenario file and key.
    """
    from .spec import link_order

    region = _checked_region(scenario, dataset)
    scenario, notes = fit_region(scenario, dataset)
    nowcast = _nowcast_table(scenario, dataset, as_of, notes)
    outlook_nowcast = _outlook_nowcast(scenario, dataset, as_of) if scenario.outlook else {}
    history = {key: _indicator_history(dataset, key, region) for key in scenario.indicators}
    plans = {key: _indicator_plan(scenario, dataset, key, history[key], nowcast.get(key, {}),
                                  outlook_nowcast.get(key), notes)
             for key in scenario.indicators}
    joint, correlation = _joint_draws(scenario, dataset, plans, notes)
    level_basis = {key: _checked_level_basis(scenario, dataset, key, plans[key].base_level, notes)
                   for key in scenario.indicators}
    return Plan(scenario=scenario, region=region, years=scenario.years,
                order=link_order(scenario.indicators, scenario.path), indicators=plans, history=history,
                notes=notes, level_basis=level_basis, joint=joint, correlation=correlation)


def fit_region(scenario: Scenario, dataset: Dataset) -> tuple[Scenario, list[str]]:
    """The scenario with only those foreign indicators the region reports; and notes saying what happened.

    Settings written for one region are never carried silently to another: an indicator whose
    settings come from another region (:attr:`Scenario.foreign`) is kept only when the scenario's
    region has reported figures for it, and an indicator linked to a dropped driver is dropped too.

    Returns
    -------
    (Scenario, list of str)
        The scenario to project and one note per foreign indicator (kept or dropped, and why).

    Raises
    ------
    InputError
        When nothing is left to project (no indicator of the scenario is reported for the region).
    """
    import dataclasses

    from ..data.schema import REPORTED_STATUSES

    if not scenario.foreign:
        return scenario, []
    region = scenario.region
    reported = set(dataset.select(region=region, status=list(REPORTED_STATUSES))["indicator"])
    dropped = {k for k in scenario.foreign if k not in reported}
    changed = True
    while changed:  # a link needs its driver
        changed = False
        for key, spec in scenario.indicators.items():
            if key not in dropped and any(ln["driver"] in dropped for ln in spec.links):
                dropped.add(key)
                changed = True
    notes = []
    for key, origin in scenario.foreign.items():
        if key in dropped:
            why = "no reported figures" if key not in reported else "its driver is not projected"
            notes.append(f"{key}: not projected for {region} ({why}); its settings come from {origin}")
        else:
            notes.append(f"{key}: settings inherited from {origin} (growth, spread, price, targets) — "
                         f"assumptions made for another region, kept because {region} reports {key}")
    kept = {k: v for k, v in scenario.indicators.items() if k not in dropped}
    if not kept:
        _fail(scenario, "region", f"no indicator of the scenario is reported for region '{region}' (its settings "
              f"were written for another region); write a scenario with 'region: {region}'")
    return dataclasses.replace(scenario, indicators=kept), notes


def _checked_region(scenario: Scenario, dataset: Dataset) -> str:
    try:
        return dataset.require_region(scenario.region)
    except InputError as exc:
        _fail(scenario, "region", exc.message)


def _indicator_history(dataset: Dataset, key: str, region: str) -> dict:
    """Reconstructed annual growth and levels, and which of their years are reported."""
    return {"growth": _history(dataset, key, region, "growth"), "level": _history(dataset, key, region, "level"),
            "reported": _reported_years(dataset, key, region)}


def _indicator_plan(scenario: Scenario, dataset: Dataset, key: str, history: dict, nowcast: dict,
                    outlook_nowcast: tuple | None, notes: list[str]) -> IndicatorPlan:
    """One indicator's arrays, step by step (notes in the order the steps make them)."""
    spec, years = scenario.indicators[key], scenario.years
    h = len(years)
    model_y, offset = _model_history(scenario, key, spec, history["growth"],
                                     anchored=_outlook_anchored(scenario, dataset, key, spec))
    fitted = _fitted_path(model_y, h, offset)
    outlook = _outlook(scenario, dataset, key, history["growth"], model_y, fitted, outlook_nowcast, notes)
    centre = _centre(spec, years, model_y, offset, fitted, outlook)
    shift = _shift(spec, years)
    override_growth, override_level = _overrides(spec, years)
    price = _price(spec, key, years, notes)
    # an outlook has folded the year-to-date nowcast in already
    nowcast_centre, nowcast_sd = _nowcast_arrays({} if outlook else nowcast, years)
    noise = ("outlook" if outlook else "sd" if spec.sd is not None else
             "model" if model_y is not None else "none")
    extra_sd = _extra_noise(dataset, key, fitted, years, notes) if noise == "model" else 0.0
    base_level = _base_level(spec, key, history["level"], history["growth"], years[0] - 1, notes)
    sampled = noise in ("model", "outlook") and model_y is not None
    return IndicatorPlan(
        key=key, centre=centre, noise=noise, sd=float(spec.sd or 0.0), uncertainty=spec.uncertainty, shift=shift,
        override_growth=override_growth, override_level=override_level, price=price, base_level=base_level,
        links=spec.links, nowcast_centre=nowcast_centre, nowcast_sd=nowcast_sd, extra_sd=extra_sd,
        model_mean=fitted["mean"].to_numpy() if sampled else None,
        model_paths=_model_sampler(model_y, h, offset) if sampled else None,
        outlook_sd=outlook.sd.copy() if outlook else None, outlook=outlook)


# --------------------------------------------------------------------------- the steps

def _history(dataset: Dataset, key: str, region: str, measure: str) -> pandas.Series:
    """Reconstructed annual series, or an empty Series when the dataset has none.

    :meth:`Dataset.series` memoises it (a report projects three scenarios on one Dataset) and
    returns a copy, so no caller can change what the next projection sees.
    """
    try:
        return dataset.series(key, region=region, measure=measure)
    except InputError:
        import pandas as pd

        return pd.Series(dtype=float, name=f"{key}:{measure}")


def _usable_history(years: list[int], growth_hist: pandas.Series) -> pandas.Series:
    """The growth history before the first projected year (what a forecaster may learn from)."""
    return growth_hist[[p.year < years[0] for p in growth_hist.index]] if len(growth_hist) else growth_hist


def _model_history(scenario: Scenario, key: str, spec: IndicatorSpec, growth_hist: pandas.Series, *,
                   anchored: bool = False) -> tuple[np.ndarray | None, int]:
    """Growth history the forecaster learns from, and the steps from its end to the first projected year.

    ``(None, 0)`` when the indicator needs no model: it is linked, or every year is a number and
    the scenario states its spread (``sd``); or when the history is too short but the outlook can
    rest on the parent's outlook alone (`anchored`).
    """
    years = scenario.years
    usable = _usable_history(years, growth_hist)
    hist_years = [p.year for p in usable.index]
    needs_model = spec.uses_model(years)
    if not (needs_model or (not spec.links and spec.sd is None)):
        return None, 0
    if len(usable) < 3 and anchored:
        return None, 0
    if len(usable) < 3:
        if needs_model:
            missing = [y for y in years if not isinstance(spec.growth.get(y, "model"), (int, float))]
            _fail(scenario, f"indicators.{key}.growth",
                  f"'{key}' has {len(usable)} annual growth figures in the data, too few for a model "
                  f"(need 3); give a growth number for {', '.join(map(str, missing))} and 'sd'")
        _fail(scenario, f"indicators.{key}.sd",
              f"'{key}' has {len(usable)} annual growth figures in the data, too few for a model's "
              "spread; state the uncertainty of the assumed path with 'sd' (percentage points)")
    return usable.to_numpy(dtype=float), years[0] - (hist_years[len(usable) - 1] + 1)


def _fitted_path(model_y: np.ndarray | None, h: int, offset: int) -> pandas.DataFrame | None:
    """The forecaster's path and 80%/95% bands for the projected years (one fit per indicator).

    The model series is growth in percent, which can turn negative however positive its history
    was, so its bands are additive (``multiplicative=False``), never the positive-only bands of a level.
    """
    if model_y is None:
        return None
    from ..forecasting.auto import forecast

    return forecast(model_y, h + offset, multiplicative=False).iloc[offset:]


def _model_sampler(model_y: np.ndarray, h: int, offset: int) -> Callable[[int, np.random.Generator], np.ndarray]:
    """``(draws, rng) -> (draws, h)`` paths of the forecaster for the projected years."""
    from ..forecasting.auto import simulate_paths

    def paths(draws: int, rng: np.random.Generator) -> np.ndarray:
        return simulate_paths(model_y, h + offset, draws, rng=rng, multiplicative=False)[:, offset:]

    return paths


def _centre(spec: IndicatorSpec, years: list[int], model_y, offset: int, fitted,
            outlook: IndicatorOutlook | None = None) -> np.ndarray:
    """Growth centre by year, percent: the scenario's numbers, the outlook's or the model's path
    elsewhere, NaN if linked."""
    centre = np.full(len(years), np.nan)
    if spec.links:
        return centre
    if outlook is not None:
        centre = outlook.centre.copy()
    elif spec.uses_model(years):
        centre = _model_centre(spec, years, model_y, offset, fitted)
    for i, y in enumerate(years):
        v = spec.growth.get(y, "model")
        if isinstance(v, (int, float)):
            centre[i] = v
    return centre


def _model_centre(spec: IndicatorSpec, years: list[int], model_y, offset: int, fitted) -> np.ndarray:
    """The forecaster's path for the ``model`` years, continuing from the scenario's leading numbers.

    When the first years are assumed (e.g. the 2026 target) and later years follow the model, the
    model is refitted on history plus those assumed years, so its path starts from the assumption
    instead of jumping back to where history alone would have led.
    """
    h = len(years)
    lead = 0
    while lead < h and isinstance(spec.growth.get(years[lead], "model"), (int, float)):
        lead += 1
    centre = np.full(h, np.nan)
    if lead == h:
        return centre
    if lead and offset == 0:
        from ..forecasting.auto import forecast

        y = np.concatenate([model_y, [float(spec.growth[years[i]]) for i in range(lead)]])
        centre[lead:] = forecast(y, h - lead, multiplicative=False)["mean"].to_numpy()
    else:
        centre[:] = fitted["mean"].to_numpy()
    return centre


def _shift(spec: IndicatorSpec, years: list[int]) -> np.ndarray:
    """Add factors plus shocks by year, percentage points (a shock fades by its persistence)."""
    shift = np.array([spec.add_factors.get(y, 0.0) for y in years], dtype=float)
    for s in spec.shocks:
        t = np.arange(len(years)) - years.index(s["start"])
        shift += np.where(t >= 0, s["size"] * s["persistence"] ** np.maximum(t, 0), 0.0)
    return shift


def _overrides(spec: IndicatorSpec, years: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Pinned growth (percent) and pinned levels (indicator's unit) by year, NaN where not pinned."""
    pinned = {"growth": np.full(len(years), np.nan), "level": np.full(len(years), np.nan)}
    for y, (measure, value) in spec.overrides.items():
        pinned[measure][years.index(y)] = value
    return pinned["growth"], pinned["level"]


def _price(spec: IndicatorSpec, key: str, years: list[int], notes: list[str]) -> np.ndarray:
    """Price change by year, percent (0 where none is assumed; a note for real-growth indicators)."""
    if _ind.INDICATORS[key].growth_basis == "comparable" and not spec.price:
        notes.append(f"{key}: no price assumption; nominal levels assume 0% price change")
    return np.array([spec.price.get(y, 0.0) for y in years], dtype=float)


def _nowcast_arrays(nowcast: dict, years: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Nowcast centre and sd by year, percent, NaN for the years the nowcast does not cover."""
    centre, sd = np.full(len(years), np.nan), np.full(len(years), np.nan)
    for y, (estimate, spread) in nowcast.items():
        if y in years:
            centre[years.index(y)], sd[years.index(y)] = estimate, spread
    return centre, sd


def _extra_noise(dataset: Dataset, key: str, fitted, years: list[int], notes: list[str]) -> float:
    """Yearly noise (sd, pp) to add to the model's so its first year is as wide as the evidence.

    When the forecaster's first-year spread is below the spread of one-year changes in reported
    growth (:func:`reported_growth_spread`), independent normal noise with the missing variance is
    added to every year: the first year then matches the evidence, and later years widen by the
    same constant amount instead of compounding it.
    """
    floor, n = reported_growth_spread(dataset, key)
    if n < MIN_FLOOR_EVIDENCE:
        return 0.0
    band = fitted.iloc[0]
    model_sd = float(band["hi_80"] - band["lo_80"]) / (2 * Z80)
    if model_sd >= floor:
        return 0.0
    extra = float(np.sqrt(floor**2 - model_sd**2))
    notes.append(f"{key}: the forecaster's {years[0]} spread (sd ≈ {model_sd:.2f} pp, fitted on the smooth "
                 f"reconstructed history) is below the spread of one-year changes in reported growth "
                 f"({floor:.2f} pp over {n} changes, all regions); yearly noise of sd {extra:.2f} pp is added")
    return extra


def _checked_level_basis(scenario: Scenario, dataset: Dataset, key: str, base_level: float,
                         notes: list[str]) -> str:
    """Price basis of `key`'s projected levels; refuses prices on top of constant-price levels."""
    spec, base_year = scenario.indicators[key], scenario.years[0] - 1
    basis = ("nominal" if spec.base_level is not None else
             _level_basis(dataset, key, scenario.region, base_year, base_level, notes))
    if basis == "comparable" and spec.price and any(v != 0 for v in spec.price.values()):
        # Prices on top of a constant-price base give levels that are neither 可比价 nor 现价.
        _fail(scenario, f"indicators.{key}.price",
              f"'{key}' levels chain from a constant-price (可比价) {base_year} level, so a price "
              "assumption cannot make them current-price (现价); drop 'price' or give a current-price "
              "'base_level'")
    return basis


def _reported_years(dataset, key, region) -> dict:
    """{measure: set of years} with a reported (not derived, not target) annual figure."""
    from ..data.schema import REPORTED_STATUSES

    obs = dataset.select(region=region, indicator=key, status=list(REPORTED_STATUSES))
    obs = obs[obs["period"].str.fullmatch(r"\d{4}")]
    return {m: set(grp["period"].astype(int)) for m, grp in obs.groupby("measure")}


def reported_growth_spread(dataset, key) -> tuple[float, int]:
    """Spread of one-year changes in *reported* growth of `key`, pooled over every region.

    The reconstructed 2021–2025 paths are the smoothest paths that meet the reported figures,
    so a forecaster fitted to them sees less year-to-year variation than the economy has.  The
    reported figures (status actual or preliminary, consecutive years, any region of the dataset)
    are the evidence of how much growth actually moves from one year to the next.

    Returns
    -------
    (float, int)
        Root mean square of the changes in percentage points, and how many changes it rests on
        (0 and 0 when there are none).
    """
    from ..data.schema import REPORTED_STATUSES, STATUS_RANK

    obs = dataset.select(indicator=key, measure="growth", status=list(REPORTED_STATUSES))
    obs = obs[obs["period"].str.fullmatch(r"\d{4}")]
    changes = []
    for _, grp in obs.groupby("region"):
        by_year = (grp.assign(year=grp["period"].astype(int), _rank=grp["status"].map(STATUS_RANK))
                   .sort_values("_rank", kind="stable")
                   .drop_duplicates("year").set_index("year")["value"].sort_index())
        for y, v in by_year.items():
            if y - 1 in by_year.index:
                changes.append(v - by_year[y - 1])
    if not changes:
        return 0.0, 0
    return float(np.sqrt(np.mean(np.square(changes)))), len(changes)


def _base_level(spec, key, level_hist, growth_hist, base_year, notes):
    """Level in `base_year` (the year before the horizon), from the data or the scenario."""
    if spec.base_level is not None:
        notes.append(f"{key}: {base_year} level {spec.base_level:g} {_ind.INDICATORS[key].unit} is the "
                     "scenario's assumption (base_level)")
        return float(spec.base_level)
    if len(level_hist) == 0:
        return float("nan")
    years = [p.year for p in level_hist.index]
    if base_year in years:
        return float(level_hist.iloc[years.index(base_year)])
    last_year = max(y for y in years if y < base_year) if any(y < base_year for y in years) else None
    if last_year is None:
        return float("nan")
    # Chain the last known level forward with the growth of the missing years, if all are known.
    g = {p.year: v for p, v in growth_hist.items()}
    missing = list(range(last_year + 1, base_year + 1))
    if not all(y in g for y in missing):
        return float("nan")
    level = float(level_hist.iloc[years.index(last_year)])
    for y in missing:
        level *= 1 + g[y] / 100
    notes.append(f"{key}: {base_year} level chained from {last_year} with reported growth "
                 f"({level:.6g}); price change in those years not included")
    return level


def _level_basis(dataset, key, region, base_year, base_level, notes) -> str:
    """Price basis of the projected levels: that of the base-year level they chain from.

    GDP's reconstructed levels are at constant prices (only one nominal level is known), so its
    projected levels are too; saying so keeps them from being read as current-price (现价) figures.
    """
    if not np.isfinite(base_level):
        return "unknown"
    ds = dataset.with_reconstruction(region)
    rows = ds.select(region=region, indicator=key, measure="level")
    rows = rows[rows["period"] == str(base_year)]
    if rows.empty:
        return "unknown"
    from ..data.schema import STATUS_RANK

    basis = rows.assign(_r=rows["status"].map(STATUS_RANK)).sort_values("_r")["basis"].iloc[0]
    if basis == "comparable":
        notes.append(f"{key}: levels chain from the {base_year} level at constant prices (可比价), so they are "
                     "constant-price, not current-price (现价), figures")
    return basis


def _nowcast_table(scenario, dataset, as_of, notes) -> dict:
    """{indicator: {year: (estimate, sd)}} from the year-to-date nowcast, when the scenario asks."""
    if scenario.start_from != "nowcast":
        if as_of is not None and not scenario.outlook:
            notes.append(f"data as known at {as_of}; no year-to-date nowcast applied (the scenario says neither "
                         "'start_from: nowcast' nor 'outlook: true')")
        return {}
    if as_of is None:
        notes.append("start_from: nowcast needs an as-of month (--as-of YYYY-MM); not applied")
        return {}
    from ..forecasting.nowcast import nowcast

    frame = nowcast(dataset, as_of, region=scenario.region).to_frame()
    frame = frame[frame["measure"] == "growth"]
    out: dict = {}
    for row in frame.itertuples(index=False):
        if row.indicator not in scenario.indicators:
            continue
        year = int(str(row.year)[:4])
        if year not in scenario.years:
            notes.append(f"{row.indicator}: the nowcast as of {as_of} is for {year}, outside the horizon; "
                         "not applied")
            continue
        if np.isfinite(row.estimate) and np.isfinite(row.sd):
            out.setdefault(row.indicator, {})[year] = (float(row.estimate), max(float(row.sd), 0.0))
            notes.append(f"{row.indicator}: {year} centre {row.estimate:.3g}% from the nowcast as of {as_of}")
    return out


# --------------------------------------------------------------------------- the outlook steps

def _outlook_anchored(scenario: Scenario, dataset: Dataset, key: str, spec: IndicatorSpec) -> bool:
    """Whether an outlook of `key` may rest on the parent's outlook alone (no own forecaster needed)."""
    if not (scenario.outlook and spec.uses_model(scenario.years) and not spec.links):
        return False
    from .outlook import parent_outlook

    return parent_outlook(dataset, scenario.region, key, scenario.years) is not None


def _outlook(scenario: Scenario, dataset: Dataset, key: str, growth_hist: pandas.Series, model_y, fitted,
             nowcast: tuple | None, notes: list[str]) -> IndicatorOutlook | None:
    """The evidence-based outlook of `key` (:func:`econsim.scenario.outlook.indicator_outlook`).

    None outside outlook scenarios, for linked indicators, and where the scenario states every
    year's growth (then a note says the stated assumption is used).  The forecaster's fit is the
    plan's (`fitted`, additive bands: growth can turn negative), widened to the reported evidence.
    """
    spec, years = scenario.indicators[key], scenario.years
    if not scenario.outlook or spec.links:
        return None
    if not spec.uses_model(years):
        usable = len(_usable_history(years, growth_hist))
        notes.append(f"{key}: no outlook — "
                     + (f"{usable} annual growth figures, too few for one; " if usable < 3 else "")
                     + "the scenario's stated assumption (growth "
                     + ", ".join(f"{y}: {spec.growth.get(y)}" for y in years[:1])
                     + (f", sd {spec.sd:g} pp" if spec.sd is not None else "") + ") is used")
        return None
    from .outlook import indicator_outlook

    extra = _extra_noise(dataset, key, fitted, years, notes) if fitted is not None else 0.0
    out = indicator_outlook(dataset, scenario.region, key, years, fitted,
                            0 if model_y is None else len(model_y), extra, nowcast,
                            reported_growth_spread(dataset, key)[0])
    notes.extend(out.notes)
    return out


def _outlook_nowcast(scenario: Scenario, dataset: Dataset, as_of: str | None) -> dict:
    """{indicator: (year, estimate, sd)}: the nowcast an outlook folds in.

    The year is that of `as_of`; without `as_of`, the first projected year, with every year-to-date
    figure of that year in the data (the data as they stand).
    """
    from ..forecasting.nowcast import nowcast

    region = scenario.region
    if as_of is None:
        year = scenario.years[0]
        ytd = dataset.select(region=region, measure="ytd_growth")
        months = [p for p in ytd["period"] if str(p).startswith(f"{year}-")]
        if not months:
            return {}
        as_of = max(months)
    elif int(as_of[:4]) not in scenario.years:
        return {}
    frame = nowcast(dataset, as_of, region=region, targets=False).to_frame()
    out = {}
    for row in frame.itertuples(index=False):
        if row.indicator in scenario.indicators and np.isfinite(row.estimate) and np.isfinite(row.sd):
            out[row.indicator] = (int(row.year), float(row.estimate), max(float(row.sd), 0.0))
    return out


def _joint_draws(scenario: Scenario, dataset: Dataset, plans: dict[str, IndicatorPlan],
                 notes: list[str]) -> tuple[list[str], np.ndarray | None]:
    """Indicators an outlook scenario draws jointly, and their correlation matrix (in that order).

    Every indicator with noise of its own (outlook, model or a stated sd) and no links; none
    outside outlook scenarios or when fewer than two qualify.
    """
    if not scenario.outlook:
        return [], None
    joint = [k for k, p in plans.items() if p.noise in ("outlook", "model", "sd") and not p.links]
    if len(joint) < 2:
        return [], None
    from .outlook import correlations

    correlation, corr_notes = correlations(dataset, scenario.region, joint)
    notes.append("joint draws: correlations of annual growth estimated from reported history of "
                 f"{scenario.region} and its ancestors, shrunk towards 0 (pairs without evidence 0): "
                 + ("; ".join(corr_notes) if corr_notes else "no pair has enough evidence, all 0"))
    return joint, correlation
