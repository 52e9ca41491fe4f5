"""Projections: :func:`project` runs a scenario through the Monte Carlo engine; :class:`Projection` holds the draws.

:func:`project` checks the scenario again (so an edit made in Python gets the checks a file gets),
prepares it against the data (:func:`econsim.scenario.plan.prepare`), draws with one seeded
generator (:func:`econsim.scenario.engine.simulate`) and returns a :class:`Projection`: growth in
percent and levels in each indicator's unit by indicator, draw and year, summarised as the tidy
projection.csv table (mean and p05…p95, status ``derived``), target probabilities and fan charts.
:func:`compare` sets several projections side by side.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .. import indicators as _ind
from ..errors import check_draws, check_seed
from .plan import prepare
from .engine import simulate
from .spec import Scenario

if TYPE_CHECKING:
    import matplotlib.axes
    import matplotlib.figure
    import pandas

    from ..data.dataset import Dataset


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
    scenario : econsim.scenario.spec.Scenario
        The scenario as projected (checked again, edits included).
    region : str
        Region of the dataset.
    years : list[int]
        Projected years.
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
    seed : int
        Seed of the random generator.
    draws_count : int
        Number of Monte Carlo draws.
    as_of : str or None
        ``YYYY-MM`` of the nowcast the first year started from, if any.
    timings : dict[str, float]
        Seconds spent preparing (model fitting) and simulating.
    level_basis : dict[str, str]
        Price basis of each indicator's levels: ``nominal`` (现价), ``comparable`` (可比价) or ``unknown``.
    """

    scenario: Scenario
    region: str
    years: list[int]
    indicators: list[str]
    growth: np.ndarray
    level: np.ndarray
    history: dict
    dataset_targets: pandas.DataFrame
    notes: list[str]
    seed: int
    draws_count: int
    as_of: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    level_basis: dict[str, str] = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # -- access ------------------------------------------------------------------------------
    def _index(self, indicator: str) -> int:
        if indicator not in self.indicators:
            from ..errors import did_you_mean

            raise KeyError(f"indicator '{indicator}' is not in this projection"
                           f"{did_you_mean(indicator, self.indicators)}; projected: {', '.join(self.indicators)}")
        return self.indicators.index(indicator)

    def draws(self, indicator: str, measure: str = "growth") -> pandas.DataFrame:
        """The simulated paths of one indicator as a DataFrame (one row per draw, one column per year).

        Parameters
        ----------
        indicator : str
            A projected indicator key (``"gdp"``).
        measure : {"growth", "level"}
            Growth in percent or the level in the indicator's unit.

        Raises
        ------
        KeyError
            For an indicator not in this projection (with a did-you-mean hint).
        """
        import pandas as pd

        arr = {"growth": self.growth, "level": self.level}[measure][self._index(indicator)]
        return pd.DataFrame(arr, columns=self.years)

    def average_growth(self, indicator: str) -> np.ndarray:
        """Draws of the geometric average annual growth over the horizon, percent per year, shape ``(draws,)``."""
        from .targets import average_growth

        return average_growth(self.growth[self._index(indicator)])

    def cumulative(self, indicator: str) -> np.ndarray:
        """Draws of the sum of levels over the horizon, shape ``(draws,)`` (e.g. 2026–2030 investment, 亿元)."""
        return self.level[self._index(indicator)].sum(axis=1)

    @property
    def period_label(self) -> str:
        """The horizon as a period, ``2026-2030``."""
        return f"{self.years[0]}-{self.years[-1]}"

    # -- tables ------------------------------------------------------------------------------
    def to_frame(self) -> pandas.DataFrame:
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

    def to_csv(self, path: str | Path | None = None) -> str:
        """projection.csv as text (and written atomically to `path` if given), with fixed float formatting.

        The same inputs and seed give the same bytes (6 significant digits).
        """
        text = self.to_frame().to_csv(index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")
        if path is not None:
            from ..io.writing import write_text_atomic

            write_text_atomic(path, text)
        return text

    def to_excel(self, path: str | Path, dataset: Dataset | None = None) -> Path:
        """Write the results workbook (summary, projection, targets, assumptions, provenance) to `path`.

        See :mod:`econsim.scenario.export`; `dataset` is named on the provenance sheet.

        Returns
        -------
        Path
        """
        from .export import write_workbook

        return write_workbook(self, path, dataset)

    def targets(self) -> pandas.DataFrame:
        """Probability of meeting each target, with the growth required.

        Returns
        -------
        pandas.DataFrame
            See :func:`econsim.scenario.targets.target_table`.
        """
        from .targets import target_table

        if "targets" not in self._cache:
            self._cache["targets"] = target_table(self)
        return self._cache["targets"].copy()

    # -- charts ------------------------------------------------------------------------------
    def fan_chart(self, indicator: str, measure: str = "growth", ax=None) -> matplotlib.figure.Figure:
        """Fan chart of one indicator: history, median, 50/80/90% bands and targets.

        Parameters
        ----------
        indicator : str
            A projected indicator key.
        measure : {"growth", "level"}
            Growth in percent or levels in the indicator's unit.
        ax : matplotlib.axes.Axes, optional
            Where to draw; a new figure by default.

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

def project(scenario: Scenario | str | Path, dataset: Dataset | None = None, draws: int | None = None,
            seed: int | None = None, as_of: str | None = None, *,
            progress: Callable[[str], None] | None = None) -> Projection:
    """Project a scenario 2026–2030 by Monte Carlo.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A loaded scenario (edits made in Python included: it is checked again with the validator
        of scenario files), or a name/path for :func:`econsim.scenario.files.load_scenario`.
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

    Raises
    ------
    InputError
        For a scenario value a scenario file could not hold either (naming its dotted key, e.g.
        ``indicators.gdp.growth.2027``), bad `draws` or `seed`, or what the data cannot support.
    """
    from .files import load_scenario

    # A scenario edited in Python gets exactly the checks its file got (one validator).
    scenario = scenario.validated() if isinstance(scenario, Scenario) else load_scenario(scenario)
    if dataset is None:
        from ..data.dataset import load_dataset

        dataset = load_dataset()
    draws = check_draws(scenario.draws if draws is None else draws)
    seed = check_seed(scenario.seed if seed is None else seed)
    t0 = time.perf_counter()
    plan = prepare(scenario, dataset, as_of)
    t1 = time.perf_counter()
    growth, level = simulate(plan, int(draws), np.random.default_rng(int(seed)), progress=progress)
    t2 = time.perf_counter()
    return Projection(scenario=scenario, region=plan.region, years=plan.years, indicators=list(plan.order),
                      growth=growth, level=level, history=plan.history,
                      dataset_targets=dataset.targets(plan.region), notes=plan.notes, seed=int(seed),
                      draws_count=int(draws), as_of=as_of, level_basis=dict(plan.level_basis),
                      timings={"prepare_s": t1 - t0, "simulate_s": t2 - t1})


def compare(projections: Iterable[Projection]) -> pandas.DataFrame:
    """Side-by-side growth of several projections (tidy: one row per scenario, indicator and year).

    Parameters
    ----------
    projections : iterable of Projection
        At least one.

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario, region, indicator, name, year, measure, mean, p10, p50, p90`` for the
        annual growth and the horizon's average growth, plus ``probability`` of meeting the
        target of that indicator, year and measure where there is one.

    Raises
    ------
    ValueError
        When `projections` is empty.
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
