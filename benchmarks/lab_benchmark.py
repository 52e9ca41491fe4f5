"""How long the scenario lab takes to answer a change: projection alone, and projection + chart + table.

Usage: .venv/bin/python benchmarks/lab_benchmark.py [--draws 1000] [--repeats 10]

Changes the GDP growth centre of 2027 through the lab's own control (ipywidgets Text, as a user typing in
JupyterLab would; the interactive_output callback runs synchronously) and through ``set_growth`` (projection
only), after one warm-up, and prints the medians in seconds with the machine's load average.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1000, help="draws per update (default: 1000, the lab's default)")
    ap.add_argument("--repeats", type=int, default=10, help="changes timed (default: 10)")
    args = ap.parse_args()
    import econsim

    lab = econsim.lab("baseline", draws=args.draws, seed=1)
    with contextlib.redirect_stdout(io.StringIO()):
        lab.widget()
        lab._controls["gdp:2027"].value = "4.9"  # warm-up
        full, projection = [], []
        for i in range(args.repeats):
            t = time.perf_counter()
            lab._controls["gdp:2027"].value = f"{4.0 + i * 0.1:.1f}"
            full.append(time.perf_counter() - t)
            t = time.perf_counter()
            lab.set_growth("gdp", 2028, 4.0 + i * 0.1)
            projection.append(time.perf_counter() - t)
    print(f"draws {args.draws}, {args.repeats} changes, load average {os.getloadavg()[0]:.1f}")
    print(f"control change -> projection + fan chart PNG + target table: median {statistics.median(full):.3f} s")
    print(f"set_growth -> projection only:                            median {statistics.median(projection):.3f} s")


if __name__ == "__main__":
    main()
