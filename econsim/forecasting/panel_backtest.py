"""Rolling-origin backtest of ``forecast_panel`` over a whole panel (``backtest_panel``).

The origins are calendar cut-offs: at each period ``t`` of the panel, every series with at
least `min_train` values before ``t`` and a value at ``t`` is forecast from its values before
``t``, all such series together (the panel learns across series, so a cut-off common to all of
them keeps any series' future out of every forecast), and the forecasts are compared with what
followed, up to `h` periods.  Scores are those of :mod:`econsim.forecasting.backtest` (sMAPE,
MASE, coverage of each level, MSIS at the widest), per series and over the whole panel.
"""
from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from ..errors import InputError
from .backtest import _summarise, mase_scale
from .models import Levels, check_horizon, check_level
from .panel import _check_panel, _show_time, forecast_panel

__all__ = ["backtest_panel"]


def _origin_frames(ids, times, values, freq, t, h, min_train, names):
    """The training panel before cut-off `t` and the actual values from `t` on (up to `h` periods)."""
    id_col, time_col, value_col = names
    start = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    lengths = np.diff(np.r_[start, ids.size])
    first, last = times[start], times[start + lengths - 1]
    included = np.repeat((t - first >= min_train) & (last >= t), lengths)
    train = included & (times < t)
    test = included & (times >= t) & (times < t + h)
    frame = pd.DataFrame({id_col: ids[train],
                          time_col: (pd.arrays.PeriodArray(times[train], dtype=pd.PeriodDtype(freq))
                                     if freq is not None else times[train]),
                          value_col: values[train]})
    actual = pd.DataFrame({id_col: ids[test], "_t": times[test], "actual": values[test]})
    return frame, actual


def _score_series(errors: pd.DataFrame, *, level, id_col) -> pd.DataFrame:
    """One row of scores per series of `errors` (backtest's summary of its rows)."""
    rows = [_summarise(frame, level, 0).drop("failures").rename(uid)
            for uid, frame in errors.groupby(id_col, sort=True)]
    out = pd.DataFrame(rows)
    out.index.name = id_col
    return out.reset_index()


def backtest_panel(df: pd.DataFrame, h: int, level: Levels = (80, 95), *, id_col: str = "unique_id",
                   time_col: str = "ds", value_col: str = "y", min_train: int = 3, client=None,
                   partitions: int | None = None) -> pd.DataFrame:
    """Rolling-origin accuracy of :func:`~econsim.forecasting.panel.forecast_panel` on a panel.

    Parameters
    ----------
    df : DataFrame
        Long table as for ``forecast_panel`` (`id_col`, `time_col` integer years or Periods,
        `value_col` in any unit).
    h : int
        Largest horizon scored, in periods (≥ 1).
    level : tuple of float
        Interval levels in percent.
    min_train : int
        Fewest values before a cut-off for a series to be forecast there (≥ 3).
    client : dask.distributed.Client, optional
        Runs each cut-off's panel forecast (and the per-series scoring) on Dask; the result is
        byte-identical to the in-process one.
    partitions : int, optional
        Parts the series are split into (see ``forecast_panel``); the result does not depend on it.

    Returns
    -------
    DataFrame
        ``scope`` (``overall``, then ``series``), `id_col` (empty for the overall row), ``smape``
        (percent), ``mase``, ``coverage_<l>`` for each level (share 0–1), ``msis`` (at the widest
        level, in MASE units) and ``origins`` (cut-offs scored).

    Raises
    ------
    InputError
        A malformed panel (see ``forecast_panel``), or no series with more than `min_train` values.
    ValueError
        ``h < 1``, a level outside (0, 100), or `min_train` < 3.
    """
    h = check_horizon(h)
    level = check_level(level)
    if isinstance(min_train, bool) or not isinstance(min_train, (int, np.integer)) or min_train < 3:
        raise ValueError(f"min_train must be an integer ≥ 3 (a panel forecast needs 3 values), got {min_train!r}")
    ids, times, values, freq = _check_panel(df, id_col, time_col, value_col)
    names = (id_col, time_col, value_col)
    parts = []
    for t in np.unique(times):
        train, actual = _origin_frames(ids, times, values, freq, t, h, min_train, names)
        if train.empty:
            continue
        fc = forecast_panel(train, h, level, id_col=id_col, time_col=time_col, value_col=value_col,
                            client=client, partitions=partitions)
        fc["_t"] = fc[time_col].array.asi8 if freq is not None else fc[time_col].to_numpy()
        scored = fc.drop(columns=[time_col]).merge(actual, on=[id_col, "_t"], how="inner")
        scored.insert(1, "origin", _show_time(t, freq))
        scored.insert(2, "step", scored["_t"] - t + 1)
        scored["scale"] = scored[id_col].map(train.groupby(id_col, sort=True)[value_col].agg(mase_scale))
        parts.append(scored.drop(columns=["_t"]))
    if not parts:
        raise InputError(f"no series has more than {min_train} values; a backtest needs at least one value "
                         f"after the first {min_train}", key=time_col)
    errors = pd.concat(parts, ignore_index=True)
    from ..distributed import map_partitions_over_series

    per_series = map_partitions_over_series(partial(_score_series, level=level, id_col=id_col), errors, client,
                                            id_col=id_col, partitions=partitions, progress=False)
    overall = _summarise(errors, level, 0).drop("failures").to_frame().T
    overall.insert(0, id_col, "")
    out = pd.concat([overall.assign(scope="overall"), per_series.assign(scope="series")], ignore_index=True)
    out["origins"] = out["origins"].astype(int)
    return out[["scope", id_col] + [c for c in out.columns if c not in ("scope", id_col)]]
