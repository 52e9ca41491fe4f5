"""Specification of ``econsim forecast --panel FILE --horizon H --out OUT.csv``."""
from __future__ import annotations

import pandas as pd

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
