"""The Monte Carlo engine: a scenario's assumptions plus model uncertainty, 2026–2030.

For every indicator of a scenario the engine draws annual growth paths, shape ``(draws, years)``,
all draws at once (vectorised NumPy; the only Python loops are over the handful of indicators
and years):

1. **centre** — the scenario's number for the year, or the forecaster's path (``model``), fitted on
   the reconstructed 2020–2025 growth history of the dataset;
2. **noise** — the forecaster's own simulated spread around its path
   (:func:`econsim.models.simulate_paths` minus :func:`econsim.models.forecast`'s mean), scaled by
   ``uncertainty``; or, where the scenario states ``sd``, normal noise with that standard deviation.
   The forecaster learns from the reconstructed history, which is smooth by construction; where its
   first-year spread is below the spread of one-year changes in *reported* growth of the same
   indicator (any region of the dataset, at least three changes), independent yearly noise makes up
   the difference and a note says so (:func:`reported_growth_spread`);
3. **links** — an indicator driven by others gets ``a + Σ b·growth(driver) + noise`` per draw,
   computed after its drivers;
4. **add factors and shocks** shift the path (percentage points; a shock fades by its persistence);
5. **overrides** pin a year's growth or level exactly;
6. **levels** chain from the last known (reconstructed) level:
   ``L_t = L_{t-1} · (1 + g_t/100) · (1 + p_t/100)``, where ``p_t`` is the price assumption that turns
   real (可比价) growth into nominal (现价) levels.

Everything computed here is status ``derived``.  Randomness comes from one seeded
``numpy.random.Generator`` consumed in a fixed order, so the same inputs and seed give the same
draws and byte-identical CSV output.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import indicators as _ind
from ..errors import InputError
#: Standard normal quantile of 0.9: the half-width of an 80% interval in standard deviations.
_Z80 = 1.2815515655446004


# --------------------------------------------------------------------------- the plan (validated inputs)

@dataclass
class _IndicatorPlan:
    key: str
    centre: np.ndarray                 # growth centre by year, percent (NaN where a link decides)
    noise: str                         # "model", "sd" or "none"
    model_y: np.ndarray | None         # growth history the forecaster simulates from
    model_offset: int                  # steps between the end of history and the first projected year
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
    outlook_sd: np.ndarray | None = None  # pp by year: the outlook's spread (noise "outlook")


@dataclass
class _Plan:
    scenario: object
    region: str
    years: list
    order: list
    indicators: dict
    history: dict
    notes: list
    level_basis: dict = field(default_factory=dict)
    joint: list = field(default_factory=list)        # indicators drawn jointly (outlook scenarios)
    correlation: np.ndarray | None = None            # their correlation matrix (order of `joint`)
    outlooks: dict = field(default_factory=dict)     # {indicator: IndicatorOutlook}


def _fail(scenario, key, msg):
    raise InputError(msg, path=scenario.path or scenario.name, key=key)


def _history(dataset, key, region, measure):
    """Reconstructed annual series, or an empty Series when the dataset has none.

    Kept in the Dataset's own cache (beside its reconstruction): a report projects three
    scenarios on one Dataset, and each lookup pivots the whole table again.  A copy is
    returned, so no caller can change what the next projection sees.
    """
    import pandas as pd

    cache = getattr(dataset, "_cache", None)
    memo_key = ("simulate.history", key, region, measure)
    if cache is not None and memo_key in cache:
        return cache[memo_key].copy()
    try:
        series = dataset.series(key, region=region, measure=measure)
    except InputError:
        series = pd.Series(dtype=float, name=f"{key}:{measure}")
    if cache is not None:
        cache[memo_key] = series.copy()
    return series


def _reported_years(dataset, key, region) -> dict:
    """{measure: set of years} with a reported (not derived, not target) annual figure."""
    obs = dataset.select(region=region, indicator=key, status=["actual", "preliminary"])
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
    from ..data.schema import STATUS_RANK

    obs = dataset.select(indicator=key, measure="growth", status=["actual", "preliminary"])
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


#: Fewest reported year-to-year changes that may set a floor under a model's spread.
MIN_FLOOR_EVIDENCE = 3


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


def prepare(scenario, dataset, as_of=None) -> _Plan:
    """Check a scenario against the data and fit the models it needs (no random draws yet).

    Raises
    ------
    InputError
        When an indicator needs a model but the data hold too little history, or needs a spread
        that neither the model nor the scenario gives.  Names the scenario file and key.
    """
    from ..forecasting.auto import forecast
    from .spec import link_order

    region = scenario.region
    try:
        dataset.require_region(region)
    except InputError as exc:
        _fail(scenario, "region", exc.message)
    years = scenario.years
    h = len(years)
    base_year = years[0] - 1
    notes, plans, history, outlooks = [], {}, {}, {}
    nowcast = _nowcast_table(scenario, dataset, as_of, notes)
    outlook_nowcast = _outlook_nowcast(scenario, dataset, as_of) if scenario.outlook else {}
    for key, spec in scenario.indicators.items():
        ind = _ind.INDICATORS[key]
        growth_hist = _history(dataset, key, region, "growth")
        level_hist = _history(dataset, key, region, "level")
        history[key] = {"growth": growth_hist, "level": level_hist,
                        "reported": _reported_years(dataset, key, region)}
        hist_years = [p.year for p in growth_hist.index]
        usable = growth_hist[[y < years[0] for y in hist_years]] if len(growth_hist) else growth_hist
        has_model = len(usable) >= 3
        centre = np.full(h, np.nan)
        model_y, offset = None, 0
        needs_model = spec.uses_model(years)
        # An outlook can rest on the parent's outlook alone when the region's own history is too short.
        anchor_only = (scenario.outlook and needs_model and not has_model and not spec.links
                       and _has_anchor(dataset, region, key, years))
        if anchor_only:
            pass
        elif needs_model or (not spec.links and spec.sd is None):
            if not has_model:
                if needs_model:
                    missing = [y for y in years if not isinstance(spec.growth.get(y, "model"), (int, float))]
                    _fail(scenario, f"indicators.{key}.growth",
                          f"'{key}' has {len(usable)} annual growth figures in the data, too few for a model "
                          f"(need 3); give a growth number for {', '.join(map(str, missing))} and 'sd'")
                _fail(scenario, f"indicators.{key}.sd",
                      f"'{key}' has {len(usable)} annual growth figures in the data, too few for a model's "
                      "spread; state the uncertainty of the assumed path with 'sd' (percentage points)")
            model_y = usable.to_numpy(dtype=float)
            offset = years[0] - (hist_years[len(usable) - 1] + 1)
            if needs_model and not scenario.outlook:
                centre = _model_centre(spec, years, model_y, offset, forecast)
        outlook_sd = None
        if scenario.outlook and needs_model and not spec.links:
            from .outlook import indicator_outlook

            extra = _extra_noise(dataset, key, model_y, h, offset, years, notes) if model_y is not None else 0.0
            out = indicator_outlook(dataset, region, key, years, model_y, offset, extra,
                                    outlook_nowcast.get(key), reported_growth_spread(dataset, key)[0])
            outlooks[key] = out
            notes.extend(out.notes)
            centre, outlook_sd = out.centre.copy(), out.sd.copy()
        elif scenario.outlook and not spec.links:
            notes.append(f"{key}: no outlook — "
                         + (f"{len(usable)} annual growth figures, too few for one; " if not has_model else "")
                         + "the scenario's stated assumption (growth "
                         + ", ".join(f"{y}: {spec.growth.get(y)}" for y in years[:1])
                         + (f", sd {spec.sd:g} pp" if spec.sd is not None else "") + ") is used")
        for i, y in enumerate(years):
            v = spec.growth.get(y, "model")
            if isinstance(v, (int, float)):
                centre[i] = v
        if spec.links:
            centre[:] = np.nan
        shift = np.array([spec.add_factors.get(y, 0.0) for y in years], dtype=float)
        for s in spec.shocks:
            t = np.arange(h) - years.index(s["start"])
            shift += np.where(t >= 0, s["size"] * s["persistence"] ** np.maximum(t, 0), 0.0)
        ov_g = np.full(h, np.nan)
        ov_l = np.full(h, np.nan)
        for y, (m, v) in spec.overrides.items():
            (ov_g if m == "growth" else ov_l)[years.index(y)] = v
        price = np.array([spec.price.get(y, 0.0) for y in years], dtype=float)
        if ind.growth_basis == "comparable" and not spec.price:
            notes.append(f"{key}: no price assumption; nominal levels assume 0% price change")
        nc_c, nc_sd = np.full(h, np.nan), np.full(h, np.nan)
        for y, (est, sd) in nowcast.get(key, {}).items():
            if y in years and outlook_sd is None:  # an outlook has folded the nowcast in already
                nc_c[years.index(y)], nc_sd[years.index(y)] = est, sd
        noise = "sd" if spec.sd is not None else ("model" if model_y is not None and not spec.links
                                                  else "none")
        if outlook_sd is not None:
            noise = "outlook"
        extra_sd = _extra_noise(dataset, key, model_y, h, offset, years, notes) if noise == "model" else 0.0
        plans[key] = _IndicatorPlan(
            key=key, centre=centre, noise=noise, extra_sd=extra_sd,
            model_y=model_y, model_offset=offset, sd=float(spec.sd or 0.0), uncertainty=spec.uncertainty,
            shift=shift, override_growth=ov_g, override_level=ov_l, price=price,
            base_level=_base_level(spec, key, level_hist, growth_hist, base_year, notes),
            links=spec.links, nowcast_centre=nc_c, nowcast_sd=nc_sd, outlook_sd=outlook_sd)
    joint, correlation = [], None
    if scenario.outlook:
        joint = [k for k, p in plans.items() if p.noise in ("outlook", "model", "sd") and not p.links]
        if len(joint) > 1:
            from .outlook import correlations

            correlation, corr_notes = correlations(dataset, region, joint)
            notes.append("joint draws: correlations of annual growth estimated from reported history of "
                         f"{region} and its ancestors, shrunk towards 0 (pairs without evidence 0): "
                         + ("; ".join(corr_notes) if corr_notes else "no pair has enough evidence, all 0"))
        else:
            joint = []
    level_basis = {}
    for key, spec in scenario.indicators.items():
        level_basis[key] = ("nominal" if spec.base_level is not None else
                            _level_basis(dataset, key, region, base_year, plans[key].base_level, notes))
        if level_basis[key] == "comparable" and spec.price and any(v != 0 for v in spec.price.values()):
            # Prices on top of a constant-price base give levels that are neither 可比价 nor 现价.
            _fail(scenario, f"indicators.{key}.price",
                  f"'{key}' levels chain from a constant-price (可比价) {base_year} level, so a price "
                  "assumption cannot make them current-price (现价); drop 'price' or give a current-price "
                  "'base_level'")
    return _Plan(scenario=scenario, region=region, years=years, order=link_order(scenario.indicators,
                 scenario.path), indicators=plans, history=history, notes=notes, level_basis=level_basis,
                 joint=joint, correlation=correlation, outlooks=outlooks)


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


def _model_centre(spec, years, model_y, offset, forecast) -> np.ndarray:
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
    y = model_y
    if lead and offset == 0:
        y = np.concatenate([model_y, [float(spec.growth[years[i]]) for i in range(lead)]])
        centre[lead:] = forecast(y, h - lead)["mean"].to_numpy()
    else:
        centre[:] = forecast(y, h + offset)["mean"].to_numpy()[offset:]
    return centre


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


def _has_anchor(dataset, region, key, years) -> bool:
    from .outlook import parent_outlook

    return parent_outlook(dataset, region, key, years) is not None


def _outlook_nowcast(scenario, dataset, as_of) -> dict:
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


def _extra_noise(dataset, key, model_y, h, offset, years, notes) -> float:
    """Yearly noise (sd, pp) to add to the model's so its first year is as wide as the evidence.

    When the forecaster's first-year spread is below the spread of one-year changes in reported
    growth (:func:`reported_growth_spread`), independent normal noise with the missing variance is
    added to every year: the first year then matches the evidence, and later years widen by the
    same constant amount instead of compounding it.
    """
    from ..forecasting.auto import forecast

    floor, n = reported_growth_spread(dataset, key)
    if n < MIN_FLOOR_EVIDENCE:
        return 0.0
    band = forecast(model_y, h + offset, level=(80,)).iloc[offset]
    model_sd = float(band["hi_80"] - band["lo_80"]) / (2 * _Z80)
    if model_sd >= floor:
        return 0.0
    extra = float(np.sqrt(floor**2 - model_sd**2))
    notes.append(f"{key}: the forecaster's {years[0]} spread (sd ≈ {model_sd:.2f} pp, fitted on the smooth "
                 f"reconstructed history) is below the spread of one-year changes in reported growth "
                 f"({floor:.2f} pp over {n} changes, all regions); yearly noise of sd {extra:.2f} pp is added")
    return extra


def _model_mean(p: _IndicatorPlan) -> np.ndarray:
    """The forecaster's path the simulated paths scatter around (cached on the plan)."""
    cached = getattr(p, "_model_mean", None)
    if cached is None:
        from ..forecasting.auto import forecast

        h = len(p.centre)
        cached = forecast(p.model_y, h + p.model_offset)["mean"].to_numpy()[p.model_offset:]
        p._model_mean = cached
    return cached
