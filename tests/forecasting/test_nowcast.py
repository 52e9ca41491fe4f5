"""Specification of econsim.nowcast: year-to-date (1–N月 累计) figures to full-year estimates."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from econsim.data.dataset import load_dataset
from econsim.errors import InputError
from econsim.forecasting.nowcast import NOWCAST_COLUMNS, nowcast
from econsim.forecasting.nowcast_backtest import backtest_nowcast
from econsim.forecasting.ytd import elapsed_weight, quarterly_levels, required_growth_text, required_rest_growth, single_periods, span_growth
from econsim.periods import parse_as_of

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "data"
MONTHLY = DATA / "ytd_monthly.csv"   # testcity retail sales 2024: 1–2, 1–3, 1–6, 1–9, 1–12月
HISTORY = DATA / "ytd_history.csv"   # histcity GDP: 1–9月 and full year 2021–2024, 1–9月 2025


@pytest.fixture(scope="module")
def bundled():
    return load_dataset()


@pytest.fixture(scope="module")
def monthly():
    return load_dataset(MONTHLY)


# --------------------------------------------------------------------------- parse_as_of

@pytest.mark.parametrize("text, expected", [("2025-09", "2025-09"), ("2025-9", "2025-09"),
                                            (" 2026-11 ", "2026-11"), ("1990-01", "1990-01"),
                                            ("2100-12", "2100-12")])
def test_parse_as_of_normalises_year_and_month(text, expected):
    assert parse_as_of(text) == expected


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "September", "2025-9-1", "1989-12", "2101-01", "",
                                  "2025/09", "25-09", "2025-09-30"])
def test_parse_as_of_rejects_malformed_or_impossible_dates_naming_the_option(text):
    with pytest.raises(InputError) as err:
        parse_as_of(text)
    assert err.value.key == "--as-of" and err.value.path == "command line"


# --------------------------------------------------------------------------- conversions

def test_single_periods_are_differences_of_cumulative_levels_with_combined_january_february():
    spans = single_periods({"2024-02": 200, "2024-03": 310, "2024-04": 420})
    assert [(s.first_month, s.last_month, s.value) for s in spans] == [(1, 2, 200), (3, 3, 110), (4, 4, 110)]
    assert "1–2月 combined" in spans[0].reason
    assert all(s.status == "derived" for s in spans)


def test_single_periods_span_several_months_across_a_missing_release():
    spans = single_periods({"2024-03": 300, "2024-06": 650})
    assert (spans[1].first_month, spans[1].last_month, spans[1].value) == (4, 6, 350)
    assert spans[1].months == 3


def test_quarterly_levels_from_quarter_end_releases():
    q = quarterly_levels({"2024-03": 300, "2024-06": 650, "2024-09": 1000, "2024-12": 1400})
    assert [x.value for x in q] == [300, 350, 350, 400]


def test_quarter_without_both_end_releases_is_not_derived_and_says_which_is_missing():
    q = quarterly_levels({"2024-03": 300, "2024-09": 1000})
    assert q[0].value == 300
    assert q[1].value is None and "1–6月" in q[1].reason
    assert q[2].value is None and "1–6月" in q[2].reason
    assert q[3].value is None and "1–12月" in q[3].reason


def test_span_growth_from_levels_and_growth_at_two_releases():
    # last year: 1–3月 100/1.00 = 100, 1–6月 230/1.15 = 200, so 4–6月 was 100 and is now 130
    g = span_growth(year=2024, month_s=3, level_s=100, growth_s=0.0, month_t=6, level_t=230, growth_t=15.0)
    assert g.value == pytest.approx(30.0)
    assert (g.first_month, g.last_month, g.measure) == (4, 6, "growth")
    assert not g.approximate


def test_span_growth_mixing_current_price_levels_with_comparable_growth_is_flagged_approximate():
    g = span_growth(year=2024, month_s=3, level_s=100, growth_s=0.0, month_t=6, level_t=230, growth_t=15.0,
                    growth_basis="comparable")
    assert g.approximate and "approximate" in g.reason
    assert g.value == pytest.approx(30.0)


def test_span_growth_from_growth_rates_alone_cannot_be_derived_and_says_why():
    g = span_growth(year=2024, month_s=6, growth_s=6.0, level_s=None, month_t=9, growth_t=5.2, level_t=None)
    assert g.value is None and not g.derived
    assert "growth rates alone" in g.reason and "7–9月" in g.reason


def test_span_from_start_of_year_is_the_released_year_to_date_growth():
    g = span_growth(year=2024, month_t=2, level_t=None, growth_t=5.0)
    assert (g.first_month, g.last_month, g.value) == (1, 2, 5.0)


def test_elapsed_weight_from_last_years_levels():
    w = elapsed_weight(9, ytd_level=945, ytd_growth=5.0, prior_annual_level=1200)
    assert w.value == pytest.approx(0.75) and w.basis == "levels"


def test_elapsed_weight_falls_back_to_months_without_levels():
    w = elapsed_weight(9)
    assert w.value == pytest.approx(0.75) and w.basis == "months"


def test_elapsed_weight_from_inconsistent_levels_falls_back_to_months_and_says_so():
    w = elapsed_weight(6, ytd_level=2000, ytd_growth=0.0, prior_annual_level=1200)
    assert w.basis == "months" and w.value == 0.5 and "outside" in w.note


# --------------------------------------------------------------------------- required growth

def test_required_growth_of_the_rest_of_the_year():
    assert required_rest_growth(6.0, 5.2, 0.75) == pytest.approx(8.4)


def test_required_growth_text_states_months_weight_and_need():
    assert required_growth_text(5.2, 6, 9) == (
        "1–9月 +5.2%: the remaining 3 months (weight 25%) need +8.4% for the year to reach 6%")


def test_required_growth_is_undefined_when_the_year_is_complete():
    with pytest.raises(ValueError):
        required_rest_growth(6.0, 5.2, 1.0)


# --------------------------------------------------------------------------- nowcast

def test_nowcast_frame_has_the_contract_columns_and_status_derived(bundled):
    frame = nowcast(bundled, "2025-09", region="dalian").to_frame()
    assert list(frame.columns) == list(NOWCAST_COLUMNS)
    assert set(frame["status"]) == {"derived"}
    assert set(frame["measure"]) == {"growth"}


def test_nowcast_uses_no_release_after_as_of(monthly):
    row = nowcast(monthly, "2024-06").for_indicator("retail_sales")
    assert row.latest_period == "2024-06" and row.ytd_growth == 4.5 and row.estimate == 4.5


def test_nowcast_never_sees_the_full_year_outcome_of_its_year(monthly):
    # the file holds 2024 growth 6.0 (actual); as of 1–9月 the estimate is the 1–9月 figure
    assert nowcast(monthly, "2024-09").for_indicator("retail_sales").estimate == pytest.approx(5.2)


def test_known_at_keeps_earlier_years_and_the_years_target_but_not_its_outcome(monthly):
    from econsim.forecasting.nowcast import known_at

    known = known_at(monthly.observations, "2024-09")
    annual = known[known["period"] == "2024"]
    assert list(annual["status"]) == ["target"]
    assert "2023" in set(known["period"]) and "2024-12" not in set(known["period"])


def test_nowcast_before_the_first_release_of_the_year_is_empty(monthly):
    nc = nowcast(monthly, "2024-01")
    assert nc.empty and list(nc.to_frame().columns) == list(NOWCAST_COLUMNS)
    assert "nothing to nowcast" in nc.notes[-1]


def test_intervals_shrink_as_months_elapse_and_close_at_december(monthly):
    widths = []
    for as_of in ("2024-02", "2024-03", "2024-06", "2024-09", "2024-12"):
        r = nowcast(monthly, as_of).for_indicator("retail_sales")
        widths.append((r.hi_95 - r.lo_95, r.hi_80 - r.lo_80))
    assert all(a[0] > b[0] and a[1] > b[1] for a, b in zip(widths, widths[1:-1]))
    assert widths[-1] == (0.0, 0.0)


def test_default_interval_is_remaining_weight_times_indicator_sd(monthly):
    r = nowcast(monthly, "2024-09").for_indicator("retail_sales")
    w = 950 / 1.052 / 1200                        # last year's 1–9月 level over last year's total
    assert r.remaining_weight == pytest.approx(1 - w)
    assert r.sd == pytest.approx(5.0 * (1 - w))   # retail sales: 5 pp for the rest of the year
    assert r.hi_95 - r.estimate == pytest.approx(1.959964 * 5.0 * (1 - w), rel=1e-6)


def test_nowcast_attaches_target_and_required_growth(monthly):
    r = nowcast(monthly, "2024-09").for_indicator("retail_sales")
    w = 950 / 1.052 / 1200
    assert r.target == 7.0
    assert r.required_growth == pytest.approx((7.0 - w * 5.2) / (1 - w))


def _normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _gdp_with_target(tmp_path, target):
    path = tmp_path / "target.csv"
    path.write_text("region,indicator,period,measure,value,unit,status,basis,source,locator\n"
                    "x,gdp,2024-09,ytd_growth,5.0,pct,actual,comparable,test,t\n"
                    f"x,gdp,2024,growth,{target},pct,target,comparable,test,t\n", encoding="utf-8")
    [row] = nowcast(load_dataset(path), "2024-09").to_frame().itertuples()
    return row


def test_chance_of_reaching_a_target_below_the_estimate_is_above_one_half(tmp_path):
    # estimate 5.0, sd 0.25 × 3 pp = 0.75: P(growth ≥ 4) = Φ((5 − 4)/0.75) = Φ(1.333) = 0.909
    r = _gdp_with_target(tmp_path, 4.0)
    assert (r.estimate, r.sd) == pytest.approx((5.0, 0.75))
    assert r.prob_target == pytest.approx(_normal_cdf(1 / 0.75), abs=1e-9)
    assert r.prob_target == pytest.approx(0.9088, abs=1e-4)


def test_chance_of_reaching_a_target_above_the_estimate_is_below_one_half(tmp_path):
    # P(growth ≥ 6) = 1 − Φ((6 − 5)/0.75) = 0.091
    r = _gdp_with_target(tmp_path, 6.0)
    assert r.prob_target == pytest.approx(1 - _normal_cdf(1 / 0.75), abs=1e-9)
    assert r.prob_target == pytest.approx(0.0912, abs=1e-4)


def test_chance_of_reaching_the_fixture_target_of_7_from_5_2_so_far(monthly):
    [r] = nowcast(monthly, "2024-09").to_frame().itertuples()
    w = 950 / 1.052 / 1200
    sd = 5.0 * (1 - w)
    assert r.prob_target == pytest.approx(1 - _normal_cdf((7.0 - r.estimate) / sd), abs=1e-9)
    assert r.prob_target < 0.5


def test_nowcast_without_targets_leaves_target_columns_empty(monthly):
    frame = nowcast(monthly, "2024-09", targets=False).to_frame()
    assert frame["target"].isna().all() and frame["required_growth"].isna().all()


def test_past_years_deviations_shift_and_size_the_interval():
    ds = load_dataset(HISTORY)
    r = nowcast(ds, "2025-09").for_indicator("gdp", "histcity")
    devs = [0.5, -0.3, 0.4, 0.2]                  # full year minus 1–9月, 2021–2024
    s0 = 0.25 * 3.0                               # default: GDP 3 pp over the last quarter
    assert r.estimate == pytest.approx(5.0 + sum(devs) / (len(devs) + 2))
    assert r.sd == pytest.approx(math.sqrt((2 * s0 ** 2 + sum(d * d for d in devs)) / (2 + len(devs))))
    assert r.method.startswith("history: 4 earlier years")


def test_bundled_dalian_nowcast_as_of_september_contains_the_2025_outcomes(bundled):
    nc = nowcast(bundled, "2025-09", region="dalian")
    z80 = 1.2815516                                   # the normal 90% quantile
    for key, outcome, sd_rest in (("gdp", 5.7, 3.0), ("industrial_va", 11.7, 6.0)):
        r = nc.for_indicator(key, "dalian")
        assert r.lo_80 <= outcome <= r.hi_80
        # and not by being wide: ± z80 × (share of the year still to come) × the indicator's default sd
        assert r.hi_80 - r.lo_80 == pytest.approx(2 * z80 * r.remaining_weight * sd_rest, rel=1e-6)
    assert nc.for_indicator("industrial_va", "dalian").remaining_weight == 0.25   # 3 months of 12, no levels


def test_for_indicator_without_year_to_date_data_raises_key_error(bundled):
    with pytest.raises(KeyError, match="no nowcast of 'software_revenue'"):
        nowcast(bundled, "2025-09").for_indicator("software_revenue")


def test_empty_year_lists_targets_still_waiting_for_data(bundled):
    nc = nowcast(bundled, "2026-11")
    assert nc.empty
    assert any("dlhitech/gdp 6%" in n for n in nc.notes)


def test_nowcast_renders_in_jupyter_with_chinese_names(bundled):
    html = nowcast(bundled, "2025-09", region="dalian")._repr_html_()
    assert "地区生产总值" in html and "95% interval" in html


def test_nowcast_rejects_a_malformed_as_of_naming_it(bundled):
    with pytest.raises(InputError) as err:
        nowcast(bundled, "2025-13")
    assert err.value.key == "as_of"


# --------------------------------------------------------------------------- backtest

def test_backtest_nowcasts_each_release_and_scores_it_against_the_outcome(bundled):
    bt = backtest_nowcast(bundled, region="dalian", year=2025)
    frame = bt.to_frame()
    assert sorted(set(frame["indicator"])) == ["gdp", "industrial_va"]
    assert list(frame[frame["indicator"] == "gdp"]["as_of"]) == ["2025-03", "2025-06", "2025-09"]
    assert (frame["error"] == frame["estimate"] - frame["actual"]).all()
    assert bt.summary()["nowcasts"] == len(frame)


def test_backtest_marks_intervals_that_miss_the_outcome(tmp_path):
    path = tmp_path / "far.csv"
    path.write_text("region,indicator,period,measure,value,unit,status,basis,source,locator\n"
                    "x,gdp,2024-09,ytd_growth,5.0,pct,actual,comparable,test,t\n"
                    "x,gdp,2024,growth,9.0,pct,actual,comparable,test,t\n", encoding="utf-8")
    row = backtest_nowcast(load_dataset(path)).to_frame().iloc[0]
    # 95% interval 5.0 ± 1.96 × 0.25 × 3 pp = [3.5, 6.5]: a 9.0 outcome lies outside both
    assert row["error"] == pytest.approx(-4.0)
    assert not row["in_80"] and not row["in_95"]


def test_backtest_at_december_has_a_zero_width_interval_containing_the_outcome():
    frame = backtest_nowcast(load_dataset(MONTHLY), region="testcity").to_frame().set_index("as_of")
    assert frame.loc["2024-12", "lo_95"] == frame.loc["2024-12", "hi_95"] == 6.0
    assert bool(frame.loc["2024-12", "in_80"])


def test_nowcast_without_any_target_has_float_target_columns(obs_file):
    path = obs_file("zz,gdp,2025-06,ytd_growth,6,pct,actual,comparable,s,l",
                    "zz,gdp,2025-09,ytd_growth,5.8,pct,actual,comparable,s,l")
    frame = nowcast(load_dataset(path), "2025-09").to_frame()
    for col in ("target", "required_growth", "prob_target"):
        assert frame[col].dtype == "float64" and frame[col].isna().all()


def test_span_note_gives_the_spans_own_reason_when_levels_are_inconsistent(tmp_path):
    path = tmp_path / "fell.csv"
    # the 1–9月 level implies a smaller last-year 1–9月 total than 1–6月: the span is undefined
    path.write_text("region,indicator,period,measure,value,unit,status,basis,source,locator\n"
                    "zz,retail_sales,2025-06,ytd_level,600,CNY_100m,actual,nominal,s,l\n"
                    "zz,retail_sales,2025-06,ytd_growth,0,pct,actual,nominal,s,l\n"
                    "zz,retail_sales,2025-09,ytd_level,550,CNY_100m,actual,nominal,s,l\n"
                    "zz,retail_sales,2025-09,ytd_growth,0,pct,actual,nominal,s,l\n", encoding="utf-8")
    note = nowcast(load_dataset(path), "2025-09").to_frame().loc[0, "note"]
    assert "7–9月 growth not derivable" in note and "inconsistent" in note and "no levels" not in note
