"""Specification of the 2020–2025 reconstruction (econsim.reconstruct)."""
import math

import pandas as pd
import pytest

from econsim.data.schema import COLUMNS
from econsim.data.dataset import Dataset, load_dataset
from econsim.data.reconstruct import reconstruct


def obs(*rows):
    """An observations frame from (indicator, period, measure, value[, status[, basis]]) tuples."""
    out = []
    for r in rows:
        indicator, period, measure, value = r[:4]
        status = r[4] if len(r) > 4 else "actual"
        pct = measure in ("growth", "avg_growth")
        basis = r[5] if len(r) > 5 else ("comparable" if pct and indicator == "gdp" else "nominal")
        out.append({"region": "testland", "indicator": indicator, "period": period, "measure": measure,
                    "value": float(value), "unit": "pct" if pct else "CNY_100m", "status": status, "basis": basis,
                    "source": f"test source {len(out)}", "locator": "table 1", "source_quality": "official",
                    "note": ""})
    return Dataset(pd.DataFrame(out, columns=list(COLUMNS)))


def path(rec, indicator, measure, basis=None):
    df = rec.paths[(rec.paths["indicator"] == indicator) & (rec.paths["measure"] == measure)]
    if basis:
        df = df[df["basis"] == basis]
    return dict(zip(df["period"].astype(int), df["value"]))


def geometric_mean_growth(growth: dict, years) -> float:
    return 100 * (math.prod(1 + growth[y] / 100 for y in years) ** (1 / len(years)) - 1)


@pytest.fixture(scope="module")
def zone():
    return load_dataset().reconstruct("dlhitech")


# --------------------------------------------------------------------------- the shape of the result

def test_paths_have_exactly_the_observation_columns(zone):
    assert list(zone.paths.columns) == list(COLUMNS)


def test_every_path_figure_is_derived_and_says_so(zone):
    assert set(zone.paths["status"]) == {"derived"}
    assert set(zone.paths["source"]) == {"econsim reconstruction"}
    assert set(zone.paths["source_quality"]) == {"derived"}
    assert zone.paths["locator"].str.startswith("constraints met:").all()
    assert zone.paths["note"].str.len().gt(20).all()


def test_paths_cover_only_2020_to_2025(zone):
    assert set(zone.paths["period"].astype(int)) <= set(range(2020, 2026))


# --------------------------------------------------------------------------- industrial value added

def test_industrial_nominal_levels_are_19_5_in_2020_and_31_2_in_2025(zone):
    levels = path(zone, "industrial_va", "level", "nominal")
    assert sorted(levels) == list(range(2020, 2026))
    assert levels[2020] == pytest.approx(19.5, abs=1e-4)
    assert levels[2025] == pytest.approx(31.2, abs=1e-4)


def test_industrial_real_growth_is_10_2_in_2025_and_averages_11_1(zone):
    growth = path(zone, "industrial_va", "growth", "comparable")
    assert sorted(growth) == list(range(2021, 2026))
    assert growth[2025] == pytest.approx(10.2, abs=1e-4)
    assert geometric_mean_growth(growth, range(2021, 2026)) == pytest.approx(11.1, abs=1e-4)


def test_industrial_implied_price_change_is_a_decline_of_about_1_1_percent_a_year(zone):
    prices = zone.prices[zone.prices["indicator"] == "industrial_va"].set_index("year")
    assert list(prices.index) == list(range(2021, 2026))
    yearly = 1 + prices["price_change"] / 100
    assert 100 * (yearly.prod() ** (1 / 5) - 1) == pytest.approx(-1.12, abs=0.01)
    levels = path(zone, "industrial_va", "level", "nominal")
    assert 1 + prices.loc[2023, "nominal_growth"] / 100 == pytest.approx(levels[2023] / levels[2022], abs=1e-5)


def test_industrial_growth_path_is_smooth_not_a_step(zone):
    growth = path(zone, "industrial_va", "growth", "comparable")
    steps = [abs(growth[y] - growth[y - 1]) for y in range(2022, 2026)]
    assert max(steps) < 1.0


# --------------------------------------------------------------------------- GDP

def test_gdp_real_growth_is_6_in_2024_and_2025_and_averages_6_5(zone):
    growth = path(zone, "gdp", "growth", "comparable")
    assert sorted(growth) == list(range(2021, 2026))
    assert growth[2024] == pytest.approx(6.0, abs=1e-4)
    assert growth[2025] == pytest.approx(6.0, abs=1e-4)
    assert geometric_mean_growth(growth, range(2021, 2026)) == pytest.approx(6.5, abs=1e-4)


def test_gdp_levels_are_at_constant_2024_prices_and_never_called_nominal(zone):
    levels = zone.paths[(zone.paths["indicator"] == "gdp") & (zone.paths["measure"] == "level")]
    assert set(levels["basis"]) == {"comparable"}
    assert levels["note"].str.contains("constant 2024 prices").all()
    values = dict(zip(levels["period"].astype(int), levels["value"]))
    growth = path(zone, "gdp", "growth", "comparable")
    assert values[2024] == pytest.approx(471.3, abs=1e-4)
    assert values[2025] == pytest.approx(471.3 * (1 + growth[2025] / 100), abs=1e-3)
    assert values[2020] == pytest.approx(471.3 / math.prod(1 + growth[y] / 100 for y in range(2021, 2025)), abs=1e-3)


# --------------------------------------------------------------------------- fixed investment

def test_fixed_investment_levels_meet_99_94_in_2025_and_139_1_in_2024(zone):
    levels = path(zone, "fixed_investment", "level", "nominal")
    assert sorted(levels) == list(range(2020, 2026))
    assert levels[2025] == pytest.approx(99.94, abs=1e-4)
    assert levels[2024] == pytest.approx(139.1, abs=1e-4)


def test_fixed_investment_meets_the_five_year_total_and_2024_growth(zone):
    levels = path(zone, "fixed_investment", "level", "nominal")
    growth = path(zone, "fixed_investment", "growth", "nominal")
    assert sum(levels[y] for y in range(2021, 2026)) == pytest.approx(597, abs=1e-3)
    assert growth[2024] == pytest.approx(5.8, abs=1e-4)
    assert growth[2025] == pytest.approx(100 * (99.94 / 139.1 - 1), abs=1e-3)


def test_fixed_investment_levels_stay_positive(zone):
    assert min(path(zone, "fixed_investment", "level").values()) > 0


def test_fixed_investment_conflict_is_reported_with_its_numbers(zone):
    [line] = [c for c in zone.conflicts if "fixed_investment" in c]
    assert "avg_increase 2021-2025 = 24.9" in line
    assert "99.94" in line and "-24.56" in line


def test_conflicting_figure_stays_in_the_constraints_with_its_residual(zone):
    c = zone.constraints
    row = c[(c["indicator"] == "fixed_investment") & (c["measure"] == "avg_increase")].iloc[0]
    assert row["state"] == "relaxed"
    assert row["target"] == 24.9
    assert row["residual"] == pytest.approx(row["reconstructed"] - 24.9)
    assert abs(row["residual"]) > 1


def test_every_reported_figure_in_the_window_is_a_constraint(zone):
    ds = load_dataset()
    rows = ds.select(region="dlhitech", status=["actual", "preliminary"],
                     measure=["level", "growth", "avg_growth", "cumulative", "avg_increase"])
    last_year = rows["period"].str[-4:].astype(int)
    rows = rows[(last_year >= 2019) & (last_year <= 2025)]
    assert len(zone.constraints) == len(rows)
    met = zone.constraints[zone.constraints["state"] == "met"]
    assert (met["relative_residual"].abs() < 1e-6).all()


def test_html_view_shows_paths_conflicts_and_constraints(zone):
    page = zone._repr_html_()
    assert "固定资产投资" in page and "Conflicts" in page and "relaxed" in page


# --------------------------------------------------------------------------- other regions, edited files

def test_dalian_reconstructs_growth_where_given_without_failing():
    rec = load_dataset().reconstruct("dalian")
    growth = path(rec, "gdp", "growth", "comparable")
    assert growth[2025] == pytest.approx(5.7, abs=1e-4)
    assert 2021 not in growth  # no figure touches 2021: nothing is invented


def test_reconstruction_is_deterministic():
    ds = load_dataset()
    first = reconstruct(ds, "dlhitech").paths.to_csv(index=False)
    assert reconstruct(ds, "dlhitech").paths.to_csv(index=False) == first


def test_an_edited_data_file_gives_a_new_reconstruction():
    df = load_dataset().observations.copy()
    edited = (df["region"] == "dlhitech") & (df["indicator"] == "industrial_va") & (df["period"] == "2025") \
        & (df["measure"] == "level")
    df.loc[edited, "value"] = 33.0
    levels = path(reconstruct(Dataset(df), "dlhitech"), "industrial_va", "level", "nominal")
    assert levels[2025] == pytest.approx(33.0, abs=1e-4)


# --------------------------------------------------------------------------- the solver on small cases

def test_levels_between_two_anchors_grow_at_a_constant_rate():
    rec = reconstruct(obs(("retail_sales", "2020", "level", 100), ("retail_sales", "2025", "level", 161.051)),
                      "testland")
    growth = path(rec, "retail_sales", "growth", "nominal")
    assert [round(growth[y], 3) for y in range(2021, 2026)] == [10.0] * 5


def test_a_cumulative_sum_an_average_increase_and_a_level_are_met_together():
    rec = reconstruct(obs(("retail_sales", "2025", "level", 150), ("retail_sales", "2021-2025", "cumulative", 620),
                          ("retail_sales", "2021-2025", "avg_increase", 10)), "testland")
    levels = path(rec, "retail_sales", "level", "nominal")
    assert sum(levels[y] for y in range(2021, 2026)) == pytest.approx(620, abs=1e-3)
    assert (levels[2025] - levels[2020]) / 5 == pytest.approx(10, abs=1e-4)
    assert rec.conflicts == []


def test_conflicting_figures_keep_the_actual_level_and_relax_the_preliminary_growth():
    rec = reconstruct(obs(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110),
                          ("retail_sales", "2025", "growth", 20, "preliminary")), "testland")
    levels = path(rec, "retail_sales", "level", "nominal")
    assert levels[2025] == pytest.approx(110, abs=1e-4)
    [line] = rec.conflicts
    assert "growth 2025 = 20%" in line and "110" in line
    row = rec.constraints[rec.constraints["measure"] == "growth"].iloc[0]
    assert row["state"] == "relaxed" and row["residual"] == pytest.approx(-10, abs=1e-3)


def test_a_period_average_growth_is_met_geometrically():
    rec = reconstruct(obs(("gdp", "2021-2025", "avg_growth", 5), ("gdp", "2023", "growth", 8)), "testland")
    growth = path(rec, "gdp", "growth", "comparable")
    assert growth[2023] == pytest.approx(8, abs=1e-4)
    assert geometric_mean_growth(growth, range(2021, 2026)) == pytest.approx(5, abs=1e-4)


def test_an_indicator_with_too_few_figures_gets_no_path_and_no_error():
    rec = reconstruct(obs(("retail_sales", "2025", "growth", 3), ("land_supply", "2025", "level", 20)), "testland")
    assert rec.paths.empty
    assert len(rec.constraints) == 2 and rec.conflicts == []


def test_a_level_at_comparable_prices_is_listed_as_not_used():
    rec = reconstruct(obs(("retail_sales", "2024", "level", 100, "actual", "comparable")), "testland")
    assert list(rec.constraints["state"]) == ["not used"]
    assert "comparable" in rec.constraints["note"].iloc[0]


def test_targets_do_not_constrain_the_path():
    rec = reconstruct(obs(("retail_sales", "2020", "level", 100), ("retail_sales", "2025", "level", 200),
                          ("retail_sales", "2024", "level", 500, "target")), "testland")
    assert len(rec.constraints) == 2
    assert path(rec, "retail_sales", "level")[2024] < 200


def test_a_preliminary_figure_revised_by_an_actual_one_is_listed_not_used_and_not_a_conflict():
    ds = load_dataset()
    rec = reconstruct(ds, region="dalian")
    c = rec.constraints
    prelim = c[(c.indicator == "gdp") & (c.period == "2024") & (c.measure == "level") & (c.status == "preliminary")]
    assert prelim["state"].tolist() == ["not used"]
    assert "superseded" in prelim["note"].item()
    assert not any("9,516.9" in line or "9516.9" in line for line in rec.conflicts)
