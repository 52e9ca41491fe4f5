"""Loading and validating observation files, and the :class:`Dataset` that holds them.

An observation file is a tidy CSV or an Excel .xlsx workbook (sheet ``observations``); the columns and
vocabularies of the format are :mod:`econsim.data.schema`.  Every problem in a
file is reported as an :class:`~econsim.errors.InputError` naming the file, the line and the column.
"""
from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import pandas

    from ..periods import AsOf
    from .checks import Finding
    from .reconstruct import Reconstruction

from .. import indicators as _ind
from ..errors import InputError, did_you_mean
from ..io.reading import read_text
from .schema import (BASES, COLUMNS, DEFAULT_FILE, DEFAULT_REGION, MEASURES, OPTIONAL_COLUMNS, OUTLOOK_STATUSES,
                     PARENT_SEPARATOR, PCT_MEASURES, PERIOD_SHAPE, RANGE_STATUSES, REQUIRED_COLUMNS,
                     SOURCE_QUALITIES, STATUSES, STATUS_RANK, _NUMBER_RE, _PERIOD_EXAMPLE, _PERIOD_RE, _PUBLISHED_RE)


def default_path() -> Path:
    """The observations file used when none is given (``./data`` first, then the bundled one)."""
    from ..io import resources

    p = resources.find("data", DEFAULT_FILE)
    if p is None:
        raise InputError("no observations file found; pass --data FILE", path=f"data/{DEFAULT_FILE}")
    return p


# --------------------------------------------------------------------------- reading and validation

def _check_unit(ind: _ind.Indicator, measure: str, unit: str) -> str | None:
    """Why `unit` does not fit `measure` of `ind`, or None when it fits."""
    if measure in PCT_MEASURES:
        return None if unit == "pct" else f"unit '{unit}' does not fit measure '{measure}' (expected 'pct')"
    if _ind.converts_to_registry_unit(unit, ind.key):
        return None
    return f"unit '{unit}' does not fit measure '{measure}' of '{ind.key}' (expected '{ind.unit}')"


def validate_row(row: dict, *, path: str | os.PathLike | None, line: int) -> dict:
    """Check one raw CSV row and return it typed (``value`` as float). Raises InputError."""
    def fail(key, msg):
        raise InputError(msg, path=path, line=line, key=key)

    out = {c: (row.get(c) or "").strip() for c in COLUMNS}
    if not out["region"]:
        fail("region", "region is empty")
    if out["indicator"] not in _ind.INDICATORS:
        fail("indicator", f"unknown indicator '{out['indicator']}'"
             f"{did_you_mean(out['indicator'], _ind.INDICATORS)}; the list: econsim indicators")
    for column, vocabulary in (("measure", MEASURES), ("status", STATUSES), ("basis", BASES)):
        if out[column] not in vocabulary:
            fail(column, f"unknown {column} '{out[column]}'{did_you_mean(out[column], vocabulary)}; "
                 f"expected one of {', '.join(vocabulary)}")
    if out["source_quality"] not in SOURCE_QUALITIES:
        fail("source_quality", f"unknown source_quality '{out['source_quality']}'; expected one of "
             "official, state_media, unverified_copy, derived")
    shape = PERIOD_SHAPE[out["measure"]]
    m = _PERIOD_RE[shape].match(out["period"])
    if not m:
        fail("period", f"bad period '{out['period']}' for measure '{out['measure']}' "
             f"(expected e.g. {_PERIOD_EXAMPLE[shape]})")
    if shape == "range" and int(m.group(1)) >= int(m.group(2)):
        fail("period", f"bad period '{out['period']}': the first year must come before the last")
    # Plain decimal notation only: float() would also take '1_000' or 'infinity'.
    if not _NUMBER_RE.match(out["value"]) and out["value"].lower() not in ("nan", "inf", "-inf", "+inf"):
        fail("value", f"value '{out['value']}' is not a number (write e.g. 99.94 or -3.5)")
    value = float(out["value"])
    if not math.isfinite(value):
        fail("value", f"value '{out['value']}' is not a finite number")
    if out["measure"] in PCT_MEASURES and value <= -100:
        fail("value", f"growth of {value}% is impossible (a level cannot fall by 100% or more)")
    if out["measure"] in ("level", "ytd_level", "cumulative") and out["unit"] != "pct" and value <= 0:
        fail("value", f"a {out['measure']} of {value:g} {out['unit']} is impossible: levels and totals are "
             "positive (a fall is a growth rate)")
    why = _check_unit(_ind.INDICATORS[out["indicator"]], out["measure"], out["unit"])
    if why:
        fail("unit", why)
    if not out["source"]:
        fail("source", "source is empty; every figure needs its source")
    if out["published"] and not _PUBLISHED_RE.match(out["published"]):
        fail("published", f"bad date '{out['published']}' (write YYYY-MM or YYYY-MM-DD, e.g. 2025-12-10)")
    if out["published"] and int(out["published"][:4]) < int(out["period"][:4]) - 10:
        fail("published", f"published {out['published']} is more than ten years before the period "
             f"{out['period']} it describes")
    upper = float("nan")
    if out["value_upper"]:
        if out["status"] not in RANGE_STATUSES:
            fail("value_upper", f"a range (value_upper) is for a target or forecast, not a figure of status "
                 f"'{out['status']}'")
        if not _NUMBER_RE.match(out["value_upper"]):
            fail("value_upper", f"value_upper '{out['value_upper']}' is not a number (write e.g. 5.0)")
        upper = float(out["value_upper"])
        if upper < value:
            fail("value_upper", f"upper bound {upper:g} is below the lower bound (value) {value:g}")
    out["value_upper"] = upper
    chain = parent_chain(out["parent"])
    if out["region"] in chain:
        fail("parent", f"region '{out['region']}' cannot lie inside itself")
    if any(not r for r in chain):
        fail("parent", f"bad parent '{out['parent']}' (a region, or a chain like 'liaoning > china')")
    out["parent"] = f" {PARENT_SEPARATOR} ".join(chain)
    out["value"] = value
    return out


def parent_chain(text: str) -> list[str]:
    """The ancestors written in a ``parent`` cell, nearest first (``'liaoning > china'``)."""
    text = (text or "").strip()
    return [part.strip() for part in text.split(PARENT_SEPARATOR)] if text else []


def _check_parents(df: pandas.DataFrame, path: str | os.PathLike | None) -> None:
    """Every region names at most one parent chain, and no chain leads back to where it started."""
    declared = {}
    for i, (region, parent) in enumerate(zip(df["region"], df["parent"])):
        if not parent:
            continue
        if region in declared and declared[region][0] != parent:
            raise InputError(f"region '{region}' is placed in '{parent}' here but in '{declared[region][0]}' "
                             f"on line {declared[region][1]}; a region has one parent",
                             path=path, line=int(df["_line"].iloc[i]), key="parent")
        declared.setdefault(region, (parent, int(df["_line"].iloc[i])))
    for region in declared:
        try:
            ancestors_of(region, {r: parent_chain(p) for r, (p, _) in declared.items()})
        except ValueError as exc:
            raise InputError(str(exc), path=path, line=declared[region][1], key="parent") from None


def ancestors_of(region: str, chains: dict) -> list[str]:
    """`region`'s ancestors, nearest first, from ``{region: declared chain}``; ValueError on a cycle."""
    out, current = [], region
    while True:
        chain = chains.get(current)
        if not chain:
            return out
        for r in chain:
            if r == region or r in out:
                raise ValueError(f"the parent chain of '{region}' leads back to '{r}' "
                                 f"({' > '.join([region] + out + [r])})")
            out.append(r)
        current = chain[-1]


def known_at(observations: pandas.DataFrame, as_of: str) -> pandas.DataFrame:
    """The observations that were known at the end of month `as_of` (a filtered copy).

    A figure with a ``published`` date is known from that month on.  Without one, its period
    decides: year-to-date figures up to `as_of`; annual figures of earlier years; ranges ending
    before the year of `as_of`; targets and forecasts for years up to that year.  A year-to-date
    figure counts from its own month whatever its publication date (``as_of`` names the latest
    1–N月 release to use, the convention of :mod:`econsim.forecasting.nowcast`).  ``derived`` rows
    are dropped: a computation may have used later data, and is redone from what was known.
    """
    year = int(as_of[:4])
    df = observations[observations["status"] != "derived"]
    period = df["period"].astype(str)
    is_ytd = period.str.fullmatch(r"\d{4}-\d{2}")
    is_year = period.str.fullmatch(r"\d{4}")
    is_range = period.str.fullmatch(r"\d{4}-\d{4}")
    first4 = period.str[:4].astype(int)
    last4 = period.str[-4:].where(is_range, "0").astype(int)
    ahead = df["status"].isin(OUTLOOK_STATUSES)
    by_period = ((is_ytd & (period <= as_of))
                 | (is_year & ((first4 < year) | (ahead & (first4 <= year))))
                 | (is_range & ((last4 < year) | (ahead & (first4 <= year)))))
    if "published" in df:
        published = df["published"].fillna("").astype(str)
    else:  # a frame without the optional column: every figure undated
        published = period.map(lambda _: "")
    dated = (published != "") & ~is_ytd
    keep = (dated & (published.str[:7] <= as_of)) | (~dated & by_period)
    return df[keep].copy()


#: Sheet read from an observations workbook (a workbook with one sheet may name it anything).
SHEET = "observations"


def check_header(header, *, path, line: int = 1) -> list[str]:
    """The header's column names (stripped, BOM removed); InputError listing found and expected ones.

    A missing required column is reported with the headers found, the ones expected and, where a
    found name is the same column in another case or in Chinese (``Region``, ``地区``), which
    English name to use instead.
    """
    from .schema import COLUMN_HELP

    header = [str(h or "").replace("\ufeff", "").strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if not missing:
        return header
    chinese = {zh: col for col, _, zh, *_ in COLUMN_HELP}
    renames = []
    for h in header:
        want = h.lower() if h.lower() in COLUMNS else chinese.get(h)
        if want and want != h:
            renames.append(f"'{h}' → '{want}'")
    hint = f"; rename {', '.join(renames)} (column names are lower-case English)" if renames else ""
    raise InputError(f"missing column '{missing[0]}'{hint}; found: {', '.join(header) or '(nothing)'}; "
                     f"required: {', '.join(REQUIRED_COLUMNS)}; optional: {', '.join(OPTIONAL_COLUMNS)}",
                     path=path, line=line, key=missing[0])


def _csv_rows(path: Path):
    """Header and rows ``(line, raw)`` of an observations CSV."""
    text = read_text(path, what="an observations CSV file", empty_hint="a CSV header and observations")
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = check_header(reader.fieldnames or [], path=path)
        reader.fieldnames = header
        rows = []
        for raw in reader:
            if None in raw:
                raise InputError("row has more fields than the header", path=path, line=reader.line_num)
            rows.append((reader.line_num, raw))
    except csv.Error as exc:
        # the underlying reader's count: DictReader's own is only updated after a row was read
        raise InputError(f"malformed CSV: {exc}", path=path, line=reader.reader.line_num) from None
    return rows


def read_observations(path: str | os.PathLike) -> pandas.DataFrame:
    """Read and validate an observations file: a CSV or an Excel workbook (.xlsx).

    Parameters
    ----------
    path : str or Path
        The CSV file, or a workbook whose sheet ``observations`` (or only sheet) holds the same
        columns (see :mod:`econsim.io.excel` for what a workbook may not contain).

    Returns
    -------
    pandas.DataFrame
        One row per observation with the columns of :data:`COLUMNS`; ``value`` is float.

    Raises
    ------
    InputError
        For a missing, empty or binary file, a missing column, a bad row or a duplicate key; in a
        workbook the message names the sheet, row and cell.
    """
    import pandas as pd

    from ..io.excel import column_letter, is_workbook

    path = Path(path)
    cell = None
    if is_workbook(path):
        from ..io.excel import read_sheet

        where, raw_header, rows = read_sheet(path, sheet=SHEET, what="an observations workbook")
        header = check_header(raw_header, path=where)
        # the rows are keyed by the names as written: key them by the checked ones (a BOM removed)
        names = dict(zip(raw_header, header))
        rows = [(line, {names[k]: v for k, v in raw.items()}) for line, raw in rows]
        letters = {name: column_letter(j) for j, name in enumerate(header)}
        cell = lambda line, key: f" (cell {letters[key]}{line})" if key in letters else ""  # noqa: E731
    else:
        where, rows = path, _csv_rows(path)
    out, first_seen = [], {}
    for line, raw in rows:
        if not any((v or "").strip() for v in raw.values()):
            continue
        try:
            row = validate_row(raw, path=where, line=line)
        except InputError as exc:
            if cell is None:
                raise
            raise InputError(exc.message + cell(line, exc.key), path=where, line=line, key=exc.key) from None
        key = (row["region"], row["indicator"], row["period"], row["measure"], row["status"], row["source"],
               row["published"])
        if key in first_seen:
            raise InputError(f"duplicate observation (same region, indicator, period, measure, status, "
                             f"source and publication date as line {first_seen[key]})", path=where, line=line,
                             key="indicator")
        first_seen[key] = line
        row["_line"] = line
        out.append(row)
    if not out:
        raise InputError("no observations in file (only a header)", path=where, line=2)
    frame = pd.DataFrame(out, columns=list(COLUMNS) + ["_line"])
    _check_parents(frame, where)
    return frame.drop(columns="_line")


# --------------------------------------------------------------------------- the Dataset

@dataclass
class Dataset:
    """The observations of one or more regions, with provenance.

    Attributes
    ----------
    observations : pandas.DataFrame
        Tidy observations (see module docstring); reported figures only unless
        :meth:`with_reconstruction` added derived rows.
    path : Path or None
        The file they came from.
    as_of : str or None
        ``'YYYY-MM'`` when the observations are those known at the end of that month
        (:meth:`as_known_at`); None for everything in the file.

    Notes
    -----
    Derived views (annual tables, reconstructions) are cached on the object, so treat
    ``observations`` as read-only: to change figures, build a new ``Dataset(frame, path)``.
    """

    observations: pandas.DataFrame
    path: Path | None = None
    as_of: str | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # -- selection ------------------------------------------------------------------------
    @property
    def regions(self) -> list[str]:
        """The region keys of the observations, sorted."""
        return sorted(self.observations["region"].unique())

    def select(self, region: str | Iterable[str] | None = None, indicator: str | Iterable[str] | None = None,
               measure: str | Iterable[str] | None = None,
               status: str | Iterable[str] | None = None) -> pandas.DataFrame:
        """Observations matching every given filter (each a value or a list of values; None: any).

        Values keep the units of the file (see :meth:`annual` for the registry units).
        """
        df = self.observations
        for col, want in (("region", region), ("indicator", indicator), ("measure", measure),
                          ("status", status)):
            if want is not None:
                want = [want] if isinstance(want, str) else list(want)
                df = df[df[col].isin(want)]
        return df

    def default_region(self, requested: str | None = None, preferred: str = DEFAULT_REGION) -> str:
        """The region a command works on when the user may not have named one.

        `requested` (checked) when given; else `preferred` (a scenario's region, or the bundled
        zone) when the data hold it; else the only region of a one-region file.

        Raises
        ------
        InputError
            "no observations for region ..." (with the regions the file holds) otherwise.
        """
        if requested:
            return self.require_region(requested)
        regions = self.regions
        if preferred not in regions and len(regions) == 1:
            return regions[0]
        return self.require_region(preferred)

    def require_region(self, region: str) -> str:
        """`region` if the dataset has it; InputError with a hint otherwise."""
        if region not in self.regions:
            raise InputError(f"no observations for region '{region}'{did_you_mean(region, self.regions)}; "
                             f"regions here: {', '.join(self.regions)}", path=self.path, key="region")
        return region

    def annual(self, region: str = DEFAULT_REGION, measure: str = "growth", *,
               targets: bool = False) -> pandas.DataFrame:
        """Wide table of one annual measure: years as rows, indicators as columns.

        Levels are in each indicator's registry unit (``indicators.INDICATORS[key].unit``, e.g. 亿元),
        growth rates in percent.

        Where several rows give the same figure the most authoritative status wins
        (actual, then preliminary, then derived); targets only with ``targets=True`` (a range target
        by its lower bound); outside forecasts never (see :meth:`forecasts`).
        """
        key = ("annual", region, measure, targets)
        if key not in self._cache:
            self._cache[key] = self._annual(region, measure, targets)
        return self._cache[key].copy()

    def _annual(self, region: str, measure: str, targets: bool) -> pandas.DataFrame:
        df = self.select(region=region, measure=measure)
        df = df[df["period"].str.fullmatch(r"\d{4}")]
        df = df[df["status"] == "target"] if targets else df[~df["status"].isin(OUTLOOK_STATUSES)]
        if df.empty:
            import pandas as pd
            return pd.DataFrame()
        df = df.assign(_rank=df["status"].map(STATUS_RANK), year=df["period"].astype(int),
                       value=[_ind.to_registry_unit(v, u, i) for v, u, i in zip(df["value"], df["unit"], df["indicator"])])
        df = df.sort_values(["indicator", "year", "_rank"]).drop_duplicates(["indicator", "year"])
        return df.pivot(index="year", columns="indicator", values="value").sort_index()

    def series(self, indicator: str, region: str = DEFAULT_REGION, measure: str = "growth", *,
               reconstructed: bool = True) -> pandas.Series:
        """One annual series as a ``pandas.Series`` with an annual ``PeriodIndex``.

        Growth in percent, levels in the indicator's registry unit.

        With ``reconstructed=True`` (default) derived values fill the years the sources leave open.
        Reported figures always win over derived ones.  Only the run of consecutive years ending
        at the latest year is returned: models treat a series as evenly spaced, so an isolated
        older figure before a gap (e.g. a 2019 growth rate when 2020 is unknown) is left out.
        Memoised on the Dataset (a report projects several scenarios on one); a copy is returned.
        """
        key = ("series", indicator, region, measure, reconstructed)
        if key not in self._cache:
            self._cache[key] = self._series(indicator, region, measure, reconstructed)
        return self._cache[key].copy()

    def _series(self, indicator, region, measure, reconstructed) -> "pandas.Series":
        import pandas as pd

        ds = self.with_reconstruction(region) if reconstructed else self
        wide = ds.annual(region, measure)
        if indicator not in wide:
            raise InputError(f"no annual {measure} figures for '{indicator}' in region '{region}'",
                             path=self.path, key="indicator")
        s = wide[indicator].dropna()
        years = s.index.to_numpy()
        gaps = [i for i in range(1, len(years)) if years[i] != years[i - 1] + 1]
        if gaps:
            s = s.iloc[gaps[-1]:]
        s.index = pd.PeriodIndex(s.index.astype(str), freq="Y")
        s.name = f"{indicator}:{measure}"
        return s

    def targets(self, region: str = DEFAULT_REGION) -> pandas.DataFrame:
        """The targets of `region` (indicator, period, measure, value, unit, source), units as in the file.

        A range target has its lower bound in ``value`` and its upper bound in ``value_upper``
        (NaN for a single figure).  Where the same target was published more than once, the
        latest publication wins (see :meth:`as_known_at` for what was known when).
        """
        return _latest_vintage(self.select(region=region, status="target")).reset_index(drop=True)

    def forecasts(self, region: str | None = None) -> pandas.DataFrame:
        """Forecasts published by outside institutions (status ``forecast``), latest vintage of each.

        One row per region, indicator, period, measure and source institution is not kept: for
        each region, indicator, period and measure only the most recently published forecast
        remains (rows without a date rank as oldest).  Apply :meth:`as_known_at` first to see
        the forecasts as known at a date.
        """
        return _latest_vintage(self.select(region=region, status="forecast")).reset_index(drop=True)

    # -- regions and vintages -------------------------------------------------------------
    def parents(self) -> dict[str, list[str]]:
        """``{region: declared ancestor chain}`` from the ``parent`` column (nearest first)."""
        if "parents" not in self._cache:
            obs = self.observations
            chains = {}
            for region, parent in zip(obs["region"], obs["parent"]):
                if isinstance(parent, str) and parent and region not in chains:
                    chains[region] = parent_chain(parent)
            self._cache["parents"] = chains
        return dict(self._cache["parents"])

    def parent(self, region: str) -> str | None:
        """The region `region` lies in (``dalian`` for ``dlhitech``), or None when none is declared."""
        chain = self.ancestors(region)
        return chain[0] if chain else None

    def ancestors(self, region: str) -> list[str]:
        """Every region `region` lies in, nearest first (``['dalian', 'liaoning', 'china']``)."""
        return ancestors_of(region, self.parents())

    def as_known_at(self, as_of: AsOf) -> Dataset:
        """The data as known at the end of month `as_of` (``'YYYY-MM'``): a new Dataset.

        Rows published later, outcomes of `as_of`'s year and later years, and derived rows are
        dropped (see :func:`known_at`); e.g. as of ``2025-11`` the IMF's latest 2026 forecast for
        China is 4.2%, as of ``2026-02`` it is 4.5%.

        Raises
        ------
        InputError
            For a malformed `as_of`.
        """
        from ..periods import as_of_text

        as_of = as_of_text(as_of)
        key = ("as_known_at", as_of)
        if key not in self._cache:
            known = known_at(self.observations, as_of).reset_index(drop=True)
            self._cache[key] = Dataset(known, self.path, as_of=as_of)
        return self._cache[key]

    # -- derived figures ------------------------------------------------------------------
    def reconstruct(self, region: str = DEFAULT_REGION) -> Reconstruction:
        """Annual paths 2020–2025 consistent with every reported constraint.

        Returns
        -------
        econsim.data.reconstruct.Reconstruction
            Real growth in percent, nominal levels in the registry unit (status ``derived``).
        """
        key = ("reconstruct", region)
        if key not in self._cache:
            from ..io.cache import cached
            from .reconstruct import reconstruct

            # the same observations and econsim code give the same paths: reuse them across runs
            self._cache[key] = cached("reconstruction", [self.content_hash(), region],
                                      lambda: reconstruct(self, region=region))
        return self._cache[key]

    def content_hash(self) -> str:
        """SHA-256 of the observations (every row and column, in order): what derived results depend on."""
        import hashlib

        if "content_hash" not in self._cache:
            text = self.observations.to_csv(index=False)
            self._cache["content_hash"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return self._cache["content_hash"]

    def with_reconstruction(self, region: str | None = None) -> Dataset:
        """A new Dataset with the derived rows of :meth:`reconstruct` appended (status ``derived``)."""
        import pandas as pd

        from .reconstruct import SOURCE

        # Already reconstructed (a user's file may hold derived rows of its own: those do not count).
        if (self.observations["source"] == SOURCE).any():
            return self
        key = ("with_reconstruction", region)
        if key not in self._cache:
            regions = [region] if region else self.regions
            frames = [self.observations]
            for r in regions:
                rec = self.reconstruct(r)
                if rec is not None and len(rec.paths):
                    frames.append(rec.paths[list(COLUMNS)])
            self._cache[key] = Dataset(pd.concat(frames, ignore_index=True), self.path, as_of=self.as_of)
        return self._cache[key]

    def check(self, region: str | None = None) -> list[Finding]:
        """Consistency findings (list of :class:`econsim.data.checks.Finding`), conflicts first."""
        from .checks import check

        return check(self, region=region)

    # -- display --------------------------------------------------------------------------
    def __repr__(self) -> str:
        return f"Dataset({len(self.observations)} observations, regions={self.regions}, path={self.path})"

    def _repr_html_(self) -> str:
        df = self.observations.copy()
        df["indicator"] = df["indicator"].map(_ind.label)
        head = f"<p><b>econsim Dataset</b>: {len(df)} observations from <code>{self.path}</code></p>"
        return head + df.to_html(index=False, max_rows=60)


def _latest_vintage(df: pandas.DataFrame) -> pandas.DataFrame:
    """One row per region, indicator, period and measure: the latest ``published`` (undated oldest)."""
    if df.empty:
        return df
    order = df.assign(_pub=df["published"].fillna("").astype(str)).sort_values(
        ["region", "indicator", "period", "measure", "_pub"], kind="stable")
    return order.drop_duplicates(["region", "indicator", "period", "measure"], keep="last").drop(columns="_pub")


def load_dataset(path: str | os.PathLike | None = None) -> Dataset:
    """Load and validate an observations file.

    Parameters
    ----------
    path : str or Path, optional
        A CSV file or an Excel workbook (.xlsx) in the observations format. Default: ``./data/observations.csv`` if it
        exists, else the dataset bundled with econsim (the Dalian High-tech Zone and Dalian city).

    Returns
    -------
    Dataset

    Raises
    ------
    InputError
        If the file is missing or malformed (the message names file, line and column).
    """
    p = Path(path) if path is not None else default_path()
    return Dataset(read_observations(p), p)
