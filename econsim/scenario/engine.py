"""The Monte Carlo engine: a scenario's assumptions plus model uncertainty, 2026–2030.

For every indicator of a scenario the engine draws annual growth paths, shape ``(draws, years)``,
all draws at once (vectorised NumPy; the only Python loops are over the handful of indicators
and years):

1. **centre** — the scenario's number for the year, or the forecaster's path (``model``), fitted on
   the reconstructed 2020–2025 growth history of the dataset;
2. **noise** — the forecaster's own simulated spread around its path
   (:func:`econsim.forecasting.auto.simulate_paths` minus :func:`econsim.forecast`'s mean), scaled by
   ``uncertainty``; or, where the scenario states ``sd``, normal noise with that standard deviation.
   The forecaster learns from the reconstructed history, which is smooth by construction; where its
   first-year spread is below the spread of one-year changes in *reported* growth of the same
   indicator (any region of the dataset, at least three changes), independent yearly noise makes up
   the difference and a note says so (:func:`econsim.scenario.plan.reported_growth_spread`).
   With ``outlook: true`` (:mod:`econsim.scenario.outlook`) the centre and the width by year are the
   outlook's; the forecaster's simulated paths, rescaled to that width, give their shape over the
   years (normal noise of that width where the region has too little history of its own);
3. **joint draws** — in an outlook scenario the indicators with noise of their own are drawn
   jointly: correlated normal scores (the plan's correlation matrix) are drawn first, and each
   indicator's noise paths are reordered so their first-year ranks follow its score
   (:func:`rank_to`, Iman–Conover): each indicator keeps exactly its own distribution;
4. **links** — an indicator driven by others gets ``a + Σ b·growth(driver) + noise`` per draw,
   computed after its drivers;
5. **add factors and shocks** shift the path (percentage points; a shock fades by its persistence);
6. **overrides** pin a year's growth or level exactly;
7. **levels** chain from the last known (reconstructed) level:
   ``L_t = L_{t-1} · (1 + g_t/100) · (1 + p_t/100)``, where ``p_t`` is the price assumption that turns
   real (可比价) growth into nominal (现价) levels.

Everything computed here is status ``derived``.  Randomness comes from seeded
``numpy.random.Generator`` objects consumed in a fixed order, so the same inputs and seed give the
same draws and byte-identical CSV output.

**Seed blocks.** Draws come in blocks of :data:`SEED_BLOCK` paths.  Block 0 is drawn from
``default_rng(seed)`` (so a run of up to ``SEED_BLOCK`` draws is exactly what one generator gives);
block ``k ≥ 1`` from the ``k``-th child of ``numpy.random.SeedSequence(seed).spawn``.  The draws
therefore depend only on the seed and the draws count, never on how many blocks are simulated
together (:func:`simulate_chunks`'s ``chunk_draws``), which only bounds the memory in use.  Joint
draws are made within each seed block (the scores come first in the block's stream), so they are
reproducible per block in the same way.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .plan import IndicatorPlan, Plan

#: Standard normal quantile of 0.9: an 80% interval's half-width in standard deviations (the same as
#: :data:`econsim.scenario.outlook.Z80`, written here because the engine imports nothing of econsim).
_Z80 = 1.2815515655446004
#: Floor on a simulated annual growth rate, percent (draws below are cut here).
MIN_GROWTH = -95.0
#: Paths per seed block (part of the reproducibility contract: changing it changes the draws of
#: runs with more draws than this).
SEED_BLOCK = 250_000


# --------------------------------------------------------------------------- the engine

def simulate(plan: Plan, draws: int, rng: np.random.Generator,
             progress: Callable[[str], None] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Growth and level draws, each of shape ``(indicators, draws, years)``, in `plan.order`.

    Pure NumPy on the arrays of the plan: no file and no data are read here, and nothing but
    NumPy is imported; the forecaster's paths come from the plan's ``model_paths`` sampler.

    Parameters
    ----------
    plan : Plan
        From :func:`econsim.scenario.plan.prepare`.
    draws : int
        Number of Monte Carlo paths.
    rng : numpy.random.Generator
        The only source of randomness; consumed in a fixed order.
    progress : callable, optional
        Called with a short text after each indicator.

    Returns
    -------
    growth, level : ndarray
        Growth in percent and levels in each indicator's unit (NaN without a base level).
    """
    h = len(plan.years)
    order = plan.order
    growth = np.empty((len(order), draws, h))
    level = np.empty((len(order), draws, h))
    pos = {k: i for i, k in enumerate(order)}
    scores = _joint_scores(plan, draws, rng)
    for n, key in enumerate(order):
        p = plan.indicators[key]
        if p.links:
            g = _linked_growth(p, [growth[pos[ln["driver"]]] for ln in p.links], rng)
        else:
            score = scores[:, plan.joint.index(key)] if scores is not None and key in plan.joint else None
            g = _assumed_growth(p, draws, rng, score)
        _apply_nowcast(p, g, rng)
        g += p.shift
        # Normal or Student-t noise has unbounded tails; a level cannot fall by 100% or more.
        np.maximum(g, MIN_GROWTH, out=g)
        pinned = np.isfinite(p.override_growth)
        g[:, pinned] = p.override_growth[pinned]
        level[n] = _chain_levels(p, g)
        growth[n] = g
        if progress:
            progress(f"simulated {key} ({n + 1}/{len(order)})")
    return growth, level


def _linked_growth(p: IndicatorPlan, drivers: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """``a + Σ b·growth(driver) + noise`` per draw, percent, from each link's driver draws."""
    g = np.full(drivers[0].shape, sum(ln["a"] for ln in p.links), dtype=float)
    for ln, driver in zip(p.links, drivers):
        g += ln["b"] * driver
    noise_sd = float(np.sqrt(sum(ln["noise_sd"] ** 2 for ln in p.links)))
    if noise_sd > 0 and p.uncertainty > 0:
        g += (noise_sd * p.uncertainty) * rng.standard_normal(g.shape)
    return g


def _joint_scores(plan: Plan, draws: int, rng: np.random.Generator) -> np.ndarray | None:
    """Correlated standard normal scores, shape ``(draws, len(plan.joint))``; None without joint draws.

    Drawn before anything else of the block, so every block's stream has them at a fixed place.
    """
    if not plan.joint:
        return None
    chol = np.linalg.cholesky(plan.correlation + 1e-12 * np.eye(len(plan.joint)))
    return rng.standard_normal((draws, len(plan.joint))) @ chol.T


def _assumed_growth(p: IndicatorPlan, draws: int, rng: np.random.Generator,
                    score: np.ndarray | None = None) -> np.ndarray:
    """The centre plus noise (see :func:`_noise`) scaled by uncertainty.

    With a `score` per draw (joint draws), the noise paths are reordered so their first-year ranks
    follow the scores (:func:`rank_to`).
    """
    shape = (draws, len(p.centre))
    g = np.broadcast_to(p.centre, shape).copy()
    if p.uncertainty > 0:
        noise, scale = _noise(p, shape, rng)
        if noise is not None:
            if score is not None:
                noise = noise[rank_to(noise[:, 0], score)]
            g += scale * noise
    return g


def _noise(p: IndicatorPlan, shape: tuple[int, int], rng: np.random.Generator
           ) -> tuple[np.ndarray | None, float]:
    """Noise paths of shape `shape` and the factor they are added with (None: no noise).

    ``model``: the forecaster's paths around its mean, plus the evidence floor's yearly noise;
    ``outlook``: the same paths rescaled to the outlook's sd by year (normal noise of that sd when
    the region has no forecaster of its own); ``sd``: normal noise with the stated sd.
    """
    if p.noise == "outlook" and p.model_paths is None:  # no own history: the anchor's spread alone
        return p.outlook_sd * rng.standard_normal(shape), p.uncertainty
    if p.noise in ("model", "outlook"):
        noise = p.model_paths(shape[0], rng) - p.model_mean
        if p.noise == "outlook":
            # The forecaster's paths give the shape over time; the outlook sets the width.  The width
            # is measured as the outlook's is (its 80% interval over 2·z₀.₉), not by the standard
            # deviation: a short series' paths have Student-t tails with few degrees of freedom, whose
            # standard deviation is dominated by a handful of extreme draws (3 values of growth give
            # sd ≈ 80 pp for an 80% half-width of 1.5 pp), and dividing by it squeezed the bulk of the
            # draws to almost nothing.
            q10, q90 = np.quantile(noise, [0.1, 0.9], axis=0)
            spread = (q90 - q10) / (2 * _Z80)
            return noise / np.where(spread > 0, spread, 1.0) * p.outlook_sd, p.uncertainty
        if p.extra_sd > 0:
            noise += p.extra_sd * rng.standard_normal(shape)
        return noise, p.uncertainty
    if p.noise == "sd" and p.sd > 0:
        return rng.standard_normal(shape), p.sd * p.uncertainty
    return None, 0.0


def rank_to(values: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Row order that gives ``values[order]`` the ranks of `scores` (Iman–Conover reordering).

    The draw with the j-th smallest score receives the path with the j-th smallest first value, so
    each indicator keeps exactly its own distribution while the indicators' ranks follow the
    correlated scores.
    """
    order = np.empty(len(values), dtype=int)
    order[np.argsort(scores, kind="stable")] = np.argsort(values, kind="stable")
    return order


def _apply_nowcast(p: IndicatorPlan, g: np.ndarray, rng: np.random.Generator) -> None:
    """Replace the years the nowcast covers by draws around its estimate (in place)."""
    covered = np.isfinite(p.nowcast_centre)
    if covered.any():
        z = rng.standard_normal((g.shape[0], int(covered.sum())))
        g[:, covered] = p.nowcast_centre[covered] + p.nowcast_sd[covered] * z


def _chain_levels(p: IndicatorPlan, g: np.ndarray) -> np.ndarray:
    """Levels ``L_t = L_{t-1}(1 + g_t/100)(1 + p_t/100)`` from the base level, shape of `g`.

    A pinned level replaces the chained one, and that year's growth in `g` becomes the growth
    that reaches it from each draw's previous level (`g` is changed in place).
    """
    level = np.empty_like(g)
    prev = np.full(g.shape[0], p.base_level)
    for t in range(g.shape[1]):
        if np.isfinite(p.override_level[t]):
            level[:, t] = p.override_level[t]
            with np.errstate(invalid="ignore", divide="ignore"):
                g[:, t] = (p.override_level[t] / prev / (1 + p.price[t] / 100) - 1) * 100
        else:
            level[:, t] = prev * ((1 + g[:, t] / 100) * (1 + p.price[t] / 100))
        prev = level[:, t]
    return level


def block_sizes(draws: int, block_draws: int = SEED_BLOCK) -> list[int]:
    """Paths in each seed block of a run of `draws` paths (all full but the last)."""
    full, rest = divmod(int(draws), int(block_draws))
    return [int(block_draws)] * full + ([rest] if rest else [])


def simulate_chunks(plan: Plan, draws: int, seed: int, *, chunk_draws: int = SEED_BLOCK,
                    block_draws: int = SEED_BLOCK, progress=None):
    """Simulate `draws` paths chunk by chunk, yielding ``(growth, level, sizes)`` for each chunk.

    Parameters
    ----------
    plan : Plan
        From :func:`prepare`.
    draws : int
        Total number of Monte Carlo paths.
    seed : int
        Seed of the run; block ``k`` is drawn as described in the module docstring.
    chunk_draws : int
        Paths held in memory at once, rounded down to whole seed blocks (at least one block).
    block_draws : int
        Paths per seed block (:data:`SEED_BLOCK`; smaller only in tests).
    progress : callable, optional
        Called with a short text after each chunk.

    Yields
    ------
    growth, level : ndarray
        Shape ``(indicators, chunk paths, years)``, as :func:`simulate`.
    sizes : list[int]
        Paths of each seed block in the chunk, in order (they sum to the chunk's paths).
    """
    sizes = block_sizes(draws, block_draws)
    children = np.random.SeedSequence(int(seed)).spawn(len(sizes))
    per_chunk = max(1, int(chunk_draws) // int(block_draws))
    done = 0
    for start in range(0, len(sizes), per_chunk):
        parts = []
        for b in range(start, min(start + per_chunk, len(sizes))):
            rng = np.random.default_rng(int(seed) if b == 0 else children[b])
            parts.append(simulate(plan, sizes[b], rng))
        chunk = sizes[start: start + per_chunk]
        if len(parts) == 1:
            growth, level = parts[0]
        else:
            growth = np.concatenate([g for g, _ in parts], axis=1)
            level = np.concatenate([lv for _, lv in parts], axis=1)
        del parts
        done += sum(chunk)
        if progress:
            progress(f"simulated {done:,}/{int(draws):,} draws")
        yield growth, level, chunk
