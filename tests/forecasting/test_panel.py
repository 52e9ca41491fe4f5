"""Specification of econsim.forecast_panel: the long-table contract, cross-learning, bad input."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econsim import InputError, forecast_panel

COLUMNS = ["unique_id", "ds", "mean", "lo_80", "hi_80", "lo_95", "hi_95"]
SHORT = [10.0, 12.0, 11.0, 13.0]  # drift: 14, 15, 16


def long_table(series: dict, last_year: int = 2020) -> pd.DataFrame:
    """One row per (series, year), every series ending in `last_year`."""
    return pd.DataFrame([(key, last_year - len(values) + 1 + i, float(v))
                         for key, values in series.items() for i, v in enumerate(values)],
                        columns=["unique_id", "ds", "y"])


def trending_panel(count: int = 20) -> dict:
    """Steady linear trends (3 a year) with small noise: drift's kind of panel."""
    rng = np.random.default_rng(1)
    return {f"t{i:02d}": list(50 + 3 * np.arange(8) + rng.normal(0, 0.3, 8)) for i in range(count)}


PANEL = long_table({"gdp": [100.0, 106.0, 111.0, 118.0, 124.0, 131.0],
                    "exports": [8.0, 9.5, 9.0, 11.0, 12.5],
                    "growth": [6.8, 6.2, -0.5, 6.0, 5.1, 4.8, 5.2]})


# ---------------------------------------------------------------- the contract

def test_panel_returns_h_rows_per_series_with_the_long_table_columns():
    out = forecast_panel(PANEL, 4)
    assert list(out.columns) == COLUMNS
    assert out.groupby("unique_id").size().to_dict() == {"exports": 4, "gdp": 4, "growth": 4}


def test_panel_continues_each_series_from_its_last_year():
    df = pd.concat([long_table({"a": [1.0, 2.0, 3.0]}, 2019), long_table({"b": [5.0, 4.0, 6.0, 5.5]}, 2024)])
    out = forecast_panel(df, 2)
    assert out[out.unique_id == "a"].ds.tolist() == [2020, 2021]
    assert out[out.unique_id == "b"].ds.tolist() == [2025, 2026]


def test_panel_continues_pandas_periods():
    df = PANEL.assign(ds=pd.PeriodIndex(PANEL.ds.astype(str), freq="Y"))
    out = forecast_panel(df, 2)
    assert out[out.unique_id == "gdp"].ds.tolist() == [pd.Period("2021", "Y"), pd.Period("2022", "Y")]


def test_panel_names_interval_columns_after_the_levels_asked_for():
    out = forecast_panel(PANEL, 2, level=(50, 90))
    assert list(out.columns) == ["unique_id", "ds", "mean", "lo_50", "hi_50", "lo_90", "hi_90"]


def test_panel_accepts_other_column_names():
    df = PANEL.rename(columns={"unique_id": "region", "ds": "year", "y": "value"})
    out = forecast_panel(df, 2, id_col="region", time_col="year", value_col="value")
    assert list(out.columns[:2]) == ["region", "year"]


def test_panel_ignores_row_order():
    shuffled = PANEL.sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(forecast_panel(shuffled, 3), forecast_panel(PANEL, 3))


def test_panel_output_is_byte_identical_for_the_same_input():
    assert forecast_panel(PANEL, 3).to_csv() == forecast_panel(PANEL.copy(), 3).to_csv()


def test_panel_intervals_are_ordered_and_positive_series_keep_positive_bounds():
    out = forecast_panel(PANEL, 5)
    v = out[["lo_95", "lo_80", "mean", "hi_80", "hi_95"]].to_numpy()
    assert (np.diff(v, axis=1) >= 0).all()
    assert (out[out.unique_id != "growth"].lo_95 > 0).all()


def test_panel_keeps_additive_intervals_for_a_series_with_a_negative_value():
    g = forecast_panel(PANEL, 3).query("unique_id == 'growth'")
    assert np.allclose(g.hi_95 - g["mean"], g["mean"] - g.lo_95)


def test_panel_of_a_level_shift_series_has_sane_bounds():
    y = [1, 1.2, 1.1, 1.5, 2, 3, 40, 45, 50, 48, 60, 58, 70, 65, 80.0]
    out = forecast_panel(long_table({"fdi": y}), 5)
    assert (out.lo_95 > 0).all() and (out.hi_95 < 10 * max(y)).all()


def test_panel_output_does_not_depend_on_how_the_series_are_partitioned():
    rng = np.random.default_rng(3)
    series = {f"r{i:02d}": 100 * np.exp(np.cumsum(rng.normal(0.05, 0.1, 4 + i % 6))) for i in range(30)}
    series.update({f"g{i}": rng.normal(2, 3, 7) for i in range(5)})       # growth rates, some negative
    panel = long_table(series)
    whole = forecast_panel(panel, 3).to_csv(index=False)
    for partitions in (2, 7, 35):
        assert forecast_panel(panel, 3, partitions=partitions).to_csv(index=False) == whole


def test_panel_refuses_zero_partitions():
    with pytest.raises(ValueError, match="partitions"):
        forecast_panel(PANEL, 2, partitions=0)


# ---------------------------------------------------------------- learning across series

def test_a_trending_panel_pulls_a_short_series_towards_drift():
    alone = forecast_panel(long_table({"short": SHORT}), 3)["mean"].to_numpy()
    panel = forecast_panel(long_table({**trending_panel(), "short": SHORT}), 3)
    within = panel[panel.unique_id == "short"]["mean"].to_numpy()
    drift = np.array([14.0, 15.0, 16.0])
    assert np.all(np.abs(within - drift) < np.abs(alone - drift))


def test_growing_neighbours_lift_a_short_series_trend_more_than_flat_ones():
    rng = np.random.default_rng(2)
    short = [100.0, 103.0, 101.0, 106.0, 104.0, 108.0]
    growing = {f"g{i}": list((10 + i) * 1.05 ** np.arange(8) * np.exp(rng.normal(0, 0.01, 8))) for i in range(20)}
    flat = {f"f{i}": list((10 + i) * np.exp(rng.normal(0, 0.01, 8))) for i in range(20)}
    up = forecast_panel(long_table({**growing, "s": short}), 3).query("unique_id == 's'")["mean"].to_numpy()
    level = forecast_panel(long_table({**flat, "s": short}), 3).query("unique_id == 's'")["mean"].to_numpy()
    assert np.all(up > level)
    assert up[2] / short[-1] > 1.05  # more than a year's 5% growth over three years


def test_a_calm_panel_narrows_a_short_series_intervals():
    alone = forecast_panel(long_table({"short": SHORT}), 3)
    panel = forecast_panel(long_table({**trending_panel(), "short": SHORT}), 3).query("unique_id == 'short'")
    assert np.all((panel.hi_80 - panel.lo_80).to_numpy() < (alone.hi_80 - alone.lo_80).to_numpy())


# ---------------------------------------------------------------- bad input

def test_a_series_shorter_than_three_values_is_named():
    df = long_table({"gdp": [1.0, 2.0, 3.0], "tiny": [4.0, 5.0]})
    with pytest.raises(InputError, match="series 'tiny' has 2 values"):
        forecast_panel(df, 2)


def test_a_non_finite_value_is_named_with_its_series_and_year():
    df = long_table({"gdp": [1.0, 2.0, 3.0], "bad": [4.0, np.nan, 5.0]})
    with pytest.raises(InputError, match="series 'bad': missing value at ds 2019"):
        forecast_panel(df, 2)


def test_an_infinite_value_is_named():
    df = long_table({"gdp": [1.0, 2.0, 3.0], "bad": [4.0, np.inf, 5.0]})
    with pytest.raises(InputError, match="series 'bad': value 'inf' at ds 2019"):
        forecast_panel(df, 2)


def test_a_missing_column_is_named():
    with pytest.raises(InputError, match="missing column 'y'") as info:
        forecast_panel(PANEL.rename(columns={"y": "value"}), 2)
    assert info.value.key == "y"


def test_a_duplicate_series_and_year_is_named():
    df = pd.concat([PANEL, PANEL.iloc[[1]]])
    with pytest.raises(InputError, match="series 'gdp': ds 2016 appears twice"):
        forecast_panel(df, 2)


def test_a_gap_in_the_years_is_named():
    df = PANEL.drop(index=2)
    with pytest.raises(InputError, match="series 'gdp': ds jumps from 2016 to 2018"):
        forecast_panel(df, 2)


def test_a_bad_horizon_is_a_value_error():
    with pytest.raises(ValueError, match="h must be a positive integer"):
        forecast_panel(PANEL, 0)
