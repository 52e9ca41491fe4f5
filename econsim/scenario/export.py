"""Projections as one Excel workbook, for economists who pass figures on in Excel.

:func:`write_workbook` (also ``Projection.to_excel`` and ``econsim run/compare --excel``) writes

* ``summary 摘要`` — the outlook: median growth by indicator and year (%, one decimal) and the
  horizon's average, then every target with the probability of meeting it as a percentage;
* ``projection 预测`` — the full ``Projection.to_frame()`` table (growth with one decimal, levels
  with thousands separators);
* ``targets 目标`` — ``Projection.targets()`` with probabilities as percentages;
* ``assumptions 假设`` — what each scenario assumes, one row per indicator, assumption and year;
* ``provenance 来源`` — scenario files and hashes, data file, seed, draws, versions and notes.

Every sheet has a frozen, bold header row and columns wide enough for Chinese names.  Names,
titles and notes are user text: they are written as text and never evaluated as formulas
(:func:`econsim.io.excel.set_text`).  Several projections (``compare``) share each sheet, with a
``scenario`` column first.
"""
from __future__ import annotations

from pathlib import Path

from .. import indicators as _ind

GROWTH_FORMAT = "0.0"
LEVEL_FORMAT = "#,##0.0"
PERCENT_FORMAT = "0%"
GROWTH_MEASURES = ("growth", "avg_growth", "ytd_growth")
SHEETS = ("summary 摘要", "projection 预测", "targets 目标", "assumptions 假设", "provenance 来源")


def _as_list(projections) -> list:
    # duck-typed: Projection.to_excel imports this module, so this module does not import projection
    return [projections] if hasattr(projections, "to_frame") else list(projections)


def _value_format(row, column) -> str | None:
    """One decimal for growth rows, thousands separators for level rows."""
    if column in ("year", "seed", "draws"):
        return None
    return GROWTH_FORMAT if row.get("measure") in GROWTH_MEASURES else LEVEL_FORMAT


def outlook_frame(projections):
    """Median growth (%) by scenario, indicator and year, with the horizon's average growth."""
    import pandas as pd

    frames = []
    for p in _as_list(projections):
        f = p.to_frame()
        f = f[f["measure"].isin(["growth", "avg_growth"])]
        wide = f.pivot(index="indicator", columns="year", values="p50").reindex(p.indicators)
        # years in order, then the horizon's average (a plain sort would put "2026-2030" after "2026")
        wide = wide.reindex(columns=[str(y) for y in p.years] + [p.period_label])
        wide.columns = [str(y) for y in p.years] + [f"{p.period_label} avg 年均"]
        wide.insert(0, "name 名称", [_ind.label(k) for k in wide.index])
        wide.insert(0, "indicator", wide.index)
        wide.insert(0, "scenario", p.scenario.name)
        frames.append(wide.reset_index(drop=True))
    return pd.concat(frames, ignore_index=True)


def targets_frame(projections):
    """Every projection's target table, with a scenario column first."""
    import pandas as pd

    frames = [p.targets().assign(scenario=p.scenario.name) for p in _as_list(projections)]
    frame = pd.concat(frames, ignore_index=True)
    return frame[["scenario"] + [c for c in frame.columns if c != "scenario"]]


def assumptions_frame(projections):
    """What each scenario assumes: one row per scenario, indicator, assumption and year."""
    import pandas as pd

    rows = []
    for p in _as_list(projections):
        sc = p.scenario

        def add(key, what, year, value, unit):
            rows.append({"scenario": sc.name, "indicator": key, "name 名称": _ind.label(key),
                         "assumption 假设": what, "year": year, "value": value, "unit": unit})

        for key, spec in sc.indicators.items():
            # a year without a number follows the forecaster, or in an outlook scenario the outlook
            unstated = "outlook" if sc.outlook and not spec.links else "model"
            for year in sc.years:
                centre = spec.growth.get(year, unstated)
                add(key, "growth centre 增速中枢", str(year), centre, "pct")
            for year, (measure, value) in sorted(spec.overrides.items()):
                add(key, f"override {measure}", str(year), value,
                    "pct" if measure == "growth" else _ind.INDICATORS[key].unit)
            for year, value in sorted(spec.add_factors.items()):
                add(key, "add factor 调整", str(year), value, "pp")
            for year, value in sorted(spec.price.items()):
                add(key, "price change 价格变化", str(year), value, "pct")
            for shock in spec.shocks:
                add(key, f"shock 冲击 (persistence {shock.get('persistence', 0):g})", str(shock["start"]),
                    shock["size"], "pp")
            for link in spec.links:
                add(key, f"link to {link['driver']}: a + b·growth", "", f"a={link.get('a', 0):g}, "
                    f"b={link.get('b', 0):g}, noise_sd={link.get('noise_sd', 0):g}", "")
            add(key, "uncertainty (spread scale)", "", spec.uncertainty, "×")
            if spec.sd is not None:
                add(key, "sd 标准差", "", spec.sd, "pp")
            if spec.base_level is not None:
                add(key, "base level 基期水平", str(sc.years[0] - 1), spec.base_level, _ind.INDICATORS[key].unit)
    return pd.DataFrame(rows, columns=["scenario", "indicator", "name 名称", "assumption 假设", "year", "value",
                                       "unit"])


def provenance_frame(projections, dataset=None):
    """Where the figures come from: one row per item (``item``, ``value``)."""
    import pandas as pd

    from .._version import __version__
    from ..io.manifest import package_versions, sha256_file

    rows = [("econsim", __version__)]
    if dataset is not None and dataset.path is not None:
        rows += [("data file 数据文件", str(Path(dataset.path).resolve())),
                 ("data sha256", sha256_file(dataset.path))]
    for p in _as_list(projections):
        sc = p.scenario
        rows += [("scenario 情景", sc.name), ("title 标题", sc.title), ("description 说明", sc.description),
                 ("region 地区", p.region), ("years 年份", p.period_label), ("draws 模拟次数", str(p.draws_count)),
                 ("seed 随机种子", str(p.seed)), ("as of 截至", p.as_of or "")]
        rows += [("scenario file sha256", f"{path}: {digest}") for path, digest in sc.file_hashes().items()]
        rows += [("note 注", n) for n in p.notes]
    rows += [(f"version {name}", str(v)) for name, v in package_versions().items()]
    rows.append(("status", "derived: every projected figure is computed by econsim, not reported"))
    return pd.DataFrame(rows, columns=["item 项目", "value 内容"])


def build_workbook(projections, dataset=None):
    """The results workbook as an ``openpyxl.Workbook`` (see the module docstring for its sheets)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..io.excel import set_text, write_frame

    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS[0]
    outlook = outlook_frame(projections)
    next_row = write_frame(ws, outlook, formats={c: GROWTH_FORMAT for c in outlook.columns[3:]})
    tg = targets_frame(projections)
    view = tg[["scenario", "indicator", "name", "year", "measure", "target", "unit", "probability",
               "required_growth", "projected_p50", "note"]]
    write_frame(ws, view, start_row=next_row + 2, formats={"probability": PERCENT_FORMAT,
                                                          "required_growth": GROWTH_FORMAT},
                row_formats=lambda row, col: _value_format(row, col) if col in ("target", "projected_p50")
                else None)
    # the caption is written after the widths were fitted, so that it spills over instead of widening column A
    caption = ws.cell(row=next_row + 1, column=1)
    set_text(caption, "Targets 目标: probability of meeting each target (P) and the growth it requires")
    caption.font = Font(bold=True)

    import pandas as pd

    frame = pd.concat([p.to_frame() for p in _as_list(projections)], ignore_index=True)
    write_frame(wb.create_sheet(SHEETS[1]), frame,
                row_formats=lambda row, col: _value_format(row, col) if col == "mean" or col.startswith("p")
                else None)
    write_frame(wb.create_sheet(SHEETS[2]), tg, formats={"probability": PERCENT_FORMAT,
                                                       "required_growth": GROWTH_FORMAT},
                row_formats=lambda row, col: _value_format(row, col) if col in ("target", "projected_p50")
                else None)
    write_frame(wb.create_sheet(SHEETS[3]), assumptions_frame(projections))
    write_frame(wb.create_sheet(SHEETS[4]), provenance_frame(projections, dataset), max_width=100)
    return wb


def workbook_bytes(projections, dataset=None) -> bytes:
    """The results workbook as .xlsx bytes."""
    from ..io.excel import workbook_to_bytes

    return workbook_to_bytes(build_workbook(projections, dataset))


def write_workbook(projections, path, dataset=None) -> Path:
    """Write one or several projections as an Excel workbook (atomically).

    Parameters
    ----------
    projections : Projection or list of Projection
        Several projections (a comparison) share each sheet, with a ``scenario`` column.
    path : str or Path
        Target ``.xlsx`` file.
    dataset : Dataset, optional
        Named, with its sha256, on the provenance sheet.

    Returns
    -------
    Path
    """
    from ..io.writing import write_bytes_atomic

    return write_bytes_atomic(path, workbook_bytes(projections, dataset))
