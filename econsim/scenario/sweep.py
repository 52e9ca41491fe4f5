"""Sensitivity sweeps: a scenario projected over a grid or Latin hypercube of its assumptions.

A *key* addresses one assumption of the scenario, relative to ``indicators``:

* ``gdp.growth.2027``, ``gdp.add_factors.2028``, ``gdp.price.2029`` — one year of a by-year setting
  (a scalar setting is first spelled out per year);
* ``gdp.sd``, ``gdp.uncertainty``, ``gdp.base_level`` — a scalar setting;
* ``fixed_investment.shock.size`` (the indicator's first shock) or ``....shocks.1.persistence``;
  ``....links.0.b`` likewise.

Each point is the scenario with those values set and checked by the same validation as a file;
its seed is drawn from ``SeedSequence([seed, hash of its coordinates])``, so a point's result does
not depend on which other points are in the sweep, their order, or where it runs.
"""
from __future__ import annotations

import copy
import hashlib
import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError

#: Largest number of points a sweep may have.
MAX_POINTS = 10_000
METHODS = ("grid", "lhs")
_LIST_ALIASES = {"shock": ("shocks", 0), "link": ("links", 0)}


@dataclass(frozen=True)
class Vary:
    """One swept assumption: ``key`` from ``start`` to ``stop`` by ``step`` (step unused by LHS)."""

    key: str
    start: float
    stop: float
    step: float | None = None

    def grid(self) -> list[float]:
        n = int(math.floor((self.stop - self.start) / self.step + 1e-9)) + 1
        return [round(self.start + i * self.step, 12) for i in range(n)]


def parse_vary(text: str) -> Vary:
    """``KEY=START:STOP:STEP`` (or ``KEY=START:STOP`` for LHS) -> :class:`Vary`; InputError when malformed."""
    key, eq, rng = str(text).partition("=")
    key = key.strip()
    example = "e.g. gdp.growth.2027=4:7:0.5"
    if not eq or not key:
        raise InputError(f"--vary '{text}': expected KEY=START:STOP:STEP, {example}", key="vary")
    parts = rng.split(":")
    if len(parts) not in (2, 3):
        raise InputError(f"--vary '{text}': expected START:STOP:STEP after '=', {example}", key=key)
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        raise InputError(f"--vary '{text}': START, STOP and STEP must be numbers, {example}", key=key) from None
    if not all(math.isfinite(x) for x in nums):
        raise InputError(f"--vary '{text}': numbers must be finite", key=key)
    start, stop = nums[:2]
    step = nums[2] if len(nums) == 3 else None
    if stop < start:
        raise InputError(f"--vary '{text}': STOP {stop:g} is below START {start:g}", key=key)
    if step is not None and step <= 0:
        raise InputError(f"--vary '{text}': STEP must be positive, got {step:g}", key=key)
    return Vary(key, start, stop, step)


def _path(key: str) -> list:
    parts = key.split(".")
    out: list = []
    for p in parts:
        if p in _LIST_ALIASES:
            out.extend(_LIST_ALIASES[p])
        elif p.lstrip("-").isdigit():
            out.append(int(p))
        else:
            out.append(p)
    return out


def set_assumption(raw: dict, key: str, value: float, years) -> dict:
    """A copy of the raw scenario mapping with the assumption at `key` set to `value`.

    Raises InputError (on `key`) when the key addresses nothing the scenario can hold.
    """
    from .files import BY_YEAR_KEYS
    from .spec import INDICATOR_KEYS

    out = copy.deepcopy(raw)
    path = _path(key)
    inds = out.get("indicators") or {}
    if len(path) < 2 or path[0] not in inds:
        from ..errors import did_you_mean

        raise InputError(f"'{key}' does not address an assumption: the first part must be one of the scenario's "
                         f"indicators{did_you_mean(str(path[0]), list(inds))} ({', '.join(inds)})", key=key)
    body = inds[path[0]] = dict(inds[path[0]] or {})
    field_ = path[1]
    if field_ not in INDICATOR_KEYS or field_ in ("targets", "overrides"):
        raise InputError(f"'{key}': '{field_}' is not a numeric assumption; use growth.YEAR, add_factors.YEAR, "
                         "price.YEAR, sd, uncertainty, base_level, shock.FIELD or links.N.FIELD", key=key)
    if field_ in BY_YEAR_KEYS:
        if len(path) != 3 or not isinstance(path[2], int) or path[2] not in years:
            raise InputError(f"'{key}': {field_} needs a year of the horizon {years[0]}–{years[-1]}, "
                             f"e.g. {path[0]}.{field_}.{years[1] if len(years) > 1 else years[0]}", key=key)
        current = body.get(field_)
        mapping = dict(current) if isinstance(current, dict) else (
            {} if current is None else {y: current for y in years})
        mapping[path[2]] = value
        body[field_] = mapping
    elif field_ in ("shocks", "links"):
        entries = body.get(field_) or []
        entries = [dict(e) for e in ([entries] if isinstance(entries, dict) else entries)]
        if len(path) != 4 or not isinstance(path[2], int) or not 0 <= path[2] < len(entries):
            raise InputError(f"'{key}': {path[0]} has {len(entries)} {field_}; address one as "
                             f"{path[0]}.{field_}.N.FIELD (or {path[0]}.{field_[:-1]}.FIELD for the first)", key=key)
        entries[path[2]][path[3]] = value
        body[field_] = entries
    else:
        if len(path) != 2:
            raise InputError(f"'{key}': {field_} is one number, address it as {path[0]}.{field_}", key=key)
        body[field_] = value
    return out


def _scenario_with(scenario, values: dict):
    from .spec import validate

    raw = scenario.to_dict()
    for key, value in values.items():
        raw = set_assumption(raw, key, value, scenario.years)
    return validate(raw, scenario.path, scenario.sources)


def point_seed(seed: int, coords: dict) -> int:
    """The seed of a sweep point: from the sweep's seed and the point's coordinates only."""
    text = ";".join(f"{k}={float(v)!r}" for k, v in sorted(coords.items()))
    digest = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    state = np.random.SeedSequence([int(seed), digest]).generate_state(2, np.uint64)
    return int(state[0] >> np.uint64(1))


def sweep_points(varies, method: str = "grid", samples: int | None = None, seed: int = 0) -> list[dict]:
    """The points of a sweep: the grid product, or `samples` Latin hypercube points (scipy.stats.qmc)."""
    if method not in METHODS:
        raise InputError(f"unknown method '{method}'; allowed: {', '.join(METHODS)}", key="method")
    keys = [v.key for v in varies]
    if len(set(keys)) != len(keys):
        raise InputError("each key may be varied once", key="vary")
    if method == "grid":
        if samples is not None:
            raise InputError("--samples is for --method lhs; a grid's points come from each STEP", key="samples")
        missing = [v.key for v in varies if v.step is None]
        if missing:
            raise InputError(f"a grid needs START:STOP:STEP for {', '.join(missing)}", key=missing[0])
        grids = [v.grid() for v in varies]
        n = math.prod(len(g) for g in grids)
        if n > MAX_POINTS:
            raise InputError(f"the grid has {n:,} points, more than {MAX_POINTS:,}; use larger steps or "
                             "--method lhs", key="vary")
        import itertools

        return [dict(zip(keys, combo)) for combo in itertools.product(*grids)]
    if samples is None or not 1 <= samples <= MAX_POINTS:
        raise InputError(f"--method lhs needs --samples N between 1 and {MAX_POINTS:,}", key="samples")
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(varies), seed=np.random.default_rng(int(seed))).random(int(samples))
    lo = np.array([v.start for v in varies])
    hi = np.array([v.stop for v in varies])
    pts = qmc.scale(unit, lo, hi) if np.all(hi > lo) else lo + unit * (hi - lo)
    return [dict(zip(keys, map(float, row))) for row in pts]


@dataclass(frozen=True)
class _PointJob:
    """One sweep point, picklable for Dask workers."""

    scenario: object
    coords: tuple
    draws: int
    seed: int

    def __call__(self, dataset) -> dict:
        from .projection import project

        coords = dict(self.coords)
        sc = _scenario_with(self.scenario, coords)
        proj = project(sc, dataset, draws=self.draws, seed=point_seed(self.seed, coords))
        return point_row(proj, coords)


def _run_job(job, shared):
    return job(shared)


def point_row(proj, coords: dict) -> dict:
    """One sweep.csv row: the point, P(each target), p10/p50/p90 of each indicator's horizon average
    growth and last-year level."""
    row = dict(coords)
    row["seed"] = proj.seed
    tg = proj.targets()
    for t in tg.itertuples(index=False):
        row[f"P({t.indicator} {t.year} {t.measure} >= {t.target:g})"] = t.probability
    figures = proj.summary.figures
    last = str(proj.years[-1])
    for key in proj.indicators:
        for year, measure in ((proj.period_label, "avg_growth"), (last, "level")):
            fig = figures.get((key, year, measure))
            if fig is None or not fig.finite:
                continue
            q = dict(zip((5, 10, 25, 50, 75, 90, 95), fig.quantiles))
            for name, v in (("p10", q[10]), ("p50", fig.median), ("p90", q[90])):
                row[f"{key} {year} {measure} {name}"] = v
    return row


def check_sweep(scenario, varies) -> None:
    """Every key and both ends of every range make a valid scenario (raises InputError before any work)."""
    for v in varies:
        for value in (v.start, v.stop):
            try:
                _scenario_with(scenario, {v.key: value})
            except InputError as exc:
                raise InputError(f"--vary {v.key}={v.start:g}:{v.stop:g}: {exc.message}",
                                 path=exc.path, key=v.key) from None


def sweep(scenario, vary, *, method: str = "grid", samples: int | None = None, draws: int | None = None,
          seed: int | None = None, dataset=None, client=None, progress: bool = True):
    """Project `scenario` at every point of a sweep of its assumptions.

    Parameters
    ----------
    scenario : Scenario, str or Path
    vary : sequence of str or Vary
        ``"KEY=START:STOP:STEP"`` (see the module docstring for keys).
    method : {"grid", "lhs"}
        Full grid of each range's steps, or `samples` Latin hypercube points in the box of ranges.
    samples : int, optional
        Points of a Latin hypercube.
    draws, seed : int, optional
        Monte Carlo draws per point and the sweep's seed (defaults: the scenario's).
    dataset : Dataset, optional
    client : dask.distributed.Client, optional
        Run the points on a Dask cluster (see :mod:`econsim.distributed`); None runs them here.

    Returns
    -------
    pandas.DataFrame
        One row per point (tidy: a row is one observation, the point): the varied keys, ``seed``,
        ``P(indicator year measure >= target)`` for every target, and ``p10``, ``p50``, ``p90`` of each
        indicator's horizon average growth (percent a year) and last-year level (indicator's unit).
    """
    import pandas as pd

    from ..distributed import map_items
    from .files import load_scenario
    from .spec import Scenario

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    varies = [v if isinstance(v, Vary) else parse_vary(v) for v in vary]
    if not varies:
        raise InputError("give at least one --vary KEY=START:STOP:STEP", key="vary")
    draws = scenario.draws if draws is None else int(draws)
    seed = scenario.seed if seed is None else int(seed)
    points = sweep_points(varies, method, samples, seed)
    check_sweep(scenario, varies)
    if dataset is None:
        from ..data.dataset import load_dataset

        dataset = load_dataset()
    jobs = [_PointJob(scenario, tuple(p.items()), draws, seed) for p in points]
    rows = map_items(_run_job, jobs, client, shared=dataset, what="sweep points", progress=progress)
    frame = pd.DataFrame(rows)
    frame.insert(0, "point", range(len(frame)))
    return frame


def main_effects(frame, keys, output: str):
    """Each key's effect on `output` from a linear fit over the sweep's points.

    Returns a frame ``key, low, high, centre``: the fitted output with the key at the bottom and
    the top of its swept values and every other key at its mean (``centre``: all at their mean).
    For a one-way sweep this is the fitted line's ends; for a grid, the main effect.
    """
    import pandas as pd

    x = frame[list(keys)].to_numpy(dtype=float)
    yv = frame[output].to_numpy(dtype=float)
    ok = np.isfinite(yv)
    mean = x[ok].mean(axis=0)
    design = np.column_stack([np.ones(ok.sum()), x[ok] - mean])
    coef = np.linalg.lstsq(design, yv[ok], rcond=None)[0]
    rows = []
    for j, key in enumerate(keys):
        lo, hi = float(np.min(x[:, j])), float(np.max(x[:, j]))
        rows.append({"key": key, "low": coef[0] + coef[j + 1] * (lo - mean[j]),
                     "high": coef[0] + coef[j + 1] * (hi - mean[j]), "centre": coef[0]})
    return pd.DataFrame(rows, columns=["key", "low", "high", "centre"])


def chart_outputs(frame) -> list[str]:
    """The outputs the charts show: the last-year GDP level (median) and P(GDP horizon average target)."""
    wanted = [c for c in frame.columns if c.startswith("gdp ") and c.endswith(" level p50")]
    wanted += [c for c in frame.columns if c.startswith("P(gdp ") and " avg_growth " in c]
    return wanted


def write_sweep(frame, keys, out_dir, scenario, *, command: str = "sweep", settings: dict | None = None) -> dict:
    """Write sweep.csv, a tornado chart per chart output, a heat map for a two-way sweep, and manifest.json.

    Everything is staged and moved into `out_dir` only when all of it was written.
    """
    from .. import plotting
    from ..io.manifest import package_versions, sha256_bytes
    from .runs import csv_bytes, write_staged

    files = {"sweep.csv": csv_bytes(frame)}
    for n, output in enumerate(chart_outputs(frame)):
        if frame[output].notna().any():
            fig = plotting.tornado_chart(main_effects(frame, keys, output), output)
            files[f"tornado_{n + 1}.png"] = plotting.figure_to_png(fig)
            if len(keys) == 2:
                files[f"heatmap_{n + 1}.png"] = plotting.figure_to_png(
                    plotting.heat_map(frame, keys[0], keys[1], output))
    man = {"command": command, "scenario": scenario.name, "varied": list(keys), "points": len(frame),
           **(settings or {}), "inputs_sha256": scenario.file_hashes(),
           "outputs_sha256": {n: sha256_bytes(d) for n, d in files.items()},
           "versions": package_versions(), "status": "derived"}
    return write_staged(out_dir, files, man)
