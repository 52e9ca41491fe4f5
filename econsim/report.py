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
import hashlib
import importlib
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, did_you_mean
from .outputs import package_versions, pid_alive, sha256_file
from .scenario import MAX_DRAWS

#: Packages a report's manifest records besides econsim's own (see outputs.MANIFEST_PACKAGES).
REPORT_PACKAGES = ("papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "jupyter_client")

#: The notebook's parameters and their defaults (the ``parameters`` cell says the same).
PARAMETERS = {
    "scenario": "baseline",
    "as_of": None,
    "draws": 2000,
    "seed": 20260101,
    "compare_with": ["upside", "downside"],
    "language": "zh-en",
    "data": None,
    "out_dir": None,
}

#: Heading languages: bilingual (中文 / English), Chinese only, English only.
LANGUAGES = ("zh-en", "zh", "en")

NOTEBOOK = "forecast_report.ipynb"
REPORT_STEM = "forecast_report"
MANIFEST = "manifest.json"
FAILED_NOTEBOOK = f"{REPORT_STEM}.failed.ipynb"
FAILED_MANIFEST = "manifest.failed.json"

#: A lock older than this (seconds) is taken to belong to a hung or killed run.
LOCK_MAX_AGE = 2 * 3600

#: Longest a single notebook cell may run (seconds) before the run counts as failed.
CELL_TIMEOUT = 1800


class ReportLocked(InputError):
    """Another run holds the lock of this month and scenario."""


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


# --------------------------------------------------------------------------- parameters

def current_month(today: _dt.date | None = None) -> str:
    """The month ``YYYY-MM`` a report defaults to (the current calendar month)."""
    today = today or _dt.date.today()
    return f"{today.year:04d}-{today.month:02d}"


def normalise_as_of(value, *, where="notebook parameters") -> str:
    """`value` as ``YYYY-MM`` (via :func:`econsim.nowcast.parse_as_of`); None means the current month.

    Raises
    ------
    InputError
        For anything that is not a year and month such as ``2026-01`` (data up to 1月).
    """
    from .nowcast import parse_as_of

    if value is None:
        return current_month()
    if isinstance(value, (_dt.date, _dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    try:
        return parse_as_of(value)
    except InputError as exc:
        raise InputError(f"{exc.message}; or None for the current month", path=where, key="as_of") from None


def scenario_file(name_or_path) -> Path | None:
    """The YAML file behind a scenario name or path, or None if there is none."""
    from .scenario import scenario_path

    try:
        return scenario_path(name_or_path)
    except InputError:
        return None


def scenario_slug(name_or_path) -> str:
    """The directory name a scenario's report is published under (its file stem)."""
    text = str(name_or_path)
    return Path(text).stem if text.endswith((".yaml", ".yml")) or "/" in text else text


def _check_scenario(value, key: str, where: str) -> str:
    from .scenario import scenario_path

    if not isinstance(value, str) or not value.strip():
        raise InputError(f"expected a scenario name or a path to a YAML file, got {value!r} "
                         f"({type(value).__name__})", path=where, key=key)
    try:
        scenario_path(value)
    except InputError as exc:
        what = exc.message if exc.key else f"scenario file '{value}' not found"
        raise InputError(what, path=where, key=key) from None
    return value


def _check_int(value, key: str, where: str, *, low: int, high: int, what: str) -> int:
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(f"expected {what}, got {value!r} ({type(value).__name__})", path=where, key=key)
    value = int(value)
    if not low <= value <= high:
        raise InputError(f"expected {what}, got {value}", path=where, key=key)
    return value


def validate_parameters(namespace, before=None, *, where: str = "notebook parameters") -> dict:
    """Check a report's parameters and return them normalised.

    Parameters
    ----------
    namespace : mapping
        The parameter values: the notebook's ``globals()``, or a plain dict (the command line).
        Missing parameters take their defaults from :data:`PARAMETERS`.
    before : collection of str, optional
        The kernel's names before the ``parameters`` cell ran.  Names that appeared since and
        are not parameters (papermill injects ``-p scenari downside`` as a new variable
        ``scenari`` without complaint) are reported as misspelt.  Without `before`, every key
        of `namespace` must be a parameter.
    where : str
        What the error messages name as the place of the problem.

    Returns
    -------
    dict
        ``scenario`` (name or path), ``as_of`` (``YYYY-MM``; None became the current month),
        ``draws`` (int ≥ 1), ``seed`` (int), ``compare_with`` (list of scenario names, without
        ``scenario`` itself), ``language``, ``data`` (path or None), ``out_dir`` (str or None).

    Raises
    ------
    InputError
        One line naming the parameter: an unknown scenario (with the available ones), a
        malformed ``as_of``, a wrong type (``draws="many"``), an unknown language, or a
        misspelt parameter name (with a did-you-mean).
    """
    names = set(namespace) - set(before) if before is not None else set(namespace)
    unknown = sorted(n for n in names if n not in PARAMETERS and not n.startswith("_"))
    if unknown:
        hints = "; ".join(f"'{n}'{did_you_mean(n, PARAMETERS)}" for n in unknown)
        raise InputError(f"unknown parameter {hints}; the parameters are {', '.join(PARAMETERS)}",
                         path=where, key=unknown[0])
    p = {k: namespace.get(k, default) for k, default in PARAMETERS.items()}
    out = {"scenario": _check_scenario(p["scenario"], "scenario", where)}
    out["as_of"] = normalise_as_of(p["as_of"], where=where)
    out["draws"] = _check_int(p["draws"], "draws", where, low=1, high=MAX_DRAWS,
                              what="a whole number of Monte Carlo draws ≥ 1 (e.g. 2000)")
    out["seed"] = _check_int(p["seed"], "seed", where, low=0, high=2**63 - 1,
                             what="a whole number between 0 and 2**63-1 as the random seed")
    compare = p["compare_with"]
    if compare is None:
        compare = []
    elif isinstance(compare, str):
        # `papermill -p compare_with upside` passes a string; allow "upside,downside" too
        compare = [c.strip() for c in compare.split(",") if c.strip()]
    elif not isinstance(compare, (list, tuple)):
        raise InputError(f"expected a list of scenario names, got {compare!r} ({type(compare).__name__})",
                         path=where, key="compare_with")
    out["compare_with"] = [_check_scenario(c, "compare_with", where) for c in compare
                           if scenario_slug(c) != scenario_slug(out["scenario"])]
    if p["language"] not in LANGUAGES:
        raise InputError(f"unknown language {p['language']!r}{did_you_mean(p['language'], LANGUAGES)}; "
                         f"expected one of {', '.join(LANGUAGES)}", path=where, key="language")
    out["language"] = p["language"]
    data = p["data"]
    if data is not None:
        if not isinstance(data, (str, os.PathLike)) or not Path(data).is_file():
            raise InputError(f"data must be None (the bundled dataset) or an existing observations CSV, "
                             f"got {data!r}", path=where, key="data")
        data = str(data)
    out["data"] = data
    if p["out_dir"] is not None and not isinstance(p["out_dir"], (str, os.PathLike)):
        raise InputError(f"out_dir must be None or a directory path, got {p['out_dir']!r}",
                         path=where, key="out_dir")
    out["out_dir"] = None if p["out_dir"] is None else str(p["out_dir"])
    return out


# --------------------------------------------------------------------------- locking

def _read_lock(path: Path) -> tuple[str, dict]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "", {}
    try:
        info = json.loads(raw)
    except ValueError:
        info = {}
    return raw, info if isinstance(info, dict) else {}


def lock_is_stale(info: dict, *, mtime: float, max_age: float = LOCK_MAX_AGE, now: float | None = None) -> bool:
    """Whether a lock belongs to a run that is gone: its process is dead, or it is older than `max_age` s.

    A lock written on another host cannot be checked by PID and goes stale by age only.  A
    lock whose content cannot be read yet (a run is writing it) is young, hence not stale.
    """
    now = time.time() if now is None else now
    started = info.get("started_at", mtime)
    if not isinstance(started, (int, float)):
        started = mtime
    if now - started > max_age:
        return True
    pid = info.get("pid")
    if info.get("host") == socket.gethostname() and isinstance(pid, int):
        return not pid_alive(pid)
    return False


@contextlib.contextmanager
def report_lock(path, *, max_age: float = LOCK_MAX_AGE, what: str = "this report"):
    """Hold the lock file `path` for the duration of the block.

    The lock is a file created with ``O_EXCL`` holding the owner's PID, host and start time.
    A lock left by a killed run (dead PID on this host, or older than `max_age` seconds) is
    broken and taken over.

    Raises
    ------
    ReportLocked
        If a live run holds the lock (the message names its PID and start time).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mine = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started_at": time.time(),
                       "started": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")})
    for _attempt in range(5):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            raw, info = _read_lock(path)
            try:
                mtime = path.stat().st_mtime
            except FileNotFoundError:
                continue
            if not raw.strip() and time.time() - mtime < 60:
                info = {"host": socket.gethostname()}  # being written right now: a live run
            if not lock_is_stale(info, mtime=mtime, max_age=max_age):
                raise ReportLocked(
                    f"another econsim report run is rendering {what} (pid {info.get('pid', '?')} on "
                    f"{info.get('host', '?')}, started {info.get('started', '?')}); wait for it to finish "
                    f"(a lock from a killed run is taken over once its process is gone or after "
                    f"{max_age / 3600:g} h)", path=path)
            _break_stale_lock(path, raw)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(mine)
        break
    else:
        raise ReportLocked("could not take the lock; several runs are competing for it", path=path)
    try:
        yield path
    finally:
        raw, _info = _read_lock(path)
        if raw == mine:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def _break_stale_lock(path: Path, stale_raw: str) -> None:
    """Remove the stale lock `path` unless another run replaced it since we read `stale_raw`."""
    tomb = path.with_name(f"{path.name}.stale-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(path, tomb)
    except FileNotFoundError:
        return
    raw = tomb.read_text(encoding="utf-8") if tomb.exists() else ""
    if raw != stale_raw:
        # a fresh lock was created between our read and the rename: give it back
        with contextlib.suppress(FileExistsError):
            os.link(tomb, path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tomb)


# --------------------------------------------------------------------------- kernels

@contextlib.contextmanager
def kernel_for_this_interpreter():
    """A kernelspec name that runs notebooks on ``sys.executable`` (the Python running econsim).

    Writes a temporary kernelspec (``sys.executable -m ipykernel_launcher``) and puts its
    directory first on ``JUPYTER_PATH`` for the duration of the block, so that a fresh
    virtual environment needs no ``ipykernel install`` and a user's own ``python3`` kernelspec
    pointing at another environment is not picked up by mistake.
    """
    digest = hashlib.sha256(sys.executable.encode()).hexdigest()[:10]
    name = f"econsim-{digest}"
    root = Path(tempfile.mkdtemp(prefix="econsim-kernel-"))
    spec_dir = root / "kernels" / name
    spec_dir.mkdir(parents=True)
    # The kernel talks to papermill over loopback TCP; ipykernel 7 warns about plain-text TCP on
    # every start, which is noise in a scheduled job's log.  Errors still reach stderr, and
    # everything the notebook does is in its outputs.
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                     "--IPKernelApp.log_level=ERROR"],
            "display_name": f"Python {sys.version_info.major}.{sys.version_info.minor} (econsim)",
            "language": "python", "metadata": {"debugger": False}}
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(root)] + ([old] if old else []))
    try:
        yield name
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------- rendering

def find_notebook(name: str = NOTEBOOK) -> Path:
    """The report notebook: ``./notebooks/<name>`` first, then the one bundled with econsim."""
    from . import resources

    p = resources.find("notebooks", name)
    if p is None:
        raise InputError("report notebook not found in ./notebooks or in the installed econsim; "
                         "reinstall econsim", path=f"notebooks/{name}")
    return p


def export_html(notebook_path, html_path) -> Path:
    """Export an executed notebook to HTML without its code (nbconvert, ``exclude_input=True``)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook_path), as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _resources = exporter.from_notebook_node(nb)
    Path(html_path).write_text(body, encoding="utf-8")
    return Path(html_path)


def _restore_kernelspec(notebook_path, kernelspec: dict | None) -> None:
    """Give the executed notebook back the source's kernelspec (not our temporary one)."""
    import nbformat

    nb = nbformat.read(str(notebook_path), as_version=4)
    if kernelspec:
        nb.metadata["kernelspec"] = kernelspec
    else:
        nb.metadata.pop("kernelspec", None)
    nbformat.write(nb, str(notebook_path))


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


def _inputs(params: dict, notebook: Path) -> dict:
    from .data import default_path

    data = Path(params["data"]) if params["data"] else default_path()
    scenarios = {}
    for name in [params["scenario"], *params["compare_with"]]:
        f = scenario_file(name)
        scenarios[scenario_slug(name)] = {"path": str(f), "sha256": sha256_file(f)}
    return {"notebook": {"path": str(notebook), "sha256": sha256_file(notebook)},
            "data": {"path": str(data), "sha256": sha256_file(data)},
            "scenarios": scenarios}


def salvage_killed_runs(target: Path) -> None:
    """Keep the notebook of a run killed mid-way (its staging directory is left over) as the failed one."""
    for stage in sorted(target.parent.glob(f".{target.name}.staging-*")):
        nb = stage / NOTEBOOK
        if nb.is_file():
            target.mkdir(parents=True, exist_ok=True)
            os.replace(nb, target / FAILED_NOTEBOOK)
        shutil.rmtree(stage, ignore_errors=True)


def _say(progress, message: str) -> None:
    if progress:
        print(f"econsim: {message}", file=sys.stderr, flush=True)


def _load_inputs(params: dict) -> None:
    """Fully load every scenario and the dataset of a report, so that a malformed one fails here.

    :func:`validate_parameters` only checks that the files exist; a scenario with ``growth: lots``
    or a CSV with a bad row would otherwise be found inside the kernel, after the lock was taken
    and a failed notebook written.  Loading them costs milliseconds (plus the pandas import the
    dataset needs), against seconds of kernel start-up.

    Raises
    ------
    InputError
        As :func:`econsim.scenario.load_scenario` and :func:`econsim.data.load_dataset` raise it,
        naming the file and key or line.
    """
    from .data import load_dataset
    from .scenario import load_scenario

    for ref in [params["scenario"], *params["compare_with"]]:
        load_scenario(ref)
    load_dataset(params["data"])


def render_report(scenario: str = "baseline", as_of: str | None = None, out="reports", *,
                  draws: int | None = None, seed: int | None = None, compare_with=None,
                  data=None, language: str = "zh-en", notebook=None, progress: bool = False,
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
        Monte Carlo draws and random seed (defaults of :data:`PARAMETERS`).
    compare_with : list of str, optional
        Scenarios to compare with (default ``["upside", "downside"]``, those that exist).
    data : str or Path, optional
        Observations CSV (default ``./data/observations.csv`` or the bundled one).
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
    given = {"scenario": scenario, "as_of": as_of, "language": language, "data": data,
             "draws": PARAMETERS["draws"] if draws is None else draws,
             "seed": PARAMETERS["seed"] if seed is None else seed}
    if compare_with is None:
        compare_with = [c for c in PARAMETERS["compare_with"] if scenario_file(c) is not None]
    given["compare_with"] = list(compare_with)
    params = validate_parameters(given, where="report parameters")
    if params["data"] is not None:
        params["data"] = str(Path(params["data"]).resolve())
    _load_inputs(params)
    notebook = Path(notebook) if notebook is not None else find_notebook()
    if not notebook.is_file():
        raise InputError("report notebook not found", path=notebook)
    from .outputs import check_output_dir

    root = check_output_dir(out)
    target = root / params["as_of"] / scenario_slug(params["scenario"])
    params["out_dir"] = str(target.resolve())
    inputs = _inputs(params, notebook)
    t_valid = time.perf_counter() - t0

    with report_lock(target.parent / f".{target.name}.lock", max_age=lock_max_age,
                     what=f"{params['scenario']} for {params['as_of']}"):
        salvage_killed_runs(target)
        # Started before papermill is even imported: its import and the kernel's start-up take
        # this core while the sections are computed on the other.
        with sections_in_background(params, progress):
            return _execute_and_publish(params, notebook, target, inputs, started=started, t0=t0,
                                        t_valid=t_valid, progress=progress, cell_timeout=cell_timeout)


def _execute_and_publish(params, notebook, target, inputs, *, started, t0, t_valid, progress,
                         cell_timeout) -> ReportResult:
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from .outputs import staged_files

    source_kernelspec = nbformat.read(str(notebook), as_version=4).metadata.get("kernelspec")
    manifest = {
        "report": REPORT_STEM, "status": "running",
        "scenario": scenario_slug(params["scenario"]), "as_of": params["as_of"],
        "parameters": params, "inputs": inputs, "versions": package_versions(REPORT_PACKAGES),
        "kernel": {"python": sys.executable},
        "started_at": started.isoformat(timespec="seconds"),
    }
    with staged_files(target) as stage:
        staged_nb = stage / NOTEBOOK
        _say(progress, f"executing {notebook} for {params['scenario']} {params['as_of']} "
                       f"(draws {params['draws']}, seed {params['seed']})")
        t1 = time.perf_counter()
        # The HTML export comes next: load nbconvert while the kernel runs (this process only waits).
        threading.Thread(target=_import_quietly, args=("nbconvert.exporters.html",), daemon=True).start()
        try:
            with kernel_for_this_interpreter() as kernel_name:
                pm.execute_notebook(str(notebook), str(staged_nb), parameters=params,
                                    kernel_name=kernel_name, progress_bar=progress, log_output=False,
                                    execution_timeout=cell_timeout, request_save_on_cell_execute=True)
        except BaseException as exc:
            kept = _keep_failed(staged_nb, target, source_kernelspec,
                                {**manifest, "status": "failed", "error": _error_line(exc),
                                 "timings_s": {"validate": round(t_valid, 3),
                                               "execute": round(time.perf_counter() - t1, 3)}})
            if isinstance(exc, PapermillExecutionError) and exc.ename in ("InputError", "ReportLocked"):
                raise InputError(f"{exc.evalue} (failed notebook kept at {kept})") from None
            if isinstance(exc, PapermillExecutionError):
                raise ReportFailed(f"the report notebook failed in cell {exc.exec_count}: {exc.ename}: "
                                   f"{exc.evalue}; the previous report (if any) is untouched; failed "
                                   f"notebook kept at {kept}", kept) from None
            if isinstance(exc, Exception):
                raise ReportFailed(f"the report could not be executed: {_error_line(exc)}; the previous "
                                   f"report (if any) is untouched", kept) from exc
            raise
        t_exec = time.perf_counter() - t1
        _restore_kernelspec(staged_nb, source_kernelspec)
        _say(progress, "exporting HTML")
        t2 = time.perf_counter()
        export_html(staged_nb, stage / f"{REPORT_STEM}.html")
        t_html = time.perf_counter() - t2
        manifest.update(
            status="ok",
            finished_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            outputs={p.name: sha256_file(p) for p in sorted(stage.iterdir())},
            timings_s={"validate": round(t_valid, 3), "execute": round(t_exec, 3),
                       "export_html": round(t_html, 3), "total": round(time.perf_counter() - t0, 3)})
        (stage / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    for stale in (FAILED_NOTEBOOK, FAILED_MANIFEST):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target / stale)
    _say(progress, f"published {target}")
    return ReportResult(target, target / NOTEBOOK, target / f"{REPORT_STEM}.html", target / MANIFEST, manifest)


def _import_quietly(module: str) -> None:
    with contextlib.suppress(Exception):
        importlib.import_module(module)


def _error_line(exc: BaseException) -> str:
    if getattr(exc, "ename", None):
        return f"{exc.ename}: {exc.evalue}".replace("\n", " ")
    return f"{type(exc).__name__}: {exc}".replace("\n", " ")


def _keep_failed(staged_nb: Path, target: Path, kernelspec, manifest: dict) -> Path | None:
    """Move a failed run's notebook beside the published report (which stays as it was)."""
    target.mkdir(parents=True, exist_ok=True)
    (target / FAILED_MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
    if not staged_nb.is_file():
        return None
    with contextlib.suppress(Exception):
        _restore_kernelspec(staged_nb, kernelspec)
    os.replace(staged_nb, target / FAILED_NOTEBOOK)
    return target / FAILED_NOTEBOOK


# --------------------------------------------------------------------------- notebook glue
# What the report notebook displays, section by section.  Each helper returns something a
# notebook renders richly (Markdown, a pandas Styler, a matplotlib Figure) and computes
# nothing the library does not already compute.

FOURTEENTH_PLAN = (2020, 2025)  # 十四五 2021–2025, with 2020 as its base year


def _pick(language: str, zh: str, en: str) -> str:
    return {"zh": zh, "en": en}.get(language, f"{zh} / {en}")


def section(zh: str, en: str, language: str = "zh-en", level: int = 2):
    """A heading in the report's language(s), e.g. ``## 目标 / Targets``."""
    from IPython.display import Markdown

    return Markdown(f"{'#' * level} {_pick(language, zh, en)}")


def note(zh: str, en: str, language: str = "zh-en"):
    """A paragraph in the report's language(s) (both, one per line, when bilingual)."""
    from IPython.display import Markdown

    text = {"zh": zh, "en": en}.get(language, f"{zh}\n\n{en}")
    return Markdown(text)


def styled(frame, *, caption: str | None = None, digits: int = 2, percent=(), status_column="status"):
    """A DataFrame as a pandas Styler: numbers rounded, probabilities as percent, derived rows in italics.

    Parameters
    ----------
    frame : pandas.DataFrame
    caption : str, optional
    digits : int
        Decimals of float columns.
    percent : sequence of str
        Columns holding probabilities 0–1, shown as ``85%``.
    status_column : str
        Rows whose status is ``derived`` (computed by econsim, not reported) are set in grey italics.
    """
    from pandas.api.types import is_float_dtype

    frame = frame.reset_index(drop=True)
    fmt = {c: f"{{:.{digits}f}}" for c in frame.columns if is_float_dtype(frame[c]) and c not in percent}
    fmt.update({c: "{:.0%}" for c in percent if c in frame})
    sty = frame.style.format(fmt, na_rep="–").hide(axis="index")
    if status_column in frame:
        def grey(row):
            derived = row.get(status_column) == "derived"
            return ["color: #666; font-style: italic" if derived else "" for _ in row]
        sty = sty.apply(grey, axis=1)
    if caption:
        sty = sty.set_caption(caption)
    return sty


def title(scenario, params: dict):
    """The report's title and the line saying what was run (scenario, month, draws, seed)."""
    from IPython.display import Markdown

    name = f"{scenario.name} {scenario.title}".strip()
    lang = params["language"]
    head = _pick(lang, f"经济预测报告：{name}", f"Forecast report: {name}")
    line = _pick(lang, f"数据截至 {params['as_of']} · 地区 {scenario.region} · {params['draws']} 次模拟 · 随机种子 {params['seed']}",
                 f"data as of {params['as_of']} · region {scenario.region} · {params['draws']} draws · seed {params['seed']}")
    return Markdown(f"# {head}\n\n{line}\n\n" + _pick(
        lang, "econsim 计算的一切数字（推算、预测、概率）状态均为 derived，不是公布数。",
        "Everything econsim computes (reconstructions, projections, probabilities) has status derived and is "
        "not a reported figure."))


def latest_figures(dataset, region: str):
    """The latest reported annual figure of each indicator (level and growth), with its source.

    Returns
    -------
    pandas.DataFrame
        ``indicator, name, year, measure, value, unit, status, source, locator``; reported figures only.
    """
    from . import indicators as _ind
    from .data import STATUS_RANK

    obs = dataset.select(region=region, measure=["level", "growth"], status=["actual", "preliminary"])
    obs = obs[obs["period"].str.fullmatch(r"\d{4}")]
    obs = obs.assign(_rank=obs["status"].map(STATUS_RANK), year=obs["period"].astype(int))
    obs = obs.sort_values(["indicator", "measure", "year", "_rank"], ascending=[True, True, False, True])
    latest = obs.drop_duplicates(["indicator", "measure"])
    latest = latest.assign(name=latest["indicator"].map(_ind.label))
    return latest[["indicator", "name", "year", "measure", "value", "unit", "status", "source",
                   "locator"]].reset_index(drop=True)


def consistency_findings(dataset, region: str):
    """The consistency findings of `region` as a table (:func:`econsim.checks.findings_frame`)."""
    from .checks import findings_frame

    return findings_frame(dataset.check(region=region))


def plan_history(dataset, region: str, measure: str = "growth", years=FOURTEENTH_PLAN):
    """The 十四五 history: annual figures 2020–2025, reported ones first, reconstructed ones filling gaps.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``indicator, name, year, measure, value, unit, status, source, locator``; status
        ``derived`` marks what econsim reconstructed (never presented as reported).
    """
    from . import indicators as _ind
    from .data import COLUMNS, STATUS_RANK

    import pandas as pd

    frames = [dataset.select(region=region, measure=measure)]
    rec = dataset.reconstruct(region)
    if rec is not None and len(rec.paths):
        paths = rec.paths
        frames.append(paths[paths["measure"] == measure][list(COLUMNS)])
    obs = pd.concat(frames, ignore_index=True)
    obs = obs[obs["period"].str.fullmatch(r"\d{4}") & (obs["status"] != "target")]
    obs = obs.assign(year=obs["period"].astype(int), _rank=obs["status"].map(STATUS_RANK))
    obs = obs[(obs["year"] >= years[0]) & (obs["year"] <= years[1])]
    obs = obs.sort_values(["indicator", "year", "_rank"]).drop_duplicates(["indicator", "year"])
    obs = obs.assign(name=obs["indicator"].map(_ind.label))
    return obs[["indicator", "name", "year", "measure", "value", "unit", "status", "source",
                "locator"]].reset_index(drop=True)


def plan_history_wide(history):
    """`history` (from :func:`plan_history`) as indicators × years, derived values marked ``*``."""
    cells = history.assign(cell=[f"{v:.2f}{'*' if s == 'derived' else ''}"
                                 for v, s in zip(history["value"], history["status"])])
    wide = cells.pivot(index="name", columns="year", values="cell").fillna("–")
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index().rename(columns={"name": "指标 indicator"})


def plan_history_chart(history, language: str = "zh-en"):
    """Line chart of the 十四五 history: filled markers reported, hollow markers derived.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    from .plotting import chart_style

    with chart_style():
        fig = Figure(figsize=(8, 4.4), layout="constrained")
        ax = fig.add_subplot()
        for i, ((_key, name), g) in enumerate(history.groupby(["indicator", "name"], sort=False)):
            g = g.sort_values("year")
            color = f"C{i % 10}"
            ax.plot(g["year"], g["value"], color=color, lw=1.5, label=name)
            rep, der = g[g["status"] != "derived"], g[g["status"] == "derived"]
            ax.plot(rep["year"], rep["value"], "o", color=color)
            ax.plot(der["year"], der["value"], "o", mfc="white", color=color)
        measure = history["measure"].iloc[0] if len(history) else "growth"
        ax.set_ylabel(_pick(language, "增长率 (%)", "growth (%)") if measure == "growth"
                      else _pick(language, "水平", "level"))
        ax.set_title(_pick(language, "十四五时期 2021–2025(实心 = 公布数, 空心 = 推算值)",
                           "14th Five-Year Plan 2021–2025 (filled = reported, hollow = derived)"), fontsize=10)
        ax.legend(fontsize=7, loc="best")
        ax.grid(alpha=0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
    return fig


def figure(fig, dpi: int = 90):
    """`fig` as an inline PNG image for the notebook (and so for the HTML report)."""
    from IPython.display import Image

    from .plotting import figure_to_png

    return Image(data=figure_to_png(fig, dpi=dpi), format="png")


def nowcast_table(dataset, as_of: str, region: str):
    """The year-to-date nowcast of `region` as of `as_of` (may be empty: see :func:`nowcast_message`)."""
    from .nowcast import nowcast

    return nowcast(dataset, as_of, region=region).to_frame()


def nowcast_message(table, as_of: str, language: str = "zh-en"):
    """What the nowcast section says: which months it used, or plainly that the year has no data yet."""
    year = int(as_of[:4])
    month = int(as_of[5:])
    if len(table):
        return note(f"截至 {as_of}，依据 {year} 年 1–{month} 月累计数据推算全年（推算值，非公布数）。",
                    f"As of {as_of}: full-year estimates from the year-to-date (1–{month}) figures of {year} "
                    "(derived by econsim, not reported).", language)
    return note(f"截至 {as_of}，尚无 {year} 年的年初至今（累计）数据，本节没有 {year} 年的现时预测。",
                f"As of {as_of} there are no year-to-date figures for {year} yet, so there is no nowcast "
                f"for {year}.", language)


def comparison_table(projections):
    """Scenarios side by side: median growth with its 80% band, per indicator and year.

    Returns
    -------
    pandas.DataFrame
        ``indicator, year`` and one column per scenario holding ``p50 (p10 – p90)`` in percent,
        from :func:`econsim.simulate.compare`.
    """
    from .simulate import compare

    tidy = compare(projections)
    tidy = tidy.assign(cell=[f"{m:.1f} ({lo:.1f} – {hi:.1f})" for m, lo, hi in
                             zip(tidy["p50"], tidy["p10"], tidy["p90"])])
    order = list(dict.fromkeys(tidy["scenario"]))
    wide = tidy.pivot_table(index=["name", "year"], columns="scenario", values="cell", aggfunc="first", sort=False)
    wide = wide[order].reset_index().rename(columns={"name": "指标 indicator", "year": "年份 year"})
    wide.columns.name = None
    return wide


def comparison_chart(projections):
    """Median and 80% band of each scenario, one panel per indicator (:mod:`econsim.plotting`)."""
    from .plotting import comparison_chart

    return comparison_chart(projections)


def model_diagnostics(dataset, region: str, measure: str = "growth", min_length: int = 5, h: int = 1):
    """Rolling-origin backtest of the auto forecaster on each of the zone's annual series.

    Returns
    -------
    pandas.DataFrame
        ``name, years, smape, mase, coverage_80, coverage_95, origins``; series shorter
        than `min_length` years are left out (too short to judge a forecaster).
    """
    import pandas as pd

    from . import indicators as _ind
    from .backtest import backtest

    rows = []
    for key in _ind.INDICATORS:
        try:
            y = dataset.series(key, region=region, measure=measure)
        except InputError:
            continue
        if len(y) < min_length:
            continue
        s = backtest(y, h=h, min_train=3).summary
        rows.append({"name": _ind.label(key), "years": f"{y.index[0]}–{y.index[-1]}",
                     **{k: s.get(k) for k in ("smape", "mase", "coverage_80", "coverage_95", "origins")}})
    return pd.DataFrame(rows)


def provenance(dataset, region: str, projections=()):
    """Every figure the report uses, with its source, locator and status.

    The region's observations (reported, targets), the reconstructed years (``derived``) and one
    row per projected indicator (``derived``: computed by econsim from the scenario file).
    """
    import pandas as pd

    from . import indicators as _ind
    from .data import COLUMNS

    frames = [dataset.select(region=region)[list(COLUMNS)]]
    rec = dataset.reconstruct(region)
    if rec is not None and len(rec.paths):
        frames.append(rec.paths[list(COLUMNS)])
    rows = []
    for p in projections:
        src = str(p.scenario.path.name) if getattr(p.scenario, "path", None) else p.scenario.name
        for key in p.indicators:
            rows.append({"region": p.region, "indicator": key, "period": p.period_label,
                         "measure": "growth, level", "value": float("nan"), "unit": "pct",
                         "status": "derived", "source": f"econsim projection of scenario {p.scenario.name}",
                         "locator": f"{src}; {p.draws_count} draws, seed {p.seed}"})
    if rows:
        frames.append(pd.DataFrame(rows))
    out = pd.concat(frames, ignore_index=True)
    out.insert(2, "name", out["indicator"].map(_ind.label))
    return out[["name", "period", "measure", "value", "unit", "status", "source", "locator"]]


# --------------------------------------------------------------------------- the report's sections
# The notebook shows :data:`SECTIONS` in order through one :class:`ForecastReport`.  Each section is
# a list of display outputs (MIME bundles: Markdown, HTML tables, PNG figures).  Run by plain
# papermill or in JupyterLab, the kernel computes them itself; run by ``econsim report``, the
# calling process computes the very same bundles while the kernel starts (two cores work at once)
# and hands them over in a file whose key covers every input, so the kernel only displays them.

#: The report's sections, in the order the notebook shows them.
SECTIONS = ("title", "latest", "history", "nowcast", "assumptions", "fan_charts", "targets",
            "comparison", "diagnostics", "provenance")

#: Environment variable naming the file where ``econsim report`` puts precomputed sections.
SECTIONS_ENV = "ECONSIM_REPORT_SECTIONS"

#: Format of the precomputed-sections file (bumped whenever its layout changes).
SECTIONS_FORMAT = 1

#: Resolution of the report's figures (dots per inch): sharp on screen, small in the HTML.
FIGURE_DPI = 90


def code_fingerprint() -> str:
    """SHA-256 over econsim's own source files: a precomputed section is only reused by identical code."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def sections_key(params: dict) -> dict:
    """Everything the sections of a report depend on, with the SHA-256 of every input file.

    The data file, the scenario files (as found from the current directory), the normalised
    parameters (``out_dir`` excluded: it changes no figure), econsim's version and source code.
    """
    from . import __version__
    from .data import default_path

    data = Path(params["data"]) if params["data"] else default_path()
    scenarios = {}
    for name in [params["scenario"], *params["compare_with"]]:
        f = scenario_file(name)
        scenarios[str(name)] = sha256_file(f) if f is not None else None
    return {"format": SECTIONS_FORMAT, "econsim": __version__, "code": code_fingerprint(),
            "parameters": {k: v for k, v in params.items() if k != "out_dir"},
            "data": sha256_file(data), "scenarios": scenarios}


def _bundle(obj, name: str) -> dict:
    """One display output as a MIME bundle, deterministic (no memory addresses, no random ids)."""
    from IPython.core.formatters import DisplayFormatter

    if hasattr(obj, "set_uuid"):  # a pandas Styler: fixed table ids, so equal inputs give equal HTML
        obj.set_uuid(name)
    data, _metadata = DisplayFormatter().format(obj)
    plain = data.get("text/plain", "")
    if " at 0x" in plain:
        data["text/plain"] = f"<{type(obj).__name__}>"
    return data


class ForecastReport:
    """The forecast report of one scenario and month: its data, projections and sections.

    Everything is computed once, when first needed: one :class:`~econsim.data.Dataset`, one
    projection per scenario (the compared ones too), one reconstruction.  In JupyterLab the
    attributes are there to explore (``rep.projection.fan_chart("gdp")``).

    Parameters
    ----------
    params : dict
        Normalised parameters from :func:`validate_parameters`.
    precomputed : dict, optional
        Section name → list of MIME bundles, computed elsewhere for exactly these inputs
        (see :meth:`from_notebook`); sections found there are not recomputed.
    """

    def __init__(self, params: dict, precomputed: dict | None = None):
        self.params = dict(params)
        self.language = params["language"]
        self.precomputed = precomputed or {}
        self._memo: dict = {}

    @classmethod
    def from_notebook(cls, params: dict, *, wait: float = CELL_TIMEOUT) -> "ForecastReport":
        """The report as the notebook builds it: with the sections ``econsim report`` precomputed, if any.

        Precomputed sections are used only when ``$ECONSIM_REPORT_SECTIONS`` names a file whose key
        (:func:`sections_key`) equals the key of these parameters and inputs; otherwise, and always
        under plain papermill, every section is computed here.
        """
        return cls(params, _load_precomputed(params, wait=wait))

    def _once(self, name, compute):
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    # -- what the sections are made of
    @property
    def dataset(self):
        """The observations (:func:`econsim.load_dataset`), loaded once."""
        from .data import load_dataset

        return self._once("dataset", lambda: load_dataset(self.params["data"]))

    @property
    def scenario(self):
        """The report's scenario (:func:`econsim.load_scenario`)."""
        from .scenario import load_scenario

        return self._once("scenario", lambda: load_scenario(self.params["scenario"]))

    @property
    def region(self) -> str:
        return self.scenario.region

    def _project(self, scenario):
        from .simulate import project

        p = self.params
        return project(scenario, self.dataset, draws=p["draws"], seed=p["seed"], as_of=p["as_of"])

    @property
    def projection(self):
        """The scenario's Monte Carlo projection (:func:`econsim.project`)."""
        return self._once("projection", lambda: self._project(self.scenario))

    @property
    def others(self) -> list:
        """Projections of the scenarios compared with (each computed once)."""
        return self._once("others", lambda: [self._project(n) for n in self.params["compare_with"]])

    @property
    def history(self):
        """The 十四五 history (:func:`plan_history`)."""
        return self._once("history", lambda: plan_history(self.dataset, self.region))

    # -- the sections, as display objects
    def section_title(self):
        return [title(self.scenario, self.params)]

    def section_latest(self):
        lang = self.language
        return [section("最新数据与一致性检查", "Latest data and consistency findings", lang),
                styled(latest_figures(self.dataset, self.region), caption="最新公布数 latest reported figures"),
                styled(consistency_findings(self.dataset, self.region), caption="一致性检查 consistency findings")]

    def section_history(self):
        lang = self.language
        return [section("十四五时期回顾", "The 14th Five-Year Plan period, 2021–2025", lang),
                figure(plan_history_chart(self.history, lang), dpi=FIGURE_DPI),
                note("带 * 的数值为 econsim 依据公布的水平、增速、期间平均和累计数推算（derived），并非公布数。",
                     "Values marked * are derived by econsim from the reported levels, growth rates, "
                     "period averages and cumulative sums; they are not reported figures.", lang),
                styled(plan_history_wide(self.history), caption="增长率 growth (%), 2020–2025")]

    def section_nowcast(self):
        as_of = self.params["as_of"]
        now = nowcast_table(self.dataset, as_of, self.region)
        out = [section("现时预测", "Nowcast", self.language), nowcast_message(now, as_of, self.language)]
        return out + ([styled(now)] if len(now) else [])

    def section_assumptions(self):
        return [section("情景假设", "Scenario assumptions", self.language), self.scenario]

    def section_fan_charts(self):
        from .plotting import fan_charts

        proj = self.projection
        out = [section("扇形图", "Fan charts", self.language), figure(fan_charts(proj), dpi=FIGURE_DPI)]
        if proj.notes:
            text = "\n".join(f"- {n}" for n in proj.notes)
            out.append(note(text, text, "zh"))
        return out

    def section_targets(self):
        return [section("目标实现概率", "Targets and the probability of meeting them", self.language),
                styled(self.projection.targets(), percent=["probability"])]

    def section_comparison(self):
        out = [section("情景比较", "Comparison with other scenarios", self.language)]
        if not self.others:
            return out + [note("没有可比较的其他情景。", "No other scenario to compare with.", self.language)]
        both = [self.projection, *self.others]
        return out + [styled(comparison_table(both)), figure(comparison_chart(both), dpi=FIGURE_DPI)]

    def section_diagnostics(self):
        lang = self.language
        return [section("模型诊断", "Model diagnostics", lang),
                note("自动预测模型在本区各年度增速序列上的滚动回测（一步预测）。",
                     "Rolling-origin backtest (one step ahead) of the auto forecaster on the zone's annual "
                     "growth series.", lang),
                styled(model_diagnostics(self.dataset, self.region), percent=["coverage_80", "coverage_95"])]

    def section_provenance(self):
        return [section("数据来源", "Provenance of every figure", self.language),
                styled(provenance(self.dataset, self.region, [self.projection, *self.others]))]

    # -- outputs
    def outputs(self, name: str) -> list[dict]:
        """The MIME bundles of section `name` (precomputed ones as they are, others computed now)."""
        if name not in SECTIONS:
            raise KeyError(f"unknown report section {name!r}{did_you_mean(name, SECTIONS)}")
        if name in self.precomputed:
            return self.precomputed[name]
        return self._once(("outputs", name), lambda: [
            _bundle(obj, f"{name}-{i}") for i, obj in enumerate(getattr(self, f"section_{name}")())])

    def show(self, name: str) -> None:
        """Display section `name` in the notebook."""
        from IPython.display import display

        for data in self.outputs(name):
            display(data, raw=True)

    def all_outputs(self, progress=None) -> dict:
        """Every section's MIME bundles, in order (what ``econsim report`` hands to the kernel)."""
        out = {}
        for name in SECTIONS:
            if progress:
                progress(f"computing section {name}")
            out[name] = self.outputs(name)
        return out

    def __repr__(self) -> str:
        p = self.params
        return (f"ForecastReport(scenario={p['scenario']!r}, as_of={p['as_of']!r}, draws={p['draws']}, "
                f"seed={p['seed']}, precomputed={len(self.precomputed)} of {len(SECTIONS)} sections)")


def _load_precomputed(params: dict, *, wait: float) -> dict | None:
    """Sections precomputed by ``econsim report`` for exactly `params` and the current inputs, or None.

    Waits (up to `wait` seconds) for the calling process to finish writing them: it always writes
    the file, with ``error`` set when it could not compute them (then the kernel computes, and
    shows the error where it belongs).
    """
    path = os.environ.get(SECTIONS_ENV)
    if not path:
        return None
    path = Path(path)
    deadline = time.monotonic() + wait
    while not path.exists():
        # The directory lives exactly as long as the run that writes into it: a variable left
        # over in some other environment points nowhere, and nothing waits for it.
        if not path.parent.is_dir() or time.monotonic() > deadline:
            return None
        time.sleep(0.02)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("error") or stored.get("key") != sections_key(params):
        return None
    sections = stored.get("sections")
    return sections if isinstance(sections, dict) else None


def precompute_sections(params: dict, path, progress=None) -> None:
    """Compute every section for `params` and write them, keyed by their inputs, to `path` (atomically).

    Never raises: on failure the file records the error, and the kernel computes the sections
    itself (so that the notebook shows the error in its cell, as without precomputation).
    """
    path = Path(path)
    try:
        key = sections_key(params)
        stored = {"key": key, "sections": ForecastReport(params).all_outputs(progress)}
    except Exception as exc:  # the kernel recomputes and reports it in the notebook
        stored = {"key": None, "error": _error_line(exc)}
    _write_sections(path, stored)


@contextlib.contextmanager
def sections_in_background(params: dict, progress: bool = False):
    """Compute the report's sections in a separate process while the kernel starts.

    The worker (``python -m econsim.report SECTIONS_FILE``, reading `params` as JSON on stdin)
    runs on the second core while this process loads papermill and the kernel starts; the
    kernel finds the file through ``$ECONSIM_REPORT_SECTIONS``.  Should the worker die without
    writing it, a watcher writes the error instead, so the kernel never waits in vain (it then
    computes the sections itself).  On exit the worker is stopped if still running, and the
    file removed.  Yields the path of the sections file.
    """
    import subprocess

    root = Path(tempfile.mkdtemp(prefix="econsim-sections-"))
    path = root / "sections.json"
    worker = subprocess.Popen([sys.executable, "-m", "econsim.report", str(path)] + (["--progress"] if progress else []),
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=None if progress else
                              subprocess.DEVNULL)

    def watch():
        code = worker.wait()
        if not path.exists():
            _write_sections(path, {"key": None, "error": f"section worker exited with code {code}"})

    watcher = threading.Thread(target=watch, name="econsim-report-sections", daemon=True)
    watcher.start()
    try:
        worker.stdin.write(json.dumps(params).encode())
        worker.stdin.close()
    except OSError:  # the worker already died: the watcher records it
        pass
    old = os.environ.get(SECTIONS_ENV)
    os.environ[SECTIONS_ENV] = str(path)
    try:
        yield path
    finally:
        if old is None:
            os.environ.pop(SECTIONS_ENV, None)
        else:
            os.environ[SECTIONS_ENV] = old
        if worker.poll() is None:
            worker.kill()
        watcher.join()
        shutil.rmtree(root, ignore_errors=True)


def _write_sections(path: Path, stored: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _sections_main(argv=None) -> int:
    """Entry point of the section worker: parameters as JSON on stdin, the sections file as argument."""
    argv = sys.argv[1:] if argv is None else argv
    params = json.loads(sys.stdin.read())
    say = (lambda m: _say(True, m)) if "--progress" in argv else None
    precompute_sections(params, Path(argv[0]), say)
    return 0


if __name__ == "__main__":
    sys.exit(_sections_main())
