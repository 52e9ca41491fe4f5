"""Specification of the consistency checks (econsim.checks)."""
import json
from types import SimpleNamespace

import pandas as pd
import pytest

from econsim.data.checks import SEVERITIES, Finding, check, findings_frame, format_findings
from econsim.data.schema import COLUMNS
from econsim.data.dataset import Dataset, load_dataset


def obs(*rows, region="testland", parent=""):
    """An observations frame from (indicator, period, measure, value[, status[, basis[, quality[, unit]]]]) tuples."""
    out = []
    for r in rows:
        indicator, period, measure, value = r[:4]
        status = r[4] if len(r) > 4 else "actual"
        pct = measure in ("growth", "avg_growth")
        basis = r[5] if len(r) > 5 else "nominal"
        quality = r[6] if len(r) > 6 else "official"
        unit = r[7] if len(r) > 7 else "pct" if pct else "CNY_100m"
        out.append({"region": region, "indicator": indicator, "period": period, "measure": measure,
                    "value": float(value), "unit": unit, "status": status, "basis": basis,
                    "source": f"test source {len(out)}", "locator": f"table {len(out)}", "source_quality": quality,
                    "note": "", "parent": parent})
    return pd.DataFrame(out, columns=list(COLUMNS))


RETAIL = "社会消费品零售总额 Retail sales of consumer goods"
GDP = "地区生产总值 GDP"


def sources(*numbers):
    """The citations of the rows `numbers` of an `obs` frame."""
    return [f"test source {i} (table {i})" for i in numbers]


class _Reconstructed:
    """Observations whose reconstruction relaxes no figure: the checks without the (slower) reconstruction."""

    def __init__(self, frame):
        self.observations = frame

    def reconstruct(self, region):
        return SimpleNamespace(constraints=pd.DataFrame({"state": []}))


def checked(*rows, **kw):
    """`check` of an `obs` frame, leaving out the reconstruction's findings (tested on their own)."""
    return check(_Reconstructed(obs(*rows, **kw)))


def topic(findings, name, indicator=None):
    return [f for f in findings if f.topic == name and (indicator is None or f.indicator == indicator)]


@pytest.fixture(scope="module")
def zone():
    return check(load_dataset(), region="dlhitech")


# --------------------------------------------------------------------------- the zone's figures

def test_industry_nominal_and_real_growth_imply_a_price_decline_of_1_1_percent(zone):
    [f] = topic(zone, "implied_prices", "industrial_va")
    assert f.figures["nominal_cagr"] == pytest.approx(9.86, abs=0.01)
    assert f.figures["avg_growth"] == 11.1
    assert f.figures["implied_price_change"] == pytest.approx(-1.12, abs=0.01)
    assert f.severity == "warning"
    assert "19.5" in f.message and "31.2" in f.message and "not an error" in f.message


def test_investment_total_leaves_357_96_for_2021_to_2023(zone):
    [f] = topic(zone, "cumulative_vs_levels", "fixed_investment")
    assert f.figures["remaining"] == pytest.approx(357.96)
    assert f.figures["remaining_after_growth"] == pytest.approx(597 - 139.1 - 99.94 - 139.1 / 1.058, abs=1e-3)
    assert "357.96" in f.message and "2021-2023" in f.message
    assert "leaving 226.49 亿元 for 2021-2022 (113.24 a year)" in f.message


def test_investment_average_increase_needs_a_negative_2020_level(zone):
    [f] = topic(zone, "avg_increase_vs_levels", "fixed_investment")
    assert f.severity == "conflict"
    assert f.figures["implied_level_2020"] == pytest.approx(-24.56)
    assert f.figures["level_2019"] == 85
    assert "-24.56" in f.message


def test_investment_fall_of_28_percent_from_2024_to_2025_is_a_warning(zone):
    [f] = topic(zone, "implied_growth", "fixed_investment")
    assert f.figures["implied_growth"] == pytest.approx(-28.15, abs=0.01)
    assert f.severity == "warning"


def test_zone_and_city_growth_spreads_are_reported_per_indicator_and_year(zone):
    spreads = {(f.indicator, f.message.split(":")[0][-4:]): f.figures["spread"] for f in topic(zone, "zone_vs_city")}
    assert spreads[("gdp", "2024")] == pytest.approx(0.8)
    assert spreads[("gdp", "2025")] == pytest.approx(0.3)
    assert spreads[("industrial_va", "2025")] == pytest.approx(-1.5)


def test_a_spread_resting_on_an_unverified_copy_is_flagged(zone):
    [f] = [f for f in topic(zone, "zone_vs_city", "gdp") if "2024" in f.message]
    assert f.figures["unverified"] is True and f.severity == "warning"
    assert "unverified copy" in f.message
    assert any("[unverified copy]" in s for s in f.sources)


def test_dalian_conflicting_gdp_levels_for_2024_are_reported():
    [f] = topic(check(load_dataset(), region="dalian"), "duplicates", "gdp")
    assert {f.figures["used"], f.figures["other"]} == {9540.2, 9516.9}
    assert "9,516.9" in f.message and "9,540.2" in f.message


def test_every_finding_has_a_known_severity_a_message_and_its_sources():
    findings = check(load_dataset())
    assert findings
    for f in findings:
        assert f.severity in SEVERITIES
        assert f.message.endswith(".") and "\n" not in f.message
        assert f.sources and all(s.strip() for s in f.sources)


# --------------------------------------------------------------------------- generic checks on any file

def test_growth_inconsistent_with_adjacent_levels_is_a_conflict():
    [f] = topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110),
                        ("retail_sales", "2025", "growth", 12)), "growth_vs_levels")
    assert f.severity == "conflict" and f.figures["implied_growth"] == pytest.approx(10)
    assert f.sources == ["test source 0 (table 0)", "test source 1 (table 1)", "test source 2 (table 2)"]


def test_yearly_implied_price_change_is_the_ratio_of_nominal_to_real_growth():
    # nominal 100 → 130 is +30%, real +20%: prices 1.30 / 1.20 − 1 = +8.33% (not 30 − 20 = 10)
    [f] = topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 130),
                        ("retail_sales", "2025", "growth", 20, "actual", "comparable")), "implied_prices")
    assert f.figures["implied_growth"] == pytest.approx(30)
    assert f.figures["implied_price_change"] == pytest.approx(100 * (1.30 / 1.20 - 1), abs=0.01)
    assert f.severity == "warning" and "8.33" in f.message


def test_yearly_implied_price_fall_is_a_warning_computed_as_a_ratio():
    # nominal +2%, real +5%: prices 1.02 / 1.05 − 1 = −2.857% (a fall, flagged for a look)
    [f] = topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 102),
                        ("retail_sales", "2025", "growth", 5, "actual", "comparable")), "implied_prices")
    assert f.figures["implied_price_change"] == pytest.approx(100 * (1.02 / 1.05 - 1), abs=0.01)
    assert f.severity == "warning" and "fall" in f.message


def test_growth_within_rounding_of_the_levels_is_not_flagged():
    findings = checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110.4),
                       ("retail_sales", "2025", "growth", 10))
    assert topic(findings, "growth_vs_levels") == []


def test_average_growth_inconsistent_with_endpoint_levels_of_the_same_basis_is_a_conflict():
    [f] = topic(checked(("retail_sales", "2020", "level", 100), ("retail_sales", "2025", "level", 150),
                        ("retail_sales", "2021-2025", "avg_growth", 12)), "avg_growth_vs_levels")
    assert f.severity == "conflict" and f.figures["nominal_cagr"] == pytest.approx(8.4472, abs=1e-3)


def test_cumulative_sum_inconsistent_with_the_annual_levels_is_a_conflict():
    rows = [("retail_sales", str(y), "level", 100) for y in range(2021, 2024)]
    [f] = topic(checked(*rows, ("retail_sales", "2021-2023", "cumulative", 320)), "cumulative_vs_levels")
    assert f.severity == "conflict" and "300" in f.message


def test_conflicting_duplicates_with_the_same_status_are_a_conflict():
    [f] = topic(checked(("retail_sales", "2025", "level", 100), ("retail_sales", "2025", "level", 104)),
                "duplicates")
    assert f.severity == "conflict" and f.figures["difference"] == pytest.approx(-4)


def test_of_two_clashing_figures_one_without_a_stated_source_quality_is_used_before_a_derived_one():
    # Source preference (data.schema.QUALITY_RANK): official, state media, unstated, unverified copy, derived.
    [f] = topic(checked(("retail_sales", "2025", "level", 104, "actual", "nominal", "derived"),
                        ("retail_sales", "2025", "level", 100, "actual", "nominal", "")), "duplicates")
    assert f.figures["used"] == 100 and f.figures["other"] == 104


def test_a_target_that_differs_from_the_outcome_is_not_a_duplicate():
    findings = checked(("retail_sales", "2025", "growth", 3), ("retail_sales", "2025", "growth", 5, "target"))
    assert topic(findings, "duplicates") == []


def test_average_growth_with_some_annual_rates_says_what_remains_for_the_others():
    [f] = topic(checked(("gdp", "2021-2025", "avg_growth", 5, "actual", "comparable"),
                        ("gdp", "2025", "growth", 1, "actual", "comparable")), "avg_growth_vs_growth")
    assert f.severity == "info"
    assert f.figures["implied_avg_growth_other_years"] == pytest.approx(100 * ((1.05 ** 5 / 1.01) ** 0.25 - 1), abs=1e-3)
    assert f.message.endswith("with 1% in 2025 leaves 6.02% a year for 2021-2024.")


@pytest.mark.parametrize("rows", [
    [("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110),
     ("retail_sales", "2025", "growth", 12)],
    [("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110),
     ("retail_sales", "2025", "growth", 5, "actual", "comparable")],
    [("retail_sales", "2020", "level", 100), ("retail_sales", "2025", "level", 150),
     ("retail_sales", "2021-2025", "avg_growth", 12)],
    [("retail_sales", "2020", "level", 100), ("retail_sales", "2025", "level", 150),
     ("retail_sales", "2021-2025", "avg_growth", 6, "actual", "comparable")],
    [("retail_sales", "2024-2025", "avg_growth", 10.1), ("retail_sales", "2024", "growth", 0.1),
     ("retail_sales", "2025", "growth", 20.1)],
    [("retail_sales", "2021-2025", "avg_growth", 5), ("retail_sales", "2025", "growth", 1)],
    [("retail_sales", "2022", "level", 100), ("retail_sales", "2023", "level", 100),
     ("retail_sales", "2022-2023", "cumulative", 300)],
    [("retail_sales", "2021", "level", 100), ("retail_sales", "2021-2023", "cumulative", 320)],
    [("retail_sales", "2021-2025", "avg_increase", 12), ("retail_sales", "2020", "level", 100),
     ("retail_sales", "2025", "level", 150)],
    [("retail_sales", "2021-2025", "avg_increase", 12), ("retail_sales", "2020", "level", 100)],
])
def test_every_finding_names_the_region_and_the_indicator_it_is_about(rows):
    findings = checked(*rows)
    assert findings
    assert all(f.region == "testland" and f.indicator == "retail_sales" for f in findings)


# --------------------------------------------------------------------------- a region against the one it lies in

def nested(zone_rows, parent_rows, parent="city", chain="city"):
    """A Dataset of region ``zone`` (declared to lie in `chain`) and of region `parent`, with distinct sources."""
    city = obs(*parent_rows, region=parent)
    city["source"], city["locator"] = parent + " " + city["source"], parent + " " + city["locator"]
    return Dataset(pd.concat([obs(*zone_rows, region="zone", parent=chain), city], ignore_index=True))


def test_growth_of_a_region_is_set_against_the_region_it_lies_in():
    ds = nested([("gdp", "2025", "growth", 6, "actual", "comparable"), ("gdp", "2024", "growth", 7)],
                [("gdp", "2025", "growth", 5.5, "actual", "comparable")])
    [f] = topic(check(ds, region="zone"), "zone_vs_city")
    assert f.severity == "info" and f.region == "zone" and f.indicator == "gdp"
    assert f.message == f"{GDP} 2025: growth of 6% in zone against 5.5% in city, a spread of +0.5 percentage points."
    assert f.figures == {"zone_growth": 6, "city_growth": 5.5, "spread": 0.5, "unverified": False}
    assert f.sources == ["test source 0 (table 0)", "city test source 0 (city table 0)"]


def test_growth_on_different_price_bases_is_a_warning_naming_both():
    ds = nested([("gdp", "2025", "growth", 5, "actual", "nominal")], [("gdp", "2025", "growth", 5.5, "actual",
                                                                        "comparable")])
    [f] = topic(check(ds, region="zone"), "zone_vs_city")
    assert f.severity == "warning"
    assert f.message == (f"{GDP} 2025: growth of 5% in zone against 5.5% in city, a spread of -0.5 percentage points "
                         "(bases differ: nominal vs real).")


def test_a_spread_resting_on_an_unverified_zone_figure_names_its_locator():
    ds = nested([("gdp", "2025", "growth", 6, "actual", "comparable", "unverified_copy")],
                [("gdp", "2025", "growth", 5.5, "actual", "comparable")])
    [f] = topic(check(ds, region="zone"), "zone_vs_city")
    assert f.severity == "warning" and f.figures["unverified"] is True
    assert f.message.endswith("a spread of +0.5 percentage points; the zone figure comes from an unverified copy "
                              "(table 0).")
    assert f.sources == ["test source 0 (table 0) [unverified copy]", "city test source 0 (city table 0)"]


def test_a_spread_resting_on_two_unverified_figures_names_both():
    ds = nested([("gdp", "2025", "growth", 6, "actual", "comparable", "unverified_copy")],
                [("gdp", "2025", "growth", 5.5, "actual", "comparable", "unverified_copy")])
    [f] = topic(check(ds, region="zone"), "zone_vs_city")
    assert f.message.endswith("; the zone figure and the city figure come from an unverified copy (table 0; "
                              "city table 0).")


def test_a_region_is_set_against_the_nearest_region_it_lies_in_that_has_figures():
    ds = nested([("gdp", "2025", "growth", 6, "actual", "comparable")],
                [("gdp", "2025", "growth", 5, "actual", "comparable")], parent="province", chain="city > province")
    [f] = topic(check(ds, region="zone"), "zone_vs_city")
    assert "against 5% in province" in f.message


# --------------------------------------------------------------------------- the reconstruction and the order

def test_a_figure_the_reconstruction_relaxes_is_reported_with_the_value_it_gets():
    # the levels 100 → 110 fix 2025 growth at 10%, so the reported 12% is relaxed by −2 points
    [f] = topic(check(obs(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110),
                          ("retail_sales", "2025", "growth", 12))), "reconstruction")
    assert f.severity == "info" and f.indicator == "retail_sales" and f.region == "testland"
    assert f.message == (f"The 2020–2025 reconstruction of {RETAIL} cannot meet growth 2025 = 12% (actual) together "
                         "with the other figures, so it relaxes it: the path gives 10% (residual -2%).")
    assert f.figures == {"target": 12, "reconstructed": pytest.approx(10), "residual": pytest.approx(-2)}
    assert f.sources == sources(2)


def test_a_relaxed_level_figure_is_reported_in_its_unit(zone):
    [f] = topic(zone, "reconstruction", "fixed_investment")
    assert "cannot meet avg_increase 2021-2025 = 24.9 亿元 (actual)" in f.message
    assert f.figures["residual"] == pytest.approx(f.figures["reconstructed"] - 24.9, abs=1e-3)


def test_findings_are_ordered_by_severity_then_indicator_then_topic():
    findings = checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 105),     # info
                       ("gdp", "2021-2025", "avg_growth", 5, "actual", "comparable"),
                       ("gdp", "2025", "growth", 1, "actual", "comparable"),                             # info
                       ("gdp", "2024", "level", 100), ("gdp", "2025", "level", 103),                     # info
                       ("exports", "2024", "level", 100), ("exports", "2025", "level", 130),             # warning
                       ("imports", "2024", "level", 100), ("imports", "2025", "level", 110),
                       ("imports", "2025", "growth", 12))                                                # conflict
    assert [(f.severity, f.indicator, f.topic) for f in findings] == [
        ("conflict", "imports", "growth_vs_levels"), ("warning", "exports", "implied_growth"),
        ("info", "gdp", "avg_growth_vs_growth"), ("info", "gdp", "implied_prices"),
        ("info", "retail_sales", "implied_growth")]


def test_without_a_region_every_region_is_checked_in_order():
    frame = pd.concat([obs(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 105),
                           region=r) for r in ("b_town", "a_town")], ignore_index=True)
    assert [f.region for f in check(_Reconstructed(frame))] == ["a_town", "b_town"]


# --------------------------------------------------------------------------- output

def test_findings_frame_has_one_row_per_finding_with_figures_as_json(zone):
    frame = findings_frame(zone)
    assert list(frame.columns) == ["region", "severity", "topic", "indicator", "name", "message", "figures",
                                   "sources"]
    assert len(frame) == len(zone)
    assert isinstance(json.loads(frame["figures"].iloc[0]), dict)


def test_terminal_text_counts_findings_and_uses_chinese_names(zone):
    text = format_findings(zone)
    assert text.startswith(f"econsim data --check: {len(zone)} findings")
    assert "规上工业增加值" in text and "固定资产投资" in text and "source:" in text


# --------------------------------------------------------------------------- which figures are evidence

def test_a_figure_stands_for_anything_within_its_last_printed_digit():
    # 99.94 is 99.935–99.945 and 99.9 is 99.85–99.95: they overlap; 99.92 (99.915–99.925) does not
    same = checked(("retail_sales", "2025", "level", 99.94), ("retail_sales", "2025", "level", 99.9))
    assert topic(same, "duplicates") == []
    [f] = topic(checked(("retail_sales", "2025", "level", 99.94), ("retail_sales", "2025", "level", 99.92)),
                "duplicates")
    assert f.figures == {"used": 99.94, "other": 99.92, "difference": 0.02}
    # 5.3 is 5.25–5.35, so 5.348 (5.3475–5.3485) agrees with it
    assert topic(checked(("retail_sales", "2025", "growth", 5.3), ("retail_sales", "2025", "growth", 5.348)),
                 "duplicates") == []


@pytest.mark.parametrize("first, second", [(5, 6), (6, 5)])
def test_two_figures_whose_rounding_bands_just_touch_are_not_a_clash(first, second):
    # 5 is 4.5–5.5 and 6 is 5.5–6.5: both may be 5.5
    assert topic(checked(("retail_sales", "2025", "growth", first), ("retail_sales", "2025", "growth", second)),
                 "duplicates") == []


def test_a_level_in_another_unit_is_compared_in_the_registry_unit_within_its_own_rounding():
    # 1.5 亿美元 = 15,000 万美元 and stands for 1.45–1.55 亿美元, i.e. 14,500–15,500 万美元
    within = obs(("fdi_used", "2025", "level", 1.5, "actual", "nominal", "official", "USD_100m"),
                 ("fdi_used", "2025", "level", 15400, "actual", "nominal", "official", "USD_10k"))
    assert topic(check(_Reconstructed(within)), "duplicates") == []
    beyond = obs(("fdi_used", "2025", "level", 1.5, "actual", "nominal", "official", "USD_100m"),
                 ("fdi_used", "2025", "level", 15600, "actual", "nominal", "official", "USD_10k"))
    [f] = topic(check(_Reconstructed(beyond)), "duplicates")
    assert f.figures == {"used": 15000, "other": 15600, "difference": -600}
    assert "15,600 万美元 (actual) and 15,000 万美元 (actual)" in f.message


def test_targets_forecasts_derived_figures_and_other_regions_are_not_evidence():
    rows = obs(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 130, "target"),
               ("retail_sales", "2025", "level", 131, "forecast"), ("retail_sales", "2025", "level", 132, "derived"))
    elsewhere = obs(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 140), region="elsewhere")
    assert check(_Reconstructed(pd.concat([rows, elsewhere], ignore_index=True)), region="testland") == []


def test_a_preliminary_level_is_evidence():
    [f] = topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 105,
                                                                     "preliminary")), "implied_growth")
    assert f.figures["implied_growth"] == pytest.approx(5)


# --------------------------------------------------------------------------- duplicates

def test_a_clash_of_two_actual_figures_names_both_and_their_difference():
    # 100 − 104 = −4, that is −4/104 = −3.85% of the other figure
    [f] = topic(checked(("retail_sales", "2025", "level", 100), ("retail_sales", "2025", "level", 104)),
                "duplicates")
    assert f.message == (f"{RETAIL} level 2025 is reported twice: 104 亿元 (actual) and 100 亿元 (actual), a "
                         "difference of -4 亿元 (-3.85%); the official source is used, but they cannot both be right.")
    assert f.sources == sources(0, 1) and f.indicator == "retail_sales" and f.region == "testland"


def test_an_actual_figure_replaces_a_preliminary_one_as_a_likely_revision():
    # the actual 5.6 is used although listed second; 5.6 − 5 = 0.6 points, +12% of 5
    [f] = topic(checked(("retail_sales", "2025", "growth", 5, "preliminary"),
                        ("retail_sales", "2025", "growth", 5.6)), "duplicates")
    assert f.severity == "warning"
    assert f.message == (f"{RETAIL} growth 2025 is reported twice: 5% (preliminary) and 5.6% (actual), a difference "
                         "of 0.6% (+12.00%); the actual figure is used (likely a revision).")
    assert f.figures == {"used": 5.6, "other": 5.0, "difference": 0.6}
    assert f.sources == sources(1, 0)


def test_a_clash_between_sources_of_unstated_quality_uses_the_first():
    [f] = topic(checked(("retail_sales", "2021-2025", "avg_growth", 5, "actual", "nominal", ""),
                        ("retail_sales", "2021-2025", "avg_growth", 6.2, "actual", "nominal", "")), "duplicates")
    assert f.severity == "conflict"
    # 5 − 6.2 = −1.2 points, −1.2 / 6.2 = −19.35%; an average growth rate is in percent, like growth
    assert f.message.endswith("a difference of -1.2% (-19.35%); the first source is used, but they cannot both be "
                              "right.")


def test_a_clash_with_a_zero_figure_gives_no_relative_difference():
    [f] = topic(checked(("retail_sales", "2025", "growth", 2), ("retail_sales", "2025", "growth", 0,
                                                                    "preliminary")), "duplicates")
    assert "a difference of 2%; the actual figure is used" in f.message


def test_a_figure_clashing_with_the_used_one_is_found_after_one_that_agrees_with_it():
    [f] = topic(checked(("retail_sales", "2025", "level", 100), ("retail_sales", "2025", "level", 100.2),
                        ("retail_sales", "2025", "level", 104)), "duplicates")
    assert f.figures == {"used": 100, "other": 104, "difference": -4}


def test_a_figure_printed_in_scientific_notation_is_taken_as_exact():
    # 1e-05 and 2e-05 have no last printed digit to round: they differ
    [f] = topic(checked(("retail_sales", "2025", "growth", 1e-5), ("retail_sales", "2025", "growth", 2e-5)),
                "duplicates")
    assert f.severity == "conflict"


# --------------------------------------------------------------------------- growth against levels

def test_a_growth_conflict_states_the_implied_growth_and_its_rounding_band():
    # 100 → 110 is +10%; allowing for rounding 109.5/100.5 − 1 = 8.96% to 110.5/99.5 − 1 = 11.06%
    [f] = topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110),
                        ("retail_sales", "2025", "growth", 12)), "growth_vs_levels")
    assert f.message == (f"{RETAIL}: 100 亿元 (2024) to 110 亿元 (2025) is growth of 10% (between 8.96% and 11.06% "
                         "allowing for rounding), but growth of 12% is reported for 2025.")
    assert f.figures == {"level_2024": 100, "level_2025": 110, "implied_growth": 10, "growth": 12}


def test_growth_just_outside_the_rounding_band_of_the_levels_is_a_conflict():
    # the band is 8.96%–11.06%; 11.6 stands for 11.55–11.65, 11.5 for 11.45–11.55 (inside: 11 → 10.5–11.5)
    def found(growth):
        return topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110),
                             ("retail_sales", "2025", "growth", growth)), "growth_vs_levels")
    assert found(11) == [] and found(9) == []
    assert len(found(11.6)) == 1 and len(found(8.4)) == 1


def test_levels_without_growth_state_the_rise_they_imply():
    [f] = topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110)),
                "implied_growth")
    assert f.severity == "info"
    assert f.message == (f"{RETAIL}: 100 亿元 (2024) to 110 亿元 (2025) is a rise of 10%; no growth rate is reported "
                         "for 2025.")
    assert f.figures == {"level_2024": 100, "level_2025": 110, "implied_growth": 10}
    assert f.sources == sources(0, 1)


@pytest.mark.parametrize("before, after, severity, words", [
    (100, 75, "warning", "is a fall of 25%;"),      # a swing of 20% or more either way is worth a look
    (100, 125, "warning", "is a rise of 25%;"),
    (100, 81, "info", "is a fall of 19%;"),
    (100, 100, "info", "is a rise of 0%;"),
])
def test_a_large_swing_in_the_levels_without_growth_is_a_warning(before, after, severity, words):
    [f] = topic(checked(("retail_sales", "2024", "level", before), ("retail_sales", "2025", "level", after)),
                "implied_growth")
    assert f.severity == severity and words in f.message


@pytest.mark.parametrize("after, severity", [(110, "info"), (110.5, "warning"), (102, "warning")])
def test_an_implied_price_rise_above_5_percent_a_year_or_any_fall_is_a_warning(after, severity):
    # real growth 5%: 110 → 1.10/1.05 − 1 = +4.76%; 110.5 → 1.105/1.05 − 1 = +5.24%; 102 → −2.86%
    [f] = topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", after),
                        ("retail_sales", "2025", "growth", 5, "actual", "comparable")), "implied_prices")
    assert f.severity == severity


def test_each_indicator_is_checked_after_one_that_needs_no_finding():
    # exports (sorted first) are consistent or lack what a check needs; retail sales still get every finding
    findings = checked(("exports", "2024", "level", 100), ("exports", "2025", "level", 110), ("exports", "2025",
                                                                                           "growth", 10),
                       ("exports", "2017-2019", "cumulative", 300), ("exports", "2024-2025", "cumulative", 210),
                       ("exports", "2016-2018", "avg_increase", 10),
                       ("exports", "2021-2025", "avg_increase", 2), ("exports", "2020", "level", 100),
                       ("exports", "2010-2012", "avg_growth", 5, "actual", "nominal"),
                       ("good_air_days_share", "2024", "level", 80, "actual", "nominal", "official", "pct"),
                       ("good_air_days_share", "2025", "level", 90, "actual", "nominal", "official", "pct"),
                       ("good_air_days_share", "2021-2023", "cumulative", 300, "actual", "nominal", "official",
                        "pct"),
                       ("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 130),
                       ("retail_sales", "2021-2025", "cumulative", 600), ("retail_sales", "2021-2025", "avg_increase",
                                                                          6),
                       ("retail_sales", "2021-2025", "avg_growth", 5), ("retail_sales", "2021", "growth", 5))
    assert {f.topic for f in findings if f.indicator == "retail_sales"} == {
        "implied_growth", "cumulative_vs_levels", "avg_increase_vs_levels", "avg_growth_vs_growth"}
    assert [f for f in findings if f.indicator != "retail_sales"] == []


def test_comparable_price_levels_and_percentage_indicators_imply_no_growth():
    findings = checked(("retail_sales", "2024", "level", 100, "actual", "comparable"),
                       ("retail_sales", "2025", "level", 110, "actual", "comparable"),
                       ("good_air_days_share", "2024", "level", 80, "actual", "nominal", "official", "pct"),
                       ("good_air_days_share", "2025", "level", 90, "actual", "nominal", "official", "pct"))
    assert topic(findings, "implied_growth") == [] and topic(findings, "growth_vs_levels") == []


def test_nominal_growth_equal_to_real_growth_implies_unchanged_prices_as_info():
    # 100 → 105 is +5% nominal, real growth 5%: prices 1.05 / 1.05 − 1 = 0
    [f] = topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 105),
                        ("retail_sales", "2025", "growth", 5, "actual", "comparable")), "implied_prices")
    assert f.severity == "info" and f.region == "testland" and f.indicator == "retail_sales"
    assert f.message == (f"{RETAIL}: 100 亿元 (2024) to 105 亿元 (2025) is nominal growth of 5%, against real growth "
                         "of 5% in 2025: prices implied to rise 0% a year (deflator), or a level was revised.")
    assert f.figures == {"level_2024": 100, "level_2025": 105, "implied_growth": 5, "growth": 5,
                         "implied_price_change": 0}
    assert f.sources == sources(0, 1, 2)


def test_a_modest_implied_price_rise_is_info():
    # 100 → 110 is +10%, real +5%: prices 1.10 / 1.05 − 1 = +4.76% (up to 5% a year is unremarkable)
    [f] = topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110),
                        ("retail_sales", "2025", "growth", 5, "actual", "comparable")), "implied_prices")
    assert f.severity == "info" and f.figures["implied_price_change"] == pytest.approx(4.7619, abs=1e-4)
    assert "prices implied to rise 4.76% a year" in f.message


def test_an_implied_price_fall_is_stated_as_a_decline_not_an_error():
    # 100 → 102 is +2%, real +5%: prices 1.02 / 1.05 − 1 = −2.86%
    [f] = topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 102),
                        ("retail_sales", "2025", "growth", 5, "actual", "comparable")), "implied_prices")
    assert f.message.endswith(": prices implied to fall 2.86% a year (deflator) — a price decline to note, not an "
                              "error.")


def test_growth_of_unstated_basis_is_read_as_the_indicator_is_reported():
    # GDP growth is conventionally real (可比价): against nominal levels it implies a price change;
    # the same figure stated as nominal is compared with the levels directly
    unstated = checked(("gdp", "2024", "level", 100), ("gdp", "2025", "level", 110),
                       ("gdp", "2025", "growth", 12, "actual", ""))
    assert [f.topic for f in unstated] == ["implied_prices"]
    nominal = checked(("gdp", "2024", "level", 100), ("gdp", "2025", "level", 110),
                      ("gdp", "2025", "growth", 12, "actual", "nominal"))
    assert [f.topic for f in nominal] == ["growth_vs_levels"]


# --------------------------------------------------------------------------- period averages

def test_average_growth_against_levels_states_the_compound_rate_and_its_rounding_band():
    # (150/100)^(1/5) − 1 = 8.45% a year; with rounding (149.5/100.5)^(1/5) − 1 = 8.27%
    # to (150.5/99.5)^(1/5) − 1 = 8.63%
    [f] = topic(checked(("retail_sales", "2020", "level", 100), ("retail_sales", "2025", "level", 150),
                        ("retail_sales", "2021-2025", "avg_growth", 12)), "avg_growth_vs_levels")
    assert f.message == (f"{RETAIL}: from 100 亿元 (2020) to 150 亿元 (2025) is nominal growth of 8.45% a year "
                         "(between 8.27% and 8.63% allowing for rounding), but average growth of 12% is reported for "
                         "2021-2025.")
    assert f.figures == {"level_2020": 100, "level_2025": 150, "nominal_cagr": pytest.approx(8.4472, abs=1e-4),
                         "avg_growth": 12}
    assert f.sources == sources(0, 1, 2)


@pytest.mark.parametrize("avg, found", [(8.3, False), (8.6, False), (8.2, True), (8.7, True)])
def test_average_growth_within_the_rounding_band_of_the_endpoint_levels_is_not_flagged(avg, found):
    # the band is 8.27%–8.63%; 8.2 stands for 8.15–8.25 and 8.7 for 8.65–8.75
    findings = checked(("retail_sales", "2020", "level", 100), ("retail_sales", "2025", "level", 150),
                       ("retail_sales", "2021-2025", "avg_growth", avg))
    assert len(topic(findings, "avg_growth_vs_levels")) == found


def test_real_average_growth_against_nominal_endpoint_levels_implies_a_yearly_price_change():
    # nominal 8.4472% a year against real 6%: prices 1.084472 / 1.06 − 1 = +2.31% a year
    [f] = topic(checked(("gdp", "2020", "level", 100), ("gdp", "2025", "level", 150),
                        ("gdp", "2021-2025", "avg_growth", 6, "actual", "comparable")), "implied_prices")
    assert f.severity == "info"
    assert f.message == (f"{GDP}: from 100 亿元 (2020) to 150 亿元 (2025) is nominal growth of 8.45% a year, but real "
                         "growth averaged 6% a year over 2021-2025: prices implied to rise 2.31% a year (deflator), or "
                         "a level was revised.")
    assert f.figures["implied_price_change"] == pytest.approx(2.3087, abs=1e-4)
    assert f.sources == sources(0, 1, 2)


def test_an_endpoint_level_at_comparable_prices_is_not_compared_with_average_growth():
    findings = checked(("retail_sales", "2020", "level", 100), ("retail_sales", "2025", "level", 150, "actual",
                                                                    "comparable"),
                       ("retail_sales", "2021-2025", "avg_growth", 12))
    assert topic(findings, "avg_growth_vs_levels") == [] and topic(findings, "implied_prices") == []


def test_average_growth_with_one_year_missing_says_what_that_year_needs():
    # 1.05^5 / (1.04 × 1.05 × 1.06 × 1.05) − 1 = 5.01% left for 2025
    # (the 2020 and 2026 rates lie outside the period and play no part)
    rows = [("gdp", str(y), "growth", g, "actual", "comparable") for y, g in zip(range(2021, 2025), (4, 5, 6, 5))]
    [f] = topic(checked(("gdp", "2021-2025", "avg_growth", 5, "actual", "comparable"), *rows,
                        ("gdp", "2026", "growth", 9, "actual", "comparable"),
                        ("gdp", "2020", "growth", 9, "actual", "comparable")),
                "avg_growth_vs_growth")
    assert f.message == (f"{GDP}: an average of 5% a year over 2021-2025 with 4% in 2021, 5% in 2022, 6% in 2023, "
                         "5% in 2024 leaves 5.01% a year for 2025.")
    assert f.figures == {"growth_2021": 4, "growth_2022": 5, "growth_2023": 6, "growth_2024": 5, "avg_growth": 5,
                         "implied_avg_growth_other_years": pytest.approx(5.0095, abs=1e-4)}
    assert f.sources == sources(0, 1, 2, 3, 4)


def test_average_growth_with_two_years_missing_names_both():
    # √(1.05³ / 1.03) − 1 = 6.01% a year left for 2022 and 2023
    [f] = topic(checked(("gdp", "2021-2023", "avg_growth", 5, "actual", "comparable"),
                        ("gdp", "2021", "growth", 3, "actual", "comparable")), "avg_growth_vs_growth")
    assert f.message.endswith("with 3% in 2021 leaves 6.01% a year for 2022-2023.")


def test_annual_growth_of_the_other_basis_says_nothing_about_an_average():
    findings = checked(("gdp", "2021-2025", "avg_growth", 5, "actual", "comparable"),
                       ("gdp", "2025", "growth", 1, "actual", "nominal"))
    assert topic(findings, "avg_growth_vs_growth") == []


def test_an_average_of_annual_rates_is_their_geometric_mean_not_their_arithmetic_mean():
    # √(1.001 × 1.201) − 1 = 9.64% a year, not (0.1 + 20.1)/2 = 10.1%
    rows = (("gdp", "2024", "growth", 0.1, "actual", "comparable"), ("gdp", "2025", "growth", 20.1, "actual",
                                                                      "comparable"))
    [f] = topic(checked(("gdp", "2024-2025", "avg_growth", 10.1, "actual", "comparable"), *rows),
                "avg_growth_vs_growth")
    assert f.severity == "conflict"
    assert f.message == f"{GDP}: 0.1% in 2024, 20.1% in 2025 average 9.64% a year, but 10.1% is reported for 2024-2025."
    # figures are rounded to 4 decimals (9.644926... → 9.6449)
    assert f.figures == {"growth_2024": 0.1, "growth_2025": 20.1, "avg_growth": 10.1, "geometric_mean": 9.6449}
    assert f.sources == sources(0, 1, 2)
    agrees = checked(("gdp", "2024-2025", "avg_growth", 9.6, "actual", "comparable"), *rows)
    assert topic(agrees, "avg_growth_vs_growth") == []


@pytest.mark.parametrize("avg, found", [(9.3, False), (8.9, True)])
def test_an_average_is_compared_with_annual_rates_within_the_rounding_of_the_coarsest(avg, found):
    # √(1.001 × 1.2) − 1 = 9.60%; slack = 0.05 (the average) + 0.5 (the rate printed as 20): 9.3 is within
    # 0.55 of it, 8.9 is not
    findings = checked(("gdp", "2024-2025", "avg_growth", avg, "actual", "comparable"),
                       ("gdp", "2024", "growth", 0.1, "actual", "comparable"),
                       ("gdp", "2025", "growth", 20, "actual", "comparable"))
    assert len(topic(findings, "avg_growth_vs_growth")) == found


# --------------------------------------------------------------------------- period totals

def test_a_total_that_the_annual_levels_do_not_add_up_to_says_what_they_sum_to():
    rows = [("retail_sales", str(y), "level", 100) for y in range(2021, 2024)]
    [f] = topic(checked(*rows, ("retail_sales", "2021-2023", "cumulative", 320)), "cumulative_vs_levels")
    assert f.message == f"{RETAIL}: 320 亿元 in total over 2021-2023, but the annual levels sum to 300 亿元."
    assert f.figures == {"cumulative": 320, "level_2021": 100, "level_2022": 100, "level_2023": 100}
    assert f.sources == sources(3, 0, 1, 2)


@pytest.mark.parametrize("total, found", [(302, False), (298, False), (302.6, True), (297.4, True)])
def test_a_total_within_the_rounding_of_its_parts_is_not_flagged(total, found):
    # three levels printed as 100 (±0.5 each) and a total printed as 302 (±0.5): up to 2 apart is rounding;
    # a total printed as 302.6 (±0.05) may be 1.55 away at most
    rows = [("retail_sales", str(y), "level", 100) for y in range(2021, 2024)]
    findings = checked(*rows, ("retail_sales", "2021-2023", "cumulative", total))
    assert len(topic(findings, "cumulative_vs_levels")) == found


def test_a_total_with_years_missing_says_what_remains_for_them():
    # (the 2020 and 2024 levels lie outside the period and play no part)
    [f] = topic(checked(("retail_sales", "2021", "level", 100), ("retail_sales", "2021-2023", "cumulative", 320),
                        ("retail_sales", "2020", "level", 90), ("retail_sales", "2024", "level", 130)),
                "cumulative_vs_levels")
    assert f.severity == "info"
    assert f.message == (f"{RETAIL}: 320 亿元 in total over 2021-2023 minus 100 (2021) leaves 220 亿元 for 2022-2023 "
                         "(110 a year).")
    assert f.figures == {"cumulative": 320, "level_2021": 100, "remaining": 220}
    assert f.sources == sources(1, 0)


def test_a_total_with_one_year_missing_lists_the_known_levels():
    [f] = topic(checked(("retail_sales", "2021", "level", 100), ("retail_sales", "2023", "level", 90),
                        ("retail_sales", "2021-2023", "cumulative", 300)), "cumulative_vs_levels")
    assert f.message == (f"{RETAIL}: 300 亿元 in total over 2021-2023 minus 100 (2021) and 90 (2023) leaves 110 亿元 "
                         "for 2022 (110 a year).")


def test_a_total_that_leaves_nothing_for_the_missing_years_is_a_conflict():
    # (with nothing left, stepping 2023 from its growth rate has nothing to say)
    [f] = topic(checked(("retail_sales", "2021", "level", 100), ("retail_sales", "2022", "level", 100),
                        ("retail_sales", "2023", "growth", 5), ("retail_sales", "2021-2023", "cumulative", 200)),
                "cumulative_vs_levels")
    assert f.severity == "conflict"
    assert f.message.endswith("leaves 0 亿元 for 2023 (0 a year), which is impossible for positive levels.")
    assert "remaining_after_growth" not in f.figures


def test_a_total_uses_a_level_one_nominal_growth_step_after_a_reported_one():
    # 2022 = 100 × 1.05 = 105, so 320 − 100 − 105 = 115 is left for 2023
    [f] = topic(checked(("retail_sales", "2021", "level", 100), ("retail_sales", "2022", "growth", 5),
                        ("retail_sales", "2021-2023", "cumulative", 320)), "cumulative_vs_levels")
    assert f.severity == "info"
    assert f.message == (f"{RETAIL}: 320 亿元 in total over 2021-2023 minus 100 (2021) leaves 220 亿元 for 2022-2023 "
                         "(110 a year); with growth of 5% in 2022 the 2022 level is 105 亿元, leaving 115 亿元 for 2023 "
                         "(115 a year).")
    assert f.figures == {"cumulative": 320, "level_2021": 100, "remaining": 220, "level_2022_from_growth": 105,
                         "remaining_after_growth": 115}
    assert f.sources == sources(2, 0, 1)


def test_a_total_uses_a_level_one_nominal_growth_step_before_a_reported_one():
    # 2022 = 120 / 1.05 = 114.29, so 320 − 120 − 114.29 = 85.71 is left for 2021
    [f] = topic(checked(("retail_sales", "2023", "level", 120), ("retail_sales", "2023", "growth", 5),
                        ("retail_sales", "2021-2023", "cumulative", 320)), "cumulative_vs_levels")
    assert f.message == (f"{RETAIL}: 320 亿元 in total over 2021-2023 minus 120 (2023) leaves 200 亿元 for 2021-2022 "
                         "(100 a year); with growth of 5% in 2023 the 2022 level is 114.29 亿元, leaving 85.71 亿元 for "
                         "2021 (85.71 a year).")
    assert f.figures["level_2022_from_growth"] == pytest.approx(114.2857, abs=1e-4)


def test_a_total_whose_missing_years_are_all_stepped_from_growth_leaves_no_span():
    # 2023 = 100 × 1.05 = 105; 215 − 100 − 105 = 10 unexplained, with no year left to hold it
    [f] = topic(checked(("retail_sales", "2022", "level", 100), ("retail_sales", "2023", "growth", 5),
                        ("retail_sales", "2022-2023", "cumulative", 215)), "cumulative_vs_levels")
    assert f.message.endswith("leaves 115 亿元 for 2023 (115 a year); with growth of 5% in 2023 the 2023 level is "
                              "105 亿元.")
    assert f.figures["remaining_after_growth"] == pytest.approx(10)


def test_a_total_that_leaves_nothing_after_the_growth_step_is_a_conflict():
    # 2022 = 100 × 1.5 = 150; 250 − 100 − 150 = 0 left for 2023
    [f] = topic(checked(("retail_sales", "2021", "level", 100), ("retail_sales", "2022", "growth", 50),
                        ("retail_sales", "2021-2023", "cumulative", 250)), "cumulative_vs_levels")
    assert f.severity == "conflict"
    assert f.message.endswith("leaving 0 亿元 for 2023 (0 a year), which is impossible for positive levels.")


def test_a_total_that_leaves_a_little_for_the_missing_years_is_info():
    # 100.5 − 100 = 0.5 left for 2022-2023; 2022 = 100 × (1 − 0.996) = 0.4, leaving 0.1 for 2023
    [f] = topic(checked(("retail_sales", "2021", "level", 100), ("retail_sales", "2022", "growth", -99.6),
                        ("retail_sales", "2021-2023", "cumulative", 100.5)), "cumulative_vs_levels")
    assert f.severity == "info"
    assert f.message.endswith("leaves 0.5 亿元 for 2022-2023 (0.25 a year); with growth of -99.6% in 2022 the 2022 "
                              "level is 0.4 亿元, leaving 0.1 亿元 for 2023 (0.1 a year).")


def test_a_total_spreads_what_remains_after_a_growth_step_over_the_years_left():
    # 500 − 100 = 400 for 2020-2023; 2023 = 100 / 1.25 = 80; 400 − 80 = 320 for 2020-2022, 106.67 a year
    [f] = topic(checked(("retail_sales", "2024", "level", 100), ("retail_sales", "2024", "growth", 25),
                        ("retail_sales", "2020-2024", "cumulative", 500)), "cumulative_vs_levels")
    assert f.message == (f"{RETAIL}: 500 亿元 in total over 2020-2024 minus 100 (2024) leaves 400 亿元 for 2020-2023 "
                         "(100 a year); with growth of 25% in 2024 the 2023 level is 80 亿元, leaving 320 亿元 for "
                         "2020-2022 (106.67 a year).")


def test_a_total_steps_from_one_level_both_ways():
    # 2023 = 100 × 1.1 = 110 (growth 2023), 2021 = 100 / 1.25 = 80 (growth 2022); 330 − 100 − 110 − 80 = 40
    [f] = topic(checked(("retail_sales", "2022", "level", 100), ("retail_sales", "2023", "growth", 10),
                        ("retail_sales", "2022", "growth", 25), ("retail_sales", "2021-2023", "cumulative", 330)),
                "cumulative_vs_levels")
    assert f.figures == {"cumulative": 330, "level_2022": 100, "remaining": 230, "level_2021_from_growth": 80,
                         "level_2023_from_growth": 110, "remaining_after_growth": 40}
    assert f.message.endswith("; with growth of 25% in 2022 the 2021 level is 80 亿元; with growth of 10% in 2023 "
                              "the 2023 level is 110 亿元.")


def test_a_total_steps_back_from_a_level_whatever_lies_beyond_it():
    # a level two years before, or one year after, does not stop the step back to the missing year;
    # a growth rate next to no level (2019) steps nowhere
    before = topic(checked(("retail_sales", "2021", "level", 100), ("retail_sales", "2023", "level", 120),
                           ("retail_sales", "2023", "growth", 20), ("retail_sales", "2019", "growth", 5),
                           ("retail_sales", "2021-2023", "cumulative", 330)), "cumulative_vs_levels")
    assert [f.figures["level_2022_from_growth"] for f in before] == [100]          # 120 / 1.2
    after = topic(checked(("retail_sales", "2022", "level", 100), ("retail_sales", "2023", "level", 110),
                          ("retail_sales", "2022", "growth", 25), ("retail_sales", "2021-2023", "cumulative", 300)),
                  "cumulative_vs_levels")
    assert [f.figures["level_2021_from_growth"] for f in after] == [80]            # 100 / 1.25


def test_a_total_steps_from_two_levels_into_adjacent_missing_years():
    # 2021 = 100 × 1.1 = 110 forward from 2020; 2022 = 120 / 1.2 = 100 back from 2023; 430 − 220 − 210 = 0
    [f] = topic(checked(("retail_sales", "2020", "level", 100), ("retail_sales", "2023", "level", 120),
                        ("retail_sales", "2021", "growth", 10), ("retail_sales", "2023", "growth", 20),
                        ("retail_sales", "2020-2023", "cumulative", 430)), "cumulative_vs_levels")
    assert f.figures["level_2021_from_growth"] == 110 and f.figures["level_2022_from_growth"] == 100
    assert f.figures["remaining_after_growth"] == 0


def test_real_growth_and_comparable_levels_do_not_enter_a_nominal_total():
    stepped = checked(("retail_sales", "2021", "level", 100), ("retail_sales", "2022", "growth", 5, "actual",
                                                                   "comparable"),
                      ("retail_sales", "2021-2023", "cumulative", 320))
    [f] = topic(stepped, "cumulative_vs_levels")
    assert "with growth" not in f.message and "remaining_after_growth" not in f.figures
    comparable = checked(("retail_sales", "2021", "level", 100, "actual", "comparable"),
                         ("retail_sales", "2021-2023", "cumulative", 320))
    assert topic(comparable, "cumulative_vs_levels") == []


def test_a_total_of_a_percentage_indicator_is_not_checked():
    findings = checked(("good_air_days_share", "2021", "level", 80, "actual", "nominal", "official", "pct"),
                       ("good_air_days_share", "2021-2023", "cumulative", 300, "actual", "nominal", "official",
                          "pct"))
    assert topic(findings, "cumulative_vs_levels") == []


# --------------------------------------------------------------------------- average increases

def test_an_average_increase_that_the_endpoint_levels_contradict_is_a_conflict():
    # (150 − 100) / 5 = 10 a year, not 12
    [f] = topic(checked(("retail_sales", "2021-2025", "avg_increase", 12), ("retail_sales", "2020", "level", 100),
                        ("retail_sales", "2025", "level", 150)), "avg_increase_vs_levels")
    assert f.message == (f"{RETAIL}: an average increase of 12 亿元 a year over 2021-2025, read as (2025 level − "
                         "2020 level)/5, disagrees with the levels 100 (2020) and 150 (2025), which give 10 亿元 a year.")
    assert f.figures == {"avg_increase": 12, "level_2020": 100, "level_2025": 150, "implied_increase": 10}
    assert f.sources == sources(0, 1, 2)


@pytest.mark.parametrize("increase, found", [(10.1, False), (9.9, False), (10.2, True), (9.8, True),
                                             (10.06, False), (10.08, True)])
def test_an_average_increase_is_compared_within_its_rounding_and_a_thousandth_of_the_larger_level(increase, found):
    # the levels give 10; allowed: 0.05 (last digit of 10.1) + 2 × 150 × 0.001 / 5 = 0.06, so 0.11 in all
    # (for 10.06 or 10.08: 0.005 + 0.06 = 0.065)
    findings = checked(("retail_sales", "2021-2025", "avg_increase", increase),
                       ("retail_sales", "2020", "level", 100), ("retail_sales", "2025", "level", 150))
    assert len(topic(findings, "avg_increase_vs_levels")) == found


def test_an_average_increase_exactly_at_the_tolerance_is_accepted():
    # (2500 − 1992.5) / 5 = 101.5; allowed 0.5 + 2 × 2500 × 0.001 / 5 = 1.5, and 101.5 − 100 = 1.5
    findings = checked(("retail_sales", "2021-2025", "avg_increase", 100), ("retail_sales", "2020", "level", 1992.5),
                       ("retail_sales", "2025", "level", 2500))
    assert topic(findings, "avg_increase_vs_levels") == []


def test_an_average_increase_is_checked_after_another_indicator_s_conflicting_one():
    # exports: (150 − 100) / 5 = 10, not 12 (a conflict); retail sales: 100 + 5 × 10 = 150 (info)
    findings = checked(("exports", "2021-2025", "avg_increase", 12), ("exports", "2020", "level", 100),
                       ("exports", "2025", "level", 150), ("retail_sales", "2021-2025", "avg_increase", 10),
                       ("retail_sales", "2020", "level", 100))
    assert [(f.indicator, f.severity) for f in topic(findings, "avg_increase_vs_levels")] == [
        ("exports", "conflict"), ("retail_sales", "info")]


def test_an_average_increase_with_only_the_end_level_says_what_start_it_needs():
    # 150 − 5 × 10 = 100; read as the yearly amount above 2020 instead: 700 / 5 − 10 = 130
    [f] = topic(checked(("retail_sales", "2021-2025", "avg_increase", 10), ("retail_sales", "2025", "level", 150),
                        ("retail_sales", "2019", "level", 95), ("retail_sales", "2021-2025", "cumulative", 700)),
                "avg_increase_vs_levels")
    assert f.severity == "info"
    assert f.message == (f"{RETAIL}: an average increase of 10 亿元 a year over 2021-2025, read as (2025 level − "
                         "2020 level)/5, needs a 2020 level of 150 − 5×10 = 100 亿元 (the 2019 level was 95); read "
                         "instead as the average yearly amount above the 2020 level (700/5 − 2020 level), it implies "
                         "a 2020 level of 130 亿元.")
    assert f.figures == {"avg_increase": 10, "level_2025": 150, "implied_level_2020": 100, "level_2019": 95,
                         "alternative_level_2020": 130}
    assert f.sources == sources(0, 1, 2, 3)


def test_an_average_increase_that_needs_a_start_level_of_zero_is_impossible():
    # 150 − 5 × 30 = 0
    [f] = topic(checked(("retail_sales", "2021-2025", "avg_increase", 30), ("retail_sales", "2025", "level", 150)),
                "avg_increase_vs_levels")
    assert f.severity == "conflict"
    assert f.message.endswith("needs a 2020 level of 150 − 5×30 = 0 亿元; as stated it is impossible for a positive "
                              "level.")


@pytest.mark.parametrize("rows", [
    [("retail_sales", "2021-2025", "avg_increase", 29.9), ("retail_sales", "2025", "level", 150)],   # 150 − 149.5
    [("retail_sales", "2021-2025", "avg_increase", -19.9), ("retail_sales", "2020", "level", 100)],  # 100 − 99.5
])
def test_an_average_increase_that_needs_a_small_positive_level_is_possible(rows):
    [f] = topic(checked(*rows), "avg_increase_vs_levels")
    assert f.severity == "info" and "level of" in f.message and " 0.5 亿元" in f.message


def test_an_average_increase_with_only_the_start_level_says_what_end_it_needs():
    # 100 + 5 × 10 = 150; a total says nothing here (its reading needs the end level)
    [f] = topic(checked(("retail_sales", "2021-2025", "avg_increase", 10), ("retail_sales", "2020", "level", 100),
                        ("retail_sales", "2021-2025", "cumulative", 700)), "avg_increase_vs_levels")
    assert f.severity == "info"
    assert f.message == (f"{RETAIL}: an average increase of 10 亿元 a year over 2021-2025, read as (2025 level − "
                         "2020 level)/5, needs a 2025 level of 150 亿元.")
    assert f.figures == {"avg_increase": 10, "level_2020": 100, "implied_level_2025": 150}
    assert f.sources == sources(0, 1)


def test_an_average_fall_that_needs_an_end_level_of_zero_is_impossible():
    # 100 + 5 × (−20) = 0
    [f] = topic(checked(("retail_sales", "2021-2025", "avg_increase", -20), ("retail_sales", "2020", "level", 100)),
                "avg_increase_vs_levels")
    assert f.severity == "conflict" and f.message.endswith("; as stated it is impossible for a positive level.")


def test_an_average_increase_without_endpoint_levels_is_not_checked():
    findings = checked(("retail_sales", "2021-2025", "avg_increase", 10), ("retail_sales", "2022", "level", 100))
    assert topic(findings, "avg_increase_vs_levels") == []


def test_a_finding_lists_each_source_once_in_order():
    assert Finding("r", "t", "info", "m.", sources=["b", "a", "b"]).sources == ["b", "a"]


def test_findings_frame_writes_each_finding_as_one_row():
    f = Finding("testland", "implied_prices", "warning", "Prices fell.", {"b": 1.5, "a": "价"}, ["s1", "s2"], "gdp")
    g = Finding("testland", "reconstruction", "info", "Relaxed.", {}, ["s3"])
    frame = findings_frame([f, g])
    assert frame.to_dict("records") == [
        {"region": "testland", "severity": "warning", "topic": "implied_prices", "indicator": "gdp", "name": GDP,
         "message": "Prices fell.", "figures": '{"a": "价", "b": 1.5}', "sources": "s1; s2"},
        {"region": "testland", "severity": "info", "topic": "reconstruction", "indicator": "", "name": "",
         "message": "Relaxed.", "figures": "{}", "sources": "s3"}]


def test_no_findings_are_said_in_one_line():
    assert format_findings([]) == "econsim data --check: no findings.\n"
    assert list(findings_frame([]).columns) == ["region", "severity", "topic", "indicator", "name", "message",
                                                "figures", "sources"]


def test_terminal_text_counts_each_severity_and_groups_findings_by_region():
    findings = [Finding("a_town", "growth_vs_levels", "conflict", "Growth clashes.", {}, ["src 1", "src 2"], "gdp"),
                Finding("a_town", "reconstruction", "info", "Relaxed.", {}, ["src 3"]),
                Finding("b_town", "implied_growth", "info", "A rise.", {}, ["src 4"], "retail_sales")]
    assert format_findings(findings) == (
        "econsim data --check: 3 findings (1 conflict, 0 warning, 2 info)\n"
        "\n== a_town ==\n"
        f"[conflict] {GDP} · growth_vs_levels\n    Growth clashes.\n    source: src 1\n    source: src 2\n"
        "[info]  · reconstruction\n    Relaxed.\n    source: src 3\n"
        "\n== b_town ==\n"
        f"[info] {RETAIL} · implied_growth\n    A rise.\n    source: src 4\n")


def test_terminal_text_wraps_long_messages_and_sources_under_their_indent():
    f = Finding("a_town", "duplicates", "warning", "one two three four five", {}, ["alpha beta gamma"], "gdp")
    lines = format_findings([f], width=20).splitlines()
    assert lines[4:] == ["    one two three", "    four five", "    source: alpha", "            beta",
                         "            gamma"]


def test_terminal_text_wraps_at_100_characters_by_default():
    f = Finding("a_town", "duplicates", "warning", "x" * 50 + " " + "y" * 46, {}, ["s"], "gdp")
    assert format_findings([f]).splitlines()[4:6] == ["    " + "x" * 50, "    " + "y" * 46]
