"""Many regions at once: one scenario projected on each region's own data.

Each region gets the scenario with its ``region`` replaced, the same draws and the same seed, so a
region's rows are exactly those of ``econsim run`` on that region alone.  A region whose data cannot
support the scenario (no growth history where the scenario asks the model, say) is reported by name
with the reason; the others complete.  The regions run through :mod:`econsim.distributed`
(in-process or on a Dask cluster) and only their tables travel back, never their draws.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..errors import InputError

FAILURE_COLUMNS = ("region", "key", "reason")


def parse_regions(text: str, dataset) -> list[str]:
    """``all`` or ``R1,R2,…`` -> region names, each checked against the dataset (InputError otherwise)."""
    text = str(text).strip()
    if text == "all":
        return list(dataset.regions)
    names = [r.strip() for r in text.split(",") if r.strip()]
    if not names:
        raise InputError("--regions needs 'all' or a comma-separated list of regions", key="regions")
    for r in names:
        dataset.require_region(r)
    if len(set(names)) != len(names):
        raise InputError("--regions names a region twice", key="regions")
    return names


@dataclass(frozen=True)
class _RegionJob:
    scenario: object
    region: str
    draws: int | None
    seed: int | None
    as_of: str | None


def _run_region(job: _RegionJob, shared):
    """(projection frame, targets frame with a region column, None) or (None, None, failure row)."""
    from .projection import project

    try:
        proj = project(dataclasses.replace(job.scenario, region=job.region), shared, draws=job.draws,
                       seed=job.seed, as_of=job.as_of)
    except InputError as exc:
        return None, None, {"region": job.region, "key": exc.key or "", "reason": exc.message}
    targets = proj.targets()
    targets.insert(0, "region", job.region)
    return proj.to_frame(), targets, None


def project_regions(scenario, dataset, regions, *, draws=None, seed=None, as_of=None, client=None,
                    progress: bool = True):
    """Project `scenario` on each of `regions`.

    Returns
    -------
    projection, targets, failures : pandas.DataFrame
        projection.csv rows of every region that completed (its ``region`` column names it), their
        targets with a leading ``region`` column, and one row per failed region: ``region, key, reason``.
    """
    import pandas as pd

    from ..distributed import map_items
    from .projection import FRAME_COLUMNS
    from .targets import TARGET_COLUMNS

    jobs = [_RegionJob(scenario, r, draws, seed, as_of) for r in regions]
    results = map_items(_run_region, jobs, client, shared=dataset, what="regions", progress=progress)
    frames = [f for f, _, _ in results if f is not None]
    targets = [t for _, t, _ in results if t is not None]
    failures = [x for _, _, x in results if x is not None]
    projection = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(FRAME_COLUMNS))
    target_frame = (pd.concat(targets, ignore_index=True) if targets
                    else pd.DataFrame(columns=["region", *TARGET_COLUMNS]))
    return projection, target_frame, pd.DataFrame(failures, columns=list(FAILURE_COLUMNS))


def write_regions(scenario, dataset, projection, targets, failures, out_dir, *, settings: dict) -> dict:
    """Write projection.csv, targets.csv, failures.csv and manifest.json (staged: all or nothing)."""
    from pathlib import Path

    from ..io.manifest import package_versions, sha256_bytes, sha256_file
    from .runs import csv_bytes, write_staged

    files = {"projection.csv": csv_bytes(projection), "targets.csv": csv_bytes(targets),
             "failures.csv": csv_bytes(failures)}
    inputs = dict(scenario.file_hashes())
    if dataset.path is not None:
        inputs[str(Path(dataset.path).resolve())] = sha256_file(dataset.path)
    man = {"command": "run --regions", "scenario": scenario.name, **settings,
           "regions_completed": sorted(projection["region"].unique().tolist()) if len(projection) else [],
           "regions_failed": failures["region"].tolist(), "inputs_sha256": inputs,
           "outputs_sha256": {n: sha256_bytes(d) for n, d in files.items()}, "versions": package_versions(),
           "status": "derived"}
    return write_staged(out_dir, files, man)
