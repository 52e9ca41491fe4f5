"""How much a forecast report costs beyond starting a kernel.

Ratio = median time of ``econsim.report.render_report`` (papermill execution of the forecast
report with its default draws and comparisons, HTML export, manifest, publish) divided by the
median time papermill takes to execute an empty notebook in the same environment (kernel start
and shutdown).  Target: ≤ 2.0.

With ``--cli`` both are measured as a scheduled job runs them, each in a fresh process:
``econsim report`` against ``papermill`` on the empty notebook (both then pay their imports).

Run from the repository root::

    python benchmarks/report_benchmark.py [--repeats 3] [--draws N] [--cli]

``--draws`` defaults to the report's own default (the scenario's draws, as ``econsim run``).

The run uses a fresh, empty cache directory (``ECONSIM_CACHE_DIR``, see ``econsim.io.cache``), so the
first repeat is a cold report (nothing computed before) and the later ones are warm (same inputs
and code as the first: reconstruction, parameter checks and sections reused).  Both ratios are
printed: cold (first repeat against the median empty notebook) and warm (median of the others).
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

    from econsim.report.kernel import kernel_for_this_interpreter

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("", metadata={"tags": ["parameters"]})]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    src = workdir / "empty.ipynb"
    nbformat.write(nb, str(src))
    t = time.perf_counter()
    with kernel_for_this_interpreter() as kernel:
        pm.execute_notebook(str(src), str(workdir / "empty.out.ipynb"), kernel_name=kernel, progress_bar=False)
    return time.perf_counter() - t


def time_report(workdir: Path, draws: int) -> float:
    from econsim.report.render import render_report

    t = time.perf_counter()
    render_report("baseline", "2025-10", workdir / "reports", draws=draws)  # draws None: the scenario's
    return time.perf_counter() - t


def time_empty_notebook_cli(workdir: Path) -> float:
    import subprocess

    from econsim.report.kernel import kernel_for_this_interpreter

    src = workdir / "empty.ipynb"
    with kernel_for_this_interpreter() as kernel:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "papermill", "-k", kernel, "--no-progress-bar", str(src),
                        str(workdir / "empty.out.ipynb")], check=True, capture_output=True)
        return time.perf_counter() - t


def time_report_cli(workdir: Path, draws: int) -> float:
    import subprocess

    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "econsim", "report", "--as-of", "2025-10", "--out", str(workdir / "cli")]
                   + ([] if draws is None else ["--draws", str(draws)]), check=True, capture_output=True)
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--draws", type=int, default=None, help="default: the scenario's own")
    ap.add_argument("--cli", action="store_true", help="time `econsim report` and `papermill` as fresh processes")
    args = ap.parse_args(argv)
    empty_nb, render = (time_empty_notebook_cli, time_report_cli) if args.cli else (time_empty_notebook, time_report)
    import os

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["ECONSIM_CACHE_DIR"] = str(tmp / "cache")  # empty: the first report is cold
        time_empty_notebook(tmp)  # warm the file cache; not counted
        empty, full = [], []
        for i in range(args.repeats):
            empty.append(empty_nb(tmp))
            full.append(render(tmp, args.draws))
            print(f"repeat {i + 1}: empty notebook {empty[-1]:.2f} s, report {full[-1]:.2f} s", file=sys.stderr)
    e, r = statistics.median(empty), statistics.median(full)
    print(f"empty notebook (papermill) median {e:.2f} s")
    how = "econsim report, fresh process" if args.cli else "render_report"
    print(f"empty notebook: all {', '.join(f'{x:.2f}' for x in empty)}; report: all {', '.join(f'{x:.2f}' for x in full)}")
    print(f"forecast report ({how}, draws {args.draws or 'of the scenario'}) median {r:.2f} s")
    print(f"ratio {r / e:.2f} (target <= 2.0)")
    if len(full) > 1:
        warm = statistics.median(full[1:])
        print(f"cold report (first repeat, empty cache) {full[0]:.2f} s: ratio {full[0] / e:.2f}")
        print(f"warm reports (repeats 2..{len(full)}, cache of the first) median {warm:.2f} s: ratio {warm / e:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
