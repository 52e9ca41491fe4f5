"""Excel workbooks (.xlsx) in and out, with the checks and escaping a user's spreadsheet needs.

Reading (:func:`read_sheet`) turns one sheet into a header and rows of text, exactly as a CSV
reader would see them, so that the same validation applies to both.  What a CSV cannot hold but a
workbook can is refused with one :class:`~econsim.errors.InputError` naming the file, sheet, row and
column: formulas (their value depends on Excel recalculating), merged cells (a merged header hides
columns), date-formatted values (Excel turns ``2025-09`` into a date) and percent-formatted
numbers (``6%`` is stored as 0.06).

Writing (:func:`write_frame`, :func:`cell_text`) puts user text into cells so that Excel never
evaluates it: openpyxl writes any string starting with ``=`` as a formula, and Excel treats a
leading ``+``, ``-`` or ``@`` (and, after a paste, a tab or carriage return) the same way, so such
strings are stored as plain text with Excel's quote prefix (the apostrophe a user would type).

openpyxl is imported inside the functions, so ``import econsim`` stays fast.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from ..errors import InputError

#: Suffixes read as workbooks.  ``.xls`` (Excel 97–2003) is refused with a hint.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: First characters that make Excel (or a paste into Excel) evaluate a text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- reading

def is_workbook(path) -> bool:
    """Whether `path` names an Excel workbook (by suffix; ``.xls`` counts, to be refused clearly)."""
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES + (".xls",)


def _open(path: Path, what: str):
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if path.is_dir():
        raise InputError(f"is a directory, not {what}", path=path)
    if not path.is_file():
        raise InputError("file not found; check the path", path=path)
    if path.suffix.lower() == ".xls":
        raise InputError("an Excel 97–2003 .xls file; open it in Excel and save it as .xlsx (Excel Workbook)",
                         path=path)
    try:
        # Not read_only: merged-cell ranges are only known to a fully loaded sheet.  data_only=False
        # keeps formulas visible as formulas, so they can be refused rather than read as stale values.
        return load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(f"not a readable .xlsx workbook ({type(exc).__name__}); save it from Excel as "
                         f"'Excel Workbook (.xlsx)'", path=path) from None


def _cell_value_text(cell, where: str, column: str) -> str:
    """The text a CSV would hold for `cell`, or an InputError for what a CSV cannot hold."""
    def fail(msg):
        raise InputError(f"{msg} (cell {cell.coordinate})", path=where, line=cell.row, key=column)

    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and cell.data_type != "s"):
        fail(f"cell holds a formula ({str(value)[:40]}); paste it as a value (Paste Special → Values)")
    if cell.is_date or hasattr(value, "isoformat"):
        fail("cell holds a date; Excel turned the text into a date — format the column as Text and type "
             "the period again (e.g. 2025 or 2025-09)")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            fail(f"cell is formatted as a percentage (stored as {value!r}); write the number of percent "
                 "(6 for 6%) in a cell formatted as General or Number")
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value) if isinstance(value, float) else str(value)
    return str(value)


def read_sheet(path, *, sheet: str, what: str) -> tuple[str, list[str], list[tuple[int, dict]]]:
    """One sheet of a workbook as a header and rows of text, as a CSV reader would give them.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file.
    sheet : str
        Name of the sheet to read.  A workbook with a single sheet may call it anything.
    what : str
        What the file should be, for messages (e.g. ``"an observations workbook"``).

    Returns
    -------
    where : str
        ``"FILE: sheet 'NAME'"``, to name the place in later messages.
    header : list[str]
        The first row's texts (trailing empty cells dropped).
    rows : list of (int, dict)
        Excel row number and ``{column name: text}`` for each non-empty row below the header.

    Raises
    ------
    InputError
        Missing file or sheet, not a workbook, merged cells, formulas, dates, percent-formatted
        numbers; each names the sheet, row and column.
    """
    path = Path(path)
    wb = _open(path, what)
    names = wb.sheetnames
    if sheet in names:
        ws = wb[sheet]
    elif len(names) == 1:
        ws = wb[names[0]]
    else:
        raise InputError(f"no sheet '{sheet}' (sheets here: {', '.join(names)}); name the sheet with the "
                         f"data '{sheet}'", path=path, key="sheet")
    where = f"{path}: sheet '{ws.title}'"
    merged = sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    if merged:
        first = merged[0]
        part = "header cells" if first.min_row == 1 else "cells"
        raise InputError(f"merged {part} {first.coord}; unmerge them (one value per cell, one name per "
                         "column)", path=where, line=first.min_row)
    rows_iter = ws.iter_rows()
    first_row = next(rows_iter, None)
    if first_row is None:
        raise InputError(f"sheet is empty; expected {what}: a header row and one row per figure",
                         path=where, line=1)
    header_cells = list(first_row)
    while header_cells and header_cells[-1].value in (None, ""):
        header_cells.pop()
    header = [_cell_value_text(c, where, f"column {c.column_letter}").strip() for c in header_cells]
    rows = []
    for cells in rows_iter:
        extra = [c for c in cells[len(header):] if c.value not in (None, "")]
        if extra:
            raise InputError(f"value in cell {extra[0].coordinate}, right of the last named column",
                             path=where, line=extra[0].row, key=f"column {extra[0].column_letter}")
        raw = {}
        for name, cell in zip(header, cells):
            raw[name] = _cell_value_text(cell, where, name)
        if any(v.strip() for v in raw.values()):
            rows.append((cells[0].row, raw))
    return where, header, rows


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index (0 → ``A``)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# --------------------------------------------------------------------------- writing

def display_width(text) -> int:
    """Width of `text` in Excel character units: East Asian wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in str(text))


def set_text(cell, text: str) -> None:
    """Put user text into `cell` so that Excel shows it and never evaluates it as a formula."""
    text = str(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def cell_text(text: str) -> str:
    """`text` for a CSV meant for Excel: a leading formula character is preceded by an apostrophe."""
    text = str(text)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def write_frame(ws, frame, *, start_row: int = 1, formats: dict | None = None, row_formats=None,
                freeze: bool = True, max_width: int = 60) -> int:
    """Write a DataFrame (header and rows) into worksheet `ws`; returns the next free row.

    Parameters
    ----------
    ws : openpyxl worksheet
    frame : pandas.DataFrame
        Written without its index.  Strings go through :func:`set_text`; NaN becomes an empty cell.
    start_row : int
        1-based row of the header.
    formats : dict, optional
        Column name -> Excel number format (e.g. ``"0.0"``, ``"#,##0.0"``, ``"0%"``).
    row_formats : callable, optional
        ``(row: pandas.Series, column) -> format or None``; wins over `formats`.
    freeze : bool
        Freeze the header row (when it is the sheet's first table).
    max_width : int
        Widest column, in Excel character units.
    """
    import math

    from openpyxl.styles import Font

    formats = formats or {}
    columns = list(frame.columns)
    bold = Font(bold=True)
    for j, name in enumerate(columns, start=1):
        c = ws.cell(row=start_row, column=j)
        set_text(c, name)
        c.font = bold
    r = start_row
    for r, (_, row) in enumerate(frame.iterrows(), start=start_row + 1):
        for j, name in enumerate(columns, start=1):
            value = row[name]
            c = ws.cell(row=r, column=j)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if isinstance(value, str):
                set_text(c, value)
                continue
            if hasattr(value, "item"):
                value = value.item()
            c.value = value
            fmt = row_formats(row, name) if row_formats else None
            fmt = fmt or formats.get(name)
            if fmt:
                c.number_format = fmt
    if freeze and start_row == 1:
        ws.freeze_panes = ws.cell(row=2, column=1)
        # printed (or rendered to PDF): landscape, all columns on one page width, header on every page
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_title_rows = "1:1"
    fit_columns(ws, max_width=max_width)
    return r + 1


def fit_columns(ws, *, max_width: int = 60) -> None:
    """Set each column's width to its widest cell (Chinese characters count double), within limits."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            v = c.value
            text = f"{v:,.1f}" if isinstance(v, float) else str(v)
            widths[c.column] = max(widths.get(c.column, 0), display_width(text))
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max_width, max(8, w + 2))


def workbook_to_bytes(wb) -> bytes:
    """The .xlsx bytes of an openpyxl workbook (write them with ``io.writing.write_bytes_atomic``)."""
    import io

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_for_excel(frame, **to_csv) -> str:
    """`frame` as CSV text that Excel opens correctly: a UTF-8 byte-order mark first (so Excel on
    Windows reads Chinese as UTF-8) and text cells neutralised with :func:`cell_text`.

    `to_csv` is passed to ``DataFrame.to_csv`` (e.g. ``index=False``, ``float_format``).
    """
    text_columns = [c for c in frame.columns if frame[c].dtype.kind not in "biufcmM"]  # not numbers or dates
    safe = frame.copy()
    for c in text_columns:
        safe[c] = safe[c].map(lambda v: cell_text(v) if isinstance(v, str) else v)
    return "\ufeff" + safe.to_csv(**to_csv)
