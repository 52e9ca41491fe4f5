"""econsim run --regions: one combined output with a region column, failures named, exit 3 when partial."""
from pathlib import Path

import pandas as pd
import pytest

import econsim

BUNDLED = Path(econsim.__file__).resolve().parents[1] / "data" / "observations.csv"


@pytest.fixture
def with_thin_region(tmp_path):
    """The bundled data plus a region 'thin' with one GDP figure: too little for the baseline's model years."""
    text = BUNDLED.read_text(encoding="utf-8").rstrip("\n")
    width = text.splitlines()[0].count(",")
    row = "thin,gdp,2025,growth,5,pct,actual,comparable,test,row 1"
    path = tmp_path / "obs.csv"
    path.write_text(text + "\n" + row + "," * (width - row.count(",")) + "\n", encoding="utf-8")
    return path


def test_a_region_that_cannot_support_the_scenario_is_named_and_the_others_complete(run_cli, tmp_path,
                                                                                    with_thin_region):
    out = tmp_path / "all"
    code, stdout, err = run_cli("run", "baseline", "--data", with_thin_region, "--regions", "all",
                                "--draws", "200", "--out", out)
    assert code == 3, err
    failures = pd.read_csv(out / "failures.csv")
    # china holds national context only (one industry figure): too little for the baseline, like thin
    assert failures["region"].tolist() == ["china", "thin"] and failures["reason"].str.len().min() > 0
    assert "failed: thin:" in err and "failed: china:" in err
    assert sorted(pd.read_csv(out / "projection.csv")["region"].unique()) == ["dalian", "dlhitech"]
    assert sorted(pd.read_csv(out / "targets.csv")["region"].unique()) == ["dalian", "dlhitech"]


def test_a_regions_rows_equal_a_run_of_that_region_alone(run_cli, tmp_path):
    assert run_cli("run", "baseline", "--regions", "dalian,dlhitech", "--draws", "200", "--out", tmp_path / "m")[0] == 0
    assert run_cli("run", "baseline", "--draws", "200", "--out", tmp_path / "one")[0] == 0
    combined = pd.read_csv(tmp_path / "m" / "projection.csv")
    alone = pd.read_csv(tmp_path / "one" / "projection.csv")
    assert combined[combined["region"] == "dlhitech"].reset_index(drop=True).equals(alone)


def test_an_unknown_region_exits_2_before_any_projection(run_cli, tmp_path):
    code, _, err = run_cli("run", "baseline", "--regions", "dlhitech,dalain", "--out", tmp_path / "x")
    assert code == 2 and "dalain" in err and "did you mean 'dalian'" in err
    assert not (tmp_path / "x").exists()


def test_a_regions_rows_equal_a_run_with_region_for_a_region_the_scenario_was_not_written_for(run_cli, tmp_path):
    assert run_cli("run", "baseline", "--regions", "dalian,dlhitech", "--draws", "200", "--out", tmp_path / "m")[0] == 0
    assert run_cli("run", "baseline", "--region", "dalian", "--draws", "200", "--out", tmp_path / "one")[0] == 0
    combined = pd.read_csv(tmp_path / "m" / "projection.csv")
    alone = pd.read_csv(tmp_path / "one" / "projection.csv")
    assert combined[combined["region"] == "dalian"].reset_index(drop=True).equals(alone)


def test_region_and_regions_together_exit_2_before_any_projection(run_cli, tmp_path):
    code, _, err = run_cli("run", "baseline", "--region", "dalian", "--regions", "all", "--out", tmp_path / "x")
    assert code == 2 and "--regions" in err and "not both" in err
    assert not (tmp_path / "x").exists()
