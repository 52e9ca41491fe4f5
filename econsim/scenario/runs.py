"""Writing the outputs of ``econsim run`` and ``econsim compare``.

A run writes ``projection.csv``, ``targets.csv``, one fan chart per indicator and
``manifest.json``; a comparison writes ``comparison.csv``, ``comparison.png`` and
``manifest.json``.  Everything is staged and moved into place only when all of it was written
(:func:`econsim.io.writing.staged_files`); the manifest (:func:`econsim.io.manifest.build_manifest`)
records the input and output hashes, versions, seeds and timings.
"""
from __future__ import annotations

import time

from .projection import CSV_FLOAT_FORMAT, compare

#: Name of the manifest beside a run's outputs.
MANIFEST = "manifest.json"


# --------------------------------------------------------------------------- writing results

def run_manifest(projections, dataset, outputs: dict, timings: dict, command: str) -> dict:
    """What a run read, with which versions and settings, and what it wrote (sha256 throughout)."""
    from ..io.manifest import build_manifest, input_hashes

    first = projections[0]
    read = [dataset.path if dataset is not None else None]
    read += [source for p in projections for source in p.scenario.sources]
    return build_manifest(
        command, status="derived", inputs=input_hashes(read), outputs=outputs, timings=timings,
        scenarios=[p.scenario.name for p in projections], region=first.region,
        years=[first.years[0], first.years[-1]], seed={p.scenario.name: p.seed for p in projections},
        draws={p.scenario.name: p.draws_count for p in projections}, as_of=first.as_of,
        notes=sorted({n for p in projections for n in p.notes}))


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
    from .. import plotting

    t0 = time.perf_counter()
    files = {"projection.csv": csv_bytes(projection.to_frame(), excel_csv),
             "targets.csv": csv_bytes(projection.targets(), excel_csv)}
    if excel:
        from .export import workbook_bytes

        files["results.xlsx"] = workbook_bytes(projection, dataset)
    for n, key in enumerate(projection.indicators):
        files[f"fan_{key}.png"] = plotting.figure_to_png(projection.fan_chart(key))
        if progress:
            progress(f"chart {n + 1}/{len(projection.indicators)}: {key}")
    return _publish(out_dir, files, [projection], dataset, timings, t0, "run")


def write_comparison(projections, out_dir, dataset=None, *, timings=None, excel: bool = False,
                     excel_csv: bool = False) -> dict:
    """Write comparison.csv, comparison.png and manifest.json for several projections (staged).

    With `excel` also comparison.xlsx (every scenario on each sheet); with `excel_csv` the CSV for Excel.
    """
    from .. import plotting

    t0 = time.perf_counter()
    table = compare(projections)
    files = {"comparison.csv": csv_bytes(table, excel_csv),
             "comparison.png": plotting.figure_to_png(plotting.comparison_chart(projections))}
    if excel:
        from .export import workbook_bytes

        files["comparison.xlsx"] = workbook_bytes(projections, dataset)
    return _publish(out_dir, files, projections, dataset, timings, t0, "compare")


def _publish(out_dir, files: dict, projections, dataset, timings, t0: float, command: str) -> dict:
    """Stage `files` and their manifest, then move them into `out_dir` together; the manifest."""
    from ..io.manifest import output_hashes
    from ..io.writing import staged_files, write_manifest

    with staged_files(out_dir, MANIFEST) as stage:
        for name, data in files.items():
            (stage / name).write_bytes(data)
        timings = {**(timings or {}), "write_s": time.perf_counter() - t0}
        man = run_manifest(projections, dataset, output_hashes(stage), timings, command)
        write_manifest(stage / MANIFEST, man)
    return man


def targets_csv(projection) -> str:
    """targets.csv as text, with the engine's fixed float formatting."""
    return projection.targets().to_csv(index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")


def csv_bytes(frame, excel_csv: bool = False) -> bytes:
    """A table as UTF-8 CSV with the engine's fixed float formatting (byte-identical for the same values).

    With `excel_csv`, for Excel: a byte-order mark first and text cells never read as formulas
    (:func:`econsim.io.excel.csv_for_excel`).
    """
    options = dict(index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")
    if excel_csv:
        from ..io.excel import csv_for_excel

        return csv_for_excel(frame, **options).encode("utf-8")
    return frame.to_csv(**options).encode("utf-8")


def write_staged(out_dir, files: dict, man: dict) -> dict:
    """Write `files` (name -> bytes) and `man` as manifest.json into `out_dir`, all or nothing (staged)."""
    import json

    from ..io.writing import staged_files

    with staged_files(out_dir) as stage:
        for name, data in files.items():
            (stage / name).write_bytes(data)
        (stage / "manifest.json").write_text(json.dumps(man, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return man
