"""Backtest of the outlook's weights (not a test): what the bundled data say about pooling a region's
own path with its parent's outlook plus a shrunk growth spread.

Every (region, ancestor, indicator, year Y) where the region and the ancestor both report growth for Y
and the region reports growth for some earlier year becomes a case.  Using only figures of years
before Y:

* own = the region's latest reported growth before Y (the naive path: held-out years leave too few
  consecutive figures for the forecaster itself — the outlook's own forecaster is usually close to it);
* anchor = the ancestor's outcome for Y (a perfect parent outlook: isolates the spread part) or,
  where the data hold one, its latest published forecast for Y, plus the region's mean spread over the
  ancestor in earlier years shrunk by n / (n + k);
* pooled = w · own + (1 − w) · anchor, for a grid of w and k.

Mean absolute error over the cases for each (w, k).  With a handful of cases from one zone, one city
and two national years, this says which way the evidence leans, not what the weights should be.

Run::

    .venv/bin/python benchmarks/outlook_backtest.py
"""
from __future__ import annotations

from econsim.scenario.outlook import PRIOR_YEARS


def cases(ds):
    from econsim.scenario.outlook import reported_growth

    out = []
    for region in ds.regions:
        for anc in ds.ancestors(region):
            if anc not in ds.regions:
                continue
            for key in sorted(set(ds.select(region=region, measure="growth")["indicator"])):
                own, par = reported_growth(ds, region, key), reported_growth(ds, anc, key)
                for y in sorted(set(own) & set(par)):
                    before = [t for t in own if t < y]
                    if not before:
                        continue
                    spreads = [own[t] - par[t] for t in sorted(set(own) & set(par)) if t < y]
                    fc = ds.as_known_at(f"{y}-12").forecasts(anc)
                    fc = fc[(fc["indicator"] == key) & (fc["period"] == str(y))]
                    out.append({"region": region, "ancestor": anc, "indicator": key, "year": y,
                                "actual": own[y], "own": own[max(before)], "parent_outcome": par[y],
                                "parent_forecast": float(fc["value"].iloc[0]) if len(fc) else None,
                                "spreads": spreads})
    return out


def main() -> None:
    from econsim.data.dataset import load_dataset

    ds = load_dataset()
    cs = cases(ds)
    print(f"{len(cs)} cases (region/ancestor indicator year: actual; own naive; parent outcome; earlier spreads)")
    for c in cs:
        pf = f"; parent forecast {c['parent_forecast']:g}" if c["parent_forecast"] is not None else ""
        print(f"  {c['region']}/{c['ancestor']} {c['indicator']} {c['year']}: {c['actual']:g}; own {c['own']:g}; "
              f"parent {c['parent_outcome']:g}{pf}; spreads {[round(s, 2) for s in c['spreads']]}")
    weights, ks = (0.0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1.0), (0.0, 1.0, 2.0, 4.0)
    for label, parent_key, only in (("parent outcome (perfect parent outlook)", "parent_outcome", None),
                                    ("parent outcome, GDP cases only", "parent_outcome", "gdp"),
                                    ("parent's published forecast", "parent_forecast", None)):
        use = [c for c in cs if c[parent_key] is not None and only in (None, c["indicator"])]
        print(f"\nMAE (pp) with the {label}, {len(use)} cases; rows w (weight of own), columns k (shrinkage)")
        print("   w \\ k " + "".join(f"{k:>7g}" for k in ks))
        for w in weights:
            maes = []
            for k in ks:
                errs = []
                for c in use:
                    n = len(c["spreads"])
                    s = (sum(c["spreads"]) / n) * n / (n + k) if n else 0.0
                    pooled = w * c["own"] + (1 - w) * (c[parent_key] + s)
                    errs.append(abs(pooled - c["actual"]))
                maes.append(sum(errs) / len(errs))
            print(f"  {w:5.2f}  " + "".join(f"{m:7.2f}" for m in maes))
        errs, ws = [], []
        for c in use:
            centre, w = precision_pool(ds, c, parent_key)
            errs.append(abs(centre - c["actual"]))
            ws.append(w)
        print(f"  precision weights instead (k = {PRIOR_YEARS:g}): MAE {sum(errs) / len(errs):.2f}, "
              f"weight of own {min(ws):.2f}–{max(ws):.2f} (mean {sum(ws) / len(ws):.2f})")


def precision_pool(ds, c, parent_key):
    """Precision weights (the alternative to a fixed weight) on one case: (pooled centre, weight of own).

    The naive own path's sd is the spread of one-year changes in reported growth (what the outlook
    floors its forecaster at); the anchor's is the parent prior (PARENT_SD_PP) with the spread's sd.
    That spread of changes pools every year of the data, so it peeks at the held-out year a little.
    """
    import numpy as np

    from econsim.scenario.outlook import PARENT_SD_PP, pool
    from econsim.scenario.plan import reported_growth_spread

    s0 = reported_growth_spread(ds, c["indicator"])[0]
    n = len(c["spreads"])
    raw = sum(c["spreads"]) / n if n else 0.0
    scatter = sum((d - raw) ** 2 for d in c["spreads"])
    spread_sd = np.sqrt((PRIOR_YEARS * s0**2 + scatter) / (PRIOR_YEARS + n))
    anchor = c[parent_key] + raw * n / (n + PRIOR_YEARS)
    vo, va = s0**2, PARENT_SD_PP**2 + spread_sd**2
    w = va / (vo + va) if vo + va > 0 else 1.0
    centre, _, _ = pool([c["own"]], [s0], [anchor], [np.sqrt(va)], weight_own=w)
    return float(centre[0]), float(w)


if __name__ == "__main__":
    main()
