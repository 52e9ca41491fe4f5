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


class HoldsObservations(Protocol):
    """Anything holding tidy observations with the columns of :data:`COLUMNS` (an ``econsim`` Dataset)."""

    @property
    def observations(self) -> pandas.DataFrame: ...
