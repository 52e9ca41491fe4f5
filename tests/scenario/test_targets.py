"""Targets: probabilities from the draws, and goal seek against hand computations."""
from pathlib import Path

import numpy as np
import pytest

from econsim.data.dataset import load_dataset
from econsim.scenario.files import load_scenario
from econsim.scenario.projection import project
from econsim.scenario.targets import (average_growth, probability, required_growth, required_growth_for_average,
                                      target_table)

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"


@pytest.fixture(scope="module")
def noisy():
    return project(load_scenario(HERE / "noisy.yaml"), load_dataset())


@pytest.fixture  # per test and not Projection.targets (cached), so that each test computes the table
def table(noisy):
    return target_table(noisy).set_index(["indicator", "year", "measure"])


def test_required_growth_to_reach_a_level_by_hand():
    # 100 -> 121 in two years is 10% a year.
    assert required_growth(121.0, 100.0, 2) == pytest.approx(10.0)


def test_required_real_growth_nets_out_the_price_assumption():
    # Nominal 100 -> 112.2 in one year with 2% prices needs 10% real growth: 1.122 / 1.02 = 1.10.
    assert required_growth(112.2, 100.0, 1, price=2.0) == pytest.approx(10.0)


def test_required_growth_for_a_five_year_average_by_hand():
    # (1.06^5 / (1.05 * 1.04))^(1/3) - 1, computed by hand: 1.3382256 / 1.092 = 1.2254813, cube root 1.070128 -> 7.0128%.
    assert required_growth_for_average(6.0, [5.0, 4.0], 5) == pytest.approx(7.0128, abs=1e-3)


def test_average_growth_is_geometric():
    g = np.array([[10.0, -10.0]])
    assert average_growth(g)[0] == pytest.approx((np.sqrt(1.1 * 0.9) - 1) * 100)


def test_probability_counts_draws_at_or_above_the_target():
    assert probability([1.0, 2.0, 3.0, 4.0], 3.0) == 0.5


def test_probability_of_a_single_draw_is_zero_or_one():
    assert probability([5.0], 3.0) == 1.0 and probability([2.0], 3.0) == 0.0


@pytest.mark.parametrize("draws", [[], [1.0, float("nan")], [float("inf"), 2.0]])
def test_probability_without_finite_draws_is_nan(draws):
    assert np.isnan(probability(draws, 3.0))


def test_required_growth_between_levels_below_one_by_hand():
    # 0.25 → 0.5 in one year is +100%
    assert required_growth(0.5, 0.25) == pytest.approx(100.0)


@pytest.mark.parametrize("target, current, years, message", [
    (0.0, 100.0, 1, "levels must be positive"), (100.0, 0.0, 1, "levels must be positive"),
    (100.0, -5.0, 1, "levels must be positive"), (121.0, 100.0, 0, "years must be at least 1")])
def test_required_growth_refuses_non_positive_levels_and_no_years(target, current, years, message):
    with pytest.raises(ValueError, match=message):
        required_growth(target, current, years)


def test_required_growth_for_an_average_with_one_year_left_by_hand():
    # 1.06^5 / (1.05 · 1.04 · 1.06 · 1.07) = 1.3382256 / 1.2385464 = 1.080481 → 8.0481%
    assert required_growth_for_average(6.0, [5.0, 4.0, 6.0, 7.0], 5) == pytest.approx(8.0481, abs=1e-3)


def test_required_growth_for_an_average_with_every_year_fixed_is_refused():
    with pytest.raises(ValueError, match="^no years left to adjust: every year of the period is fixed$"):
        required_growth_for_average(6.0, [5.0, 4.0, 6.0, 7.0, 8.0], 5)


def test_probability_of_a_growth_target_is_the_share_of_its_draws_at_or_above_it(noisy, table):
    draws = noisy.draws("gdp")[2026].to_numpy()
    share = np.count_nonzero(draws >= 6.0) / draws.size
    assert 0.05 < share < 0.95  # the target lies inside the draws, so both outcomes count
    assert table.loc[("gdp", "2026", "growth"), "probability"] == pytest.approx(share, abs=5e-4)


def test_target_far_below_the_centre_is_almost_surely_met(table):
    assert table.loc[("retail_sales", "2026", "growth"), "probability"] > 0.99


def test_target_far_above_the_centre_is_almost_surely_missed(table):
    assert table.loc[("retail_sales", "2030", "growth"), "probability"] < 0.01


def test_the_report_targets_are_included_automatically(table):
    assert table.loc[("gdp", "2026", "growth"), "target"] == 6.0
    assert "work_report_2026" in table.loc[("gdp", "2026", "growth"), "source"]


def test_a_target_the_scenario_does_not_project_says_so(table):
    row = table.loc[("fdi_used", "2026", "level")]
    assert row["note"] == "not projected in this scenario"
    assert np.isnan(row["probability"]) and np.isnan(row["required_growth"]) and np.isnan(row["projected_p50"])
    assert row["unit"] == "USD_10k" and row["name"] == "实际利用外资 Foreign direct investment actually used"


def test_a_growth_target_is_in_percent_with_the_projected_median(noisy, table):
    row = table.loc[("gdp", "2026", "growth")]
    assert row["unit"] == "pct" and row["name"] == "地区生产总值 GDP" and row["note"] == ""
    assert row["projected_p50"] == pytest.approx(float(np.median(noisy.draws("gdp")[2026])), abs=1e-6)


def test_scenario_target_on_the_average_gets_required_growth_given_the_first_year():
    p = project(load_scenario(HERE / "child.yaml"), load_dataset())
    row = p.targets().set_index(["indicator", "year", "measure"]).loc[("retail_sales", "2026-2030", "avg_growth")]
    assert row["required_growth"] == pytest.approx(required_growth_for_average(1.0, [3.0], 5))
    assert row["probability"] == 1.0  # zero uncertainty: the path averages well above 1%


def test_level_target_goal_seek_starts_from_the_first_year_median(tmp_path):
    text = (HERE / "exact.yaml").read_text(encoding="utf-8").replace(
        "    growth: 10.0\n", "    growth: 10.0\n    targets:\n      2030: {level: 150}\n", 1)
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    p = project(load_scenario(path), load_dataset())
    row = p.targets().set_index(["indicator", "year", "measure"]).loc[("fixed_investment", "2030", "level")]
    assert row["required_growth"] == pytest.approx(required_growth(150.0, 99.94 * 1.10, 4))


def _level_target_row(tmp_path, indicator_yaml, key, year):
    path = tmp_path / "first.yaml"
    path.write_text("name: first\ndraws: 20\nseed: 1\nhorizon: [2026, 2030]\nindicators:\n" + indicator_yaml,
                    encoding="utf-8")
    return project(load_scenario(path), load_dataset()).targets().set_index(
        ["indicator", "year", "measure"]).loc[(key, year, "level")]


def test_level_target_in_the_first_year_grows_from_the_base_level_net_of_that_years_prices(tmp_path):
    # 500 → 540.6 with prices +2%: 540.6 / 500 / 1.02 = 1.06, so 6% real growth
    row = _level_target_row(tmp_path, "  gdp:\n    growth: 4.0\n    uncertainty: 0\n    base_level: 500\n"
                                      "    price: {2026: 2.0, 2027: 5.0}\n    targets:\n      2026: {level: 540.6}\n",
                            "gdp", "2026")
    assert row["required_growth"] == pytest.approx(6.0, rel=1e-12)


def test_level_target_in_the_first_year_grows_from_last_years_level_in_the_data(tmp_path):
    # the bundled 2025 fixed-investment level is 99.94 (as in the first-year median test above)
    row = _level_target_row(tmp_path, "  fixed_investment:\n    growth: 10.0\n    uncertainty: 0\n"
                                      "    targets:\n      2026: {level: 120}\n", "fixed_investment", "2026")
    assert row["required_growth"] == pytest.approx((120 / 99.94 - 1) * 100, rel=1e-9)


def test_level_goal_seek_counts_each_years_price_change_once_and_compounds_it(tmp_path):
    # Levels chain as L_t = L_{t-1} (1 + g/100) (1 + p_t/100).  The 2026 median level already holds
    # 2026's price change, so reaching 700 in 2029 takes (1 + g)^3 · 1.05 · 0.99 · 1.03 = 700 / L_2026.
    path = tmp_path / "prices.yaml"
    path.write_text("name: prices\ndraws: 20\nseed: 1\nhorizon: [2026, 2030]\nindicators:\n  gdp:\n"
                    "    growth: 4.0\n    uncertainty: 0\n    base_level: 500\n"
                    "    price: {2026: 2.0, 2027: 5.0, 2028: -1.0, 2029: 3.0, 2030: 0.5}\n"
                    "    targets:\n      2029: {level: 700}\n", encoding="utf-8")
    row = project(load_scenario(path), load_dataset()).targets().set_index(
        ["indicator", "year", "measure"]).loc[("gdp", "2029", "level")]
    level_2026 = 500 * 1.04 * 1.02
    expected = ((700 / level_2026 / (1.05 * 0.99 * 1.03)) ** (1 / 3) - 1) * 100
    assert row["required_growth"] == pytest.approx(expected, rel=1e-12)
    g = row["required_growth"] / 100
    assert level_2026 * (1 + g) ** 3 * 1.05 * 0.99 * 1.03 == pytest.approx(700)


def test_all_targets_met_reads_each_years_joint_probability_and_counts_its_growth_targets():
    import pandas as pd

    from econsim.scenario.targets import all_targets_met

    nan = float("nan")
    table = pd.DataFrame({"year": ["2026", "2026", "2026", "2027", "2026-2030"],
                          "probability_all": [0.25, 0.25, 0.25, nan, nan]})
    assert all_targets_met(table) == {"2026": (3, 0.25)}


# --------------------------------------------------------------------------- targets from the data

EXTRA_TARGETS = """\
dlhitech,gdp,2027,growth,5.5,pct,target,comparable,plan_2027,t1,official,a range target,2026-03-01,6.5,dalian
dlhitech,gdp,2031,growth,9.0,pct,target,comparable,plan_2027,t2,official,after the horizon,2026-03-01,,dalian
dlhitech,gdp,2025,growth,9.0,pct,target,comparable,plan_2027,t3,official,before the horizon,2024-03-01,,dalian
dlhitech,gdp,2026-2030,avg_growth,5.0,pct,target,comparable,plan_2027,t4,official,a period target,2026-03-01,,dalian
dlhitech,fdi_used,2027,level,0.4,USD_100m,target,nominal,plan_2027,t5,official,a level range in 亿美元,2026-03-01,0.6,dalian
"""


@pytest.fixture(scope="module")
def with_data(tmp_path_factory):
    """gdp 4% ± 1 and retail sales 3% ± 2 (stated sd), against the bundled data plus EXTRA_TARGETS."""
    from econsim.data.dataset import default_path

    base = tmp_path_factory.mktemp("targets")
    data = base / "observations.csv"
    text = Path(default_path()).read_text(encoding="utf-8")
    data.write_text(text.rstrip("\n") + "\n" + EXTRA_TARGETS, encoding="utf-8")
    scenario = base / "both.yaml"
    scenario.write_text("name: both\ndraws: 400\nseed: 3\nhorizon: [2026, 2030]\nindicators:\n"
                        "  gdp:\n    growth: 6.0\n    sd: 1.0\n"
                        "  retail_sales:\n    growth: 3.0\n    sd: 2.0\n    targets:\n      2026: {growth: 3.0}\n"
                        "      2027: {growth: 2.0}\n", encoding="utf-8")
    return project(load_scenario(scenario), load_dataset(data))


def test_a_range_target_from_the_data_counts_reaching_the_lower_bound_and_lying_within_the_range(with_data):
    p = with_data
    targets = target_table(p)
    row = targets.set_index(["indicator", "year", "measure"]).loc[("gdp", "2027", "growth")]
    draws = p.draws("gdp")[2027].to_numpy()
    at_least, within = np.mean(draws >= 5.5), np.mean((draws >= 5.5) & (draws <= 6.5))
    assert 0.02 < within < at_least < 0.98  # both shares are decided by the draws
    assert row["target"] == 5.5 and row["target_upper"] == 6.5 and row["source"] == "plan_2027 (t1)"
    assert row["probability"] == pytest.approx(at_least) and row["probability_in_range"] == pytest.approx(within)


def test_a_single_figure_target_has_no_range_probability(with_data):
    targets = target_table(with_data)
    row = targets.set_index(["indicator", "year", "measure"]).loc[("gdp", "2026", "growth")]
    assert np.isnan(row["target_upper"]) and np.isnan(row["probability_in_range"])


def test_data_targets_outside_the_horizon_or_for_a_period_are_left_out(with_data):
    targets = target_table(with_data)
    gdp = targets[targets["indicator"] == "gdp"]
    assert list(zip(gdp["year"], gdp["measure"])) == [("2026", "growth"), ("2027", "growth")]


def test_a_level_target_from_the_data_is_in_the_indicators_unit_bounds_included(with_data):
    # 0.4–0.6 亿美元 = 4,000–6,000 万美元 (USD_10k, the registry unit of fdi_used)
    targets = target_table(with_data)
    row = targets.set_index(["indicator", "year", "measure"]).loc[("fdi_used", "2027", "level")]
    assert row["target"] == pytest.approx(4000.0) and row["target_upper"] == pytest.approx(6000.0)
    assert row["unit"] == "USD_10k" and row["note"] == "not projected in this scenario"


def test_probability_all_is_the_share_of_draws_meeting_every_growth_target_of_the_year(with_data):
    # 2026: gdp ≥ 6 (data) and retail sales ≥ 3 (scenario), each about one half and drawn
    # independently, so together about a quarter: the count of joint draws, not a product or a minimum
    p = with_data
    targets = target_table(p)
    gdp, rs = p.draws("gdp")[2026].to_numpy(), p.draws("retail_sales")[2026].to_numpy()
    together = np.mean((gdp >= 6.0) & (rs >= 3.0))
    assert 0.1 < together < min(np.mean(gdp >= 6.0), np.mean(rs >= 3.0)) - 0.1
    t = targets.set_index(["indicator", "year", "measure"])
    assert t.loc[("gdp", "2026", "growth"), "probability_all"] == pytest.approx(together)
    assert t.loc[("retail_sales", "2026", "growth"), "probability_all"] == pytest.approx(together)
    # 2027: gdp at or above its range's lower bound 5.5 and retail sales ≥ 2
    gdp27, rs27 = p.draws("gdp")[2027].to_numpy(), p.draws("retail_sales")[2027].to_numpy()
    assert t.loc[("gdp", "2027", "growth"), "probability_all"] == pytest.approx(np.mean((gdp27 >= 5.5) & (rs27 >= 2.0)))
    # not for an indicator that is not projected, nor for a level target
    assert np.isnan(t.loc[("foreign_trade", "2026", "growth"), "probability_all"])
    assert np.isnan(t.loc[("fdi_used", "2027", "level"), "probability_all"])


def test_all_targets_met_gives_each_year_its_count_and_joint_probability(with_data):
    from econsim.scenario.targets import all_targets_met

    p = with_data
    targets = target_table(p)
    t = targets.set_index(["indicator", "year", "measure"])
    met = all_targets_met(targets)
    assert list(met) == ["2026", "2027"]
    assert met["2026"] == (2, t.loc[("gdp", "2026", "growth"), "probability_all"])
    assert met["2027"] == (2, t.loc[("gdp", "2027", "growth"), "probability_all"])


def test_the_target_table_is_ordered_by_indicator_year_and_measure(with_data):
    targets = target_table(with_data)
    keys = list(zip(targets["indicator"], targets["year"], targets["measure"]))
    assert keys == sorted(keys) and len(keys) == 10


# --------------------------------------------------------------------------- level goal seek fallbacks

def test_a_level_target_without_a_level_in_the_data_says_to_give_a_base_level(tmp_path):
    # retail sales has growth but no level in the zone's data: neither the probability nor the goal
    # seek can be computed, in the first year (from the base level) or later (from the first year's)
    path = tmp_path / "nolevel.yaml"
    path.write_text("name: nolevel\ndraws: 20\nseed: 1\nhorizon: [2026, 2030]\nindicators:\n"
                    "  retail_sales:\n    growth: 3.0\n    sd: 1.0\n    targets:\n"
                    "      2026: {level: 100}\n      2028: {level: 100}\n", encoding="utf-8")
    t = project(load_scenario(path), load_dataset()).targets().set_index(["indicator", "year", "measure"])
    for year in ("2026", "2028"):
        row = t.loc[("retail_sales", year, "level")]
        assert row["note"] == "no 2025 level in the data; give base_level in the scenario"
        assert np.isnan(row["probability"]) and np.isnan(row["required_growth"]) and np.isnan(row["projected_p50"])


def test_level_goal_seek_takes_no_price_change_in_years_the_scenario_gives_none(tmp_path):
    # prices stated for 2026 and 2029 only: 2027–2028 count as 0%, so from the 2026 level
    # 500 · 1.04 · 1.02 = 530.4 to 600 in two years needs √(600 / 530.4) − 1 = 6.3589% a year
    path = tmp_path / "gaps.yaml"
    path.write_text("name: gaps\ndraws: 20\nseed: 1\nhorizon: [2026, 2030]\nindicators:\n  gdp:\n"
                    "    growth: 4.0\n    uncertainty: 0\n    base_level: 500\n    price: {2026: 2.0, 2029: 3.0}\n"
                    "    targets:\n      2028: {level: 600}\n", encoding="utf-8")
    row = project(load_scenario(path), load_dataset()).targets().set_index(
        ["indicator", "year", "measure"]).loc[("gdp", "2028", "level")]
    assert row["required_growth"] == pytest.approx((np.sqrt(600 / 530.4) - 1) * 100, rel=1e-12)
    assert row["projected_p50"] == pytest.approx(530.4 * 1.04 ** 2) and row["probability"] == 0.0
    assert row["note"] == "no spread (pinned or zero uncertainty)"


def test_required_growth_for_an_average_is_over_the_five_years_2026_2030_by_default():
    # the hand case above (7.0128% over 2028–2030), with the period length left out
    assert required_growth_for_average(6.0, [5.0, 4.0]) == pytest.approx(7.0128, abs=1e-3)


def test_average_growth_of_draws_by_indicator_is_over_the_last_axis():
    # shape (indicators, draws, years) = (1, 2, 3): √[3](1.1 · 1.1 · 1.1) − 1 = 10%, √[3](1.0 · 1.2 · 0.9) − 1
    g = np.array([[[10.0, 10.0, 10.0], [0.0, 20.0, -10.0]]])
    got = average_growth(g)
    assert got.shape == (1, 2)
    assert got[0, 0] == pytest.approx(10.0) and got[0, 1] == pytest.approx((1.08 ** (1 / 3) - 1) * 100)


def test_a_scenario_target_replaces_the_datas_target_for_the_same_figure(table):
    # the data's target for retail sales in 2026 is 3%; the noisy scenario states −20%
    row = table.loc[("retail_sales", "2026", "growth")]
    assert row["target"] == -20.0 and row["source"] == "scenario noisy" and np.isnan(row["target_upper"])


def test_all_targets_met_lists_the_years_in_order_also_one_with_a_single_target():
    import pandas as pd

    from econsim.scenario.targets import all_targets_met

    table = pd.DataFrame({"year": ["2028", "2026", "2028"], "probability_all": [0.5, 0.125, 0.5]})
    met = all_targets_met(table)
    assert list(met) == ["2026", "2028"] and met == {"2026": (1, 0.125), "2028": (2, 0.5)}


def test_the_target_table_has_the_documented_columns_in_order(table):
    from econsim.scenario.targets import TARGET_COLUMNS

    assert list(table.reset_index().columns) == list(TARGET_COLUMNS)
    assert list(table.index.names) == ["indicator", "year", "measure"]


def test_a_three_year_average_target_needs_the_growth_left_for_its_last_two_years(tmp_path):
    # gdp grows 4% a year with no uncertainty. An average of 5% over 2026-2028 needs, after 4% in 2026,
    # (1.05^3 / 1.04)^(1/2) - 1 = (1.157625 / 1.04)^0.5 - 1 = 5.5036% in each of 2027 and 2028 (by hand);
    # the path itself averages 4%, so the target is surely missed.
    path = tmp_path / "t.yaml"
    path.write_text("name: three\nhorizon: [2026, 2028]\nindicators:\n  gdp:\n    growth: 4.0\n    uncertainty: 0\n"
                    "    targets:\n      2026-2028: {avg_growth: 5.0}\n", encoding="utf-8")
    row = target_table(project(load_scenario(path), load_dataset())).set_index(
        ["indicator", "year", "measure"]).loc[("gdp", "2026-2028", "avg_growth")]
    assert row["required_growth"] == pytest.approx(5.5036, abs=1e-4)
    assert row["probability"] == 0.0


@pytest.mark.parametrize("upper", ["absent", "None"])
def test_a_dataset_built_in_python_without_ranges_gives_the_same_target_table(noisy, upper):
    # Dataset(frame) is public: a frame without the optional value_upper column, or holding None in it,
    # reads as "no range" — the same table as from the file
    from econsim.data.dataset import Dataset

    obs = load_dataset().observations
    if upper == "absent":
        obs = obs.drop(columns=["value_upper"])
    else:
        obs = obs.assign(value_upper=obs["value_upper"].astype(object).where(obs["value_upper"].notna(), None))
    from_file = target_table(noisy)
    from_frame = target_table(project(noisy.scenario, Dataset(obs)))
    assert from_frame[["indicator", "year", "measure", "target"]].equals(from_file[["indicator", "year", "measure", "target"]])
    assert from_file["target_upper"].isna().all() and from_frame["target_upper"].isna().all()  # no range here
