"""Specification of the consistency checks (econsim.checks)."""
import json

import pandas as pd
import pytest

from econsim.data.checks import SEVERITIES, check, findings_frame, format_findings
from econsim.data.schema import COLUMNS
from econsim.data.dataset import Dataset, load_dataset


def obs(*rows, region="testland"):
    """An observations frame from (indicator, period, measure, value[, status[, basis[, quality]]]) tuples."""
    out = []
    for r in rows:
        indicator, period, measure, value = r[:4]
        status = r[4] if len(r) > 4 else "actual"
        pct = measure in ("growth", "avg_growth")
        basis = r[5] if len(r) > 5 else "nominal"
        quality = r[6] if len(r) > 6 else "official"
        out.append({"region": region, "indicator": indicator, "period": period, "measure": measure,
                    "value": float(value), "unit": "pct" if pct else "CNY_100m", "status": status, "basis": basis,
                    "source": f"test source {len(out)}", "locator": f"table {len(out)}", "source_quality": quality,
                    "note": ""})
    return pd.DataFrame(out, columns=list(COLUMNS))


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
    [f] = topic(check(obs(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110),
                          ("retail_sales", "2025", "growth", 12))), "growth_vs_levels")
    assert f.severity == "conflict" and f.figures["implied_growth"] == pytest.approx(10)
    assert f.sources == ["test source 0 (table 0)", "test source 1 (table 1)", "test source 2 (table 2)"]


def test_yearly_implied_price_change_is_the_ratio_of_nominal_to_real_growth():
    # nominal 100 → 130 is +30%, real +20%: prices 1.30 / 1.20 − 1 = +8.33% (not 30 − 20 = 10)
    [f] = topic(check(obs(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 130),
                          ("retail_sales", "2025", "growth", 20, "actual", "comparable"))), "implied_prices")
    assert f.figures["implied_growth"] == pytest.approx(30)
    assert f.figures["implied_price_change"] == pytest.approx(100 * (1.30 / 1.20 - 1), abs=0.01)
    assert f.severity == "warning" and "8.33" in f.message


def test_yearly_implied_price_fall_is_a_warning_computed_as_a_ratio():
    # nominal +2%, real +5%: prices 1.02 / 1.05 − 1 = −2.857% (a fall, flagged for a look)
    [f] = topic(check(obs(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 102),
                          ("retail_sales", "2025", "growth", 5, "actual", "comparable"))), "implied_prices")
    assert f.figures["implied_price_change"] == pytest.approx(100 * (1.02 / 1.05 - 1), abs=0.01)
    assert f.severity == "warning" and "fall" in f.message


def test_growth_within_rounding_of_the_levels_is_not_flagged():
    findings = check(obs(("retail_sales", "2024", "level", 100), ("retail_sales", "2025", "level", 110.4),
                         ("retail_sales", "2025", "growth", 10)))
    assert topic(findings, "growth_vs_levels") == []


def test_average_growth_inconsistent_with_endpoint_levels_of_the_same_basis_is_a_conflict():
    [f] = topic(check(obs(("retail_sales", "2020", "level", 100), ("retail_sales", "2025", "level", 150),
                          ("retail_sales", "2021-2025", "avg_growth", 12))), "avg_growth_vs_levels")
    assert f.severity == "conflict" and f.figures["nominal_cagr"] == pytest.approx(8.4472, abs=1e-3)


def test_cumulative_sum_inconsistent_with_the_annual_levels_is_a_conflict():
    rows = [("retail_sales", str(y), "level", 100) for y in range(2021, 2024)]
    [f] = topic(check(obs(*rows, ("retail_sales", "2021-2023", "cumulative", 320))), "cumulative_vs_levels")
    assert f.severity == "conflict" and "300" in f.message


def test_conflicting_duplicates_with_the_same_status_are_a_conflict():
    [f] = topic(check(obs(("retail_sales", "2025", "level", 100), ("retail_sales", "2025", "level", 104))),
                "duplicates")
    assert f.severity == "conflict" and f.figures["difference"] == pytest.approx(-4)


def test_of_two_clashing_figures_one_without_a_stated_source_quality_is_used_before_a_derived_one():
    # Source preference (data.schema.QUALITY_RANK): official, state media, unstated, unverified copy, derived.
    [f] = topic(check(obs(("retail_sales", "2025", "level", 104, "actual", "nominal", "derived"),
                          ("retail_sales", "2025", "level", 100, "actual", "nominal", ""))), "duplicates")
    assert f.figures["used"] == 100 and f.figures["other"] == 104


def test_a_target_that_differs_from_the_outcome_is_not_a_duplicate():
    findings = check(obs(("retail_sales", "2025", "growth", 3), ("retail_sales", "2025", "growth", 5, "target")))
    assert topic(findings, "duplicates") == []


def test_average_growth_with_some_annual_rates_says_what_remains_for_the_others():
    [f] = topic(check(obs(("gdp", "2021-2025", "avg_growth", 5, "actual", "comparable"),
                          ("gdp", "2025", "growth", 1, "actual", "comparable"))), "avg_growth_vs_growth")
    assert f.severity == "info"
    assert f.figures["implied_avg_growth_other_years"] == pytest.approx(100 * ((1.05 ** 5 / 1.01) ** 0.25 - 1), abs=1e-3)


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
