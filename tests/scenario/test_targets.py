"""Targets: probabilities from the draws, and goal seek against hand computations."""
from pathlib import Path

import numpy as np
import pytest

from econsim.data.dataset import load_dataset
from econsim.scenario.files import load_scenario
from econsim.scenario.projection import project
from econsim.scenario.targets import average_growth, probability, required_growth, required_growth_for_average

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"


@pytest.fixture(scope="module")
def noisy():
    return project(load_scenario(HERE / "noisy.yaml"), load_dataset())


@pytest.fixture(scope="module")
def table(noisy):
    return noisy.targets().set_index(["indicator", "year", "measure"])


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


def test_probability_of_a_growth_target_is_the_share_of_its_draws_at_or_above_it(noisy, table):
    draws = noisy.draws("gdp")[2026].to_numpy()
    share = np.count_nonzero(draws >= 6.0) / draws.size
    assert 0.05 < share < 0.95  # the target lies inside the draws, so both outcomes count
    assert table.loc[("gdp", "2026", "growth"), "probability"] == pytest.approx(share, abs=5e-4)


def test_target_far_above_the_centre_is_almost_surely_missed(table):
    # 30% against 3% ± 2 pp a year: some 13 sd above
    assert table.loc[("retail_sales", "2030", "growth"), "probability"] < 0.01


def test_target_far_below_the_centre_is_almost_surely_met(table):
    assert table.loc[("retail_sales", "2026", "growth"), "probability"] > 0.99


def test_target_far_above_the_centre_is_almost_surely_missed(table):
    assert table.loc[("retail_sales", "2030", "growth"), "probability"] < 0.01


def test_the_report_targets_are_included_automatically(table):
    assert table.loc[("gdp", "2026", "growth"), "target"] == 6.0
    assert "work_report_2026" in table.loc[("gdp", "2026", "growth"), "source"]


def test_a_target_the_scenario_does_not_project_says_so(table):
    assert table.loc[("fdi_used", "2026", "level"), "note"] == "not projected in this scenario"
    assert np.isnan(table.loc[("fdi_used", "2026", "level"), "probability"])


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
