"""Specification of ``econsim forecast --panel FILE --horizon H --out OUT.csv``."""
from __future__ import annotations

import io

import pandas as pd
import pytest

GOOD = "unique_id,ds,y\na,2018,10\na,2019,11\na,2020,12.5\na,2021,13\nb,2019,5\nb,2020,4\nb,2021,4.5\n"


def test_panel_writes_the_long_table_to_out(run_cli, tmp_path):
    (tmp_path / "panel.csv").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "fc.csv"
    code, stdout, err = run_cli("forecast", "--panel", tmp_path / "panel.csv", "--horizon", 3, "--out", out)
    table = pd.read_csv(out)
    assert code == 0 and err == ""
    assert list(table.columns) == ["unique_id", "ds", "mean", "lo_80", "hi_80", "lo_95", "hi_95"]
    assert table.ds.tolist() == [2022, 2023, 2024] * 2


def test_panel_output_file_is_byte_identical_on_a_rerun(run_cli, tmp_path):
    (tmp_path / "panel.csv").write_text(GOOD, encoding="utf-8")
    run_cli("forecast", "--panel", tmp_path / "panel.csv", "--horizon", 2, "--out", tmp_path / "one.csv")
    run_cli("forecast", "--panel", tmp_path / "panel.csv", "--horizon", 2, "--out", tmp_path / "two.csv")
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()


def test_panel_bad_value_exits_2_naming_file_line_and_column(run_cli, tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(GOOD.replace("a,2020,12.5", "a,2020,abc"), encoding="utf-8")
    out = tmp_path / "fc.csv"
    code, stdout, err = run_cli("forecast", "--panel", path, "--horizon", 2, "--out", out)
    assert code == 2 and stdout == "" and not out.exists()
    assert err == (f"econsim: error: {path}: line 4: key 'y': series 'a': value 'abc' at ds 2020; "
                   "every value must be a finite number\n")


def test_panel_short_series_exits_2_naming_its_first_line(run_cli, tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text("unique_id,ds,y\na,2018,1\na,2019,2\na,2020,3\nb,2020,4\nb,2021,5\n", encoding="utf-8")
    code, _, err = run_cli("forecast", "--panel", path, "--horizon", 2)
    assert code == 2 and f"{path}: line 5: key 'unique_id': series 'b' has 2 values" in err


def test_panel_does_not_take_an_indicator(run_cli, tmp_path):
    (tmp_path / "panel.csv").write_text(GOOD, encoding="utf-8")
    code, _, err = run_cli("forecast", "gdp", "--panel", tmp_path / "panel.csv")
    assert code == 2 and "key 'INDICATOR'" in err


def test_panel_missing_column_exits_2_naming_the_header_line(run_cli, tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text(GOOD.replace("unique_id,ds,y", "region,ds,y"), encoding="utf-8")
    code, _, err = run_cli("forecast", "--panel", path, "--horizon", 2)
    assert code == 2 and err.startswith(f"econsim: error: {path}: line 1: key 'unique_id': missing column")


# ---------------------------------------------------------------- on Dask, and the panel backtest

def test_forecast_panel_on_a_local_cluster_writes_the_in_process_bytes(run_cli, tmp_path):
    pytest.importorskip("dask.distributed")
    (tmp_path / "panel.csv").write_text(GOOD, encoding="utf-8")
    run_cli("forecast", "--panel", tmp_path / "panel.csv", "--horizon", 2, "--out", tmp_path / "here.csv")
    code, _, err = run_cli("forecast", "--panel", tmp_path / "panel.csv", "--horizon", 2, "--out",
                           tmp_path / "there.csv", "--scheduler", "local")
    assert code == 0 and err == ""
    assert (tmp_path / "there.csv").read_bytes() == (tmp_path / "here.csv").read_bytes()


def test_forecast_panel_unreachable_scheduler_exits_2_naming_it(run_cli, tmp_path, monkeypatch):
    pytest.importorskip("dask.distributed")
    import econsim.distributed

    monkeypatch.setattr(econsim.distributed, "CONNECT_TIMEOUT", "1s")
    (tmp_path / "panel.csv").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "fc.csv"
    code, stdout, err = run_cli("forecast", "--panel", tmp_path / "panel.csv", "--horizon", 2, "--out", out,
                                "--scheduler", "tcp://127.0.0.1:9")
    assert code == 2 and stdout == "" and not out.exists()
    assert err.startswith("econsim: error: key 'scheduler': cannot reach the Dask scheduler at tcp://127.0.0.1:9")


def test_forecast_panel_bad_file_exits_2_before_any_cluster_starts(run_cli, tmp_path, monkeypatch):
    import econsim.distributed

    def no_cluster(*args, **kwargs):
        raise AssertionError("a cluster was started for a bad panel")

    monkeypatch.setattr(econsim.distributed, "connect", no_cluster)
    path = tmp_path / "panel.csv"
    path.write_text(GOOD.replace("b,2020,4", "b,2020,"), encoding="utf-8")
    code, _, err = run_cli("forecast", "--panel", path, "--horizon", 2, "--scheduler", "local")
    assert code == 2 and err.startswith(f"econsim: error: {path}: line 7: key 'y': series 'b': missing value")


def test_scheduler_without_panel_exits_2(run_cli):
    code, _, err = run_cli("forecast", "gdp", "--scheduler", "local")
    assert code == 2 and "--scheduler is for --panel FILE" in err


def test_backtest_scores_each_series_from_forecasts_made_before_each_cut_off(run_cli, tmp_path):
    from econsim.forecasting.backtest import coverage, smape
    from econsim.forecasting.panel import forecast_panel

    (tmp_path / "panel.csv").write_text(GOOD, encoding="utf-8")
    code, stdout, err = run_cli("backtest", "--panel", tmp_path / "panel.csv", "--horizon", 2)
    scores = pd.read_csv(io.StringIO(stdout), keep_default_na=False).set_index("unique_id")
    assert code == 0 and err == ""
    assert scores["scope"].tolist() == ["overall", "series"]
    # 'a' (2018–2021) has one cut-off with 3 values before it: 2021, forecast from 2018–2020 alone
    # (b has only 2 values before 2021, so it is not forecast there); 'b' has none.
    before = pd.read_csv(io.StringIO(GOOD)).query("unique_id == 'a' and ds < 2021")
    fc = forecast_panel(before, 2).iloc[:1]
    assert scores.loc["a", "origins"] == 1
    assert scores.loc["a", "smape"] == pytest.approx(smape([13.0], fc["mean"]))
    assert scores.loc["a", "mase"] == pytest.approx(abs(13.0 - fc["mean"].iloc[0]) / 1.25)
    assert scores.loc["a", "coverage_80"] == coverage([13.0], fc["lo_80"], fc["hi_80"])
    assert "b" not in scores.index
    assert scores.loc["", "smape"] == scores.loc["a", "smape"]      # overall = the one series scored


def test_backtest_writes_out_and_needs_a_series_longer_than_3(run_cli, tmp_path):
    path = tmp_path / "panel.csv"
    path.write_text("unique_id,ds,y\na,2018,1\na,2019,2\na,2020,3\n", encoding="utf-8")
    out = tmp_path / "scores.csv"
    code, stdout, err = run_cli("backtest", "--panel", path, "--horizon", 2, "--out", out)
    assert code == 2 and not out.exists() and "no series has more than 3 values" in err
