"""The Monte Carlo engine: assumptions become exact paths, noise is reproducible, results are tidy."""
from pathlib import Path

import numpy as np
import pytest

from econsim.data.dataset import load_dataset
from econsim.errors import InputError
from econsim.scenario.files import load_scenario
from econsim.scenario.projection import compare, project

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def exact(ds):
    return project(load_scenario(HERE / "exact.yaml"), ds)


def growth(p, key):
    return p.draws(key).to_numpy()


def test_zero_uncertainty_gives_exactly_the_assumed_path(exact):
    assert np.array_equal(growth(exact, "gdp"), np.full((50, 5), 4.0))


def test_link_applies_a_plus_b_times_the_driver(exact):
    assert np.allclose(growth(exact, "industrial_va"), 1.0 + 1.5 * 4.0)


def test_drivers_are_simulated_before_the_indicators_they_drive(exact):
    assert exact.indicators.index("gdp") < exact.indicators.index("industrial_va")


def test_shock_decays_by_its_persistence_and_add_factors_add(exact):
    assert np.allclose(growth(exact, "retail_sales")[0], [3.0, 3.0 - 2.0, 3.0 - 1.0, 3.0 - 0.5, 3.0 - 0.25 + 0.25])


def test_growth_override_pins_the_year(exact):
    assert np.allclose(growth(exact, "fixed_investment")[:, 3], 2.0)


def test_level_override_pins_the_level_and_implies_the_growth(exact):
    level = exact.draws("fixed_investment", "level").to_numpy()[0]
    base = 99.94  # 2025, work report 一(一)
    assert level[0] == pytest.approx(base * 1.10)
    assert level[1] == 120.0
    assert growth(exact, "fixed_investment")[0, 1] == pytest.approx((120 / (base * 1.10) - 1) * 100)
    assert level[2] == pytest.approx(120 * 1.10) and level[3] == pytest.approx(120 * 1.10 * 1.02)


def test_nominal_level_adds_the_price_assumption_to_real_growth(exact):
    base = 500.0  # the scenario's current-price base_level
    level = exact.draws("gdp", "level").to_numpy()[0]
    assert level[0] == pytest.approx(base * 1.04 * 1.01)
    assert level[4] == pytest.approx(base * (1.04 * 1.01) ** 5)


def test_indicator_without_a_base_level_has_growth_rows_only(exact):
    f = exact.to_frame()
    rows = f[f["indicator"] == "retail_sales"]
    assert set(rows["measure"]) == {"growth", "avg_growth"}


def test_scenario_numbers_are_the_centre_and_the_model_gives_the_spread(ds):
    p = project(load_scenario(HERE / "noisy.yaml"), ds, draws=4000, seed=1)
    g2026 = growth(p, "gdp")[:, 0]
    assert abs(np.median(g2026) - 6.0) < 0.1 and g2026.std() > 0.1


def test_stated_sd_is_the_spread_of_an_assumption_path(ds):
    p = project(load_scenario(HERE / "noisy.yaml"), ds, draws=4000, seed=1)
    assert growth(p, "retail_sales").std(axis=0) == pytest.approx([2.0] * 5, rel=0.08)


def test_uncertainty_scales_the_model_spread(ds, tmp_path):
    text = (HERE / "noisy.yaml").read_text(encoding="utf-8")
    wide = tmp_path / "wide.yaml"
    wide.write_text(text.replace("growth: {2026: 6.0}", "growth: {2026: 6.0}\n    uncertainty: 2"), encoding="utf-8")
    a = growth(project(load_scenario(HERE / "noisy.yaml"), ds, seed=5), "gdp")
    b = growth(project(load_scenario(wide), ds, seed=5), "gdp")
    assert np.allclose(b - b.mean(axis=0), 2 * (a - a.mean(axis=0)))


def test_to_frame_has_the_contract_columns_and_status_derived(exact):
    f = exact.to_frame()
    assert list(f.columns[:13]) == ["scenario", "region", "indicator", "year", "measure", "mean", "p05", "p10",
                                    "p25", "p50", "p75", "p90", "p95"]
    assert set(f["status"]) == {"derived"}


def test_horizon_rows_give_average_growth_and_cumulative_levels(exact):
    f = exact.to_frame().set_index(["indicator", "year", "measure"])
    assert f.loc[("gdp", "2026-2030", "avg_growth"), "p50"] == pytest.approx(4.0)
    levels = exact.draws("gdp", "level").to_numpy()[0]
    assert f.loc[("gdp", "2026-2030", "cumulative"), "mean"] == pytest.approx(levels.sum())


def test_indicator_with_too_little_history_needs_numbers_and_sd(ds, tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("name: s\nindicators:\n  retail_sales: {growth: model}\n", encoding="utf-8")
    with pytest.raises(InputError, match="too few for a model") as exc:
        project(load_scenario(p), ds, draws=10)
    assert exc.value.key == "indicators.retail_sales.growth"


def test_assumption_without_history_or_sd_is_refused(ds, tmp_path):
    p = tmp_path / "s.yaml"
    p.write_text("name: s\nindicators:\n  software_revenue: {growth: 1}\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        project(load_scenario(p), ds, draws=10)
    assert exc.value.key == "indicators.software_revenue.sd"


@pytest.mark.parametrize("draws", [0, -3, 2.5])
def test_bad_draws_are_refused(exact, ds, draws):
    with pytest.raises(InputError):
        project(exact.scenario, ds, draws=draws)


def test_compare_gives_one_block_per_scenario(exact, ds):
    other = project(load_scenario(HERE / "child.yaml"), ds)
    table = compare([exact, other])
    assert set(table["scenario"]) == {"exact", "child"}
    row = table[(table.scenario == "child") & (table.indicator == "gdp") & (table.year == "2027")]
    assert row["p50"].item() == pytest.approx(5.0)


def test_projection_displays_richly_in_a_notebook(exact):
    html = exact._repr_html_()
    assert "<table" in html and "data:image/png;base64" in html and "地区生产总值" in html


def test_shipped_plan_centres_2026_on_the_report_targets(ds):
    p = project("plan", ds, draws=5000, seed=1)  # enough draws for the median to sit within 0.1 pp
    f = p.to_frame().set_index(["indicator", "year", "measure"])
    assert f.loc[("retail_sales", "2026", "growth"), "p50"] == pytest.approx(3.0, abs=0.3)
    assert f.loc[("gdp", "2026", "growth"), "p50"] == pytest.approx(6.0, abs=0.1)


def test_start_from_nowcast_takes_the_first_year_centre_from_year_to_date_figures(ds):
    from econsim.forecasting.nowcast import nowcast

    nc = nowcast(ds, "2025-09", region="dalian").to_frame()
    est = nc[(nc.indicator == "gdp") & (nc.measure == "growth")]["estimate"].item()
    p = project(load_scenario(HERE / "nowcast_start.yaml"), ds, as_of="2025-09")
    g = growth(p, "gdp")
    assert abs(np.median(g[:, 0]) - est) < 0.1 and abs(np.median(g[:, 1]) - 5.0) < 0.1
    assert any("nowcast" in n for n in p.notes)


def test_start_from_nowcast_without_an_as_of_month_says_it_was_not_applied(ds):
    p = project(load_scenario(HERE / "nowcast_start.yaml"), ds, draws=100)
    assert any("not applied" in n for n in p.notes)
    assert abs(np.median(growth(p, "gdp")[:, 0]) - 5.0) < 0.3


def test_reported_growth_spread_pools_one_year_changes_of_every_region(obs_file):
    from econsim.scenario.plan import reported_growth_spread

    rows = [f"{r},gdp,{y},growth,{v},pct,actual,comparable,s,l"
            for r, y, v in [("a", 2021, 5), ("a", 2022, 7), ("a", 2023, 6), ("b", 2020, 4), ("b", 2021, 4),
                            ("b", 2023, 9)]]  # b: 2021→2023 is not a one-year change
    spread, n = reported_growth_spread(load_dataset(obs_file(*rows)), "gdp")
    assert n == 3 and spread == pytest.approx(np.sqrt((2**2 + 1**2 + 0**2) / 3))


def test_derived_rows_are_not_evidence_of_spread(obs_file):
    from econsim.scenario.plan import reported_growth_spread

    rows = [f"a,gdp,{y},growth,{v},pct,derived,comparable,s,l" for y, v in [(2021, 5), (2022, 9)]]
    assert reported_growth_spread(load_dataset(obs_file(*rows)), "gdp") == (0.0, 0)


def test_model_noise_is_widened_to_the_reported_evidence_and_says_so(ds):
    from econsim.scenario.plan import reported_growth_spread

    p = project("plan", ds, draws=20000, seed=3)  # model noise (the outlook baseline sets its own width)
    floor, _ = reported_growth_spread(ds, "gdp")
    g = p.draws("gdp")[2026].to_numpy()
    q10, q90 = np.percentile(g, [10, 90])
    assert (q90 - q10) / (2 * 1.2816) == pytest.approx(floor, rel=0.1)
    assert any("gdp: the forecaster's 2026 spread" in n for n in p.notes)


def test_an_as_of_month_without_a_nowcast_in_the_scenario_is_noted(ds):
    p = project("plan", ds, draws=200, seed=1, as_of="2026-03")
    assert any("data as known at 2026-03; no year-to-date nowcast applied" in n for n in p.notes)


def test_gdp_levels_are_marked_constant_price_and_industry_levels_current_price(ds):
    f = project("baseline", ds, draws=200, seed=1).to_frame().set_index(["indicator", "year", "measure"])
    assert f.loc[("gdp", "2026", "level"), "basis"] == "comparable"
    assert f.loc[("industrial_va", "2026", "level"), "basis"] == "nominal"
    assert f.loc[("gdp", "2026", "growth"), "basis"] == "comparable"


def test_a_price_assumption_on_constant_price_levels_is_refused(tmp_path, ds):
    path = tmp_path / "priced.yaml"
    path.write_text("name: priced\nextends: baseline\nindicators:\n  gdp:\n    price: 3.0\n", encoding="utf-8")
    with pytest.raises(InputError, match="constant-price") as exc:
        project(load_scenario(path), ds, draws=100, seed=1)
    assert exc.value.key == "indicators.gdp.price" and exc.value.path == str(path)


def test_a_current_price_base_level_makes_priced_levels_nominal(tmp_path, ds):
    path = tmp_path / "nominal.yaml"
    path.write_text("name: nominal\nextends: baseline\nindicators:\n  gdp:\n    price: 2.0\n    base_level: 520\n",
                    encoding="utf-8")
    f = project(load_scenario(path), ds, draws=100, seed=1).to_frame().set_index(["indicator", "year", "measure"])
    assert f.loc[("gdp", "2026", "level"), "basis"] == "nominal"


def test_fan_chart_axis_names_the_price_basis_of_levels(ds):
    p = project("baseline", ds, draws=200, seed=1)
    assert "可比价" in p.fan_chart("gdp", measure="level").axes[0].get_ylabel()
    assert "现价" in p.fan_chart("industrial_va", measure="level").axes[0].get_ylabel()


def test_a_nowcast_for_a_year_outside_the_horizon_is_noted_as_not_applied(tmp_path, ds):
    path = tmp_path / "dl.yaml"
    path.write_text("name: dl\nregion: dalian\nstart_from: nowcast\nindicators:\n  gdp:\n    growth: 5.0\n"
                    "    sd: 1.0\n", encoding="utf-8")
    p = project(load_scenario(path), ds, draws=100, seed=1, as_of="2025-09")  # horizon 2026–2030
    assert any("for 2025, outside the horizon; not applied" in n for n in p.notes)
    assert not any("from the nowcast" in n for n in p.notes)


# --------------------------------------------------------------------------- scenarios edited in Python

def test_a_valid_edit_in_python_changes_the_projection(ds):
    import copy

    sc = load_scenario(HERE / "exact.yaml")
    alt = copy.deepcopy(sc)
    alt.indicators["gdp"].growth[2027] = 5.5
    g = growth(project(alt, ds), "gdp")
    assert np.array_equal(g[0], [4.0, 5.5, 4.0, 4.0, 4.0])
    assert np.allclose(growth(project(alt, ds), "industrial_va")[0, 1], 1.0 + 1.5 * 5.5)  # the link follows


@pytest.mark.parametrize("value,key", [("5%", "indicators.gdp.growth.2027"), (500.0, "indicators.gdp.growth.2027")])
def test_project_refuses_an_invalid_edit_naming_the_key(ds, value, key):
    sc = load_scenario(HERE / "exact.yaml")
    sc.indicators["gdp"].growth[2027] = value
    with pytest.raises(InputError) as exc:
        project(sc, ds)
    assert exc.value.key == key


@pytest.mark.parametrize("year,key", [("2027", "indicators.gdp.growth.2027"), (2031, "indicators.gdp.growth.2031")])
def test_project_refuses_an_edit_for_a_year_it_would_otherwise_ignore(ds, year, key):
    sc = load_scenario(HERE / "exact.yaml")
    sc.indicators["gdp"].growth[year] = 9.0
    with pytest.raises(InputError) as exc:
        project(sc, ds)
    assert exc.value.key == key


def test_an_edited_scenario_written_to_yaml_projects_the_same_with_the_same_seed(ds, tmp_path):
    import yaml

    sc = load_scenario(HERE / "noisy.yaml")
    sc.indicators["gdp"].growth[2028] = 5.0
    sc.indicators["retail_sales"].shocks.append({"size": -1.5, "start": 2027, "persistence": 0.5})
    sc.indicators["retail_sales"].targets.append({"period": "2029", "measure": "growth", "target": 2.0})
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(sc.to_dict(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    again = project(load_scenario(path), ds, draws=300, seed=11)
    first = project(sc, ds, draws=300, seed=11)
    assert again.to_csv() == first.to_csv()
    assert again.targets().equals(first.targets())
