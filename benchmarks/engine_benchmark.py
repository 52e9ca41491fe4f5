"""Benchmark of the scenario engine (not a test): draws per second and model-fitting time.

Targets (issue 4): 100,000 draws × 5 years × every indicator of the baseline in under 1 s of engine
time on one core (model fitting excluded), and fitting the forecaster to every indicator of the
dataset that has enough history in under 2 s.  Reports medians of several repeats.

Run::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/engine_benchmark.py [--draws 100000] [--repeats 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")  # one core, as the target says


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--scenario", default="baseline")
    args = ap.parse_args()

    import numpy as np

    import econsim
    from econsim.forecasting.auto import forecast
    from econsim.scenario.files import load_scenario
    from econsim.scenario.plan import prepare
    from econsim.scenario.engine import simulate

    ds = econsim.load_dataset()
    t = time.perf_counter()
    ds.with_reconstruction()
    reconstruct_s = time.perf_counter() - t
    sc = load_scenario(args.scenario)

    # Model fitting: the auto forecaster on every dataset series with at least 3 annual growth figures.
    series = []
    for region in ds.regions:
        for key in ds.select(region=region)["indicator"].unique():
            try:
                y = ds.series(key, region=region, measure="growth")
            except econsim.InputError:
                continue
            if len(y) >= 3:
                series.append(y.to_numpy())
    forecast(series[0], 5)  # first call pays imports (scipy), not fitting
    fit = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        for y in series:
            forecast(y, 5)
        fit.append(time.perf_counter() - t)

    prepare_s, engine = [], []
    for r in range(args.repeats):
        t = time.perf_counter()
        plan = prepare(sc, ds)
        prepare_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        growth, _ = simulate(plan, args.draws, np.random.default_rng(r))
        engine.append(time.perf_counter() - t)
    cells = growth.shape[0] * growth.shape[1] * growth.shape[2]
    med = statistics.median(engine)
    print(f"scenario {sc.name}: {growth.shape[0]} indicators × {args.draws:,} draws × {growth.shape[2]} years "
          f"= {cells:,} cells")
    print(f"engine (simulate, excl. fitting): median {med:.3f} s over {args.repeats} repeats "
          f"(min {min(engine):.3f}, max {max(engine):.3f}) -> {args.draws / med:,.0f} draws/s")
    print(f"prepare (scenario models fitted): median {statistics.median(prepare_s):.3f} s")
    print(f"model fitting, whole dataset ({len(series)} series): median {statistics.median(fit):.3f} s")
    print(f"reconstruction of the dataset (once, cached): {reconstruct_s:.3f} s")


if __name__ == "__main__":
    main()
