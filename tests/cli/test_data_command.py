"""``econsim data``: the observations in three formats, ``--reconstruct`` (annual paths marked derived,
conflicts reported) and ``--check`` (findings with their numbers), and which data file is found."""
from __future__ import annotations

import io
import json
import math

import pandas as pd
import pytest

HEADER = "region,indicator,period,measure,value,unit,status,basis,source,locator"
GOOD_ROW = "dlhitech,gdp,2025,growth,6,pct,actual,comparable,work_report_2026,x"


# --------------------------------------------------------------------------- formats

def test_data_csv_has_the_contract_header(run_cli):
    code, out, err = run_cli("data", "--format", "csv")
    assert code == 0, err
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


def test_data_json_is_a_list_of_records(run_cli):
    code, out, _ = run_cli("data", "--region", "dlhitech", "--format", "json")
    records = json.loads(out)
    assert code == 0 and {r["region"] for r in records} == {"dlhitech"}


def test_data_table_shows_chinese_names(run_cli):
    code, out, _ = run_cli("data", "--region", "dlhitech")
    assert code == 0 and "地区生产总值" in out and "规上工业增加值" in out


def test_data_in_the_working_directory_wins_over_the_bundled_data(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "observations.csv").write_text(f"{HEADER}\n{GOOD_ROW}\n", encoding="utf-8")
    code, out, err = run_cli("data", "--format", "csv")
    assert code == 0, err
    assert len(pd.read_csv(io.StringIO(out))) == 1


# --------------------------------------------------------------------------- --reconstruct

@pytest.fixture(scope="module")
def reconstructed(run_cli):
    """``econsim data --format csv --reconstruct`` parsed, its raw stdout, and its stderr."""
    code, out, err = run_cli("data", "--format", "csv", "--reconstruct")
    assert code == 0, err
    return pd.read_csv(io.StringIO(out), dtype={"period": str}), out, err


def derived(frame, indicator, measure):
    rows = frame[(frame.region == "dlhitech") & (frame.indicator == indicator)
                 & (frame.measure == measure) & (frame.status == "derived")]
    return dict(zip(rows.period, rows.value))


def geometric_mean_growth(path, first, last):
    factors = [1 + path[str(y)] / 100 for y in range(first, last + 1)]
    return (math.prod(factors) ** (1 / len(factors)) - 1) * 100


def test_reconstruct_csv_has_the_contract_header(reconstructed):
    frame, out, _ = reconstructed
    assert out.startswith("region,indicator,period,measure,value,unit,status")
    assert {"region", "indicator", "period", "measure", "value", "unit", "status", "source"} <= set(frame.columns)


def test_reconstruct_adds_annual_paths_2020_to_2025_marked_derived(reconstructed):
    frame, _, _ = reconstructed
    for indicator in ("gdp", "industrial_va", "fixed_investment"):
        rows = frame[(frame.region == "dlhitech") & (frame.indicator == indicator) & (frame.status == "derived")]
        assert set(rows.period) <= {str(y) for y in range(2020, 2026)} and "2025" in set(rows.period)


def test_reconstructed_industry_levels_are_19_5_in_2020_and_31_2_in_2025(reconstructed):
    level = derived(reconstructed[0], "industrial_va", "level")
    assert level["2020"] == pytest.approx(19.5, abs=1e-3) and level["2025"] == pytest.approx(31.2, abs=1e-3)


def test_reconstructed_industry_growth_is_10_2_in_2025_and_averages_11_1(reconstructed):
    growth = derived(reconstructed[0], "industrial_va", "growth")
    assert growth["2025"] == pytest.approx(10.2, abs=1e-3)
    assert geometric_mean_growth(growth, 2021, 2025) == pytest.approx(11.1, abs=1e-4)  # 4-decimal CSV; an arithmetic mean is 11.1014


def test_reconstructed_gdp_growth_is_6_in_2025_and_averages_6_5(reconstructed):
    growth = derived(reconstructed[0], "gdp", "growth")
    assert growth["2025"] == pytest.approx(6.0, abs=1e-3)
    assert geometric_mean_growth(growth, 2021, 2025) == pytest.approx(6.5, abs=1e-4)  # an arithmetic mean is 6.5009


def test_reconstruct_warns_of_the_investment_conflict_instead_of_dropping_it(reconstructed):
    _, _, err = reconstructed
    assert "econsim: warning:" in err and "fixed_investment" in err and "24.9" in err


def test_reconstructing_a_file_with_no_paths_prints_no_pandas_warning(run_cli, obs_file):
    path = obs_file("dlhitech,gdp,2025,growth,6,pct,actual,comparable,s,l")
    code, _, err = run_cli("data", "--data", path, "--reconstruct", "--format", "csv")
    assert code == 0 and "Warning" not in err


# --------------------------------------------------------------------------- --check

@pytest.fixture(scope="module")
def check_text(run_cli):
    code, out, err = run_cli("data", "--check")
    assert code == 0, err
    return out


def test_check_reports_the_industrial_price_decline_with_its_numbers(check_text):
    block = next(b for b in check_text.split("\n[") if "规上工业增加值" in b and "implied_prices" in b)
    for figure in ("19.5", "31.2", "11.1", "9.86", "1.12"):
        assert figure in block, figure
    assert "fall" in block or "decline" in block


def test_check_reports_the_investment_conflict_with_its_numbers(check_text):
    block = next(b for b in check_text.split("\n[") if b.startswith("conflict] 固定资产投资"))
    for figure in ("24.9", "99.94"):
        assert figure in block, figure
    investment = "\n".join(b for b in check_text.split("\n[") if "固定资产投资" in b)
    for figure in ("597", "139.1"):
        assert figure in investment, figure


def test_check_of_one_region_prints_the_average_increase_conflict(run_cli):
    code, out, err = run_cli("data", "--check", "--region", "dlhitech")
    assert code == 0, err
    assert "avg_increase_vs_levels" in out and "-24.56" in out
