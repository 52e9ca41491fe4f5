"""The results workbook: the sheets an economist expects, readable formats, user text never a formula."""
import dataclasses

import pytest
from openpyxl import load_workbook

from econsim.data.dataset import load_dataset
from econsim.io.excel import display_width
from econsim.scenario.export import SHEETS, write_workbook
from econsim.scenario.files import load_scenario
from econsim.scenario.projection import project

EVIL_TITLE = '=HYPERLINK("http://example.com/x","click me")'


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture(scope="module")
def proj(ds):
    sc = dataclasses.replace(load_scenario("baseline"), title=EVIL_TITLE)
    return project(sc, ds, draws=200, seed=1)


@pytest.fixture(scope="module")
def book(proj, ds, tmp_path_factory):
    path = proj.to_excel(tmp_path_factory.mktemp("x") / "results.xlsx", dataset=ds)
    return load_workbook(path)


def column(ws, name, header_row=1):
    headers = [c.value for c in ws[header_row]]
    return headers.index(name) + 1


def test_the_workbook_has_the_five_sheets_in_order(book):
    assert book.sheetnames == list(SHEETS)


def test_every_sheet_freezes_its_header_row(book):
    assert {ws.title: ws.freeze_panes for ws in book} == {s: "A2" for s in SHEETS}


def test_a_title_that_looks_like_a_formula_arrives_as_text(book):
    ws = book["provenance 来源"]
    cells = [row[1] for row in ws.iter_rows(min_row=2) if row[0].value == "title 标题"]
    assert len(cells) == 1
    cell = cells[0]
    assert cell.value == EVIL_TITLE and cell.data_type == "s" and cell.quotePrefix


def test_targets_sheet_gives_probabilities_as_percentages(book, proj):
    ws = book["targets 目标"]
    j = column(ws, "probability")
    gdp = [r for r in ws.iter_rows(min_row=2) if r[0].value == "baseline" and r[1].value == "gdp"
           and r[2].value == "2026"][0]
    expected = proj.targets().set_index(["indicator", "year"]).loc[("gdp", "2026"), "probability"]
    assert gdp[j - 1].value == pytest.approx(expected) and gdp[j - 1].number_format == "0%"


def test_growth_has_one_decimal_and_levels_thousands_separators(book):
    ws = book["projection 预测"]
    m, p50 = column(ws, "measure"), column(ws, "p50")
    formats = {}
    for row in ws.iter_rows(min_row=2):
        formats.setdefault(row[m - 1].value, set()).add(row[p50 - 1].number_format)
    assert formats["growth"] == {"0.0"} and formats["avg_growth"] == {"0.0"}
    assert formats["level"] == {"#,##0.0"} and formats["cumulative"] == {"#,##0.0"}


def test_summary_shows_the_median_growth_by_year_and_the_target_odds(book, proj):
    ws = book["summary 摘要"]
    header = [c.value for c in ws[1] if c.value is not None]
    assert header[:4] == ["scenario", "indicator", "name 名称", "2026"]
    assert header[-1] == "2026-2030 avg 年均"
    gdp = [r for r in ws.iter_rows(min_row=2, max_row=len(proj.indicators) + 1) if r[1].value == "gdp"][0]
    assert gdp[3].value == pytest.approx(float(proj.draws("gdp")[2026].median()))
    assert gdp[3].number_format == "0.0"
    probabilities = [c for row in ws.iter_rows() for c in row if c.number_format == "0%" and c.value is not None]
    assert len(probabilities) == proj.targets()["probability"].notna().sum()


def test_columns_are_wide_enough_for_the_chinese_names(book):
    ws = book["summary 摘要"]
    longest = max(display_width(c.value) for c in ws["C"][1:] if c.value)
    assert ws.column_dimensions["C"].width >= min(60, longest)


def test_assumptions_sheet_says_the_outlook_sets_each_unstated_year_of_the_baseline(book):
    ws = book["assumptions 假设"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    gdp = {r[4]: r[5] for r in rows if r[1] == "gdp" and r[3] == "growth centre 增速中枢"}
    assert gdp == {"2026": "outlook", "2027": "outlook", "2028": "outlook", "2029": "outlook", "2030": "outlook"}


def test_assumptions_lists_each_year_s_growth_centre_of_the_plan(ds):
    from econsim.scenario.export import assumptions_frame

    frame = assumptions_frame(project(load_scenario("plan"), ds, draws=200, seed=1))
    gdp = frame[(frame["indicator"] == "gdp") & (frame["assumption 假设"] == "growth centre 增速中枢")]
    assert dict(zip(gdp["year"], gdp["value"])) == {"2026": 6, "2027": "model", "2028": "model", "2029": "model",
                                                    "2030": "model"}


def test_a_comparison_puts_every_scenario_on_each_sheet(proj, ds, tmp_path):
    other = project(load_scenario("downside"), ds, draws=200, seed=1)
    wb = load_workbook(write_workbook([proj, other], tmp_path / "c.xlsx"))
    for name in ("summary 摘要", "projection 预测", "targets 目标", "assumptions 假设"):
        scenarios = {r[0].value for r in wb[name].iter_rows(min_row=2)} - {None, "scenario"}
        assert {"baseline", "downside"} <= scenarios, name


def test_run_with_excel_writes_the_workbook_and_lists_it_in_the_manifest(run_cli, tmp_path):
    import json

    code, _, err = run_cli("run", "baseline", "--draws", 100, "--out", tmp_path / "r", "--excel")
    assert code == 0, err
    assert load_workbook(tmp_path / "r" / "results.xlsx").sheetnames == list(SHEETS)
    assert "results.xlsx" in json.loads((tmp_path / "r" / "manifest.json").read_text())["outputs_sha256"]


def test_excel_csv_writes_a_byte_order_mark_and_the_same_figures(run_cli, tmp_path):
    run_cli("run", "baseline", "--draws", 100, "--out", tmp_path / "plain")
    run_cli("run", "baseline", "--draws", 100, "--out", tmp_path / "bom", "--excel-csv")
    plain = (tmp_path / "plain" / "projection.csv").read_bytes()
    bom = (tmp_path / "bom" / "projection.csv").read_bytes()
    assert bom == b"\xef\xbb\xbf" + plain


def test_excel_csv_neutralises_text_that_excel_would_evaluate():
    import pandas as pd

    from econsim.io.excel import csv_for_excel

    text = csv_for_excel(pd.DataFrame({"note": ["=1+1", "-5% revision", "ok"], "value": [-1.5, 2.0, 3.0]}),
                         index=False, lineterminator="\n")
    assert text == "\ufeffnote,value\n'=1+1,-1.5\n'-5% revision,2.0\nok,3.0\n"


def test_compare_with_excel_writes_one_workbook(run_cli, tmp_path):
    code, _, err = run_cli("compare", "baseline", "upside", "--draws", 100, "--out", tmp_path / "c", "--excel")
    assert code == 0, err
    wb = load_workbook(tmp_path / "c" / "comparison.xlsx")
    assert {r[0].value for r in wb["summary 摘要"].iter_rows(min_row=2, max_row=3)} == {"baseline"}
