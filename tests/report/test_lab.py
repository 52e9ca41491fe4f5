"""The scenario lab: its controls change the projection, and "save as" round-trips through econsim run."""
import numpy as np
import pytest
from openpyxl import load_workbook

import econsim
from econsim.scenario.files import load_scenario

DRAWS = 200


@pytest.fixture
def lab():
    return econsim.lab("baseline", draws=DRAWS, seed=5)


def test_a_growth_control_moves_that_year_s_centre(lab):
    ui = lab.widget()
    assert ui is lab._ui
    lab._controls["gdp:2027"].value = "2.0"
    lab._controls["gdp:spread"].value = 0.0  # no spread: every draw is the centre
    assert lab.scenario.indicators["gdp"].growth[2027] == 2.0
    assert np.array_equal(lab.projection.draws("gdp")[2027].to_numpy(), np.full(DRAWS, 2.0))


def test_a_shock_control_shifts_the_path_by_size_times_persistence(lab):
    lab.set_spread("retail_sales", 0.0)
    before = lab.projection.draws("retail_sales").to_numpy()
    lab.set_shock("retail_sales", -2.0, 2027, persistence=0.5)
    after = lab.projection.draws("retail_sales").to_numpy()
    assert np.allclose(after - before, [0.0, -2.0, -1.0, -0.5, -0.25])


def test_a_bad_entry_is_reported_and_the_projection_kept(lab):
    lab.widget()
    before = lab.projection
    lab._controls["gdp:2028"].value = "six"
    assert "indicators.gdp.growth.2028" in lab.message and "got text 'six'" in lab.message
    assert lab.projection is before


def test_save_as_round_trips_through_econsim_run(lab, tmp_path, run_cli):
    lab.set_growth("gdp", 2027, 4.5).set_spread("foreign_trade", 1.0)
    path = lab.save_as(tmp_path / "my_case.yaml")
    assert load_scenario(path).indicators["gdp"].growth[2027] == 4.5
    assert load_scenario(path).seed == 5  # the lab's seed travels with the file
    code, _, err = run_cli("run", path, "--draws", DRAWS, "--out", tmp_path / "out")
    assert code == 0, err
    assert (tmp_path / "out" / "projection.csv").read_text(encoding="utf-8") == lab.projection.to_csv()
    assert lab.projection.scenario.name == "my_case"


def test_export_writes_the_workbook_of_the_edited_scenario(lab, tmp_path):
    lab.set_growth("gdp", 2026, 3.0)
    wb = load_workbook(lab.export(tmp_path / "lab.xlsx"))
    rows = [[c.value for c in r] for r in wb["assumptions 假设"].iter_rows(min_row=2)]
    assert [r[5] for r in rows if r[1] == "gdp" and r[4] == "2026" and r[3].startswith("growth")] == [3.0]


def test_compare_sets_the_edited_projection_beside_the_baseline(lab):
    lab.set_growth("gdp", 2026, 3.0)
    table = lab.compare()
    gdp = table[(table["indicator"] == "gdp") & (table["year"] == "2026")].set_index("scenario")
    assert list(gdp.index) == ["baseline", "baseline (edited)"]
    assert gdp.loc["baseline (edited)", "p50"] < gdp.loc["baseline", "p50"]


def test_the_lab_takes_another_region_and_a_workbook_of_data(tmp_path):
    from econsim.data.template import write_template

    with pytest.raises(econsim.InputError, match="no observations for region 'dalian'"):
        econsim.lab("baseline", data=write_template(tmp_path / "t.xlsx"), region="dalian", draws=DRAWS)
