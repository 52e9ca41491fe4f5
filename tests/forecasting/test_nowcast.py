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


# --------------------------------------------------------------------------- nowcast: hand-computed cases

def _one(obs_file, *rows, as_of="2024-09", **kw):
    """The single nowcast row of a small observations file."""
    frame = nowcast(load_dataset(obs_file(*rows)), as_of, **kw).to_frame()
    assert len(frame) == 1
    return frame.iloc[0]


GDP_Q3 = "x,gdp,2024-09,ytd_growth,5.0,pct,actual,comparable,s,l"   # 1–9月 +5.0%, no levels: w = 9/12


def test_interval_at_any_level_is_the_estimate_plus_minus_the_normal_quantile_times_sd(obs_file):
    r = nowcast(load_dataset(obs_file(GDP_Q3)), "2024-09").for_indicator("gdp")
    # estimate 5.0, sd (1 − 9/12) × 3 pp = 0.75; z(50%) = Φ⁻¹(0.75) = 0.674490, z(95%) = Φ⁻¹(0.975) = 1.959964
    assert (r.estimate, r.sd) == pytest.approx((5.0, 0.75))
    assert r.interval(50) == pytest.approx((5 - 0.674490 * 0.75, 5 + 0.674490 * 0.75), abs=1e-5)
    assert r.interval(95) == pytest.approx((5 - 1.959964 * 0.75, 5 + 1.959964 * 0.75), abs=1e-5)
    assert r.interval(80) == pytest.approx((r.lo_80, r.hi_80))


def test_year_to_date_growth_becomes_the_full_year_estimate_with_the_remaining_weight(monthly):
    # the fixture's levels: last year's 1–N月 level = L / (1 + g); w = that over last year's total 1200
    for as_of, level, g in (("2024-02", 200, 5.0), ("2024-03", 310, 4.0), ("2024-06", 620, 4.5),
                            ("2024-09", 950, 5.2)):
        r = nowcast(monthly, as_of).for_indicator("retail_sales")
        w = level / (1 + g / 100) / 1200
        assert (r.estimate, r.ytd_growth) == (g, g)
        assert r.remaining_weight == pytest.approx(1 - w, abs=1e-12)
        assert r.sd == pytest.approx(5.0 * (1 - w), abs=1e-12)
        assert (r.lo_80, r.hi_80) == pytest.approx((g - 1.281552 * r.sd, g + 1.281552 * r.sd), abs=1e-5)
        assert (r.lo_95, r.hi_95) == pytest.approx((g - 1.959964 * r.sd, g + 1.959964 * r.sd), abs=1e-5)
        assert r.months_elapsed == int(as_of[5:]) and r.latest_period == as_of
        assert (r.region, r.indicator, r.year) == ("testcity", "retail_sales", 2024)


def test_december_release_is_the_outcome_with_no_remaining_uncertainty(monthly):
    r = nowcast(monthly, "2024-12").for_indicator("retail_sales")
    assert (r.estimate, r.sd, r.remaining_weight, r.months_elapsed) == (6.0, 0.0, 0.0, 12)
    assert (r.lo_80, r.hi_80, r.lo_95, r.hi_95) == (6.0, 6.0, 6.0, 6.0)
    assert r.method == "1–12月 released"
    assert r.required_growth is None            # nothing remains to grow
    assert r.target == 7.0


def _december_gdp(obs_file, target):
    return _one(obs_file, "x,gdp,2024-12,ytd_growth,6.0,pct,actual,comparable,s,l",
                f"x,gdp,2024,growth,{target},pct,target,comparable,s,l", as_of="2024-12")


@pytest.mark.parametrize("target, reached", [(5.0, 1.0), (6.0, 1.0), (6.5, 0.0)])
def test_at_december_a_target_is_reached_with_certainty_or_missed(obs_file, target, reached):
    # 1–12月 +6.0% is the year: a target of 5 or 6 is met (P = 1), one of 6.5 missed (P = 0)
    r = _december_gdp(obs_file, target)
    assert r.prob_target == reached and r.sd == 0.0
    assert math.isnan(r.required_growth)


def test_chance_of_a_target_uses_the_history_shifted_estimate_and_required_growth_the_released_one(tmp_path):
    path = tmp_path / "hist_target.csv"
    path.write_text(HISTORY.read_text(encoding="utf-8")
                    + "histcity,gdp,2025,growth,5.5,pct,target,comparable,fixture,plan,,\n", encoding="utf-8")
    r = nowcast(load_dataset(path), "2025-09").for_indicator("gdp")
    # deviations 0.5, −0.3, 0.4, 0.2: estimate 5.0 + 0.8/6 = 5.1333; sd² = (2 × 0.75² + 0.54)/6 = 0.2775
    estimate, sd = 5.0 + 0.8 / 6, math.sqrt(0.2775)
    assert (r.estimate, r.sd) == pytest.approx((estimate, sd))
    row = nowcast(load_dataset(path), "2025-09").to_frame().iloc[0]
    assert row["prob_target"] == pytest.approx(1 - _normal_cdf((5.5 - estimate) / sd), abs=1e-9)   # 0.243
    assert row["prob_target"] == pytest.approx(0.2432, abs=1e-4)
    # the rest of the year must make up for 1–9月 as released: (5.5 − 0.75 × 5.0) / 0.25 = 7.0
    assert r.required_growth == pytest.approx(7.0)


def test_one_earlier_year_at_the_same_month_shifts_the_estimate_by_a_third_of_its_deviation(obs_file):
    r = _one(obs_file,
             "x,gdp,2023-09,ytd_growth,7.0,pct,actual,comparable,s,l",       # no 2023 outcome: unused
             "x,gdp,2024-09,ytd_growth,5.0,pct,actual,comparable,s,l",
             "x,gdp,2024,growth,6.0,pct,actual,comparable,s,l",              # 2024: full year − 1–9月 = +1.0
             "x,gdp,2024-06,ytd_growth,3.0,pct,actual,comparable,s,l",       # another month: unused
             "x,gdp,2024,growth,9.0,pct,target,comparable,s,l",              # a target is not an outcome
             "x,gdp,2024-09,ytd_level,500,CNY_100m,actual,comparable,s,l",   # levels are not growth
             "x,gdp,2024,level,700,CNY_100m,actual,comparable,s,l",
             "x,retail_sales,2023-09,ytd_growth,2.0,pct,actual,nominal,s,l",  # another indicator
             "x,retail_sales,2023,growth,8.0,pct,actual,nominal,s,l",
             "x,gdp,2025-09,ytd_growth,4.0,pct,actual,comparable,s,l", as_of="2025-09")
    # shift 1.0 / (1 + 2) = 0.3333; sd² = (2 × (0.25 × 3)² + 1.0²) / 3 = 2.125 / 3
    assert r["estimate"] == pytest.approx(4.0 + 1 / 3)
    assert r["sd"] == pytest.approx(math.sqrt(2.125 / 3))
    assert r["method"] == "history: 1 earlier year at 1–9月 (2024–2024), shrunk to default"


def test_method_names_the_default_spread_of_the_indicator_or_the_fallback(obs_file):
    retail = _one(obs_file, "x,retail_sales,2024-06,ytd_growth,4.0,pct,actual,nominal,s,l")
    assert retail["method"] == "default: rest of year ±5 pp (1 sd)" and retail["sd"] == pytest.approx(2.5)
    # housing sales area has no spread of its own: the default 10 pp, × (1 − 6/12)
    housing = _one(obs_file, "x,housing_sales_area,2024-06,ytd_growth,-3.0,pct,actual,nominal,s,l")
    assert housing["method"] == "default: rest of year ±10 pp (1 sd)" and housing["sd"] == pytest.approx(5.0)


def test_actual_release_wins_over_preliminary_and_forecasts_are_not_releases(obs_file):
    r = _one(obs_file, "x,gdp,2024-09,ytd_growth,9.0,pct,forecast,comparable,s,l",
             "x,gdp,2024-06,ytd_growth,4.0,pct,preliminary,comparable,a,l",
             "x,gdp,2024-06,ytd_growth,4.4,pct,actual,comparable,b,l")
    assert (r["latest_period"], r["ytd_growth"], r["estimate"]) == ("2024-06", 4.4, 4.4)


def test_latest_release_is_the_latest_month_whatever_the_row_order(obs_file):
    r = _one(obs_file, "x,gdp,2024-09,ytd_growth,5.0,pct,actual,comparable,s,l",
             "x,gdp,2024-03,ytd_growth,7.0,pct,actual,comparable,s,l",
             "x,gdp,2024-06,ytd_growth,6.0,pct,actual,comparable,s,l")
    assert (r["latest_period"], r["months_elapsed"], r["estimate"]) == ("2024-09", 9, 5.0)


def test_earlier_years_year_to_date_figures_do_not_make_a_nowcast():
    nc = nowcast(load_dataset(HISTORY), "2025-03", region="histcity")   # 2024 1–9月 is known, 2025 not yet
    assert nc.empty
    assert nc.notes == ["no year-to-date (1–N月 累计) growth figures for 2025 up to 2025-03 in histcity; "
                        "nothing to nowcast"]


def test_weight_uses_last_years_level_converted_to_the_registry_unit(obs_file):
    r = _one(obs_file, "x,fdi_used,2022,level,100000,USD_10k,actual,nominal,s,l",   # two years back: unused
             "x,fdi_used,2023,level,20000,USD_10k,actual,nominal,s,l",
             "x,fdi_used,2024-06,ytd_level,1.5,USD_100m,actual,nominal,s,l",
             "x,fdi_used,2024-06,ytd_growth,0.0,pct,actual,nominal,s,l")
    # 1.5 亿美元 = 15,000 万美元 at +0%: last year's 1–6月 = 15,000 of 20,000, w = 0.75 (not 6/12)
    assert r["weight_basis"] == "levels" and r["basis"] == "nominal"
    assert r["remaining_weight"] == pytest.approx(0.25)
    assert r["sd"] == pytest.approx(0.25 * 30.0)                    # FDI: 30 pp for the rest of the year
    assert r["note"] == ""


def test_weight_from_current_price_levels_and_comparable_growth_is_noted_approximate(obs_file):
    r = _one(obs_file, "x,gdp,2023,level,1000,CNY_100m,actual,comparable,s,l",
             "x,gdp,2024-06,ytd_level,420,CNY_100m,actual,comparable,s,l",
             "x,gdp,2024-06,ytd_growth,5.0,pct,actual,comparable,s,l")
    # last year's 1–6月 = 420 / 1.05 = 400 of 1000: w = 0.4, sd = 0.6 × 3 pp
    assert r["remaining_weight"] == pytest.approx(0.6) and r["sd"] == pytest.approx(1.8)
    assert (r["basis"], r["as_of"], r["latest_period"]) == ("comparable", "2024-09", "2024-06")
    assert r["note"] == "w approximate (现价 levels with 可比价 growth)"


def test_levels_that_cannot_be_last_years_share_fall_back_to_months_with_the_reason(obs_file):
    r = _one(obs_file, "x,retail_sales,2023,level,1000,CNY_100m,actual,nominal,s,l",
             "x,retail_sales,2024-06,ytd_level,2000,CNY_100m,actual,nominal,s,l",
             "x,retail_sales,2024-06,ytd_growth,0.0,pct,actual,nominal,s,l")
    assert (r["weight_basis"], r["remaining_weight"]) == ("months", 0.5)
    assert "weight from levels (2.000) is outside 0–1" in r["note"]


def test_latest_span_growth_from_two_releases_levels(monthly):
    # 1–6月 620 at +4.5%, 1–9月 950 at +5.2%: last year's 7–9月 = 950/1.052 − 620/1.045 = 309.740,
    # this year's 330, so 7–9月 grew 330 / 309.740 − 1 = +6.541%
    r = nowcast(monthly, "2024-09").to_frame().iloc[0]
    assert r["latest_span"] == "7–9月"
    assert r["latest_span_growth"] == pytest.approx(100 * (330 / (950 / 1.052 - 620 / 1.045) - 1))
    assert r["latest_span_growth"] == pytest.approx(6.5408, abs=1e-4)
    # 1–2月 200 at +5%, 1–3月 310 at +4%: March alone 110 / (310/1.04 − 200/1.05) − 1 = +2.230%
    march = nowcast(monthly, "2024-03").to_frame().iloc[0]
    assert march["latest_span"] == "3月" and march["latest_span_growth"] == pytest.approx(2.2298, abs=1e-4)
    first = nowcast(monthly, "2024-02").to_frame().iloc[0]
    assert (first["latest_span"], first["latest_span_growth"]) == ("1–2月", 5.0)
    assert first["note"] == "" and r["note"] == "" and march["note"] == ""


def test_latest_span_of_late_months_reads_two_digit_months(obs_file):
    # 1–10月 1000 at +0% and 1–11月 1155 at +5%: last year's 11月 = 1100 − 1000 = 100, this year's 155
    r = _one(obs_file, "x,retail_sales,2024-10,ytd_level,1000,CNY_100m,actual,nominal,s,l",
             "x,retail_sales,2024-10,ytd_growth,0.0,pct,actual,nominal,s,l",
             "x,retail_sales,2024-11,ytd_level,1155,CNY_100m,actual,nominal,s,l",
             "x,retail_sales,2024-11,ytd_growth,5.0,pct,actual,nominal,s,l", as_of="2024-11")
    assert (r["latest_span"], r["latest_span_growth"]) == ("11月", pytest.approx(55.0))


def test_latest_span_without_levels_is_not_derived_and_says_so(obs_file):
    r = _one(obs_file, "x,gdp,2024-06,ytd_growth,6.0,pct,actual,comparable,s,l", GDP_Q3,
             "x,gdp,2024-09,ytd_level,735,CNY_100m,actual,comparable,s,l")   # 1–6月 has no level
    assert r["latest_span"] == "7–9月" and math.isnan(r["latest_span_growth"])
    assert r["note"] == "7–9月 growth not derivable (no levels)"


def test_latest_span_of_comparable_growth_from_current_price_levels_is_noted_approximate(obs_file):
    r = _one(obs_file, "x,gdp,2024-06,ytd_level,420,CNY_100m,actual,comparable,s,l",
             "x,gdp,2024-06,ytd_growth,5.0,pct,actual,comparable,s,l",
             "x,gdp,2024-09,ytd_level,735,CNY_100m,actual,comparable,s,l",
             "x,gdp,2024-09,ytd_growth,5.0,pct,actual,comparable,s,l")
    # 7–9月: 315 against 735/1.05 − 420/1.05 = 300, +5.0%
    assert r["latest_span_growth"] == pytest.approx(5.0)
    assert r["note"] == "7–9月 growth approximate (现价/可比价)"


def test_target_of_the_year_is_taken_not_earlier_years_or_other_measures(obs_file):
    r = _one(obs_file, GDP_Q3, "x,gdp,2023,growth,9.0,pct,target,comparable,s,l",
             "x,gdp,2024,level,1300,CNY_100m,target,comparable,a,l",
             "x,gdp,2024,growth,6.0,pct,target,comparable,s,l")
    assert r["target"] == 6.0 and r["note"] == ""
    assert r["required_growth"] == pytest.approx((6.0 - 0.75 * 5.0) / 0.25)     # 9.0


def test_several_different_targets_use_the_first_source_and_say_so(obs_file):
    r = _one(obs_file, GDP_Q3, "x,gdp,2024,growth,6.5,pct,target,comparable,b_report,l",
             "x,gdp,2024,growth,6.0,pct,target,comparable,a_plan,l")
    assert r["target"] == 6.0
    assert "several targets given (6.0, 6.5), using 6" in r["note"]
    same = _one(obs_file, GDP_Q3, "x,gdp,2024,growth,6.0,pct,target,comparable,b,l",
                "x,gdp,2024,growth,6.0,pct,target,comparable,a,l")
    assert same["target"] == 6.0 and same["note"] == ""


def test_target_from_an_unverified_copy_is_noted(obs_file):
    header = "region,indicator,period,measure,value,unit,status,basis,source,locator,source_quality"
    path = obs_file(GDP_Q3 + ",", "x,gdp,2024,growth,6.0,pct,target,comparable,a,l,unverified_copy",
                    "x,gdp,2024,growth,7.0,pct,target,comparable,b,l,", header=header)
    [r] = [row for _, row in nowcast(load_dataset(path), "2024-09").to_frame().iterrows()]
    assert r["target"] == 6.0
    assert r["note"] == "target from an unverified copy; several targets given (6.0, 7.0), using 6"


def _two_regions(obs_file):
    return load_dataset(obs_file("y,gdp,2024-06,ytd_growth,6.0,pct,actual,comparable,s,l",
                                 "x,retail_sales,2024-06,ytd_growth,4.0,pct,actual,nominal,s,l",
                                 GDP_Q3, "y,gdp,2024,growth,7.0,pct,target,comparable,s,l"))


def test_indicators_lists_each_key_once_in_any_or_one_region(obs_file):
    nc = nowcast(_two_regions(obs_file), "2024-09")
    assert len(nc) == 3 and not nc.empty
    assert nc.indicators() == ["gdp", "retail_sales"]
    assert nc.indicators("y") == ["gdp"] and nc.indicators("x") == ["gdp", "retail_sales"]
    assert list(zip(nc.to_frame()["region"], nc.to_frame()["indicator"])) == [
        ("x", "gdp"), ("x", "retail_sales"), ("y", "gdp")]


def test_each_region_is_nowcast_from_its_own_latest_release_and_target(obs_file):
    nc = nowcast(_two_regions(obs_file), "2024-09")
    y = nc.for_indicator("gdp", "y")
    # y's latest is 1–6月: sd (1 − 6/12) × 3 = 1.5; target 7 needs (7 − 0.5 × 6) / 0.5 = 8 in 7–12月
    assert (y.region, y.months_elapsed, y.estimate, y.sd) == ("y", 6, 6.0, pytest.approx(1.5))
    assert (y.target, y.required_growth) == (7.0, pytest.approx(8.0))
    assert (y.indicator, y.year, y.latest_period, y.note) == ("gdp", 2024, "2024-06", "")
    x = nc.for_indicator("gdp", "x")
    assert (x.months_elapsed, x.target, x.required_growth) == (9, None, None)
    assert nc.for_indicator("retail_sales").region == "x"


def test_for_indicator_in_several_regions_asks_for_the_region(obs_file):
    nc = nowcast(_two_regions(obs_file), "2024-09")
    with pytest.raises(KeyError, match=r"'gdp' is nowcast in several regions \(x, y\); pass region="):
        nc.for_indicator("gdp")


def test_for_indicator_missing_in_a_region_names_it_and_what_is_available(obs_file):
    nc = nowcast(_two_regions(obs_file), "2024-09")
    with pytest.raises(KeyError) as err:
        nc.for_indicator("retail_sales", "y")
    assert err.value.args[0] == ("no nowcast of 'retail_sales' in region 'y' for 2024 as of 2024-09 "
                                 "(no year-to-date figures); available: x/gdp, x/retail_sales, y/gdp")
    with pytest.raises(KeyError) as err:
        nowcast(_two_regions(obs_file), "2024-01").for_indicator("gdp")
    assert err.value.args[0].endswith("for 2024 as of 2024-01 (no year-to-date figures); available: none")


def test_region_selection_keeps_only_those_regions(obs_file):
    ds = _two_regions(obs_file)
    assert nowcast(ds, "2024-09", region="y").indicators() == ["gdp"]
    assert len(nowcast(ds, "2024-09", region=["x", "y"])) == 3


def test_unknown_region_is_an_input_error_naming_the_file(obs_file):
    ds = _two_regions(obs_file)
    with pytest.raises(InputError) as err:
        nowcast(ds, "2024-09", region="z")
    assert err.value.key == "region" and err.value.path == str(ds.path) and "no observations for region 'z'" in str(err.value)


def test_as_of_before_every_observation_is_an_input_error_naming_file_key_and_first_year():
    ds = load_dataset(HISTORY)                                     # first figures: 2021
    with pytest.raises(InputError) as err:
        nowcast(ds, "2020-12", region="histcity")
    assert (err.value.path, err.value.key) == (str(HISTORY), "as_of")
    assert (f"as-of 2020-12 is before the first observation of region 'histcity' in {HISTORY} (2021); "
            "nothing was known then") in str(err.value)
    # in the first year (and later) nothing is wrong: there is simply no 2021 1–3月 figure
    assert nowcast(ds, "2021-03").empty
    # 2022 1–9月 +4.0%, and 2021 (8.5 − 8.0 = +0.5) shifts it by 0.5 / 3
    assert nowcast(ds, "2022-09").for_indicator("gdp").estimate == pytest.approx(4.0 + 0.5 / 3)


def test_as_of_is_checked_against_the_chosen_regions_own_first_year(obs_file):
    ds = load_dataset(obs_file("old,gdp,2020,growth,5.0,pct,actual,comparable,s,l",
                               "new,gdp,2024-06,ytd_growth,6.0,pct,actual,comparable,s,l"))
    with pytest.raises(InputError, match="before the first observation of region 'new' in .* \\(2024\\)"):
        nowcast(ds, "2022-09", region="new")
    assert nowcast(ds, "2022-09").empty and nowcast(ds, "2022-09", region="old").empty


def test_check_as_of_names_the_callers_option():
    from econsim.forecasting.nowcast import check_as_of

    with pytest.raises(InputError) as err:
        check_as_of(load_dataset(HISTORY), "2019-05", "histcity", path="command line", key="--as-of")
    assert (err.value.path, err.value.key) == ("command line", "--as-of")
    assert "as-of 2019-05 is before the first observation of region 'histcity'" in str(err.value)
    check_as_of(load_dataset(HISTORY), "2021-01")                  # the first year: fine


def test_notes_list_level_only_indicators_and_targets_waiting_for_data(obs_file):
    ds = load_dataset(obs_file(GDP_Q3, "x,retail_sales,2024-06,ytd_level,300,CNY_100m,actual,nominal,s,l",
                               "x,retail_sales,2024,growth,7.5,pct,target,nominal,s,l",
                               "x,exports,2023,growth,4.0,pct,target,nominal,s,l",
                               "x,gdp,2024,growth,5.5,pct,target,comparable,s,l"))
    notes = nowcast(ds, "2024-09").notes
    assert notes[:2] == ["x/retail_sales: year-to-date levels but no growth rates, so no nowcast",
                         "2024 growth targets without year-to-date figures yet: x/retail_sales 7.5%"]
    assert notes[2].startswith("estimate = latest year-to-date growth") and len(notes) == 3
    assert nowcast(ds, "2024-09", targets=False).notes[1:] == notes[2:]


def test_empty_nowcast_of_all_regions_says_so(obs_file):
    nc = nowcast(load_dataset(obs_file(GDP_Q3)), "2024-01")
    assert nc.notes == ["no year-to-date (1–N月 累计) growth figures for 2024 up to 2024-01 in any region; "
                        "nothing to nowcast"]
    assert len(nc) == 0 and repr(nc) == "Nowcast(year=2024, as_of='2024-01', 0 estimates)"


def test_display_frame_shows_the_ytd_span_rounded_figures_and_intervals(monthly):
    from econsim.forecasting.nowcast import display_frame

    [row] = display_frame(nowcast(monthly, "2024-09").to_frame()).to_dict("records")
    # sd = 5 × (1 − 950/1.052/1200) = 1.2373: 80% 5.2 ± 1.586, 95% 5.2 ± 2.425; required (7 − w·5.2)/(1 − w)
    assert row == {"region": "testcity", "indicator": "retail_sales", "指标 name": "社会消费品零售总额",
                   "ytd": "1–9月", "ytd_growth": "5.2", "estimate": "5.2", "80% interval": "[3.6, 6.8]",
                   "95% interval": "[2.8, 7.6]", "target": "7", "required_growth": "12.5",
                   "method": "default: rest of year ±5 pp (1 sd)"}
    december = display_frame(nowcast(monthly, "2024-12").to_frame()).iloc[0]
    assert (december["ytd"], december["95% interval"], december["required_growth"]) == ("1–12月", "[6.0, 6.0]", "")


def test_display_frame_of_an_empty_nowcast_keeps_its_columns(monthly):
    from econsim.forecasting.nowcast import display_frame

    shown = display_frame(nowcast(monthly, "2024-01").to_frame())
    assert shown.empty and list(shown.columns) == ["region", "indicator", "指标 name", "ytd", "ytd_growth",
                                                   "estimate", "80% interval", "95% interval", "target",
                                                   "required_growth", "method"]


def test_html_view_of_an_empty_nowcast_says_why_and_lists_the_notes(monthly):
    html = nowcast(monthly, "2024-01")._repr_html_()
    assert "No year-to-date figures in this year" in html and "<table" not in html
    assert "<li>no year-to-date (1–N月 累计) growth figures for 2024 up to 2024-01" in html
