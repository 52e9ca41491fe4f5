"""Observations from Excel: the same Dataset as the CSV, and one clear error for what a CSV cannot hold."""
import csv
import datetime

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from econsim.data.dataset import load_dataset, read_observations
from econsim.data.schema import COLUMNS, REQUIRED_COLUMNS
from econsim.data.template import EXAMPLES, write_template
from econsim.errors import InputError
from econsim.io.resources import find

HEADER = list(REQUIRED_COLUMNS)
ROW = ["dlhitech", "gdp", "2025", "growth", 6, "pct", "actual", "comparable", "work_report_2026", "一(一)"]


def workbook(tmp_path, rows, header=HEADER, sheet="observations", name="obs.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


def test_an_xlsx_twin_of_the_bundled_csv_gives_the_same_dataset(tmp_path):
    src = find("data", "observations.csv")
    with open(src, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    wb = Workbook()
    ws = wb.active
    ws.title = "observations"
    ws.append(list(COLUMNS))
    for r in rows:  # as an economist would type them: values as numbers, everything else as text
        ws.append([float(r[c]) if c == "value" else (r[c] or None) for c in COLUMNS])
    path = tmp_path / "twin.xlsx"
    wb.save(path)
    from_csv, from_xlsx = load_dataset(src), load_dataset(path)
    assert len(from_xlsx.observations) == len(rows)
    pd.testing.assert_frame_equal(from_xlsx.observations, from_csv.observations)


def test_a_workbook_with_one_sheet_may_name_it_anything(tmp_path):
    path = workbook(tmp_path, [ROW], sheet="Sheet1")
    assert read_observations(path)["value"].tolist() == [6.0]


def test_a_missing_observations_sheet_is_named_with_the_sheets_found(tmp_path):
    path = workbook(tmp_path, [ROW], sheet="Sheet1")
    wb = load_workbook(path)
    wb.create_sheet("Sheet2")
    wb.save(path)
    with pytest.raises(InputError, match=r"no sheet 'observations' \(sheets here: Sheet1, Sheet2\)"):
        read_observations(path)


def test_merged_header_cells_are_refused_with_their_range(tmp_path):
    path = workbook(tmp_path, [ROW])
    wb = load_workbook(path)
    wb["observations"].merge_cells("I1:J1")
    wb.save(path)
    with pytest.raises(InputError, match="merged header cells I1:J1") as exc:
        read_observations(path)
    assert "sheet 'observations'" in str(exc.value)


def test_a_formula_cell_is_refused_naming_row_column_and_cell(tmp_path):
    path = workbook(tmp_path, [ROW[:4] + ["=3+3"] + ROW[5:]])
    with pytest.raises(InputError) as exc:
        read_observations(path)
    msg = str(exc.value)
    assert "sheet 'observations'" in msg and "line 2" in msg and "key 'value'" in msg
    assert "formula (=3+3)" in msg and "cell E2" in msg


def test_a_date_formatted_period_is_refused(tmp_path):
    path = workbook(tmp_path, [ROW[:2] + [datetime.datetime(2025, 9, 1)] + ROW[3:]])
    with pytest.raises(InputError, match=r"key 'period': cell holds a date.*\(cell C2\)"):
        read_observations(path)


def test_a_percent_formatted_value_is_refused_because_it_is_stored_as_a_fraction(tmp_path):
    path = workbook(tmp_path, [ROW[:4] + [0.06] + ROW[5:]])
    wb = load_workbook(path)
    wb["observations"]["E2"].number_format = "0%"
    wb.save(path)
    with pytest.raises(InputError, match=r"stored as 0\.06\); write the number of percent"):
        read_observations(path)


def test_a_bad_value_in_a_workbook_names_sheet_row_and_cell(tmp_path):
    path = workbook(tmp_path, [ROW, ["dlhitech", "gpd"] + ROW[2:]])
    with pytest.raises(InputError) as exc:
        read_observations(path)
    assert str(exc.value) == (f"{path}: sheet 'observations': line 3: key 'indicator': unknown indicator 'gpd' "
                              "(did you mean 'gdp'?); the list: econsim indicators (cell B3)")


@pytest.mark.parametrize("name,content,message", [
    ("old.xls", b"\xd0\xcf\x11\xe0 not really", "save it as .xlsx"),
    ("fake.xlsx", b"region,indicator\n", "not a readable .xlsx workbook"),
])
def test_a_file_that_is_not_an_xlsx_workbook_gets_a_hint(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_observations(path)


def test_bad_workbooks_are_one_line_and_exit_2_on_the_command_line(tmp_path, run_cli):
    path = workbook(tmp_path, [ROW[:4] + ["=SUM(1,2)"] + ROW[5:]])
    code, out, err = run_cli("data", "--data", path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"econsim: error: {path}: sheet 'observations': line 2")


# --------------------------------------------------------------------------- the template

def test_every_example_row_of_the_template_is_accepted(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    obs = read_observations(path)
    assert sorted(obs["measure"]) == sorted(m for _, _, m, *_ in EXAMPLES)
    assert obs["period"].tolist()[:3] == ["2025", "2025", "2025-09"]


def test_the_template_has_drop_down_lists_for_the_vocabulary_columns(tmp_path):
    ws = load_workbook(write_template(tmp_path / "t.xlsx"))["observations"]
    targets = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    # indicator B, measure D, unit F, status G, basis H
    assert set(targets) == {"B2:B2000", "D2:D2000", "F2:F2000", "G2:G2000", "H2:H2000"}
    assert targets["D2:D2000"] == "lists!$B$2:$B$8"  # the seven measures


def test_the_template_explains_every_column_in_chinese_and_english(tmp_path):
    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    rows = list(wb["columns 说明"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == list(COLUMNS)
    region = rows[0]
    assert region[1] == "required 必填" and region[2] == "地区" and "region key" in region[4]
    assert rows[-1][1] == "optional 可选"


def test_the_template_period_column_is_formatted_as_text(tmp_path):
    ws = load_workbook(write_template(tmp_path / "t.xlsx"))["observations"]
    assert ws["C2"].number_format == "@" and ws["C500"].number_format == "@"


def test_data_template_refuses_a_name_that_is_not_xlsx(tmp_path, run_cli):
    code, _, err = run_cli("data", "--template", tmp_path / "t.csv")
    assert code == 2 and "ending in .xlsx" in err


# --------------------------------------------------------------------------- headers

def test_chinese_headers_get_the_headers_found_and_the_english_names(obs_file):
    path = obs_file("dlhitech,gdp,2025,growth,6,pct,actual,comparable,wr,一",
                    header="地区,指标,时期,口径,数值,单位,状态,价格口径,来源,位置")
    with pytest.raises(InputError) as exc:
        read_observations(path)
    msg = str(exc.value)
    assert "missing column 'region'" in msg and "'地区' → 'region'" in msg and "'位置' → 'locator'" in msg
    assert "found: 地区, 指标, 时期" in msg and "required: region, indicator, period" in msg


def test_capitalised_headers_are_named_with_their_lower_case_form(obs_file):
    path = obs_file("dlhitech,gdp,2025,growth,6,pct,actual,comparable,wr,一",
                    header="Region,Indicator,Period,Measure,Value,Unit,Status,Basis,Source,Locator")
    with pytest.raises(InputError, match="rename 'Region' → 'region', 'Indicator' → 'indicator'"):
        read_observations(path)


def test_a_csv_saved_by_excel_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeff".encode() + (",".join(HEADER) + "\n" + ",".join(map(str, ROW)) + "\n").encode())
    assert read_observations(path)["region"].tolist() == ["dlhitech"]


def test_a_header_cell_pasted_with_a_byte_order_mark_is_read_by_its_name(tmp_path):
    path = workbook(tmp_path, [ROW], header=["\ufeffregion"] + HEADER[1:])
    assert read_observations(path)["region"].tolist() == ["dlhitech"]


def test_a_workbook_missing_a_column_names_the_sheet(tmp_path):
    path = workbook(tmp_path, [ROW[:-1]], header=HEADER[:-1])
    with pytest.raises(InputError) as exc:
        read_observations(path)
    assert (exc.value.path, exc.value.line, exc.value.key) == (f"{path}: sheet 'observations'", 1, "locator")
