"""Specification of econsim.report: parameters, locking, atomic publishing and the manifest.

Notebook execution is replaced by a stand-in here (tests/report/test_notebooks.py runs real kernels),
so that what is tested is the report machinery: what gets published, when, and what is kept.
"""
from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time

import nbformat
import pytest

from econsim.io.manifest import sha256_file
from econsim.report.display import styled
from econsim.report.kernel import NOTEBOOK, kernel_for_this_interpreter
from econsim.report.lock import ReportLocked, lock_is_stale, report_lock
from econsim.report.parameters import PARAMETERS, current_month, resolve_parameters, validate_parameters
from econsim.report.render import FAILED_MANIFEST, FAILED_NOTEBOOK, ReportFailed, render_report, salvage_killed_runs
from econsim.report.worker import ForecastReport, SECTIONS_ENV, _bundle, precompute_sections, sections_key
from econsim.errors import InputError


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A working directory with its own scenarios/ (found first) and the bundled data."""
    sc = tmp_path / "scenarios"
    sc.mkdir()
    for name in ("baseline", "upside", "downside"):
        (sc / f"{name}.yaml").write_text(f"name: {name}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def tiny_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, str(path))
    return path


def _fake_papermill(monkeypatch, *, fail: bool = False, calls=None):
    """Replace papermill's execution: write the notebook with the parameters, optionally then fail."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    def execute_notebook(input_path, output_path, parameters=None, kernel_name=None, **kwargs):
        if calls is not None:
            calls.append({"parameters": parameters, "kernel_name": kernel_name})
        nb = nbformat.read(input_path, as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell(f"rendered {json.dumps(parameters, sort_keys=True)}"))
        nbformat.write(nb, output_path)
        if fail:
            raise PapermillExecutionError(2, 2, "1/0", "ZeroDivisionError", "division by zero", [])
        return nb

    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)


def _last_cell(path) -> str:
    return nbformat.read(str(path), as_version=4).cells[-1].source


# --------------------------------------------------------------------------- parameters

def test_defaults_are_accepted_and_as_of_none_means_this_month(workdir):
    params = validate_parameters({})
    assert params["scenario"] == "baseline"
    assert params["as_of"] == current_month()
    assert params["draws"] is None and params["seed"] is None and params["compare_with"] is None


def test_draws_and_seed_default_to_the_scenarios_own_as_in_econsim_run(workdir):
    (workdir / "scenarios" / "baseline.yaml").write_text("name: baseline\ndraws: 700\nseed: 11\n",
                                                        encoding="utf-8")
    params = resolve_parameters(validate_parameters({}), check=False)
    assert params["draws"] == 700 and params["seed"] == 11


def test_compare_with_defaults_to_upside_and_downside_of_the_same_region(workdir):
    (workdir / "scenarios" / "downside.yaml").write_text("name: downside\nregion: dalian\n", encoding="utf-8")
    params = resolve_parameters(validate_parameters({}), check=False)
    assert params["region"] == "dlhitech" and params["compare_with"] == ["upside"]


def test_unknown_scenario_lists_the_available_ones(workdir):
    with pytest.raises(InputError, match=r"unknown scenario 'downsid'.*did you mean 'downside'.*available: "
                                         r"baseline, downside.*upside") as exc:
        validate_parameters({"scenario": "downsid"})
    assert exc.value.key == "scenario"


def test_malformed_as_of_is_rejected(workdir):
    with pytest.raises(InputError, match="as_of") as exc:
        validate_parameters({"as_of": "2026-13"})
    assert exc.value.key == "as_of"


def test_draws_of_the_wrong_type_are_rejected(workdir):
    with pytest.raises(InputError, match=r"expected a whole number of Monte Carlo draws.*'many' \(str\)"):
        validate_parameters({"draws": "many"})


def test_unknown_language_is_rejected_with_the_choices(workdir):
    with pytest.raises(InputError, match=r"unknown language 'zh-cn'.*zh-en, zh, en"):
        validate_parameters({"language": "zh-cn"})


def test_a_misspelt_parameter_injected_after_the_snapshot_gets_a_did_you_mean(workdir):
    before = {"econsim", "report", "In", "Out"}
    namespace = dict.fromkeys(before) | dict(PARAMETERS) | {"scenari": "downside"}
    with pytest.raises(InputError, match=r"unknown parameter 'scenari' \(did you mean 'scenario'\?\)") as exc:
        validate_parameters(namespace, before=before)
    assert exc.value.key == "scenari"


def test_names_the_kernel_had_before_the_parameters_are_not_flagged(workdir):
    before = {"econsim", "report", "np"}
    namespace = dict.fromkeys(before) | {"scenario": "upside", "_private": 1}
    assert validate_parameters(namespace, before=before)["scenario"] == "upside"


def test_compare_with_drops_the_scenario_itself_and_accepts_a_comma_list(workdir):
    params = validate_parameters({"scenario": "upside", "compare_with": "baseline,upside"})
    assert params["compare_with"] == ["baseline"]


# --------------------------------------------------------------------------- lock

def test_a_second_run_cannot_take_a_held_lock(tmp_path):
    lock = tmp_path / ".baseline.lock"
    with report_lock(lock):
        with pytest.raises(ReportLocked, match=rf"pid {os.getpid()}"):
            with report_lock(lock):
                pass
    assert not lock.exists()


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = tmp_path / ".baseline.lock"
    import socket
    lock.write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(), "started_at": time.time()}))
    with report_lock(lock):
        assert json.loads(lock.read_text())["pid"] == os.getpid()


def test_a_lock_older_than_the_limit_is_taken_over_even_if_its_process_lives(tmp_path):
    lock = tmp_path / ".baseline.lock"
    import socket
    lock.write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname(),
                                "started_at": time.time() - 10_000}))
    with report_lock(lock, max_age=3600):
        assert json.loads(lock.read_text())["pid"] == os.getpid()


def test_a_fresh_lock_of_a_live_process_is_not_stale():
    import socket
    info = {"pid": os.getpid(), "host": socket.gethostname(), "started_at": time.time()}
    assert not lock_is_stale(info, mtime=time.time())


# --------------------------------------------------------------------------- kernel

def test_the_temporary_kernelspec_runs_this_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    with kernel_for_this_interpreter() as name:
        spec = KernelSpecManager().get_kernel_spec(name)
    assert spec.argv[:3] == [sys.executable, "-m", "ipykernel_launcher"]


# --------------------------------------------------------------------------- publishing and manifest

def test_a_report_is_published_under_month_and_scenario(workdir, tiny_notebook, monkeypatch):
    _fake_papermill(monkeypatch)
    res = render_report("downside", "2026-01", workdir / "reports", draws=50, seed=7,
                               notebook=tiny_notebook)
    folder = workdir / "reports" / "2026-01" / "downside"
    assert res.directory == folder
    assert sorted(p.name for p in folder.iterdir()) == ["forecast_report.html", "forecast_report.ipynb",
                                                        "manifest.json"]
    assert "rendered" in (folder / "forecast_report.html").read_text(encoding="utf-8")
    assert not list((workdir / "reports" / "2026-01").glob(".*"))  # no lock or staging left


def test_the_notebook_receives_the_validated_parameters(workdir, tiny_notebook, monkeypatch):
    calls = []
    _fake_papermill(monkeypatch, calls=calls)
    render_report("baseline", "2026-02", workdir / "r", draws=50, seed=7, notebook=tiny_notebook)
    params = calls[0]["parameters"]
    assert params["draws"] == 50 and params["seed"] == 7 and params["as_of"] == "2026-02"
    assert params["compare_with"] == ["upside", "downside"]
    assert params["out_dir"] == str(workdir / "r" / "2026-02" / "baseline")


def test_the_manifest_records_parameters_input_hashes_versions_timings_and_status(workdir, tiny_notebook,
                                                                                  monkeypatch):
    _fake_papermill(monkeypatch)
    res = render_report("baseline", "2026-01", workdir / "r", draws=50, notebook=tiny_notebook)
    m = json.loads(res.manifest_path.read_text(encoding="utf-8"))
    assert m["status"] == "ok" and m["scenario"] == "baseline" and m["as_of"] == "2026-01"
    assert m["parameters"]["draws"] == 50
    inputs = m["inputs_sha256"]
    assert inputs[str(tiny_notebook.resolve())] == sha256_file(tiny_notebook)
    for name in ("baseline", "upside", "downside"):
        scenario = workdir / "scenarios" / f"{name}.yaml"
        assert inputs[str(scenario.resolve())] == sha256_file(scenario)
    data = [p for p in inputs if p.endswith("observations.csv")]
    assert len(data) == 1 and inputs[data[0]] == sha256_file(data[0])
    assert len(inputs) == 5
    assert m["versions"]["papermill"] == importlib.metadata.version("papermill")
    assert m["versions"]["python"] == platform.python_version()
    t = m["timings_s"]
    # the total holds validation, execution and export, and little else
    assert 0 < t["execute"] < t["total"] and t["export_html"] > 0
    assert t["total"] == pytest.approx(t["validate"] + t["execute"] + t["export_html"], abs=0.5)
    assert m["outputs_sha256"] == {"forecast_report.html": sha256_file(res.html),
                                   "forecast_report.ipynb": sha256_file(res.notebook)}


def test_a_rerun_of_the_month_replaces_its_report(workdir, tiny_notebook, monkeypatch):
    _fake_papermill(monkeypatch)
    render_report("baseline", "2026-01", workdir / "r", draws=50, notebook=tiny_notebook)
    res = render_report("baseline", "2026-01", workdir / "r", draws=60, notebook=tiny_notebook)
    assert '"draws": 60' in _last_cell(res.notebook)


def test_a_failed_run_keeps_the_last_good_report_and_the_failed_notebook(workdir, tiny_notebook, monkeypatch):
    _fake_papermill(monkeypatch)
    good = render_report("baseline", "2026-01", workdir / "r", draws=50, notebook=tiny_notebook)
    before = {p.name: p.read_bytes() for p in good.directory.iterdir()}
    _fake_papermill(monkeypatch, fail=True)
    with pytest.raises(ReportFailed, match="ZeroDivisionError: division by zero"):
        render_report("baseline", "2026-01", workdir / "r", draws=99, notebook=tiny_notebook)
    after = {p.name: p.read_bytes() for p in good.directory.iterdir() if p.name in before}
    assert after == before
    failed = good.directory / FAILED_NOTEBOOK
    assert '"draws": 99' in _last_cell(failed)
    assert json.loads((good.directory / FAILED_MANIFEST).read_text())["status"] == "failed"
    assert not (workdir / "r" / "2026-01" / ".baseline.lock").exists()


def test_the_next_good_run_clears_the_failed_notebook(workdir, tiny_notebook, monkeypatch):
    _fake_papermill(monkeypatch, fail=True)
    with pytest.raises(ReportFailed):
        render_report("baseline", "2026-01", workdir / "r", notebook=tiny_notebook)
    _fake_papermill(monkeypatch)
    res = render_report("baseline", "2026-01", workdir / "r", notebook=tiny_notebook)
    assert not (res.directory / FAILED_NOTEBOOK).exists()


def test_the_notebook_of_a_killed_run_is_kept_as_the_failed_one(tmp_path):
    month = tmp_path / "r" / "2026-01"
    leftover = month / ".baseline.staging-abc123"
    leftover.mkdir(parents=True)
    (leftover / "forecast_report.ipynb").write_text('{"partial": true}', encoding="utf-8")
    salvage_killed_runs(month / "baseline")
    assert not leftover.exists()
    assert (month / "baseline" / FAILED_NOTEBOOK).read_text() == '{"partial": true}'


def test_a_bad_parameter_fails_before_anything_is_written(workdir, tiny_notebook, monkeypatch):
    calls = []
    _fake_papermill(monkeypatch, calls=calls)
    with pytest.raises(InputError, match="unknown scenario"):
        render_report("nosuch", "2026-01", workdir / "r", notebook=tiny_notebook)
    assert calls == [] and not (workdir / "r").exists()


def _bad_scenario(workdir):
    path = workdir / "bad.yaml"
    path.write_text("name: bad\nindicators:\n  gdp:\n    growth: lots\n", encoding="utf-8")
    return path


def test_a_malformed_scenario_fails_before_any_kernel_or_file(workdir, tiny_notebook, monkeypatch):
    calls = []
    _fake_papermill(monkeypatch, calls=calls)
    with pytest.raises(InputError, match="bad.yaml") as exc:
        render_report(str(_bad_scenario(workdir)), "2026-01", workdir / "r", notebook=tiny_notebook)
    assert "growth" in str(exc.value)
    assert calls == [] and not (workdir / "r").exists()


def test_a_malformed_compared_scenario_fails_before_any_kernel_or_file(workdir, tiny_notebook, monkeypatch):
    calls = []
    _fake_papermill(monkeypatch, calls=calls)
    with pytest.raises(InputError, match="bad.yaml"):
        render_report("baseline", "2026-01", workdir / "r", compare_with=[str(_bad_scenario(workdir))],
                             notebook=tiny_notebook)
    assert calls == [] and not (workdir / "r").exists()


def test_a_malformed_data_file_fails_before_any_kernel_or_file(workdir, tiny_notebook, monkeypatch):
    calls = []
    _fake_papermill(monkeypatch, calls=calls)
    data = workdir / "obs.csv"
    data.write_text("region,indicator,period,measure,value,unit,status,basis,source,locator\n"
                    "zz,gdp,2025,growth,lots,pct,actual,comparable,s,l\n", encoding="utf-8")
    with pytest.raises(InputError, match="obs.csv"):
        render_report("baseline", "2026-01", workdir / "r", data=data, notebook=tiny_notebook)
    assert calls == [] and not (workdir / "r").exists()


def test_a_run_while_another_holds_the_lock_stops_with_a_clear_message(workdir, tiny_notebook, monkeypatch):
    _fake_papermill(monkeypatch)
    with report_lock(workdir / "r" / "2026-01" / ".baseline.lock"):
        with pytest.raises(ReportLocked, match="another econsim report run is rendering baseline"):
            render_report("baseline", "2026-01", workdir / "r", notebook=tiny_notebook)


# --------------------------------------------------------------------------- command line

def test_econsim_report_with_an_unknown_scenario_exits_2_before_starting_a_kernel(workdir, run_cli):
    code, _, err = run_cli("report", "--scenario", "nosuch", "--out", workdir / "r")
    assert code == 2
    assert err.startswith("econsim: error: report parameters: key 'scenario': unknown scenario 'nosuch'")
    assert err.count("\n") == 1 and not (workdir / "r").exists()


def test_econsim_report_with_a_malformed_scenario_file_exits_2_leaving_nothing(workdir, monkeypatch, run_cli):
    calls = []
    _fake_papermill(monkeypatch, calls=calls)
    bad = _bad_scenario(workdir)
    code, _, err = run_cli("report", "--scenario", bad, "--as-of", "2026-01", "--out", workdir / "r")
    assert code == 2
    assert err.startswith("econsim: error:") and "bad.yaml" in err and err.count("\n") == 1
    assert calls == [] and not (workdir / "r").exists()


def test_econsim_report_with_a_malformed_month_exits_2(workdir, run_cli):
    code, _, err = run_cli("report", "--as-of", "2026-13")
    assert code == 2 and "econsim: error:" in err


def test_econsim_report_exits_1_with_one_line_when_the_notebook_fails(workdir, tiny_notebook, monkeypatch, run_cli):
    _fake_papermill(monkeypatch, fail=True)
    monkeypatch.setattr("econsim.report.render.find_notebook", lambda name=NOTEBOOK: tiny_notebook)
    code, _, err = run_cli("report", "--as-of", "2026-01", "--out", workdir / "r")
    assert code == 1
    assert err.startswith("econsim: error: the report notebook failed in cell 2: ZeroDivisionError")
    assert err.count("\n") == 1


# --------------------------------------------------------------------------- precomputed sections

def _params(**kw):
    """Report parameters as ``econsim report`` hands them to the kernel (every default looked up)."""
    return resolve_parameters({**PARAMETERS, "as_of": "2025-10", "compare_with": [], **kw}, check=False)


def test_precomputed_sections_are_used_only_for_the_same_inputs(tmp_path, monkeypatch):
    params = _params()
    path = tmp_path / "sections.json"
    stored = {"key": sections_key(params), "sections": {"title": [{"text/markdown": "# cached"}]}}
    path.write_text(json.dumps(stored), encoding="utf-8")
    monkeypatch.setenv(SECTIONS_ENV, str(path))
    assert ForecastReport.from_notebook(params).outputs("title") == [{"text/markdown": "# cached"}]
    assert ForecastReport.from_notebook(_params(seed=8)).precomputed == {}


def test_precomputed_sections_of_other_data_are_not_used(tmp_path, monkeypatch):
    data = tmp_path / "obs.csv"
    from econsim.data.dataset import default_path

    data.write_bytes(default_path().read_bytes())
    params = _params(data=str(data))
    path = tmp_path / "sections.json"
    path.write_text(json.dumps({"key": sections_key(params), "sections": {"title": []}}), encoding="utf-8")
    data.write_bytes(data.read_bytes() + b"\n")  # the data changed after the sections were computed
    monkeypatch.setenv(SECTIONS_ENV, str(path))
    assert ForecastReport.from_notebook(params).precomputed == {}


def test_a_sections_file_recording_an_error_makes_the_kernel_compute(tmp_path, monkeypatch):
    path = tmp_path / "sections.json"
    path.write_text(json.dumps({"key": None, "error": "InputError: bad scenario"}), encoding="utf-8")
    monkeypatch.setenv(SECTIONS_ENV, str(path))
    assert ForecastReport.from_notebook(_params()).precomputed == {}


def test_a_leftover_sections_variable_pointing_nowhere_does_not_wait(tmp_path, monkeypatch):
    monkeypatch.setenv(SECTIONS_ENV, str(tmp_path / "gone" / "sections.json"))
    t = time.monotonic()
    assert ForecastReport.from_notebook(_params(), wait=30).precomputed == {}
    assert time.monotonic() - t < 5


def test_the_section_worker_writes_the_error_when_it_cannot_compute(tmp_path):
    path = tmp_path / "sections.json"
    precompute_sections({**_params(), "scenario": str(tmp_path / "missing.yaml")}, path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["key"] is None and "missing.yaml" in stored["error"]


def test_table_outputs_are_deterministic(workdir):
    import pandas as pd

    frame = pd.DataFrame({"indicator": ["gdp"], "value": [6.0], "status": ["derived"]})
    first = _bundle(styled(frame), "latest-1")
    assert first == _bundle(styled(frame), "latest-1")
    assert " at 0x" not in first["text/plain"]


def test_an_unknown_section_gets_a_did_you_mean():
    with pytest.raises(KeyError, match="did you mean 'targets'"):
        ForecastReport(_params()).outputs("target")


def test_precomputed_sections_are_keyed_by_the_code_of_every_layer_not_only_the_report(tmp_path, monkeypatch):
    from econsim.report import worker

    package = tmp_path / "econsim"
    (package / "report").mkdir(parents=True)
    (package / "scenario").mkdir()
    (package / "report" / "worker.py").write_text("# worker\n", encoding="utf-8")
    engine = package / "scenario" / "engine.py"
    engine.write_text("GROWTH = 1\n", encoding="utf-8")
    monkeypatch.setattr(worker, "__file__", str(package / "report" / "worker.py"))
    before = worker.code_fingerprint()
    engine.write_text("GROWTH = 2\n", encoding="utf-8")
    assert worker.code_fingerprint() != before
