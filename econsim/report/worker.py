"""The report's sections: computed once, by the kernel or ahead of it by a worker process.

:class:`ForecastReport` holds one report's data and projections and turns them into sections (lists
of MIME bundles).  Under ``econsim report`` a worker process (:func:`sections_in_background`)
computes every section while the kernel starts and hands them over in a file keyed by every input
(:func:`sections_key`); the kernel then only displays them.  Under plain papermill or in JupyterLab
the kernel computes them itself.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..errors import did_you_mean
from ..indicators import unit_text
from ..io.manifest import input_hashes, sha256_file
from .parameters import scenario_file
from .display import bullets, figure, note, section, styled, title
from .sections import (OUTLOOK_MIME, _pct, aims_table, all_targets_met, assumed_at_target, comparison_chart, comparison_table,
                       consistency_findings, finding_sentences, latest_figures, model_diagnostics, nowcast_message,
                       nowcast_table, outlook_changes, outlook_record, outlook_table, plan_history,
                       plan_history_chart, plan_history_wide, previous_record, provenance, summary_chart,
                       summary_findings)


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
SECTIONS = ("title", "summary", "changes", "targets", "fan_charts", "history", "latest", "findings", "nowcast",
            "assumptions", "comparison", "diagnostics", "provenance")

#: Sections that depend on more than the inputs of :func:`sections_key` (the previous month's report in
#: the output folder): computed on every run, never taken from the cache of earlier runs.
PER_RUN_SECTIONS = ("changes",)

#: Environment variable naming the file where ``econsim report`` puts precomputed sections.
SECTIONS_ENV = "ECONSIM_REPORT_SECTIONS"

#: Format of the precomputed-sections file (bumped whenever its layout changes).
SECTIONS_FORMAT = 2

#: Resolution of the report's figures (dots per inch): sharp on screen, small in the HTML.
FIGURE_DPI = 90


def code_fingerprint() -> str:
    """SHA-256 over econsim's own source files: a precomputed section is only reused by identical code."""
    from ..io.cache import code_version

    return code_version(Path(__file__).resolve().parents[1])  # econsim/, not only econsim/report/


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


def _label(key: str) -> str:
    from ..indicators import label

    return label(key)


def _html_of(styler, name: str) -> str:
    """A Styler's HTML with fixed table ids (deterministic, as :func:`_bundle`)."""
    styler.set_uuid(name)
    return styler.to_html()


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
        from .parameters import is_resolved, resolve_parameters

        self.params = dict(params) if is_resolved(params) else resolve_parameters(params, check=False)
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
        from .parameters import is_resolved, resolve_parameters

        if not is_resolved(params):  # plain papermill or JupyterLab: look the defaults up here
            params = resolve_parameters(params, check=False)
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
        """The report's scenario (:func:`econsim.load_scenario`), applied to the report's region."""
        return self._once("scenario", lambda: self._scenario(self.params["scenario"]))

    @property
    def region(self) -> str:
        return self.params["region"]

    def _scenario(self, ref):
        from ..scenario.files import load_scenario
        from ..scenario.regions import with_region

        return with_region(load_scenario(ref), self.region)

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
        return self._once("others", lambda: [self._project(self._scenario(n)) for n in self.params["compare_with"]])

    @property
    def history(self):
        """The 十四五 history (:func:`plan_history`)."""
        return self._once("history", lambda: plan_history(self.dataset, self.region))

    # -- the sections, as display objects
    def section_title(self):
        return [title(self.scenario, self.params)]

    @property
    def outlook(self):
        """The first projected year's outlook per indicator (:func:`outlook_table`)."""
        return self._once("outlook", lambda: outlook_table(self.projection, self.projection.years[0]))

    @property
    def aims(self):
        """The multi-year aims with their odds (:func:`aims_table`)."""
        return self._once("aims", lambda: aims_table(self.projection))

    def section_summary(self):
        lang, proj, year = self.language, self.projection, self.projection.years[0]
        sc = f"{proj.scenario.name} {proj.scenario.title}".strip()
        view = self.outlook.assign(interval=[f"{lo:.1f} – {hi:.1f}" for lo, hi in
                                             zip(self.outlook["p10"], self.outlook["p90"])])
        view = view[["name", "p50", "interval", "target", "probability"]].rename(columns={
            "name": "指标 indicator", "p50": f"{year} 中位数 median (%)", "interval": "80% 区间 interval (%)",
            "target": f"{year} 目标 target (%)", "probability": f"达标概率 P(meet target) — {proj.scenario.name}"})
        out = [section("摘要", "Executive summary", lang),
               bullets(summary_findings(proj, self.outlook, self.aims, year)),
               figure(summary_chart(proj, self.aims), dpi=FIGURE_DPI),
               {"text/html": _html_of(styled(view, digits=1, percent=[view.columns[-1]],
                                            caption=f"{year} 展望 outlook — 情景 scenario {sc}"), "summary-0"),
                OUTLOOK_MIME: outlook_record(proj, self.outlook, self.params, self._input_hashes())}]
        joint = all_targets_met(proj, year)
        if joint is not None:
            n, p = joint
            out.append(note(f"{year} 年全部 {n} 项增长目标同时实现的概率为 {_pct(p)}（情景 {proj.scenario.name}，"
                            "各指标联合抽样），而上表为各项单独的概率。",
                            f"All {n} growth targets of {year} met together: probability {_pct(p)} (scenario "
                            f"{proj.scenario.name}, joint draws of the indicators), beside each one alone above.",
                            lang))
        if proj.scenario.foreign:  # settings written for another region: said on the first screen
            kept = ", ".join(f"{_label(k)} ({v})" for k, v in proj.scenario.foreign.items()
                             if k in proj.scenario.indicators)
            out.append(note(f"注意：本情景中以下指标的假设是为其他地区编写的：{kept}。详见扇形图下的说明。",
                            f"Note: the assumptions of {kept} were written for another region; see the notes "
                            "below the fan charts.", lang))
        assumed = assumed_at_target(proj, self.outlook)
        if assumed:
            names = ", ".join(_label(k) for k in assumed)
            out.append(note(f"注意：情景 {proj.scenario.name} 将 {year} 年目标直接设为中心值（{names}），其达标概率约 50% "
                            "是假设，不是评估。",
                            f"Note: scenario {proj.scenario.name} assumes the {year} target itself as its centre for "
                            f"{names}, so their probability of about 50% is an assumption, not an assessment.", lang))
        if len(self.aims):
            aims = self.aims.assign(period=self.aims["period"].astype(str))[
                ["name", "period", "aim", "p50", "required_rest", "probability"]].rename(columns={
                    "name": "指标 indicator", "period": "时期 period", "aim": "目标平均 aim (%/yr)",
                    "p50": "中位数 median (%/yr)", "required_rest": f"{year + 1}起所需 needed from {year + 1} (%/yr)",
                    "probability": "概率 probability"})
            out.append(styled(aims, digits=1, percent=["概率 probability"],
                              caption="五年目标 multi-year aims — 情景 scenario " + proj.scenario.name))
        return out

    def current_record(self) -> dict:
        """This report's outlook record, as the summary section keeps it (so also from a cached summary)."""
        return next(b[OUTLOOK_MIME] for b in self.outputs("summary") if OUTLOOK_MIME in b)

    def _input_hashes(self) -> dict:
        return {"data": sha256_file(self.params["data"]),
                "scenario": sorted(self.scenario.file_hashes().values())}

    def section_changes(self):
        lang, as_of = self.language, self.params["as_of"]
        out = [section("与上月相比", "What changed since last month", lang)]
        month, record = previous_record(self.params.get("out_dir"), as_of)
        if month is None:
            return out + [note("本输出目录中没有更早月份的同一情景报告，无可比较。",
                               f"No earlier report of this scenario in this output folder: nothing to compare "
                               f"the {as_of} outlook with.", lang)]
        if record is None:
            return out + [note(f"{month} 的报告没有可比较的展望记录（由较早版本的 econsim 生成）。",
                               f"The {month} report holds no outlook record (made by an older econsim).", lang)]
        table, why = outlook_changes(record, self.current_record())
        return out + [note(f"与 {month} 发布的报告相比（{self.current_record()['year']} 年中位数增速，百分点）。",
                           f"Against the report published for {month} (median {self.current_record()['year']} growth, "
                           "percentage points).", lang),
                      bullets(why), styled(table, digits=2, percent=["P before", "P now"])]

    def section_latest(self):
        lang = self.language
        latest = latest_figures(self.dataset, self.region, self.params["as_of"])
        shown = latest.drop(columns=["indicator"]).assign(unit=latest["unit"].map(unit_text))  # 亿元, not CNY_100m
        out = [section("最新数据", "Latest data", lang),
               styled(shown, caption=f"截至 {self.params['as_of']} 最新公布数 "
                      f"latest reported figures as of {self.params['as_of']}")]
        if latest.attrs.get("stale"):
            names = ", ".join(latest.attrs["stale"])
            out.append(note(f"最新数据早于 {int(self.params['as_of'][:4]) - 2} 年、未列出的指标：{names}。",
                            f"Left out, their latest figure being older than {int(self.params['as_of'][:4]) - 2}: "
                            f"{names}.", lang))
        return out

    def section_findings(self):
        lang = self.language
        found = finding_sentences(consistency_findings(self.dataset, self.region))
        return [section("数据一致性检查", "Consistency of the data", lang),
                bullets(found) if found else note("未发现不一致。", "No inconsistencies found.", lang)]

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
        import dataclasses

        # the draws and seed this report used (the same as in its title), not the file's defaults
        used = dataclasses.replace(self.scenario, draws=self.params["draws"], seed=self.params["seed"])
        return [section("情景假设", "Scenario assumptions", self.language), used]

    def section_fan_charts(self):
        from ..plotting import fan_charts

        proj = self.projection
        out = [section("扇形图", "Fan charts", self.language), figure(fan_charts(proj), dpi=FIGURE_DPI)]
        if proj.notes:
            out.append(bullets(proj.notes))
        return out

    def section_targets(self):
        proj = self.projection
        tg = proj.targets().assign(year=lambda f: f["year"].astype(str))
        view = tg[["name", "year", "measure", "target", "projected_p50", "probability", "required_growth", "source",
                   "note"]].rename(columns={
                       "name": "指标 indicator", "year": "年份 year", "measure": "口径 measure", "target": "目标 target",
                       "projected_p50": "中位数 median", "probability": "达标概率 probability",
                       "required_growth": "其余年份所需增速 growth needed in the other years (%/yr)",
                       "source": "目标来源 target source", "note": "说明 note"})
        return [section("目标实现概率", "Targets and the probability of meeting them", self.language),
                styled(view, digits=1, percent=["达标概率 probability"],
                       caption=f"情景 scenario {proj.scenario.name}: {proj.draws_count} draws, seed {proj.seed}")]

    def section_comparison(self):
        out = [section("情景比较", "Comparison with other scenarios", self.language)]
        if not self.others:
            return out + [note("没有可比较的其他情景。", "No other scenario to compare with.", self.language)]
        both = [self.projection, *self.others]
        return out + [styled(comparison_table(both)), figure(comparison_chart(both), dpi=FIGURE_DPI)]

    def section_diagnostics(self):
        lang = self.language
        diag = model_diagnostics(self.dataset, self.region)
        out = [section("模型诊断", "Model diagnostics", lang),
               note("自动预测模型在本区各年度公布增速序列（不含推算值）上的滚动回测（一步预测）。",
                    "Rolling-origin backtest (one step ahead) of the auto forecaster on the region's reported "
                    "annual growth series (reconstructed years excluded).", lang)]
        if not len(diag):
            return out + [note("没有足够长（≥5 年连续）的公布序列可供回测。",
                               "No reported series is long enough (5 consecutive years) to backtest.", lang)]
        return out + [styled(diag, percent=["coverage_80", "coverage_95"])]

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
            obj if isinstance(obj, dict) else _bundle(obj, f"{name}-{i}")
            for i, obj in enumerate(getattr(self, f"section_{name}")())])

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

    Sections other than :data:`PER_RUN_SECTIONS` are reused from an earlier run with the same key
    (:mod:`econsim.io.cache`: same data, scenario files, parameters and econsim code).

    Never raises: on failure the file records the error, and the kernel computes the sections
    itself (so that the notebook shows the error in its cell, as without precomputation).
    """
    from ..io.cache import cached

    path = Path(path)
    try:
        key = sections_key(params)
        report = ForecastReport(params)
        # Everything but the per-run sections depends only on `key` (input hashes, parameters, code):
        # an earlier run with the same key already computed it.
        report.precomputed = cached("report-sections", [json.dumps(key, sort_keys=True)], lambda: {
            name: report.outputs(name) for name in SECTIONS if name not in PER_RUN_SECTIONS})
        stored = {"key": key, "sections": report.all_outputs(progress)}
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
