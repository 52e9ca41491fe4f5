"""Forecast reports: papermill execution, HTML export, manifests, atomic publishing, locking.

A report is ``notebooks/forecast_report.ipynb`` executed with papermill for one scenario and
one month (``as_of``).  :func:`render_report` is what ``econsim report`` and a scheduled job
call; it reads as the procedure::

    check the parameters            (before any kernel starts: bad input fails fast, exit 2)
    take the month+scenario lock    (a second concurrent run stops with a clear message)
    execute the notebook            (into a staging directory, on this very interpreter)
    export HTML without code        (nbconvert HTMLExporter, exclude_input=True)
    write the manifest              (parameters, input hashes, versions, timings, status)
    publish                         (os.replace into OUT/<as-of>/<scenario>/, manifest last)

A failed or killed run never touches the published report: the failed notebook is kept beside
it as ``forecast_report.failed.ipynb`` with ``manifest.failed.json``.

The notebook itself stays thin.  Its first cell snapshots the kernel's names, its ``parameters``
cell holds the defaults of :data:`PARAMETERS`, and its third cell calls
:func:`validate_parameters` so that a plain ``papermill ... -p scenari downside`` fails with a
did-you-mean instead of silently rendering the baseline.  The section helpers further down
(:func:`section`, :func:`latest_figures`, ...) are the glue the notebook displays.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import importlib
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..errors import InputError
from ..io.manifest import build_manifest, input_hashes, output_hashes
from ..io.writing import write_manifest
from .parameters import resolve_parameters, scenario_slug, validate_parameters
from .kernel import NOTEBOOK, _restore_kernelspec, export_html, find_notebook, kernel_for_this_interpreter
from .lock import LOCK_MAX_AGE, report_lock
from .worker import CELL_TIMEOUT, _error_line, _say, _sections_main, sections_in_background

#: Packages a report's manifest records besides econsim's own (see outputs.MANIFEST_PACKAGES).
REPORT_PACKAGES = ("papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "jupyter_client")
REPORT_STEM = "forecast_report"
MANIFEST = "manifest.json"
FAILED_NOTEBOOK = f"{REPORT_STEM}.failed.ipynb"
FAILED_MANIFEST = "manifest.failed.json"



class ReportFailed(RuntimeError):
    """The report notebook raised; the published report (if any) was left as it was.

    Attributes
    ----------
    failed_notebook : Path or None
        Where the executed-until-failure notebook was kept for debugging.
    """

    def __init__(self, message: str, failed_notebook: Path | None = None):
        super().__init__(message)
        self.failed_notebook = failed_notebook


@dataclass
class ReportResult:
    """A published report.

    Attributes
    ----------
    directory : Path
        ``OUT/<as-of>/<scenario>``.
    notebook, html, manifest_path : Path
        The published files.
    manifest : dict
        What ``manifest.json`` holds.
    """

    directory: Path
    notebook: Path
    html: Path
    manifest_path: Path
    manifest: dict = field(repr=False)

    def _repr_html_(self) -> str:
        t = self.manifest.get("timings_s", {})
        return (f"<p><b>econsim report</b> {self.manifest['scenario']} for {self.manifest['as_of']}: "
                f"<code>{self.html}</code> (executed in {t.get('execute', 0):.1f} s, "
                f"status {self.manifest['status']})</p>")


def salvage_killed_runs(target: Path) -> None:
    """Keep the notebook of a run killed mid-way (its staging directory is left over) as the failed one."""
    from ..io.writing import remove_abandoned_stages

    def keep_notebook(stage: Path) -> None:
        nb = stage / NOTEBOOK
        if nb.is_file():
            target.mkdir(parents=True, exist_ok=True)
            os.replace(nb, target / FAILED_NOTEBOOK)

    remove_abandoned_stages(target, salvage=keep_notebook)


def _input_files(params: dict) -> list[Path]:
    """The files a report reads: the data file, then each scenario file and every parent it extends.

    `params` are resolved (:func:`~econsim.report.parameters.resolve_parameters`), which has already
    loaded and checked every one of them.
    """
    from ..scenario.files import load_scenario

    read = [Path(params["data"])]
    for ref in [params["scenario"], *params["compare_with"]]:
        read += load_scenario(ref).sources
    return read


def render_report(scenario: str = "baseline", as_of: str | None = None, out: str | os.PathLike = "reports", *,
                  draws: int | None = None, seed: int | None = None, compare_with: Sequence[str] | None = None,
                  data: str | os.PathLike | None = None, region: str | None = None, language: str = "zh-en",
                  notebook: str | os.PathLike | None = None, progress: bool = False,
                  lock_max_age: float = LOCK_MAX_AGE, cell_timeout: float = CELL_TIMEOUT) -> ReportResult:
    """Execute the forecast report notebook and publish it atomically.

    Parameters
    ----------
    scenario : str
        Scenario name (``scenarios/<name>.yaml``) or path to a scenario file.
    as_of : str, optional
        Month of the data vintage, ``YYYY-MM``; default the current month.
    out : str or Path
        Report root; the report goes to ``out/<as-of>/<scenario>/``.
    draws, seed : int, optional
        Monte Carlo draws and random seed (default: the scenario's own, as ``econsim run``).
    compare_with : list of str, optional
        Scenarios to compare with (default: upside and downside where they apply to the region;
        ``[]`` for none).
    data : str or Path, optional
        Observations CSV (default ``./data/observations.csv`` or the bundled one).
    region : str, optional
        Region of the report (default: the scenario's, or the only region of a one-region file).
    language : str
        ``zh-en`` (bilingual headings), ``zh`` or ``en``.
    notebook : str or Path, optional
        A different report notebook (default: :func:`find_notebook`).
    progress : bool
        Report each step, and papermill's cell progress bar, on stderr.
    lock_max_age : float
        Seconds after which another run's lock is considered abandoned.
    cell_timeout : float
        Seconds a single cell may run.

    Returns
    -------
    ReportResult

    Raises
    ------
    InputError
        Bad parameters, or a malformed scenario or data file (all before any kernel starts, lock
        is taken or file is written), or a parameter the notebook rejected.
    ReportLocked
        Another live run holds this month's and scenario's lock.
    ReportFailed
        The notebook raised; the previous report is untouched and the failed notebook is kept
        as ``forecast_report.failed.ipynb`` beside it.
    """
    t0 = time.perf_counter()
    started = _dt.datetime.now(_dt.timezone.utc)
    given = {"scenario": scenario, "as_of": as_of, "language": language, "data": data, "region": region,
             "draws": draws, "seed": seed, "compare_with": None if compare_with is None else list(compare_with)}
    params = resolve_parameters(validate_parameters(given, where="report parameters"))
    read = _input_files(params)
    notebook = Path(notebook) if notebook is not None else find_notebook()
    if not notebook.is_file():
        raise InputError("report notebook not found", path=notebook)
    from ..io.writing import check_output_dir

    root = check_output_dir(out)
    target = root / params["as_of"] / scenario_slug(params["scenario"])
    params["out_dir"] = str(target.resolve())
    inputs = input_hashes([notebook, *read])
    t_valid = time.perf_counter() - t0

    with report_lock(target.parent / f".{target.name}.lock", max_age=lock_max_age,
                     what=f"{params['scenario']} for {params['as_of']}"):
        salvage_killed_runs(target)
        # Started before papermill is even imported: its import and the kernel's start-up take
        # this core while the sections are computed on the other.
        with sections_in_background(params, progress):
            return _execute_and_publish(params, notebook, target, inputs, started=started, t0=t0,
                                        t_valid=t_valid, progress=progress, cell_timeout=cell_timeout)


def _execute_and_publish(params, notebook: Path, target: Path, inputs: dict, *, started, t0: float,
                         t_valid: float, progress: bool, cell_timeout: float) -> ReportResult:
    """Execute the notebook into a staging directory, export its HTML, write the manifest, publish."""
    from ..io.writing import staged_files

    kernelspec = _kernelspec(notebook)
    about = {"scenario": scenario_slug(params["scenario"]), "as_of": params["as_of"], "parameters": params,
             "kernel": {"python": sys.executable}, "started_at": started.isoformat(timespec="seconds")}
    timings = {"validate": t_valid}
    with staged_files(target, MANIFEST) as stage:
        staged_nb = stage / NOTEBOOK
        t1 = time.perf_counter()
        try:
            _execute(notebook, staged_nb, params, progress=progress, cell_timeout=cell_timeout)
        except BaseException as exc:
            timings["execute"] = time.perf_counter() - t1
            failed = _report_manifest("failed", inputs, {}, timings, about, error=_error_line(exc))
            _raise_failure(exc, _keep_failed(staged_nb, target, kernelspec, failed))
            raise
        timings["execute"] = time.perf_counter() - t1
        timings["export_html"] = _export(staged_nb, kernelspec, progress)
        timings["total"] = time.perf_counter() - t0
        manifest = _report_manifest("ok", inputs, output_hashes(stage), timings, about,
                                    finished_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))
        write_manifest(stage / MANIFEST, manifest)
    _remove_failed(target)
    _say(progress, f"published {target}")
    return ReportResult(target, target / NOTEBOOK, target / f"{REPORT_STEM}.html", target / MANIFEST, manifest)


def _kernelspec(notebook: Path) -> dict | None:
    """The notebook's own kernelspec, put back after papermill ran it on a temporary one."""
    import nbformat

    return nbformat.read(str(notebook), as_version=4).metadata.get("kernelspec")


def _execute(notebook: Path, staged_nb: Path, params: dict, *, progress: bool, cell_timeout: float) -> None:
    """Run `notebook` with `params` on this interpreter's kernel, saving it to `staged_nb` cell by cell."""
    import papermill as pm

    _say(progress, f"executing {notebook} for {params['scenario']} {params['as_of']} "
                   f"(draws {params['draws']}, seed {params['seed']})")
    # The HTML export comes next: load nbconvert while the kernel runs (this process only waits).
    threading.Thread(target=_import_quietly, args=("nbconvert.exporters.html",), daemon=True).start()
    with kernel_for_this_interpreter() as kernel_name:
        pm.execute_notebook(str(notebook), str(staged_nb), parameters=params, kernel_name=kernel_name,
                            progress_bar=progress, log_output=False, execution_timeout=cell_timeout,
                            request_save_on_cell_execute=True)


def _raise_failure(exc: BaseException, kept: Path | None) -> None:
    """Raise what a failed execution means to the caller; return for an interrupt (re-raised as it is).

    A parameter the notebook refused is bad input (:class:`InputError`); a cell that raised, or an
    execution that could not start, is :class:`ReportFailed`.
    """
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError) and exc.ename in ("InputError", "ReportLocked"):
        raise InputError(f"{exc.evalue} (failed notebook kept at {kept})") from None
    if isinstance(exc, PapermillExecutionError):
        raise ReportFailed(f"the report notebook failed in cell {exc.exec_count}: {exc.ename}: "
                           f"{exc.evalue}; the previous report (if any) is untouched; failed "
                           f"notebook kept at {kept}", kept) from None
    if isinstance(exc, Exception):
        raise ReportFailed(f"the report could not be executed: {_error_line(exc)}; the previous "
                           f"report (if any) is untouched", kept) from exc


def _export(staged_nb: Path, kernelspec: dict | None, progress: bool) -> float:
    """Put the notebook's kernelspec back and export HTML without code beside it; seconds taken."""
    _restore_kernelspec(staged_nb, kernelspec)
    _say(progress, "exporting HTML")
    t = time.perf_counter()
    export_html(staged_nb, staged_nb.with_name(f"{REPORT_STEM}.html"))
    return time.perf_counter() - t


def _report_manifest(status: str, inputs: dict, outputs: dict, timings: dict, about: dict, **more) -> dict:
    return build_manifest("report", status=status, inputs=inputs, outputs=outputs, timings=timings,
                          packages=REPORT_PACKAGES, **about, **more)


def _remove_failed(target: Path) -> None:
    """Remove the failed notebook and manifest of an earlier run once a report was published."""
    for stale in (FAILED_NOTEBOOK, FAILED_MANIFEST):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target / stale)


def _import_quietly(module: str) -> None:
    with contextlib.suppress(Exception):
        importlib.import_module(module)




def _keep_failed(staged_nb: Path, target: Path, kernelspec, manifest: dict) -> Path | None:
    """Move a failed run's notebook beside the published report (which stays as it was)."""
    target.mkdir(parents=True, exist_ok=True)
    write_manifest(target / FAILED_MANIFEST, manifest)
    if not staged_nb.is_file():
        return None
    with contextlib.suppress(Exception):
        _restore_kernelspec(staged_nb, kernelspec)
    os.replace(staged_nb, target / FAILED_NOTEBOOK)
    return target / FAILED_NOTEBOOK


if __name__ == "__main__":
    sys.exit(_sections_main())
