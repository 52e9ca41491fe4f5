"""Specification of the observations file, its validation and the Dataset."""
from __future__ import annotations

import pandas as pd
import pytest

import econsim
from econsim.data.schema import COLUMNS
from econsim.data.dataset import load_dataset
from econsim.errors import InputError

GOOD_ROW = "dlhitech,gdp,2025,growth,6,pct,actual,comparable,work_report_2026,一(一)"
HEADER_LINE = "region,indicator,period,measure,value,unit,status,basis,source,locator"


@pytest.fixture(scope="module")
def bundled():
    return load_dataset()


# ----------------------------------------------------------------------------- bundled data

def test_bundled_dataset_has_the_zone_the_city_and_the_nation(bundled):
    assert bundled.regions == ["china", "dalian", "dlhitech"]


def test_every_bundled_figure_has_source_status_and_basis(bundled):
    obs = bundled.observations
    assert list(obs.columns) == list(COLUMNS)
    assert (obs["source"].str.len() > 0).all()
    assert obs["status"].isin(["actual", "preliminary", "target", "forecast"]).all()
    assert obs["basis"].isin(["comparable", "nominal", "unknown"]).all()


def test_every_bundled_national_figure_carries_its_publication_date(bundled):
    china = bundled.select(region="china")
    assert len(china) == 17
    assert china["published"].str.fullmatch(r"\d{4}-\d{2}(-\d{2})?").all()


def test_the_national_2026_target_is_one_range_row_from_4_5_to_5(bundled):
    row = bundled.targets("china").query("indicator == 'gdp' and period == '2026'")
    assert len(row) == 1
    assert (row["value"].iloc[0], row["value_upper"].iloc[0]) == (4.5, 5.0)


def test_the_bundled_data_declare_zone_in_city_in_province_in_nation(bundled):
    assert bundled.ancestors("dlhitech") == ["dalian", "liaoning", "china"]
    assert bundled.parent("dalian") == "liaoning"
    assert bundled.parent("china") is None


def test_bundled_data_hold_the_work_report_figures(bundled):
    wr = bundled.select(region="dlhitech").query("source == 'work_report_2026'")
    got = {(r.indicator, r.period, r.measure, r.status): r.value for r in wr.itertuples()}
    assert got[("gdp", "2025", "growth", "actual")] == 6
    assert got[("gdp", "2021-2025", "avg_growth", "actual")] == 6.5
    assert got[("industrial_va", "2025", "growth", "actual")] == 10.2
    assert got[("industrial_va", "2021-2025", "avg_growth", "actual")] == 11.1
    assert got[("industrial_va", "2020", "level", "actual")] == 19.5
    assert got[("industrial_va", "2025", "level", "actual")] == 31.2
    assert got[("fixed_investment", "2025", "level", "actual")] == 99.94
    assert got[("fixed_investment", "2021-2025", "cumulative", "actual")] == 597
    assert got[("fixed_investment", "2021-2025", "avg_increase", "actual")] == 24.9
    assert got[("retail_sales", "2025", "growth", "actual")] == 2.7
    assert got[("foreign_trade", "2025", "growth", "actual")] == 3.5


def test_bundled_data_hold_the_2026_targets(bundled):
    t = bundled.targets("dlhitech")
    got = {(r.indicator, r.measure): (r.value, r.unit) for r in t.itertuples()}
    assert got == {
        ("gdp", "growth"): (6, "pct"),
        ("budget_revenue", "growth"): (1, "pct"),
        ("industrial_va", "growth"): (6.5, "pct"),
        ("retail_sales", "growth"): (3, "pct"),
        ("fdi_used", "level"): (4000, "USD_10k"),
        ("foreign_trade", "growth"): (3, "pct"),
        ("software_revenue", "growth"): (0.5, "pct"),
    }


def _shared_source(name):
    """shared/sources/NAME beside the repository or beside its worktree folder; skip when absent."""
    from pathlib import Path

    here = Path(__file__).resolve()
    for up in (3, 4):
        src = here.parents[up] / "shared" / "sources" / name
        if src.exists():
            return src
    pytest.skip("shared/sources not beside the repository")


def test_bundled_data_keep_every_zone_history_row(bundled):
    import csv

    src = _shared_source("zone_history.csv")
    obs = bundled.observations
    for r in csv.DictReader(src.open(encoding="utf-8")):
        match = obs[(obs.region == r["region"]) & (obs.indicator == r["indicator"])
                    & (obs.period == r["period"]) & (obs.measure == r["measure"])
                    & (obs.value == float(r["value"]))]
        assert len(match) >= 1, r


def test_bundled_data_keep_every_national_context_figure_with_status_and_publication_date(bundled):
    import csv

    src = _shared_source("national_context.csv")
    obs = bundled.observations
    for r in csv.DictReader(src.open(encoding="utf-8")):
        match = obs[(obs.region == r["region"]) & (obs.indicator == r["indicator"])
                    & (obs.period == r["period"]) & (obs.measure == r["measure"]) & (obs.status == r["status"])
                    & ((obs.value == float(r["value"])) | (obs.value_upper == float(r["value"])))
                    & (obs.source == r["source_url"])]
        assert len(match) == 1, r
        assert match["published"].iloc[0] == r["published"]


def test_unverified_copies_are_flagged(bundled):
    dalian = bundled.select(region="dalian")
    assert (dalian["source_quality"] == "unverified_copy").sum() > 10


def test_annual_view_prefers_actual_over_preliminary(bundled):
    levels = bundled.annual("dalian", "level")
    assert levels.loc[2024, "gdp"] == 9540.2  # revised actual beats the 9516.9 preliminary


def test_annual_view_converts_units_to_the_registry_unit(bundled):
    levels = bundled.annual("dlhitech", "level")
    assert levels.loc[2019, "fdi_used"] == pytest.approx(10_000)  # 1 亿美元 = 10,000 万美元


def test_series_has_an_annual_period_index(bundled):
    s = bundled.series("gdp", "dlhitech", "growth", reconstructed=False)
    assert isinstance(s.index, pd.PeriodIndex)
    assert s.loc["2025"] == 6


def test_load_dataset_is_exported_lazily():
    assert econsim.load_dataset is load_dataset


def test_dataset_displays_as_html_in_notebooks(bundled):
    html = bundled._repr_html_()
    assert "地区生产总值" in html and "<table" in html


# ----------------------------------------------------------------------------- validation

def test_a_minimal_valid_file_loads(obs_file):
    ds = load_dataset(obs_file(GOOD_ROW))
    assert len(ds.observations) == 1
    assert ds.observations.loc[0, "value"] == 6.0


BAD_ROWS = {
    "unknown indicator": ("dlhitech,gpd,2025,growth,6,pct,actual,comparable,s,l", 2, "indicator", "did you mean 'gdp'"),
    "non-numeric value": ("dlhitech,gdp,2025,growth,six,pct,actual,comparable,s,l", 2, "value", "not a number"),
    "NaN value": ("dlhitech,gdp,2025,growth,nan,pct,actual,comparable,s,l", 2, "value", "not a finite"),
    "infinite value": ("dlhitech,gdp,2025,growth,inf,pct,actual,comparable,s,l", 2, "value", "not a finite"),
    "empty value": ("dlhitech,gdp,2025,growth,,pct,actual,comparable,s,l", 2, "value", "not a number"),
    "bad year": ("dlhitech,gdp,25,growth,6,pct,actual,comparable,s,l", 2, "period", "bad period"),
    "month 13": ("dlhitech,gdp,2025-13,ytd_growth,6,pct,actual,comparable,s,l", 2, "period", "bad period"),
    "year given for ytd": ("dlhitech,gdp,2025,ytd_growth,6,pct,actual,comparable,s,l", 2, "period", "bad period"),
    "reversed range": ("dlhitech,gdp,2025-2021,avg_growth,6,pct,actual,comparable,s,l", 2, "period", "first year"),
    "unknown measure": ("dlhitech,gdp,2025,grwoth,6,pct,actual,comparable,s,l", 2, "measure", "did you mean 'growth'"),
    "unknown status": ("dlhitech,gdp,2025,growth,6,pct,final,comparable,s,l", 2, "status", "unknown status"),
    "unknown basis": ("dlhitech,gdp,2025,growth,6,pct,actual,real,s,l", 2, "basis", "unknown basis"),
    "growth not in pct": ("dlhitech,gdp,2025,growth,6,CNY_100m,actual,comparable,s,l", 2, "unit", "expected 'pct'"),
    "level in pct": ("dlhitech,gdp,2025,level,6,pct,actual,nominal,s,l", 2, "unit", "expected 'CNY_100m'"),
    "level in wrong currency": ("dlhitech,fdi_used,2025,level,6,CNY_100m,actual,nominal,s,l", 2, "unit",
                                "expected 'USD_10k'"),
    "impossible growth": ("dlhitech,gdp,2025,growth,-100,pct,actual,comparable,s,l", 2, "value", "impossible"),
    "missing source": ("dlhitech,gdp,2025,growth,6,pct,actual,comparable,,l", 2, "source", "source is empty"),
    "empty region": (",gdp,2025,growth,6,pct,actual,comparable,s,l", 2, "region", "region is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_row_is_refused_naming_file_line_and_column(obs_file, case):
    row, line, key, text = BAD_ROWS[case]
    path = obs_file(row)
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    err = exc.value
    assert (err.path, err.line, err.key) == (str(path), line, key)
    assert text in err.one_line()


def test_the_line_number_counts_from_the_header(obs_file):
    path = obs_file(GOOD_ROW, GOOD_ROW.replace("2025", "2024"), GOOD_ROW.replace("gdp", "gdpp"))
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert exc.value.line == 4


def test_a_missing_column_is_named(obs_file):
    path = obs_file("dlhitech,gdp,2025,growth,6,pct,actual,comparable,s",
                    header="region,indicator,period,measure,value,unit,status,basis,source")
    with pytest.raises(InputError, match="missing column 'locator'"):
        load_dataset(path)


def test_a_duplicate_key_names_both_lines(obs_file):
    path = obs_file(GOOD_ROW, GOOD_ROW)
    with pytest.raises(InputError, match="line 3: .*duplicate observation .* as line 2"):
        load_dataset(path)


def test_a_header_only_file_has_no_observations(obs_file):
    with pytest.raises(InputError, match="no observations"):
        load_dataset(obs_file())


def test_an_empty_file_is_refused(obs_file):
    with pytest.raises(InputError, match="file is empty"):
        load_dataset(obs_file(header=None))


def test_a_binary_file_is_refused(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="binary"):
        load_dataset(path)


def test_a_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_bytes(("region,indicator\n地区,gdp\n").encode("gbk"))
    with pytest.raises(InputError, match="UTF-8"):
        load_dataset(path)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(InputError, match="directory"):
        load_dataset(tmp_path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_dataset(tmp_path / "nope.csv")


def test_a_row_with_extra_fields_is_refused(obs_file):
    with pytest.raises(InputError, match="more fields than the header"):
        load_dataset(obs_file(GOOD_ROW + ",extra"))


def test_input_error_is_a_value_error():
    assert issubclass(InputError, ValueError)


def test_a_fresh_series_keeps_only_the_consecutive_years_ending_at_the_latest():
    # a Dataset of its own: the module's `bundled` has this series memoised by an earlier test
    s = load_dataset().series("gdp", "dlhitech", "growth", reconstructed=False)
    assert [str(p) for p in s.index] == ["2024", "2025"]  # 2019 is cut off by the 2020–2023 gap


@pytest.mark.parametrize("text", ["1_000", "1,000", "0x10", "6%", "six"])
def test_a_value_must_be_a_plain_decimal_number(obs_file, text):
    row = f'dlhitech,gdp,2025,growth,"{text}",pct,actual,comparable,s,l'
    with pytest.raises(InputError, match="is not a number"):
        load_dataset(obs_file(row))


@pytest.mark.parametrize("text,value", [("6", 6.0), ("-3.5", -3.5), ("1.2e1", 12.0), (".5", 0.5)])
def test_plain_decimal_numbers_are_read(obs_file, text, value):
    ds = load_dataset(obs_file(f"dlhitech,gdp,2025,growth,{text},pct,actual,comparable,s,l"))
    assert ds.observations.loc[0, "value"] == value


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_level_must_be_positive(obs_file, value):
    row = f"dlhitech,fixed_investment,2025,level,{value},CNY_100m,actual,nominal,s,l"
    with pytest.raises(InputError, match="levels and totals are positive") as exc:
        load_dataset(obs_file(row))
    assert exc.value.key == "value"


def test_a_users_own_derived_rows_do_not_switch_off_the_reconstruction(tmp_path):
    from econsim.data.dataset import default_path

    path = tmp_path / "obs.csv"
    text = default_path().read_text(encoding="utf-8")
    path.write_text(text + "dalian,retail_sales,2018,growth,5,pct,derived,nominal,my model,sheet 1,,\n",
                    encoding="utf-8")
    s = load_dataset(path).series("gdp", "dlhitech", "growth")
    assert [str(p) for p in s.index] == ["2021", "2022", "2023", "2024", "2025"]


def test_the_indicator_registry_lists_bilingual_names_units_and_bases():
    from econsim.indicators import registry_frame

    reg = registry_frame()
    assert reg.loc["industrial_va", "name_zh"] == "规上工业增加值"
    assert reg.loc["gdp", "growth_basis"] == "comparable" and reg.loc["fdi_used", "unit"] == "USD_10k"


def test_series_is_memoised_and_hands_out_copies(bundled):
    first = bundled.series("gdp")
    first[:] = -1.0
    again = bundled.series("gdp")
    assert (again != -1.0).all() and again is not bundled.series("gdp")


# ----------------------------------------------------------------------------- the exact one-line errors

FULL_HEADER = ",".join(COLUMNS)
#: A valid row of every column (the optional ones empty), as a dict to change one cell of.
BASE = dict(region="dlhitech", indicator="gdp", period="2025", measure="growth", value="6", unit="pct",
            status="actual", basis="comparable", source="wr", locator="l", source_quality="", note="",
            published="", value_upper="", parent="")


def full_row(**cells) -> str:
    return ",".join(str({**BASE, **cells}[c]) for c in COLUMNS)


# (cells changed, key, message): the message is the contract users read, so it is pinned whole.
ROW_ERRORS = {
    "empty region": (dict(region=" "), "region", "region is empty"),
    "misspelt indicator": (dict(indicator="gpd"), "indicator",
                           "unknown indicator 'gpd' (did you mean 'gdp'?); the list: econsim indicators"),
    "unknown indicator": (dict(indicator="zzz"), "indicator", "unknown indicator 'zzz'; the list: econsim indicators"),
    "misspelt measure": (dict(measure="grwoth"), "measure",
                         "unknown measure 'grwoth' (did you mean 'growth'?); expected one of level, growth, "
                         "ytd_level, ytd_growth, avg_growth, cumulative, avg_increase"),
    "unknown status": (dict(status="final"), "status", "unknown status 'final'; expected one of actual, "
                       "preliminary, target, forecast, derived"),
    "unknown basis": (dict(basis="real"), "basis", "unknown basis 'real'; expected one of comparable, nominal, "
                      "unknown"),
    "unknown source quality": (dict(source_quality="offical"), "source_quality",
                               "unknown source_quality 'offical'; expected one of official, state_media, "
                               "unverified_copy, derived"),
    "bad year": (dict(period="25"), "period", "bad period '25' for measure 'growth' (expected e.g. 2025)"),
    "year for a range measure": (dict(period="2025", measure="avg_growth"), "period",
                                 "bad period '2025' for measure 'avg_growth' (expected e.g. 2021-2025)"),
    "reversed range": (dict(period="2025-2021", measure="avg_growth"), "period",
                       "bad period '2025-2021': the first year must come before the last"),
    "one-year range": (dict(period="2025-2025", measure="avg_growth"), "period",
                       "bad period '2025-2025': the first year must come before the last"),
    "word for a number": (dict(value="six"), "value", "value 'six' is not a number (write e.g. 99.94 or -3.5)"),
    "NaN": (dict(value="NaN"), "value", "value 'NaN' is not a finite number"),
    "minus infinity": (dict(value="-inf"), "value", "value '-inf' is not a finite number"),
    "plus infinity": (dict(value="+Inf"), "value", "value '+Inf' is not a finite number"),
    "a fall of 100%": (dict(value="-100"), "value",
                       "growth of -100.0% is impossible (a level cannot fall by 100% or more)"),
    "a zero level": (dict(measure="level", value="0", unit="CNY_100m", basis="nominal"), "value",
                     "a level of 0 CNY_100m is impossible: levels and totals are positive (a fall is a growth rate)"),
    "a negative year-to-date level": (dict(measure="ytd_level", period="2025-09", value="-2.5", unit="CNY_100m"),
                                      "value", "a ytd_level of -2.5 CNY_100m is impossible: levels and totals are "
                                      "positive (a fall is a growth rate)"),
    "a negative total": (dict(measure="cumulative", period="2021-2025", value="-597", unit="CNY_100m"), "value",
                         "a cumulative of -597 CNY_100m is impossible: levels and totals are positive "
                         "(a fall is a growth rate)"),
    "growth in yuan": (dict(unit="CNY_100m"), "unit", "unit 'CNY_100m' does not fit measure 'growth' (expected 'pct')"),
    "a level in percent": (dict(measure="level", unit="pct"), "unit",
                           "unit 'pct' does not fit measure 'level' of 'gdp' (expected 'CNY_100m')"),
    "a negative level in percent is a unit error": (dict(measure="level", value="-5", unit="pct"), "unit",
                                                    "unit 'pct' does not fit measure 'level' of 'gdp' "
                                                    "(expected 'CNY_100m')"),
    "empty source": (dict(source=""), "source", "source is empty; every figure needs its source"),
    "slashed date": (dict(published="2025/12"), "published",
                     "bad date '2025/12' (write YYYY-MM or YYYY-MM-DD, e.g. 2025-12-10)"),
    "published eleven years early": (dict(published="2014-12"), "published",
                                     "published 2014-12 is more than ten years before the period 2025 it describes"),
    "a range of an outcome": (dict(value_upper="7"), "value_upper",
                              "a range (value_upper) is for a target or forecast, not a figure of status 'actual'"),
    "a word for the upper bound": (dict(status="target", value_upper="five"), "value_upper",
                                   "value_upper 'five' is not a number (write e.g. 5.0)"),
    "upper bound below the value": (dict(status="target", value="4.5", value_upper="4"), "value_upper",
                                    "upper bound 4 is below the lower bound (value) 4.5"),
    "a region inside itself": (dict(parent="dalian > dlhitech"), "parent", "region 'dlhitech' cannot lie inside itself"),
    "an empty link in the chain": (dict(parent="dalian >"), "parent",
                                   "bad parent 'dalian >' (a region, or a chain like 'liaoning > china')"),
}


@pytest.mark.parametrize("case", sorted(ROW_ERRORS))
def test_each_bad_cell_gets_one_line_naming_file_line_key_and_what_to_write(obs_file, case):
    cells, key, message = ROW_ERRORS[case]
    path = obs_file(full_row(indicator="industrial_va"), full_row(**cells), header=FULL_HEADER)
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert str(exc.value) == f"{path}: line 3: key '{key}': {message}"


@pytest.mark.parametrize("cells", [
    dict(value="-99.9"),                                   # a fall of 99.9% is possible
    dict(status="target", value="4.5", value_upper="4.5"),  # a range may be a single point
    dict(published="2015-01"),                             # ten years before the period is allowed
    dict(published="2026-03-05"),
    dict(measure="avg_growth", period="2024-2025"),
    dict(measure="level", value="0.1", unit="CNY_100m"),
    dict(measure="level", indicator="fdi_used", value="1.5", unit="USD_100m"),  # converts to 万美元
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_figures_at_the_edge_of_the_rules_are_accepted(obs_file, cells):
    ds = load_dataset(obs_file(full_row(**cells), header=FULL_HEADER))
    row = ds.observations.iloc[0]
    assert row["value"] == float(cells.get("value", "6"))
    assert row["published"] == cells.get("published", "")


def test_cells_are_read_without_surrounding_spaces_and_a_parent_chain_is_written_one_way(obs_file):
    row = full_row(region=" dalian ", value=" 5.7 ", source=" xinhua ", parent="liaoning>china ")
    obs = load_dataset(obs_file(row, header=FULL_HEADER)).observations
    assert (obs.loc[0, "region"], obs.loc[0, "value"], obs.loc[0, "source"]) == ("dalian", 5.7, "xinhua")
    assert obs.loc[0, "parent"] == "liaoning > china"


def test_a_single_figure_has_no_upper_bound_and_a_range_keeps_both(obs_file):
    obs = load_dataset(obs_file(full_row(status="target", value="4.5", value_upper="5"),
                                full_row(status="target", indicator="industrial_va"),
                                header=FULL_HEADER)).observations
    assert obs["value_upper"].iloc[0] == 5.0 and pd.isna(obs["value_upper"].iloc[1])
    assert obs["value"].dtype == float and obs["value_upper"].dtype == float


def test_blank_lines_are_skipped_but_still_counted(obs_file):
    path = obs_file(GOOD_ROW, "", ",,,, ,,,,,", GOOD_ROW.replace("gdp", "gpd"))
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert (exc.value.line, exc.value.key) == (5, "indicator")
    assert len(load_dataset(obs_file(GOOD_ROW, ",,,, ,,,,,")).observations) == 1


def test_the_observations_hold_exactly_the_file_columns(obs_file):
    assert list(load_dataset(obs_file(GOOD_ROW)).observations.columns) == list(COLUMNS)


def test_a_duplicate_is_named_with_its_first_line_and_the_key_column(obs_file):
    path = obs_file(GOOD_ROW, GOOD_ROW.replace("2025", "2024"), GOOD_ROW)
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert str(exc.value) == (f"{path}: line 4: key 'indicator': duplicate observation (same region, indicator, "
                              "period, measure, status, source and publication date as line 2)")


@pytest.mark.parametrize("column,other", [("source", "statistics_bulletin"), ("published", "2026-03"),
                                          ("status", "preliminary"), ("measure", "level")])
def test_the_same_figure_from_another_source_date_or_status_is_not_a_duplicate(obs_file, column, other):
    second = {column: other}
    if column == "measure":
        second.update(unit="CNY_100m", basis="nominal")
    obs = load_dataset(obs_file(full_row(), full_row(**second), header=FULL_HEADER)).observations
    assert obs[column].tolist() == [BASE[column], other]


def test_a_header_only_file_is_refused_at_line_2(obs_file):
    path = obs_file()
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert str(exc.value) == f"{path}: line 2: no observations in file (only a header)"


def test_a_missing_column_lists_the_columns_found_required_and_optional(obs_file):
    path = obs_file("dlhitech,gdp,2025,growth,6,pct,actual,comparable,s",
                    header="region,indicator,period,measure,value,unit,status,basis,source")
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert str(exc.value) == (
        f"{path}: line 1: key 'locator': missing column 'locator'; "
        "found: region, indicator, period, measure, value, unit, status, basis, source; "
        "required: region, indicator, period, measure, value, unit, status, basis, source, locator; "
        "optional: source_quality, note, published, value_upper, parent")


def test_a_blank_first_line_is_a_file_without_header(obs_file):
    path = obs_file(HEADER_LINE, GOOD_ROW, header="")
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert exc.value.key == "region" and "missing column 'region'; found: (nothing); required" in str(exc.value)


def test_only_names_that_differ_get_a_rename_hint(obs_file):
    path = obs_file(GOOD_ROW, header=HEADER_LINE.replace("region", "Region").replace("locator", "位置"))
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert exc.value.message.startswith("missing column 'region'; rename 'Region' → 'region', '位置' → 'locator' "
                                        "(column names are lower-case English); found: Region, indicator,")


def test_a_rows_extra_field_is_named_with_its_line(obs_file):
    path = obs_file(GOOD_ROW, GOOD_ROW.replace("2025", "2024") + ",extra")
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert str(exc.value) == f"{path}: line 3: row has more fields than the header"


def test_a_field_too_long_for_the_csv_reader_is_malformed_csv(obs_file):
    path = obs_file(GOOD_ROW, GOOD_ROW.replace("一(一)", '"' + "x" * 200_000 + '"'))
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert (exc.value.path, exc.value.line) == (str(path), 3)
    assert exc.value.message.startswith("malformed CSV: field larger than field limit")


def test_a_region_placed_in_two_parents_names_both_lines(obs_file):
    path = obs_file(full_row(parent="dalian"), full_row(indicator="industrial_va"),
                    full_row(indicator="retail_sales", parent="shenyang"), header=FULL_HEADER)
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert str(exc.value) == (f"{path}: line 4: key 'parent': region 'dlhitech' is placed in 'shenyang' here but "
                              "in 'dalian' on line 2; a region has one parent")


def test_a_parent_chain_that_leads_back_is_named_with_its_line(obs_file):
    path = obs_file(full_row(region="liaoning", parent="china"), full_row(region="dalian", parent="liaoning"),
                    full_row(region="china", parent="dalian > liaoning"), header=FULL_HEADER)
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    # liaoning is the first region declared (line 2): liaoning → china → dalian → liaoning
    assert str(exc.value) == (f"{path}: line 2: key 'parent': the parent chain of 'liaoning' leads back to "
                              "'liaoning' (liaoning > china > dalian > liaoning)")


def test_the_same_parent_on_every_row_of_a_region_is_accepted(obs_file):
    ds = load_dataset(obs_file(full_row(parent="dalian > liaoning"), full_row(indicator="industrial_va"),
                               full_row(indicator="retail_sales", parent="dalian>liaoning"), header=FULL_HEADER))
    assert ds.ancestors("dlhitech") == ["dalian", "liaoning"] and ds.parent("dalian") is None


# ----------------------------------------------------------------------------- vintages: the data as known then

#: (label, cells): china's figures carry publication dates, the zone's do not (their periods decide).
VINTAGE_ROWS = [
    ("cn 2024 outcome, pub 2025-01", dict(region="china", period="2024", published="2025-01-17")),
    ("cn 2025 outcome, pub 2026-02", dict(region="china", period="2025", status="preliminary", published="2026-02-28")),
    ("cn 2026 target, pub 2026-03", dict(region="china", period="2026", status="target", value="4.5",
                                        value_upper="5", published="2026-03-05")),
    ("cn 2026 IMF Oct, pub 2025-10", dict(region="china", period="2026", status="forecast", value="4.2",
                                         source="imf_oct", published="2025-10-14")),
    ("cn 2026 IMF Jan, pub 2026-01", dict(region="china", period="2026", status="forecast", value="4.5",
                                         source="imf_jan", published="2026-01")),
    ("cn 1-9月 2025, pub 2025-10", dict(region="china", period="2025-09", measure="ytd_growth", value="5.2",
                                      published="2025-10-20")),
    ("cn 2021-25 avg, pub 2026-03", dict(region="china", period="2021-2025", measure="avg_growth", value="5.4",
                                        published="2026-03-05")),
    ("zone 2024 outcome", dict(period="2024", value="5.1")),
    ("zone 2025 outcome", dict()),
    ("zone 2026 target", dict(period="2026", status="target")),
    ("zone 2027 forecast", dict(period="2027", status="forecast", value="5.5")),
    ("zone 1-9月 2025", dict(period="2025-09", measure="ytd_growth", value="5.8")),
    ("zone 2021-25 avg", dict(period="2021-2025", measure="avg_growth", value="6.5")),
    ("zone 2026-30 target", dict(period="2026-2030", measure="avg_growth", status="target", value="5")),
    ("zone 2023 derived", dict(period="2023", status="derived", value="4")),
]


@pytest.fixture
def vintages(obs_file):
    return load_dataset(obs_file(*(full_row(**cells) for _, cells in VINTAGE_ROWS), header=FULL_HEADER))


def _labels(ds):
    """The VINTAGE_ROWS labels of a dataset's rows (matched on region, period, measure, status, source)."""
    key = lambda r: (r["region"], r["period"], r["measure"], r["status"], r["source"])  # noqa: E731
    by_key = {key({**BASE, **cells}): label for label, cells in VINTAGE_ROWS}
    return [by_key[key(r)] for _, r in ds.observations.iterrows()]


def test_as_known_in_september_a_year_to_date_figure_counts_from_its_own_month(vintages):
    # the 1-9月 figures count as of 2025-09 even though china's came out in October
    assert _labels(vintages.as_known_at("2025-09")) == [
        "cn 2024 outcome, pub 2025-01", "cn 1-9月 2025, pub 2025-10", "zone 2024 outcome", "zone 1-9月 2025"]
    assert _labels(vintages.as_known_at("2025-08")) == ["cn 2024 outcome, pub 2025-01", "zone 2024 outcome"]


def test_a_figure_published_during_a_month_is_known_at_its_end(vintages):
    assert "cn 2026 IMF Oct, pub 2025-10" in _labels(vintages.as_known_at("2025-10"))  # out on 14 October


def test_as_known_in_december_the_years_outcomes_and_next_years_aims_are_not_known(vintages):
    assert _labels(vintages.as_known_at("2025-12")) == [
        "cn 2024 outcome, pub 2025-01", "cn 2026 IMF Oct, pub 2025-10", "cn 1-9月 2025, pub 2025-10",
        "zone 2024 outcome", "zone 1-9月 2025"]


def test_as_known_in_february_last_years_outcomes_and_this_years_undated_aims_are_known(vintages):
    # dated: what was published by the end of February; undated: outcomes of earlier years and
    # periods, targets and forecasts of this year (also a plan period starting this year)
    assert _labels(vintages.as_known_at("2026-02")) == [
        "cn 2024 outcome, pub 2025-01", "cn 2025 outcome, pub 2026-02", "cn 2026 IMF Oct, pub 2025-10",
        "cn 2026 IMF Jan, pub 2026-01", "cn 1-9月 2025, pub 2025-10",
        "zone 2024 outcome", "zone 2025 outcome", "zone 2026 target", "zone 1-9月 2025", "zone 2021-25 avg",
        "zone 2026-30 target"]


def test_derived_figures_are_never_part_of_what_was_known(vintages):
    assert "zone 2023 derived" not in _labels(vintages.as_known_at("2030-12"))
    assert len(vintages.as_known_at("2030-12").observations) == len(VINTAGE_ROWS) - 1


def test_the_data_as_known_then_is_a_dataset_of_the_same_file_stamped_with_its_month(vintages):
    import datetime

    then = vintages.as_known_at(datetime.date(2025, 12, 31))
    assert (then.as_of, then.path, vintages.as_of) == ("2025-12", vintages.path, None)
    assert then.observations.index.tolist() == list(range(5)) and list(then.observations.columns) == list(COLUMNS)
    assert vintages.as_known_at("2025-12") is then  # memoised: asked once per month


def test_a_malformed_month_is_refused_naming_as_of(vintages):
    with pytest.raises(InputError) as exc:
        vintages.as_known_at("2025-13")
    assert exc.value.key == "as_of"


def test_a_frame_read_by_pandas_or_without_dates_is_judged_the_same_way(vintages):
    from econsim.data.dataset import Dataset

    frame = vintages.observations.replace({"published": {"": float("nan")}})  # pandas reads empty cells as NaN
    assert _labels(Dataset(frame).as_known_at("2026-02")) == _labels(vintages.as_known_at("2026-02"))
    # without a published column every figure counts by its period: the IMF's 2026 forecast of October
    # and the 2025 outcome only from 2026 on
    undated = Dataset(vintages.observations.drop(columns="published"))
    assert _labels(undated.as_known_at("2025-12")) == [
        "cn 2024 outcome, pub 2025-01", "cn 1-9月 2025, pub 2025-10", "zone 2024 outcome", "zone 1-9月 2025"]


def test_the_latest_forecast_of_a_figure_is_the_one_published_last(vintages):
    fc = vintages.forecasts("china")
    assert fc[["period", "value", "source"]].values.tolist() == [["2026", 4.5, "imf_jan"]]
    assert list(fc.columns) == list(COLUMNS) and fc.index.tolist() == [0]
    # as known in December 2025 the January forecast was not out yet
    assert vintages.as_known_at("2025-12").forecasts("china")["value"].tolist() == [4.2]


def test_an_undated_forecast_ranks_as_the_oldest(obs_file):
    ds = load_dataset(obs_file(full_row(status="forecast", value="6.1", source="imf", published="2025-04"),
                               full_row(status="forecast", value="9.9", source="blog"),
                               full_row(region="dalian", status="forecast", value="5", source="blog"),
                               header=FULL_HEADER))
    assert ds.forecasts("dlhitech")["value"].tolist() == [6.1]
    # the same when the frame was read by pandas (an empty date is NaN)
    from econsim.data.dataset import Dataset

    frame = ds.observations.replace({"published": {"": float("nan")}})
    assert Dataset(frame).forecasts("dlhitech")["value"].tolist() == [6.1]
    # without a region: the latest forecast of each region
    assert ds.forecasts()[["region", "value"]].values.tolist() == [["dalian", 5.0], ["dlhitech", 6.1]]


def test_a_region_without_forecasts_has_none(vintages):
    fc = vintages.forecasts("dlhitech")
    assert fc["value"].tolist() == [5.5]
    assert vintages.as_known_at("2026-12").forecasts("dlhitech").empty


def test_targets_are_the_latest_published_with_their_range(vintages):
    t = vintages.targets("china")
    assert t[["period", "value", "value_upper"]].values.tolist() == [["2026", 4.5, 5.0]]
    assert vintages.as_known_at("2026-02").targets("china").empty
    assert t.index.tolist() == [0] and list(t.columns) == list(COLUMNS)


# ----------------------------------------------------------------------------- regions, selection and views

@pytest.fixture
def two_regions(obs_file):
    return load_dataset(obs_file(full_row(region="zone_b"), full_row(region="zone_a"), header=FULL_HEADER))


def test_the_only_region_of_a_file_is_the_default(obs_file):
    ds = load_dataset(obs_file(full_row(region="myzone"), header=FULL_HEADER))
    assert ds.default_region() == "myzone"
    assert ds.default_region(preferred="scenario_zone") == "myzone"


def test_the_preferred_region_wins_when_the_data_hold_it(two_regions, bundled):
    assert two_regions.default_region(preferred="zone_b") == "zone_b"
    assert bundled.default_region() == "dlhitech"  # the bundled zone among china, dalian, dlhitech


def test_a_requested_region_is_checked_even_in_a_one_region_file(obs_file):
    path = obs_file(full_row(region="myzone"), header=FULL_HEADER)
    ds = load_dataset(path)
    assert ds.default_region("myzone") == "myzone"
    with pytest.raises(InputError) as exc:
        ds.default_region("myzon")
    assert str(exc.value) == (f"{path}: key 'region': no observations for region 'myzon' (did you mean 'myzone'?); "
                              "regions here: myzone")


def test_without_the_preferred_region_among_several_the_user_must_name_one(two_regions):
    with pytest.raises(InputError) as exc:
        two_regions.default_region()
    assert exc.value.message == "no observations for region 'dlhitech'; regions here: zone_a, zone_b"
    assert (exc.value.path, exc.value.key) == (str(two_regions.path), "region")


def test_regions_are_listed_sorted_once_each(two_regions):
    assert two_regions.regions == ["zone_a", "zone_b"]


def test_select_takes_one_value_or_a_list_and_none_for_any(bundled):
    gdp = bundled.select(region="dalian", indicator="gdp", measure="level", status="actual")
    assert sorted(gdp["period"]) == ["2023", "2024", "2025"]
    both = bundled.select(region=["china", "dalian"], indicator="gdp", measure="level", status=("actual",))
    assert sorted(both["region"]) == ["china", "dalian", "dalian", "dalian"]
    assert len(bundled.select()) == len(bundled.observations)


def test_the_annual_targets_table_takes_a_range_target_by_its_lower_bound(bundled):
    assert bundled.annual("china", "growth", targets=True).loc[2026, "gdp"] == 4.5
    outcomes = bundled.annual("china", "growth")
    assert outcomes.loc[2025, "gdp"] == 5.0 and 2026 not in outcomes.index  # forecasts never count


def test_an_annual_table_of_nothing_is_empty(bundled):
    assert bundled.annual("china", "avg_increase").empty


def test_a_series_of_a_missing_indicator_names_the_measure_indicator_and_region(bundled):
    with pytest.raises(InputError) as exc:
        bundled.series("exports", "china", "growth", reconstructed=False)
    assert exc.value.message == "no annual growth figures for 'exports' in region 'china'"
    assert (exc.value.path, exc.value.key) == (str(bundled.path), "indicator")


def test_a_series_is_named_indicator_and_measure(bundled):
    s = bundled.series("gdp", "dalian", "level", reconstructed=False)
    assert s.name == "gdp:level" and s.to_dict() == {pd.Period("2023", "Y"): 8752.9, pd.Period("2024", "Y"): 9540.2,
                                                      pd.Period("2025", "Y"): 10002.1}


def test_a_repr_names_the_count_the_regions_and_the_file(two_regions):
    from econsim.data.dataset import Dataset

    assert repr(two_regions) == f"Dataset(2 observations, regions=['zone_a', 'zone_b'], path={two_regions.path})"
    assert repr(Dataset(two_regions.observations)) == "Dataset(2 observations, regions=['zone_a', 'zone_b'], path=None)"


def test_the_notebook_table_labels_indicators_without_changing_the_data(two_regions):
    html = two_regions._repr_html_()
    assert "2 observations" in html and str(two_regions.path) in html and "地区生产总值 GDP" in html
    assert two_regions.observations["indicator"].tolist() == ["gdp", "gdp"]


def test_check_looks_only_at_the_region_asked_for(obs_file):
    # 2024 level 100 and 2025 level 120 imply 20% nominal growth; a nominal growth of 5% conflicts with it
    rows = [full_row(region=r, period=p, measure="level", value=v, unit="CNY_100m", basis="nominal")
            for r in ("zone_a", "zone_b") for p, v in (("2024", "100"), ("2025", "120"))]
    rows += [full_row(region=r, basis="nominal", value="5", indicator="gdp") for r in ("zone_a", "zone_b")]
    ds = load_dataset(obs_file(*rows, header=FULL_HEADER))
    assert {f.region for f in ds.check()} == {"zone_a", "zone_b"}
    assert {f.region for f in ds.check("zone_b")} == {"zone_b"}


def test_a_region_keeps_the_parent_written_on_any_of_its_rows(obs_file):
    # the first and last dlhitech rows leave the parent empty, the second names it
    ds = load_dataset(obs_file(full_row(indicator="industrial_va"), full_row(parent="dalian > liaoning"),
                               full_row(region="dalian", parent="liaoning"), full_row(indicator="retail_sales"),
                               header=FULL_HEADER))
    assert ds.parents() == {"dlhitech": ["dalian", "liaoning"], "dalian": ["liaoning"]}
    ds.parents()["dlhitech"] = ["elsewhere"]  # a copy: the dataset's own stays
    assert ds.parent("dlhitech") == "dalian" and ds.ancestors("dlhitech") == ["dalian", "liaoning"]


def test_a_frame_read_by_pandas_has_no_parent_where_the_cell_is_empty(obs_file):
    from econsim.data.dataset import Dataset

    ds = load_dataset(obs_file(full_row(indicator="industrial_va"), full_row(parent="dalian"), header=FULL_HEADER))
    frame = ds.observations.replace({"parent": {"": float("nan")}})
    assert Dataset(frame).ancestors("dlhitech") == ["dalian"]


def test_the_reconstruction_is_appended_as_derived_rows_of_the_region_asked_for(bundled):
    from econsim.data.reconstruct import SOURCE

    with_rec = bundled.with_reconstruction("dlhitech")
    n = len(bundled.observations)
    added = with_rec.observations.iloc[n:]
    assert len(added) > 0 and set(added["region"]) == {"dlhitech"}
    assert (added["status"] == "derived").all() and (added["source"] == SOURCE).all()
    assert with_rec.observations.iloc[:n].equals(bundled.observations)  # the file's rows first, unchanged
    assert with_rec.observations.index.tolist() == list(range(len(with_rec.observations)))
    assert list(with_rec.observations.columns) == list(COLUMNS) and with_rec.path == bundled.path


def test_a_reconstructed_dataset_is_not_reconstructed_again(bundled):
    with_rec = bundled.with_reconstruction("dlhitech")
    assert bundled.with_reconstruction("dlhitech") is with_rec  # memoised
    assert with_rec.with_reconstruction("dalian") is with_rec


def test_without_a_region_every_region_is_reconstructed(obs_file, zone_csv):
    from econsim.data.reconstruct import SOURCE

    path = obs_file(name="zones.csv", header=None)
    path.write_text(zone_csv("zone_a") + zone_csv("zone_b").split("\n", 1)[1], encoding="utf-8")
    ds = load_dataset(path)
    derived = ds.with_reconstruction().observations.query("source == @SOURCE")
    assert sorted(set(derived["region"])) == ["zone_a", "zone_b"]
    only_b = ds.with_reconstruction("zone_b").observations.query("source == @SOURCE")
    assert set(only_b["region"]) == {"zone_b"} and len(only_b) == (derived["region"] == "zone_b").sum()


def test_the_data_as_known_then_reconstruct_to_the_same_month(bundled):
    assert bundled.as_known_at("2026-03").with_reconstruction("dlhitech").as_of == "2026-03"


def test_the_content_hash_follows_the_figures_not_the_row_labels(two_regions):
    from econsim.data.dataset import Dataset

    obs = two_regions.observations
    same = Dataset(obs.set_axis(obs.index + 10), None)  # same rows, other row labels, no file
    assert same.content_hash() == two_regions.content_hash() and len(same.content_hash()) == 64
    changed = obs.copy()
    changed.loc[0, "value"] = 6.1
    assert Dataset(changed).content_hash() != two_regions.content_hash()


def test_without_any_observations_file_the_error_says_how_to_pass_one(monkeypatch):
    from econsim.data import dataset
    from econsim.io import resources

    monkeypatch.setattr(resources, "find", lambda kind, name: None)
    with pytest.raises(InputError) as exc:
        dataset.load_dataset()
    assert str(exc.value) == "data/observations.csv: no observations file found; pass --data FILE"


@pytest.mark.parametrize("name,content,message", [
    ("obs.csv", b" \n", "file is empty; expected a CSV header and observations"),
    ("obs.csv", b"region\x00", "looks like a binary file, not an observations CSV file"),
    ("obs.xlsx", None, "is a directory, not an observations workbook"),
    ("obs.csv", None, "is a directory, not an observations CSV file"),
])
def test_a_file_that_is_no_observations_file_says_what_was_expected(tmp_path, name, content, message):
    path = tmp_path / name
    path.mkdir() if content is None else path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        load_dataset(path)
    assert str(exc.value) == f"{path}: {message}"


def test_a_reconstruction_is_that_of_the_regions_own_figures(obs_file, zone_csv, monkeypatch, tmp_path):
    from econsim.data.reconstruct import reconstruct

    monkeypatch.setenv("ECONSIM_CACHE_DIR", str(tmp_path / "cache"))  # computed here, not found on disk
    path = obs_file(name="zones.csv", header=None)
    path.write_text(zone_csv("zone_a") + zone_csv("zone_b").split("\n", 1)[1], encoding="utf-8")
    ds = load_dataset(path)
    rec = ds.reconstruct("zone_b")
    assert rec.region == "zone_b" and ds.reconstruct("zone_b") is rec
    pd.testing.assert_frame_equal(rec.paths, reconstruct(ds.observations, region="zone_b").paths)


def test_the_annual_table_defaults_to_the_zones_growth_rates_without_targets(obs_file):
    ds = load_dataset(obs_file(full_row(), full_row(period="2026", status="target", value="7"),
                               full_row(measure="level", value="500", unit="CNY_100m"), header=FULL_HEADER))
    assert ds.annual().to_dict() == {"gdp": {2025: 6.0}}


def test_a_file_without_ranges_still_has_a_numeric_upper_bound_column(obs_file):
    obs = load_dataset(obs_file(GOOD_ROW)).observations
    assert obs["value_upper"].dtype == float and obs["value_upper"].isna().all()
