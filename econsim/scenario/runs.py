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

import time
from pathlib import Path


from .projection import CSV_FLOAT_FORMAT, compare


# --------------------------------------------------------------------------- writing results

def manifest(projections, dataset, outputs: dict, timings: dict, command: str) -> dict:
    """What a run read, with which versions and settings, and what it wrote (sha256 throughout)."""
    from ..io.manifest import package_versions, sha256_file

    inputs = {}
    if dataset is not None and dataset.path is not None:
        inputs[str(Path(dataset.path).resolve())] = sha256_file(dataset.path)
    for p in projections:
        inputs.update(p.scenario.file_hashes())
    return {
        "command": command,
        "scenarios": [p.scenario.name for p in projections],
        "region": projections[0].region,
        "years": [projections[0].years[0], projections[0].years[-1]],
        "seed": {p.scenario.name: p.seed for p in projections},
        "draws": {p.scenario.name: p.draws_count for p in projections},
        "as_of": projections[0].as_of,
        "inputs_sha256": inputs,
        "outputs_sha256": outputs,
        "versions": package_versions(),
        "timings_s": {k: round(v, 4) for k, v in timings.items()},
        "notes": sorted({n for p in projections for n in p.notes}),
        "status": "derived",
    }


def _csv_bytes(frame, excel_csv: bool) -> bytes:
    """A results table as CSV bytes; with `excel_csv` UTF-8 with BOM and text Excel shows as text."""
    options = dict(index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")
    if excel_csv:
        from ..io.excel import csv_for_excel

        return csv_for_excel(frame, **options).encode("utf-8")
    return frame.to_csv(**options).encode("utf-8")


def write_run(projection, out_dir, dataset=None, *, progress=None, timings=None, excel: bool = False,
              excel_csv: bool = False) -> dict:
    """Write projection.csv, targets.csv, one fan-chart PNG per indicator and manifest.json.

    With `excel` also results.xlsx (:mod:`econsim.scenario.export`); with `excel_csv` the CSV files
    are written for Excel (UTF-8 with a byte-order mark, text cells never read as formulas).

    Everything is staged and moved into `out_dir` only when all of it was written, so a failure
    leaves earlier results untouched.

    Returns
    -------
    dict
        The manifest.
    """
    import json

    from .. import plotting
    from ..io.manifest import sha256_bytes
    from ..io.writing import staged_files

    timings = dict(timings or {})
    t0 = time.perf_counter()
    with staged_files(out_dir) as stage:
        files = {"projection.csv": _csv_bytes(projection.to_frame(), excel_csv),
                 "targets.csv": _csv_bytes(projection.targets(), excel_csv)}
        if excel:
            from .export import workbook_bytes

            files["results.xlsx"] = workbook_bytes(projection, dataset)
        for n, key in enumerate(projection.indicators):
            fig = projection.fan_chart(key)
            files[f"fan_{key}.png"] = plotting.figure_to_png(fig)
            if progress:
                progress(f"chart {n + 1}/{len(projection.indicators)}: {key}")
        for name, data in files.items():
            (stage / name).write_bytes(data)
        timings["write_s"] = time.perf_counter() - t0
        man = manifest([projection], dataset, {n: sha256_bytes(d) for n, d in files.items()}, timings,
                       "run")
        (stage / "manifest.json").write_text(json.dumps(man, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return man


def write_comparison(projections, out_dir, dataset=None, *, timings=None, excel: bool = False,
                     excel_csv: bool = False) -> dict:
    """Write comparison.csv, comparison.png and manifest.json for several projections (staged).

    With `excel` also comparison.xlsx (every scenario on each sheet); with `excel_csv` the CSV for Excel.
    """
    import json

    from .. import plotting
    from ..io.manifest import sha256_bytes
    from ..io.writing import staged_files

    timings = dict(timings or {})
    t0 = time.perf_counter()
    with staged_files(out_dir) as stage:
        table = compare(projections)
        files = {"comparison.csv": _csv_bytes(table, excel_csv),
                 "comparison.png": plotting.figure_to_png(plotting.comparison_chart(projections))}
        if excel:
            from .export import workbook_bytes

            files["comparison.xlsx"] = workbook_bytes(projections, dataset)
        for name, data in files.items():
            (stage / name).write_bytes(data)
        timings["write_s"] = time.perf_counter() - t0
        man = manifest(projections, dataset, {n: sha256_bytes(d) for n, d in files.items()}, timings,
                       "compare")
        (stage / "manifest.json").write_text(json.dumps(man, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return man


def targets_csv(projection) -> str:
    """targets.csv as text, with the engine's fixed float formatting."""
    return projection.targets().to_csv(index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")
