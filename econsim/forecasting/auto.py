"""The auto forecaster: :class:`AutoForecaster`, :func:`forecast` (the Python contract) and :func:`simulate_paths`.

``AutoForecaster`` weights a pool of simple robust methods (:mod:`econsim.forecasting.models`)
by each series' own rolling-origin errors and calibrates its intervals from those out-of-sample
errors, which is what keeps them honest on 5–10 annual values.  It has the same interface as the
single models (``fit``, ``forecast``, ``simulate``).
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from ..errors import check_draws
from numpy.typing import ArrayLike

from .models import DEFAULT_LEVEL, _LOG_POOL, _Model, _POOL, Levels, RandomSource, _as_rng, _naive_mean, check_horizon, check_level, check_series, interval_frame


# --------------------------------------------------------------------------- auto forecaster

class AutoForecaster(_Model):
    """Combine a pool of simple methods by each series' own rolling-origin errors.

    At each rolling origin (training on the first 3, 4, … values) every method in the
    pool forecasts the values that follow.  A method's weight is the inverse square of its
    mean absolute out-of-sample error, so the series' own evidence decides between, say,
    drift and damped trend.  The combination's out-of-sample errors at those origins,
    scaled by the series' mean absolute change and by a random-walk horizon factor, give
    the interval width through a Student-t quantile.  The scale pools those errors with
    two pseudo-errors of one mean absolute change per step, and the degrees of freedom
    count the errors — few errors, a scale pulled towards the random walk's and heavy tails.
    Errors beyond ``CLIP`` such units count as ``CLIP`` (a level shift widens the intervals
    but does not dominate them).

    A strictly positive series gets multiplicative intervals: errors are relative to the
    forecast and in units of the series' mean absolute log change, and bounds are
    ``mean * (1 + d)`` above and ``mean / (1 + d)`` below, so they stay positive.  A series
    with a zero or negative value (e.g. growth rates) keeps additive, symmetric intervals.

    Parameters
    ----------
    max_origins : int
        At most this many of the latest rolling origins are used (keeps long series fast).
    min_train : int
        Fewest values a rolling-origin training window holds.
    multiplicative : bool or None
        Interval form: None (default) multiplicative exactly when every value is > 0; False
        additive whatever the values (e.g. growth rates in percent, which may turn negative
        although the history did not); True multiplicative (every value must be > 0).
    """

    #: Weight, in errors, of the prior scale of one mean absolute change per step.
    PRIOR_ERRORS = 2
    #: Scaled errors are winsorised at this many mean absolute changes per step.
    CLIP = 3.0

    def __init__(self, max_origins: int = 10, min_train: int = 3, multiplicative: bool | None = None):
        self.max_origins = max_origins
        self.min_train = min_train
        self.multiplicative = multiplicative

    def _pool(self, y):
        if not np.all(y > 0):
            return dict(_POOL)
        return dict(_LOG_POOL.get(name, (name, fn)) for name, fn in _POOL.items())

    def _fit(self, y):
        n = y.size
        self.scale_ = _mase_scale(y)
        # A strictly positive series (a level, a flow) gets multiplicative intervals: errors are
        # measured as log ratios, so bounds stay positive and an error made when the series was
        # tiny counts in proportion, not in units of that tiny past.
        positive = bool(np.all(y > 0))
        if self.multiplicative and not positive:
            raise ValueError("multiplicative intervals need every value > 0")
        self.multiplicative_ = positive if self.multiplicative is None else bool(self.multiplicative)
        self.log_scale_ = _mase_scale(np.log(y)) if self.multiplicative_ else 0.0
        pool = self._pool(y)
        names = list(pool)
        origins = list(range(max(self.min_train, n - self.max_origins), n))
        self.origins_ = len(origins)
        # Rolling-origin forecasts of every method, horizon up to what is left of y.
        fc = {name: [] for name in names}
        actual = []
        for o in origins:
            actual.append(y[o:])
            for name in names:
                fc[name].append(self._safe(pool[name], y[:o], n - o))
        self.weights_ = dict(zip(names, self._weights(fc, actual, origins, len(origins))))
        self._pool_fns = pool
        # Out-of-sample errors of the whole procedure: the combination at each origin uses
        # only weights learnt from errors already observed by then, so they are not flattered.
        scaled = []
        for j, o in enumerate(origins):
            w = self._weights(fc, actual, origins, j)
            combo = sum(wi * fc[name][j] for wi, name in zip(w, names))
            k = np.arange(1, n - o + 1)
            if self.multiplicative_:
                # Relative errors (see _spread) in units of the whole series' mean absolute
                # log change: scale-free, so a tiny early window does not inflate them.
                err = _relative_deviation(actual[j], _positive_centre(combo, y[:o]))
                scaled.append(err / ((self.log_scale_ or 1.0) * self._horizon_factor(k, o)))
            else:
                # In units of the training window's own mean absolute change (as MASE does), so
                # that errors from a quieter or smaller past carry over to today's scale.
                local = _mase_scale(y[:o]) or self.scale_ or 1.0
                scaled.append((actual[j] - combo) / (local * self._horizon_factor(k, o)))
        scaled = np.concatenate(scaled) if scaled else np.zeros(0)
        self.errors_ = scaled
        # sigma_ is in units of the mean absolute change per step of the horizon factor.
        # 6-8 values leave 2-4 origins and 3-10 errors, too few to pin a scale down alone, so
        # the errors are pooled with PRIOR_ERRORS pseudo-errors of one mean absolute change
        # per step (a random walk's typical step; also the assumption when there are no
        # origins at all, with 3 values).  The Student-t degrees of freedom count the errors
        # (plus the pseudo-errors) rather than the origins: counting origins gave 2-4 degrees
        # of freedom on short series and intervals far wider than their realised errors.
        # Errors beyond CLIP units (a level shift, an origin that saw none of it) count as CLIP:
        # one jump says the series can jump, not that every year is as uncertain as the jump.
        prior = self.PRIOR_ERRORS
        robust = np.clip(scaled, -self.CLIP, self.CLIP)
        self.sigma_ = float(np.sqrt((prior * 1.0 + np.sum(robust ** 2)) / (prior + scaled.size)))
        self.df_ = max(prior + scaled.size - 1, 1)

    def _weights(self, fc, actual, origins, j):
        """Inverse-squared-MAE weights from the errors observable just before origin `j`.

        Origin ``i < j`` has revealed its first ``origins[j] - origins[i]`` forecasts by then
        (all of them when ``j == len(origins)``, i.e. for the final forecast).
        """
        names = list(fc)
        errs = {name: [] for name in names}
        cut = origins[j] if j < len(origins) else None
        for i in range(j):
            m = None if cut is None else cut - origins[i]
            for name in names:
                errs[name].append(np.abs(actual[i][:m] - fc[name][i][:m]))
        if j == 0:
            return np.full(len(names), 1.0 / len(names))
        mae = np.array([np.mean(np.concatenate(errs[name])) for name in names])
        floor = 1e-6 * (self.scale_ or 1.0) + 1e-12
        w = 1.0 / np.maximum(mae, floor) ** 2
        return w / w.sum()

    @staticmethod
    def _horizon_factor(k, n_train):
        # Errors of annual forecasts grow about linearly with the horizon: besides the
        # random-walk noise (sqrt k), the trend itself is uncertain (k).
        return np.asarray(k, dtype=float)

    @staticmethod
    def _safe(fn, y, h):
        with np.errstate(all="ignore"):
            out = fn(y, h)
        if not np.all(np.isfinite(out)):
            out = _naive_mean(y, h)
        return out

    def _point(self, h):
        return sum(w * self._safe(self._pool_fns[name], self.y_, h)
                   for name, w in self.weights_.items())

    def _mean_scale(self, h):
        """Point forecast and scale per step: in levels, or on the log scale if multiplicative."""
        k = np.arange(1, h + 1)
        mean = self._point(h)
        if self.multiplicative_:
            return (_positive_centre(mean, self.y_),
                    self.sigma_ * self.log_scale_ * self._horizon_factor(k, self.n_))
        return mean, self.sigma_ * self.scale_ * self._horizon_factor(k, self.n_)

    def _spread(self, centre, deviation):
        return spread(centre, deviation, self.multiplicative_)

    def _t_quantile(self, p):
        return float(t_quantile(self.df_, p))

    def forecast(self, h: int, level: Levels = DEFAULT_LEVEL) -> pd.DataFrame:
        """Point forecasts and calibrated prediction intervals for the next `h` steps (in the unit of `y`)."""
        self._check_fitted()
        h = check_horizon(h)
        level = check_level(level)
        mean, scale = self._mean_scale(h)

        def half_widths(lv):
            q = scale * self._t_quantile(0.5 + lv / 200)
            return mean - self._spread(mean, -q), self._spread(mean, q) - mean
        return interval_frame(mean, half_widths, level)

    def simulate(self, h: int, draws: int = 1000, rng: RandomSource = None) -> np.ndarray:
        """Sample paths whose quantiles match ``forecast``'s intervals, shape ``(draws, h)``.

        Margins are Student-t (same degrees of freedom and scale as the intervals; mapped
        through the same multiplicative spread for positive series, so paths stay positive);
        steps are tied together like a random walk, so a path that starts high tends to stay high.
        """
        self._check_fitted()
        h = check_horizon(h)
        rng = _as_rng(rng)
        mean, scale = self._mean_scale(h)
        draws = check_draws(draws)
        z = np.cumsum(rng.standard_normal((draws, h)), axis=1) / np.sqrt(np.arange(1, h + 1))
        chi = rng.chisquare(self.df_, size=(draws, 1))
        return self._spread(mean, scale * z / np.sqrt(chi / self.df_))


def spread(centre, deviation, multiplicative):
    """Values at `deviation` (same unit as the scale) around `centre`: additive or multiplicative.

    Multiplicative (where `multiplicative` is true; a bool or an array broadcasting against
    `centre`): ``centre * (1 + d)`` above and ``centre / (1 + |d|)`` below, symmetric on the log
    scale (log half-width ``log(1 + |d|)``), so bounds stay positive; unlike ``centre * exp(d)``
    the upper tail grows like an additive one, which keeps a heavy-tailed quantile of a volatile
    series from becoming astronomically wide.
    """
    if np.ndim(multiplicative) == 0 and not multiplicative:
        return centre + deviation
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = centre * np.exp(np.sign(deviation) * np.log1p(np.abs(deviation)))
    return np.where(multiplicative, scaled, centre + deviation)


def t_quantile(df, p):
    """Student-t quantile at probability `p` for `df` degrees of freedom (arrays broadcast)."""
    from scipy.special import stdtrit  # far lighter to import than scipy.stats

    return stdtrit(df, p)


def _relative_deviation(actual, centre):
    """Inverse of :func:`spread` (multiplicative): ``r - 1`` above the centre, ``1 - 1/r`` below."""
    log_ratio = np.log(actual) - np.log(centre)
    return np.sign(log_ratio) * np.expm1(np.abs(log_ratio))


def _positive_centre(mean, y):
    """`mean` floored at a thousandth of the smallest value of positive `y` (a centre for log ratios).

    `y` has shape ``(..., n)`` and `mean` ``(..., h)``.
    """
    return np.maximum(mean, 1e-3 * np.min(y, axis=-1, keepdims=True))


def _mase_scale(y) -> float:
    return float(np.mean(np.abs(np.diff(y)))) if len(y) > 1 else 0.0


# --------------------------------------------------------------------------- the contract

def _future_index(y, h):
    if isinstance(y, pd.Series) and isinstance(y.index, pd.PeriodIndex):
        return pd.period_range(y.index[-1] + 1, periods=h)  # the Period carries the frequency
    return pd.RangeIndex(h)


def forecast(y: ArrayLike | pd.Series, h: int, level: Levels = DEFAULT_LEVEL, *,
             multiplicative: bool | None = None) -> pd.DataFrame:
    """Forecast a short series with honest prediction intervals (the econsim contract).

    Parameters
    ----------
    y : array-like or pandas.Series
        At least 3 finite values, oldest first: levels (e.g. 亿元) or growth rates (percent),
        positive or negative.  A Series with a ``PeriodIndex`` gives a result indexed by the
        following periods.
    h : int
        Number of steps ahead (≥ 1).
    level : tuple of float
        Interval levels in percent, each strictly between 0 and 100.
    multiplicative : bool or None
        None (default): for a strictly positive series the intervals are multiplicative
        (``mean·(1 + d)`` above, ``mean/(1 + d)`` below, so bounds stay positive), otherwise
        additive and symmetric.  False: additive whatever the values (growth rates in percent
        that may turn negative).  True: multiplicative (every value must be > 0).

    Returns
    -------
    DataFrame
        `h` rows; columns ``mean``, then ``lo_<l>``, ``hi_<l>`` for each level
        (``mean, lo_80, hi_80, lo_95, hi_95`` by default).

    Raises
    ------
    ValueError
        Fewer than 3 values, non-finite values, not 1-D, ``h < 1``, a level outside (0, 100), or
        ``multiplicative=True`` with a value ≤ 0.
    """
    values = check_series(y)
    h = check_horizon(h)
    level = check_level(level)
    scale = _extreme_scale(values)
    model = AutoForecaster(multiplicative=multiplicative).fit(values / scale)
    out = _finite(model.forecast(h, level) * scale)
    out.index = _future_index(y, h)
    return out


def _finite(x):
    """`x` with values beyond the float range held at its limits (a forecast past 1.8e308 stays finite)."""
    big = np.finfo(float).max
    return x.clip(-big, big)


def _extreme_scale(values: np.ndarray) -> float:
    """A power of two that brings extreme magnitudes (near the float limits) to about 1, else 1.

    Every method in the pool is scale-equivariant, and multiplying by a power of two is exact,
    so series of ordinary magnitude are untouched and huge or tiny ones no longer overflow.
    """
    top = float(np.max(np.abs(values)))
    if top == 0 or 1e-150 < top < 1e150:
        return 1.0
    return float(2.0 ** np.floor(np.log2(top)))


def simulate_paths(y: ArrayLike, h: int, draws: int = 10_000, seed: int | None = None,
                   rng: RandomSource = None, *, multiplicative: bool | None = None) -> np.ndarray:
    """Monte Carlo paths of the next `h` values of `y`, consistent with ``forecast``'s intervals.

    Parameters
    ----------
    y : array-like
        At least 3 finite values (e.g. annual growth rates in percent).
    h : int
        Steps ahead.
    draws : int
        Number of paths.
    seed : int, optional
        Seed for a fresh generator; the same seed gives the same paths.
    rng : numpy.random.Generator, optional
        A generator to draw from instead of `seed`.
    multiplicative : bool or None
        As for ``forecast`` (paths of a positive series stay positive unless False).

    Returns
    -------
    ndarray
        Shape ``(draws, h)``.
    """
    values = check_series(y)
    h = check_horizon(h)
    draws = check_draws(draws)
    scale = _extreme_scale(values)
    model = AutoForecaster(multiplicative=multiplicative).fit(values / scale)
    return _finite(model.simulate(h, int(draws), _as_rng(rng, seed)) * scale)
