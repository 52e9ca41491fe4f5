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
