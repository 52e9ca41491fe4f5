"""How much a forecast report costs beyond starting a kernel.

Ratio = median time of ``econsim.report.render_report`` (papermill execution of the forecast
report with its default draws and comparisons, HTML export, manifest, publish) divided by the
median time papermill takes to execute an empty notebook in the same environment (kernel start
and shutdown).  Target: ≤ 2.0.

Run from the repository root::

    python benchmarks/report_benchmark.py [--repeats 3] [--draws 2000]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


def time_empty_notebook(workdir: Path) -> float:
    import nbformat
    import papermill as pm

    from econsim import report

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("", metadata={"tags": ["parameters"]})]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    src = workdir / "empty.ipynb"
    nbformat.write(nb, str(src))
    t = time.perf_counter()
    with report.kernel_for_this_interpreter() as kernel:
        pm.execute_notebook(str(src), str(workdir / "empty.out.ipynb"), kernel_name=kernel, progress_bar=False)
    return time.perf_counter() - t


def time_report(workdir: Path, draws: int) -> float:
    from econsim import report

    t = time.perf_counter()
    report.render_report("baseline", "2025-10", workdir / "reports", draws=draws)
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--draws", type=int, default=2000)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        time_empty_notebook(tmp)  # warm the file cache; not counted
        empty, full = [], []
        for i in range(args.repeats):
            empty.append(time_empty_notebook(tmp))
            full.append(time_report(tmp, args.draws))
            print(f"repeat {i + 1}: empty notebook {empty[-1]:.2f} s, report {full[-1]:.2f} s", file=sys.stderr)
    e, r = statistics.median(empty), statistics.median(full)
    print(f"empty notebook (papermill) median {e:.2f} s")
    print(f"forecast report (render_report, draws {args.draws}) median {r:.2f} s")
    print(f"ratio {r / e:.2f} (target <= 2.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
