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
from ..errors import InputError, check_draws, check_seed
from .plan import prepare
from .engine import SEED_BLOCK, block_sizes, simulate_chunks
from .spec import Scenario

if TYPE_CHECKING:
    import matplotlib.axes
    import matplotlib.figure
    import pandas

    from ..data.dataset import Dataset

#: Draws simulated and held at once; a run with more streams them (two passes, exact summaries).
CHUNK_DRAWS = SEED_BLOCK

QUANTILES = (5, 10, 25, 50, 75, 90, 95)
QUANTILE_COLUMNS = tuple(f"p{q:02d}" for q in QUANTILES)
FRAME_COLUMNS = ("scenario", "region", "indicator", "year", "measure", "mean") + QUANTILE_COLUMNS + (
    "unit", "name", "status", "basis")
#: Float format of every CSV the engine writes: 6 significant digits is far finer than the data
#: and makes the bytes independent of the last bits of floating-point arithmetic.
CSV_FLOAT_FORMAT = "%.6g"


# --------------------------------------------------------------------------- draws summaries

#: Bins of the histogram that locates each quantile between the two streaming passes.
HISTOGRAM_BINS = 16_384


@dataclass
class FigureSummary:
    """What the outputs need from the draws of one figure (an indicator's measure in a year).

    Attributes
    ----------
    finite : bool
        Every draw is finite (otherwise the figure has no row in projection.csv).
    mean : float
    quantiles : tuple of float
        The percentiles :data:`QUANTILES`, exactly as ``numpy.percentile`` (linear) gives them.
    median, low, high : float
        ``numpy.median``, minimum and maximum.
    at_least : dict
        ``{target: number of draws >= target}`` for the targets registered before simulation.
    above : dict
        ``{bound: number of draws > bound}`` for the upper bounds of range targets.
    """

    finite: bool
    mean: float = float("nan")
    quantiles: tuple = ()
    median: float = float("nan")
    low: float = float("nan")
    high: float = float("nan")
    at_least: dict = field(default_factory=dict)
    above: dict = field(default_factory=dict)


@dataclass
class DrawSummary:
    """Summaries of every figure of a projection, keyed ``(indicator, year, measure)``, in table order.

    ``together`` holds ``{group: number of draws meeting every target of the group}`` (None when a
    figure of the group is not finite), for the groups registered before simulation.
    """

    count: int
    figures: dict
    together: dict = field(default_factory=dict)

    def probability(self, key, target: float) -> float:
        """Share of draws of figure `key` at or above `target` (NaN when not finite or not counted)."""
        fig = self.figures.get(key)
        if fig is None or not fig.finite or float(target) not in fig.at_least:
            return float("nan")
        return fig.at_least[float(target)] / self.count

    def probability_between(self, key, lower: float, upper: float) -> float:
        """Share of draws of figure `key` within ``[lower, upper]`` (NaN when not finite or not counted)."""
        fig = self.figures.get(key)
        lower, upper = float(lower), float(upper)
        if fig is None or not fig.finite or lower not in fig.at_least or upper not in fig.above:
            return float("nan")
        return (fig.at_least[lower] - fig.above[upper]) / self.count

    def probability_together(self, group) -> float:
        """Share of draws meeting every target of `group` together (NaN when not finite or not counted)."""
        met = self.together.get(group)
        return float("nan") if met is None else met / self.count


def figure_draws(indicators, years, growth, level):
    """Yield ``((indicator, year, measure), draws)`` for every figure the outputs summarise.

    Per indicator: ``growth`` and ``level`` for each year, then for the horizon (year ``Y0-Y1``)
    ``avg_growth`` (geometric, percent a year) and, for flows, ``cumulative`` (sum of levels).
    `growth` and `level` have shape ``(indicators, draws, years)``.
    """
    from .targets import average_growth

    period = f"{years[0]}-{years[-1]}"
    for i, key in enumerate(indicators):
        for measure, arr in (("growth", growth[i]), ("level", level[i])):
            for t, year in enumerate(years):
                yield (key, str(year), measure), arr[:, t]
        yield (key, period, "avg_growth"), average_growth(growth[i])
        if _ind.INDICATORS[key].kind == "flow":
            yield (key, period, "cumulative"), level[i].sum(axis=1)


def _block_sum(values, sizes) -> float:
    """Sum of `values` added block by block in order: the same whatever blocks are held together."""
    total, start = 0.0, 0
    for n in sizes:
        total += float(np.sum(values[start: start + n]))
        start += n
    return total


def _count_together(together, values_of) -> dict:
    """``{group: draws meeting every (figure, target) of the group}``, None where a draw is not finite.

    `values_of` maps each figure key of the groups to its draws (of one chunk).
    """
    out = {}
    for group, members in together.items():
        met = None
        for key, target in members:
            values = np.asarray(values_of[key], dtype=float)
            if not np.isfinite(values).all():
                met = None
                break
            met = values >= target if met is None else met & (values >= target)
        out[group] = None if met is None else int(np.count_nonzero(met))
    return out


def _add_together(total: dict, chunk: dict) -> dict:
    """Counts of :func:`_count_together` added chunk by chunk (None stays None)."""
    return {g: None if total.get(g, 0) is None or n is None else total.get(g, 0) + n for g, n in chunk.items()}


def summarise_draws(indicators, years, growth, level, thresholds, sizes, *, upper_bounds=None,
                    together=None) -> DrawSummary:
    """Summaries of draws held in memory (exact: ``numpy.percentile`` and ``numpy.median``).

    Parameters
    ----------
    thresholds : dict
        ``{(indicator, year, measure): [target, ...]}``: the draws at or above each are counted.
    sizes : list of int
        Paths per seed block (see :func:`econsim.scenario.engine.block_sizes`); the mean adds the
        blocks' sums in order, as the streaming path does.
    upper_bounds : dict, optional
        ``{(indicator, year, measure): [bound, ...]}``: the draws above each are counted (range targets).
    together : dict, optional
        ``{group: [((indicator, year, measure), target), ...]}``: the draws meeting every target
        of a group are counted (``probability_all`` of the target table).
    """
    upper_bounds, together = upper_bounds or {}, together or {}
    needed = {key for members in together.values() for key, _ in members}
    figures, values_of = {}, {}
    count = int(sum(sizes))
    for key, values in figure_draws(indicators, years, growth, level):
        values = np.asarray(values, dtype=float)
        if key in needed:
            values_of[key] = values
        if not np.isfinite(values).all():
            figures[key] = FigureSummary(False)
            continue
        figures[key] = FigureSummary(
            True, _block_sum(values, sizes) / count, tuple(map(float, np.percentile(values, QUANTILES))),
            float(np.median(values)), float(values.min()), float(values.max()),
            {float(t): int(np.count_nonzero(values >= t)) for t in thresholds.get(key, ())},
            {float(b): int(np.count_nonzero(values > b)) for b in upper_bounds.get(key, ())})
    return DrawSummary(count, figures, _count_together(together, values_of))


def _order_positions(n: int):
    """For each of QUANTILES: (lower order statistic, upper one, interpolation weight), as numpy.percentile."""
    q = np.true_divide(np.asarray(QUANTILES), 100)
    virtual = (n - 1) * q
    previous = np.floor(virtual)
    gamma = virtual - previous
    lower = previous.astype(np.int64)
    upper = np.minimum(lower + 1, n - 1)
    return lower, upper, gamma


def _lerp(a: float, b: float, t: float) -> float:
    """numpy's linear interpolation between order statistics, to the last bit."""
    diff = b - a
    return float(b - diff * (1 - t)) if t >= 0.5 else float(a + diff * t)


class _StreamingFigure:
    """Two-pass exact summary of one figure streamed in chunks.

    Pass 1 counts non-finite draws, adds block sums, keeps the minimum and maximum, counts draws at
    or above each target and builds a histogram on a grid fixed by the first chunk (with under- and
    overflow bins).  The cumulative histogram says which bin holds each order statistic a percentile
    needs; pass 2 (the same draws again) keeps only the draws in those bins, and the order statistics
    are read off exactly.  Memory: the histogram plus the draws of a few bins.
    """

    def __init__(self, thresholds, upper_bounds=()):
        self.thresholds = [float(t) for t in thresholds]
        self.upper_bounds = [float(b) for b in upper_bounds]
        self.above = dict.fromkeys(self.upper_bounds, 0)
        self.finite = True
        self.total = 0.0
        self.count = 0
        self.low = np.inf
        self.high = -np.inf
        self.at_least = dict.fromkeys(self.thresholds, 0)
        self.origin = None
        self.width = None
        self.hist = None
        self.kept = {}

    def _bins(self, values):
        pos = np.clip((values - self.origin) / self.width, -1.0, HISTOGRAM_BINS)
        return np.floor(pos).astype(np.int64) + 1          # 0 underflow … HISTOGRAM_BINS + 1 overflow

    def first_pass(self, values, sizes):
        if not self.finite:
            return
        if not np.isfinite(values).all():
            self.finite = False
            self.hist = None
            return
        self.total += _block_sum(values, sizes)
        self.count += values.size
        self.low = min(self.low, float(values.min()))
        self.high = max(self.high, float(values.max()))
        for t in self.thresholds:
            self.at_least[t] += int(np.count_nonzero(values >= t))
        for b in self.upper_bounds:
            self.above[b] += int(np.count_nonzero(values > b))
        if self.origin is None:
            lo, hi = float(values.min()), float(values.max())
            self.origin = lo
            self.width = (hi - lo) / HISTOGRAM_BINS if hi > lo else 1.0
            self.hist = np.zeros(HISTOGRAM_BINS + 2, dtype=np.int64)
        self.hist += np.bincount(self._bins(values), minlength=HISTOGRAM_BINS + 2)

    def plan_second_pass(self):
        """The bins holding the needed order statistics; False when no second pass is needed."""
        if not self.finite or self.low == self.high:
            return False
        lower, upper = _order_positions(self.count)[:2]
        self.cum = np.cumsum(self.hist)
        needed = np.unique(np.concatenate([lower, upper]))
        self.needed = needed
        self.bin_of = dict(zip(needed.tolist(), np.searchsorted(self.cum, needed, side="right").tolist()))
        self.kept = {b: [] for b in set(self.bin_of.values())}
        return True

    def second_pass(self, values):
        bins = self._bins(values)
        for b, parts in self.kept.items():
            parts.append(values[bins == b])

    def result(self) -> FigureSummary:
        if not self.finite:
            return FigureSummary(False)
        n = self.count
        lower, upper, gamma = _order_positions(n)
        if self.low == self.high:
            order = {j: self.low for j in np.concatenate([lower, upper]).tolist()}
        else:
            sorted_bins = {b: np.sort(np.concatenate(parts)) for b, parts in self.kept.items()}
            order = {}
            for j, b in self.bin_of.items():
                before = int(self.cum[b - 1]) if b > 0 else 0
                order[j] = float(sorted_bins[b][j - before])
        quantiles = tuple(_lerp(order[int(a)], order[int(b)], float(t)) for a, b, t in zip(lower, upper, gamma))
        mid = QUANTILES.index(50)
        a, b = order[int(lower[mid])], order[int(upper[mid])]
        median = a if n % 2 else float(np.mean([a, b]))
        return FigureSummary(True, self.total / n, quantiles, median, self.low, self.high, dict(self.at_least),
                             dict(self.above))


def summarise_stream(chunks, indicators, years, thresholds, *, upper_bounds=None, together=None) -> DrawSummary:
    """Exact summaries of draws that are simulated twice, chunk by chunk, never all held at once.

    Parameters
    ----------
    chunks : callable
        Returns a fresh iterator of ``(growth, level, sizes)`` chunks (see
        :func:`econsim.scenario.engine.simulate_chunks`); it is called twice and must give the same
        draws both times (same seed).
    thresholds, upper_bounds, together : dict
        As :func:`summarise_draws`.

    The result equals :func:`summarise_draws` on all the draws at once, to the last bit: the
    percentiles and median are the exact order statistics interpolated as numpy does, the mean adds
    the same block sums in the same order, and target counts (also of ranges and of targets met
    together, counted draw by draw within each chunk) are integers.
    """
    upper_bounds, together = upper_bounds or {}, together or {}
    needed = {key for members in together.values() for key, _ in members}
    figures: dict = {}
    met: dict = {}
    count = 0
    for growth, level, sizes in chunks():
        count += int(sum(sizes))
        values_of = {}
        for key, values in figure_draws(indicators, years, growth, level):
            if key not in figures:
                figures[key] = _StreamingFigure(thresholds.get(key, ()), upper_bounds.get(key, ()))
            values = np.asarray(values, dtype=float)
            if key in needed:
                values_of[key] = values
            figures[key].first_pass(values, sizes)
        met = _add_together(met, _count_together(together, values_of))
    second = {key: f for key, f in figures.items() if f.plan_second_pass()}
    if second:
        for growth, level, _sizes in chunks():
            for key, values in figure_draws(indicators, years, growth, level):
                if key in second:
                    second[key].second_pass(np.asarray(values, dtype=float))
    return DrawSummary(count, {key: f.result() for key, f in figures.items()}, met)


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
    growth, level : ndarray or None
        Shape ``(indicators, draws, years)``; growth in percent, levels in the indicator's unit
        (basis in ``level_basis``).  Levels are NaN where the data give no base level.  None when
        the run streamed more draws than fit in one chunk (:data:`CHUNK_DRAWS`): then only
        :attr:`summary` is kept.
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
    block_draws: int = SEED_BLOCK
    _summary: DrawSummary | None = field(default=None, repr=False, compare=False)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def summary(self) -> DrawSummary:
        """Mean, percentiles, median, range and target counts of every figure (see :class:`DrawSummary`)."""
        if self._summary is None:
            self._summary = summarise_draws(self.indicators, self.years, self.growth, self.level,
                                            sizes=block_sizes(self.draws_count, self.block_draws),
                                            **target_counts(self))
        return self._summary

    def _kept(self, what: str):
        if self.growth is None:
            raise ValueError(f"{what} needs the draws, which this projection did not keep: "
                             f"{self.draws_count:,} draws were streamed in chunks of {CHUNK_DRAWS:,} "
                             "(use to_frame() or summary, or fewer draws)")

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

        self._kept("draws()")
        arr = {"growth": self.growth, "level": self.level}[measure][self._index(indicator)]
        return pd.DataFrame(arr, columns=self.years)

    def average_growth(self, indicator: str) -> np.ndarray:
        """Draws of the geometric average annual growth over the horizon, percent per year, shape ``(draws,)``."""
        from .targets import average_growth

        self._kept("average_growth()")
        return average_growth(self.growth[self._index(indicator)])

    def cumulative(self, indicator: str) -> np.ndarray:
        """Draws of the sum of levels over the horizon, shape ``(draws,)`` (e.g. 2026–2030 investment, 亿元)."""
        self._kept("cumulative()")
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
        rows = [_summary_row(self, key, year, measure, fig)
                for (key, year, measure), fig in self.summary.figures.items() if fig.finite]
        frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
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


def _summary_row(proj, key, year, measure, fig: FigureSummary):
    if measure in ("growth", "avg_growth"):
        unit, basis = "pct", _ind.INDICATORS[key].growth_basis
    else:
        unit, basis = _ind.INDICATORS[key].unit, proj.level_basis.get(key, "unknown")
    return [proj.scenario.name, proj.region, key, year, measure, fig.mean, *fig.quantiles, unit,
            _ind.label(key), "derived", basis]


def target_counts(projection) -> dict:
    """What the target table counts in the draws: keyword arguments of :func:`summarise_draws`.

    ``thresholds`` (``{figure: [target, ...]}``, draws at or above), ``upper_bounds`` (``{figure:
    [bound, ...]}``, draws above the upper bound of a range target) and ``together`` (``{year:
    [(figure, target), ...]}``, draws meeting every growth target of the year,
    :func:`econsim.scenario.targets.joint_growth_targets`).
    """
    from .targets import collect_targets, joint_growth_targets

    targets = collect_targets(projection)
    thresholds: dict = {}
    upper_bounds: dict = {}
    for t in targets:
        key = (t["indicator"], t["year"], t["measure"])
        thresholds.setdefault(key, []).append(float(t["target"]))
        if t["target_upper"] == t["target_upper"]:
            upper_bounds.setdefault(key, []).append(float(t["target_upper"]))
    return {"thresholds": thresholds, "upper_bounds": upper_bounds,
            "together": joint_growth_targets(targets, projection.indicators)}


# --------------------------------------------------------------------------- the public functions

def project(scenario: Scenario | str | Path, dataset: Dataset | None = None, draws: int | None = None,
            seed: int | None = None, as_of: str | None = None, *,
            progress: Callable[[str], None] | None = None, chunk_draws: int | None = None,
            block_draws: int = SEED_BLOCK) -> Projection:
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
        ``YYYY-MM``: the data as known at the end of that month
        (:meth:`econsim.data.Dataset.as_known_at`: later publications and outcomes are not seen);
        with ``start_from: nowcast`` or ``outlook: true`` the year-to-date nowcast as of that month
        sets that year's centre.
    progress : callable, optional
        Receives short progress texts.
    chunk_draws : int, optional
        Draws held in memory at once (default :data:`CHUNK_DRAWS`).  Up to this many, the draws are
        kept on the projection; beyond it they are streamed twice in chunks and only the summaries
        are kept, so memory stays flat.  The output does not depend on it.
    block_draws : int
        Paths per seed block (:data:`econsim.scenario.engine.SEED_BLOCK`; smaller only in tests).

    Returns
    -------
    Projection

    Raises
    ------
    InputError
        For a scenario value a scenario file could not hold either (naming its dotted key, e.g.
        ``indicators.gdp.growth.2027``), bad `draws` or `seed`, more draws than the memory available
        could summarise, or what the data cannot support.
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
    if as_of is not None:
        dataset = dataset.as_known_at(as_of)
        as_of = dataset.as_of
    plan = prepare(scenario, dataset, as_of)
    chunk = CHUNK_DRAWS if chunk_draws is None else int(chunk_draws)
    check_memory(len(plan.order), len(plan.years), int(draws), chunk)
    t1 = time.perf_counter()
    proj = Projection(scenario=plan.scenario, region=plan.region, years=plan.years, indicators=list(plan.order),
                      growth=None, level=None, history=plan.history,
                      dataset_targets=dataset.targets(plan.region), notes=plan.notes, seed=int(seed),
                      draws_count=int(draws), as_of=as_of, level_basis=dict(plan.level_basis),
                      block_draws=int(block_draws))

    in_memory = draws <= chunk
    whole = int(block_draws) * len(block_sizes(draws, block_draws))

    passes = []

    def chunks():
        passes.append(len(passes) + 1)
        label = (lambda text: progress(f"pass {passes[-1]}/2: {text}")) if progress and not in_memory else progress
        return simulate_chunks(plan, int(draws), int(seed), chunk_draws=whole if in_memory else chunk,
                               block_draws=block_draws, progress=label)

    if in_memory:
        ((proj.growth, proj.level, _sizes),) = tuple(chunks())
    else:
        proj._summary = summarise_stream(chunks, proj.indicators, proj.years, **target_counts(proj))
    proj.timings = {"prepare_s": t1 - t0, "simulate_s": time.perf_counter() - t1}
    return proj


#: Bytes per path, indicator and year while a chunk is simulated (growth, level, the forecaster's
#: paths and temporaries): a conservative bound; the bundled baseline at 5,000,000 draws peaks at
#: 462 MB RSS for 250,000-path chunks of 7 indicators × 5 years, about 36 B a value over the
#: interpreter's own ~150 MB (``/usr/bin/time -v``, see benchmarks/README.md).
BYTES_PER_VALUE = 64


def available_memory() -> int:
    """Bytes this process may still use: the smaller of available RAM, a cgroup limit and RLIMIT_AS."""
    import resource
    from pathlib import Path

    limits = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                limits.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError):
        pass
    for f in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(f).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2**60:
            limits.append(int(text))
    soft = resource.getrlimit(resource.RLIMIT_AS)[0]
    if soft != resource.RLIM_INFINITY:
        limits.append(soft)
    return min(limits) if limits else 2**62


def memory_needed(indicators: int, years: int, draws: int, chunk_draws: int) -> int:
    """Bytes a run needs about: one chunk of paths, plus (when streaming) histograms and kept bins."""
    held = min(int(draws), max(int(chunk_draws), 1))
    need = BYTES_PER_VALUE * indicators * years * held
    if draws > chunk_draws:
        figures = indicators * (2 * years + 2)
        need += figures * (HISTOGRAM_BINS + 2) * 8
        # kept bins: each holds about draws / HISTOGRAM_BINS paths; allow 8× for peaked distributions
        need += figures * 2 * len(QUANTILES) * 8 * (8 * int(draws) // HISTOGRAM_BINS + 1) * 8
    return need


def check_memory(indicators: int, years: int, draws: int, chunk_draws: int) -> None:
    """Refuse up front (InputError on ``draws``) a run that would not fit in the memory available."""
    need, have = memory_needed(indicators, years, draws, chunk_draws), available_memory()
    if need > have:
        raise InputError(f"{draws:,} draws need about {need / 2**30:.1f} GiB but only {have / 2**30:.1f} GiB "
                         "is available; use fewer draws (or a smaller chunk)", key="draws")


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
