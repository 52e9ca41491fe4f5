"""Consistency checks of reported figures: what the numbers imply, and where they disagree.

`check` reads a region's reported rows (``actual`` and ``preliminary``; targets and derived
figures are not evidence) and returns :class:`Finding` objects, each one sentence with its
numbers and the sources they came from.  The checks are generic — any observations file gets
them — and compare figures within their rounding (a figure printed as ``99.94`` stands for
anything in 99.935–99.945):

* ``duplicates``: the same figure reported twice with different values (a revision, or a clash);
* ``growth_vs_levels``: a growth rate against the two adjacent levels;
* ``implied_prices``: real growth against nominal levels — the gap is a price change, not an error;
* ``implied_growth``: two adjacent levels with no growth reported between them;
* ``avg_growth_vs_levels`` / ``avg_growth_vs_growth``: a period average against endpoint levels
  of the same basis, or against the annual growth rates inside the period;
* ``cumulative_vs_levels``: a period total against the annual levels (and what remains for the
  years without one);
* ``avg_increase_vs_levels``: an average yearly increase against the endpoint levels;
* ``zone_vs_city``: growth of a region against the nearest region it lies in (the data's ``parent``
  column), flagging unverified copies;
* ``reconstruction``: figures the reconstruction (:mod:`econsim.data.reconstruct`) could not meet.
"""
from __future__ import annotations

import json
import math
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Sequence

from .. import indicators as _ind
from .reconstruct import fmt
from .schema import REPORTED_STATUSES, STATUS_RANK, HoldsObservations, quality_rank

if TYPE_CHECKING:
    import pandas

SEVERITIES = ("conflict", "warning", "info")
#: A level change beyond this (percent) with no growth reported is worth a warning.
LARGE_CHANGE_PCT = 20.0


@dataclass
class Finding:
    """One consistency finding.

    Attributes
    ----------
    region : str
    topic : str
        Which check found it (``implied_prices``, ``cumulative_vs_levels``, ...).
    severity : str
        ``conflict`` (figures cannot all be right), ``warning`` (worth a look: a revision, a price
        decline, an unverified source, a large swing) or ``info`` (what the figures imply).
    message : str
        One readable sentence with the numbers.
    figures : dict
        The numbers used (levels in the indicator's unit, growth in percent).
    sources : list of str
        ``source (locator)`` of every reported figure used.
    indicator : str
        Indicator key, if the finding is about one.
    """

    region: str
    topic: str
    severity: str
    message: str
    figures: dict = field(default_factory=dict)
    sources: list = field(default_factory=list)
    indicator: str = ""

    def __post_init__(self):
        self.sources = list(dict.fromkeys(self.sources))


# --------------------------------------------------------------------------- reading the rows

@dataclass
class _Fig:
    """A reported figure, in the indicator's registry unit, with its provenance."""

    indicator: str
    period: str
    measure: str
    value: float
    half: float          # half of the last printed digit: the rounding band
    status: str
    basis: str
    quality: str
    source: str
    locator: str

    @property
    def years(self) -> tuple[int, int]:
        """First and last year of a multi-year period (``2021-2025`` -> ``(2021, 2025)``)."""
        a, b = self.period.split("-")
        return int(a), int(b)

    @property
    def n_years(self) -> int:
        """How many years a multi-year period covers, both ends included (``2021-2025``: 5)."""
        a, b = self.years
        return b - a + 1

    @property
    def cite(self) -> str:
        flag = " [unverified copy]" if self.quality == "unverified_copy" else ""
        return f"{self.source} ({self.locator}){flag}"

    @property
    def rank(self):
        return (STATUS_RANK[self.status], quality_rank(self.quality))

    @property
    def growth_kind(self) -> str:
        """``real`` or ``nominal`` (:func:`econsim.indicators.growth_kind`)."""
        return _ind.growth_kind(self.indicator, self.basis)


def _half_unit(value: float, factor: float) -> float:
    """Half of the last printed digit of `value` (``99.94`` -> 0.005, ``6`` -> 0.5), scaled by `factor`."""
    text = repr(float(value))
    if "e" in text:          # repr writes very small or large floats as 1e-05, 1e+16
        return 0.0
    decimals = text.split(".")[1]
    digits = 0 if decimals == "0" else len(decimals)
    return 0.5 * 10 ** -digits * factor


def _figures(obs, region: str) -> list[_Fig]:
    df = obs[(obs["region"] == region) & obs["status"].isin(REPORTED_STATUSES)]
    out = []
    for r in df.to_dict("records"):
        factor = _ind.unit_factor(r["unit"], r["indicator"])
        out.append(_Fig(r["indicator"], str(r["period"]), r["measure"], float(r["value"]) * factor,
                        _half_unit(r["value"], factor), r["status"], r.get("basis") or "unknown",
                        r.get("source_quality") or "", r["source"], r["locator"]))
    return out


def _best(figs: list[_Fig]) -> dict:
    """The most authoritative figure per (indicator, measure, period)."""
    best = {}
    for f in sorted(figs, key=lambda f: f.rank):
        best.setdefault((f.indicator, f.measure, f.period), f)
    return best


def _u(indicator: str) -> str:
    return _ind.unit_text(_ind.INDICATORS[indicator].unit)


def _overlap(lo1, hi1, lo2, hi2) -> bool:
    return lo1 <= hi2 and lo2 <= hi1


def _r(x: float) -> float:
    return round(float(x), 4)


# --------------------------------------------------------------------------- the checks

def _duplicates(region, figs) -> list[Finding]:
    out = []
    groups = {}
    for f in figs:
        groups.setdefault((f.indicator, f.measure, f.period), []).append(f)
    for (indicator, measure, period), group in sorted(groups.items()):
        group = sorted(group, key=lambda f: f.rank)
        first = group[0]
        for other in group[1:]:
            if _overlap(first.value - first.half, first.value + first.half,
                        other.value - other.half, other.value + other.half):
                continue
            unit = "%" if measure.endswith("growth") else f" {_u(indicator)}"
            revision = first.status != other.status
            diff = first.value - other.value
            rel = f" ({100 * diff / other.value:+.2f}%)" if other.value else ""
            msg = (f"{_ind.label(indicator)} {measure} {period} is reported twice: {fmt(other.value)}{unit} "
                   f"({other.status}) and {fmt(first.value)}{unit} ({first.status}), a difference of "
                   f"{fmt(diff)}{unit}{rel}; "
                   + ("the actual figure is used (likely a revision)." if revision else
                      f"the {first.quality or 'first'} source is used, but they cannot both be right."))
            out.append(Finding(region, "duplicates", "warning" if revision else "conflict", msg,
                               {"used": _r(first.value), "other": _r(other.value), "difference": _r(diff)},
                               [first.cite, other.cite], indicator))
    return out


def _growth_vs_levels(region, best) -> list[Finding]:
    """Annual growth against the two adjacent levels; implied growth where none is reported."""
    out = []
    levels = {(k[0], int(k[2])): f for k, f in best.items() if k[1] == "level" and f.basis != "comparable"}
    for (indicator, year), now in sorted(levels.items()):
        before = levels.get((indicator, year - 1))
        if before is None or _ind.INDICATORS[indicator].unit == "pct":
            continue
        implied = 100 * (now.value / before.value - 1)
        lo = 100 * ((now.value - now.half) / (before.value + before.half) - 1)
        hi = 100 * ((now.value + now.half) / (before.value - before.half) - 1)
        unit = _u(indicator)
        growth = best.get((indicator, "growth", str(year)))
        base = {"level_" + str(year - 1): _r(before.value), "level_" + str(year): _r(now.value),
                "implied_growth": _r(implied)}
        lvl = (f"{fmt(before.value)} {unit} ({year - 1}) to {fmt(now.value)} {unit} ({year})")
        if growth is None:
            sev = "warning" if abs(implied) >= LARGE_CHANGE_PCT else "info"
            word = "fall" if implied < 0 else "rise"
            out.append(Finding(region, "implied_growth", sev,
                               f"{_ind.label(indicator)}: {lvl} is a {word} of {fmt(abs(implied))}%; "
                               f"no growth rate is reported for {year}.", base,
                               [before.cite, now.cite], indicator))
            continue
        figures = dict(base, growth=_r(growth.value))
        srcs = [before.cite, now.cite, growth.cite]
        if growth.growth_kind == "nominal":
            if _overlap(lo, hi, growth.value - growth.half, growth.value + growth.half):
                continue
            out.append(Finding(region, "growth_vs_levels", "conflict",
                               f"{_ind.label(indicator)}: {lvl} is growth of {fmt(implied)}% "
                               f"(between {fmt(lo)}% and {fmt(hi)}% allowing for rounding), but growth of "
                               f"{fmt(growth.value)}% is reported for {year}.", figures, srcs, indicator))
        else:
            price = 100 * ((1 + implied / 100) / (1 + growth.value / 100) - 1)
            figures["implied_price_change"] = _r(price)
            out.append(_price_finding(region, indicator, price,
                                      f"{_ind.label(indicator)}: {lvl} is nominal growth of {fmt(implied)}%, "
                                      f"against real growth of {fmt(growth.value)}% in {year}", figures, srcs))
    return out


def _price_finding(region, indicator, price, lead, figures, sources) -> Finding:
    """An implied price change: a fall (or a steep rise) deserves a look, neither is an error."""
    if price < 0:
        tail = f"prices implied to fall {fmt(-price)}% a year (deflator) — a price decline to note, not an error"
    else:
        tail = f"prices implied to rise {fmt(price)}% a year (deflator), or a level was revised"
    sev = "warning" if price < 0 or price > 5 else "info"
    return Finding(region, "implied_prices", sev, f"{lead}: {tail}.", figures, sources, indicator)


def _of_measure(best, measure):
    """(indicator, period, figure) of every best figure of `measure`, in a fixed order."""
    for (indicator, m, period), fig in sorted(best.items()):
        if m == measure:
            yield indicator, period, fig


def _avg_growth(region, best) -> list[Finding]:
    """Period average growth against endpoint levels and against the annual rates inside it."""
    out = []
    for indicator, period, avg in _of_measure(best, "avg_growth"):
        (a, b), n = avg.years, avg.n_years
        unit = _u(indicator)
        start, end = best.get((indicator, "level", str(a - 1))), best.get((indicator, "level", str(b)))
        if start is not None and end is not None and "comparable" not in (start.basis, end.basis):
            cagr = 100 * ((end.value / start.value) ** (1 / n) - 1)
            lo = 100 * (((end.value - end.half) / (start.value + start.half)) ** (1 / n) - 1)
            hi = 100 * (((end.value + end.half) / (start.value - start.half)) ** (1 / n) - 1)
            figures = {f"level_{a - 1}": _r(start.value), f"level_{b}": _r(end.value), "nominal_cagr": _r(cagr),
                       "avg_growth": _r(avg.value)}
            srcs = [start.cite, end.cite, avg.cite]
            lead = (f"{_ind.label(indicator)}: from {fmt(start.value)} {unit} ({a - 1}) to {fmt(end.value)} "
                    f"{unit} ({b}) is nominal growth of {fmt(cagr)}% a year")
            if avg.growth_kind == "real":
                price = 100 * ((1 + cagr / 100) / (1 + avg.value / 100) - 1)
                figures["implied_price_change"] = _r(price)
                out.append(_price_finding(region, indicator, price,
                                          f"{lead}, but real growth averaged {fmt(avg.value)}% a year over "
                                          f"{period}", figures, srcs))
            elif not _overlap(lo, hi, avg.value - avg.half, avg.value + avg.half):
                out.append(Finding(region, "avg_growth_vs_levels", "conflict",
                                   f"{lead} (between {fmt(lo)}% and {fmt(hi)}% allowing for rounding), but "
                                   f"average growth of {fmt(avg.value)}% is reported for {period}.", figures, srcs,
                                   indicator))
        annual = {y: best.get((indicator, "growth", str(y))) for y in range(a, b + 1)}
        annual = {y: g for y, g in annual.items() if g is not None and g.growth_kind == avg.growth_kind}
        if not annual:
            continue
        total = n * math.log1p(avg.value / 100)
        known = sum(math.log1p(g.value / 100) for g in annual.values())
        missing = [y for y in range(a, b + 1) if y not in annual]
        figures = {f"growth_{y}": _r(g.value) for y, g in sorted(annual.items())}
        figures["avg_growth"] = _r(avg.value)
        srcs = [avg.cite] + [g.cite for _, g in sorted(annual.items())]
        given = ", ".join(f"{fmt(g.value)}% in {y}" for y, g in sorted(annual.items()))
        if missing:
            rest = 100 * math.expm1((total - known) / len(missing))
            figures["implied_avg_growth_other_years"] = _r(rest)
            span = f"{missing[0]}-{missing[-1]}" if len(missing) > 1 else str(missing[0])
            out.append(Finding(region, "avg_growth_vs_growth", "info",
                               f"{_ind.label(indicator)}: an average of {fmt(avg.value)}% a year over {period} "
                               f"with {given} leaves {fmt(rest)}% a year for {span}.", figures, srcs, indicator))
        else:
            geo = 100 * math.expm1(known / n)
            figures["geometric_mean"] = _r(geo)
            slack = avg.half + max(g.half for g in annual.values())
            if abs(geo - avg.value) > slack:
                out.append(Finding(region, "avg_growth_vs_growth", "conflict",
                                   f"{_ind.label(indicator)}: {given} average {fmt(geo)}% a year, but "
                                   f"{fmt(avg.value)}% is reported for {period}.", figures, srcs, indicator))
    return out


def _known_levels(indicator, best) -> tuple[dict, dict]:
    """Nominal levels per year: reported, or one step from a reported level by a nominal growth rate.

    Returns ``{year: (level, cites)}`` of the reported levels and ``{year: (level, cites, (growth year,
    growth))}`` of the stepped ones.
    """
    levels, via = {}, {}
    for (ind, measure, period), f in best.items():
        if ind == indicator and measure == "level" and f.basis != "comparable":
            levels[int(period)] = (f.value, [f.cite])
    for (ind, measure, period), g in best.items():
        if ind != indicator or measure != "growth" or g.growth_kind != "nominal":
            continue
        y = int(period)
        if y in levels and y - 1 not in levels and y - 1 not in via:
            v, cites = levels[y]
            via[y - 1] = (v / (1 + g.value / 100), cites + [g.cite], (y, g.value))
        elif y - 1 in levels and y not in levels and y not in via:
            v, cites = levels[y - 1]
            via[y] = (v * (1 + g.value / 100), cites + [g.cite], (y, g.value))
    return levels, via


def _cumulative(region, best) -> list[Finding]:
    """A period total against the annual levels, and what remains for the years without one."""
    out = []
    for indicator, period, cum in _of_measure(best, "cumulative"):
        if _ind.INDICATORS[indicator].unit == "pct":
            continue
        a, b = cum.years
        unit = _u(indicator)
        levels, via = _known_levels(indicator, best)
        direct = {y: levels[y] for y in range(a, b + 1) if y in levels}
        if not direct:
            continue
        figures = {"cumulative": _r(cum.value)}
        figures.update({f"level_{y}": _r(v[0]) for y, v in sorted(direct.items())})
        srcs = [cum.cite] + [c for _, v in sorted(direct.items()) for c in v[1]]
        rest = cum.value - sum(v[0] for v in direct.values())
        missing = [y for y in range(a, b + 1) if y not in direct]
        listed = " and ".join(f"{fmt(v[0])} ({y})" for y, v in sorted(direct.items()))
        lead = f"{_ind.label(indicator)}: {fmt(cum.value)} {unit} in total over {period}"
        if not missing:
            slack = cum.half + sum(best[(indicator, "level", str(y))].half for y in direct)
            if abs(rest) > slack:
                out.append(Finding(region, "cumulative_vs_levels", "conflict",
                                   f"{lead}, but the annual levels sum to {fmt(cum.value - rest)} {unit}.",
                                   figures, srcs, indicator))
            continue
        figures["remaining"] = _r(rest)
        span = f"{missing[0]}-{missing[-1]}" if len(missing) > 1 else str(missing[0])
        msg = (f"{lead} minus {listed} leaves {fmt(rest)} {unit} for {span} "
               f"({fmt(rest / len(missing))} a year)")
        sev = "info"
        if rest <= 0:
            sev = "conflict"
            msg += ", which is impossible for positive levels"
        stepped = {y: via[y] for y in missing if y in via}
        if stepped and rest > 0:
            rest2 = rest - sum(v[0] for v in stepped.values())
            left = [y for y in missing if y not in stepped]
            for y, (v, cites, (growth_year, g)) in sorted(stepped.items()):
                figures[f"level_{y}_from_growth"] = _r(v)
                srcs += [c for c in cites if c not in srcs]
                msg += f"; with growth of {fmt(g)}% in {growth_year} the {y} level is {fmt(v)} {unit}"
            figures["remaining_after_growth"] = _r(rest2)
            if left:
                span2 = f"{left[0]}-{left[-1]}" if len(left) > 1 else str(left[0])
                msg += f", leaving {fmt(rest2)} {unit} for {span2} ({fmt(rest2 / len(left))} a year)"
                if rest2 <= 0:
                    sev = "conflict"
                    msg += ", which is impossible for positive levels"
        out.append(Finding(region, "cumulative_vs_levels", sev, msg + ".", figures, srcs, indicator))
    return out


def _avg_increase(region, best) -> list[Finding]:
    """An average yearly increase against the endpoint levels, or the level it implies where one is missing."""
    out = []
    for indicator, period, inc in _of_measure(best, "avg_increase"):
        levels, via = _known_levels(indicator, best)
        (a, b), n = inc.years, inc.n_years
        unit = _u(indicator)
        start, end = levels.get(a - 1), levels.get(b)
        lead = (f"{_ind.label(indicator)}: an average increase of {fmt(inc.value)} {unit} a year over {period}, "
                f"read as ({b} level − {a - 1} level)/{n},")
        figures = {"avg_increase": _r(inc.value)}
        srcs = [inc.cite]
        if start is not None and end is not None:
            got = (end[0] - start[0]) / n
            figures.update({f"level_{a - 1}": _r(start[0]), f"level_{b}": _r(end[0]), "implied_increase": _r(got)})
            if abs(got - inc.value) <= inc.half + 2 * max(start[0], end[0]) * 1e-3 / n:
                continue
            out.append(Finding(region, "avg_increase_vs_levels", "conflict",
                               f"{lead} disagrees with the levels {fmt(start[0])} ({a - 1}) and {fmt(end[0])} ({b}), "
                               f"which give {fmt(got)} {unit} a year.", figures, srcs + start[1] + end[1],
                               indicator))
            continue
        if end is None and start is None:
            continue
        if end is not None:
            implied = end[0] - n * inc.value
            figures.update({f"level_{b}": _r(end[0]), f"implied_level_{a - 1}": _r(implied)})
            srcs += end[1]
            msg = (f"{lead} needs a {a - 1} level of {fmt(end[0])} − {n}×{fmt(inc.value)} = {fmt(implied)} {unit}")
            impossible = implied <= 0
            context = levels.get(a - 2)
            if context is not None:
                figures[f"level_{a - 2}"] = _r(context[0])
                srcs += [c for c in context[1] if c not in srcs]
                msg += f" (the {a - 2} level was {fmt(context[0])})"
        else:
            implied = start[0] + n * inc.value
            figures.update({f"level_{a - 1}": _r(start[0]), f"implied_level_{b}": _r(implied)})
            srcs += start[1]
            msg = f"{lead} needs a {b} level of {fmt(implied)} {unit}"
            impossible = implied <= 0
        cum = best.get((indicator, "cumulative", period))
        if cum is not None and end is not None:
            # 平均每年增长 may also mean the yearly amount above the base year, averaged over the period.
            alt = cum.value / n - inc.value
            figures[f"alternative_level_{a - 1}"] = _r(alt)
            srcs.append(cum.cite)
            msg += (f"; read instead as the average yearly amount above the {a - 1} level "
                    f"({fmt(cum.value)}/{n} − {a - 1} level), it implies a {a - 1} level of {fmt(alt)} {unit}")
        if impossible:
            msg += "; as stated it is impossible for a positive level"
        out.append(Finding(region, "avg_increase_vs_levels", "conflict" if impossible else "info", msg + ".",
                           figures, srcs, indicator))
    return out


def _zone_vs_city(region, best, parent, parent_best) -> list[Finding]:
    out = []
    for indicator, period, zone in _of_measure(best, "growth"):
        city = parent_best.get((indicator, "growth", period))
        if city is None:
            continue
        spread = zone.value - city.value
        unverified = [f for f in (zone, city) if f.quality == "unverified_copy"]
        same = zone.growth_kind == city.growth_kind
        msg = (f"{_ind.label(indicator)} {period}: growth of {fmt(zone.value)}% in {region} against "
               f"{fmt(city.value)}% in {parent}, a spread of {spread:+.1f} percentage points")
        if not same:
            msg += f" (bases differ: {zone.growth_kind} vs {city.growth_kind})"
        if unverified:
            who = " and ".join(f"the {region if f is zone else parent} figure" for f in unverified)
            verb = "come" if len(unverified) > 1 else "comes"
            msg += f"; {who} {verb} from an unverified copy ({'; '.join(f.locator for f in unverified)})"
        out.append(Finding(region, "zone_vs_city", "warning" if unverified or not same else "info", msg + ".",
                           {"zone_growth": _r(zone.value), "city_growth": _r(city.value), "spread": _r(spread),
                            "unverified": bool(unverified)}, [zone.cite, city.cite], indicator))
    return out


def _reconstruction(region, dataset) -> list[Finding]:
    rec = dataset.reconstruct(region) if hasattr(dataset, "reconstruct") else None
    if rec is None:
        from .reconstruct import reconstruct

        rec = reconstruct(dataset, region=region)
    out = []
    relaxed = rec.constraints[rec.constraints["state"] == "relaxed"]
    for _, row in relaxed.iterrows():
        unit = _ind.unit_suffix(row["unit"])
        out.append(Finding(region, "reconstruction", "info",
                           f"The 2020–2025 reconstruction of {_ind.label(row['indicator'])} cannot meet "
                           f"{row['measure']} {row['period']} = {fmt(row['target'])}{unit} ({row['status']}) "
                           f"together with the other figures, so it relaxes it: the path gives "
                           f"{fmt(row['reconstructed'])}{unit} (residual {fmt(row['residual'])}{unit}).",
                           {"target": _r(row["target"]), "reconstructed": _r(row["reconstructed"]),
                            "residual": _r(row["residual"])},
                           [f"{row['source']} ({row['locator']})"], row["indicator"]))
    return out


# --------------------------------------------------------------------------- public API

def check(dataset: HoldsObservations | pandas.DataFrame, region: str | None = None) -> list[Finding]:
    """Consistency findings for `region` (or every region of `dataset`).

    Parameters
    ----------
    dataset : econsim.data.Dataset
        Observations; only ``actual`` and ``preliminary`` figures are checked.
    region : str, optional
        Region key; default: every region in the dataset.

    Returns
    -------
    list of Finding
        Ordered by region, then severity (conflict, warning, info), then indicator.
    """
    obs = getattr(dataset, "observations", dataset)
    regions = [region] if region else sorted(obs["region"].unique())
    findings = []
    for r in regions:
        figs = _figures(obs, r)
        best = _best(figs)
        found = (_duplicates(r, figs) + _growth_vs_levels(r, best) + _avg_growth(r, best) + _cumulative(r, best)
                 + _avg_increase(r, best))
        # the nearest region it lies in that has figures (the data's `parent` column)
        ancestors = dataset.ancestors(r) if hasattr(dataset, "ancestors") else []
        parent = next((a for a in ancestors if (obs["region"] == a).any()), None)
        if parent:
            found += _zone_vs_city(r, best, parent, _best(_figures(obs, parent)))
        found += _reconstruction(r, dataset)
        order = {s: i for i, s in enumerate(SEVERITIES)}
        findings += sorted(found, key=lambda f: (order[f.severity], f.indicator, f.topic))
    return findings


def findings_frame(findings: Iterable[Finding]) -> pandas.DataFrame:
    """The findings as a table (``figures`` as JSON text, ``sources`` joined by ``; ``)."""
    import pandas as pd

    rows = [{"region": f.region, "severity": f.severity, "topic": f.topic, "indicator": f.indicator,
             "name": _ind.label(f.indicator), "message": f.message,
             "figures": json.dumps(f.figures, ensure_ascii=False, sort_keys=True),
             "sources": "; ".join(f.sources)} for f in findings]
    return pd.DataFrame(rows, columns=["region", "severity", "topic", "indicator", "name", "message", "figures",
                                       "sources"])


def format_findings(findings: Sequence[Finding], width: int = 100) -> str:
    """Readable terminal text: a count, then the findings of each region with their sources."""
    if not findings:
        return "econsim data --check: no findings.\n"
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    lines = [f"econsim data --check: {len(findings)} findings ("
             + ", ".join(f"{n} {s}" for s, n in counts.items()) + ")"]
    region = None
    for f in findings:
        if f.region != region:
            region = f.region
            lines += ["", f"== {region} =="]
        title = _ind.label(f.indicator)      # "" for a finding about no indicator
        lines.append(f"[{f.severity}] {title} · {f.topic}")
        lines += textwrap.wrap(f.message, width, initial_indent="    ", subsequent_indent="    ")
        for s in f.sources:
            lines += textwrap.wrap(s, width, initial_indent="    source: ", subsequent_indent="            ")
    return "\n".join(lines) + "\n"
