"""Sensitivity sweeps: keys address assumptions, points are reproducible, bad keys fail first."""
import numpy as np
import pytest

from econsim.errors import InputError
from econsim.scenario.files import load_scenario
from econsim.scenario.projection import project
from econsim.scenario.sweep import (_scenario_with, main_effects, parse_vary, point_seed, sweep,
                                    sweep_points)


def test_a_growth_key_sets_that_year_only():
    sc = _scenario_with(load_scenario("plan"), {"gdp.growth.2027": 4.5})
    assert sc.indicators["gdp"].growth[2027] == 4.5
    assert sc.indicators["gdp"].growth[2026] == 6.0          # the file's 2026 target is kept


def test_a_scalar_growth_is_spelled_out_per_year_before_one_year_changes(baseline):
    sc = _scenario_with(baseline, {"fixed_investment.growth.2028": 5.0})
    assert sc.indicators["fixed_investment"].growth == {2026: 0.0, 2027: 0.0, 2028: 5.0, 2029: 0.0, 2030: 0.0}


def test_a_sweep_point_of_the_outlook_baseline_is_still_an_outlook(baseline):
    assert _scenario_with(baseline, {"fixed_investment.growth.2028": 5.0}).outlook is True


def test_shock_key_addresses_the_first_shock():
    sc = _scenario_with(load_scenario("external_demand_shock"), {"gdp.shock.size": -2.0})
    assert sc.indicators["gdp"].shocks[0]["size"] == -2.0


def test_grid_points_are_the_product_of_each_range_including_its_stop():
    pts = sweep_points([parse_vary("gdp.growth.2027=4:5:0.5"), parse_vary("gdp.sd=1:2:1")])
    assert [(p["gdp.growth.2027"], p["gdp.sd"]) for p in pts] == [
        (4.0, 1.0), (4.0, 2.0), (4.5, 1.0), (4.5, 2.0), (5.0, 1.0), (5.0, 2.0)]


def test_lhs_puts_one_sample_in_each_of_n_equal_strata():
    pts = sweep_points([parse_vary("gdp.growth.2027=4:8")], "lhs", samples=8, seed=1)
    strata = sorted(int((p["gdp.growth.2027"] - 4) // 0.5) for p in pts)
    assert strata == list(range(8))


@pytest.mark.parametrize("text,key", [("gdp.growth.2027", "vary"), ("gdp.growth.2027=4:x:1", "gdp.growth.2027"),
                                      ("gdp.growth.2027=5:4:1", "gdp.growth.2027"),
                                      ("gdp.growth.2027=4:5:0", "gdp.growth.2027")])
def test_malformed_ranges_are_refused(text, key):
    with pytest.raises(InputError) as err:
        parse_vary(text)
    assert err.value.key == key


@pytest.mark.parametrize("vary", ["gpd.growth.2027=4:5:1", "gdp.growth.2035=4:5:1", "gdp.targets=1:2:1",
                                  "gdp.shock.size=1:2:1", "gdp.growth.2027=4:500:100"])
def test_bad_keys_and_out_of_bounds_values_fail_before_any_projection(baseline, ds, vary, monkeypatch):
    import econsim.scenario.projection as projection

    monkeypatch.setattr(projection, "project", lambda *a, **k: pytest.fail("projected before checking"))
    with pytest.raises(InputError) as err:
        sweep(baseline, [vary], draws=50, dataset=ds, progress=False)
    assert err.value.key == vary.split("=")[0]


def test_a_points_seed_depends_only_on_the_sweep_seed_and_its_coordinates():
    assert point_seed(1, {"a": 1.0, "b": 2.0}) == point_seed(1, {"b": 2.0, "a": 1.0})
    assert point_seed(1, {"a": 1.0}) != point_seed(2, {"a": 1.0})
    assert point_seed(1, {"a": 1.0}) != point_seed(1, {"a": 1.5})


def test_each_row_is_the_projection_of_its_point(baseline, ds):
    frame = sweep(baseline, ["gdp.growth.2027=4:8:4"], draws=200, seed=3, dataset=ds, progress=False)
    row = frame.iloc[1]
    proj = project(_scenario_with(baseline, {"gdp.growth.2027": 8.0}), ds, draws=200,
                   seed=point_seed(3, {"gdp.growth.2027": 8.0}))
    gdp = proj.draws("gdp").to_numpy()
    avg = (np.prod(1 + gdp / 100, axis=1) ** (1 / 5) - 1) * 100
    assert row["P(gdp 2026-2030 avg_growth >= 6.5)"] == np.mean(avg >= 6.5)
    assert row["gdp 2026-2030 avg_growth p50"] == pytest.approx(np.median(avg))
    assert row["gdp 2030 level p90"] == pytest.approx(np.percentile(proj.draws("gdp", "level")[2030], 90))


def test_a_points_row_does_not_depend_on_the_other_points(baseline, ds):
    small = sweep(baseline, ["gdp.growth.2027=4:8:4"], draws=100, seed=3, dataset=ds, progress=False)
    large = sweep(baseline, ["gdp.growth.2027=0:8:4"], draws=100, seed=3, dataset=ds, progress=False)
    assert small.drop(columns="point").iloc[1].equals(large.drop(columns="point").iloc[2])


def test_main_effect_of_a_linear_output_is_its_slope_times_the_range():
    import pandas as pd

    frame = pd.DataFrame({"a": [0.0, 1.0, 0.0, 1.0], "b": [0.0, 0.0, 2.0, 2.0]})
    frame["y"] = 3 * frame["a"] - frame["b"]
    eff = main_effects(frame, ["a", "b"], "y").set_index("key")
    assert eff.loc["a", "high"] - eff.loc["a", "low"] == pytest.approx(3.0)
    assert eff.loc["b", "high"] - eff.loc["b", "low"] == pytest.approx(-2.0)
