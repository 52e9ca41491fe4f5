"""The outlook: an evidence-based growth centre and spread, 2026–2030, for indicators with history.

A scenario with ``outlook: true`` takes, for every indicator whose centre would otherwise come
from the forecaster (``model``), the centre and spread of this module instead.  Three sources of
evidence are combined, each year of the horizon separately (percent, percentage points):

(a) **own** — the forecaster (:func:`econsim.forecasting.auto.forecast`, additive bands: growth can
    turn negative) on the region's reported and reconstructed growth history, the plan's one fit: its
    path ``o_t`` and spread ``σo_t`` (from its 80% band,
    widened to the spread of one-year changes in reported growth where the smooth reconstruction
    makes it narrower, as the engine does for ``model`` paths);
(b) **anchor** — the parent's outlook plus the region's historical growth spread over that parent:
    ``a_t = P_t + s``.  ``P_t`` comes from the nearest ancestor (``parent`` column of the data)
    with a published forecast (status ``forecast``, latest vintage known) or a target (a range by
    its midpoint) for the year — the city where it has one, else the province, else the nation;
    years after the last such figure hold it, with a spread widening by
    :data:`PARENT_SD_PP` per year.  ``s`` is the mean of the region's reported growth minus the
    ancestor's, over the years both report, shrunk towards zero as evidence is thin:
    ``s = mean · n / (n + PRIOR_YEARS)``; its uncertainty pools a prior (the spread of one-year
    changes in reported growth) with the observed scatter of the spread, with the same weights.
    With no published outlook at all, the ancestor's latest reported growth stands in for ``P``;
(c) **nowcast** — where year-to-date figures exist for the region in the year of ``as_of`` (or,
    without ``as_of``, in the first year of the horizon), the year-to-date nowcast
    (:func:`econsim.forecasting.nowcast.nowcast`) with its sd.

(a) and (b) are pooled with a fixed weight ``w`` = :data:`OWN_WEIGHT` on the own path: the centre
is ``w·o + (1 − w)·a`` and the variance that of the two-component mixture,
``w·σo² + (1 − w)·σa² + w(1 − w)(o − a)²``, so disagreement between the sources widens the
outlook instead of being averaged away.  The weight comes from ``benchmarks/outlook_backtest.py``
(8 region-years; own weight 0.25 is best over all cases, 0.4 over the GDP cases; precision weights,
which would give the own path 0.5–1.0, did worse): very little evidence, stated as such in
``scenarios/README.md``.  The nowcast is then combined with the pooled estimate by precision (two
independent estimates of one year): it pulls the centre towards the year-to-date figure and narrows
the spread.

:func:`correlations` estimates the correlation of annual growth between indicators from the
reported history of the region and its ancestors, so the engine can draw indicators jointly
(:func:`econsim.scenario.engine.rank_to`).

Everything computed here is status ``derived``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import indicators as _ind

#: Standard normal quantile of 0.9: an 80% interval's half-width in standard deviations.
Z80 = 1.2815515655446004

#: Weight, in years of evidence, of the prior that a region grows like its parent (spread 0),
#: and of the prior spreads; the same constant shrinks estimated correlations towards 0.
PRIOR_YEARS = 2.0
#: Prior uncertainty (1 sd, percentage points) of a published one-year-ahead national or city
#: growth outlook, and its widening per further year when later years hold the last figure.
#: Judgement, pooled with the errors of earlier published forecasts in the data with weight
#: PRIOR_YEARS (the bundled data hold two: the IMF's October and December 2025 forecasts of 2025).
PARENT_SD_PP = 1.0
#: Weight of the region's own forecaster when pooled with the parent's outlook plus spread (the
#: backtest's best lies between 0.25, all cases, and 0.4, GDP cases; see benchmarks/README.md).
OWN_WEIGHT = 0.3
#: Fewest data points behind a correlation that is estimated rather than set to 0.
MIN_CORRELATION_POINTS = 3


@dataclass
class IndicatorOutlook:
    """The outlook of one indicator: centre and sd of annual growth by year, and what went in.

    Attributes
    ----------
    key : str
    years : list[int]
    centre, sd : ndarray
        Growth centre (percent) and its standard deviation (pp), by year.
    own_centre, own_sd : ndarray
        Source (a), the forecaster.
    anchor_centre, anchor_sd : ndarray
        Source (b), parent outlook plus spread (NaN where no ancestor has any evidence).
    weight_own : ndarray
        Weight of (a) in the pool, by year.
    nowcast : tuple or None
        ``(year, estimate, sd)`` of source (c) when applied.
    notes : list[str]
        One sentence per source, with its numbers.
    """

    key: str
    years: list
    centre: np.ndarray
    sd: np.ndarray
    own_centre: np.ndarray
    own_sd: np.ndarray
    anchor_centre: np.ndarray
    anchor_sd: np.ndarray
    weight_own: np.ndarray
    nowcast: tuple | None = None
    notes: list = field(default_factory=list)


# --------------------------------------------------------------------------- reported growth

def reported_growth(dataset, region: str, key: str) -> dict:
    """``{year: growth}`` reported for `region` (actual before preliminary; no targets, forecasts)."""
    from ..data.schema import REPORTED_STATUSES, STATUS_RANK

    obs = dataset.select(region=region, indicator=key, measure="growth", status=list(REPORTED_STATUSES))
    obs = obs[obs["period"].str.fullmatch(r"\d{4}")]
    if obs.empty:
        return {}
    obs = (obs.assign(_rank=obs["status"].map(STATUS_RANK), year=obs["period"].astype(int))
           .sort_values(["year", "_rank"], kind="stable").drop_duplicates("year"))
    return {int(y): float(v) for y, v in zip(obs["year"], obs["value"])}


def growth_spread(dataset, region: str, ancestor: str, key: str, prior_sd: float) -> dict:
    """The region's growth minus the ancestor's over the years both report, shrunk towards 0.

    Returns
    -------
    dict
        ``mean`` (shrunk, pp), ``sd`` (pp), ``n`` (years), ``raw`` (unshrunk mean, NaN for none),
        ``years``.
    """
    own, par = reported_growth(dataset, region, key), reported_growth(dataset, ancestor, key)
    years = sorted(set(own) & set(par))
    diffs = np.array([own[y] - par[y] for y in years], dtype=float)
    n = len(diffs)
    raw = float(diffs.mean()) if n else float("nan")
    mean = raw * n / (n + PRIOR_YEARS) if n else 0.0
    scatter = float(np.sum((diffs - raw) ** 2)) if n else 0.0
    sd = float(np.sqrt((PRIOR_YEARS * prior_sd**2 + scatter) / (PRIOR_YEARS + n)))
    return {"mean": mean, "sd": sd, "n": n, "raw": raw, "years": years}


# --------------------------------------------------------------------------- (b) the parent's outlook

def _published_outlook(dataset, ancestor: str, key: str, years) -> dict:
    """``{year: (centre, sd, text)}`` from the ancestor's forecasts and targets for those years."""
    fc = dataset.forecasts(ancestor)
    fc = fc[(fc["indicator"] == key) & (fc["measure"] == "growth")] if len(fc) else fc
    tg = dataset.targets(ancestor)
    tg = tg[(tg["indicator"] == key) & (tg["measure"] == "growth")] if len(tg) else tg
    base_sd = _forecast_error_sd(dataset, ancestor, key)
    out = {}
    for y in years:
        figures, texts = [], []
        for row in (fc[fc["period"] == str(y)].itertuples(index=False) if len(fc) else []):
            figures.append(float(row.value))
            when = f", published {row.published}" if row.published else ""
            texts.append(f"forecast {row.value:g}%{when}")
        for row in (tg[tg["period"] == str(y)].itertuples(index=False) if len(tg) else []):
            upper = row.value_upper
            if upper == upper:  # a range: its midpoint
                figures.append((float(row.value) + float(upper)) / 2)
                texts.append(f"target {row.value:g}–{upper:g}%")
            else:
                figures.append(float(row.value))
                texts.append(f"target {row.value:g}%")
        if figures:
            centre = float(np.mean(figures))
            disagreement = (max(figures) - min(figures)) / 2
            out[y] = (centre, float(np.hypot(base_sd, disagreement)), f"{ancestor} {y}: " + ", ".join(texts))
    return out


def _forecast_error_sd(dataset, ancestor: str, key: str) -> float:
    """Prior sd of a published outlook, pooled with the errors of earlier forecasts now known."""
    fc = dataset.select(region=ancestor, indicator=key, measure="growth", status="forecast")
    outcome = reported_growth(dataset, ancestor, key)
    errors = [float(v) - outcome[int(p)] for p, v in zip(fc["period"], fc["value"])
              if str(p).isdigit() and int(p) in outcome]
    n = len(errors)
    return float(np.sqrt((PRIOR_YEARS * PARENT_SD_PP**2 + sum(e * e for e in errors)) / (PRIOR_YEARS + n)))


def parent_outlook(dataset, region: str, key: str, years) -> dict | None:
    """The parent's growth outlook for `years`, from the nearest ancestor with evidence.

    Returns
    -------
    dict or None
        ``ancestor``, ``centre`` and ``sd`` (arrays by year), ``text`` (what it rests on); None
        when no ancestor of `region` has a forecast, target or reported growth for `key`.
    """
    ancestors = dataset.ancestors(region)
    h = len(years)
    for anc in ancestors:
        found = _published_outlook(dataset, anc, key, years)
        if not found:
            continue
        centre, sd = np.full(h, np.nan), np.full(h, np.nan)
        for i, y in enumerate(years):
            if y in found:
                centre[i], sd[i] = found[y][0], found[y][1]
        _hold(centre, sd)
        return {"ancestor": anc, "centre": centre, "sd": sd,
                "text": "; ".join(found[y][2] for y in sorted(found))}
    for anc in ancestors:
        past = reported_growth(dataset, anc, key)
        past = {y: v for y, v in past.items() if y < years[0]}
        if past:
            last = max(past)
            centre, sd = np.full(h, np.nan), np.full(h, np.nan)
            centre[0] = past[last]
            sd[0] = PARENT_SD_PP * np.sqrt(years[0] - last)
            _hold(centre, sd)
            return {"ancestor": anc, "centre": centre, "sd": sd,
                    "text": f"no published outlook; {anc}'s latest reported growth ({last}: {past[last]:g}%) held"}
    return None


def _hold(centre: np.ndarray, sd: np.ndarray) -> None:
    """Fill years without a figure: the nearest earlier figure held (sd widening), else the next one."""
    known = np.flatnonzero(np.isfinite(centre))
    for i in range(len(centre)):
        if np.isfinite(centre[i]):
            continue
        earlier = known[known < i]
        j = earlier[-1] if len(earlier) else known[known > i][0]
        centre[i] = centre[j]
        sd[i] = float(np.sqrt(sd[j] ** 2 + abs(i - j) * PARENT_SD_PP**2))


# --------------------------------------------------------------------------- the pool

def pool(own_centre, own_sd, anchor_centre, anchor_sd, weight_own: float = OWN_WEIGHT):
    """Mixture of two estimates with weight `weight_own` on the first: (centre, sd, weight), arrays by year.

    Where one estimate is missing (NaN centre) the other stands alone (weight 1 or 0).
    """
    o, so = np.asarray(own_centre, float), np.asarray(own_sd, float)
    a, sa = np.asarray(anchor_centre, float), np.asarray(anchor_sd, float)
    has_o, has_a = np.isfinite(o), np.isfinite(a)
    vo = np.where(has_o, so**2, 0.0)
    va = np.where(has_a, sa**2, 0.0)
    o0, a0 = np.where(has_o, o, 0.0), np.where(has_a, a, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(has_o & has_a, float(weight_own), np.where(has_o, 1.0, 0.0))
    centre = w * o0 + (1 - w) * a0
    var = w * vo + (1 - w) * va + w * (1 - w) * (o0 - a0) ** 2
    return centre, np.sqrt(var), w


def combine_nowcast(centre: float, sd: float, estimate: float, nowcast_sd: float) -> tuple[float, float]:
    """Two independent estimates of one year's growth combined by precision: (centre, sd)."""
    if nowcast_sd <= 0:
        return float(estimate), 0.0
    prec = 1 / sd**2 + 1 / nowcast_sd**2
    return float((centre / sd**2 + estimate / nowcast_sd**2) / prec), float(np.sqrt(1 / prec))


def indicator_outlook(dataset, region: str, key: str, years, fitted, history_years: int, extra_sd: float,
                      nowcast: tuple | None, prior_sd: float) -> IndicatorOutlook:
    """Combine (a) the forecaster, (b) the parent's outlook plus spread and (c) the nowcast.

    Parameters
    ----------
    dataset : econsim.data.Dataset
        As known at ``as_of`` (:meth:`~econsim.data.Dataset.as_known_at`).
    region, key : str
    years : list[int]
    fitted : pandas.DataFrame or None
        The forecaster's path (``mean``) and 80% band (``lo_80``, ``hi_80``) for `years`, fitted on
        the region's growth history with additive bands (:func:`econsim.forecasting.auto.forecast`,
        ``multiplicative=False``: growth can turn negative); None without enough own history.
    history_years : int
        Years of growth history the forecaster learnt from (for the note).
    extra_sd : float
        Yearly noise (pp) that widens the forecaster's spread to the reported evidence.
    nowcast : tuple or None
        ``(year, estimate, sd)`` from the year-to-date nowcast.
    prior_sd : float
        Prior sd (pp) of the region's spread over its parent (the spread of one-year changes in
        reported growth).
    """
    h = len(years)
    label = _ind.label(key)
    if fitted is None:
        own, own_sd = np.full(h, np.nan), np.full(h, np.inf)
        notes = [f"{label} outlook (a): fewer than 3 annual growth figures known, no own forecast"]
    else:
        own = fitted["mean"].to_numpy(dtype=float)
        own_sd = np.sqrt(((fitted["hi_80"] - fitted["lo_80"]).to_numpy(dtype=float) / (2 * Z80)) ** 2
                         + extra_sd**2)
        notes = [f"{label} outlook (a) own forecaster on {history_years} years of reported/reconstructed growth: "
                 f"{years[0]} {own[0]:.2f}% (sd {own_sd[0]:.2f} pp)"]
    anchor_c, anchor_sd = np.full(h, np.nan), np.full(h, np.nan)
    parent = parent_outlook(dataset, region, key, years)
    if parent is None:
        notes.append(f"{label} outlook (b): no ancestor of {region} has forecasts, targets or reported growth; "
                     "the outlook is the forecaster's alone")
    else:
        spread = growth_spread(dataset, region, parent["ancestor"], key, prior_sd)
        anchor_c = parent["centre"] + spread["mean"]
        anchor_sd = np.sqrt(parent["sd"] ** 2 + spread["sd"] ** 2)
        raw = "no common years" if not spread["n"] else (
            f"{spread['raw']:+.2f} pp over {spread['n']} year{'s' if spread['n'] > 1 else ''} "
            f"({', '.join(map(str, spread['years']))})")
        notes.append(f"{label} outlook (b) parent: {parent['text']} → {parent['centre'][0]:.2f}% "
                     f"(sd {parent['sd'][0]:.2f} pp); {region} over {parent['ancestor']}: {raw}, shrunk to "
                     f"{spread['mean']:+.2f} pp (sd {spread['sd']:.2f} pp)")
    centre, sd, w = pool(own, own_sd, anchor_c, anchor_sd)
    notes.append(f"{label} outlook {years[0]}: weights own {w[0]:.2f} / anchor {1 - w[0]:.2f} → "
                 f"{centre[0]:.2f}% (sd {sd[0]:.2f} pp)")
    applied = None
    if nowcast is not None and nowcast[0] in years:
        year, est, nsd = nowcast
        i = years.index(year)
        before = (centre[i], sd[i])
        centre[i], sd[i] = combine_nowcast(centre[i], sd[i], est, nsd)
        applied = nowcast
        notes.append(f"{label} outlook (c) nowcast {year}: {est:.2f}% (sd {nsd:.2f} pp) combined with "
                     f"{before[0]:.2f}% (sd {before[1]:.2f} pp) → {centre[i]:.2f}% (sd {sd[i]:.2f} pp)")
    return IndicatorOutlook(key=key, years=list(years), centre=centre, sd=sd, own_centre=own, own_sd=own_sd,
                            anchor_centre=anchor_c, anchor_sd=anchor_sd, weight_own=w, nowcast=applied,
                            notes=notes)


# --------------------------------------------------------------------------- joint draws

def correlations(dataset, region: str, keys) -> tuple[np.ndarray, list[str]]:
    """Correlation of annual growth between indicators, from reported history.

    Each pair uses the years in which both indicators have reported growth, in `region` and each
    of its ancestors, as deviations from that region's own mean over those years (so the level
    difference between a zone and its nation is not read as co-movement).  A correlation on fewer
    than :data:`MIN_CORRELATION_POINTS` degrees of freedom is 0; others are shrunk towards 0 by
    ``n / (n + PRIOR_YEARS)``; the matrix is then made positive semi-definite.

    Returns
    -------
    (ndarray, list[str])
        The matrix (order of `keys`) and one sentence per estimated pair.
    """
    keys = list(keys)
    k = len(keys)
    regions = [region] + dataset.ancestors(region)
    growth = {(r, key): reported_growth(dataset, r, key) for r in regions for key in keys}
    corr, notes = np.eye(k), []
    for i in range(k):
        for j in range(i + 1, k):
            xs, ys, dof = [], [], 0
            for r in regions:
                a, b = growth[(r, keys[i])], growth[(r, keys[j])]
                common = sorted(set(a) & set(b))
                if len(common) < 2:
                    continue
                x = np.array([a[y] for y in common])
                z = np.array([b[y] for y in common])
                xs.append(x - x.mean())
                ys.append(z - z.mean())
                dof += len(common) - 1
            if dof < MIN_CORRELATION_POINTS:
                continue
            x, z = np.concatenate(xs), np.concatenate(ys)
            denom = float(np.sqrt(np.sum(x * x) * np.sum(z * z)))
            if denom == 0:
                continue
            r_raw = float(np.sum(x * z) / denom)
            r = r_raw * dof / (dof + PRIOR_YEARS)
            corr[i, j] = corr[j, i] = r
            notes.append(f"{keys[i]}–{keys[j]} {r:+.2f} (raw {r_raw:+.2f} on {dof} degrees of freedom, "
                         f"{', '.join(rg for rg in regions if len(set(growth[(rg, keys[i])]) & set(growth[(rg, keys[j])])) >= 2)})")
    return _nearest_correlation(corr), notes


def _nearest_correlation(corr: np.ndarray) -> np.ndarray:
    """`corr` with negative eigenvalues clipped and the diagonal brought back to 1."""
    vals, vecs = np.linalg.eigh(corr)
    if vals.min() >= 1e-9:
        return corr
    fixed = vecs @ np.diag(np.maximum(vals, 1e-9)) @ vecs.T
    d = np.sqrt(np.diag(fixed))
    return fixed / np.outer(d, d)
