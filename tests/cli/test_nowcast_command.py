"""``econsim nowcast --as-of YYYY-MM``: full-year estimates from year-to-date releases, using only what
was published by that month, as a table or as CSV with the contract columns."""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

import econsim
from econsim.forecasting.nowcast import NOWCAST_COLUMNS

# the columns the architecture guide promises, in order (the module's list may only add to them)
CONTRACT_COLUMNS = ["region", "indicator", "year", "measure", "estimate",
                    "lo_80", "hi_80", "lo_95", "hi_95", "target", "required_growth"]
SEPTEMBER = ("nowcast", "--region", "dalian", "--as-of", "2025-09", "--format", "csv")
NO_TARGETS = ("zz,gdp,2025-06,ytd_growth,6,pct,actual,comparable,s,l",
              "zz,gdp,2025-09,ytd_growth,5.8,pct,actual,comparable,s,l")


@pytest.fixture(scope="module")
def september_csv(run_cli):
    code, out, err = run_cli(*SEPTEMBER)
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def september(september_csv):
    return pd.read_csv(io.StringIO(september_csv))


def test_nowcast_csv_has_the_contract_columns(september_csv, september):
    assert september_csv.splitlines()[0] == ",".join(NOWCAST_COLUMNS)
    assert list(september.columns[:len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert set(september.region) == {"dalian"} and set(september.year) == {2025}


def test_september_nowcast_covers_the_seven_dalian_indicators_released_by_1_to_9(september):
    assert len(september) == 7


def test_nowcast_csv_is_the_same_on_a_second_run(run_cli, september_csv):
    from econsim.data.dataset import default_path

    assert run_cli(*SEPTEMBER) == (0, september_csv, f"econsim: data: {default_path().resolve()}\n")


@pytest.mark.parametrize("indicator, outcome", [("gdp", 5.7), ("industrial_va", 11.7)])
def test_september_nowcast_intervals_contain_the_2025_outcome_it_did_not_see(september, indicator, outcome):
    ds = econsim.load_dataset()
    actual = ds.select(region="dalian", indicator=indicator, measure="growth", status="actual")
    assert outcome in set(actual[actual.period == "2025"].value)  # the outcome is in the data
    row = september[september.indicator == indicator].iloc[0]
    assert row.lo_95 <= row.lo_80 <= outcome <= row.hi_80 <= row.hi_95
    # not by being wide: ± 1.2816 sd, the sd the indicator's default (GDP 3 pp, industry 6 pp) times
    # the share of the year still to come
    default_sd = {"gdp": 3.0, "industrial_va": 6.0}[indicator]
    assert row.sd == pytest.approx(row.remaining_weight * default_sd, abs=2e-3)
    assert row.hi_80 - row.lo_80 == pytest.approx(2 * 1.2815516 * row.sd, abs=2e-3)


def known_by_end_of_may_2025(row) -> bool:
    """Would this bundled figure have been published by the end of May 2025?"""
    period, status = row["period"], row["status"]
    if len(period) == 7:                      # YYYY-MM, year to date
        return period <= "2025-05"
    first, last = int(period[:4]), int(period[-4:])
    if status == "target":                    # a year's targets are set at its start
        return first <= 2025
    return last <= 2024                       # a year's outcome comes out the next year


def test_may_nowcast_is_the_same_when_everything_after_may_is_deleted(run_cli, tmp_path):
    from econsim.data.dataset import default_path

    bundled = default_path()
    with bundled.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if known_by_end_of_may_2025(r)]
        fields = reader.fieldnames
    cut = tmp_path / "until_may.csv"
    with cut.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    args = ("nowcast", "--region", "dalian", "--as-of", "2025-05", "--format", "csv")
    code_all, with_future, _ = run_cli(*args, "--data", bundled)
    code_cut, without_future, _ = run_cli(*args, "--data", cut)
    assert code_all == code_cut == 0
    assert with_future == without_future and len(with_future.splitlines()) > 1


def test_may_nowcast_reads_no_release_after_may(run_cli):
    code, out, _ = run_cli("nowcast", "--region", "dalian", "--as-of", "2025-05", "--format", "csv")
    frame = pd.read_csv(io.StringIO(out), dtype={"latest_period": str})
    assert code == 0 and (frame.latest_period <= "2025-05").all()


def test_nowcast_table_shows_chinese_names_intervals_and_required_growth(run_cli):
    code, out, _ = run_cli("nowcast", "--region", "dalian", "--as-of", "2025-09")
    assert code == 0
    assert "地区生产总值" in out and "规上工业增加值" in out and "80% interval" in out
    assert "need" in out and "to reach 5.5%" in out


def test_a_year_without_releases_prints_header_only_in_csv(run_cli):
    code, out, err = run_cli("nowcast", "--as-of", "2026-11", "--format", "csv")
    assert code == 0 and out.splitlines() == [",".join(NOWCAST_COLUMNS)]
    assert "nothing to nowcast" in err


def test_a_year_without_releases_says_so_in_the_table(run_cli):
    code, out, _ = run_cli("nowcast", "--as-of", "2026-11")
    assert code == 0 and "no year-to-date" in out and "nothing to nowcast" in out


def test_table_without_any_target_prints_the_nowcast_and_no_required_growth(run_cli, obs_file):
    data = obs_file(*NO_TARGETS)
    code, out, err = run_cli("nowcast", "--data", data, "--as-of", "2025-09")
    assert code == 0 and err == f"econsim: data: {data.resolve()}\n"
    assert "地区生产总值" in out and "[4.8, 6.8]" in out
    assert "need" not in out and "nan" not in out


def test_csv_without_any_target_leaves_target_cells_empty(run_cli, obs_file):
    code, out, _ = run_cli("nowcast", "--data", obs_file(*NO_TARGETS), "--as-of", "2025-09", "--format", "csv")
    row = dict(zip(out.splitlines()[0].split(","), out.splitlines()[1].split(",")))
    assert code == 0 and row["target"] == row["required_growth"] == row["prob_target"] == ""
