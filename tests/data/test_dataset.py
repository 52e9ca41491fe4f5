"""Specification of the observations file, its validation and the Dataset."""
from __future__ import annotations

import pandas as pd
import pytest

import econsim
from econsim.data.schema import COLUMNS
from econsim.data.dataset import load_dataset
from econsim.errors import InputError

GOOD_ROW = "dlhitech,gdp,2025,growth,6,pct,actual,comparable,work_report_2026,一(一)"


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


def test_series_keeps_only_the_consecutive_years_ending_at_the_latest(bundled):
    s = bundled.series("gdp", "dlhitech", "growth", reconstructed=False)
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
