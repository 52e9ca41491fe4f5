"""The engine: pure NumPy on a plan's arrays (no data, no files), reproducible from one generator."""
import ast
from pathlib import Path

import numpy as np
import pytest

import econsim.scenario.engine as engine
from econsim.scenario.plan import IndicatorPlan, Plan

YEARS = [2026, 2027, 2028]


def plan_of(**indicators) -> Plan:
    return Plan(scenario=None, region="r", years=YEARS, order=list(indicators), indicators=indicators,
                history={}, notes=[])


def assumed(key, centre, *, sd=0.0, base_level=100.0, price=0.0, links=(), **arrays) -> IndicatorPlan:
    nan = np.full(len(YEARS), np.nan)
    fields = dict(shift=np.zeros(len(YEARS)), override_growth=nan, override_level=nan,
                  nowcast_centre=nan, nowcast_sd=nan)
    fields.update(arrays)
    return IndicatorPlan(key=key, centre=np.asarray(centre, dtype=float), noise="sd" if sd else "none", sd=sd,
                         uncertainty=1.0, price=np.full(len(YEARS), price), base_level=base_level,
                         links=list(links), **fields)


def test_the_engine_module_imports_nothing_but_numpy():
    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    runtime = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    modules = {a.name for n in runtime if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module for n in runtime if isinstance(n, ast.ImportFrom)}
    inner = [n for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) for n in ast.walk(f)
             if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert modules <= {"__future__", "numpy", "collections.abc", "typing"} and not inner


def test_levels_chain_from_the_base_level_with_growth_and_prices():
    growth, level = engine.simulate(plan_of(x=assumed("x", [10.0, 0.0, -50.0], price=2.0)), 3,
                                    np.random.default_rng(0))
    assert np.allclose(level[0, :, 0], 100 * 1.10 * 1.02)
    assert np.allclose(level[0, :, 2], 100 * 1.10 * 1.02 * 1.02 * 0.5 * 1.02)


def test_a_pinned_level_sets_the_growth_that_reaches_it():
    pinned = np.array([np.nan, 121.0, np.nan])
    growth, level = engine.simulate(plan_of(x=assumed("x", [10.0, 0.0, 0.0], override_level=pinned)), 2,
                                    np.random.default_rng(0))
    assert np.allclose(growth[0, :, 1], 10.0) and np.allclose(level[0, :, 1], 121.0)


def test_a_pinned_level_with_a_price_assumption_sets_the_real_growth_that_reaches_it():
    # 100 → 110 in current prices with prices +2%: real growth 110 / 100 / 1.02 − 1 = 7.843%
    # (10% if the price change were ignored)
    pinned = np.array([110.0, np.nan, np.nan])
    growth, level = engine.simulate(plan_of(x=assumed("x", [0.0, 3.0, 0.0], price=2.0, override_level=pinned)), 2,
                                    np.random.default_rng(0))
    assert np.allclose(growth[0, :, 0], (110 / 100 / 1.02 - 1) * 100)
    assert np.allclose(level[0, :, 0], 110.0) and np.allclose(level[0, :, 1], 110 * 1.03 * 1.02)


def test_a_link_follows_each_draw_of_its_driver():
    driver = assumed("d", [5.0, 5.0, 5.0], sd=1.0)
    linked = assumed("l", [np.nan] * 3, links=[{"driver": "d", "a": 1.0, "b": 2.0, "noise_sd": 0.0}])
    growth, _ = engine.simulate(plan_of(d=driver, l=linked), 200, np.random.default_rng(1))
    assert np.allclose(growth[1], 1.0 + 2.0 * growth[0]) and growth[0].std() > 0.5


def test_growth_below_the_floor_is_cut_at_the_floor():
    growth, _ = engine.simulate(plan_of(x=assumed("x", [-99.0, 0.0, 0.0])), 2, np.random.default_rng(0))
    assert np.all(growth[0, :, 0] == engine.MIN_GROWTH)


def test_the_same_generator_seed_gives_the_same_draws():
    plan = plan_of(x=assumed("x", [5.0, 5.0, 5.0], sd=2.0))
    a, _ = engine.simulate(plan, 50, np.random.default_rng(7))
    b, _ = engine.simulate(plan, 50, np.random.default_rng(7))
    assert np.array_equal(a, b) and not np.array_equal(a, engine.simulate(plan, 50, np.random.default_rng(8))[0])


def test_the_engines_80_percent_quantile_is_the_outlooks_and_the_normal_distributions():
    from statistics import NormalDist

    from econsim.scenario.outlook import Z80

    assert engine._Z80 == Z80 == pytest.approx(NormalDist().inv_cdf(0.9), abs=1e-15)


# --------------------------------------------------------------------------- noise by kind
# Draws enough that the standard error of a mean is ~0.01 and of an sd ~0.005 (n = 12,000 x 3 years),
# far inside the tolerances below, while a wrong factor (sd·u vs sd/u, sd² ...) lands far outside.

N = 12_000


def test_stated_sd_noise_has_the_centre_as_mean_and_sd_times_uncertainty_as_spread():
    # sd 2.0 at uncertainty 0.5: normal noise of sd 2.0 · 0.5 = 1.0 around each year's centre
    p = assumed("x", [5.0, 6.0, 7.0], sd=2.0)
    p.uncertainty = 0.5
    growth, _ = engine.simulate(plan_of(x=p), N, np.random.default_rng(3))
    assert np.allclose(growth[0].mean(axis=0), [5.0, 6.0, 7.0], atol=0.05)
    assert np.allclose(growth[0].std(axis=0), 1.0, atol=0.03)


def test_stated_sd_noise_is_independent_from_year_to_year():
    growth, _ = engine.simulate(plan_of(x=assumed("x", [5.0, 5.0, 5.0], sd=1.0)), N, np.random.default_rng(4))
    assert abs(np.corrcoef(growth[0, :, 0], growth[0, :, 1])[0, 1]) < 0.05


def test_zero_uncertainty_leaves_exactly_the_centre():
    p = assumed("x", [5.0, 6.0, 7.0], sd=2.0)
    p.uncertainty = 0.0
    growth, _ = engine.simulate(plan_of(x=p), 5, np.random.default_rng(3))
    assert np.array_equal(growth[0], np.tile([5.0, 6.0, 7.0], (5, 1)))


def _fixed_paths(paths):
    """A model_paths sampler returning the given rows (the first `draws` of them), ignoring the generator."""
    paths = np.asarray(paths, dtype=float)
    return lambda draws, rng: paths[:draws].copy()


def test_model_noise_is_the_forecasters_paths_minus_its_mean_scaled_by_uncertainty():
    # paths scatter ±2 around the model's mean [1, 2, 3]; at uncertainty 0.5 the growth scatters ±1
    # around the scenario's centre [5, 5, 5]
    mean = np.array([1.0, 2.0, 3.0])
    p = assumed("x", [5.0, 5.0, 5.0], model_mean=mean,
                model_paths=_fixed_paths([mean + 2.0, mean - 2.0]))
    p.noise, p.uncertainty = "model", 0.5
    growth, _ = engine.simulate(plan_of(x=p), 2, np.random.default_rng(0))
    assert np.allclose(growth[0], [[6.0, 6.0, 6.0], [4.0, 4.0, 4.0]])


def test_the_evidence_floor_adds_independent_yearly_noise_of_extra_sd_to_the_models():
    # model paths ±0.6 (variance 0.36, equally often) plus normal noise of sd 0.8: variance 0.36 + 0.64 = 1;
    # at uncertainty 2 the sd is 2.0
    paths = np.tile([[0.6, 0.6, 0.6], [-0.6, -0.6, -0.6]], (N // 2, 1))
    p = assumed("x", [5.0, 5.0, 5.0], model_mean=np.zeros(3), model_paths=_fixed_paths(paths), extra_sd=0.8)
    p.noise, p.uncertainty = "model", 2.0
    growth, _ = engine.simulate(plan_of(x=p), N, np.random.default_rng(5))
    assert np.allclose(growth[0].mean(axis=0), 5.0, atol=0.05)
    assert np.allclose(growth[0].std(axis=0), 2.0, atol=0.04)
    assert abs(np.corrcoef(growth[0, :, 0], growth[0, :, 2])[0, 1] - 0.36) < 0.04  # the shared ±0.6 part


def test_outlook_noise_without_own_history_is_normal_with_the_outlooks_sd_by_year():
    p = assumed("x", [5.0, 5.0, 5.0], outlook_sd=np.array([1.0, 2.0, 4.0]))
    p.noise, p.uncertainty = "outlook", 0.5
    growth, _ = engine.simulate(plan_of(x=p), N, np.random.default_rng(6))
    assert np.allclose(growth[0].mean(axis=0), 5.0, atol=0.06)
    assert np.allclose(growth[0].std(axis=0), [0.5, 1.0, 2.0], rtol=0.03)


def test_outlook_noise_rescales_the_model_paths_so_their_80_percent_interval_is_the_outlooks():
    # Paths 0, 1, ..., 100 in each year (times 1, 0.01, 0): numpy's linear quantiles are 10 and 90, so the
    # measured width is (90 − 10) / (2 · z0.9); after rescaling the 10% and 90% quantiles must sit at
    # centre ∓ z0.9 · outlook_sd.  A year whose paths have no spread stays at the centre (no 0/0).
    base = np.arange(101.0)[:, None] * np.array([1.0, 0.01, 0.0])
    p = assumed("x", [5.0, 5.0, 5.0], model_mean=np.full(3, 50.0) * [1.0, 0.01, 0.0],
                model_paths=_fixed_paths(base), outlook_sd=np.array([1.0, 3.0, 2.0]))
    p.noise = "outlook"
    growth, _ = engine.simulate(plan_of(x=p), 101, np.random.default_rng(0))
    q10, q90 = np.quantile(growth[0], [0.1, 0.9], axis=0)
    z = engine._Z80
    assert np.allclose(q10[:2], [5.0 - z * 1.0, 5.0 - z * 3.0]) and np.allclose(q90[:2], [5.0 + z, 5.0 + 3 * z])
    assert np.array_equal(growth[0, :, 2], np.full(101, 5.0))


def test_outlook_noise_is_scaled_by_uncertainty_after_the_rescaling():
    base = np.arange(101.0)[:, None] * np.ones(3)
    p = assumed("x", [0.0, 0.0, 0.0], model_mean=np.full(3, 50.0), model_paths=_fixed_paths(base),
                outlook_sd=np.ones(3))
    p.noise, p.uncertainty = "outlook", 0.5
    growth, _ = engine.simulate(plan_of(x=p), 101, np.random.default_rng(0))
    assert np.allclose(np.quantile(growth[0], 0.9, axis=0), 0.5 * engine._Z80)


# --------------------------------------------------------------------------- joint draws

def test_rank_to_gives_the_values_the_ranks_of_the_scores_by_hand():
    # scores 0.5, −1, 2 rank middle, lowest, highest; values 3, 1, 2 sorted are 1, 2, 3, so the draws
    # receive 2, 1, 3, i.e. values[[2, 1, 0]]
    values, scores = np.array([3.0, 1.0, 2.0]), np.array([0.5, -1.0, 2.0])
    order = engine.rank_to(values, scores)
    assert order.tolist() == [2, 1, 0] and values[order].tolist() == [2.0, 1.0, 3.0]


def test_rank_to_keeps_the_values_and_only_reorders_them():
    values, scores = np.array([4.0, -1.0, 7.0, 0.5, 2.0]), np.array([9.0, 8.0, 7.0, 6.0, 5.0])
    order = engine.rank_to(values, scores)
    assert sorted(order.tolist()) == [0, 1, 2, 3, 4]
    assert values[order].tolist() == [7.0, 4.0, 2.0, 0.5, -1.0]  # falling scores: falling values


def _joint_plan(correlation, **indicators):
    plan = plan_of(**indicators)
    plan.joint = list(indicators)
    plan.correlation = np.asarray(correlation, dtype=float)
    return plan


def test_joint_draws_give_the_first_years_the_correlation_of_the_plan():
    # Normal noise reordered to the ranks of normal scores of correlation ρ has (almost) correlation ρ
    # (Spearman of the scores, 6/π·asin(ρ/2), is the rank correlation exactly): −0.7, 0.5 and −0.35.
    # Standard error of a correlation at n = 12,000 is about (1 − ρ²)/√n < 0.01.
    corr = [[1.0, -0.7, 0.5], [-0.7, 1.0, -0.35], [0.5, -0.35, 1.0]]
    plan = _joint_plan(corr, a=assumed("a", [5.0] * 3, sd=1.0), b=assumed("b", [3.0] * 3, sd=2.0),
                       c=assumed("c", [1.0] * 3, sd=0.5))
    growth, _ = engine.simulate(plan, N, np.random.default_rng(11))
    got = np.corrcoef(growth[:, :, 0])
    assert np.allclose(got, corr, atol=0.03)
    # each keeps its own distribution, and the later years are not reordered (independent noise)
    assert np.allclose(growth[:, :, 0].std(axis=1), [1.0, 2.0, 0.5], rtol=0.03)
    assert abs(np.corrcoef(growth[0, :, 1], growth[1, :, 1])[0, 1]) < 0.05


def test_an_indicator_outside_the_joint_set_is_drawn_independently():
    plan = _joint_plan([[1.0, 0.9], [0.9, 1.0]], a=assumed("a", [5.0] * 3, sd=1.0),
                       b=assumed("b", [3.0] * 3, sd=1.0), c=assumed("c", [1.0] * 3, sd=1.0))
    plan.joint = ["a", "b"]
    growth, _ = engine.simulate(plan, N, np.random.default_rng(12))
    assert np.corrcoef(growth[0, :, 0], growth[1, :, 0])[0, 1] > 0.85
    assert abs(np.corrcoef(growth[0, :, 0], growth[2, :, 0])[0, 1]) < 0.05


# --------------------------------------------------------------------------- links, nowcasts, shifts

def test_links_add_their_intercepts_and_slopes_and_combine_their_noise_in_quadrature():
    # g = (1 + 2) + 0.5·d1 − 1·d2 + noise of sd √(0.3² + 0.4²) · 4 = 2.0; the drivers have no noise
    d1, d2 = assumed("d1", [4.0, 6.0, 8.0]), assumed("d2", [1.0, 1.0, 2.0])
    links = [{"driver": "d1", "a": 1.0, "b": 0.5, "noise_sd": 0.3}, {"driver": "d2", "a": 2.0, "b": -1.0, "noise_sd": 0.4}]
    linked = assumed("l", [np.nan] * 3, links=links)
    linked.uncertainty = 4.0
    growth, _ = engine.simulate(plan_of(d1=d1, d2=d2, l=linked), N, np.random.default_rng(2))
    assert np.allclose(growth[2].mean(axis=0), [3 + 2 - 1, 3 + 3 - 1, 3 + 4 - 2], atol=0.05)
    assert np.allclose(growth[2].std(axis=0), 2.0, atol=0.04)


def test_a_link_at_zero_uncertainty_has_no_noise_of_its_own():
    linked = assumed("l", [np.nan] * 3, links=[{"driver": "d", "a": 1.0, "b": 2.0, "noise_sd": 3.0}])
    linked.uncertainty = 0.0
    growth, _ = engine.simulate(plan_of(d=assumed("d", [5.0, 5.0, 5.0], sd=1.0), l=linked), 50,
                                np.random.default_rng(1))
    assert np.allclose(growth[1], 1.0 + 2.0 * growth[0])


def test_a_nowcast_replaces_its_years_by_draws_around_its_estimate():
    nowcast_centre = np.array([4.5, np.nan, np.nan])
    nowcast_sd = np.array([0.5, np.nan, np.nan])
    p = assumed("x", [9.0, 9.0, 9.0], sd=2.0, nowcast_centre=nowcast_centre, nowcast_sd=nowcast_sd)
    growth, _ = engine.simulate(plan_of(x=p), N, np.random.default_rng(8))
    assert growth[0, :, 0].mean() == pytest.approx(4.5, abs=0.02)
    assert growth[0, :, 0].std() == pytest.approx(0.5, abs=0.015)
    assert growth[0, :, 1].mean() == pytest.approx(9.0, abs=0.06) and growth[0, :, 1].std() == pytest.approx(2.0, abs=0.05)


def test_add_factors_and_shocks_shift_and_an_override_pins_the_growth():
    p = assumed("x", [5.0, 5.0, 5.0], shift=np.array([1.5, -0.5, 0.0]), override_growth=np.array([np.nan, np.nan, 2.0]))
    growth, level = engine.simulate(plan_of(x=p), 2, np.random.default_rng(0))
    assert np.allclose(growth[0], [[6.5, 4.5, 2.0]] * 2)
    assert np.allclose(level[0, :, 2], 100 * 1.065 * 1.045 * 1.02)


def test_levels_without_a_base_level_are_nan_but_growth_is_kept():
    growth, level = engine.simulate(plan_of(x=assumed("x", [5.0, 5.0, 5.0], base_level=np.nan)), 2,
                                    np.random.default_rng(0))
    assert np.isnan(level).all() and np.allclose(growth, 5.0)


def test_progress_is_reported_after_each_indicator():
    seen = []
    engine.simulate(plan_of(a=assumed("a", [1.0] * 3), b=assumed("b", [2.0] * 3)), 2, np.random.default_rng(0),
                    progress=seen.append)
    assert seen == ["simulated a (1/2)", "simulated b (2/2)"]


# --------------------------------------------------------------------------- seed blocks

def test_block_sizes_are_full_blocks_then_the_rest():
    assert engine.block_sizes(10, 4) == [4, 4, 2]
    assert engine.block_sizes(8, 4) == [4, 4]
    assert engine.block_sizes(3, 4) == [3]
    assert engine.block_sizes(5) == [5] and engine.block_sizes(engine.SEED_BLOCK + 1) == [engine.SEED_BLOCK, 1]


def test_seed_blocks_are_drawn_from_the_seed_and_its_spawned_children():
    # block 0 from default_rng(seed); block k ≥ 1 from the k-th child of SeedSequence(seed).spawn(blocks)
    plan = plan_of(x=assumed("x", [5.0, 5.0, 5.0], sd=2.0))
    (growth, level, sizes), = engine.simulate_chunks(plan, 10, 42, chunk_draws=100, block_draws=4)
    children = np.random.SeedSequence(42).spawn(3)
    expected = [engine.simulate(plan, 4, np.random.default_rng(42))[0],
                engine.simulate(plan, 4, np.random.default_rng(children[1]))[0],
                engine.simulate(plan, 2, np.random.default_rng(children[2]))[0]]
    assert sizes == [4, 4, 2] and np.array_equal(growth, np.concatenate(expected, axis=1))
    assert level.shape == (1, 10, 3) and np.allclose(level[0, :, 0], 100 * (1 + growth[0, :, 0] / 100) * 1.0)


def test_the_draws_do_not_depend_on_the_chunk_size_and_progress_counts_the_draws_done():
    plan = plan_of(x=assumed("x", [5.0, 5.0, 5.0], sd=2.0))
    seen = []
    chunks = list(engine.simulate_chunks(plan, 2_500, 7, chunk_draws=2_000, block_draws=1_000, progress=seen.append))
    assert [c[2] for c in chunks] == [[1_000, 1_000], [500]]
    one, = engine.simulate_chunks(plan, 2_500, 7, chunk_draws=10_000, block_draws=1_000)
    assert np.array_equal(np.concatenate([c[0] for c in chunks], axis=1), one[0])
    assert np.array_equal(np.concatenate([c[1] for c in chunks], axis=1), one[1])
    assert seen == ["simulated 2,000/2,500 draws", "simulated 2,500/2,500 draws"]


def test_a_chunk_smaller_than_a_block_still_holds_one_block():
    plan = plan_of(x=assumed("x", [5.0, 5.0, 5.0], sd=2.0))
    chunks = list(engine.simulate_chunks(plan, 5, 1, chunk_draws=1, block_draws=2))
    assert [c[2] for c in chunks] == [[2], [2], [1]] and [c[0].shape[1] for c in chunks] == [2, 2, 1]


def test_rank_to_keeps_tied_values_and_tied_scores_in_their_original_order():
    # Ties (a forecaster's paths can share a first value) are broken by position, not by the sort
    # algorithm, so the reordering is the same on every NumPy: paths 50–99 (value 0) go to the even
    # draws (score 0) in order, paths 0–49 (value 1) to the odd draws (score 1) in order.
    values, scores = np.repeat([1.0, 0.0], 50), np.tile([0.0, 1.0], 50)
    order = engine.rank_to(values, scores)
    assert order[0::2].tolist() == list(range(50, 100)) and order[1::2].tolist() == list(range(50))


def test_a_singular_correlation_draws_two_indicators_as_one():
    # correlation 1 (not positive definite): the same ranks in the first year for both
    plan = _joint_plan([[1.0, 1.0], [1.0, 1.0]], a=assumed("a", [5.0] * 3, sd=1.0), b=assumed("b", [3.0] * 3, sd=2.0))
    growth, _ = engine.simulate(plan, 200, np.random.default_rng(13))
    assert np.array_equal(np.argsort(growth[0, :, 0]), np.argsort(growth[1, :, 0]))


def test_links_with_integer_coefficients_as_a_yaml_file_gives_them():
    linked = assumed("l", [np.nan] * 3, links=[{"driver": "d", "a": 1, "b": 2, "noise_sd": 0}])
    growth, _ = engine.simulate(plan_of(d=assumed("d", [2.5, 5.0, 7.5]), l=linked), 2, np.random.default_rng(0))
    assert np.allclose(growth[1], [[6.0, 11.0, 16.0]] * 2)


# --------------------------------------------------------------------------- the generator's stream
# Same seed, same draws: each draw is the documented formula applied to the generator's next normals.

def test_a_nowcast_draw_is_its_estimate_plus_its_sd_times_the_next_normal():
    p = assumed("x", [9.0, 9.0, 9.0], nowcast_centre=np.array([4.5, np.nan, np.nan]),
                nowcast_sd=np.array([0.5, np.nan, np.nan]))
    growth, _ = engine.simulate(plan_of(x=p), 5, np.random.default_rng(8))
    assert np.allclose(growth[0, :, 0], 4.5 + 0.5 * np.random.default_rng(8).standard_normal((5, 1))[:, 0])


@pytest.mark.parametrize("uncertainty", [3.0, 0.5])
def test_a_links_noise_is_its_sd_times_uncertainty_times_the_next_normals(uncertainty):
    # an uncertainty below 1 narrows the link's noise; it does not switch it off
    linked = assumed("l", [np.nan] * 3, links=[{"driver": "d", "a": 1.0, "b": 2.0, "noise_sd": 0.5}])
    linked.uncertainty = uncertainty
    growth, _ = engine.simulate(plan_of(d=assumed("d", [1.0, 2.0, 3.0]), l=linked), 4, np.random.default_rng(9))
    z = np.random.default_rng(9).standard_normal((4, 3))
    assert np.allclose(growth[1], 1.0 + 2.0 * np.array([1.0, 2.0, 3.0]) + 0.5 * uncertainty * z)


def test_the_model_paths_are_drawn_with_the_engines_generator_and_the_floor_after_them():
    # paths = mean + next normals (drawn by the sampler from the engine's generator), then the floor's
    # 0.5 · next normals; growth = centre + uncertainty · (paths − mean + floor)
    mean = np.array([1.0, 2.0, 3.0])
    p = assumed("x", [5.0, 5.0, 5.0], model_mean=mean, extra_sd=0.5,
                model_paths=lambda draws, rng: mean + rng.standard_normal((draws, 3)))
    p.noise, p.uncertainty = "model", 2.0
    growth, _ = engine.simulate(plan_of(x=p), 4, np.random.default_rng(10))
    rng = np.random.default_rng(10)
    paths_noise = rng.standard_normal((4, 3))
    floor = 0.5 * rng.standard_normal((4, 3))
    assert np.allclose(growth[0], 5.0 + 2.0 * (paths_noise + floor))


def _quiet(kind):
    """An indicator that has no noise of its own, in each of the ways a plan can say so."""
    if kind == "zero uncertainty":
        p = assumed("x", [5.0] * 3, sd=2.0)
        p.uncertainty = 0.0
    elif kind == "zero sd":
        p = assumed("x", [5.0] * 3)
        p.noise = "sd"
    elif kind == "no noise":
        p = assumed("x", [5.0] * 3, sd=2.0)
        p.noise = "none"
    elif kind == "model without floor":
        p = assumed("x", [5.0] * 3, model_mean=np.zeros(3), model_paths=_fixed_paths(np.zeros((6, 3))))
        p.noise = "model"
    elif kind == "link without noise":
        p = assumed("x", [np.nan] * 3, links=[{"driver": "d", "a": 0.0, "b": 1.0, "noise_sd": 0.0}])
    else:  # a link at zero uncertainty
        p = assumed("x", [np.nan] * 3, links=[{"driver": "d", "a": 0.0, "b": 1.0, "noise_sd": 2.0}])
        p.uncertainty = 0.0
    return p


@pytest.mark.parametrize("kind", ["zero uncertainty", "zero sd", "no noise", "model without floor",
                                  "link without noise", "link at zero uncertainty"])
def test_an_indicator_without_noise_takes_nothing_from_the_generator(kind):
    # so adding it to a scenario leaves the draws of the others as they were: y = 3 + 1.0 · next normals
    plan = plan_of(d=assumed("d", [5.0] * 3), x=_quiet(kind), y=assumed("y", [3.0] * 3, sd=1.0))
    growth, _ = engine.simulate(plan, 6, np.random.default_rng(21))
    assert np.allclose(growth[1], 5.0)
    assert np.allclose(growth[2], 3.0 + np.random.default_rng(21).standard_normal((6, 3)))
