"""The Monte Carlo engine: a scenario's assumptions plus model uncertainty, 2026–2030.

For every indicator of a scenario the engine draws annual growth paths, shape ``(draws, years)``,
all draws at once (vectorised NumPy; the only Python loops are over the handful of indicators
and years):

1. **centre** — the scenario's number for the year, or the forecaster's path (``model``), fitted on
   the reconstructed 2020–2025 growth history of the dataset;
2. **noise** — the forecaster's own simulated spread around its path
   (:func:`econsim.models.simulate_paths` minus :func:`econsim.models.forecast`'s mean), scaled by
   ``uncertainty``; or, where the scenario states ``sd``, normal noise with that standard deviation.
   The forecaster learns from the reconstructed history, which is smooth by construction; where its
   first-year spread is below the spread of one-year changes in *reported* growth of the same
   indicator (any region of the dataset, at least three changes), independent yearly noise makes up
   the difference and a note says so (:func:`reported_growth_spread`);
   With ``outlook: true`` (:mod:`econsim.scenario.outlook`) the centre and the width by year are the
   outlook's; the forecaster's simulated paths, rescaled to that width, give their shape over the
   years.  The outlook's indicators (and the scenario's ``sd`` paths) are drawn jointly: correlated
   normal scores are drawn first, and each indicator's paths are reordered so their first-year ranks
   follow its score (each keeps its own distribution);
3. **links** — an indicator driven by others gets ``a + Σ b·growth(driver) + noise`` per draw,
   computed after its drivers;
4. **add factors and shocks** shift the path (percentage points; a shock fades by its persistence);
5. **overrides** pin a year's growth or level exactly;
6. **levels** chain from the last known (reconstructed) level:
   ``L_t = L_{t-1} · (1 + g_t/100) · (1 + p_t/100)``, where ``p_t`` is the price assumption that turns
   real (可比价) growth into nominal (现价) levels.

Everything computed here is status ``derived``.  Randomness comes from one seeded
``numpy.random.Generator`` consumed in a fixed order, so the same inputs and seed give the same
draws and byte-identical CSV output.
"""
from __future__ import annotations


import numpy as np

from .outlook import rank_to
from .plan import _Plan, _model_mean
#: Floor on a simulated annual growth rate, percent (draws below are cut here).
MIN_GROWTH = -95.0


# --------------------------------------------------------------------------- the engine

def simulate(plan: _Plan, draws: int, rng: np.random.Generator, progress=None):
    """Growth and level draws, each of shape ``(indicators, draws, years)``, in `plan.order`.

    Parameters
    ----------
    plan : _Plan
        From :func:`prepare`.
    draws : int
        Number of Monte Carlo paths.
    rng : numpy.random.Generator
        The only source of randomness; consumed in a fixed order.
    progress : callable, optional
        Called with a short text after each indicator.
    """
    from ..forecasting.auto import simulate_paths

    h = len(plan.years)
    order = plan.order
    growth = np.empty((len(order), draws, h))
    level = np.empty((len(order), draws, h))
    pos = {k: i for i, k in enumerate(order)}
    scores = None
    if plan.joint:
        # Correlated scores first (a fixed place in the random stream); each jointly drawn indicator's
        # paths are then reordered so their ranks follow its column (see outlook.rank_to).
        chol = np.linalg.cholesky(plan.correlation + 1e-12 * np.eye(len(plan.joint)))
        scores = rng.standard_normal((draws, len(plan.joint))) @ chol.T
    for n, key in enumerate(order):
        p = plan.indicators[key]
        if p.links:
            g = np.full((draws, h), sum(ln["a"] for ln in p.links), dtype=float)
            for ln in p.links:
                g += ln["b"] * growth[pos[ln["driver"]]]
            noise_sd = float(np.sqrt(sum(ln["noise_sd"] ** 2 for ln in p.links)))
            if noise_sd > 0 and p.uncertainty > 0:
                g += (noise_sd * p.uncertainty) * rng.standard_normal((draws, h))
        else:
            g = np.broadcast_to(p.centre, (draws, h)).copy()
            if p.uncertainty > 0:
                noise = None
                if p.noise == "outlook" and p.model_y is None:  # no own history: the anchor's spread alone
                    noise = p.outlook_sd * rng.standard_normal((draws, h))
                elif p.noise in ("model", "outlook"):
                    paths = simulate_paths(p.model_y, h + p.model_offset, draws, rng=rng)[:, p.model_offset:]
                    noise = paths - _model_mean(p)
                    if p.noise == "outlook":
                        # the forecaster's paths give the shape over time; the outlook sets the width
                        spread = noise.std(axis=0)
                        noise = noise / np.where(spread > 0, spread, 1.0) * p.outlook_sd
                    elif p.extra_sd > 0:
                        noise += p.extra_sd * rng.standard_normal((draws, h))
                elif p.noise == "sd" and p.sd > 0:
                    noise = p.sd * rng.standard_normal((draws, h))
                if noise is not None:
                    if scores is not None and key in plan.joint:
                        noise = noise[rank_to(noise[:, 0], scores[:, plan.joint.index(key)])]
                    g += p.uncertainty * noise
        nc = np.isfinite(p.nowcast_centre)
        if nc.any():
            z = rng.standard_normal((draws, int(nc.sum())))
            g[:, nc] = p.nowcast_centre[nc] + p.nowcast_sd[nc] * z
        g += p.shift
        # Normal or Student-t noise has unbounded tails; a level cannot fall by 100% or more.
        np.maximum(g, MIN_GROWTH, out=g)
        pinned = np.isfinite(p.override_growth)
        g[:, pinned] = p.override_growth[pinned]
        lv = level[n]
        prev = np.full(draws, p.base_level)
        for t in range(h):
            factor = (1 + g[:, t] / 100) * (1 + p.price[t] / 100)
            if np.isfinite(p.override_level[t]):
                lv[:, t] = p.override_level[t]
                with np.errstate(invalid="ignore", divide="ignore"):
                    g[:, t] = (p.override_level[t] / prev / (1 + p.price[t] / 100) - 1) * 100
            else:
                lv[:, t] = prev * factor
            prev = lv[:, t]
        growth[n] = g
        if progress:
            progress(f"simulated {key} ({n + 1}/{len(order)})")
    return growth, level
