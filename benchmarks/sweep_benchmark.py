"""Sweep wall time in-process, on a LocalCluster and on a scheduler with separate dask-worker processes.

    .venv/bin/python benchmarks/sweep_benchmark.py --points 400 --draws 10000      # the issue's size
    .venv/bin/python benchmarks/sweep_benchmark.py --points 24 --draws 2000        # what ran here (shared machine)

Points: a grid over gdp.growth.2027 of the bundled baseline.  Each mode must give the same sweep.csv
bytes (checked).  Prints one line per mode: seconds and the ratio to in-process.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time


def run(points: int, draws: int, client=None):
    from econsim.data.dataset import load_dataset
    from econsim.scenario.sweep import sweep

    step = 3.0 / max(points - 1, 1)
    t0 = time.perf_counter()
    frame = sweep("baseline", [f"gdp.growth.2027=4:7:{step!r}"], draws=draws, seed=1, dataset=load_dataset(),
                  client=client, progress=False)
    return time.perf_counter() - t0, frame.to_csv(index=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=400)
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--port", type=int, default=8799)
    a = ap.parse_args()
    from dask.distributed import Client, LocalCluster

    base, ref = run(a.points, a.draws)
    print(f"in-process: {base:.1f} s")
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cl, Client(cl) as c:
        t, out = run(a.points, a.draws, c)
    print(f"LocalCluster 2 workers: {t:.1f} s, ratio {t / base:.2f}, identical={out == ref}")
    bindir = sys.executable.rsplit("/", 1)[0]
    procs = [subprocess.Popen([f"{bindir}/dask", "scheduler", "--port", str(a.port), "--dashboard-address", ":0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    time.sleep(3)
    procs += [subprocess.Popen([f"{bindir}/dask", "worker", f"tcp://127.0.0.1:{a.port}", "--nthreads", "1",
                                "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
              for _ in range(2)]
    try:
        with Client(f"tcp://127.0.0.1:{a.port}", timeout="30s") as c:
            c.wait_for_workers(2, timeout=60)
            t, out = run(a.points, a.draws, c)
        print(f"scheduler + 2 dask-worker processes: {t:.1f} s, ratio {t / base:.2f}, identical={out == ref}")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait()


if __name__ == "__main__":
    main()
