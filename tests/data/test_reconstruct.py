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


# --------------------------------------------------------------------------- hand-computed small cases

def rows(*specs, region="testland"):
    """An observations frame from dicts: indicator, period, measure, value, and any column to override."""
    out = []
    for i, spec in enumerate(specs):
        pct = spec["measure"] in ("growth", "avg_growth")
        r = {"region": region, "unit": "pct" if pct else "CNY_100m", "status": "actual",
             "basis": "comparable" if pct and spec["indicator"] == "gdp" else "nominal",
             "source": f"source {i}", "locator": "table 1", "source_quality": "official", "note": ""}
        r.update(spec)
        r["value"] = float(r["value"])
        out.append(r)
    return pd.DataFrame(out, columns=list(COLUMNS))


def fig(indicator, period, measure, value, **other):
    return {"indicator": indicator, "period": period, "measure": measure, "value": value, **other}


def constraint(rec, measure, period):
    c = rec.constraints
    [row] = c[(c["measure"] == measure) & (c["period"] == period)].to_dict("records")
    return row


def test_figures_are_written_with_up_to_two_decimals_and_no_trailing_zeros():
    from econsim.data.reconstruct import fmt

    assert [fmt(99.94), fmt(6.0), fmt(6.1), fmt(1234.567), fmt(-24.56)] == ["99.94", "6", "6.1", "1,234.57", "-24.56"]
    assert [fmt(0.0), fmt(0.001), fmt(-0.001)] == ["0", "0", "0"]
    assert [fmt(None), fmt(math.nan), fmt(math.inf)] == ["n/a", "n/a", "n/a"]


def test_only_reported_figures_of_the_region_from_2019_to_2025_are_constraints():
    data = pd.concat([
        rows(fig("retail_sales", "2018", "level", 80), fig("retail_sales", "2019", "level", 90),
             fig("retail_sales", "2019-2020", "cumulative", 190), fig("retail_sales", "2025", "level", 150),
             fig("retail_sales", "2026", "level", 160), fig("retail_sales", "2024-2026", "cumulative", 450),
             fig("retail_sales", "2024", "level", 140, status="target"),
             fig("retail_sales", "2024", "ytd_level", 70),
             fig("retail_sales", "2023", "level", 130, status="preliminary")),
        rows(fig("retail_sales", "2022", "level", 999), region="elsewhere")])
    rec = reconstruct(data, "testland")
    assert sorted(rec.constraints["period"]) == ["2019", "2019-2020", "2023", "2025"]
    assert set(rec.constraints["region"]) == {"testland"}


def test_a_narrower_window_takes_the_year_before_as_context_and_derives_only_its_years():
    data = rows(*(fig("retail_sales", str(y), "level", 100 * 1.1 ** (y - 2019)) for y in range(2019, 2026)))
    rec = reconstruct(data, "testland", first_year=2021, last_year=2023)
    # 2020 is the context year; 2019, 2024 and 2025 lie outside
    assert sorted(rec.constraints["period"]) == ["2020", "2021", "2022", "2023"]
    levels = path(rec, "retail_sales", "level")
    assert sorted(levels) == [2021, 2022, 2023]
    assert levels[2023] == pytest.approx(146.41, abs=1e-4)  # 100 (2019) x 1.1^4
    assert path(rec, "retail_sales", "growth")[2021] == pytest.approx(10, abs=1e-4)


def test_a_level_in_another_unit_is_read_in_the_registry_unit():
    # 1.5 亿美元 = 15,000 万美元; 2.0 亿美元 = 20,000 万美元
    data = rows(fig("fdi_used", "2024", "level", 1.5, unit="USD_100m"), fig("fdi_used", "2025", "level", 20000,
                                                                           unit="USD_10k"))
    rec = reconstruct(data, "testland")
    assert list(rec.constraints["target"]) == [15000.0, 20000.0]
    assert list(rec.constraints["unit"]) == ["USD_10k", "USD_10k"]
    assert path(rec, "fdi_used", "level") == {2024: 15000.0, 2025: 20000.0}
    assert path(rec, "fdi_used", "growth")[2025] == pytest.approx(100 / 3, abs=1e-4)  # 20000/15000 - 1


def test_shares_and_counts_are_listed_but_not_reconstructed():
    data = rows(fig("good_air_days_share", "2024", "level", 80, unit="pct"),
                fig("good_air_days_share", "2025", "level", 85, unit="pct"),
                fig("high_tech_enterprises_new", "2024", "level", 100, unit="firms"),
                fig("high_tech_enterprises_new", "2025", "level", 120, unit="firms"),
                fig("new_urban_jobs", "2024", "level", 5000, unit="persons"),
                fig("new_urban_jobs", "2025", "level", 5200, unit="persons"))
    rec = reconstruct(data, "testland")
    assert rec.paths.empty
    assert set(rec.constraints["state"]) == {"not used"}
    notes = dict(zip(rec.constraints["indicator"], rec.constraints["note"]))
    assert notes == {"good_air_days_share": "shares (percent levels) are not reconstructed",
                     "high_tech_enterprises_new": "counts of firms are not interpolated (a smooth path would split firms)",
                     "new_urban_jobs": "counts of persons are not interpolated"}


def test_the_growth_of_a_count_is_still_a_constraint():
    rec = reconstruct(rows(fig("high_tech_enterprises_new", "2025", "growth", 20),
                           fig("high_tech_enterprises_new", "2021-2025", "avg_growth", 15)), "testland")
    assert constraint(rec, "avg_growth", "2021-2025")["state"] == "met"
    assert constraint(rec, "growth", "2025")["state"] == "met"
    assert constraint(rec, "growth", "2025")["reconstructed"] == pytest.approx(20, abs=1e-6)


def test_a_non_positive_level_or_total_cannot_be_on_a_log_path():
    data = rows(fig("retail_sales", "2024", "level", 0), fig("retail_sales", "2021-2025", "cumulative", -5),
                fig("retail_sales", "2025", "growth", -3), fig("retail_sales", "2023", "level", 0.5))
    rec = reconstruct(data, "testland")
    assert constraint(rec, "level", "2024")["state"] == "not used"
    assert constraint(rec, "level", "2024")["note"] == "a non-positive level cannot be on a log path"
    assert constraint(rec, "cumulative", "2021-2025")["note"] == "a non-positive level cannot be on a log path"
    assert math.isnan(constraint(rec, "level", "2024")["reconstructed"])
    # a falling growth rate is a figure like any other
    assert constraint(rec, "growth", "2025")["state"] == "met"
    assert constraint(rec, "growth", "2025")["note"] == ""
    assert constraint(rec, "level", "2023")["state"] == "met"  # small, but positive


def test_a_growth_of_unstated_basis_is_read_as_the_indicator_is_reported():
    data = rows(fig("gdp", "2025", "growth", 5, basis=""), fig("retail_sales", "2025", "growth", 4, basis=""),
                fig("retail_sales", "2024", "growth", 3, basis="comparable"),
                fig("gdp", "2024", "growth", 6, basis="nominal"))
    rec = reconstruct(data, "testland")
    assert list(zip(rec.constraints["indicator"], rec.constraints["period"], rec.constraints["basis"])) == [
        ("gdp", "2025", "real"), ("gdp", "2024", "nominal"), ("retail_sales", "2025", "nominal"),
        ("retail_sales", "2024", "real")]
    assert path(rec, "gdp", "growth", "comparable") == {2025: 5.0}


def test_a_level_at_comparable_prices_keeps_its_basis_and_reason():
    rec = reconstruct(rows(fig("retail_sales", "2024", "level", 100, basis="comparable")), "testland")
    [row] = rec.constraints.to_dict("records")
    assert (row["basis"], row["state"]) == ("comparable", "not used")
    assert row["note"] == "levels at comparable prices are not reconstructed"


def test_a_preliminary_level_revised_by_the_actual_one_is_listed_but_not_used():
    data = rows(fig("retail_sales", "2024", "level", 100), fig("retail_sales", "2025", "level", 95,
                                                              status="preliminary"),
                fig("retail_sales", "2025", "level", 110), fig("retail_sales", "2025", "growth", 10,
                                                               status="preliminary"))
    rec = reconstruct(data, "testland")
    prelim = rec.constraints[rec.constraints["status"] == "preliminary"].set_index("measure")
    assert prelim.loc["level", "state"] == "not used"
    assert prelim.loc["level", "note"] == "superseded by the actual figure for the same year (a revision)"
    # a preliminary growth with no actual growth beside it is used (and agrees: 110 / 100)
    assert prelim.loc["growth", "state"] == "met"
    assert rec.conflicts == []
    assert path(rec, "retail_sales", "level")[2025] == pytest.approx(110, abs=1e-4)


def test_a_preliminary_figure_already_unusable_keeps_its_own_reason():
    data = rows(fig("retail_sales", "2024", "level", 100, basis="comparable"),
                fig("retail_sales", "2024", "level", 90, basis="comparable", status="preliminary"))
    rec = reconstruct(data, "testland")
    assert list(rec.constraints["note"]) == ["levels at comparable prices are not reconstructed"] * 2


# --------------------------------------------------------------------------- arithmetic of the paths

def test_constant_price_levels_chain_real_growth_forward_from_the_one_nominal_level():
    # 100 (2022, nominal) x 1.10 = 110 (2023) x 1.10 = 121 (2024), at constant 2022 prices
    data = rows(fig("gdp", "2022", "level", 100), fig("gdp", "2023", "growth", 10), fig("gdp", "2024", "growth", 10))
    rec = reconstruct(data, "testland")
    assert path(rec, "gdp", "level", "comparable") == {2022: 100.0, 2023: 110.0, 2024: 121.0}
    assert path(rec, "gdp", "level", "nominal") == {}
    note = rec.paths[rec.paths["measure"] == "level"]["note"].iloc[0]
    assert note.startswith("level at constant 2022 prices (可比价, 2022年价格): the nominal 2022 level 100 亿元 "
                           "carried by the real growth path; NOT a nominal (现价) series; smoothest path")
    assert rec.prices.empty


def test_constant_price_levels_chain_real_growth_backward_from_the_one_nominal_level():
    # 121 (2024) / 1.10 = 110 (2023) / 1.05 = 104.7619 (2022)
    data = rows(fig("gdp", "2024", "level", 121), fig("gdp", "2023", "growth", 5), fig("gdp", "2024", "growth", 10))
    levels = path(reconstruct(data, "testland"), "gdp", "level", "comparable")
    assert levels == {2022: pytest.approx(104.7619, abs=1e-4), 2023: 110.0, 2024: 121.0}


def test_constant_price_levels_stop_at_the_window():
    # 100 (2024) x 1.1 = 110 (2025); 2026's growth is outside the window and not a constraint
    data = rows(fig("gdp", "2024", "level", 100), fig("gdp", "2025", "growth", 10), fig("gdp", "2020", "growth", 3))
    rec = reconstruct(data, "testland")
    assert path(rec, "gdp", "level", "comparable") == {2024: 100.0, 2025: 110.0}


def test_a_nominal_level_not_joined_to_the_real_growth_years_gives_no_levels():
    data = rows(fig("gdp", "2020", "level", 100), fig("gdp", "2023", "growth", 10), fig("gdp", "2024", "growth", 10))
    rec = reconstruct(data, "testland")
    assert path(rec, "gdp", "level") == {}
    assert path(rec, "gdp", "growth", "comparable") == {2023: 10.0, 2024: 10.0}


def test_real_growth_inside_a_period_average_is_the_smoothest_split():
    # q = log(1 + g/100). q21 = log 1.04; q22 + q23 = S = 3 log 1.06 - log 1.04. Minimising
    # (q22 - q21)^2 + (q23 - q22)^2 gives q22 = (q21 + 2 S) / 5 and q23 = S - q22.
    data = rows(fig("gdp", "2021-2023", "avg_growth", 6), fig("gdp", "2021", "growth", 4))
    growth = path(reconstruct(data, "testland"), "gdp", "growth", "comparable")
    q21, s = math.log(1.04), 3 * math.log(1.06) - math.log(1.04)
    q22 = (q21 + 2 * s) / 5
    assert growth[2021] == pytest.approx(4, abs=1e-4)
    assert growth[2022] == pytest.approx(100 * math.expm1(q22), abs=1e-4)  # 6.9794
    assert growth[2023] == pytest.approx(100 * math.expm1(s - q22), abs=1e-4)  # 7.0395


def test_where_real_growth_is_known_the_deflator_is_what_is_smoothed():
    # real 3, 5, 7 and nominal 2020 -> 2023 = 1.03 x 1.05 x 1.07 x 1.02^3: the flattest deflator is +2% a year,
    # so nominal growth is 1.03 x 1.02 = 5.06, 1.05 x 1.02 = 7.10, 1.07 x 1.02 = 9.14.
    data = rows(fig("gdp", "2020", "level", 100), fig("gdp", "2023", "level", 100 * 1.03 * 1.05 * 1.07 * 1.02 ** 3),
                fig("gdp", "2021", "growth", 3), fig("gdp", "2022", "growth", 5), fig("gdp", "2023", "growth", 7))
    rec = reconstruct(data, "testland")
    prices = rec.prices.set_index("year")
    assert list(prices.index) == [2021, 2022, 2023]
    assert list(prices["nominal_growth"]) == pytest.approx([5.06, 7.10, 9.14], abs=1e-4)
    assert list(prices["real_growth"]) == pytest.approx([3, 5, 7], abs=1e-4)
    assert list(prices["price_change"]) == pytest.approx([2, 2, 2], abs=1e-4)
    assert set(prices["region"]) == {"testland"} and set(prices["indicator"]) == {"gdp"}
    levels = path(rec, "gdp", "level", "nominal")
    assert levels[2021] == pytest.approx(105.06, abs=1e-4)
    assert levels[2022] == pytest.approx(105.06 * 1.071, abs=1e-4)  # 112.5193
    note = rec.paths[(rec.paths["measure"] == "level") & (rec.paths["period"] == "2022")]["note"].item()
    assert "; implied price change (deflator) vs 2021: +2.00%" in note
    assert "nominal growth" not in set(rec.paths["note"].str[:14])  # GDP growth is reported real: no nominal rows


def test_nominal_growth_is_smoothed_up_to_the_first_year_with_real_growth():
    # 2021-2022 have no real growth: their nominal growth joins 2023's smoothly (5% a year); from 2023 on the
    # deflator is flat: 1.05 / 1.04 = 1.0096154 in 2023 and 2024, so 2024's nominal growth is 1.065 x 1.0096154.
    data = rows(fig("gdp", "2020", "level", 100), fig("gdp", "2024", "level", 100 * 1.05 ** 4 * 1.065 / 1.04),
                fig("gdp", "2023", "growth", 4), fig("gdp", "2024", "growth", 6.5))
    rec = reconstruct(data, "testland")
    levels = path(rec, "gdp", "level", "nominal")
    assert [levels[y] for y in range(2021, 2024)] == pytest.approx([105, 110.25, 115.7625], abs=1e-4)
    # price rows carry 4 decimals: 100 x (1.05 / 1.04 - 1) = 0.961538, 100 x (1.065 x 1.05 / 1.04 - 1) = 7.524038
    assert rec.prices[["year", "nominal_growth", "real_growth", "price_change"]].values.tolist() == [
        [2023, 5.0, 4.0, 0.9615], [2024, 7.524, 6.5, 0.9615]]
    note = rec.paths[(rec.paths["measure"] == "level") & (rec.paths["period"] == "2024")]["note"].item()
    assert note.startswith("nominal level (现价), smoothest path")
    assert note.endswith("listed in the locator; implied price change (deflator) vs 2023: +0.96%")


def test_nominal_growth_rows_are_given_for_indicators_reported_in_nominal_terms():
    # 100 -> 121 over two years: 10% a year
    retail = rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2022", "level", 121))
    rec = reconstruct(retail, "testland")
    assert path(rec, "retail_sales", "growth", "nominal") == {2021: 10.0, 2022: 10.0}
    assert path(rec, "retail_sales", "level", "nominal") == {2020: 100.0, 2021: 110.0, 2022: 121.0}
    gdp = rows(fig("gdp", "2020", "level", 100), fig("gdp", "2022", "level", 121))
    assert path(reconstruct(gdp, "testland"), "gdp", "growth") == {}


def test_nominal_levels_chain_reported_growth_from_one_level():
    # 100 x 1.10 = 110 (2021) x 1.20 = 132 (2022)
    data = rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2021", "growth", 10),
                fig("retail_sales", "2022", "growth", 20))
    rec = reconstruct(data, "testland")
    assert path(rec, "retail_sales", "level") == {2020: 100.0, 2021: 110.0, 2022: 132.0}


def test_nominal_levels_chain_backward_from_a_later_level():
    # 132 / 1.20 = 110 (2021) / 1.10 = 100 (2020)
    data = rows(fig("retail_sales", "2022", "level", 132), fig("retail_sales", "2022", "growth", 20),
                fig("retail_sales", "2021", "growth", 10))
    assert path(reconstruct(data, "testland"), "retail_sales", "level") == {2020: 100.0, 2021: 110.0, 2022: 132.0}


def test_a_growth_rate_not_chained_to_any_level_gives_no_levels():
    data = rows(fig("retail_sales", "2022", "level", 100), fig("retail_sales", "2020", "growth", 10))
    rec = reconstruct(data, "testland")
    assert rec.paths.empty
    assert list(rec.constraints["state"]) == ["met", "met"]


def test_an_average_nominal_growth_is_met_geometrically():
    # 100 x 1.1^2 = 121: the average growth 10% is geometric (an arithmetic reading would need 120)
    data = rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2021-2022", "avg_growth", 10))
    rec = reconstruct(data, "testland")
    assert path(rec, "retail_sales", "level") == {2020: 100.0, 2021: 110.0, 2022: 121.0}


def test_an_average_increase_chains_levels_and_the_year_between_grows_smoothly():
    # 100 + 2 x 10 = 120 in 2022; constant growth between: 2021 = sqrt(100 x 120) = 109.5445
    data = rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2021-2022", "avg_increase", 10))
    levels = path(reconstruct(data, "testland"), "retail_sales", "level")
    assert levels == {2020: 100.0, 2021: 109.5445, 2022: 120.0}  # derived figures carry 4 decimals


def test_a_zero_or_negative_average_increase_is_met():
    flat = rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2021-2022", "avg_increase", 0))
    assert path(reconstruct(flat, "testland"), "retail_sales", "level") == {2020: 100, 2021: 100, 2022: 100}
    # 80 - 5 x (-4) = 100 in 2020
    falling = rows(fig("retail_sales", "2025", "level", 80), fig("retail_sales", "2021-2025", "avg_increase", -4))
    rec = reconstruct(falling, "testland")
    assert path(rec, "retail_sales", "level")[2020] == pytest.approx(100, abs=1e-4)
    assert constraint(rec, "avg_increase", "2021-2025")["reconstructed"] == pytest.approx(-4, abs=1e-6)


def test_a_cumulative_total_and_one_level_fix_the_other_year():
    # 200 - 90 = 110
    data = rows(fig("retail_sales", "2021-2022", "cumulative", 200), fig("retail_sales", "2021", "level", 90))
    rec = reconstruct(data, "testland")
    assert path(rec, "retail_sales", "level") == {2021: 90.0, 2022: 110.0}
    assert constraint(rec, "cumulative", "2021-2022")["reconstructed"] == pytest.approx(200, abs=1e-6)


# --------------------------------------------------------------------------- conflicts, by hand

RETAIL = "testland retail_sales (社会消费品零售总额 Retail sales of consumer goods)"


def test_a_later_figure_is_kept_before_an_earlier_one_of_the_same_rank():
    # 100 (2023) -> 121 (2025) cannot grow 5% in both years; 2025's growth is kept, so 2024 = 121 / 1.05 and
    # 2024's growth is 121 / 1.05 / 100 - 1 = 15.2381%
    data = rows(fig("retail_sales", "2023", "level", 100), fig("retail_sales", "2025", "level", 121),
                fig("retail_sales", "2024", "growth", 5), fig("retail_sales", "2025", "growth", 5))
    rec = reconstruct(data, "testland")
    assert path(rec, "retail_sales", "level")[2024] == pytest.approx(115.2381, abs=1e-4)
    assert rec.conflicts == [f"{RETAIL}: growth 2024 = 5% [source 2, table 1] cannot hold together with "
                             "level 2025 = 121 亿元; level 2023 = 100 亿元; growth 2025 = 5%; "
                             "relaxed to 15.24% (residual 10.24%)"]
    row = constraint(rec, "growth", "2024")
    # the constraints table carries 6 decimals: 15.2380952 - 5 = 10.2380952, relative 10.2380952 / 5 = 2.0476190
    assert (row["state"], row["reconstructed"], row["residual"], row["relative_residual"]) == (
        "relaxed", 15.238095, 10.238095, 2.047619)
    assert constraint(rec, "growth", "2025")["state"] == "met"


def test_the_locator_and_note_of_a_path_name_the_kept_and_the_relaxed_figures():
    data = rows(fig("retail_sales", "2024", "level", 100), fig("retail_sales", "2025", "level", 110),
                fig("retail_sales", "2025", "growth", 20, status="preliminary"))
    rec = reconstruct(data, "testland")
    assert set(rec.paths["locator"]) == {"constraints met: level 2025, level 2024; "
                                         "relaxed (conflict): growth 2025 (preliminary)"}
    assert rec.paths["note"].str.contains("smoothest path (least squared year-to-year changes", regex=False).all()
    assert rec.paths["note"].str.endswith("; figures in conflict were relaxed to a least-squares compromise "
                                          "(see econsim data --check)").all()


def test_the_locator_of_a_path_without_conflict_lists_only_the_figures_met():
    rec = reconstruct(rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2021", "level", 110)),
                      "testland")
    assert set(rec.paths["locator"]) == {"constraints met: level 2021, level 2020"}
    levels = rec.paths[rec.paths["measure"] == "level"]
    assert set(levels["note"]) == {"nominal level (现价), smoothest path (least squared year-to-year changes of "
                                   "growth rates, SciPy SLSQP) meeting every reported figure listed in the locator"}
    [growth] = rec.paths[rec.paths["measure"] == "growth"].to_dict("records")
    assert growth["note"].startswith("nominal growth of the reconstructed levels, smoothest path")
    assert (growth["period"], growth["value"], growth["unit"], growth["basis"]) == ("2021", 10.0, "pct", "nominal")
    assert (growth["published"], growth["parent"]) == ("", "") and math.isnan(growth["value_upper"])


def test_an_actual_growth_is_kept_before_a_preliminary_level():
    # status outranks the measure: 100 x 1.2 = 120 in 2025, the preliminary 110 is relaxed
    data = rows(fig("retail_sales", "2024", "level", 100), fig("retail_sales", "2025", "level", 110,
                                                               status="preliminary"),
                fig("retail_sales", "2025", "growth", 20))
    rec = reconstruct(data, "testland")
    assert path(rec, "retail_sales", "level")[2025] == pytest.approx(120, abs=1e-4)
    row = constraint(rec, "level", "2025")
    assert (row["state"], row["reconstructed"], row["residual"]) == ("relaxed", pytest.approx(120), pytest.approx(10))


def test_an_actual_level_is_kept_before_an_actual_growth():
    data = rows(fig("retail_sales", "2024", "level", 100), fig("retail_sales", "2025", "growth", 20),
                fig("retail_sales", "2025", "level", 110))
    rec = reconstruct(data, "testland")
    assert path(rec, "retail_sales", "level")[2025] == pytest.approx(110, abs=1e-4)
    assert constraint(rec, "growth", "2025")["state"] == "relaxed"


def test_a_better_source_then_the_first_listed_is_kept_among_equal_figures():
    data = rows(fig("retail_sales", "2024", "level", 100),
                fig("retail_sales", "2025", "level", 120, source_quality="state_media"),
                fig("retail_sales", "2025", "level", 110), fig("retail_sales", "2025", "level", 115))
    rec = reconstruct(data, "testland")
    assert path(rec, "retail_sales", "level")[2025] == pytest.approx(110, abs=1e-4)
    assert list(rec.constraints["state"]) == ["met", "relaxed", "met", "relaxed"]
    assert set(rec.paths["locator"]) == {"constraints met: level 2025, level 2024; "
                                         "relaxed (conflict): level 2025, level 2025"}
    assert [line.split(" [")[0][len(RETAIL) + 2:] for line in rec.conflicts] == ["level 2025 = 115 亿元",
                                                                                  "level 2025 = 120 亿元"]


@pytest.mark.parametrize("figures, measure, period, reconstructed", [
    # 100 -> 121 over two years is 10% a year (geometric), whatever the average reported
    ([fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2022", "level", 121),
      fig("retail_sales", "2021-2022", "avg_growth", 20)], "avg_growth", "2021-2022", 10.0),
    # 100 + 110 = 210
    ([fig("retail_sales", "2021", "level", 100), fig("retail_sales", "2022", "level", 110),
      fig("retail_sales", "2021-2022", "cumulative", 300)], "cumulative", "2021-2022", 210.0),
    # (130 - 100) / 2 = 15
    ([fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2022", "level", 130),
      fig("retail_sales", "2021-2022", "avg_increase", 10)], "avg_increase", "2021-2022", 15.0),
    # real growth 5% and 5% average 5%
    ([fig("gdp", "2021", "growth", 5), fig("gdp", "2022", "growth", 5), fig("gdp", "2021-2022", "avg_growth", 6)],
     "avg_growth", "2021-2022", 5.0),
])
def test_a_relaxed_figure_reports_what_the_path_gives(figures, measure, period, reconstructed):
    rec = reconstruct(rows(*figures), "testland")
    row = constraint(rec, measure, period)
    assert row["state"] == "relaxed"
    assert row["unit"] == ("pct" if measure == "avg_growth" else "CNY_100m")
    assert row["reconstructed"] == pytest.approx(reconstructed, abs=1e-6)
    assert row["residual"] == pytest.approx(reconstructed - row["target"], abs=1e-6)
    assert len(rec.conflicts) == 1


def test_an_impossible_average_increase_says_which_earlier_level_it_would_need():
    # 10 - 5 x 5 = -15 in 2020: no positive level; the path keeps 2025 at 10 and the increase tends to 10 / 5 = 2
    data = rows(fig("retail_sales", "2025", "level", 10), fig("retail_sales", "2021-2025", "avg_increase", 5))
    rec = reconstruct(data, "testland")
    assert rec.conflicts == [f"{RETAIL}: avg_increase 2021-2025 = 5 亿元 [source 1, table 1] cannot hold together "
                             "with level 2025 = 10 亿元: with 2025 at 10 亿元 it needs a 2020 level of -15 亿元, but a "
                             "level must be positive; relaxed to 2 亿元 (residual -3 亿元)"]


def test_a_possible_but_conflicting_average_increase_says_which_earlier_level_it_would_need():
    # 130 - 2 x 20 = 90 in 2020, but 2020 is reported at 100
    data = rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2022", "level", 130),
                fig("retail_sales", "2021-2022", "avg_increase", 20))
    [line] = reconstruct(data, "testland").conflicts
    assert ": with 2022 at 130 亿元 it needs a 2020 level of 90 亿元; relaxed to 15 亿元 (residual -5 亿元)" in line


def test_a_conflicting_average_increase_needing_a_small_positive_level_does_not_call_it_impossible():
    # 20.5 - 2 x 10 = 0.5 in 2020: positive, but 2020 is reported at 100; (20.5 - 100) / 2 = -39.75
    data = rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2022", "level", 20.5),
                fig("retail_sales", "2021-2022", "avg_increase", 10))
    [line] = reconstruct(data, "testland").conflicts
    assert line.endswith("with 2022 at 20.5 亿元 it needs a 2020 level of 0.5 亿元; relaxed to -39.75 亿元 "
                         "(residual -49.75 亿元)")


def test_when_no_single_kept_figure_is_to_blame_the_figures_sharing_its_years_are_named():
    # 2022 and 2023 are each fixed twice (a level and the three-year total 100 + 110 + 121 = 331), so dropping any
    # one kept figure still leaves 110 / 100: the line names the kept figures on 2022-2023 and no other (not
    # the 2024 level, not the totals of 2020-2021 and 2024-2025 = 121 + 133.1)
    data = rows(fig("retail_sales", "2020-2021", "cumulative", 180), fig("retail_sales", "2022", "level", 100),
                fig("retail_sales", "2023", "level", 110), fig("retail_sales", "2024", "level", 121),
                fig("retail_sales", "2022-2024", "cumulative", 331), fig("retail_sales", "2024-2025", "cumulative", 254.1),
                fig("retail_sales", "2023", "growth", 20, status="preliminary"))
    [line] = reconstruct(data, "testland").conflicts
    assert line == (f"{RETAIL}: growth 2023 = 20% [source 6, table 1] cannot hold together with level 2023 = 110 亿元; "
                    "level 2022 = 100 亿元; cumulative 2022-2024 = 331 亿元; relaxed to 10% (residual -10%)")


def test_a_real_growth_contradicting_two_sources_names_both_and_not_the_level_or_other_years():
    data = rows(fig("gdp", "2021", "growth", 5), fig("gdp", "2021", "growth", 7, source_quality="unverified_copy"),
                fig("gdp", "2021", "growth", 5, source_quality="state_media"), fig("gdp", "2021", "level", 50),
                fig("gdp", "2020", "growth", 4), fig("gdp", "2022", "growth", 6))
    rec = reconstruct(data, "testland")
    assert rec.conflicts == ["testland gdp (地区生产总值 GDP): growth 2021 = 7% [source 1, table 1] cannot hold together "
                             "with growth 2021 = 5%; growth 2021 = 5%; relaxed to 5% (residual -2%)"]
    # 50 / 1.05 = 47.619 and 50 x 1.06 = 53 at constant 2021 prices (2019 = 47.619 / 1.04 is outside the window)
    levels = rec.paths[rec.paths["measure"] == "level"]
    assert dict(zip(levels["period"], levels["value"])) == {"2020": pytest.approx(47.619, abs=1e-4), "2021": 50.0,
                                                            "2022": 53.0}
    assert set(levels["unit"]) == {"CNY_100m"} and set(levels["basis"]) == {"comparable"}


# --------------------------------------------------------------------------- the result object

@pytest.fixture  # per test: mutmut credits a fixture's calls to the first test that builds it
def small():
    """Retail sales 100, 110, 121 (2020-2022) with a preliminary 2022 growth of 20% in conflict; GDP 2021 real
    growth 5% and 2021 nominal level 50; a source name with an ampersand."""
    return reconstruct(rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2021", "level", 110),
                            fig("retail_sales", "2022", "level", 121),
                            fig("retail_sales", "2022", "growth", 20, status="preliminary", source="Stats & Co"),
                            fig("gdp", "2021", "growth", 5), fig("gdp", "2021", "level", 50)), "testland")


def test_paths_are_sorted_by_indicator_measure_basis_and_year(small):
    keys = list(zip(small.paths["indicator"], small.paths["measure"], small.paths["basis"], small.paths["period"]))
    assert keys == [("gdp", "growth", "comparable", "2021"), ("gdp", "level", "comparable", "2020"),
                    ("gdp", "level", "comparable", "2021"),
                    ("retail_sales", "growth", "nominal", "2021"), ("retail_sales", "growth", "nominal", "2022"),
                    ("retail_sales", "level", "nominal", "2020"), ("retail_sales", "level", "nominal", "2021"),
                    ("retail_sales", "level", "nominal", "2022")]
    assert list(small.paths.index) == list(range(8))
    assert list(small.paths.columns) == list(COLUMNS)


def test_a_constraint_record_gives_target_reconstruction_residual_and_provenance(small):
    record = constraint(small, "growth", "2022")
    assert record == {"region": "testland", "indicator": "retail_sales", "period": "2022", "measure": "growth",
                      "basis": "nominal", "target": 20.0, "reconstructed": 10.0, "residual": -10.0,
                      "relative_residual": -0.5, "unit": "pct", "state": "relaxed", "status": "preliminary",
                      "source": "Stats & Co", "locator": "table 1", "note": ""}
    # indicators in alphabetical order, each indicator's figures in file order
    assert list(small.constraints["indicator"]) == ["gdp"] * 2 + ["retail_sales"] * 4
    assert list(small.constraints["source"]) == ["source 4", "source 5", "source 0", "source 1", "source 2",
                                                 "Stats & Co"]
    gdp = small.constraints[small.constraints["indicator"] == "gdp"]
    assert dict(zip(gdp["measure"], gdp["basis"])) == {"growth": "real", "level": "nominal"}
    assert list(small.constraints.columns) == ["region", "indicator", "period", "measure", "basis", "target",
                                               "reconstructed", "residual", "relative_residual", "unit", "state",
                                               "status", "source", "locator", "note"]


def test_a_zero_target_has_no_relative_residual():
    rec = reconstruct(rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2021", "growth", 0)),
                      "testland")
    row = constraint(rec, "growth", "2021")
    assert row["residual"] == 0 and math.isnan(row["relative_residual"])
    assert path(rec, "retail_sales", "level") == {2020: 100.0, 2021: 100.0}


def test_table_has_one_row_per_indicator_measure_basis_and_unit_and_years_as_columns(small):
    table = small.table()
    assert list(table.index) == [("地区生产总值 GDP", "growth", "comparable", "pct"),
                                 ("地区生产总值 GDP", "level", "comparable", "CNY_100m"),
                                 ("社会消费品零售总额 Retail sales of consumer goods", "growth", "nominal", "pct"),
                                 ("社会消费品零售总额 Retail sales of consumer goods", "level", "nominal", "CNY_100m")]
    assert list(table.columns) == ["2020", "2021", "2022"]
    assert table.loc[("社会消费品零售总额 Retail sales of consumer goods", "level", "nominal", "CNY_100m")].tolist() \
        == [100.0, 110.0, 121.0]


def test_table_of_a_reconstruction_without_paths_is_empty():
    rec = reconstruct(rows(fig("retail_sales", "2025", "growth", 3)), "testland")
    assert rec.table().empty and rec.table().shape == (0, 0)
    # the empty frames still have their columns, so they concatenate with other regions' results
    assert list(rec.paths.columns) == list(COLUMNS)
    assert list(rec.prices.columns) == ["region", "indicator", "year", "nominal_growth", "real_growth",
                                        "price_change"]


def test_repr_names_the_region_and_counts(small):
    assert repr(small) == "Reconstruction(region='testland', 8 derived figures, 1 conflicts)"


def test_html_view_counts_figures_and_lists_prices_conflicts_and_constraints(small):
    page = small._repr_html_()
    assert "8 derived figures, 6 reported constraints, 1 conflict(s)" in page
    assert "<code>testland</code>" in page
    assert "社会消费品零售总额 Retail sales of consumer goods" in page  # the wide table
    assert "Implied price changes" not in page  # no year with both a nominal level path and real growth
    assert "Stats &amp; Co" in page and "Stats & Co" not in page  # escaped in the conflict line and the table
    assert page.count("<li>") == 1 and "growth 2022 = 20%" in page
    assert "relative_residual" not in page and ">relaxed<" in page


def test_html_view_shows_implied_price_changes_and_escapes_the_region():
    data = rows(fig("gdp", "2020", "level", 100), fig("gdp", "2021", "level", 110), fig("gdp", "2021", "growth", 5),
                region="a<b")
    page = reconstruct(data, "a<b")._repr_html_()
    assert "<code>a&lt;b</code>" in page
    assert "Implied price changes (nominal growth vs real growth, percent)" in page
    assert "<td>4.76</td>" in page  # 110 / 100 / 1.05 - 1, to two decimals
    assert "Conflicts" not in page


def test_html_view_of_an_empty_reconstruction_only_counts():
    page = reconstruct(rows(fig("retail_sales", "2025", "growth", 3)), "elsewhere")._repr_html_()
    assert page == ("<p><b>econsim reconstruction</b> of <code>elsewhere</code>: 0 derived figures, "
                    "0 reported constraints, 0 conflict(s)</p>")


def test_reconstruct_takes_a_plain_observations_frame_and_defaults_to_the_zone():
    data = rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2021", "level", 110),
                region="dlhitech")
    rec = reconstruct(data)
    assert rec.region == "dlhitech"
    assert path(rec, "retail_sales", "level") == {2020: 100.0, 2021: 110.0}


def test_a_relaxed_figure_is_traded_against_smoothness_at_weight_one():
    # 2020 = 100 and 2021 = 120 are kept; the two-year total 100 would need 2022 = -20. The relaxed total costs its
    # squared log miss, (log(120 + L) - log 100)^2, against the squared change of log growth,
    # (log L - log 120 - log 1.2)^2; minimising the sum independently gives L = 100.4467.
    from scipy.optimize import minimize_scalar

    data = rows(fig("retail_sales", "2020", "level", 100), fig("retail_sales", "2021", "level", 120),
                fig("retail_sales", "2021-2022", "cumulative", 100))
    rec = reconstruct(data, "testland")
    cost = lambda x: (x - math.log(120) - math.log(1.2)) ** 2 + (math.log(120 + math.exp(x)) - math.log(100)) ** 2
    level_2022 = math.exp(minimize_scalar(cost, bounds=(0, 10), method="bounded", options={"xatol": 1e-12}).x)
    assert constraint(rec, "cumulative", "2021-2022")["reconstructed"] == pytest.approx(120 + level_2022, abs=1e-4)
    assert rec.conflicts[0].endswith("cannot hold together with level 2021 = 120 亿元; relaxed to 220.45 亿元 "
                                     "(residual 120.45 亿元)")
    # 2022 is pinned by no kept figure: it is not part of the derived path
    assert path(rec, "retail_sales", "level") == {2020: 100.0, 2021: 120.0}


def test_every_derived_row_names_its_region_status_and_source(small):
    paths = small.paths
    assert set(paths["region"]) == {"testland"}
    assert set(paths["status"]) == {"derived"} and set(paths["source_quality"]) == {"derived"}
    assert set(paths["source"]) == {"econsim reconstruction"}
    assert set(paths[paths["indicator"] == "gdp"]["locator"]) == {"constraints met: level 2021, growth 2021"}
    [real] = paths[(paths["indicator"] == "gdp") & (paths["measure"] == "growth")].to_dict("records")
    assert (real["period"], real["value"], real["unit"], real["basis"]) == ("2021", 5.0, "pct", "comparable")
    assert real["note"].startswith("real growth (可比价), smoothest path (least squared")
    nominal = paths[(paths["indicator"] == "retail_sales") & (paths["measure"] == "level")]
    assert set(nominal["unit"]) == {"CNY_100m"} and set(nominal["basis"]) == {"nominal"}


def test_a_region_without_figures_gives_empty_frames_with_their_columns():
    rec = reconstruct(rows(fig("retail_sales", "2025", "level", 100)), "elsewhere")
    assert rec.paths.empty and list(rec.paths.columns) == list(COLUMNS)
    assert rec.constraints.empty and list(rec.constraints.columns)[:6] == ["region", "indicator", "period", "measure",
                                                                          "basis", "target"]
    assert rec.conflicts == []
