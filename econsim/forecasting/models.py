"""Forecasters for short annual series, all with one interface.

Every model here has the same shape, so that combinations, backtests and benchmarks
are loops rather than frameworks:

* ``__init__`` only stores parameters;
* ``fit(y)`` learns from a 1-D series (levels or growth rates, positive or negative)
  and stores what it learnt in attributes ending in ``_``;
* ``forecast(h, level=(80, 95))`` returns a DataFrame with columns
  ``mean, lo_80, hi_80, lo_95, hi_95`` (one ``lo_<l>``/``hi_<l>`` pair per level);
* ``simulate(h, draws, rng)`` returns an array of sample paths, shape ``(draws, h)``.

The single-model classes give the model's own intervals; the auto forecaster that combines
them is :mod:`econsim.forecasting.auto`.

statsmodels is imported inside the functions that use it, and its warnings are
silenced only around its calls, so ``import econsim`` stays fast and quiet.
"""
from __future__ import annotations

import warnings
from contextlib import contextmanager

from typing import Callable, Sequence, TypeVar, Union

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ..errors import check_draws, check_seed

#: Interval levels in percent: one number or several (``80`` or ``(80, 95)``).
Levels = Union[float, Sequence[float]]
#: What a random source may be: a Generator, or a seed (anything ``numpy.random.default_rng`` takes).
RandomSource = Union[np.random.Generator, int, np.random.SeedSequence, None]

_M = TypeVar("_M", bound="_Model")

__all__ = [
    "Naive", "Drift", "DampedDrift", "Theta", "MeanReverting",
    "ETS", "StatsmodelsTheta", "ARIMA", "LocalLevel", "LocalLinearTrend",
]

DEFAULT_LEVEL = (80, 95)


# --------------------------------------------------------------------------- validation

def check_series(y: ArrayLike, *, min_length: int = 3) -> np.ndarray:
    """`y` as a 1-D float array, or ``ValueError`` naming what is wrong.

    Parameters
    ----------
    y : array-like
        The observations, oldest first (levels or growth rates in percent).
    min_length : int
        The fewest values accepted.
    """
    try:
        values = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"y must be numeric: {exc}") from None
    if values.ndim != 1:
        raise ValueError(f"y must be 1-D, got an array of shape {values.shape}")
    if values.size < min_length:
        raise ValueError(f"y needs at least {min_length} values to forecast, got {values.size}")
    bad = ~np.isfinite(values)
    if bad.any():
        where = int(np.flatnonzero(bad)[0])
        raise ValueError(f"y must be finite: value {float(values[where])!r} at position {where}")
    return values


def check_horizon(h: int) -> int:
    """`h` as a positive int, or ``ValueError``."""
    if isinstance(h, bool) or not isinstance(h, (int, np.integer)) or h < 1:
        raise ValueError(f"h must be a positive integer, got {h!r}")
    return int(h)


def check_level(level: Levels) -> tuple[float, ...]:
    """`level` as a tuple of interval levels in percent, each strictly between 0 and 100."""
    if np.isscalar(level):
        level = (level,)
    level = tuple(level)
    for lv in level:
        if isinstance(lv, bool) or not isinstance(lv, (int, float, np.integer, np.floating)) \
                or not 0 < lv < 100:
            raise ValueError(f"level must be percentages strictly between 0 and 100, got {lv!r}")
    return level


def _level_name(lv) -> str:
    return f"{lv:g}"


def interval_frame(mean: ArrayLike, half_width_fn: Callable[[float], tuple[ArrayLike, ArrayLike]],
                   level: Sequence[float]) -> pd.DataFrame:
    """Assemble the contract frame from a mean and a function ``level -> half widths``."""
    mean = np.asarray(mean, dtype=float)
    cols = {"mean": mean}
    for lv in level:
        lo, hi = half_width_fn(lv)
        cols[f"lo_{_level_name(lv)}"] = mean - lo
        cols[f"hi_{_level_name(lv)}"] = mean + hi
    return pd.DataFrame(cols)


def _normal_quantile(p):
    from statistics import NormalDist

    return NormalDist().inv_cdf(p)


@contextmanager
def _quiet():
    """Silence warnings from a statsmodels call, only for that call."""
    # statsmodels' exceptions module adds "always" filters when first imported; imported
    # inside our context it would put them in front of our "ignore".
    import statsmodels.tools.sm_exceptions  # noqa: F401

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            yield


def _as_rng(rng: RandomSource = None, seed: int | None = None) -> np.random.Generator:
    """`rng` as a Generator (anything ``numpy.random.default_rng`` takes), else a fresh one from `seed`."""
    if rng is not None and seed is not None:
        raise ValueError("give either rng or seed, not both")
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is not None:
        return np.random.default_rng(rng)
    return np.random.default_rng(None if seed is None else check_seed(seed))


def _gaussian_paths(mean, sd, draws, rng) -> np.ndarray:
    """Paths with normal margins ``N(mean_k, sd_k²)`` and random-walk-like dependence."""
    h = len(mean)
    z = np.cumsum(rng.standard_normal((draws, h)), axis=1) / np.sqrt(np.arange(1, h + 1))
    return mean + sd * z


# --------------------------------------------------------------------------- numeric core
# Plain NumPy point forecasters.  They are the building blocks of the auto forecaster,
# which refits them at many rolling origins, so they must cost microseconds.  Each takes
# `y` of shape ``(..., n)`` (one series, or a stack of series of equal length, oldest
# first along the last axis) and returns forecasts of shape ``(..., h)``, so that
# ``forecast_panel`` runs them on thousands of series at once.

def _steps(h):
    return np.arange(1, h + 1)


def _naive_mean(y, h):
    return np.repeat(y[..., -1:], h, axis=-1)


def _drift_slope(y):
    return (y[..., -1] - y[..., 0]) / (y.shape[-1] - 1)


def _drift_mean(y, h):
    return y[..., -1:] + _drift_slope(y)[..., None] * _steps(h)


def _damped_drift_mean(y, h, phi=0.8):
    return y[..., -1:] + _drift_slope(y)[..., None] * np.cumsum(phi ** _steps(h))


_ALPHAS = np.linspace(0.05, 1.0, 20)


def _grid_argmin(sse, *arrays):
    """Values of each of `arrays` (shape ``(..., grid)``) at the grid point of least `sse`."""
    i = np.argmin(sse, axis=-1)[..., None]
    return tuple(np.take_along_axis(a, i, axis=-1)[..., 0] for a in arrays)


def _ses_fit(y):
    """Simple exponential smoothing by least squares over a grid of alphas: (alpha, level, sse)."""
    level = np.repeat(y[..., :1], _ALPHAS.size, axis=-1)
    sse = np.zeros_like(level)
    for t in range(1, y.shape[-1]):
        e = y[..., t:t + 1] - level
        sse += e * e
        level = level + _ALPHAS * e
    return _grid_argmin(sse, np.broadcast_to(_ALPHAS, sse.shape), level, sse)


def _theta_mean(y, h):
    """The standard Theta method (SES plus half the linear-trend slope, Hyndman & Billah 2003)."""
    n = y.shape[-1]
    t = np.arange(n) - (n - 1) / 2.0
    # An elementwise product summed per row, not a matrix product: BLAS may add a row's terms in an
    # order that depends on the rows around it, and a panel's series must not depend on its neighbours.
    slope = np.sum((y - y.mean(axis=-1, keepdims=True)) * t, axis=-1) / (t @ t)
    alpha, level, _ = _ses_fit(y)
    alpha, level, slope = alpha[..., None], level[..., None], slope[..., None]
    return level + 0.5 * slope * (_steps(h) - 1 + 1 / alpha - (1 - alpha) ** n / alpha)


_HOLT_GRID = [(a, b) for a in (0.2, 0.5, 0.8, 1.0) for b in (0.05, 0.2, 0.5)]
_HOLT_A = np.array([g[0] for g in _HOLT_GRID])
_HOLT_AB = _HOLT_A * np.array([g[1] for g in _HOLT_GRID])


def _damped_holt_mean(y, h, phi=0.9):
    """Additive damped-trend exponential smoothing, parameters by least squares on a grid."""
    level = np.repeat(y[..., :1], _HOLT_A.size, axis=-1)
    trend = np.repeat(y[..., 1:2] - y[..., :1], _HOLT_A.size, axis=-1)
    sse = np.zeros_like(level)
    for t in range(1, y.shape[-1]):
        f = level + phi * trend
        e = y[..., t:t + 1] - f
        sse += e * e
        level = f + _HOLT_A * e
        trend = phi * trend + _HOLT_AB * e
    level, trend = _grid_argmin(sse, level, trend)
    return level[..., None] + trend[..., None] * np.cumsum(phi ** _steps(h))


def _mean_reverting_fit(y, anchor=None, speed=None):
    """Anchor and per-step persistence ``rho`` of ``y_t - anchor = rho (y_{t-1} - anchor) + e``.

    Arrays of the shape of ``y[..., 0]`` (0-d for one series).
    """
    anchor = y.mean(axis=-1) if anchor is None else np.full(y.shape[:-1], float(anchor))
    if speed is None:
        d = y - anchor[..., None]
        d0, d1 = d[..., :-1], d[..., 1:]
        # a series equal to its anchor throughout (denominator 0) has no persistence to estimate: 0
        num, denom = np.sum(d0 * d1, axis=-1), np.sum(d0 * d0, axis=-1)
        rho = np.clip(np.divide(num, denom, out=np.zeros_like(denom), where=denom > 0), 0.0, 0.98)
    else:
        rho = np.full(y.shape[:-1], 1.0 - float(speed))
    return anchor, rho


def _mean_reverting_mean(y, h):
    anchor, rho = _mean_reverting_fit(y)
    anchor, rho = anchor[..., None], rho[..., None]
    return anchor + (y[..., -1:] - anchor) * rho ** _steps(h)


# Point forecasters on log values, for positive series (multiplicative growth).  Overflow of the
# back-transform is the callers' to handle (both wrap the pool in np.errstate).

def _log_theta_mean(y, h):
    return np.exp(_theta_mean(np.log(y), h))


def _log_damped_drift_mean(y, h):
    return np.exp(_damped_drift_mean(np.log(y), h))


# The auto forecaster's pool: simple, robust methods that each win on some kinds of series.
_POOL = {
    "naive": _naive_mean,
    "drift": _drift_mean,
    "damped_drift": _damped_drift_mean,
    "theta": _theta_mean,
    "damped_holt": _damped_holt_mean,
    "mean_reverting": _mean_reverting_mean,
}
# For positive series these replace their additive namesakes: growth of levels is
# multiplicative, and keeping both versions would count one idea twice in the weighting
# (two near-identical members share out the evidence that belongs to one method).
_LOG_POOL = {
    "theta": ("log_theta", _log_theta_mean),
    "damped_drift": ("log_damped_drift", _log_damped_drift_mean),
}


# --------------------------------------------------------------------------- model classes

class _Model:
    """Shared shape of every econsim forecaster (see the module docstring)."""

    def fit(self: _M, y: ArrayLike) -> _M:
        """Learn from `y` (1-D, finite, at least 3 values: levels or growth rates in percent); returns self."""
        self.y_ = check_series(y)
        self.n_ = self.y_.size
        self._fit(self.y_)
        return self

    def _check_fitted(self):
        if not hasattr(self, "y_"):
            raise ValueError(f"{type(self).__name__} is not fitted yet; call fit(y) first")

    def forecast(self, h: int, level: Levels = DEFAULT_LEVEL) -> pd.DataFrame:
        """Point forecasts and prediction intervals for the next `h` steps (in the unit of `y`).

        Returns
        -------
        DataFrame
            `h` rows; columns ``mean`` and ``lo_<l>``, ``hi_<l>`` for each `level` (percent).
        """
        self._check_fitted()
        h = check_horizon(h)
        level = check_level(level)
        mean, sd = self._mean_sd(h)
        return interval_frame(mean, lambda lv: (sd * _normal_quantile(0.5 + lv / 200),) * 2, level)

    def simulate(self, h: int, draws: int = 1000, rng: RandomSource = None) -> np.ndarray:
        """Sample paths of the next `h` values (in the unit of `y`), shape ``(draws, h)``."""
        self._check_fitted()
        h = check_horizon(h)
        mean, sd = self._mean_sd(h)
        return _gaussian_paths(mean, sd, check_draws(draws), _as_rng(rng))

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                           if not k.endswith("_") and not k.startswith("_"))
        return f"{type(self).__name__}({params})"


class _PointModel(_Model):
    """A NumPy point forecaster with a random-walk-type Gaussian interval from one-step residuals."""

    def _fit(self, y):
        # In-sample one-step-ahead residuals from refits on expanding windows (from 2 values).
        # fit() accepts 3 or more values, so there is always at least one.
        errs = [y[t] - self._point(y[:t], 1)[0] for t in range(2, y.size)]
        self.sigma_ = float(np.sqrt(np.mean(np.square(errs))))

    def _mean_sd(self, h):
        k = np.arange(1, h + 1)
        return self._point(self.y_, h), self.sigma_ * np.sqrt(k * (1 + k / self.n_))


class Naive(_PointModel):
    """Random walk: every future value equals the last one."""

    def _point(self, y, h):
        return _naive_mean(y, h)


class Drift(_PointModel):
    """Random walk with drift: the last value plus the average historical change per step."""

    def _point(self, y, h):
        return _drift_mean(y, h)


class DampedDrift(_PointModel):
    """Random walk with a drift that fades by factor `phi` per step (0 < phi ≤ 1)."""

    def __init__(self, phi: float = 0.8):
        self.phi = phi

    def _point(self, y, h):
        return _damped_drift_mean(y, h, self.phi)


class Theta(_PointModel):
    """The Theta method (SES with drift equal to half the linear-trend slope), NumPy version."""

    def _point(self, y, h):
        return _theta_mean(y, h) if y.size > 2 else _naive_mean(y, h)


class MeanReverting(_Model):
    """Growth converging to an anchor: ``g_{t+1} - a = (1 - speed)(g_t - a) + e``.

    Meant for growth-rate series (percent), e.g. GDP growth 6.8, 6.2, 6.5, 6.0, 6.0.

    Parameters
    ----------
    anchor : float, optional
        The long-run value (same unit as `y`); default the mean of `y`.
    speed : float, optional
        Share of the gap to the anchor closed each step (0 to 1); default estimated
        by least squares and kept between 0.02 and 1.
    """

    def __init__(self, anchor: float | None = None, speed: float | None = None):
        self.anchor = anchor
        self.speed = speed

    def _fit(self, y):
        if self.speed is not None and not 0 <= self.speed <= 1:
            raise ValueError(f"speed must be between 0 and 1, got {self.speed!r}")
        anchor, rho = _mean_reverting_fit(y, self.anchor, self.speed)
        self.anchor_, rho = float(anchor), float(rho)
        self.speed_ = 1.0 - rho
        resid = (y[1:] - self.anchor_) - rho * (y[:-1] - self.anchor_)
        dof = max(resid.size - (self.anchor is None) - (self.speed is None), 1)
        self.sigma_ = float(np.sqrt(resid @ resid / dof))

    def _mean_sd(self, h):
        rho = 1.0 - self.speed_
        k = np.arange(1, h + 1)
        mean = self.anchor_ + (self.y_[-1] - self.anchor_) * rho ** k
        var = np.cumsum(rho ** (2 * (k - 1)))
        return mean, self.sigma_ * np.sqrt(var)


class _StatsmodelsModel(_Model):
    """A statsmodels model behind the econsim interface; its warnings stay inside."""

    def _fit(self, y):
        with _quiet():
            self.result_ = self._fit_statsmodels(y)

    def _mean_sd(self, h):
        with _quiet():
            mean, sd = self._statsmodels_mean_sd(h)
        mean, sd = np.asarray(mean, float), np.asarray(sd, float)
        sd = np.where(np.isfinite(sd), sd, 0.0)
        return mean, sd

    def _statsmodels_mean_sd(self, h):
        fc = self.result_.get_forecast(h)
        return fc.predicted_mean, np.sqrt(fc.var_pred_mean)


class ETS(_StatsmodelsModel):
    """Additive-error exponential smoothing (statsmodels ``ETSModel``).

    Parameters
    ----------
    trend : {None, "add"}
        No trend (simple exponential smoothing) or additive trend (Holt).
    damped_trend : bool
        Damp the trend (only with ``trend="add"``); the damped trend is the robust default.
    """

    def __init__(self, trend: str | None = "add", damped_trend: bool = True):
        self.trend = trend
        self.damped_trend = damped_trend

    def _fit_statsmodels(self, y):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        # A Series, not an array: ETSResults.get_prediction needs an index to label rows.
        return ETSModel(pd.Series(y), trend=self.trend,  # error="add" is its default
                        damped_trend=bool(self.trend and self.damped_trend)).fit(disp=False)

    def _statsmodels_mean_sd(self, h):
        pred = self.result_.get_prediction(start=self.n_, end=self.n_ + h - 1)
        return np.asarray(pred.predicted_mean), np.sqrt(np.asarray(pred.var_pred_mean))


class StatsmodelsTheta(_StatsmodelsModel):
    """The Theta method as implemented by statsmodels ``ThetaModel`` (no deseasonalising)."""

    def _fit_statsmodels(self, y):
        from statsmodels.tsa.forecasting.theta import ThetaModel

        return ThetaModel(y, deseasonalize=False).fit()

    def _statsmodels_mean_sd(self, h):
        mean = np.asarray(self.result_.forecast(h))
        z = _normal_quantile(0.975)
        pi = np.asarray(self.result_.prediction_intervals(h, alpha=0.05))
        return mean, (pi[:, 1] - pi[:, 0]) / (2 * z)


class ARIMA(_StatsmodelsModel):
    """ARIMA(p, d, q) by statsmodels; `trend` ``"t"`` with ``d=1`` is a drift term."""

    def __init__(self, order: tuple[int, int, int] = (0, 1, 0), trend: str | None = None):
        self.order = order
        self.trend = trend

    def _fit_statsmodels(self, y):
        from statsmodels.tsa.arima.model import ARIMA as SMARIMA

        trend = self.trend
        if trend is None:  # a constant without differencing, a drift with one, nothing with more
            trend = {0: "c", 1: "t"}.get(self.order[1], "n")
        return SMARIMA(y, order=tuple(self.order), trend=trend).fit()


class _UnobservedComponents(_StatsmodelsModel):
    _spec = "llevel"

    def _fit_statsmodels(self, y):
        from statsmodels.tsa.statespace.structural import UnobservedComponents

        return UnobservedComponents(y, self._spec).fit(disp=False)


class LocalLevel(_UnobservedComponents):
    """Local level (random walk plus noise), statsmodels ``UnobservedComponents``."""

    _spec = "llevel"


class LocalLinearTrend(_UnobservedComponents):
    """Local linear trend, statsmodels ``UnobservedComponents``."""

    _spec = "lltrend"
