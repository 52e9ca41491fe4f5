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

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import indicators as _ind
from .errors import InputError

QUANTILES = (5, 10, 25, 50, 75, 90, 95)
QUANTILE_COLUMNS = tuple(f"p{q:02d}" for q in QUANTILES)
FRAME_COLUMNS = ("scenario", "region", "indicator", "year", "measure", "mean") + QUANTILE_COLUMNS + (
    "unit", "name", "status", "basis")
#: Float format of every CSV the engine writes: 6 significant digits is far finer than the data
#: and makes the bytes independent of the last bits of floating-point arithmetic.
CSV_FLOAT_FORMAT = "%.6g"
#: Standard normal quantile of 0.9: the half-width of an 80% interval in standard deviations.
_Z80 = 1.2815515655446004
#: Floor on a simulated annual growth rate, percent (draws below are cut here).
MIN_GROWTH = -95.0


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
    from .data import STATUS_RANK

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
    from .models import forecast
    from .scenario import link_order

    region = scenario.region
    try:
        dataset.require_region(region)
    except InputError as exc:
        _fail(scenario, "region", exc.message)
    years = scenario.years
    h = len(years)
    base_year = years[0] - 1
    notes, plans, history = [], {}, {}
    nowcast = _nowcast_table(scenario, dataset, as_of, notes)
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
        if needs_model or (not spec.links and spec.sd is None):
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
            if needs_model:
                centre = _model_centre(spec, years, model_y, offset, forecast)
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
            if y in years:
                nc_c[years.index(y)], nc_sd[years.index(y)] = est, sd
        noise = "sd" if spec.sd is not None else ("model" if model_y is not None and not spec.links
                                                  else "none")
        extra_sd = _extra_noise(dataset, key, model_y, h, offset, years, notes) if noise == "model" else 0.0
        plans[key] = _IndicatorPlan(
            key=key, centre=centre, noise=noise, extra_sd=extra_sd,
            model_y=model_y, model_offset=offset, sd=float(spec.sd or 0.0), uncertainty=spec.uncertainty,
            shift=shift, override_growth=ov_g, override_level=ov_l, price=price,
            base_level=_base_level(spec, key, level_hist, growth_hist, base_year, notes),
            links=spec.links, nowcast_centre=nc_c, nowcast_sd=nc_sd)
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
                 scenario.path), indicators=plans, history=history, notes=notes, level_basis=level_basis)


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
    from .data import STATUS_RANK

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
        if as_of is not None:
            notes.append(f"as-of {as_of} not applied: the scenario does not say 'start_from: nowcast'")
        return {}
    if as_of is None:
        notes.append("start_from: nowcast needs an as-of month (--as-of YYYY-MM); not applied")
        return {}
    from .nowcast import nowcast

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


# --------------------------------------------------------------------------- the engine

def simulate(plan: _Plan, draws: int, rng: np.random.Generator, progress=None):
    """Growth and level draws, each of shape ``(indicators, draws, years)``, in `plan.order`.

    Parameters
    ----------
    plan : _Plan
        From :func:`prepare`.
    draws : int
        Number of Monte Carlo paths.
    rng : numpy.random.Generator
        The only source of randomness; consumed in a fixed order.
    progress : callable, optional
        Called with a short text after each indicator.
    """
    from .models import simulate_paths

    h = len(plan.years)
    order = plan.order
    growth = np.empty((len(order), draws, h))
    level = np.empty((len(order), draws, h))
    pos = {k: i for i, k in enumerate(order)}
    for n, key in enumerate(order):
        p = plan.indicators[key]
        if p.links:
            g = np.full((draws, h), sum(ln["a"] for ln in p.links), dtype=float)
            for ln in p.links:
                g += ln["b"] * growth[pos[ln["driver"]]]
            noise_sd = float(np.sqrt(sum(ln["noise_sd"] ** 2 for ln in p.links)))
            if noise_sd > 0 and p.uncertainty > 0:
                g += (noise_sd * p.uncertainty) * rng.standard_normal((draws, h))
        else:
            g = np.broadcast_to(p.centre, (draws, h)).copy()
            if p.uncertainty > 0:
                if p.noise == "model":
                    paths = simulate_paths(p.model_y, h + p.model_offset, draws, rng=rng)[:, p.model_offset:]
                    noise = paths - _model_mean(p)
                    if p.extra_sd > 0:
                        noise += p.extra_sd * rng.standard_normal((draws, h))
                    g += p.uncertainty * noise
                elif p.noise == "sd" and p.sd > 0:
                    g += (p.sd * p.uncertainty) * rng.standard_normal((draws, h))
        nc = np.isfinite(p.nowcast_centre)
        if nc.any():
            z = rng.standard_normal((draws, int(nc.sum())))
            g[:, nc] = p.nowcast_centre[nc] + p.nowcast_sd[nc] * z
        g += p.shift
        # Normal or Student-t noise has unbounded tails; a level cannot fall by 100% or more.
        np.maximum(g, MIN_GROWTH, out=g)
        pinned = np.isfinite(p.override_growth)
        g[:, pinned] = p.override_growth[pinned]
        lv = level[n]
        prev = np.full(draws, p.base_level)
        for t in range(h):
            factor = (1 + g[:, t] / 100) * (1 + p.price[t] / 100)
            if np.isfinite(p.override_level[t]):
                lv[:, t] = p.override_level[t]
                with np.errstate(invalid="ignore", divide="ignore"):
                    g[:, t] = (p.override_level[t] / prev / (1 + p.price[t] / 100) - 1) * 100
            else:
                lv[:, t] = prev * factor
            prev = lv[:, t]
        growth[n] = g
        if progress:
            progress(f"simulated {key} ({n + 1}/{len(order)})")
    return growth, level


def _extra_noise(dataset, key, model_y, h, offset, years, notes) -> float:
    """Yearly noise (sd, pp) to add to the model's so its first year is as wide as the evidence.

    When the forecaster's first-year spread is below the spread of one-year changes in reported
    growth (:func:`reported_growth_spread`), independent normal noise with the missing variance is
    added to every year: the first year then matches the evidence, and later years widen by the
    same constant amount instead of compounding it.
    """
    from .models import forecast

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
        from .models import forecast

        h = len(p.centre)
        cached = forecast(p.model_y, h + p.model_offset)["mean"].to_numpy()[p.model_offset:]
        p._model_mean = cached
    return cached


# --------------------------------------------------------------------------- the result

@dataclass
class Projection:
    """Monte Carlo projection of a scenario: draws of growth and levels by indicator and year.

    Attributes
    ----------
    scenario : econsim.scenario.Scenario
    region : str
    years : list[int]
    indicators : list[str]
        In simulation order (drivers before the indicators they drive).
    growth, level : ndarray
        Shape ``(indicators, draws, years)``; growth in percent, levels in the indicator's unit
        (basis in ``level_basis``).  Levels are NaN where the data give no base level.
    history : dict
        ``{indicator: {"growth": Series, "level": Series, "reported": {measure: set of years}}}``,
        the reconstructed annual history and which of its years are reported (the rest are derived).
    dataset_targets : pandas.DataFrame
        The dataset's targets for the region (status ``target``).
    notes : list[str]
        Assumptions the engine had to make (missing price assumptions, chained levels, nowcast use).
    seed, draws : int
    as_of : str or None
    timings : dict
        Seconds spent preparing (model fitting) and simulating.
    """

    scenario: object
    region: str
    years: list
    indicators: list
    growth: np.ndarray
    level: np.ndarray
    history: dict
    dataset_targets: object
    notes: list
    seed: int
    draws_count: int
    as_of: str | None = None
    timings: dict = field(default_factory=dict)
    level_basis: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # -- access ------------------------------------------------------------------------------
    def _index(self, indicator: str) -> int:
        if indicator not in self.indicators:
            from .errors import did_you_mean

            raise KeyError(f"indicator '{indicator}' is not in this projection"
                           f"{did_you_mean(indicator, self.indicators)}; projected: {', '.join(self.indicators)}")
        return self.indicators.index(indicator)

    def draws(self, indicator: str, measure: str = "growth"):
        """The simulated paths of one indicator as a DataFrame (one row per draw, one column per year).

        Parameters
        ----------
        indicator : str
        measure : {"growth", "level"}
            Growth in percent or the level in the indicator's unit.
        """
        import pandas as pd

        arr = {"growth": self.growth, "level": self.level}[measure][self._index(indicator)]
        return pd.DataFrame(arr, columns=self.years)

    def average_growth(self, indicator: str) -> np.ndarray:
        """Draws of the geometric average annual growth over the horizon, percent."""
        from .targets import average_growth

        return average_growth(self.growth[self._index(indicator)])

    def cumulative(self, indicator: str) -> np.ndarray:
        """Draws of the sum of levels over the horizon (e.g. 2026–2030 investment, 亿元)."""
        return self.level[self._index(indicator)].sum(axis=1)

    @property
    def period_label(self) -> str:
        return f"{self.years[0]}-{self.years[-1]}"

    # -- tables ------------------------------------------------------------------------------
    def to_frame(self):
        """The projection.csv table: one row per indicator, year (or horizon) and measure.

        Measures: ``growth`` (percent), ``level`` (indicator's unit), and for the whole
        horizon (year ``2026-2030``) ``avg_growth`` (percent per year) and ``cumulative`` (sum of
        levels).  Columns ``scenario, region, indicator, year, measure, mean, p05 … p95, unit,
        name, status, basis``; status is always ``derived``; ``basis`` says whether growth is real
        (``comparable``, 可比价) or nominal, and whether levels are current-price (``nominal``, 现价)
        or constant-price (``comparable``: GDP, whose only nominal level is 2024's).
        """
        import pandas as pd

        if "frame" in self._cache:
            return self._cache["frame"].copy()
        rows = []
        for key in self.indicators:
            i = self._index(key)
            ind = _ind.INDICATORS[key]
            blocks = [("growth", "pct", self.growth[i]), ("level", ind.unit, self.level[i])]
            for measure, unit, arr in blocks:
                for t, year in enumerate(self.years):
                    rows.append(_summary_row(self, key, str(year), measure, unit, arr[:, t]))
            rows.append(_summary_row(self, key, self.period_label, "avg_growth", "pct", self.average_growth(key)))
            if ind.kind == "flow":
                rows.append(_summary_row(self, key, self.period_label, "cumulative", ind.unit,
                                         self.cumulative(key)))
        frame = pd.DataFrame([r for r in rows if r is not None], columns=list(FRAME_COLUMNS))
        # The draws never change after projection, so the summary is computed once.
        self._cache["frame"] = frame.reset_index(drop=True)
        return self._cache["frame"].copy()

    def to_csv(self, path=None) -> str:
        """projection.csv as text (and written to `path` if given), with fixed float formatting."""
        text = self.to_frame().to_csv(index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")
        if path is not None:
            from .outputs import write_text_atomic

            write_text_atomic(path, text)
        return text

    def targets(self):
        """Probability of meeting each target, with the growth required (see :mod:`econsim.targets`)."""
        from .targets import target_table

        if "targets" not in self._cache:
            self._cache["targets"] = target_table(self)
        return self._cache["targets"].copy()

    # -- charts ------------------------------------------------------------------------------
    def fan_chart(self, indicator: str, measure: str = "growth", ax=None):
        """Fan chart of one indicator: history, median, 50/80/90% bands and targets.

        Returns
        -------
        matplotlib.figure.Figure
        """
        from .plotting import fan_chart

        return fan_chart(self, indicator, measure=measure, ax=ax)

    # -- display -----------------------------------------------------------------------------
    def __repr__(self) -> str:
        return (f"Projection(scenario={self.scenario.name!r}, region={self.region!r}, "
                f"years={self.years[0]}–{self.years[-1]}, indicators={self.indicators}, "
                f"draws={self.draws_count}, seed={self.seed})")

    def _repr_html_(self) -> str:
        import html

        frame = self.to_frame()
        g = frame[frame["measure"].isin(["growth", "avg_growth"])]
        cells = g.assign(cell=[f"{m:.1f} [{lo:.1f}, {hi:.1f}]" for m, lo, hi in
                               zip(g["p50"], g["p05"], g["p95"])])
        wide = cells.pivot(index="indicator", columns="year", values="cell").reindex(self.indicators)
        wide.index = [_ind.label(k) for k in wide.index]
        tg = self.targets()
        tg_html = ""
        if len(tg):
            view = tg[["name", "year", "measure", "target", "probability"]].copy()
            view["probability"] = view["probability"].map(lambda p: "" if p != p else f"{p:.0%}")
            tg_html = "<p><b>Targets 目标</b> (probability of meeting)</p>" + view.to_html(index=False)
        chart = ""
        first = "gdp" if "gdp" in self.indicators else self.indicators[0]
        try:
            from .plotting import figure_to_png_base64

            chart = (f'<img style="max-width:560px" src="data:image/png;base64,'
                     f'{figure_to_png_base64(self.fan_chart(first))}"/>')
        except Exception as exc:  # a display must not fail because a chart did
            chart = f"<p>(chart unavailable: {html.escape(str(exc))})</p>"
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (f"<p><b>Projection</b> of scenario <b>{html.escape(self.scenario.name)}</b> "
                f"{html.escape(self.scenario.title)} — region {html.escape(self.region)}, "
                f"{self.draws_count} draws, seed {self.seed}. Growth in %, median [90% interval]; "
                "status derived.</p>" + wide.to_html(escape=True) + tg_html + chart
                + (f"<p>Notes:</p><ul>{notes}</ul>" if notes else ""))


def _summary_row(proj, key, year, measure, unit, values):
    values = np.asarray(values, dtype=float)
    if not np.isfinite(values).all():
        return None
    q = np.percentile(values, QUANTILES)
    if measure in ("growth", "avg_growth"):
        basis = _ind.INDICATORS[key].growth_basis
    else:
        basis = proj.level_basis.get(key, "unknown")
    return [proj.scenario.name, proj.region, key, year, measure, float(values.mean()), *map(float, q), unit,
            _ind.label(key), "derived", basis]


# --------------------------------------------------------------------------- the public functions

def project(scenario, dataset=None, draws=None, seed=None, as_of=None, *, progress=None) -> Projection:
    """Project a scenario 2026–2030 by Monte Carlo.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A loaded scenario, or a name/path for :func:`econsim.scenario.load_scenario`.
    dataset : Dataset, optional
        Default: :func:`econsim.data.load_dataset` (the bundled zone data).
    draws : int, optional
        Number of paths; default the scenario's ``draws``.
    seed : int, optional
        Seed of the random generator; default the scenario's ``seed``.
    as_of : str, optional
        ``YYYY-MM``: with ``start_from: nowcast`` the first year's centre comes from the
        year-to-date nowcast as of that month.
    progress : callable, optional
        Receives short progress texts.

    Returns
    -------
    Projection
    """
    from .scenario import Scenario, load_scenario

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if dataset is None:
        from .data import load_dataset

        dataset = load_dataset()
    draws = scenario.draws if draws is None else draws
    seed = scenario.seed if seed is None else seed
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise InputError(f"draws must be a positive whole number, got {draws!r}", key="draws")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
        raise InputError(f"seed must be a whole number between 0 and 2**63-1, got {seed!r}", key="seed")
    t0 = time.perf_counter()
    plan = prepare(scenario, dataset, as_of)
    for p in plan.indicators.values():
        if p.noise == "model":
            _model_mean(p)
    t1 = time.perf_counter()
    growth, level = simulate(plan, int(draws), np.random.default_rng(int(seed)), progress=progress)
    t2 = time.perf_counter()
    return Projection(scenario=scenario, region=plan.region, years=plan.years, indicators=list(plan.order),
                      growth=growth, level=level, history=plan.history,
                      dataset_targets=dataset.targets(plan.region), notes=plan.notes, seed=int(seed),
                      draws_count=int(draws), as_of=as_of, level_basis=dict(plan.level_basis),
                      timings={"prepare_s": t1 - t0, "simulate_s": t2 - t1})


def compare(projections):
    """Side-by-side growth of several projections (tidy: one row per scenario, indicator and year).

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario, region, indicator, name, year, measure, mean, p10, p50, p90`` for the
        annual growth and the horizon's average growth, plus ``probability`` of meeting the
        target of that indicator, year and measure where there is one.
    """
    import pandas as pd

    frames = []
    for p in projections:
        f = p.to_frame()
        f = f[f["measure"].isin(["growth", "avg_growth"])]
        tg = p.targets()
        if len(tg):
            tg = tg[["indicator", "year", "measure", "probability"]]
            f = f.merge(tg, on=["indicator", "year", "measure"], how="left")
        else:
            f = f.assign(probability=np.nan)
        frames.append(f[["scenario", "region", "indicator", "name", "year", "measure", "mean", "p10", "p50",
                         "p90", "probability"]])
    if not frames:
        raise ValueError("compare needs at least one projection")
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- writing results

def manifest(projections, dataset, outputs: dict, timings: dict, command: str) -> dict:
    """What a run read, with which versions and settings, and what it wrote (sha256 throughout)."""
    from .outputs import package_versions, sha256_file

    inputs = {}
    if dataset is not None and dataset.path is not None:
        inputs[str(Path(dataset.path).resolve())] = sha256_file(dataset.path)
    for p in projections:
        inputs.update(p.scenario.file_hashes())
    return {
        "command": command,
        "scenarios": [p.scenario.name for p in projections],
        "region": projections[0].region,
        "years": [projections[0].years[0], projections[0].years[-1]],
        "seed": {p.scenario.name: p.seed for p in projections},
        "draws": {p.scenario.name: p.draws_count for p in projections},
        "as_of": projections[0].as_of,
        "inputs_sha256": inputs,
        "outputs_sha256": outputs,
        "versions": package_versions(),
        "timings_s": {k: round(v, 4) for k, v in timings.items()},
        "notes": sorted({n for p in projections for n in p.notes}),
        "status": "derived",
    }


def write_run(projection, out_dir, dataset=None, *, progress=None, timings=None) -> dict:
    """Write projection.csv, targets.csv, one fan-chart PNG per indicator and manifest.json.

    Everything is staged and moved into `out_dir` only when all of it was written, so a failure
    leaves earlier results untouched.

    Returns
    -------
    dict
        The manifest.
    """
    import json

    from . import plotting
    from .outputs import sha256_bytes, staged_files

    timings = dict(timings or {})
    t0 = time.perf_counter()
    with staged_files(out_dir) as stage:
        files = {"projection.csv": projection.to_csv().encode("utf-8"),
                 "targets.csv": targets_csv(projection).encode("utf-8")}
        for n, key in enumerate(projection.indicators):
            fig = projection.fan_chart(key)
            files[f"fan_{key}.png"] = plotting.figure_to_png(fig)
            if progress:
                progress(f"chart {n + 1}/{len(projection.indicators)}: {key}")
        for name, data in files.items():
            (stage / name).write_bytes(data)
        timings["write_s"] = time.perf_counter() - t0
        man = manifest([projection], dataset, {n: sha256_bytes(d) for n, d in files.items()}, timings,
                       "run")
        (stage / "manifest.json").write_text(json.dumps(man, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return man


def write_comparison(projections, out_dir, dataset=None, *, timings=None) -> dict:
    """Write comparison.csv, comparison.png and manifest.json for several projections (staged)."""
    import json

    from . import plotting
    from .outputs import sha256_bytes, staged_files

    timings = dict(timings or {})
    t0 = time.perf_counter()
    with staged_files(out_dir) as stage:
        table = compare(projections)
        files = {"comparison.csv": table.to_csv(index=False, float_format=CSV_FLOAT_FORMAT,
                                                lineterminator="\n").encode("utf-8"),
                 "comparison.png": plotting.figure_to_png(plotting.comparison_chart(projections))}
        for name, data in files.items():
            (stage / name).write_bytes(data)
        timings["write_s"] = time.perf_counter() - t0
        man = manifest(projections, dataset, {n: sha256_bytes(d) for n, d in files.items()}, timings,
                       "compare")
        (stage / "manifest.json").write_text(json.dumps(man, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return man


def targets_csv(projection) -> str:
    """targets.csv as text, with the engine's fixed float formatting."""
    return projection.targets().to_csv(index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")


def progress_printer(draws: int, stream=None):
    """A progress callback printing ``econsim: ...`` lines on stderr for long runs, else None.

    A run is long when it has at least 50,000 draws; on an interactive terminal progress is
    always shown.
    """
    import sys

    stream = stream or sys.stderr
    if draws < 50_000 and not stream.isatty():
        return None
    return lambda text: print(f"econsim: {text}", file=stream, flush=True)
