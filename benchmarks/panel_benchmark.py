"""Panel forecast of many synthetic series in-process and on a LocalCluster of 1 and 2 workers.

    .venv/bin/python benchmarks/panel_benchmark.py --series 100000        # the issue's size
    .venv/bin/python benchmarks/panel_benchmark.py --series 20000         # a loaded machine

Series: 8 annual values each (levels with lognormal growth, a third of them growth rates around
2% that turn negative), h = 5.  Every mode must give the same CSV bytes (checked).  Prints one
line per mode: median wall time of `--repeats` runs (cluster start-up excluded, the data's trip to
the workers included), its ratio to in-process, series per second, and peak memory: the
process's peak RSS in-process, each worker process's peak RSS (Linux VmHWM) on a cluster.
"""
from __future__ import annotations

import argparse
import hashlib
import resource
import statistics
import time


def synthetic_panel(series: int, seed: int = 0):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    y = 100 * np.exp(np.cumsum(rng.normal(0.04, 0.08, (series, 8)), axis=1))
    growth = np.arange(series) % 3 == 0
    y[growth] = rng.normal(2.0, 3.0, (int(growth.sum()), 8))
    return pd.DataFrame({"unique_id": np.repeat([f"s{i:06d}" for i in range(series)], 8),
                         "ds": np.tile(np.arange(2018, 2026), series), "y": y.ravel()})


def peak_rss_mib() -> float:
    """This process's peak resident memory in MiB (Linux: VmHWM)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(panel, client, repeats):
    from econsim.forecasting.panel import forecast_panel

    times, digest = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = forecast_panel(panel, 5, client=client)
        times.append(time.perf_counter() - t0)
        digest = hashlib.sha256(out.to_csv(index=False).encode()).hexdigest()
    return statistics.median(times), digest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    from dask.distributed import Client, LocalCluster

    panel = synthetic_panel(a.series)
    base, ref = timed(panel, None, a.repeats)
    print(f"{a.series} series x 8 values, h = 5, median of {a.repeats}")
    print(f"in-process: {base:.2f} s, {a.series / base:,.0f} series/s, peak RSS {peak_rss_mib():.0f} MiB")
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cl, Client(cl) as c:
            before = c.run(peak_rss_mib)
            t, digest = timed(panel, c, a.repeats)
            after = c.run(peak_rss_mib)
        peaks = ", ".join(f"{after[w]:.0f} MiB (at start {before[w]:.0f})" for w in sorted(after))
        print(f"LocalCluster {workers} worker{'s' * (workers > 1)}: {t:.2f} s, ratio {t / base:.2f}, "
              f"{a.series / t:,.0f} series/s, identical={digest == ref}; worker peak RSS {peaks}")


if __name__ == "__main__":
    main()
