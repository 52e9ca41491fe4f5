"""Specification of the command line's contract: output formats, exit codes, one-line errors."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest


def test_data_csv_has_the_contract_header(run_cli):
    code, out, err = run_cli("data", "--format", "csv")
    assert code == 0
    header = out.splitlines()[0].split(",")
    for col in ("region", "indicator", "period", "measure", "value", "unit", "status", "source"):
        assert col in header


def test_data_region_filter_keeps_only_that_region(run_cli):
    code, out, _ = run_cli("data", "--region", "dalian", "--format", "csv")
    df = pd.read_csv(io.StringIO(out))
    assert code == 0 and set(df["region"]) == {"dalian"}


@pytest.mark.parametrize("as_of, imf_2026", [("2025-11", [4.2, 4.2]), ("2026-02", [4.2, 4.2, 4.5, 4.5])])
def test_data_as_of_shows_the_national_forecasts_published_by_then(run_cli, as_of, imf_2026):
    code, out, _ = run_cli("data", "--region", "china", "--as-of", as_of, "--format", "csv")
    df = pd.read_csv(io.StringIO(out), dtype={"period": str})
    fc = df[(df["status"] == "forecast") & (df["period"] == "2026")]
    assert code == 0 and sorted(fc["value"]) == imf_2026


def test_run_prints_the_chance_of_meeting_every_2026_growth_target_together(run_cli, tmp_path):
    code, out, _ = run_cli("run", "baseline", "--draws", "500", "--seed", "1", "--out", tmp_path / "o")
    assert code == 0 and "P(all 6 growth targets of 2026 met together) = " in out


def test_data_json_is_a_list_of_records(run_cli):
    code, out, _ = run_cli("data", "--region", "dlhitech", "--format", "json")
    records = json.loads(out)
    assert code == 0 and {r["region"] for r in records} == {"dlhitech"}


def test_data_table_shows_chinese_names(run_cli):
    code, out, _ = run_cli("data", "--region", "dlhitech")
    assert code == 0 and "地区生产总值" in out and "规上工业增加值" in out


def test_an_unknown_region_is_a_one_line_error(run_cli):
    code, out, err = run_cli("data", "--region", "dlhitec")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("econsim: error:")
    assert "did you mean 'dlhitech'" in err


def test_a_bad_data_file_is_a_one_line_error_naming_file_and_line(run_cli, obs_file):
    path = obs_file("dlhitech,gdp,2025,growth,abc,pct,actual,comparable,s,l")
    code, out, err = run_cli("data", "--data", path)
    assert code == 2 and out == ""
    assert err == f"econsim: error: {path}: line 2: key 'value': value 'abc' is not a number (write e.g. 99.94 or -3.5)\n"


def test_an_unknown_option_is_a_one_line_error(run_cli):
    code, _, err = run_cli("data", "--frmat", "csv")
    assert code == 2 and err.count("\n") == 1 and err.startswith("econsim: error:")


def test_a_bad_choice_is_a_one_line_error(run_cli):
    code, _, err = run_cli("data", "--format", "xml")
    assert code == 2 and err.count("\n") == 1 and "invalid choice" in err


def test_no_command_is_a_one_line_error(run_cli):
    code, _, err = run_cli()
    assert code == 2 and err.count("\n") == 1


def test_forecast_of_an_unknown_indicator_suggests_the_right_one(run_cli):
    code, _, err = run_cli("forecast", "gpd")
    assert code == 2 and "did you mean 'gdp'" in err


def test_forecast_horizon_must_be_positive(run_cli):
    code, _, err = run_cli("forecast", "gdp", "--horizon", "0")
    assert code == 2 and "--horizon" in err


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run([sys.executable, "-m", "econsim", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("econsim ")


def test_import_econsim_does_not_import_heavy_libraries():
    code = ("import sys, econsim; heavy = [m for m in ('pandas', 'statsmodels', 'matplotlib', 'scipy', "
            "'papermill') if m in sys.modules]; print(','.join(heavy))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == ""


def test_forecast_marks_derived_history_years(run_cli):
    code, out, _ = run_cli("forecast", "gdp")
    assert code == 0 and "2021: 7.07*" in out and "2025: 6.00" in out and "2025: 6.00*" not in out


def test_forecast_csv_says_what_its_figures_are(run_cli):
    code, out, _ = run_cli("forecast", "gdp", "--format", "csv")
    df = pd.read_csv(io.StringIO(out))
    assert code == 0 and set(df["status"]) == {"derived"} and set(df["basis"]) == {"comparable"}
    assert set(df["unit"]) == {"pct"} and len(df) == 5


def test_check_and_reconstruct_together_are_refused(run_cli):
    code, _, err = run_cli("data", "--check", "--reconstruct")
    assert code == 2 and err.count("\n") == 1


def test_reconstructing_a_file_with_no_paths_prints_no_pandas_warning(run_cli, obs_file):
    path = obs_file("dlhitech,gdp,2025,growth,6,pct,actual,comparable,s,l")
    code, _, err = run_cli("data", "--data", path, "--reconstruct", "--format", "csv")
    assert code == 0 and "Warning" not in err
