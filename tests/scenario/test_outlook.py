"""The outlook baseline: national context, vintages, nowcast, joint draws and the plan scenario."""
from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from econsim.data.dataset import load_dataset
from econsim.errors import InputError
from econsim.io.resources import find
from econsim.scenario.files import load_scenario
from econsim.scenario.projection import project

DRAWS = 4000


def _bundled_rows():
    text = find("data", "observations.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return reader.fieldnames, list(reader)


def _write(tmp_path, fields, rows, name="obs.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def _with_national_2026_forecast(tmp_path, value):
    fields, rows = _bundled_rows()
    for r in rows:
        if (r["region"], r["indicator"], r["period"], r["status"]) == ("china", "gdp", "2026", "forecast"):
            r["value"] = str(value)
    return load_dataset(_write(tmp_path, fields, rows))


def _with_zone_gdp_2026_target_range_6_to_7(tmp_path):
    fields, rows = _bundled_rows()
    for r in rows:
        if (r["region"], r["indicator"], r["period"], r["status"]) == ("dlhitech", "gdp", "2026", "target"):
            r["value_upper"] = "7"
    return load_dataset(_write(tmp_path, fields, rows))


def _gdp_2026(proj):
    g = proj.growth[proj.indicators.index("gdp")][:, 0]
    return float(np.median(g)), float(np.percentile(g, 90) - np.percentile(g, 10))


# ----------------------------------------------------------------------------- vintages

def test_as_of_november_2025_sees_the_imfs_4_2_and_as_of_february_2026_its_4_5():
    ds = load_dataset()
    nov = ds.as_known_at("2025-11").forecasts("china").query("period == '2026'")
    feb = ds.as_known_at("2026-02").forecasts("china").query("period == '2026'")
    assert nov["value"].tolist() == [4.2]
    assert feb["value"].tolist() == [4.5]


def test_the_national_target_published_in_march_2026_is_unknown_in_february():
    ds = load_dataset()
    assert ds.as_known_at("2026-02").targets("china").empty
    assert len(ds.as_known_at("2026-03").targets("china")) == 1


def test_outside_forecasts_never_enter_the_annual_history():
    ds = load_dataset()
    assert 2026 not in ds.annual("china", "growth").index
    assert ds.annual("china", "growth").loc[2025, "gdp"] == 5.0  # the preliminary outcome, not the 5.0 forecast row


# ----------------------------------------------------------------------------- hierarchy

def test_a_users_region_names_its_parent_in_the_parent_column(obs_file):
    path = obs_file("myzone,gdp,2025,growth,5,pct,actual,comparable,me,p1,,,,,china",
                    header="region,indicator,period,measure,value,unit,status,basis,source,locator,"
                           "source_quality,note,published,value_upper,parent")
    assert load_dataset(path).ancestors("myzone") == ["china"]


def test_a_region_placed_in_two_parents_is_refused_with_its_line(obs_file):
    header = "region,indicator,period,measure,value,unit,status,basis,source,locator,parent"
    path = obs_file("myzone,gdp,2025,growth,5,pct,actual,comparable,me,p1,dalian",
                    "myzone,gdp,2024,growth,5,pct,actual,comparable,me,p1,shenyang", header=header)
    with pytest.raises(InputError) as err:
        load_dataset(path)
    assert (err.value.line, err.value.key) == (3, "parent")


def test_a_range_upper_bound_below_its_lower_bound_is_refused(obs_file):
    header = "region,indicator,period,measure,value,unit,status,basis,source,locator,value_upper"
    path = obs_file("myzone,gdp,2026,growth,5,pct,target,comparable,me,p1,4", header=header)
    with pytest.raises(InputError) as err:
        load_dataset(path)
    assert err.value.key == "value_upper"


# ----------------------------------------------------------------------------- the outlook

def test_lowering_the_national_2026_forecast_lowers_the_zones_2026_gdp_outlook(tmp_path):
    low = project("baseline", _with_national_2026_forecast(tmp_path, 3.0), draws=DRAWS, seed=1)
    base = project("baseline", load_dataset(), draws=DRAWS, seed=1)
    assert _gdp_2026(low)[0] < _gdp_2026(base)[0] - 0.1


def test_raising_the_national_2026_forecast_raises_the_zones_2026_gdp_outlook(tmp_path):
    high = project("baseline", _with_national_2026_forecast(tmp_path, 6.0), draws=DRAWS, seed=1)
    base = project("baseline", load_dataset(), draws=DRAWS, seed=1)
    assert _gdp_2026(high)[0] > _gdp_2026(base)[0] + 0.1


def test_a_2026_year_to_date_gdp_figure_pulls_the_outlook_towards_it_and_narrows_it(tmp_path):
    fields, rows = _bundled_rows()
    rows.append({f: "" for f in fields} | {
        "region": "dlhitech", "indicator": "gdp", "period": "2026-09", "measure": "ytd_growth", "value": "4.0",
        "unit": "pct", "status": "actual", "basis": "comparable", "source": "test", "locator": "1–9月",
        "parent": "dalian"})
    with_ytd = project("baseline", load_dataset(_write(tmp_path, fields, rows)), draws=DRAWS, seed=1)
    without = project("baseline", load_dataset(), draws=DRAWS, seed=1)
    (m1, w1), (m0, w0) = _gdp_2026(with_ytd), _gdp_2026(without)
    assert abs(m1 - 4.0) < abs(m0 - 4.0) - 0.5
    assert w1 < 0.75 * w0  # the nowcast (sd 0.75 pp at 1–9月) and the outlook (0.92 pp) combined: 0.58 pp


def test_the_plan_scenario_puts_2026_gdp_at_its_target_so_the_odds_are_about_even():
    tg = project("plan", draws=DRAWS, seed=1).targets()
    p = tg.query("indicator == 'gdp' and year == '2026'")["probability"].iloc[0]
    assert 0.45 <= p <= 0.55


def test_the_baseline_outlook_for_2026_gdp_lies_between_the_national_outlook_and_the_zones_own_path():
    proj = project("baseline", draws=DRAWS, seed=1)
    median = _gdp_2026(proj)[0]
    # national: IMF 4.5 and target 4.5–5 (4.625); the zone's own 2024–25 growth 6.0
    assert 4.625 < median < 6.0


def test_indicators_without_history_are_labelled_as_stated_assumptions():
    proj = project("baseline", draws=200, seed=1)
    assert any(n.startswith("software_revenue: no outlook") for n in proj.notes)


def test_gdp_and_industry_draws_are_positively_correlated_in_the_outlook():
    proj = project("baseline", draws=DRAWS, seed=1)
    g = proj.growth[proj.indicators.index("gdp")][:, 0]
    i = proj.growth[proj.indicators.index("industrial_va")][:, 0]
    assert np.corrcoef(g, i)[0, 1] > 0.3


def test_probability_all_is_the_share_of_draws_meeting_every_2026_growth_target():
    proj = project("baseline", draws=DRAWS, seed=1)
    tg = proj.targets()
    rows = tg[(tg["year"] == "2026") & (tg["measure"] == "growth") & tg["probability_all"].notna()]
    ok = np.ones(DRAWS, dtype=bool)
    for r in rows.itertuples():
        ok &= proj.growth[proj.indicators.index(r.indicator)][:, 0] >= r.target
    assert rows["probability_all"].iloc[0] == pytest.approx(ok.mean())
    assert rows["probability_all"].iloc[0] <= rows["probability"].min()


def test_a_range_target_reports_the_chance_of_landing_within_it(tmp_path):
    proj = project("baseline", _with_zone_gdp_2026_target_range_6_to_7(tmp_path), draws=DRAWS, seed=1)
    row = proj.targets().query("indicator == 'gdp' and year == '2026'").iloc[0]
    g = proj.growth[proj.indicators.index("gdp")][:, 0]
    assert row["target_upper"] == 7
    assert row["probability_in_range"] == pytest.approx(np.mean((g >= 6) & (g <= 7)))


def test_an_outlook_flag_that_is_not_true_or_false_is_refused(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("name: x\noutlook: maybe\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert err.value.key == "outlook"


# ----------------------------------------------------------------------------- the arithmetic

def test_pool_mixes_with_the_own_weight_and_widens_with_disagreement():
    from econsim.scenario.outlook import pool

    centre, sd, w = pool([6.0], [1.0], [4.0], [1.0], weight_own=0.25)
    # centre 0.25·6 + 0.75·4 = 4.5; variance 0.25·1 + 0.75·1 + 0.25·0.75·(6 − 4)² = 1.75
    assert (w[0], centre[0], sd[0]) == pytest.approx((0.25, 4.5, np.sqrt(1.75)))


def test_pool_without_an_anchor_keeps_the_own_estimate():
    from econsim.scenario.outlook import pool

    centre, sd, w = pool([6.0], [0.8], [np.nan], [np.nan])
    assert (w[0], centre[0], sd[0]) == pytest.approx((1.0, 6.0, 0.8))


def test_a_nowcast_combines_by_precision():
    from econsim.scenario.outlook import combine_nowcast

    # precisions 1/1 and 1/0.25 = 4: centre (5 + 4·4)/5 = 4.2, sd sqrt(1/5)
    assert combine_nowcast(5.0, 1.0, 4.0, 0.5) == pytest.approx((4.2, np.sqrt(0.2)))


def test_the_zones_spread_over_the_nation_is_shrunk_by_n_over_n_plus_two():
    from econsim.scenario.outlook import growth_spread

    s = growth_spread(load_dataset(), "dlhitech", "china", "gdp", prior_sd=1.0)
    # 2024: 6 − 5, 2025: 6 − 5 → mean 1.0 over 2 years, shrunk 1.0·2/4; scatter 0 → sd sqrt(2·1/4)
    assert (s["n"], s["raw"], s["mean"], s["sd"]) == pytest.approx((2, 1.0, 0.5, np.sqrt(0.5)))


def test_reordering_gives_the_values_the_ranks_of_the_scores():
    from econsim.scenario.engine import rank_to

    values = np.array([10.0, 30.0, 20.0])
    scores = np.array([0.3, -1.0, 2.0])
    assert values[rank_to(values, scores)].tolist() == [20.0, 10.0, 30.0]


def test_an_outside_forecast_never_enters_the_reconstruction_or_the_checks(obs_file):
    header = "region,indicator,period,measure,value,unit,status,basis,source,locator,published"
    rows = [f"myzone,gdp,{y},growth,{g},pct,actual,comparable,me,p1," for y, g in ((2023, 5), (2024, 6), (2025, 5))]
    plain = load_dataset(obs_file(*rows, header=header))
    with_fc = load_dataset(obs_file(*rows, "myzone,gdp,2025,growth,99,pct,forecast,comparable,imf,p2,2025-04",
                                    header=header, name="fc.csv"))
    rec = with_fc.reconstruct("myzone").paths
    assert rec.equals(plain.reconstruct("myzone").paths)
    assert [f.message for f in with_fc.check("myzone")] == [f.message for f in plain.check("myzone")]


# ----------------------------------------------------------------------------- within main's engine

def test_range_and_joint_target_odds_of_a_streamed_run_are_those_of_the_draws(tmp_path):
    ds = _with_zone_gdp_2026_target_range_6_to_7(tmp_path)
    held = project("baseline", ds, draws=2300, seed=3, block_draws=500)
    streamed = project("baseline", ds, draws=2300, seed=3, block_draws=500, chunk_draws=1000)
    assert streamed.growth is None  # summaries only: the draws were streamed in chunks
    tg = streamed.targets()
    gdp = tg.query("indicator == 'gdp' and year == '2026'").iloc[0]
    g = held.growth[held.indicators.index("gdp")][:, 0]
    assert gdp["probability_in_range"] == np.mean((g >= 6) & (g <= 7))
    together = tg[(tg["year"] == "2026") & (tg["measure"] == "growth") & tg["probability_all"].notna()]
    ok = np.ones(2300, dtype=bool)
    for r in together.itertuples():
        ok &= held.growth[held.indicators.index(r.indicator)][:, 0] >= r.target
    assert together["probability_all"].iloc[0] == ok.mean()


def test_every_forecaster_call_of_an_outlook_projection_keeps_growth_bands_additive(monkeypatch):
    import econsim.forecasting.auto as auto

    calls = []

    def recording(fn):
        def call(*args, **kwargs):
            calls.append(kwargs.get("multiplicative"))
            return fn(*args, **kwargs)
        return call

    monkeypatch.setattr(auto, "forecast", recording(auto.forecast))
    monkeypatch.setattr(auto, "simulate_paths", recording(auto.simulate_paths))
    project("baseline", load_dataset(), draws=100, seed=1)
    assert calls and all(m is False for m in calls)  # growth can turn negative: never multiplicative


def test_outlook_draws_have_the_outlooks_stated_width_even_for_a_three_value_series(obs_file):
    """A 3-value history gives the forecaster's paths Student-t tails with few degrees of freedom; the
    draws' 80% interval must still be the outlook's (centre ± z₀.₉·sd), not squeezed by those tails."""
    from econsim.data.dataset import load_dataset
    from econsim.scenario.files import load_scenario
    from econsim.scenario.plan import prepare
    from econsim.scenario.projection import project
    from econsim.scenario.regions import with_region

    rows = [f"z,industrial_va,{y},growth,{v},pct,actual,comparable,s,l" for y, v in
            [(2023, 7.0), (2024, 6.4), (2025, 6.8)]]
    ds = load_dataset(obs_file(*rows))
    sc = with_region(load_scenario("baseline"), "z").validated()
    plan = prepare(sc, ds)
    sd = plan.indicators["industrial_va"].outlook_sd[0]
    g = project(sc, ds, draws=20000, seed=7).draws("industrial_va")[2026].to_numpy()
    q10, q90 = np.percentile(g, [10, 90])
    assert (q90 - q10) / (2 * 1.2815515655446004) == pytest.approx(sd, rel=0.05)
    assert 0.5 < sd < 5  # a sane width for growth of about 6.7% over three years
