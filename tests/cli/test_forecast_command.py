"""``econsim forecast INDICATOR``: five years ahead with ordered 80% and 95% intervals, history marked."""
from __future__ import annotations

import io

import pandas as pd

FORECAST_COLUMNS = ["mean", "lo_80", "hi_80", "lo_95", "hi_95"]


def test_forecast_gdp_prints_five_years_with_intervals(run_cli):
    code, out, err = run_cli("forecast", "gdp")
    assert code == 0, err
    assert "地区生产总值" in out and all(c in out for c in FORECAST_COLUMNS)
    assert all(str(y) in out for y in range(2026, 2031))


def test_forecast_marks_derived_history_years(run_cli):
    code, out, _ = run_cli("forecast", "gdp")
    assert code == 0 and "2021: 7.07*" in out and "2025: 6.00" in out and "2025: 6.00*" not in out


def test_forecast_gdp_csv_has_five_rows_of_ordered_quantiles(run_cli):
    code, out, err = run_cli("forecast", "gdp", "--format", "csv")
    assert code == 0, err
    fc = pd.read_csv(io.StringIO(out))
    assert list(fc["year"]) == [2026, 2027, 2028, 2029, 2030]
    assert (fc.lo_95 <= fc.lo_80).all() and (fc.lo_80 <= fc["mean"]).all()
    assert (fc["mean"] <= fc.hi_80).all() and (fc.hi_80 <= fc.hi_95).all()
    assert (fc.hi_95 > fc.lo_95).all()


def test_forecast_csv_says_what_its_figures_are(run_cli):
    code, out, _ = run_cli("forecast", "gdp", "--format", "csv")
    df = pd.read_csv(io.StringIO(out))
    assert code == 0 and set(df["status"]) == {"derived"} and set(df["basis"]) == {"comparable"}
    assert set(df["unit"]) == {"pct"} and len(df) == 5
