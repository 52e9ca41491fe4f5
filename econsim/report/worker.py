"""The report's sections: :class:`ForecastReport`, and computing them beside the kernel.

The notebook shows :data:`SECTIONS` in order through one :class:`ForecastReport`.  Under
``econsim report`` the calling process computes the very same sections while the kernel starts
(:func:`sections_in_background`) and hands them over in a file whose key covers every input
(:func:`sections_key`), so the kernel only displays them.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..errors import did_you_mean
from ..io.manifest import input_hashes
from .parameters import scenario_file
from .display import figure, note, section, styled, title
from .sections import comparison_chart, comparison_table, consistency_findings, latest_figures, model_diagnostics, nowcast_message, nowcast_table, plan_history, plan_history_chart, plan_history_wide, provenance


#: Longest a single notebook cell may run (seconds) before the run counts as failed.
CELL_TIMEOUT = 1800

def _say(progress, message: str) -> None:
    if progress:
        print(f"econsim: {message}", file=sys.stderr, flush=True)

def _error_line(exc: BaseException) -> str:
    if getattr(exc, "ename", None):
        return f"{exc.ename}: {exc.evalue}".replace("\n", " ")
    return f"{type(exc).__name__}: {exc}".replace("\n", " ")



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
SECTIONS_FORMAT = 2

#: Resolution of the report's figures (dots per inch): sharp on screen, small in the HTML.
FIGURE_DPI = 90


def code_fingerprint() -> str:
    """SHA-256 over econsim's own source files: a precomputed section is only reused by identical code."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]  # econsim/, not only econsim/report/
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def sections_key(params: dict) -> dict:
    """Everything the sections of a report depend on, with the SHA-256 of every input file.

    The data file, the scenario files (as found from the current directory), the normalised
    parameters (``out_dir`` excluded: it changes no figure), econsim's version and source code.
    """
    from .._version import __version__
    from ..data.dataset import default_path

    data = Path(params["data"]) if params["data"] else default_path()
    scenarios = [scenario_file(name) for name in [params["scenario"], *params["compare_with"]]]
    return {"format": SECTIONS_FORMAT, "econsim": __version__, "code": code_fingerprint(),
            "parameters": {k: v for k, v in params.items() if k != "out_dir"},
            "inputs": input_hashes([data, *scenarios])}


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
        from ..data.dataset import load_dataset

        return self._once("dataset", lambda: load_dataset(self.params["data"]))

    @property
    def scenario(self):
        """The report's scenario (:func:`econsim.load_scenario`)."""
        from ..scenario.files import load_scenario

        return self._once("scenario", lambda: load_scenario(self.params["scenario"]))

    @property
    def region(self) -> str:
        return self.scenario.region

    def _project(self, scenario):
        from ..scenario.projection import project

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
        from ..plotting import fan_charts

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
    from ..io.writing import write_text_atomic

    write_text_atomic(path, json.dumps(stored, ensure_ascii=False))


def _sections_main(argv=None) -> int:
    """Entry point of the section worker: parameters as JSON on stdin, the sections file as argument."""
    argv = sys.argv[1:] if argv is None else argv
    params = json.loads(sys.stdin.read())
    say = (lambda m: _say(True, m)) if "--progress" in argv else None
    precompute_sections(params, Path(argv[0]), say)
    return 0
