"""Specification of econsim.models: the forecast contract, the model interface, simulate_paths."""
import warnings

import numpy as np
import pandas as pd
import pytest

from econsim.forecasting.auto import AutoForecaster
from econsim.forecasting.models import ARIMA, DampedDrift, Drift, ETS, LocalLevel, LocalLinearTrend, MeanReverting, Naive, StatsmodelsTheta, Theta
from econsim.forecasting.auto import forecast, simulate_paths

GDP_GROWTH = [6.8, 6.2, 6.5, 6.0, 6.0]
COLUMNS = ["mean", "lo_80", "hi_80", "lo_95", "hi_95"]


def assert_ordered(frame):
    values = frame[COLUMNS].to_numpy()
    assert np.all(np.diff(values[:, [3, 1, 0, 2, 4]], axis=1) >= 0)


# ---------------------------------------------------------------- forecast: the contract

def test_forecast_returns_h_rows_with_contract_columns():
    out = forecast(GDP_GROWTH, 5)
    assert list(out.columns) == COLUMNS
    assert len(out) == 5


def test_forecast_names_columns_after_the_levels_asked_for():
    out = forecast(GDP_GROWTH, 3, level=(50, 90))
    assert list(out.columns) == ["mean", "lo_50", "hi_50", "lo_90", "hi_90"]


def test_forecast_of_annual_period_series_is_indexed_by_following_years():
    y = pd.Series(GDP_GROWTH, index=pd.period_range("2021", periods=5, freq="Y"))
    out = forecast(y, 5)
    assert list(out.index) == list(pd.period_range("2026", periods=5, freq="Y"))


@pytest.mark.parametrize("n", range(3, 9))
def test_forecast_of_steady_6_percent_growth_rises_but_not_past_its_continuation_for_lengths_3_to_8(n):
    # the pool includes the naive forecast, so the mean lies between the last value and 100·1.06^(n+k−1),
    # and the 95% interval holds that continuation
    y = 100 * 1.06 ** np.arange(n)
    out = forecast(y, 5)
    continuation = 100 * 1.06 ** np.arange(n, n + 5)
    assert out.shape == (5, 5)
    assert np.all(out["mean"] > y[-1]) and np.all(out["mean"] <= continuation)
    assert np.all(out["lo_95"] <= continuation) and np.all(continuation <= out["hi_95"])


# Three values leave no rolling origin: one degree of freedom (Cauchy quantile tan(π(p − 1/2))) and a
# scale of one mean absolute change per step, k at step k (log changes for a positive series).
_Q95, _Q80 = np.tan(0.475 * np.pi), np.tan(0.4 * np.pi)


def test_forecast_of_three_equal_values_is_that_value_with_no_width():
    assert np.array_equal(forecast([3.0, 3.0, 3.0], 5).to_numpy(), np.full((5, 5), 3.0))


def test_forecast_of_three_values_crossing_zero_has_additive_cauchy_intervals():
    out = forecast([-2.0, -28.2, 5.8], 5)
    k, scale = np.arange(1, 6), (26.2 + 34.0) / 2
    assert (out["hi_95"] - out["mean"]).to_numpy() == pytest.approx(_Q95 * scale * k, rel=1e-9)
    assert (out["mean"] - out["lo_80"]).to_numpy() == pytest.approx(_Q80 * scale * k, rel=1e-9)


def test_forecast_of_three_positive_values_has_multiplicative_cauchy_intervals():
    out = forecast([1e6, 1.2e6, 1.1e6], 5)
    k, log_scale = np.arange(1, 6), (np.log(1.2) + np.log(1.2 / 1.1)) / 2
    d95 = _Q95 * log_scale * k
    assert (out["hi_95"] / out["mean"]).to_numpy() == pytest.approx(1 + d95, rel=1e-9)
    assert (out["mean"] / out["lo_95"]).to_numpy() == pytest.approx(1 + d95, rel=1e-9)


def test_forecast_of_constant_series_is_that_constant():
    out = forecast([4.0] * 6, 3)
    assert np.allclose(out.to_numpy(), 4.0)


def test_forecast_handles_negative_values():
    out = forecast([-2.0, 1.5, -0.5, -3.0, 0.5, -1.0], 4)
    assert np.isfinite(out.to_numpy()).all()
    assert_ordered(out)


@pytest.mark.parametrize("scale", [1e-9, 1e12])
def test_forecast_scales_with_the_data(scale):
    y = np.array([10.0, 11.0, 12.5, 13.0, 14.2, 15.1])
    out = forecast(y * scale, 3)
    assert np.allclose(out.to_numpy() / scale, forecast(y, 3).to_numpy(), rtol=1e-6)


def test_forecast_continues_a_clean_linear_trend():
    out = forecast([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 3)
    assert np.allclose(out["mean"], [7.0, 8.0, 9.0], atol=0.2)


def test_forecast_quantiles_are_ordered():
    rng = np.random.default_rng(0)
    for _ in range(20):
        out = forecast(np.cumsum(rng.normal(1, 3, size=rng.integers(3, 12))), 6)
        assert_ordered(out)


def test_forecast_intervals_widen_with_the_horizon():
    out = forecast([5.0, 7.0, 6.0, 9.0, 8.0, 11.0, 10.0], 4)
    width = (out["hi_95"] - out["lo_95"]).to_numpy()
    assert np.all(np.diff(width) > 0)


def test_forecast_leaves_the_input_unchanged():
    y = pd.Series(GDP_GROWTH)
    forecast(y, 3)
    assert y.tolist() == GDP_GROWTH


@pytest.mark.parametrize("y", [[1.0, 2.0], [1.0, np.nan, 3.0], [1.0, np.nan, 3.0, 4.0], [1.0, np.inf, 3.0],
                               [1.0, 2.0, np.inf], [[1.0, 2.0, 3.0]] * 2])
def test_forecast_rejects_short_nonfinite_or_2d_input(y):
    with pytest.raises(ValueError):
        forecast(y, 3)


@pytest.mark.parametrize("h", [0, -1, 2.5])
def test_forecast_rejects_a_horizon_below_one(h):
    with pytest.raises(ValueError, match="h must be"):
        forecast(GDP_GROWTH, h)


@pytest.mark.parametrize("level", [(0, 95), (80, 100), (120,)])
def test_forecast_rejects_levels_outside_0_100(level):
    with pytest.raises(ValueError, match="level"):
        forecast(GDP_GROWTH, 3, level=level)


def test_short_series_error_names_the_length():
    with pytest.raises(ValueError, match="at least 3 values"):
        forecast([1.0, 2.0], 3)


# ---------------------------------------------------------------- simulate_paths

def test_simulate_paths_of_a_constant_series_are_draws_by_h_copies_of_it():
    paths = simulate_paths([4.0] * 6, 5, draws=200, seed=1)
    assert paths.shape == (200, 5) and paths == pytest.approx(np.full((200, 5), 4.0), abs=1e-12)


def test_simulate_paths_is_reproducible_with_a_seed():
    a = simulate_paths(GDP_GROWTH, 5, draws=100, seed=7)
    b = simulate_paths(GDP_GROWTH, 5, draws=100, seed=7)
    assert np.array_equal(a, b)


def test_simulate_paths_accepts_a_generator():
    a = simulate_paths(GDP_GROWTH, 3, draws=50, rng=np.random.default_rng(3))
    b = simulate_paths(GDP_GROWTH, 3, draws=50, rng=np.random.default_rng(3))
    assert np.array_equal(a, b)


def test_simulate_paths_quantiles_match_forecast_intervals():
    y = [6.8, 6.2, 6.5, 6.0, 6.0, 5.2, 5.5]
    fc = forecast(y, 4)
    paths = simulate_paths(y, 4, draws=100_000, seed=0)
    width = (fc["hi_95"] - fc["lo_95"]).to_numpy()
    for col, q in [("lo_95", 2.5), ("lo_80", 10), ("mean", 50), ("hi_80", 90), ("hi_95", 97.5)]:
        assert np.allclose(np.percentile(paths, q, axis=0), fc[col], atol=0.03 * width.max())


def test_simulate_paths_rejects_zero_draws():
    with pytest.raises(ValueError, match="draws"):
        simulate_paths(GDP_GROWTH, 3, draws=0)


# ---------------------------------------------------------------- the model interface

FAST_MODELS = [Naive(), Drift(), DampedDrift(0.8), Theta(),
               MeanReverting(), AutoForecaster()]
STATSMODELS_MODELS = [ETS(), ETS(trend=None), StatsmodelsTheta(),
                      ARIMA((0, 1, 0)), LocalLevel(), LocalLinearTrend()]


@pytest.mark.parametrize("model", FAST_MODELS + STATSMODELS_MODELS, ids=repr)
def test_every_model_forecasts_the_contract_frame(model):
    y = [100.0, 104.0, 109.5, 113.0, 118.2, 121.9, 127.5, 131.0]
    out = model.fit(y).forecast(4)
    assert list(out.columns) == COLUMNS and len(out) == 4
    assert np.isfinite(out.to_numpy()).all()
    assert_ordered(out)


@pytest.mark.parametrize("model", FAST_MODELS + STATSMODELS_MODELS, ids=repr)
def test_every_model_simulates_draws_by_h(model):
    y = [100.0, 104.0, 109.5, 113.0, 118.2, 121.9, 127.5, 131.0]
    paths = model.fit(y).simulate(3, draws=20, rng=np.random.default_rng(0))
    assert paths.shape == (20, 3)


def test_init_only_stores_parameters():
    model = MeanReverting(anchor=5.0)
    assert vars(model) == {"anchor": 5.0, "speed": None}


def test_fitted_state_lives_in_underscore_attributes():
    model = MeanReverting().fit(GDP_GROWTH)
    assert {"anchor_", "speed_", "sigma_"} <= set(vars(model))


def test_forecast_before_fit_is_a_clear_error():
    with pytest.raises(ValueError, match="not fitted"):
        Drift().forecast(3)


def test_mean_reverting_growth_converges_to_its_anchor():
    out = MeanReverting(anchor=5.0, speed=0.5).fit([7.0, 6.5, 7.0, 6.0]).forecast(3)
    assert np.allclose(out["mean"], [5.5, 5.25, 5.125])


def test_drift_extends_the_average_change():
    out = Drift().fit([1.0, 3.0, 4.0, 7.0]).forecast(2)
    assert np.allclose(out["mean"], [9.0, 11.0])


def test_statsmodels_warnings_do_not_leak():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ETS().fit([1.0, 1.0, 1.0, 1.0]).forecast(2)  # does not converge
        ARIMA((0, 1, 1)).fit([1.0, 2.0, 1.5, 2.5]).forecast(2)
    assert caught == []


def test_auto_forecaster_weights_favour_the_method_that_fits():
    model = AutoForecaster().fit(2.0 * np.arange(1, 11) + 3.0)
    assert max(model.weights_, key=model.weights_.get) in {"drift", "damped_holt", "theta"}
    assert abs(sum(model.weights_.values()) - 1) < 1e-12


def test_auto_forecaster_scale_pools_rolling_origin_errors_with_two_unit_pseudo_errors():
    model = AutoForecaster().fit([5.0, 7.0, 6.0, 9.0, 8.0, 11.0, 10.0])
    errors = model.errors_
    assert errors.size == 10  # origins 3..6 reveal 4 + 3 + 2 + 1 errors
    assert model.sigma_ == pytest.approx(np.sqrt((2 * 1.0 + np.sum(errors ** 2)) / (2 + errors.size)))


def test_auto_forecaster_degrees_of_freedom_count_errors_not_origins():
    model = AutoForecaster().fit([5.0, 7.0, 6.0, 9.0, 8.0, 11.0, 10.0])
    assert model.df_ == model.errors_.size + 2 - 1


def test_auto_forecaster_with_no_origin_assumes_one_mean_change_per_step():
    model = AutoForecaster().fit([1.0, 3.0, 4.0])
    assert model.errors_.size == 0 and model.sigma_ == 1.0 and model.df_ == 1


def test_auto_forecaster_interval_with_no_origin_is_cauchy_and_grows_linearly_with_the_horizon():
    # 3 values leave no rolling origin: sigma 1, one degree of freedom (a Cauchy quantile,
    # tan(π(p − 1/2))), scale = mean |change| of [0, 2, 1] = 1.5, additive since 0 is not > 0.
    # Half-width at step k = tan(0.475π) · 1.5 · k: 95.3 at k = 5 (42.6 with a √k factor).
    out = forecast([0.0, 2.0, 1.0], 5, level=(95,))
    half = (out["hi_95"] - out["lo_95"]).to_numpy() / 2
    assert half == pytest.approx(np.tan(0.475 * np.pi) * 1.5 * np.arange(1, 6), rel=1e-9)


def test_auto_forecaster_weights_at_an_origin_use_only_errors_observed_before_it():
    # Origins 3 and 4; at origin 4 only the first forecast made at origin 3 has been observed.
    # Method a missed it by 1, method b by 2 → weights ∝ 1/1², 1/2² = 0.8, 0.2.  The second
    # step (a off by 10, b exact) is not yet known and must not count.
    model = AutoForecaster()
    model.scale_ = 1.0
    actual = [np.array([10.0, 20.0]), np.array([20.0])]
    fc = {"a": [np.array([11.0, 30.0]), np.array([0.0])], "b": [np.array([12.0, 20.0]), np.array([0.0])]}
    assert model._weights(fc, actual, [3, 4], 1) == pytest.approx([0.8, 0.2])
    # for the final forecast every error is known, the second origin's included
    mae_a, mae_b = (1 + 10 + 20) / 3, (2 + 0 + 20) / 3
    w = np.array([1 / mae_a ** 2, 1 / mae_b ** 2])
    assert model._weights(fc, actual, [3, 4], 2) == pytest.approx(w / w.sum())


def test_auto_forecaster_uses_multiplicative_theta_and_damped_drift_for_positive_series():
    weights = AutoForecaster().fit([100.0, 104.0, 109.5, 113.0, 118.2, 121.9]).weights_
    assert {"log_theta", "log_damped_drift"} <= set(weights)
    assert not {"theta", "damped_drift"} & set(weights)


def test_auto_forecaster_uses_additive_members_for_series_that_cross_zero():
    weights = AutoForecaster().fit([-2.0, 1.5, -0.5, -3.0, 0.5, -1.0]).weights_
    assert {"theta", "damped_drift"} <= set(weights)
    assert not any(name.startswith("log_") for name in weights)


@pytest.mark.parametrize("magnitude", [1e307, 1e-300])
def test_forecast_of_values_near_the_float_limits_stays_finite_and_scaled(magnitude):
    y = np.array([1.0, 1.1, 1.2, 1.3]) * magnitude
    out = forecast(y, 2)
    assert np.isfinite(out.to_numpy()).all()
    assert out["mean"].iloc[0] / magnitude == pytest.approx(forecast(y / magnitude, 2)["mean"].iloc[0])


@pytest.mark.parametrize("y", [[-1e308, 1e308, 0.0], [1.0, 2.0, 1e308], [1.0] * 11 + [1e308]])
def test_forecast_stays_finite_even_past_the_float_range(y):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and says nothing about overflow to the user
        out = forecast(y, 3)
    assert np.isfinite(out.to_numpy()).all()


# ---------------------------------------------------------------- positive series: multiplicative intervals

LEVEL_SHIFT = [1, 1.2, 1.1, 1.5, 2, 3, 40, 45, 50, 48, 60, 58, 70, 65, 80.0]  # issue 13's reproduction


def test_positive_series_with_a_level_shift_keeps_positive_lower_bounds():
    out = forecast(LEVEL_SHIFT, 5)
    assert (out["lo_95"] > 0).all()


def test_positive_series_with_a_level_shift_has_bounds_within_ten_times_its_maximum():
    # Before issue 13: hi_95 1,573 and lo_95 -1,370 five years ahead of a series that ends at 80.
    out = forecast(LEVEL_SHIFT, 5)
    assert (out["hi_95"] < 10 * max(LEVEL_SHIFT)).all()
    assert (out["hi_80"] < 7 * max(LEVEL_SHIFT)).all()


def test_positive_series_intervals_are_symmetric_on_the_log_scale():
    out = forecast([100.0, 104.0, 109.5, 113.0, 118.2, 121.9, 127.5, 131.0], 4)
    for lv in ("80", "95"):
        assert np.allclose(out["hi_" + lv] / out["mean"], out["mean"] / out["lo_" + lv])


def test_series_with_a_negative_value_keeps_additive_symmetric_intervals():
    out = forecast([-2.0, 1.5, -0.5, -3.0, 0.5, -1.0], 4)
    assert np.allclose(out["hi_95"] - out["mean"], out["mean"] - out["lo_95"])


def test_positive_series_paths_are_positive_and_match_the_intervals():
    fc = forecast(LEVEL_SHIFT, 3)
    paths = simulate_paths(LEVEL_SHIFT, 3, draws=100_000, seed=0)
    assert (paths > 0).all()
    for col, q in [("lo_95", 2.5), ("lo_80", 10), ("mean", 50), ("hi_80", 90), ("hi_95", 97.5)]:
        assert np.allclose(np.percentile(paths, q, axis=0), fc[col], rtol=0.03)


def test_auto_forecaster_winsorises_errors_of_a_level_shift_at_three_units():
    model = AutoForecaster().fit(LEVEL_SHIFT)
    assert np.abs(model.errors_).max() > 3
    clipped = np.clip(model.errors_, -3, 3)
    assert model.sigma_ == pytest.approx(np.sqrt((2 + np.sum(clipped ** 2)) / (2 + model.errors_.size)))


def test_positive_growth_rates_can_keep_additive_intervals_on_request():
    out = forecast(GDP_GROWTH, 3, multiplicative=False)
    assert np.allclose(out["hi_95"] - out["mean"], out["mean"] - out["lo_95"])


def test_positive_growth_rate_paths_can_go_negative_when_additive():
    paths = simulate_paths([2.0, 0.5, 3.0, 0.8, 2.5], 5, draws=2000, seed=1, multiplicative=False)
    assert (paths < 0).any()


def test_multiplicative_intervals_refuse_a_series_with_a_negative_value():
    with pytest.raises(ValueError, match="every value > 0"):
        forecast([-2.0, 1.5, -0.5, 3.0], 2, multiplicative=True)


# ---------------------------------------------------------------- single models: closed forms
# The point models' sigma is the root mean square of their one-step errors refitted on expanding windows
# of 2, 3, … values; their step-k sd is sigma·√(k(1 + k/n)).  Y4 = [1, 3, 6, 7] (n = 4) throughout.

Y4 = [1.0, 3.0, 6.0, 7.0]
Z95 = 1.959963984540054  # the normal 97.5% quantile


def _point_sd(sigma, n, h):
    k = np.arange(1, h + 1)
    return sigma * np.sqrt(k * (1 + k / n))


def test_naive_forecasts_the_last_value_with_a_random_walk_interval():
    # one-step errors from windows [1, 3] and [1, 3, 6]: 6 − 3 = 3, 7 − 6 = 1 → sigma √((9 + 1)/2) = √5
    out = Naive().fit(Y4).forecast(3, level=(95,))
    assert out["mean"].tolist() == [7.0, 7.0, 7.0]
    assert (out["hi_95"] - out["mean"]).to_numpy() == pytest.approx(Z95 * _point_sd(np.sqrt(5), 4, 3))
    assert (out["mean"] - out["lo_95"]).to_numpy() == pytest.approx(Z95 * _point_sd(np.sqrt(5), 4, 3))


def test_naive_step_one_sd_is_sigma_times_root_one_and_a_quarter():
    # √5 · √(1 · (1 + 1/4)) = √6.25 = 2.5 exactly; the 80% half-width is 2.5 · 1.2816
    out = Naive().fit(Y4).forecast(1, level=(80,))
    assert out["hi_80"].iloc[0] - 7.0 == pytest.approx(2.5 * 1.2815515655446004)


def test_drift_forecasts_last_value_plus_k_mean_changes():
    # mean change (7 − 1)/3 = 2 → 9, 11, 13
    out = Drift().fit(Y4).forecast(3)
    assert out["mean"].tolist() == pytest.approx([9.0, 11.0, 13.0])


def test_drift_sigma_comes_from_drift_refits_on_expanding_windows():
    # [1, 3] → 3 + 2 = 5, actual 6: +1;  [1, 3, 6] → 6 + 2.5 = 8.5, actual 7: −1.5 → sigma √((1 + 2.25)/2)
    model = Drift().fit(Y4)
    assert model.sigma_ == pytest.approx(np.sqrt(3.25 / 2))
    out = model.forecast(3, level=(95,))
    assert (out["hi_95"] - out["mean"]).to_numpy() == pytest.approx(Z95 * _point_sd(np.sqrt(3.25 / 2), 4, 3))


def test_damped_drift_adds_the_mean_change_times_phi_plus_phi_squared_and_so_on():
    # slope 2, phi 0.5: 7 + 2·0.5, 7 + 2·(0.5 + 0.25), 7 + 2·(0.5 + 0.25 + 0.125)
    out = DampedDrift(0.5).fit(Y4).forecast(3)
    assert out["mean"].tolist() == pytest.approx([8.0, 8.5, 8.75])


def test_damped_drift_damps_by_0_8_by_default():
    # 7 + 2·0.8, 7 + 2·(0.8 + 0.64), 7 + 2·(0.8 + 0.64 + 0.512)
    out = DampedDrift().fit(Y4).forecast(3)
    assert out["mean"].tolist() == pytest.approx([8.6, 9.88, 10.904])


def test_damped_drift_sigma_comes_from_damped_refits_on_expanding_windows():
    # phi 0.5: [1, 3] → 3 + 2·0.5 = 4, actual 6: +2;  [1, 3, 6] → 6 + 2.5·0.5 = 7.25, actual 7: −0.25
    model = DampedDrift(0.5).fit(Y4)
    assert model.sigma_ == pytest.approx(np.sqrt((4 + 0.0625) / 2))
    sd = (model.forecast(2, level=(95,))["hi_95"] - model.forecast(2)["mean"]).to_numpy() / Z95
    assert sd == pytest.approx(_point_sd(np.sqrt(4.0625 / 2), 4, 2))


def test_theta_of_a_straight_line_adds_half_its_slope_per_step_to_the_last_value():
    # On 1..5 exponential smoothing fits best with alpha = 1 (level = last value 5) and the trend
    # slope is 1, so theta = 5 + ½·1·(k − 1 + 1/1 − 0) = 5.5, 6, 6.5.
    out = Theta().fit([1.0, 2.0, 3.0, 4.0, 5.0]).forecast(3)
    assert out["mean"].tolist() == pytest.approx([5.5, 6.0, 6.5])


def test_theta_sigma_uses_the_naive_forecast_on_two_values_and_theta_from_three():
    # [1, 2] → naive 2, actual 3: 1;  [1, 2, 3] → 3.5, actual 4: 0.5;  [1..4] → 4.5, actual 5: 0.5
    model = Theta().fit([1.0, 2.0, 3.0, 4.0, 5.0])
    assert model.sigma_ == pytest.approx(np.sqrt((1 + 0.25 + 0.25) / 3))


def _reference_theta(y, h):
    """Theta by the textbook recipe, one alpha at a time (Hyndman & Billah 2003)."""
    n = len(y)
    slope = np.polyfit(np.arange(n), y, 1)[0]
    best = None
    for alpha in np.arange(1, 21) / 20:
        level, sse = y[0], 0.0
        for value in y[1:]:
            sse += (value - level) ** 2
            level += alpha * (value - level)
        if best is None or sse < best[0]:
            best = (sse, alpha, level)
    _, alpha, level = best
    k = np.arange(1, h + 1)
    return level + slope / 2 * (k - 1 + 1 / alpha - (1 - alpha) ** n / alpha)


def test_theta_with_a_partial_smoothing_weight_matches_the_textbook_recipe():
    y = [10.0, 14.0, 9.0, 15.0, 11.0, 16.0, 12.0]
    out = Theta().fit(y).forecast(4)
    assert out["mean"].to_numpy() == pytest.approx(_reference_theta(np.array(y), 4))


def test_mean_reverting_with_given_anchor_and_speed_has_ar1_interval():
    # rho 0.5, anchor 5: residuals (6.5−5) − 0.5(7−5) = 0.5, (7−5) − 0.5·1.5 = 1.25, (6−5) − 0.5·2 = 0;
    # nothing estimated → 3 degrees of freedom; sd_k = sigma·√(1 + 0.25 + … + 0.25^(k−1))
    model = MeanReverting(anchor=5.0, speed=0.5).fit([7.0, 6.5, 7.0, 6.0])
    sigma = np.sqrt((0.25 + 1.5625) / 3)
    assert model.sigma_ == pytest.approx(sigma)
    out = model.forecast(3, level=(95,))
    assert (out["hi_95"] - out["mean"]).to_numpy() == pytest.approx(Z95 * sigma * np.sqrt([1, 1.25, 1.3125]))


def test_mean_reverting_estimates_persistence_by_least_squares_around_the_mean():
    # y = 10 + d, d = [4, 2, 1, −1, −2, −4] (mean 10): rho = Σ d_t d_{t−1} / Σ d_{t−1}² = 19/26;
    # two parameters estimated → 5 − 2 = 3 degrees of freedom
    d = np.array([4.0, 2.0, 1.0, -1.0, -2.0, -4.0])
    model = MeanReverting().fit(10 + d)
    rho = 19 / 26
    resid = d[1:] - rho * d[:-1]
    assert model.anchor_ == pytest.approx(10.0)
    assert model.speed_ == pytest.approx(1 - rho)
    assert model.sigma_ == pytest.approx(np.sqrt(resid @ resid / 3))
    assert model.forecast(2)["mean"].to_numpy() == pytest.approx(10 - 4 * rho ** np.arange(1, 3))


def test_mean_reverting_with_a_given_anchor_estimates_only_the_speed():
    # anchor 0, y = [8, 4, 3, 1]: rho = (32 + 12 + 3)/(64 + 16 + 9) = 47/89; 3 − 1 = 2 degrees of freedom
    y = np.array([8.0, 4.0, 3.0, 1.0])
    model = MeanReverting(anchor=0.0).fit(y)
    rho = 47 / 89
    resid = y[1:] - rho * y[:-1]
    assert model.speed_ == pytest.approx(1 - rho)
    assert model.sigma_ == pytest.approx(np.sqrt(resid @ resid / 2))


def test_mean_reverting_with_a_given_speed_estimates_only_the_anchor():
    # anchor = mean 5, rho 0.5: residuals 1 − 0.5·3 = −0.5, 2 − 0.5·1 = 1.5, −6 − 0.5·2 = −7 → 3 − 1 = 2 dof
    y = np.array([8.0, 6.0, 7.0, -1.0])
    model = MeanReverting(speed=0.5).fit(y)
    assert model.anchor_ == pytest.approx(5.0)
    assert model.sigma_ == pytest.approx(np.sqrt((0.25 + 2.25 + 49) / 2))


def test_mean_reverting_alternating_series_jumps_straight_to_its_mean():
    # y = [5, 3, 4, 2, 6], mean 4, d = [1, −1, 0, −2, 2]: Σ d_t d_{t−1} = −5 < 0, so rho is held at 0:
    # every forecast is the mean and the sd stays at sigma = √((1 + 0 + 4 + 4)/(4 − 2))
    model = MeanReverting().fit([5.0, 3.0, 4.0, 2.0, 6.0])
    assert model.speed_ == 1.0
    out = model.forecast(3, level=(95,))
    assert out["mean"].tolist() == [4.0, 4.0, 4.0]
    assert (out["hi_95"] - out["mean"]).to_numpy() == pytest.approx(np.full(3, Z95 * np.sqrt(9 / 2)))


def test_mean_reverting_persistence_is_capped_at_0_98():
    # around anchor 0, 1..5 gives rho = (2 + 6 + 12 + 20)/(1 + 4 + 9 + 16) = 4/3, capped to 0.98
    model = MeanReverting(anchor=0.0).fit([1.0, 2.0, 3.0, 4.0, 5.0])
    assert model.speed_ == pytest.approx(0.02)
    assert model.forecast(2)["mean"].to_numpy() == pytest.approx(5 * 0.98 ** np.arange(1, 3))


def test_mean_reverting_of_a_constant_series_has_persistence_zero():
    model = MeanReverting().fit([3.0, 3.0, 3.0, 3.0])
    assert model.speed_ == 1.0 and model.sigma_ == 0.0
    assert model.forecast(2).to_numpy() == pytest.approx(np.full((2, 5), 3.0))


def test_mean_reverting_of_a_series_with_tiny_deviations_still_estimates_persistence():
    # d = [0.4, 0.2, −0.2, −0.4] around 1: Σ d_t d_{t−1} = 0.08 − 0.04 + 0.08 = 0.12, Σ d_{t−1}² = 0.24
    model = MeanReverting().fit([1.4, 1.2, 0.8, 0.6])
    assert model.speed_ == pytest.approx(0.5)


@pytest.mark.parametrize("speed, mean", [(0.0, [6.0, 6.0]), (1.0, [5.0, 5.0])])
def test_mean_reverting_accepts_speeds_0_and_1(speed, mean):
    # speed 0: a random walk (rho 1); speed 1: straight to the anchor
    out = MeanReverting(anchor=5.0, speed=speed).fit([7.0, 6.5, 7.0, 6.0]).forecast(2)
    assert out["mean"].tolist() == mean


@pytest.mark.parametrize("speed", [-0.1, 1.5])
def test_mean_reverting_rejects_a_speed_outside_0_1(speed):
    with pytest.raises(ValueError, match=f"^speed must be between 0 and 1, got {speed}$"):
        MeanReverting(speed=speed).fit([7.0, 6.5, 7.0, 6.0])


def test_a_model_repr_shows_its_parameters_not_its_fitted_state():
    assert repr(MeanReverting(anchor=5.0)) == "MeanReverting(anchor=5.0, speed=None)"
    assert repr(DampedDrift(0.5).fit(Y4)) == "DampedDrift(phi=0.5)"
    assert repr(AutoForecaster().fit(Y4)) == "AutoForecaster(max_origins=10, min_train=3, multiplicative=None)"
    assert repr(Naive()) == "Naive()"


def test_mean_reverting_on_three_values_keeps_at_least_one_degree_of_freedom():
    # [1, 3, 2]: mean 2, d = [−1, 1, 0], Σ d_t d_{t−1} = −1 → rho 0; residuals [1, 0]; 2 − 2 = 0 dof → 1
    assert MeanReverting().fit([1.0, 3.0, 2.0]).sigma_ == pytest.approx(1.0)


def test_single_model_paths_have_the_forecast_mean_and_sd_and_random_walk_ties():
    # Naive on Y4: mean 7, sd_k = √5·√(k(1 + k/4)) = 2.5, 3.873; z_k = (e_1 + … + e_k)/√k → corr 1/√2
    paths = Naive().fit(Y4).simulate(2, draws=40_000, rng=np.random.default_rng(0))
    assert paths.mean(axis=0) == pytest.approx([7.0, 7.0], abs=0.05)
    assert paths.std(axis=0) == pytest.approx(_point_sd(np.sqrt(5), 4, 2), rel=0.02)
    assert np.corrcoef(paths.T)[0, 1] == pytest.approx(1 / np.sqrt(2), abs=0.02)


def test_single_model_simulates_a_thousand_paths_by_default():
    assert Drift().fit(Y4).simulate(2).shape == (1000, 2)


def test_single_model_paths_accept_a_seed_for_the_generator():
    a = Drift().fit(Y4).simulate(2, draws=5, rng=11)
    assert np.array_equal(a, Drift().fit(Y4).simulate(2, draws=5, rng=np.random.default_rng(11)))


# statsmodels wrappers: forecasts with closed forms on Y8 (mean 4.5, mean change 6/7)
Y8 = [1.0, 2.0, 4.0, 3.0, 5.0, 6.0, 8.0, 7.0]
LINE = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]


@pytest.mark.parametrize("order, trend, mean", [
    ((0, 1, 0), None, [7 + 6 / 7, 7 + 12 / 7]),          # d = 1: drift by default
    ((0, 1, 0), "n", [7.0, 7.0]),                        # a random walk on request
    ((0, 0, 0), None, [4.5, 4.5]),                       # d = 0: a constant, the mean
    ((0, 2, 0), None, [6.0, 5.0]),                       # d = 2: no trend term, the last change continues
    ((0, 3, 0), None, [3.0, -4.0]),                      # d = 3: the last change of change, −3, continues
])
def test_arima_trend_term_follows_the_differencing_order(order, trend, mean):
    assert ARIMA(order, trend=trend).fit(Y8).forecast(2)["mean"].to_numpy() == pytest.approx(mean, abs=1e-4)


def test_ets_without_trend_is_flat_and_undamped_holt_continues_a_line():
    assert ETS(trend=None).fit(LINE).forecast(3)["mean"].to_numpy() == pytest.approx([8.0] * 3, abs=1e-3)
    assert ETS(damped_trend=False).fit(LINE).forecast(3)["mean"].to_numpy() == pytest.approx([9, 10, 11], abs=1e-3)


def test_ets_damps_its_trend_by_default():
    mean = ETS().fit(LINE).forecast(3)["mean"].to_numpy()
    assert np.all(np.diff(mean) > 0.5) and np.all(mean < [9, 10, 11])


def test_local_level_is_flat_and_local_linear_trend_continues_a_line(capsys):
    assert LocalLevel().fit(LINE).forecast(3)["mean"].to_numpy() == pytest.approx([8.0] * 3, abs=1e-3)
    assert LocalLinearTrend().fit(LINE).forecast(3)["mean"].to_numpy() == pytest.approx([9, 10, 11], abs=1e-3)
    assert capsys.readouterr().out == ""  # the optimiser prints nothing


# ---------------------------------------------------------------- input errors: the whole message

@pytest.mark.parametrize("y, message", [
    ([1.0, "a", 3.0], r"^y must be numeric: could not convert string to float: 'a'$"),
    ([[1.0, 2.0, 3.0]] * 2, r"^y must be 1-D, got an array of shape \(2, 3\)$"),
    ([1.0, 2.0], r"^y needs at least 3 values to forecast, got 2$"),
    ([1.0, np.nan, 3.0, np.inf], r"^y must be finite: value nan at position 1$"),
    ([1.0, 2.0, -np.inf], r"^y must be finite: value -inf at position 2$"),
])
def test_bad_series_error_says_what_is_wrong_and_where(y, message):
    with pytest.raises(ValueError, match=message):
        forecast(y, 2)


@pytest.mark.parametrize("h", [0, True, 2.0])
def test_bad_horizon_error_names_the_value(h):
    with pytest.raises(ValueError, match=rf"^h must be a positive integer, got {h!r}$"):
        Drift().fit(Y4).forecast(h)


def test_a_numpy_integer_horizon_is_accepted():
    assert len(Drift().fit(Y4).forecast(np.int64(2))) == 2


@pytest.mark.parametrize("level", [100, 0, True, "95"])
def test_bad_level_error_names_the_value(level):
    with pytest.raises(ValueError, match=rf"^level must be percentages strictly between 0 and 100, got {level!r}$"):
        Drift().fit(Y4).forecast(2, level=level)


def test_a_single_level_and_a_fractional_level_name_their_columns():
    assert list(Drift().fit(Y4).forecast(2, level=97.5).columns) == ["mean", "lo_97.5", "hi_97.5"]


def test_forecast_before_fit_names_the_model():
    with pytest.raises(ValueError, match=r"^Theta is not fitted yet; call fit\(y\) first$"):
        Theta().simulate(2)


def test_statsmodels_theta_95_interval_is_statsmodels_own():
    from statsmodels.tsa.forecasting.theta import ThetaModel

    own = np.asarray(ThetaModel(np.array(Y8), deseasonalize=False).fit().prediction_intervals(3, alpha=0.05))
    out = StatsmodelsTheta().fit(Y8).forecast(3, level=(95,))
    assert out[["lo_95", "hi_95"]].to_numpy() == pytest.approx(own)


# ---------------------------------------------------------------- the auto forecaster's pool members

def _reference_damped_holt(y, h, phi=0.9):
    """Additive damped-trend smoothing, one (alpha, beta) of the grid at a time, the least-squares one kept."""
    best = None
    for alpha in (0.2, 0.5, 0.8, 1.0):
        for beta in (0.05, 0.2, 0.5):
            level, trend, sse = y[0], y[1] - y[0], 0.0
            for value in y[1:]:
                f = level + phi * trend
                sse += (value - f) ** 2
                level = f + alpha * (value - f)
                trend = phi * trend + alpha * beta * (value - f)
            if best is None or sse < best[0]:
                best = (sse, level, trend)
    _, level, trend = best
    return level + trend * np.cumsum(phi ** np.arange(1, h + 1))


@pytest.mark.parametrize("y", [[10.0, 14.0, 9.0, 15.0, 11.0, 16.0, 12.0], [1.0, 2.0, 4.0, 3.0, 5.0, 6.0, 8.0, 7.0]])
def test_damped_holt_member_matches_the_textbook_recursion(y):
    from econsim.forecasting.models import _POOL

    assert _POOL["damped_holt"](np.array(y), 3) == pytest.approx(_reference_damped_holt(y, 3))


def test_log_damped_drift_member_grows_the_last_value_by_damped_mean_growth():
    # log slope ln(8/1)/3 = ln 2 per step → 8·2^0.8, 8·2^(0.8 + 0.64)
    from econsim.forecasting.models import _LOG_POOL

    name, fn = _LOG_POOL["damped_drift"]
    assert name == "log_damped_drift"
    assert fn(np.array([1.0, 3.0, 2.0, 8.0]), 2) == pytest.approx(8 * 2 ** np.array([0.8, 1.44]))


def test_log_theta_member_is_theta_on_the_logs_taken_back():
    from econsim.forecasting.models import _LOG_POOL

    y = np.array([10.0, 14.0, 9.0, 15.0, 11.0, 16.0, 12.0])
    name, fn = _LOG_POOL["theta"]
    assert name == "log_theta"
    assert fn(y, 3) == pytest.approx(np.exp(_reference_theta(np.log(y), 3)))


def test_mean_reverting_member_closes_the_gap_to_the_mean_by_the_least_squares_persistence():
    # as for MeanReverting: y = 10 + [4, 2, 1, −1, −2, −4], rho = 19/26 → 10 − 4·rho^k
    from econsim.forecasting.models import _POOL

    y = 10 + np.array([4.0, 2.0, 1.0, -1.0, -2.0, -4.0])
    assert _POOL["mean_reverting"](y, 3) == pytest.approx(10 - 4 * (19 / 26) ** np.arange(1, 4))


def test_a_level_below_one_percent_is_a_valid_narrow_interval():
    # 0.5%: half-width z(0.5025)·sd, with sd = √(3.25/2)·√(1·(1 + 1/4)) for Drift on Y4
    out = Drift().fit(Y4).forecast(1, level=0.5)
    assert out["hi_0.5"].iloc[0] - 9.0 == pytest.approx(0.0062666 * np.sqrt(3.25 / 2 * 1.25), rel=1e-4)
