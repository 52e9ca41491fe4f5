"""Specification of econsim.forecasting.auto: the weighting, the out-of-sample scale and the intervals.

Most tests give AutoForecaster a pool of two methods whose forecasts are known by hand ("last": the last
value; "mean": the mean of the training window), so every weight, error and width can be checked.
"""
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from econsim.forecasting.auto import AutoForecaster, forecast, simulate_paths


def _last(y, h):
    return np.repeat(y[-1], h)


def _mean(y, h):
    return np.repeat(np.mean(y), h)


class TwoMethods(AutoForecaster):
    def _pool(self, y):
        return {"last": _last, "mean": _mean}


# y = [1, 2, 4, 3, 5], min_train 3 → origins 3 and 4.
#   origin 3: train [1, 2, 4], actual [3, 5]; last → [4, 4]; mean → [7/3, 7/3]
#   origin 4: train [1, 2, 4, 3], actual [5]; last → [3]; mean → [2.5]
Y = [1.0, 2.0, 4.0, 3.0, 5.0]
# final weights: MAE last (1 + 1 + 2)/3 = 4/3, mean (2/3 + 8/3 + 5/2)/3 = 35/18; weight ∝ 1/MAE²
_W = np.array([(3 / 4) ** 2, (18 / 35) ** 2])
W_LAST, W_MEAN = _W / _W.sum()


def test_final_weights_are_inverse_squared_mean_absolute_errors_over_every_origin():
    model = TwoMethods(multiplicative=False).fit(Y)
    assert model.weights_["last"] == pytest.approx(W_LAST)
    assert model.weights_["mean"] == pytest.approx(W_MEAN)


def test_point_forecast_is_the_weighted_combination_of_the_methods_on_the_whole_series():
    # last → 5, mean → 3 at every step
    out = TwoMethods(multiplicative=False).fit(Y).forecast(3)
    assert out["mean"].to_numpy() == pytest.approx(np.full(3, 5 * W_LAST + 3 * W_MEAN))


# Out-of-sample errors of the combination, in units of the training window's mean absolute change × k:
#   origin 3: no errors seen yet → equal weights, combo 19/6; local scale (1 + 2)/2 = 1.5;
#             (3 − 19/6)/(1.5·1) = −1/9, (5 − 19/6)/(1.5·2) = 11/18
#   origin 4: only origin 3's first forecast seen (last off by 1, mean by 2/3) → weights 4/13, 9/13,
#             combo (4·3 + 9·2.5)/13 = 69/26; local scale (1 + 2 + 1)/3 = 4/3; (5 − 69/26)·3/4 = 183/104
ADDITIVE_ERRORS = [-1 / 9, 11 / 18, 183 / 104]


def test_additive_errors_use_only_weights_learnt_before_each_origin_and_the_local_scale():
    model = TwoMethods(multiplicative=False).fit(Y)
    assert model.errors_ == pytest.approx(ADDITIVE_ERRORS)
    assert model.origins_ == 2


def test_additive_scale_pools_the_errors_with_two_unit_pseudo_errors():
    model = TwoMethods(multiplicative=False).fit(Y)
    assert model.sigma_ == pytest.approx(np.sqrt((2 + np.sum(np.square(ADDITIVE_ERRORS))) / 5))
    assert model.df_ == 4


def test_additive_half_width_is_t_quantile_times_sigma_times_mean_change_times_k():
    # whole series' mean absolute change (1 + 2 + 1 + 2)/4 = 1.5; Student t with 2 + 3 − 1 = 4 df
    sigma = np.sqrt((2 + np.sum(np.square(ADDITIVE_ERRORS))) / 5)
    out = TwoMethods(multiplicative=False).fit(Y).forecast(3, level=(80, 95))
    k = np.arange(1, 4)
    for lv, p in [("80", 0.9), ("95", 0.975)]:
        half = stats.t.ppf(p, 4) * sigma * 1.5 * k
        assert (out["hi_" + lv] - out["mean"]).to_numpy() == pytest.approx(half)
        assert (out["mean"] - out["lo_" + lv]).to_numpy() == pytest.approx(half)


# Multiplicative (Y is positive): errors are relative deviations from the combination (r − 1 above,
# 1 − 1/r below, r = actual/combo) in units of the mean absolute log change ln(80/9)/4, times k:
#   origin 3: 3 vs 19/6 → −1/18; 5 vs 19/6 → 11/19 (k = 2);  origin 4: 5 vs 69/26 → 61/69
LOG_SCALE = np.log(80 / 9) / 4
MULTIPLICATIVE_ERRORS = [-1 / 18 / LOG_SCALE, 11 / 19 / (2 * LOG_SCALE), 61 / 69 / LOG_SCALE]


def test_positive_series_errors_are_relative_deviations_in_mean_absolute_log_changes():
    model = TwoMethods().fit(Y)
    assert model.multiplicative_ is True
    assert model.errors_ == pytest.approx(MULTIPLICATIVE_ERRORS)


def test_positive_series_bounds_are_mean_times_and_over_one_plus_the_deviation():
    sigma = np.sqrt((2 + np.sum(np.square(MULTIPLICATIVE_ERRORS))) / 5)
    out = TwoMethods().fit(Y).forecast(2, level=(95,))
    d = stats.t.ppf(0.975, 4) * sigma * LOG_SCALE * np.arange(1, 3)
    assert out["mean"].to_numpy() == pytest.approx(np.full(2, 5 * W_LAST + 3 * W_MEAN))
    assert (out["hi_95"] / out["mean"]).to_numpy() == pytest.approx(1 + d)
    assert (out["mean"] / out["lo_95"]).to_numpy() == pytest.approx(1 + d)


@pytest.mark.parametrize("jump", [9.0, -9.0])
def test_errors_beyond_three_units_either_way_count_as_three_in_the_scale(jump):
    # y = [1, 1, 1, 1, 1 + jump]: both methods forecast 1 throughout; the windows [1, 1, 1] and [1, 1, 1, 1]
    # have no change, so the whole series' mean change 9/4 is the unit: errors 0, jump/(2.25·2), jump/2.25
    model = TwoMethods(multiplicative=False).fit([1.0, 1.0, 1.0, 1.0, 1.0 + jump])
    errors = np.array([0.0, jump / 4.5, jump / 2.25])
    assert model.errors_ == pytest.approx(errors)
    clipped = np.clip(errors, -3, 3)  # the last, ±4, counts as ±3
    assert model.sigma_ == pytest.approx(np.sqrt((2 + np.sum(clipped ** 2)) / 5))


def test_a_negative_combination_is_floored_at_a_thousandth_of_the_smallest_value():
    class Negative(AutoForecaster):
        def _pool(self, y):
            return {"negative": lambda y, h: np.full(h, -1.0)}

    out = Negative().fit([4.0, 2.0, 3.0, 5.0]).forecast(2)
    assert out["mean"].tolist() == pytest.approx([0.002, 0.002])
    assert (out["lo_95"] > 0).all()


def test_max_origins_keeps_only_the_latest_origins():
    # origin 4 alone: equal weights, combo (3 + 2.5)/2 = 2.75; (5 − 2.75)/(4/3) = 1.6875
    model = TwoMethods(max_origins=1, multiplicative=False).fit(Y)
    assert model.origins_ == 1
    assert model.errors_ == pytest.approx([1.6875])


def test_min_train_sets_the_first_origin():
    model = TwoMethods(min_train=4, multiplicative=False).fit(Y)
    assert model.origins_ == 1
    assert model.errors_ == pytest.approx([1.6875])


def test_a_two_value_window_is_scaled_by_its_own_change():
    # min_train 2: origin 2 trains on [1, 2] (mean change 1), equal weights, combo (2 + 1.5)/2 = 1.75;
    # actual [4, 3, 5] → (4 − 1.75)/1, (3 − 1.75)/2, (5 − 1.75)/3
    model = TwoMethods(min_train=2, multiplicative=False).fit(Y)
    assert model.origins_ == 3
    assert model.errors_[:3] == pytest.approx([2.25, 0.625, 13 / 12])


def test_a_one_value_window_is_scaled_by_the_whole_series_mean_change():
    # min_train 1: origin 1 trains on [1] (no change to measure), combo 1; unit 1.5 → (2 − 1)/1.5
    model = TwoMethods(min_train=1, multiplicative=False).fit(Y)
    assert model.errors_[0] == pytest.approx(2 / 3)


def test_fifteen_values_use_the_latest_ten_origins_by_default():
    model = AutoForecaster().fit(np.arange(1.0, 16.0) ** 1.5)
    assert model.origins_ == 10
    assert model.errors_.size == 10 + 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2 + 1


def test_a_method_with_no_past_error_takes_almost_all_the_weight():
    # every value after the first three is 7: "exact" never misses, "off" always misses by 1
    class ExactAndOff(AutoForecaster):
        def _pool(self, y):
            return {"exact": lambda y, h: np.full(h, 7.0), "off": lambda y, h: np.full(h, 8.0)}

    weights = ExactAndOff().fit([7.0, 5.0, 9.0, 7.0, 7.0, 7.0]).weights_
    assert weights["exact"] > 1 - 1e-6


def test_a_method_returning_non_finite_values_is_replaced_by_the_naive_forecast():
    class Broken(AutoForecaster):
        def _pool(self, y):
            return {"last": _last, "broken": lambda y, h: np.full(h, np.nan)}

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = Broken(multiplicative=False).fit(Y)
        out = model.forecast(2)
    assert model.weights_ == pytest.approx({"last": 0.5, "broken": 0.5})
    assert out["mean"].tolist() == [5.0, 5.0]


def test_a_method_that_overflows_says_nothing_and_is_replaced_by_the_naive_forecast():
    class Overflowing(AutoForecaster):
        def _pool(self, y):
            return {"last": _last, "explodes": lambda y, h: np.exp(np.full(h, 1e4))}

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = Overflowing(multiplicative=False).fit(Y).forecast(2)
    assert out["mean"].tolist() == [5.0, 5.0]


def test_a_series_with_a_zero_uses_additive_members_and_intervals():
    model = AutoForecaster().fit([0.0, 2.0, 1.0, 3.0, 2.5])
    assert model.multiplicative_ is False and model.log_scale_ == 0.0
    assert {"theta", "damped_drift"} <= set(model.weights_)


def test_additive_intervals_on_request_keep_the_log_members_of_a_positive_series():
    model = AutoForecaster(multiplicative=False).fit([100.0, 104.0, 109.5, 113.0, 118.2])
    assert model.multiplicative_ is False
    assert {"log_theta", "log_damped_drift"} <= set(model.weights_)


def test_multiplicative_on_request_for_a_positive_series():
    model = AutoForecaster(multiplicative=True).fit([1.0, 2.0, 4.0, 3.0, 5.0])
    assert model.multiplicative_ is True and model.log_scale_ == pytest.approx(LOG_SCALE)


def test_multiplicative_on_request_refuses_a_zero():
    with pytest.raises(ValueError, match="^multiplicative intervals need every value > 0$"):
        AutoForecaster(multiplicative=True).fit([0.0, 2.0, 1.0])


def test_simulated_paths_have_the_intervals_t_quantiles():
    model = TwoMethods(multiplicative=False).fit(Y)
    paths = model.simulate(3, draws=40_000, rng=np.random.default_rng(0))
    out = model.forecast(3, level=(80,))
    width = (out["hi_80"] - out["lo_80"]).to_numpy()
    assert np.percentile(paths, 90, axis=0) == pytest.approx(out["hi_80"].to_numpy(), abs=0.03 * width.max())
    assert np.percentile(paths, 10, axis=0) == pytest.approx(out["lo_80"].to_numpy(), abs=0.03 * width.max())


def test_simulated_steps_are_tied_like_a_random_walk():
    # z_k = (e_1 + … + e_k)/√k: corr(z_1, z_2) = 1/√2 (the common t scale leaves it unchanged)
    paths = TwoMethods(multiplicative=False).fit(Y).simulate(3, draws=40_000, rng=np.random.default_rng(1))
    assert np.corrcoef(paths.T)[0, 1] == pytest.approx(1 / np.sqrt(2), abs=0.03)


def test_default_numbers_of_paths():
    assert TwoMethods().fit(Y).simulate(2).shape == (1000, 2)
    assert simulate_paths(Y, 2).shape == (10_000, 2)


# ---------------------------------------------------------------- the module's functions

def test_forecast_of_a_series_without_period_index_is_indexed_from_zero():
    out = forecast(pd.Series([6.8, 6.2, 6.5, 6.0], index=[10, 11, 12, 13]), 2)
    assert list(out.index) == [0, 1]


def test_forecast_of_a_quarterly_series_is_indexed_by_the_following_quarters():
    y = pd.Series([6.8, 6.2, 6.5, 6.0], index=pd.period_range("2024Q1", periods=4, freq="Q"))
    assert list(forecast(y, 2).index) == list(pd.period_range("2025Q1", periods=2, freq="Q"))


def test_forecast_of_all_zeros_is_zero():
    assert np.array_equal(forecast([0.0, 0.0, 0.0, 0.0], 2).to_numpy(), np.zeros((2, 5)))


def test_forecast_passes_multiplicative_on():
    out = forecast([1.0, 2.0, 4.0, 3.0, 5.0], 2, multiplicative=False)
    assert (out["hi_95"] - out["mean"]).to_numpy() == pytest.approx((out["mean"] - out["lo_95"]).to_numpy())


def test_simulate_paths_passes_multiplicative_on():
    with pytest.raises(ValueError, match="every value > 0"):
        simulate_paths([-1.0, 2.0, 3.0], 2, draws=10, seed=1, multiplicative=True)


def test_simulate_paths_refuses_both_a_seed_and_a_generator():
    with pytest.raises(ValueError, match="^give either rng or seed, not both$"):
        simulate_paths([1.0, 2.0, 3.0], 2, draws=10, seed=1, rng=np.random.default_rng(1))


@pytest.mark.parametrize("magnitude", [1e-200, 1e200])
def test_simulate_paths_of_extreme_magnitudes_scale_with_the_data(magnitude):
    y = np.array([1.0, 1.1, 1.3, 1.2])
    paths = simulate_paths(y * magnitude, 2, draws=50, seed=3)
    assert paths / magnitude == pytest.approx(simulate_paths(y, 2, draws=50, seed=3), rel=1e-9)
