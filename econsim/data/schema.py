"""Observation files: loading, validation and the `Dataset` object.

An observation file is a tidy CSV, one row per figure, with the columns

``region, indicator, period, measure, value, unit, status, basis, source, locator``

and optionally ``source_quality``, ``note``, ``published``, ``value_upper`` and ``parent``.  The
vocabulary is a contract:

* ``period``: ``2025`` (a year), ``2025-09`` (year to date, 1–9月), ``2021-2025`` (a multi-year period);
* ``measure``: ``level``, ``growth`` (percent, year on year), ``ytd_level``, ``ytd_growth``,
  ``avg_growth`` (geometric average annual growth over a period), ``cumulative`` (sum over a
  period), ``avg_increase`` (average yearly increase over a period);
* ``status``: ``actual``, ``preliminary``, ``target``, ``forecast`` (published by an outside institution,
  e.g. the IMF: never an outcome, never a target), ``derived``;
* ``published``: when the figure became public, ``YYYY-MM`` or ``YYYY-MM-DD`` (empty: not known);
  :meth:`Dataset.as_known_at` uses it;
* ``value_upper``: the upper bound of a range (a target of 4.5–5%: ``value`` 4.5, ``value_upper`` 5),
  targets and forecasts only; empty for a single figure;
* ``parent``: the region this row's region lies in (``dalian`` for the zone), or its chain of
  ancestors nearest first (``liaoning > china``); every row of a region that names one names the same;
* ``basis``: ``comparable`` (可比价), ``nominal`` (现价), ``unknown``.

Every problem in a file is reported as an :class:`~econsim.errors.InputError` naming the file,
the line and the column.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas


REQUIRED_COLUMNS = ("region", "indicator", "period", "measure", "value", "unit", "status", "basis",
                    "source", "locator")
OPTIONAL_COLUMNS = ("source_quality", "note", "published", "value_upper", "parent")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

MEASURES = ("level", "growth", "ytd_level", "ytd_growth", "avg_growth", "cumulative", "avg_increase")
STATUSES = ("actual", "preliminary", "target", "forecast", "derived")
#: Statuses of reported figures, the evidence checks and reconstructions rest on (targets are aims,
#: forecasts are outside institutions' expectations, derived figures are econsim's own).
REPORTED_STATUSES = ("actual", "preliminary")
#: Statuses that say where a figure is going, not where it is: never mixed with outcomes.
OUTLOOK_STATUSES = ("target", "forecast")
#: Statuses that may carry ``value_upper`` (a range).
RANGE_STATUSES = OUTLOOK_STATUSES
#: Separator of an ancestor chain in the ``parent`` column (``liaoning > china``).
PARENT_SEPARATOR = ">"
_PUBLISHED_RE = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
BASES = ("comparable", "nominal", "unknown")
SOURCE_QUALITIES = ("official", "state_media", "unverified_copy", "derived", "")

#: Measures that are percentages, and the period shape each measure takes.
PCT_MEASURES = {"growth", "ytd_growth", "avg_growth"}
PERIOD_SHAPE = {
    "level": "year", "growth": "year",
    "ytd_level": "ytd", "ytd_growth": "ytd",
    "avg_growth": "range", "cumulative": "range", "avg_increase": "range",
}
_PERIOD_RE = {
    "year": re.compile(r"^(19|20)\d\d$"),
    "ytd": re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$"),
    "range": re.compile(r"^((?:19|20)\d\d)-((?:19|20)\d\d)$"),
}
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_PERIOD_EXAMPLE = {"year": "2025", "ytd": "2025-09 (1–9月)", "range": "2021-2025"}

#: Preference when several statuses report the same figure (lower wins).
STATUS_RANK = {"actual": 0, "preliminary": 1, "derived": 2, "target": 3, "forecast": 4}
#: Preference between sources of the same figure and status (lower wins); see :func:`quality_rank`.
QUALITY_RANK = {"official": 0, "state_media": 1, "": 2, "unverified_copy": 3, "derived": 4}


def quality_rank(quality: str | None) -> int:
    """Rank of a ``source_quality`` in :data:`QUALITY_RANK`; an unstated or unknown one ranks as ``""``."""
    return QUALITY_RANK.get(quality or "", QUALITY_RANK[""])

DEFAULT_FILE = "observations.csv"
DEFAULT_REGION = "dlhitech"

#: Each column of an observations file: (column, required, Chinese name, Chinese description,
#: English description, example).  The template workbook's explanation sheet, the header check's
#: hints and data/README.md say the same.
COLUMN_HELP = (
    ("region", True, "地区", "地区代码（小写英文，如 dlhitech、dalian）", "region key (lower-case, e.g. dlhitech, dalian)",
     "dlhitech"),
    ("indicator", True, "指标", "指标代码，见 econsim indicators", "indicator key; the list: econsim indicators",
     "gdp"),
    ("period", True, "时期", "年份 2025；年初至今 2025-09（1–9月）；多年 2021-2025（设为文本格式）",
     "a year 2025; year to date 2025-09 (Jan–Sep); several years 2021-2025 (format as Text)", "2025"),
    ("measure", True, "口径", "level 总量、growth 增速(%)、ytd_level 累计值、ytd_growth 累计增速、avg_growth "
     "年均增速、cumulative 累计、avg_increase 年均增量",
     "level, growth (% y/y), ytd_level, ytd_growth, avg_growth, cumulative, avg_increase", "growth"),
    ("value", True, "数值", "数字，不带单位或百分号（增长6%写 6）", "a plain number, no unit or % sign (6 for 6%)",
     "6"),
    ("unit", True, "单位", "pct（百分比）或指标的单位，如 CNY_100m（亿元）", "pct for percentages, else the "
     "indicator's unit, e.g. CNY_100m (100 million yuan)", "pct"),
    ("status", True, "状态", "actual 实际、preliminary 初步/预计、target 目标、forecast 外部机构预测、derived 推算",
     "actual, preliminary, target, forecast (published by an outside institution) or derived", "actual"),
    ("basis", True, "价格口径", "comparable 可比价、nominal 现价、unknown 未说明",
     "comparable (real), nominal (current prices) or unknown", "comparable"),
    ("source", True, "来源", "出处（文件名或网址），不能为空", "where the figure comes from (document or URL); "
     "never empty", "work_report_2026"),
    ("locator", True, "位置", "出处中的位置（章节、表、页）", "where in the source (section, table, page)",
     "一(一)"),
    ("source_quality", False, "来源质量", "可选：official、state_media、unverified_copy、derived",
     "optional: official, state_media, unverified_copy or derived", "official"),
    ("note", False, "备注", "可选：说明", "optional: any remark", ""),
    ("published", False, "发布日期", "可选：公开发布的时间 YYYY-MM 或 YYYY-MM-DD（设为文本格式）",
     "optional: when the figure became public, YYYY-MM or YYYY-MM-DD (format as Text)", ""),
    ("value_upper", False, "上限", "可选：区间的上限（仅目标和预测），如 4.5%—5% 写数值 4.5、上限 5",
     "optional: upper bound of a range (targets and forecasts only), e.g. value 4.5 and value_upper 5 for 4.5–5%",
     ""),
    ("parent", False, "上级地区", "可选：本地区所在的上级地区代码，如 dalian；多级写 liaoning > china",
     "optional: the region this region lies in, e.g. dalian; a chain nearest first as liaoning > china", ""),
)


class HoldsObservations(Protocol):
    """Anything holding tidy observations with the columns of :data:`COLUMNS` (an ``econsim`` Dataset)."""

    @property
    def observations(self) -> pandas.DataFrame: ...
