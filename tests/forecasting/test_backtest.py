"""Specification of econsim.backtest: metrics as BENCHMARKS.md defines them, rolling origins."""
import numpy as np
import pandas as pd
import pytest

from econsim.forecasting.auto import forecast
from econsim.forecasting.models import Drift, Naive
from econsim.forecasting.backtest import backtest, coverage, mase, mase_scale, msis, smape


# ---------------------------------------------------------------- metrics, by hand

def test_smape_is_the_m3_definition():
    # 200·10/210 = 9.5238…, 200·20/380 = 10.5263…
    assert smape([100, 200], [110, 180]) == pytest.approx((2000 / 210 + 4000 / 380) / 2)


def test_smape_of_two_zeros_counts_as_no_error():
    assert smape([0.0, 10.0], [0.0, 10.0]) == 0.0


def test_mase_divides_by_the_mean_absolute_change_of_training_values():
    # scale = (|12−10| + |11−12|)/2 = 1.5; mean |error| = (1 + 3)/2 = 2
    assert mase([12, 14], [11, 11], train=[10, 12, 11]) == pytest.approx(2 / 1.5)


def test_mase_scale_is_mean_absolute_one_step_change():
    assert mase_scale([10, 12, 11, 15]) == pytest.approx((2 + 1 + 4) / 3)


def test_coverage_is_the_share_inside_closed_intervals():
    # 1 ∈ [0, 2] yes; 2 ∈ [2.5, 3] no; 3 ∈ [2, 4] yes (on the edge counts); 4 ∈ [5, 6] no
    assert coverage([1, 2, 3, 4], [0, 2.5, 3, 5], [2, 3, 4, 6]) == 0.5


def test_coverage_counts_both_edges_as_inside():
    assert coverage([2.0, 4.0], [2.0, 2.0], [4.0, 4.0]) == 1.0


def test_msis_adds_40_times_the_miss_to_the_width_and_scales():
    # widths 4; misses: 20 above 12 by 8 → 320, 5 below 8 by 3 → 120; scale of [0,2,4] = 2
    assert msis([10, 20, 5], [8, 8, 8], [12, 12, 12], train=[0, 2, 4]) == pytest.approx((4 + 324 + 124) / 3 / 2)


def test_metrics_reject_arrays_of_different_shapes_even_when_they_broadcast():
    with pytest.raises(ValueError, match=r"same shape, got \(3,\) and \(1,\)"):
        smape([1, 2, 3], [1])
    with pytest.raises(ValueError, match="same shape"):
        coverage([1, 2], [0, 0], [3])


def test_smape_of_values_below_one_is_not_zero():
    # 200·0.2/0.6
    assert smape([0.2], [0.4]) == pytest.approx(200 / 3)


def test_mase_scale_of_one_value_is_refused():
    with pytest.raises(ValueError, match="at least 2 training values"):
        mase_scale([5.0])


# ---------------------------------------------------------------- backtest

def test_backtest_evaluates_every_origin_up_to_h_steps():
    result = backtest([1.0, 2.0, 3.0, 4.0, 5.0], model=Naive, h=2, min_train=3)
    errors = result.errors
    assert list(zip(errors.origin, errors.step)) == [(3, 1), (3, 2), (4, 1)]
    assert errors.error.tolist() == [1.0, 2.0, 1.0]
    assert list(errors.columns) == ["origin", "step", "mean", "lo_80", "hi_80", "lo_95", "hi_95", "actual", "error",
                                    "scale"]
    assert list(errors.index) == [0, 1, 2]


def test_backtest_fits_a_model_instance_afresh_at_each_origin():
    # drift on [1, 2, 4] is (4 − 1)/2 = 1.5 a step: 5.5, 7.0; on [1, 2, 4, 8] it is 7/3: 31/3
    result = backtest([1.0, 2.0, 4.0, 8.0, 16.0], model=Drift(), h=2, min_train=3, level=(50,))
    assert result.summary["failures"] == 0 and "coverage_50" in result.summary.index
    assert result.errors["mean"].tolist() == pytest.approx([5.5, 7.0, 8 + 7 / 3])


def test_backtest_scores_a_model_returning_nan_as_naive_and_counts_it():
    def nan_model(y, h, level):
        return pd.DataFrame({c: [np.nan] * h for c in ["mean"] + [f"{s}_{lv:g}" for lv in level for s in ("lo", "hi")]})

    result = backtest([1.0, 2.0, 4.0, 8.0], model=nan_model, h=1)
    assert result.summary["failures"] == 1 and result.errors["mean"].tolist() == [4.0]


def test_backtest_summary_mase_averages_errors_each_divided_by_its_own_origins_scale():
    # Naive one step ahead on a doubling series; origin o trains on y[:o]:
    #   o=2: train [1, 2]        scale 1,   forecast 2, actual 4,  |e| 2 → 2
    #   o=3: train [1, 2, 4]     scale 3/2, forecast 4, actual 8,  |e| 4 → 8/3
    #   o=4: train [1, 2, 4, 8]  scale 7/3, forecast 8, actual 16, |e| 8 → 24/7
    # (mean |e| over mean scale would be (14/3)/(29/18) = 2.897)
    result = backtest([1.0, 2.0, 4.0, 8.0, 16.0], model=Naive(), h=1, min_train=2)
    assert result.summary["failures"] == 1  # a model needs 3 values: origin 2 is scored as naive, the same here
    assert result.summary["mase"] == pytest.approx((2 + 8 / 3 + 24 / 7) / 3)  # 2.698
    assert result.errors["scale"].tolist() == pytest.approx([1.0, 1.5, 7 / 3])


def _band(y, h, level):
    """Last value ± 1 at every level and step."""
    cols = {"mean": [y[-1]] * h}
    for lv in level:
        cols[f"lo_{lv:g}"] = [y[-1] - 1.0] * h
        cols[f"hi_{lv:g}"] = [y[-1] + 1.0] * h
    return pd.DataFrame(cols)


def test_backtest_summary_msis_penalises_a_miss_by_two_over_alpha_and_divides_by_the_scale():
    # scale 2 at both origins (train [0, 2] and [0, 2, 4]);
    # o=2: band [1, 3], actual 4 above by 1:  score 2 + (2/0.05)·1 = 42  → 21
    # o=3: band [3, 5], actual −3 below by 6: score 2 + (2/0.05)·6 = 242 → 121; mean 71 (36 with 1/α)
    result = backtest([0.0, 2.0, 4.0, -3.0], model=_band, h=1, min_train=2, level=(80, 95))
    assert result.summary["msis"] == pytest.approx((42 / 2 + 242 / 2) / 2)
    assert result.summary["coverage_95"] == 0.0 and result.summary["coverage_80"] == 0.0
    assert result.summary["smape"] == pytest.approx((200 * 2 / 6 + 200 * 7 / 7) / 2)
    assert result.summary["failures"] == 0 and result.summary["origins"] == 2


def test_backtest_summary_coverage_counts_each_level_by_its_own_bounds():
    def nested(y, h, level):
        return pd.DataFrame({"mean": [y[-1]] * h, "lo_80": [y[-1]] * h, "hi_80": [y[-1] + 1.0] * h,
                             "lo_95": [y[-1] - 5.0] * h, "hi_95": [y[-1] + 5.0] * h})

    # one-step changes +1, +3, −2: the 80% band [last, last + 1] holds only the first
    result = backtest([0.0, 1.0, 4.0, 2.0], model=nested, h=1, min_train=2, level=(80, 95))
    assert result.summary["coverage_80"] == 0.0 and result.summary["coverage_95"] == 1.0


def test_backtest_accepts_the_forecast_function():
    result = backtest([3.0, 5.0, 4.0, 6.0, 7.0, 6.5, 8.0], model=forecast, h=2)
    assert result.summary["failures"] == 0
    assert {"mean", "lo_80", "hi_95", "actual"} <= set(result.errors.columns)


def test_backtest_accepts_any_callable_returning_the_frame():
    def last_value(y, h, level):
        return pd.DataFrame({"mean": [y[-1]] * h, **{f"{s}_{lv}": [y[-1]] * h
                                                      for lv in level for s in ("lo", "hi")}})

    result = backtest([1.0, 2.0, 3.0, 4.0], model=last_value, h=1)
    assert result.errors.error.tolist() == [1.0]


def test_backtest_scores_a_failing_model_as_naive_and_counts_it():
    def broken(y, h, level):
        raise RuntimeError("boom")

    result = backtest([1.0, 2.0, 4.0, 8.0, 16.0], model=broken, h=1)
    assert result.summary["failures"] == 2
    assert result.errors["mean"].tolist() == [4.0, 8.0]


def test_backtest_rejects_min_train_not_below_the_length():
    with pytest.raises(ValueError, match="min_train"):
        backtest([1.0, 2.0, 3.0], model=Naive, h=1, min_train=3)


@pytest.mark.parametrize("min_train", [1, 2.5, True])
def test_backtest_rejects_min_train_that_is_not_an_integer_of_at_least_two(min_train):
    with pytest.raises(ValueError, match="min_train must be an integer ≥ 2"):
        backtest([1.0, 2.0, 3.0, 4.0, 5.0], model=Naive, h=1, min_train=min_train)


def test_backtest_progress_goes_to_stderr(capsys):
    backtest([1.0, 2.0, 3.0, 4.0, 5.0], model=Naive, h=1, progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and "backtest" in captured.err and "2/2" in captured.err


def test_backtest_progress_without_tqdm_counts_origins_on_one_line(capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "tqdm", None)  # import fails
    backtest([1.0, 2.0, 3.0, 4.0, 5.0], model=Naive, h=1, progress=True)
    assert capsys.readouterr() == ("", "\rbacktest 1/2\rbacktest 2/2\n")


def test_backtest_rejects_a_model_that_is_neither_class_instance_nor_callable():
    with pytest.raises(ValueError, match="model must be a model class, a fitted-model instance or a callable, got 42"):
        backtest([1.0, 2.0, 3.0, 4.0], model=42)


def test_backtest_is_silent_by_default(capsys):
    backtest([1.0, 2.0, 3.0, 4.0, 5.0], model=Naive, h=1)
    assert capsys.readouterr() == ("", "")


def test_a_backtest_shows_in_jupyterlab_as_a_table_of_its_summary_with_a_value_column():
    from econsim.forecasting.models import Naive

    result = backtest([1.0, 2.0, 4.0, 8.0, 16.0], Naive(), h=1, min_train=3)
    html = result._repr_html_()
    assert "<th>value</th>" in html
    for metric in ("smape", "mase", "msis", "origins", "failures"):
        assert f"<th>{metric}</th>" in html
