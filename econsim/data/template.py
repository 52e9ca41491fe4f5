"""The template workbook an economist fills in: ``econsim data --template FILE.xlsx``.

Sheets:

* ``observations`` — the columns of an observations file, one example row per measure (each a row
  that :func:`econsim.data.dataset.read_observations` accepts), drop-down lists (Excel data
  validation) for indicator, measure, unit, status and basis, and the period column formatted as
  text so that Excel does not turn ``2025-09`` into a date;
* ``columns 说明`` — each column in Chinese and English: required or optional, meaning, example;
* ``indicators 指标`` — the indicator vocabulary (key, Chinese and English name, unit);
* ``lists`` (hidden) — the allowed values the drop-down lists point to.
"""
from __future__ import annotations

import math
from pathlib import Path

from .. import indicators as _ind
from .schema import BASES, COLUMN_HELP, COLUMNS, MEASURES, STATUSES

#: One example row per measure: (indicator, period, measure, value, unit, status, basis).
EXAMPLES = (
    ("gdp", "2025", "level", 1234.5, "CNY_100m", "actual", "nominal"),
    ("gdp", "2025", "growth", 6.0, "pct", "actual", "comparable"),
    ("industrial_va", "2025-09", "ytd_level", 25.3, "CNY_100m", "preliminary", "nominal"),
    ("industrial_va", "2025-09", "ytd_growth", 8.1, "pct", "preliminary", "comparable"),
    ("gdp", "2021-2025", "avg_growth", 6.5, "pct", "actual", "comparable"),
    ("fixed_investment", "2021-2025", "cumulative", 597.0, "CNY_100m", "actual", "nominal"),
    ("fixed_investment", "2021-2025", "avg_increase", 24.9, "CNY_100m", "actual", "nominal"),
)
#: Rows of the observations sheet that get the drop-down lists and the text format.
TEMPLATE_ROWS = 2000


def units() -> list[str]:
    """Every unit an observations file may use: ``pct``, the registry units and convertible ones."""
    found = {"pct"} | {i.unit for i in _ind.INDICATORS.values()} | {a for a, _ in _ind.UNIT_FACTORS}
    return sorted(found)


def write_template(path) -> Path:
    """Write the template workbook to `path` (atomically).

    Parameters
    ----------
    path : str or Path
        Target ``.xlsx`` file.

    Returns
    -------
    Path
    """
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..io.excel import column_letter, display_width, workbook_to_bytes, write_frame
    from ..io.writing import write_bytes_atomic

    wb = Workbook()
    ws = wb.active
    ws.title = "observations"
    rows = [{"region": "my_region", "indicator": ind, "period": period, "measure": measure, "value": value,
             "unit": unit, "status": status, "basis": basis, "source": "statistical_bulletin_2025",
             "locator": "表1 Table 1", "source_quality": "official",
             "note": "example row: replace or delete 示例行：请替换或删除"}
            for ind, period, measure, value, unit, status, basis in EXAMPLES]
    write_frame(ws, pd.DataFrame(rows, columns=list(COLUMNS)))

    lists = wb.create_sheet("lists")
    vocab = {"indicator": list(_ind.INDICATORS), "measure": list(MEASURES), "unit": units(),
             "status": list(STATUSES), "basis": list(BASES)}
    for j, (column, values) in enumerate(vocab.items()):
        letter = column_letter(j)
        lists.cell(row=1, column=j + 1, value=column)
        for i, v in enumerate(values, start=2):
            lists.cell(row=i, column=j + 1, value=v)
        dv = DataValidation(type="list", formula1=f"lists!${letter}$2:${letter}${len(values) + 1}",
                            allow_blank=True, showErrorMessage=True, errorTitle=f"{column}",
                            error=f"Choose a {column} from the list 请从列表中选择")
        target = column_letter(COLUMNS.index(column))
        dv.add(f"{target}2:{target}{TEMPLATE_ROWS}")
        ws.add_data_validation(dv)
    lists.sheet_state = "hidden"
    period = column_letter(COLUMNS.index("period"))
    for r in range(2, TEMPLATE_ROWS + 1):
        ws[f"{period}{r}"].number_format = "@"

    help_ws = wb.create_sheet("columns 说明")
    help_frame = pd.DataFrame(
        [{"column 列": col, "required 必填": "required 必填" if req else "optional 可选", "名称": zh,
          "说明": zh_text, "meaning": en_text, "example 示例": example}
         for col, req, zh, zh_text, en_text, example in COLUMN_HELP])
    write_frame(help_ws, help_frame, max_width=70)
    for row in help_ws.iter_rows(min_row=2):
        lines = 1
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            width = help_ws.column_dimensions[c.column_letter].width or 10
            lines = max(lines, math.ceil(display_width(c.value or "") / max(1.0, width - 2)))
        # spreadsheet programs do not grow rows for wrapped text written by a library: set the height
        help_ws.row_dimensions[row[0].row].height = 15 * lines

    ind_ws = wb.create_sheet("indicators 指标")
    write_frame(ind_ws, pd.DataFrame([{"indicator": i.key, "名称": i.name_zh, "name": i.name_en,
                                       "unit 单位": i.unit, "growth basis 增速口径": i.growth_basis}
                                      for i in _ind.INDICATORS.values()]))
    wb.move_sheet("lists", offset=len(wb.sheetnames))
    return write_bytes_atomic(path, workbook_to_bytes(wb))
