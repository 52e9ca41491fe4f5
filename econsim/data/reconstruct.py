"""Reconstruction of annual paths 2020–2025 from the figures a region reports.

A work report rarely gives a clean annual series.  It gives a level here (固投完成99.94亿元),
a growth rate there (增长6%), a period average (年均增长11.1%), a five-year total
(累计完成投资597亿元) and an average yearly increase (平均每年增长24.9亿元).  This module
finds, for each indicator of a region, the annual path that meets every one of those
reported constraints exactly and is otherwise as smooth as possible:

* unknowns are log nominal levels ``x_t`` (现价) and log real growth factors
  ``q_t = log(1 + g_t/100)`` (可比价), each over the years the constraints touch;
* the objective is the sum of squared year-to-year changes of growth rates (real growth,
  the implied deflator, or nominal growth where there is no real series), i.e. squared
  second differences of log levels;
* every reported figure is an equality constraint, solved with SciPy's SLSQP.

When the constraints cannot all hold (they conflict), the most authoritative ones are kept
as equalities (actual before preliminary; single-year levels, then growth rates, then period
averages, cumulative sums and average increases), each constraint that would make them
infeasible is *relaxed*: it moves into the objective as a squared relative violation, is
reported in :attr:`Reconstruction.conflicts` with its numbers, and stays in
:attr:`Reconstruction.constraints` with its residual.  Nothing is dropped silently.

Everything produced here has status ``derived``: it is computed by econsim, never reported.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import indicators as _ind
from .schema import REPORTED_STATUSES, STATUS_RANK, HoldsObservations, quality_rank

if TYPE_CHECKING:
    import pandas

FIRST_YEAR, LAST_YEAR = 2020, 2025
#: Years before FIRST_YEAR whose figures still inform the path (2019 as context).
CONTEXT_YEARS = 1
SOURCE = "econsim reconstruction"
USED_MEASURES = ("level", "growth", "avg_growth", "cumulative", "avg_increase")

#: Which constraint is kept when constraints conflict: lower sorts first (kept first), after the
#: status (:data:`~econsim.data.schema.STATUS_RANK`) and before the source's quality.
_MEASURE_PRIORITY = {"level": 0, "growth": 1, "avg_growth": 2, "cumulative": 3, "avg_increase": 4}

#: Residuals (in log or relative units) below this count as "met".
_TOL = 1e-7
#: Weight of a relaxed constraint's squared relative violation against the smoothness terms:
#: a 10% miss costs as much as a 10-point jump in a growth rate.
_RELAXED_WEIGHT = 1.0

#: Level units whose yearly figures are not a smooth economic flow, so no path is interpolated.
_NOT_SMOOTH_UNITS = {"pct": "shares (percent levels) are not reconstructed",
                     "firms": "counts of firms are not interpolated (a smooth path would split firms)",
                     "persons": "counts of persons are not interpolated"}


def fmt(value: float) -> str:
    """A figure as a reader writes it: up to two decimals, no trailing zeros (``99.94``, ``6``)."""
    if value is None or not math.isfinite(value):
        return "n/a"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")  # "6.00" -> "6", "0.00" -> "0", "-0.00" -> "-0"
    return "0" if text == "-0" else text


# --------------------------------------------------------------------------- constraints

@dataclass
class _Constraint:
    """One reported figure read as an equation on the unknown path."""

    row: dict            # the observation row (original units)
    indicator: str
    measure: str
    period: str
    first: int           # first year of the period (= last for annual figures)
    last: int
    value: float         # in the indicator's registry unit, or percent
    unit: str            # registry unit or 'pct'
    kind: str            # 'real', 'nominal', or 'unsupported'
    why_unsupported: str = ""
    state: str = "met"   # 'met', 'relaxed', 'not used'

    @property
    def n(self) -> int:
        return self.last - self.first + 1

    @property
    def short(self) -> str:
        tag = "" if self.row["status"] == "actual" else f" ({self.row['status']})"
        return f"{self.measure} {self.period}{tag}"

    @property
    def described(self) -> str:
        return f"{self.measure} {self.period} = {fmt(self.value)}{_ind.unit_suffix(self.unit)}"

    @property
    def priority(self):
        """Sort key, lower kept first; ties keep file order (the figures are listed in it and sorting is stable)."""
        return (STATUS_RANK[self.row["status"]], _MEASURE_PRIORITY[self.measure],
                quality_rank(self.row.get("source_quality")), -self.last)


def _constraints_for(obs, region: str, first_year: int, last_year: int) -> dict[str, list[_Constraint]]:
    """The region's reported figures that constrain annual paths, grouped by indicator."""
    lo = first_year - CONTEXT_YEARS
    df = obs[(obs["region"] == region) & obs["status"].isin(REPORTED_STATUSES)
             & obs["measure"].isin(USED_MEASURES)]
    out: dict[str, list[_Constraint]] = {}
    for row in df.to_dict("records"):
        period = str(row["period"])
        if "-" in period:
            a, b = (int(p) for p in period.split("-"))
        else:
            a = b = int(period)
        if b < lo or b > last_year:  # a period ends in b >= its first year a
            continue
        ind = _ind.INDICATORS[row["indicator"]]
        measure = row["measure"]
        value = _ind.to_registry_unit(row["value"], row["unit"], ind.key)
        unit = "pct" if measure in ("growth", "avg_growth") else ind.unit
        basis = row.get("basis")  # unstated: growth is read as the indicator is reported (growth_kind)
        why = ""
        if measure in ("growth", "avg_growth"):
            kind = _ind.growth_kind(ind.key, basis)
        elif basis == "comparable":
            kind, why = "unsupported", "levels at comparable prices are not reconstructed"
        else:
            kind = "nominal"
        if measure in ("level", "cumulative") and value <= 0:
            kind, why = "unsupported", "a non-positive level cannot be on a log path"
        if ind.unit in _NOT_SMOOTH_UNITS and measure not in ("growth", "avg_growth"):
            kind, why = "unsupported", _NOT_SMOOTH_UNITS[ind.unit]
        c = _Constraint(row=row, indicator=row["indicator"], measure=measure, period=period, first=a, last=b,
                        value=value, unit=unit, kind=kind, why_unsupported=why)
        if kind == "unsupported":
            c.state = "not used"
        out.setdefault(row["indicator"], []).append(c)
    # A preliminary figure (预计, 初步核算) that an actual figure for the same year and measure
    # replaced is a revision, not a conflict: it is listed, but not used.
    for cons in out.values():
        actual = {(c.measure, c.period) for c in cons if c.row["status"] == "actual"}
        for c in cons:
            if c.row["status"] == "preliminary" and (c.measure, c.period) in actual and c.kind != "unsupported":
                c.kind, c.state = "unsupported", "not used"
                c.why_unsupported = "superseded by the actual figure for the same year (a revision)"
    return out


# --------------------------------------------------------------------------- one indicator's problem

class _Problem:
    """The unknowns, equations and smoothness objective of one indicator."""

    def __init__(self, constraints: list[_Constraint]):
        import numpy as np

        self.np = np
        self.constraints = [c for c in constraints if c.kind != "unsupported"]
        xs, qs = set(), set()
        for c in self.constraints:
            if c.kind == "real":
                qs.update(range(c.first, c.last + 1))
            elif c.measure == "level":
                xs.add(c.last)
            elif c.measure == "cumulative":
                xs.update(range(c.first, c.last + 1))
            else:  # nominal growth, nominal avg_growth, avg_increase: from the year before to the last
                xs.update((c.first - 1, c.last))
        self.years_x = list(range(min(xs), max(xs) + 1)) if xs else []
        self.years_q = sorted(qs)
        self.ix = {y: i for i, y in enumerate(self.years_x)}
        self.iq = {y: len(self.years_x) + i for i, y in enumerate(self.years_q)}
        self.size = len(self.years_x) + len(self.years_q)

    # -- the equations: each residual is in log or relative units, so all are comparable
    def residual(self, c: _Constraint, z) -> float:
        np = self.np
        x = lambda y: z[self.ix[y]]  # noqa: E731
        if c.kind == "real":
            q = np.mean([z[self.iq[y]] for y in range(c.first, c.last + 1)])
            return q - math.log1p(c.value / 100)
        if c.measure == "level":
            return x(c.last) - math.log(c.value)
        if c.measure in ("growth", "avg_growth"):
            return (x(c.last) - x(c.first - 1)) / c.n - math.log1p(c.value / 100)
        if c.measure == "cumulative":
            return float(np.log(np.sum(np.exp([x(y) for y in range(c.first, c.last + 1)])))) - math.log(c.value)
        # avg_increase: (L_last - L_before) / n, relative to the reported increase
        scale = abs(c.value) if c.value else math.exp(0.5 * (x(c.last) + x(c.first - 1)))
        return ((math.exp(x(c.last)) - math.exp(x(c.first - 1))) / c.n - c.value) / scale

    def value(self, c: _Constraint, z) -> float:
        """What the path `z` gives for the figure `c` reports (same unit as ``c.value``)."""
        np = self.np
        x = lambda y: z[self.ix[y]]  # noqa: E731
        if c.kind == "real":
            q = np.mean([z[self.iq[y]] for y in range(c.first, c.last + 1)])
            return 100 * math.expm1(q)
        if c.measure == "level":
            return math.exp(x(c.last))
        if c.measure in ("growth", "avg_growth"):
            return 100 * math.expm1((x(c.last) - x(c.first - 1)) / c.n)
        if c.measure == "cumulative":
            return float(np.sum(np.exp([x(y) for y in range(c.first, c.last + 1)])))
        return (math.exp(x(c.last)) - math.exp(x(c.first - 1))) / c.n

    def residuals(self, cs, z):
        return self.np.array([self.residual(c, z) for c in cs])  # float64, also when empty

    def roughness_terms(self, z):
        """Year-to-year changes of growth rates (log units) whose squares the path minimises."""
        terms = []
        qset = set(self.years_q)
        for y in self.years_q:
            if y - 1 in qset:
                terms.append(z[self.iq[y]] - z[self.iq[y - 1]])
        # Nominal growth; where a real growth exists the same year, smooth the price change instead.
        growth = {}
        for y in self.years_x[1:]:
            n = z[self.ix[y]] - z[self.ix[y - 1]]
            growth[y] = (n - z[self.iq[y]], True) if y in qset else (n, False)
        for y in self.years_x[2:]:
            (g1, p1), (g0, p0) = growth[y], growth[y - 1]
            if p1 == p0:
                terms.append(g1 - g0)
            else:  # boundary between a priced and an unpriced year: smooth nominal growth
                n1 = z[self.ix[y]] - z[self.ix[y - 1]]
                n0 = z[self.ix[y - 1]] - z[self.ix[y - 2]]
                terms.append(n1 - n0)
        return self.np.array(terms)  # float64, also when empty

    def start(self):
        """A starting point: flat levels at the typical reported level, flat typical growth."""
        np = self.np
        levels = [c.value / (c.n if c.measure == "cumulative" else 1) for c in self.constraints
                  if c.measure in ("level", "cumulative")]
        growths = [c.value for c in self.constraints if c.kind == "real"]
        z = np.zeros(self.size)
        if self.years_x:
            z[: len(self.years_x)] = math.log(float(np.median(levels))) if levels else 0.0
        if self.years_q:
            z[len(self.years_x):] = math.log1p(float(np.median(growths)) / 100) if growths else 0.0
        return z

    # -- solving
    def feasible_point(self, cs, z0):
        """A point meeting all of `cs` (least squares on their residuals), or None if there is none."""
        from scipy.optimize import least_squares

        np = self.np
        # A whisper of pull towards z0 makes the problem square and well posed (MINPACK's LM needs that)
        # without moving a feasible answer measurably.
        res = least_squares(lambda z: np.concatenate([self.residuals(cs, z), 1e-9 * (z - z0)]), z0,
                            method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=200 * (self.size + 1))
        if float(self.np.max(self.np.abs(self.residuals(cs, res.x)))) < _TOL:
            return res.x
        return None

    def independent(self, cs, z):
        """The constraints of `cs` whose equations are linearly independent at `z` (SLSQP needs that)."""
        np = self.np
        rows, kept = [], []
        for c in cs:
            grad = np.empty(self.size)
            for i in range(self.size):
                step = np.zeros(self.size)
                step[i] = 1e-6
                grad[i] = (self.residual(c, z + step) - self.residual(c, z - step)) / 2e-6
            trial = rows + [grad]
            if np.linalg.matrix_rank(np.array(trial), tol=1e-6) == len(trial):
                rows, kept = trial, kept + [c]
        return kept

    def smooth(self, hard, soft, z0):
        """The smoothest path meeting `hard` exactly, with `soft` (relaxed) constraints as penalties."""
        from scipy.optimize import minimize

        np = self.np

        def objective(z):
            r = self.roughness_terms(z)
            s = self.residuals(soft, z)  # empty (adds 0) when nothing is relaxed
            return float(r @ r + _RELAXED_WEIGHT * (s @ s))

        eq = self.independent(hard, z0)  # not empty: `hard` keeps at least the first figure (feasible alone)
        cons = [{"type": "eq", "fun": lambda z: self.residuals(eq, z)}]
        res = minimize(objective, z0, method="SLSQP", constraints=cons,
                       options={"maxiter": 1000, "ftol": 1e-14})
        z = res.x
        if hard and float(np.max(np.abs(self.residuals(hard, z)))) >= _TOL:
            # SLSQP stopped short: polish feasibility from its answer (keeps its shape closely).
            polished = self.feasible_point(hard, z)
            z = polished if polished is not None else z0
        return z


# --------------------------------------------------------------------------- the result

@dataclass
class Reconstruction:
    """Annual paths of one region that meet every reported constraint (status ``derived``).

    Attributes
    ----------
    region : str
    paths : pandas.DataFrame
        Derived observations with exactly the columns of :data:`econsim.data.COLUMNS`:
        real growth (percent, 可比价), nominal levels (亿元, 现价) and their growth, or — where only
        one nominal level is known — levels at that year's constant prices (basis ``comparable``).
    conflicts : list of str
        One line per reported figure that could not be met together with the others.
    constraints : pandas.DataFrame
        Every reported figure considered: ``target`` (reported), ``reconstructed``, ``residual``
        (reconstructed − target, same unit) and ``state`` (``met``, ``relaxed``, ``not used``).
    prices : pandas.DataFrame
        Implied price changes where a nominal level path and real growth overlap: per year the
        nominal growth, real growth and implied deflator change (percent).
    """

    region: str
    paths: pandas.DataFrame
    conflicts: list[str] = field(default_factory=list)
    constraints: pandas.DataFrame | None = None
    prices: pandas.DataFrame | None = None

    def table(self) -> pandas.DataFrame:
        """The paths as a wide table: one row per indicator, measure and basis; years as columns."""
        if self.paths.empty:
            import pandas as pd
            return pd.DataFrame()
        df = self.paths.assign(indicator=self.paths["indicator"].map(_ind.label))
        return df.pivot_table(index=["indicator", "measure", "basis", "unit"], columns="period", values="value",
                              aggfunc="first")

    def _repr_html_(self) -> str:
        parts = [f"<p><b>econsim reconstruction</b> of <code>{html.escape(self.region)}</code>: "
                 f"{len(self.paths)} derived figures, {len(self.constraints)} reported constraints, "
                 f"{len(self.conflicts)} conflict(s)</p>"]
        if not self.paths.empty:
            parts.append(self.table().round(2).to_html())
        if self.prices is not None and not self.prices.empty:
            parts.append("<p>Implied price changes (nominal growth vs real growth, percent)</p>")
            parts.append(self.prices.round(2).to_html(index=False))
        if self.conflicts:
            items = "".join(f"<li>{html.escape(c)}</li>" for c in self.conflicts)
            parts.append(f"<p><b>Conflicts</b></p><ul>{items}</ul>")
        if self.constraints is not None and not self.constraints.empty:
            cols = ["indicator", "period", "measure", "basis", "target", "reconstructed", "residual", "unit",
                    "state", "status", "source"]
            parts.append(self.constraints[cols].round(4).to_html(index=False))
        return "\n".join(parts)

    def __repr__(self) -> str:
        return (f"Reconstruction(region={self.region!r}, {len(self.paths)} derived figures, "
                f"{len(self.conflicts)} conflicts)")


# --------------------------------------------------------------------------- the procedure

def reconstruct(dataset: HoldsObservations | pandas.DataFrame, region: str = "dlhitech", *, first_year: int = FIRST_YEAR,
                last_year: int = LAST_YEAR) -> Reconstruction:
    """Annual paths ``first_year``–``last_year`` meeting every reported figure of `region`.

    Parameters
    ----------
    dataset : econsim.data.Dataset or pandas.DataFrame
        Observations (tidy, the columns of :data:`econsim.data.COLUMNS`). Only ``actual`` and
        ``preliminary`` figures with measures level, growth, avg_growth, cumulative and
        avg_increase constrain the paths; figures for the year before `first_year` serve as context.
    region : str
        Region key, e.g. ``dlhitech`` (the zone) or ``dalian`` (the city).
    first_year, last_year : int
        The years of the derived paths.

    Returns
    -------
    Reconstruction
        ``paths`` (status ``derived``), ``conflicts``, ``constraints`` with residuals, ``prices``.
        An indicator whose figures do not pin down any year of the window gets no path.
    """
    import pandas as pd

    obs = getattr(dataset, "observations", dataset)
    by_indicator = _constraints_for(obs, region, first_year, last_year)
    rows, conflicts, table, prices = [], [], [], []
    for indicator in sorted(by_indicator):
        cs = by_indicator[indicator]
        solved = _solve_indicator(cs)
        if solved is not None:
            problem, z, hard, relaxed = solved
            conflicts.extend(_conflict_lines(region, problem, z, hard, relaxed))
            new_rows, new_prices = _paths(region, indicator, problem, z, hard, relaxed, first_year, last_year)
            rows.extend(new_rows)
            prices.extend(new_prices)
        else:
            problem, z = None, None
        for c in cs:
            table.append(_constraint_record(region, c, problem, z))

    from .schema import COLUMNS

    paths = pd.DataFrame(rows, columns=list(COLUMNS))
    paths = paths.sort_values(["indicator", "measure", "basis", "period"]).reset_index(drop=True)  # keys unique
    constraints = pd.DataFrame(table, columns=["region", "indicator", "period", "measure", "basis", "target",
                                               "reconstructed", "residual", "relative_residual", "unit", "state",
                                               "status", "source", "locator", "note"])
    price_frame = pd.DataFrame(prices, columns=["region", "indicator", "year", "nominal_growth", "real_growth",
                                                "price_change"])
    return Reconstruction(region=region, paths=paths, conflicts=conflicts, constraints=constraints,
                          prices=price_frame)


def _solve_indicator(cs: list[_Constraint]):
    """Solve one indicator: returns (problem, z, hard, relaxed) or None if nothing can be solved."""
    problem = _Problem(cs)
    usable = sorted(problem.constraints, key=lambda c: c.priority)
    if not usable:
        return None
    z0 = problem.start()
    z = problem.feasible_point(usable, z0)
    if z is not None:
        hard, relaxed = usable, []
    else:
        # Conflict: keep constraints in order of authority while they stay jointly feasible.
        hard, relaxed, z = [], [], z0
        for c in usable:
            trial = problem.feasible_point(hard + [c], z)
            if trial is None:
                relaxed.append(c)
            else:
                hard, z = hard + [c], trial
    for c in relaxed:
        c.state = "relaxed"
    z = problem.smooth(hard, relaxed, z)
    return problem, z, hard, relaxed


def _pinned_years(hard: list[_Constraint]) -> set[int]:
    """Years whose nominal level the kept constraints determine (directly, or chained by growth)."""
    pinned = set()
    for c in hard:
        if c.kind == "nominal" and c.measure == "level":
            pinned.add(c.last)
        elif c.kind == "nominal" and c.measure == "cumulative":
            pinned.update(range(c.first, c.last + 1))
    links = [(c.first - 1, c.last) for c in hard
             if c.kind == "nominal" and c.measure in ("growth", "avg_growth", "avg_increase")]
    changed = True
    while changed:
        changed = False
        for a, b in links:
            if (a in pinned) != (b in pinned):
                pinned.update((a, b))
                changed = True
    return pinned


def _paths(region, indicator, problem: _Problem, z, hard, relaxed, first_year, last_year):
    """Derived observation rows (and price rows) of one solved indicator."""
    ind = _ind.INDICATORS[indicator]
    window = range(first_year, last_year + 1)
    used = ", ".join(c.short for c in hard)
    locator = f"constraints met: {used}" + (f"; relaxed (conflict): {', '.join(c.short for c in relaxed)}"
                                             if relaxed else "")
    method = ("smoothest path (least squared year-to-year changes of growth rates, SciPy SLSQP) meeting "
              "every reported figure listed in the locator")
    if relaxed:
        method += "; figures in conflict were relaxed to a least-squares compromise (see econsim data --check)"

    def row(year, measure, value, unit, basis, note):
        return {"region": region, "indicator": indicator, "period": str(year), "measure": measure,
                "value": round(float(value), 4), "unit": unit, "status": "derived", "basis": basis,
                "source": SOURCE, "locator": locator, "source_quality": "derived", "note": note,
                "published": "", "value_upper": math.nan, "parent": ""}

    rows, prices = [], []
    q = {y: z[problem.iq[y]] for y in problem.years_q}
    x = {y: z[problem.ix[y]] for y in problem.years_x}
    for y in problem.years_q:
        if y in window:
            rows.append(row(y, "growth", 100 * math.expm1(q[y]), "pct", "comparable",
                            f"real growth (可比价), {method}"))
    pinned = _pinned_years(hard)
    nominal_years = range(min(pinned), max(pinned) + 1) if len(pinned) >= 2 else range(0)
    for y in nominal_years:
        if y not in window:
            continue
        note = f"nominal level (现价), {method}"
        if y in q and y - 1 in nominal_years:
            n = x[y] - x[y - 1]
            change = 100 * math.expm1(n - q[y])
            note += f"; implied price change (deflator) vs {y - 1}: {change:+.2f}%"
            prices.append({"region": region, "indicator": indicator, "year": y,
                           "nominal_growth": round(100 * math.expm1(n), 4),
                           "real_growth": round(100 * math.expm1(q[y]), 4), "price_change": round(change, 4)})
        rows.append(row(y, "level", math.exp(x[y]), ind.unit, "nominal", note))
        # Nominal growth is the indicator's own growth measure only where it is reported nominal.
        if ind.growth_basis == "nominal" and y - 1 in nominal_years and y not in q:
            rows.append(row(y, "growth", 100 * math.expm1(x[y] - x[y - 1]), "pct", "nominal",
                            f"nominal growth of the reconstructed levels, {method}"))
    if not len(nominal_years) and q:
        rows.extend(_constant_price_levels(ind, hard, q, window, row, method))
    return rows, prices


def _constant_price_levels(ind, hard, q, window, row, method):
    """Levels at constant prices of the year of the one known nominal level, carried by real growth."""
    # Called only when fewer than two years are pinned, so every kept nominal level is of one year (equal values).
    anchors = [c for c in hard if c.kind == "nominal" and c.measure == "level"]
    if not anchors:
        return []
    anchor = anchors[-1]
    base = anchor.last
    # The real growth years must connect to the anchor year without a gap.
    span = [base]
    y = base
    while y + 1 in q:
        y += 1
        span.append(y)
    y = base
    while y in q:
        y -= 1
        span.insert(0, y)
    if len(span) < 2:
        return []
    level = {base: math.log(anchor.value)}
    for y in span[span.index(base) + 1:]:
        level[y] = level[y - 1] + q[y]
    for y in reversed(span[: span.index(base)]):
        level[y] = level[y + 1] - q[y + 1]
    note = (f"level at constant {base} prices (可比价, {base}年价格): the nominal {base} level "
            f"{fmt(anchor.value)}{_ind.unit_suffix(ind.unit)} carried by the real growth path; "
            f"NOT a nominal (现价) series; {method}")
    return [row(y, "level", math.exp(level[y]), ind.unit, "comparable", note) for y in span if y in window]


def _variables(c: _Constraint) -> set:
    if c.kind == "real":
        return {("q", y) for y in range(c.first, c.last + 1)}
    if c.measure == "level":
        return {("x", c.last)}
    if c.measure == "cumulative":
        return {("x", y) for y in range(c.first, c.last + 1)}
    return {("x", c.first - 1), ("x", c.last)}


def _clashing(problem: _Problem, z, hard, c) -> list[_Constraint]:
    """The kept figures without any one of which `c` could be met (or, failing that, those sharing its years)."""
    culprits = [h for h in hard
                if problem.feasible_point([k for k in hard if k is not h] + [c], z) is not None]
    return culprits or [h for h in hard if _variables(h) & _variables(c)]


def _conflict_lines(region, problem: _Problem, z, hard, relaxed) -> list[str]:
    lines = []
    for c in relaxed:
        clash = [h.described for h in _clashing(problem, z, hard, c)]
        unit = _ind.unit_suffix(c.unit)
        why = ""
        if c.measure == "avg_increase":
            before = math.exp(z[problem.ix[c.last]]) - c.n * c.value
            why = (f": with {c.last} at {fmt(math.exp(z[problem.ix[c.last]]))}{unit} it needs a {c.first - 1} "
                   f"level of {fmt(before)}{unit}" + (", but a level must be positive" if before <= 0 else ""))
        got = problem.value(c, z)
        lines.append(
            f"{region} {c.indicator} ({_ind.label(c.indicator)}): {c.described} "
            f"[{c.row['source']}, {c.row['locator']}] cannot hold together with "
            f"{'; '.join(clash) if clash else 'the other figures'}{why}; relaxed to {fmt(got)}{unit} "
            f"(residual {fmt(got - c.value)}{unit})")
    return lines


def _constraint_record(region, c: _Constraint, problem, z) -> dict:
    got = problem.value(c, z) if problem is not None and c.kind != "unsupported" else float("nan")
    residual = got - c.value
    return {"region": region, "indicator": c.indicator, "period": c.period, "measure": c.measure,
            "basis": "real" if c.kind == "real" else ("nominal" if c.kind == "nominal" else c.row.get("basis")),
            "target": c.value, "reconstructed": round(got, 6), "residual": round(residual, 6),
            "relative_residual": round(residual / abs(c.value), 6) if c.value else float("nan"),
            "unit": c.unit, "state": c.state, "status": c.row["status"], "source": c.row["source"],
            "locator": c.row["locator"], "note": c.why_unsupported}
