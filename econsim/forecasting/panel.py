"""Forecasting a panel of short annual series at once, learning across them (``forecast_panel``).

A province's cities, a city's districts, every indicator of a zone: with 6–8 values per series,
what one series cannot tell (which method suits series like it, how wrong forecasts of such
series turn out) its neighbours can.  ``forecast_panel`` runs the auto forecaster's pool and
rolling-origin procedure (:class:`econsim.forecasting.auto.AutoForecaster`) on every series at
once, vectorised over the series of each length, and replaces the two things a lone series must
assume with what the panel shows:

* **method weights**: a series' mean absolute rolling-origin error of each method (in units of
  its mean absolute change) is shrunk towards the panel's median for that method, the panel
  counting as many errors as a typical series of the panel has of its own;
* **trend**: one more pool member, *pooled drift*, extends each series' mean growth per step
  (log growth for positive series) shrunk towards the panel's median growth by empirical Bayes
  (the weight on the series' own growth is ``tau² / (tau² + v)``, with ``v`` the sampling
  variance of its mean growth and ``tau²`` the spread of true growth between series, both
  estimated from the panel; no constant is set by hand).  A 6-value series' trend is noisy; its
  neighbours' is not.  The rolling origins weigh it against the other members as usual (the
  prior is learnt once from every series' whole training window and used at every origin, so
  this member's rolling-origin errors are slightly flattered);
* **interval scale**: the series' winsorised out-of-sample errors are pooled with as many
  pseudo-errors at the panel's mean squared (winsorised) error, instead of the random walk's
  one mean absolute change per step;
* **interval shape**: the half-width is the series' scale times the empirical quantile of the
  panel's standardised out-of-sample errors (when the panel has at least ``EXCEEDANCES`` errors
  beyond that quantile), instead of a Student-t quantile.

Only the training values given are used.  The output is the long table of statsforecast and
mlforecast (``unique_id, ds, mean, lo_80, hi_80, lo_95, hi_95``).

With a Dask client the series' work runs on whole-series partitions kept on the workers
(:func:`econsim.distributed.map_kept`), and the panel-wide quantities above are combined here from
every series' statistics in one fixed order (medians and quantiles do not depend on order; the
mean square is summed over series sorted by length, then id), so the output is byte-identical to
the in-process run, which is the same code with one partition.
"""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd

from ..errors import InputError
from .auto import AutoForecaster, _finite, _positive_centre, _relative_deviation, spread, t_quantile
from .models import _LOG_POOL, _POOL, _level_name, _naive_mean, check_horizon, check_level

__all__ = ["forecast_panel", "read_panel_csv"]

#: Fewest expected pooled errors beyond a level's quantile for the empirical quantile to be used
#: (else the Student-t one): 20 keeps the quantile's relative sampling error near 20%.
EXCEEDANCES = 20


# --------------------------------------------------------------------------- input checks

def _fail(message, *, row=None, lines=None, path=None, key=None):
    """An InputError for the input row at position `row` (its file line when `lines` is given)."""
    if row is not None and lines is None:
        message = f"{message} (row {int(row) + 1} of the table)"
    line = None if row is None or lines is None else int(lines[row])
    return InputError(message, path=path, line=line, key=key)


def _check_panel(df, id_col, time_col, value_col, *, lines=None, path=None):
    """Validated arrays ``(ids, times, values, freq)`` of a long table, sorted by id then time.

    `times` are integers (years, or a Period's ordinal with `freq` its frequency; `freq` None
    for integer years).  Errors name the first offending row: its file line when `lines`
    (file line of each row) is given, else its position in the table.
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"a panel is a DataFrame with columns {id_col}, {time_col}, {value_col}; "
                         f"got {type(df).__name__}", path=path)
    for col in (id_col, time_col, value_col):
        if col not in df.columns:
            from ..errors import did_you_mean
            raise InputError(f"missing column '{col}'{did_you_mean(col, df.columns)}; a panel needs "
                             f"{id_col}, {time_col} and {value_col}", path=path,
                             line=None if lines is None else 1, key=col)
    if len(df) == 0:
        raise InputError("the panel has no rows", path=path)
    ids = df[id_col]
    if ids.isna().any():
        raise _fail("empty series id", row=int(np.flatnonzero(ids.isna().to_numpy())[0]), lines=lines,
                    path=path, key=id_col)
    ids = ids.astype(str).to_numpy()
    times, freq = _times(df[time_col], time_col, lines, path)
    values = pd.to_numeric(df[value_col], errors="coerce").to_numpy(dtype=float)
    order = np.lexsort((times, ids))
    ids, times, values = ids[order], times[order], values[order]
    start = np.r_[True, ids[1:] != ids[:-1]]
    same = ~start
    dup = same & (np.r_[0, np.diff(times)] == 0)
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise _fail(f"series '{ids[i]}': {time_col} {_show_time(times[i], freq)} appears twice",
                    row=int(order[i]), lines=lines, path=path, key=time_col)
    gap = same & (np.r_[0, np.diff(times)] != 1)
    if gap.any():
        i = int(np.flatnonzero(gap)[0])
        raise _fail(f"series '{ids[i]}': {time_col} jumps from {_show_time(times[i - 1], freq)} to "
                    f"{_show_time(times[i], freq)}; a series needs consecutive periods (fill the gap)",
                    row=int(order[i]), lines=lines, path=path, key=time_col)
    bad = ~np.isfinite(values)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raw = df[value_col].iloc[int(order[i])]
        what = "missing value" if pd.isna(raw) else f"value {str(raw)!r}"
        raise _fail(f"series '{ids[i]}': {what} at {time_col} {_show_time(times[i], freq)}; every value must be "
                    f"a finite number", row=int(order[i]), lines=lines, path=path, key=value_col)
    first = np.flatnonzero(start)
    lengths = np.diff(np.r_[first, ids.size])
    short = lengths < 3
    if short.any():
        j = int(np.flatnonzero(short)[0])
        raise _fail(f"series '{ids[first[j]]}' has {lengths[j]} value{'s' * int(lengths[j] != 1)}; a forecast needs "
                    f"at least 3 ({int(short.sum())} series too short)", row=int(order[first[j]]),
                    lines=lines, path=path, key=id_col)
    return ids, times, values, freq


def _times(col, time_col, lines, path):
    """Integer times and the Period frequency (None for integer years) of the time column."""
    if isinstance(col.dtype, pd.PeriodDtype):
        if col.isna().any():
            raise _fail(f"empty {time_col}", row=int(np.flatnonzero(col.isna().to_numpy())[0]), lines=lines,
                        path=path, key=time_col)
        return col.array.asi8.astype(np.int64), col.dtype.freq
    numeric = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(numeric) | (numeric != np.round(numeric))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise _fail(f"{time_col} {col.iloc[i]!r} is not a whole year (ds is an integer year or a pandas Period)",
                    row=i, lines=lines, path=path, key=time_col)
    return numeric.astype(np.int64), None


def _show_time(t, freq):
    return str(pd.Period(ordinal=int(t), freq=freq)) if freq is not None else str(int(t))


def read_panel_csv(path, *, id_col="unique_id", time_col="ds", value_col="y"):
    """A panel CSV as a DataFrame, every problem an InputError naming the file, line and column.

    Parameters
    ----------
    path : str or Path
        A CSV with a header and at least the columns `id_col`, `time_col` (integer years) and
        `value_col` (numbers, any unit).
    """
    import io

    from ..io.reading import read_text

    text = read_text(path, what="a panel CSV file", empty_hint=f"a header {id_col},{time_col},{value_col} "
                     "and one row per series and year")
    try:
        df = pd.read_csv(io.StringIO(text), dtype={id_col: str}, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(f"not a readable CSV: {str(exc).strip()}", path=path) from None
    # With one header line and no multi-line fields, row i of the table is line i + 2 of the file.
    lines = np.arange(2, len(df) + 2)
    _check_panel(df, id_col, time_col, value_col, lines=lines, path=path)
    return df


# --------------------------------------------------------------------------- the vectorised procedure

def _growth(y, positive):
    """Per-step growth of each row: log changes of positive rows, changes in mean absolute changes otherwise."""
    with np.errstate(all="ignore"):
        logs = np.log(np.where(positive[:, None], y, 1.0))
        d = np.diff(y, axis=1)
        unit = np.mean(np.abs(d), axis=1, keepdims=True)
        d = np.where(positive[:, None], np.diff(logs, axis=1), d / np.where(unit > 0, unit, 1.0))
    return d, unit[:, 0]


def _growth_stats(y):
    """Per-series ``(positive, mean growth, sampling variance of the mean growth)`` of a stack `y` ``(S, n)``."""
    positive = (y > 0).all(axis=1)
    d, _ = _growth(y, positive)
    b = d.mean(axis=1)
    v = d.var(axis=1, ddof=1) / d.shape[1] if d.shape[1] > 1 else np.full(b.shape, np.nan)
    return positive, b, v


def _growth_prior(positive, b, v):
    """The panel's typical growth per step and its spread between series, for positive rows and others.

    ``{positive: (mu, tau2)}``: the median of the series' mean growth `b`, and the between-series
    variance (robust variance of the means less the median sampling variance `v` of a mean; method
    of moments).  Medians do not depend on the order of the series.
    """
    prior = {}
    for flag in (True, False):
        bf, vf = b[positive == flag], v[positive == flag]
        if bf.size < 3:
            prior[flag] = None
            continue
        mu = float(np.median(bf))
        spread = (1.4826 * np.median(np.abs(bf - mu))) ** 2
        tau2 = max(spread - float(np.nanmedian(vf)) if np.isfinite(vf).any() else spread, 0.0)
        prior[flag] = (mu, tau2)
    return prior


def _pooled_drift_mean(y, h, positive, prior):
    """Drift whose growth is the series' own shrunk towards the panel's by their variances (empirical Bayes)."""
    d, unit = _growth(y, positive)
    b = d.mean(axis=1)
    v = d.var(axis=1, ddof=1) / d.shape[1] if d.shape[1] > 1 else np.full(b.shape, np.inf)
    out = np.empty((y.shape[0], h))
    k = np.arange(1, h + 1)
    for flag in (True, False):
        rows = positive == flag
        if not rows.any():
            continue
        if prior.get(flag) is None:  # fewer than 3 series of this kind: their own growth
            g = b[rows]
        else:
            mu, tau2 = prior[flag]
            with np.errstate(all="ignore"):
                shrink = np.where(np.isfinite(v[rows]), tau2 / (tau2 + v[rows]), 0.0)
                shrink = np.where(np.isfinite(shrink), shrink, 1.0)
            g = mu + shrink * (b[rows] - mu)
        if flag:
            out[rows] = y[rows, -1:] * np.exp(g[:, None] * k)
        else:
            out[rows] = y[rows, -1:] + (g * unit[rows])[:, None] * k
    return out


#: The members of the panel's pool: the auto forecaster's, and pooled drift.
METHODS = list(_POOL) + ["pooled_drift"]


def _pool_forecasts(y, h, positive, prior):
    """Every pool member's forecasts for a stack `y` ``(S, n)``: dict name -> ``(S, h)``.

    For positive rows the log members replace their additive namesakes, as in
    ``AutoForecaster``; a row whose forecast is not finite gets the naive forecast.
    """
    out = {}
    for name in METHODS:
        with np.errstate(all="ignore"):
            if name == "pooled_drift":
                fc = _pooled_drift_mean(y, h, positive, prior)
            else:
                fc = _POOL[name](y, h)
                if name in _LOG_POOL and positive.any():
                    fc[positive] = _LOG_POOL[name][1](y[positive], h)
        broken = ~np.isfinite(fc).all(axis=-1)
        if broken.any():
            fc[broken] = _naive_mean(y[broken], h)
        out[name] = fc
    return out


class _Group:
    """The series of one length: their values and everything learnt from their rolling origins."""

    def __init__(self, y, max_origins, min_train, prior):
        self.y = y
        self.prior = prior
        n = y.shape[1]
        self.positive = (y > 0).all(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log(np.where(self.positive[:, None], y, 1.0))
        self.scale = np.mean(np.abs(np.diff(y, axis=1)), axis=1)
        self.log_scale = np.where(self.positive, np.mean(np.abs(np.diff(logs, axis=1)), axis=1), 0.0)
        self.origins = list(range(max(min_train, n - max_origins), n))
        unit = np.where(self.scale > 0, self.scale, 1.0)[:, None]
        self.fc, self.abs_err = [], []
        for o in self.origins:
            fc = _pool_forecasts(y[:, :o], n - o, self.positive, prior)
            self.fc.append(fc)
            self.abs_err.append({m: np.abs(y[:, o:] - f) / unit for m, f in fc.items()})

    def revealed(self, j):
        """Per-method sums ``(S,)`` and the count of errors observable just before origin `j`."""
        cut = self.origins[j] if j < len(self.origins) else None
        sums = {m: np.zeros(self.y.shape[0]) for m in METHODS}
        count = 0
        for i in range(j):
            m_cut = None if cut is None else cut - self.origins[i]
            for m in METHODS:
                sums[m] += self.abs_err[i][m][:, :m_cut].sum(axis=1)
            count += self.abs_err[i]["naive"][:, :m_cut].shape[1]
        return sums, count

    def weights(self, j, prior_mae, prior_count):
        """Inverse-squared-MAE weights ``(S, methods)``, each MAE shrunk towards the panel's."""
        sums, count = self.revealed(j)
        if count + prior_count == 0:
            return np.full((self.y.shape[0], len(METHODS)), 1.0 / len(METHODS))
        mae = np.stack([(sums[m] + prior_count * prior_mae[m]) / max(count + prior_count, 1e-300)
                        for m in METHODS], axis=1)
        w = 1.0 / np.maximum(mae, 1e-6) ** 2
        return w / w.sum(axis=1, keepdims=True)

    def combo_errors(self, prior_mae, prior_count):
        """Out-of-sample errors of the whole procedure, ``(S, errors)``, in units of a typical step."""
        n = self.y.shape[1]
        out = []
        for j, o in enumerate(self.origins):
            w = self.weights(j, prior_mae, prior_count)
            combo = sum(w[:, [i]] * self.fc[j][m] for i, m in enumerate(METHODS))
            k = np.arange(1, n - o + 1)
            actual = self.y[:, o:]
            with np.errstate(all="ignore"):
                rel = _relative_deviation(np.where(self.positive[:, None], actual, 1.0),
                                          _positive_centre(np.where(self.positive[:, None], combo, 1.0),
                                                           np.where(self.positive[:, None], self.y[:, :o], 1.0)))
                rel = rel / np.where(self.log_scale > 0, self.log_scale, 1.0)[:, None]
                local = np.mean(np.abs(np.diff(self.y[:, :o], axis=1)), axis=1)
                local = np.where(local > 0, local, np.where(self.scale > 0, self.scale, 1.0))
                add = (actual - combo) / local[:, None]
            out.append(np.where(self.positive[:, None], rel, add) / AutoForecaster._horizon_factor(k, o))
        return np.concatenate(out, axis=1) if out else np.zeros((self.y.shape[0], 0))


# --------------------------------------------------------------------------- partitions and stages
#
# The procedure alternates per-series work with a few panel-wide quantities.  The per-series work
# runs on partitions (whole series, consecutive in id order; one partition in-process, many on a
# Dask cluster, each kept on its worker between stages); the panel-wide quantities are computed
# here from every series' statistics in one canonical order (series by length, then id: the order
# of the groups of equal length), so the floats add up in the same order whatever the partitions.

class _Part:
    """Whole series of the panel (consecutive in sorted id order), grouped by length within the part."""

    def __init__(self, index, lengths, values):
        self.index, self.lengths = index, lengths
        start = np.r_[0, np.cumsum(lengths)[:-1]].astype(np.int64)
        # Powers of two that bring magnitudes near the float limits to about 1 (exact, as in forecast).
        top = np.maximum.reduceat(np.abs(values), start) if lengths.size else np.zeros(0)
        extreme = (top > 0) & ((top <= 1e-150) | (top >= 1e150))
        self.factor = np.where(extreme, 2.0 ** np.floor(np.log2(np.where(top > 0, top, 1.0))), 1.0)
        values = values / np.repeat(self.factor, lengths)
        self.members, self.stacks = [], []
        for n in np.unique(lengths):
            which = np.flatnonzero(lengths == n)
            self.members.append(which)
            self.stacks.append(values[(start[which][:, None] + np.arange(n)).ravel()].reshape(which.size, n))

    def evolve(self, **attrs):
        """A shallow copy with `attrs` set (a stage never changes the part it was given)."""
        new = copy.copy(self)
        new.__dict__.update(attrs)
        return new

    def per_series(self, arrays, fill=np.nan):
        """Per-group arrays ``(S_group,)`` put back in the part's series order."""
        out = np.full(self.lengths.size, fill, dtype=float)
        for which, a in zip(self.members, arrays):
            out[which] = a
        return out


def _stage_growth(part):
    """Each series' positivity, mean growth and its sampling variance (for the growth prior)."""
    stats = [_growth_stats(y) for y in part.stacks]
    positive = part.per_series([s[0] for s in stats], fill=0).astype(bool)
    return part, (positive, part.per_series([s[1] for s in stats]), part.per_series([s[2] for s in stats]))


def _stage_origins(part, *, prior, max_origins, min_train):
    """Every pool member's forecasts at every rolling origin; each series' error count and MAE per method."""
    groups = [_Group(y, max_origins, min_train, prior) for y in part.stacks]
    counts, maes = [], []
    for g in groups:
        sums, count = g.revealed(len(g.origins))
        counts.append(np.full(g.y.shape[0], float(count)))
        maes.append(np.stack([sums[m] / count if count else np.full(g.y.shape[0], np.nan) for m in METHODS],
                             axis=1))
    mae = np.full((part.lengths.size, len(METHODS)), np.nan)
    for which, m in zip(part.members, maes):
        mae[which] = m
    return part.evolve(groups=groups), (part.per_series(counts), mae)


def _stage_errors(part, *, prior_mae, prior_count):
    """The whole procedure's out-of-sample errors of each series; their winsorised mean square and count."""
    errors = [g.combo_errors(prior_mae, prior_count) for g in part.groups]
    robust = [np.clip(e, -AutoForecaster.CLIP, AutoForecaster.CLIP) for e in errors]
    ms = part.per_series([np.mean(r ** 2, axis=1) if r.shape[1] else np.full(r.shape[0], np.nan) for r in robust])
    n_errors = part.per_series([np.full(e.shape[0], float(e.shape[1])) for e in errors])
    return part.evolve(errors=errors, robust=robust), (part.index, part.lengths, ms, n_errors)


def _stage_scale(part, *, prior_ms, prior_errors):
    """Each series' interval scale (its errors pooled with the panel's) and its standardised errors."""
    sigmas = [np.sqrt((prior_errors * prior_ms + np.sum(r ** 2, axis=1)) / (prior_errors + r.shape[1]))
              for r in part.robust]
    z = [np.abs(e / s[:, None]).ravel() for e, s in zip(part.errors, sigmas)]
    return part.evolve(sigmas=sigmas), np.concatenate(z) if z else np.zeros(0)


def _stage_forecast(part, *, h, level, quantiles, prior_mae, prior_count, prior_errors):
    """Mean ``(S_part, h)`` and bounds {level: (lo, hi)} of the part's series, in its series order."""
    S = part.lengths.size
    mean = np.empty((S, h))
    bounds = {lv: (np.empty((S, h)), np.empty((S, h))) for lv in level}
    k = AutoForecaster._horizon_factor(np.arange(1, h + 1), None)
    for g, r, which, sigma in zip(part.groups, part.robust, part.members, part.sigmas):
        df = max(prior_errors + r.shape[1] - 1, 1)
        w = g.weights(len(g.origins), prior_mae, prior_count)
        final = _pool_forecasts(g.y, h, g.positive, g.prior)
        point = sum(w[:, [i]] * final[m] for i, m in enumerate(METHODS))
        pos = g.positive[:, None]
        centre = np.where(pos, _positive_centre(point, np.where(pos, g.y, 1.0)), point)
        unit = np.where(g.positive, g.log_scale, g.scale)
        scale = (sigma * unit)[:, None] * k
        f = part.factor[which][:, None]
        mean[which] = _finite(centre * f)
        for lv in level:
            q = scale * (quantiles[lv] if quantiles[lv] is not None else float(t_quantile(df, 0.5 + lv / 200)))
            lo, hi = bounds[lv]
            lo[which] = _finite(spread(centre, -q, pos) * f)
            hi[which] = _finite(spread(centre, q, pos) * f)
    return None, (mean, bounds)


def _panel_prior_mae(counts, mae):
    """The panel's typical scaled MAE of each method (median over series that have origins), and 1 if any."""
    has = counts > 0
    if not has.any():
        return {m: 0.0 for m in METHODS}, 0
    return {m: float(np.median(mae[has, i])) for i, m in enumerate(METHODS)}, 1


def _typical(values):
    """The median over all series (0 for none)."""
    return float(np.median(values)) if values.size else 0.0


def forecast_panel(df, h, level=(80, 95), *, id_col="unique_id", time_col="ds", value_col="y",
                   client=None, partitions: int | None = None) -> pd.DataFrame:
    """Forecast every series of a long table at once, learning method weights and interval scales across them.

    Parameters
    ----------
    df : DataFrame
        One row per series and period: `id_col` (any label, read as text), `time_col` (an integer
        year or a pandas ``Period``; consecutive within a series) and `value_col` (levels in any
        unit, or growth rates in percent; series may differ in length, scale and sign).
    h : int
        Number of periods ahead (≥ 1).
    level : tuple of float
        Interval levels in percent, each strictly between 0 and 100.
    id_col, time_col, value_col : str
        Column names (statsforecast's convention by default).
    client : dask.distributed.Client, optional
        None runs here.  With a client the series are split into partitions that run on its
        workers (each kept there between the procedure's stages; the few panel-wide quantities are
        combined here), with Dask's retries if a worker is lost.  The output is byte-identical to
        the in-process one.
    partitions : int, optional
        Number of parts the series are split into (default: 1 in-process, 4 per worker on a
        cluster).  The output does not depend on it.

    Returns
    -------
    DataFrame
        ``h`` rows per series, sorted by series id then period: `id_col`, `time_col` (continuing
        each series: the next years, or the next Periods of the same frequency), ``mean``, then
        ``lo_<l>``, ``hi_<l>`` for each level.  Strictly positive series get multiplicative
        (positive) bounds, others additive ones.

    Raises
    ------
    InputError
        A missing column, a duplicate or non-consecutive period, a non-finite value, or a series
        with fewer than 3 values (the error names the series and the row).
    ValueError
        ``h < 1``, a level outside (0, 100), or `partitions` < 1.
    """
    h = check_horizon(h)
    level = check_level(level)
    ids, times, values, freq = _check_panel(df, id_col, time_col, value_col)
    mean, bounds, order_ids, last = _forecast_arrays(ids, times, values, h, level, client, partitions)
    steps = np.arange(1, h + 1)
    future = (last[:, None] + steps).ravel()
    out = {id_col: np.repeat(order_ids, h)}
    out[time_col] = (pd.arrays.PeriodArray(future.astype(np.int64), dtype=pd.PeriodDtype(freq))
                     if freq is not None else future)
    out["mean"] = mean.ravel()
    for lv in level:
        lo, hi = bounds[lv]
        out[f"lo_{_level_name(lv)}"] = lo.ravel()
        out[f"hi_{_level_name(lv)}"] = hi.ravel()
    return pd.DataFrame(out)


def _forecast_arrays(ids, times, values, h, level, client=None, partitions=None, max_origins=10, min_train=3):
    """Mean ``(S, h)``, bounds {level: (lo, hi)}, series ids and last times, in sorted id order.

    `ids`, `times`, `values` are sorted by id then time.  The series are split into `partitions`
    parts (default: one in-process, a few per worker on a cluster); the result does not depend on it.
    """
    from ..distributed import default_partitions, map_kept

    start = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    lengths = np.diff(np.r_[start, ids.size])
    series_ids, last = ids[start], times[start + lengths - 1]
    bounds_at = np.r_[start, ids.size]
    parts = []
    for chunk in np.array_split(np.arange(start.size), max(1, min(default_partitions(client, partitions),
                                                                       start.size))):
        parts.append(_Part(chunk, lengths[chunk], values[bounds_at[chunk[0]]:bounds_at[chunk[-1] + 1]]))
    # Trend: pooled drift's growth prior, from every series' whole training window.
    parts, stats = map_kept(_stage_growth, parts, client)
    prior = _growth_prior(*(np.concatenate(a) for a in zip(*stats)))
    # Weights: each series' MAE per method shrunk towards the panel's median MAE, the panel counting
    # as many errors as a typical series has.
    parts, stats = map_kept(_stage_origins, parts, client, prior=prior, max_origins=max_origins,
                            min_train=min_train)
    counts = np.concatenate([c for c, _ in stats])
    prior_mae, has_prior = _panel_prior_mae(counts, np.concatenate([m for _, m in stats]))
    prior_count = has_prior * _typical(counts)
    # Scale: each series' winsorised errors pooled with pseudo-errors at the panel's mean square (the
    # average over series of their own mean squares, added in the canonical order), as many as a typical
    # series has; a panel with no errors at all (every series 3 values long) falls back on the random
    # walk's prior, as forecast does.
    parts, stats = map_kept(_stage_errors, parts, client, prior_mae=prior_mae, prior_count=prior_count)
    index, n, ms, n_errors = (np.concatenate(a) for a in zip(*stats))
    order = np.lexsort((index, n))
    ms = ms[order][n_errors[order] > 0]
    if ms.size:
        prior_ms = float(np.mean(ms))
        prior_errors = max(_typical(n_errors), AutoForecaster.PRIOR_ERRORS)
    else:
        prior_ms, prior_errors = 1.0, AutoForecaster.PRIOR_ERRORS
    # Shape: the panel's standardised out-of-sample errors (each over its series' scale).
    parts, z = map_kept(_stage_scale, parts, client, prior_ms=prior_ms, prior_errors=prior_errors)
    z = np.concatenate(z)
    quantiles = {lv: float(np.quantile(z, lv / 100)) if z.size * (1 - lv / 100) >= EXCEEDANCES else None
                 for lv in level}
    _, out = map_kept(_stage_forecast, parts, client, h=h, level=level, quantiles=quantiles,
                      prior_mae=prior_mae, prior_count=prior_count, prior_errors=prior_errors)
    mean = np.concatenate([m for m, _ in out])
    bounds = {lv: tuple(np.concatenate([b[lv][i] for _, b in out]) for i in (0, 1)) for lv in level}
    return mean, bounds, series_ids, last
