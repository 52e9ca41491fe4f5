"""Rolling-origin evaluation and the accuracy metrics of BENCHMARKS.md.

Metrics (each averaged over every forecast step given):

* ``smape``: mean of ``200·|y − f| / (|y| + |f|)`` (the M3 definition, percent);
* ``mase``: mean ``|y − f|`` divided by the mean absolute one-step change of the
  training values used;
* ``coverage``: share of actual values inside ``[lo, hi]``;
* ``msis``: mean interval score at level ``1 − alpha`` (95% by default),
  ``(hi − lo) + (2/alpha)(lo − y)[y < lo] + (2/alpha)(y − hi)[y > hi]``, divided by
  the MASE scale.
"""
from __future__ import annotations

import copy
import sys
from dataclasses import dataclass

from typing import Callable, Union

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .models import Levels, _Model

#: What :func:`backtest` evaluates: a model class or instance, or ``f(y, h, level) -> DataFrame``.
Forecaster = Union[type, _Model, Callable[[np.ndarray, int, tuple], pd.DataFrame], None]

__all__ = ["backtest", "BacktestResult", "smape", "mase", "coverage", "msis", "mase_scale"]


def _arrays(*xs):
    out = [np.asarray(x, dtype=float) for x in xs]
    shape = out[0].shape
    for x in out[1:]:
        if x.shape != shape:
            raise ValueError(f"arrays must have the same shape, got {shape} and {x.shape}")
    return out


def smape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Symmetric MAPE in percent: mean of ``200·|y − f| / (|y| + |f|)`` (0 where both are 0)."""
    y, f = _arrays(actual, forecast)
    denom = np.abs(y) + np.abs(f)
    with np.errstate(invalid="ignore", divide="ignore"):
        terms = np.where(denom > 0, 200.0 * np.abs(y - f) / denom, 0.0)
    return float(np.mean(terms))


def mase_scale(train: ArrayLike) -> float:
    """Mean absolute one-step change of the training values (the MASE denominator)."""
    train = np.asarray(train, dtype=float)
    if train.size < 2:
        raise ValueError("the MASE scale needs at least 2 training values")
    return float(np.mean(np.abs(np.diff(train))))


def mase(actual: ArrayLike, forecast: ArrayLike, train: ArrayLike) -> float:
    """Mean absolute error divided by the mean absolute one-step change of `train`."""
    y, f = _arrays(actual, forecast)
    return float(np.mean(np.abs(y - f)) / mase_scale(train))


def coverage(actual: ArrayLike, lo: ArrayLike, hi: ArrayLike) -> float:
    """Share of `actual` values within ``[lo, hi]`` (0 to 1)."""
    y, lo, hi = _arrays(actual, lo, hi)
    return float(np.mean((y >= lo) & (y <= hi)))


def _interval_score(y, lo, hi, alpha: float):
    """Gneiting–Raftery interval score of each ``1 − alpha`` interval: width plus 2/alpha × the miss."""
    return (hi - lo) + (2 / alpha) * ((lo - y) * (y < lo) + (y - hi) * (y > hi))


def msis(actual: ArrayLike, lo: ArrayLike, hi: ArrayLike, train: ArrayLike, alpha: float = 0.05) -> float:
    """Mean scaled interval score of the ``1 − alpha`` interval ``[lo, hi]``."""
    y, lo, hi = _arrays(actual, lo, hi)
    return float(np.mean(_interval_score(y, lo, hi, alpha)) / mase_scale(train))


@dataclass
class BacktestResult:
    """What ``backtest`` found.

    Attributes
    ----------
    errors : DataFrame
        One row per origin and step: ``origin`` (training length), ``step``, ``actual``,
        ``mean``, the ``lo_<l>``/``hi_<l>`` bounds, ``error`` (actual − mean) and ``scale``
        (the origin's MASE scale).
    summary : Series
        ``smape``, ``mase``, ``coverage_<l>`` for each level, ``msis`` (at the widest level),
        ``origins`` and ``failures`` (origins where the model raised or returned non-finite
        values; scored as the naive forecast).
    """

    errors: pd.DataFrame
    summary: pd.Series

    def _repr_html_(self) -> str:
        return self.summary.to_frame("value")._repr_html_()


def _as_forecaster(model):
    """A callable ``f(y, h, level) -> DataFrame`` for a model class, instance or function."""
    if model is None:
        from .auto import forecast

        return forecast
    if isinstance(model, type):
        model = model()
    if hasattr(model, "fit") and hasattr(model, "forecast"):
        template = model

        def run(y, h, level):
            return copy.deepcopy(template).fit(y).forecast(h, level)

        return run
    if callable(model):
        return model
    raise ValueError(f"model must be a model class, a fitted-model instance or a callable, got {model!r}")


def _naive_frame(train, h, level):
    cols = {"mean": np.full(h, train[-1])}
    for lv in level:
        cols[f"lo_{lv:g}"] = cols["mean"]
        cols[f"hi_{lv:g}"] = cols["mean"]
    return pd.DataFrame(cols)


def backtest(y: ArrayLike, model: Forecaster = None, h: int = 1, min_train: int = 3, level: Levels = (80, 95),
             progress: bool = False) -> BacktestResult:
    """Rolling-origin evaluation of a forecaster on one series.

    At each origin ``o = min_train, …, len(y) − 1`` the model is fitted to ``y[:o]`` and
    forecasts ``min(h, len(y) − o)`` steps, which are compared with what followed.

    Parameters
    ----------
    y : array-like
        The series, oldest first.
    model : class, instance or callable, optional
        A model class or instance from ``econsim.models``, ``econsim.models.forecast``, or
        any ``f(y, h, level) -> DataFrame`` with ``mean`` and ``lo_<l>``/``hi_<l>`` columns.
        Default ``econsim.models.forecast``.
    h : int
        Largest horizon evaluated.
    min_train : int
        Length of the first training window (≥ 2 so that MASE has a scale).
    level : tuple of float
        Interval levels in percent.
    progress : bool
        Print progress to stderr (via tqdm when it is installed).

    Returns
    -------
    BacktestResult
    """
    from .models import check_horizon, check_level, check_series

    values = check_series(y, min_length=2)
    h = check_horizon(h)
    level = check_level(level)
    if isinstance(min_train, bool) or not isinstance(min_train, (int, np.integer)) or min_train < 2:
        raise ValueError(f"min_train must be an integer ≥ 2, got {min_train!r}")
    if min_train >= values.size:
        raise ValueError(f"min_train ({min_train}) must be smaller than the series length ({values.size})")
    run = _as_forecaster(model)
    origins = range(int(min_train), values.size)
    origins = _progress(origins, progress)

    rows, failures = [], 0
    for o in origins:
        train, steps = values[:o], min(h, values.size - o)
        try:
            fc = run(train, steps, level)
            fc = fc.reset_index(drop=True).iloc[:steps]
            cols = ["mean"] + [f"{side}_{lv:g}" for lv in level for side in ("lo", "hi")]
            ok = len(fc) == steps and np.all(np.isfinite(fc[cols].to_numpy(float)))
        except Exception:
            ok = False
        if not ok:
            failures += 1
            fc = _naive_frame(train, steps, level)
        frame = fc.copy()
        frame.insert(0, "step", np.arange(1, steps + 1))
        frame.insert(0, "origin", o)
        frame["actual"] = values[o:o + steps]
        frame["error"] = frame["actual"] - frame["mean"]
        frame["scale"] = mase_scale(train)
        rows.append(frame)
    errors = pd.concat(rows, ignore_index=True)
    return BacktestResult(errors, _summarise(errors, level, failures))


def _summarise(errors: pd.DataFrame, level, failures: int) -> pd.Series:
    y, f, scale = errors["actual"], errors["mean"], errors["scale"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = {"smape": smape(y, f), "mase": float(np.mean(np.abs(y - f) / scale))}
    for lv in level:
        out[f"coverage_{lv:g}"] = coverage(y, errors[f"lo_{lv:g}"], errors[f"hi_{lv:g}"])
    widest = max(level)
    alpha = 1 - widest / 100
    score = _interval_score(y, errors[f"lo_{widest:g}"], errors[f"hi_{widest:g}"], alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["msis"] = float(np.mean(score / scale))
    out["origins"] = int(errors["origin"].nunique())
    out["failures"] = failures
    return pd.Series(out)


def _progress(iterable, enabled: bool):
    if not enabled:
        return iterable
    try:
        from tqdm import tqdm

        return tqdm(iterable, file=sys.stderr, desc="backtest")
    except ImportError:
        items = list(iterable)

        def gen():
            for i, item in enumerate(items, 1):
                print(f"\rbacktest {i}/{len(items)}", end="", file=sys.stderr, flush=True)
                yield item
            print(file=sys.stderr)

        return gen()
