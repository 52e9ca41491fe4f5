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

import numpy as np

from .. import indicators as _ind
from ..errors import InputError
from .plan import _model_mean, prepare
from .engine import simulate

QUANTILES = (5, 10, 25, 50, 75, 90, 95)
QUANTILE_COLUMNS = tuple(f"p{q:02d}" for q in QUANTILES)
FRAME_COLUMNS = ("scenario", "region", "indicator", "year", "measure", "mean") + QUANTILE_COLUMNS + (
    "unit", "name", "status", "basis")
#: Float format of every CSV the engine writes: 6 significant digits is far finer than the data
#: and makes the bytes independent of the last bits of floating-point arithmetic.
CSV_FLOAT_FORMAT = "%.6g"


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
            from ..errors import did_you_mean

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
            from ..io.writing import write_text_atomic

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
        from ..plotting import fan_chart

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
            from ..plotting import figure_to_png_base64

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
        ``YYYY-MM``: the data as known at the end of that month
        (:meth:`econsim.data.Dataset.as_known_at`: later publications and outcomes are not seen);
        with ``start_from: nowcast`` or ``outlook: true`` the year-to-date nowcast as of that month
        sets that year's centre.
    progress : callable, optional
        Receives short progress texts.

    Returns
    -------
    Projection
    """
    from .spec import Scenario
    from .files import load_scenario

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if dataset is None:
        from ..data.dataset import load_dataset

        dataset = load_dataset()
    draws = scenario.draws if draws is None else draws
    seed = scenario.seed if seed is None else seed
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise InputError(f"draws must be a positive whole number, got {draws!r}", key="draws")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
        raise InputError(f"seed must be a whole number between 0 and 2**63-1, got {seed!r}", key="seed")
    t0 = time.perf_counter()
    if as_of is not None:
        dataset = dataset.as_known_at(as_of)
        as_of = dataset.as_of
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
