"""Specification: a user's own region, end to end (issue 10, item 3).

A made-up one-region file ``myzone.csv`` (GDP and industry, no other indicator) goes through
``econsim data``, ``forecast``, ``run`` and ``report`` without ``--region``; nothing the bundled
scenarios assume for dlhitech reaches myzone's outputs unannounced; every command names its data
file; bad input fails before any kernel starts, with nothing written.
"""
from __future__ import annotations

import csv
import json

import pytest


@pytest.fixture
def myzone(tmp_path, zone_csv, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./data or ./scenarios: the bundled scenarios, this file's data
    path = tmp_path / "myzone.csv"
    path.write_text(zone_csv(), encoding="utf-8")
    return path


def test_data_names_the_file_it_read(run_cli, myzone):
    code, out, err = run_cli("data", "--data", myzone)
    assert code == 0 and "myzone" in out
    assert err == f"econsim: data: {myzone.resolve()}\n"


def test_forecast_of_a_one_region_file_needs_no_region(run_cli, myzone):
    code, out, err = run_cli("forecast", "gdp", "--data", myzone, "--horizon", "2")
    assert code == 0, err
    assert "region myzone" in out.splitlines()[0]


def test_forecast_of_a_region_the_file_lacks_is_one_line(run_cli, myzone):
    code, out, err = run_cli("forecast", "gdp", "--data", myzone, "--region", "dlhitech")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "no observations for region 'dlhitech'" in err and "myzone" in err


@pytest.fixture
def myzone_run(run_cli, myzone, tmp_path):
    out = tmp_path / "run"
    code, stdout, err = run_cli("run", "baseline", "--data", myzone, "--draws", "300", "--out", out)
    assert code == 0, err
    with open(out / "projection.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return stdout, rows, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_run_projects_only_the_indicators_the_region_reports(myzone_run):
    _, rows, manifest = myzone_run
    assert {r["region"] for r in rows} == {"myzone"} and manifest["region"] == "myzone"
    assert {r["indicator"] for r in rows} == {"gdp", "industrial_va"}


def test_run_states_every_inherited_and_every_dropped_assumption(myzone_run):
    stdout, _, manifest = myzone_run
    for key in ("gdp", "industrial_va"):
        kept = [n for n in manifest["notes"] if n.startswith(f"{key}: settings inherited from baseline.yaml, "
                                                             "written for dlhitech")]
        assert len(kept) == 1 and kept[0] in stdout
    for key in ("retail_sales", "foreign_trade", "budget_revenue", "software_revenue", "fixed_investment"):
        assert any(n.startswith(f"{key}: not projected for myzone") for n in manifest["notes"]), key


def test_run_manifest_names_the_data_file(myzone_run, myzone):
    assert myzone_run[2]["data"] == str(myzone.resolve())


def test_extends_across_regions_keeps_only_reported_indicators(run_cli, myzone, tmp_path):
    sc = tmp_path / "mine.yaml"
    sc.write_text("name: mine\nregion: myzone\nextends: baseline\nindicators:\n  gdp: {growth: {2026: 5.0}}\n",
                  encoding="utf-8")
    code, out, err = run_cli("run", sc, "--data", myzone, "--draws", "200", "--out", tmp_path / "m")
    assert code == 0, err
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text(encoding="utf-8"))
    assert "retail_sales: not projected for myzone" in " ".join(manifest["notes"])
    with open(tmp_path / "m" / "projection.csv", encoding="utf-8") as f:
        assert {r["indicator"] for r in csv.DictReader(f)} == {"gdp", "industrial_va"}


@pytest.fixture
def myzone_report(run_cli, myzone, tmp_path, monkeypatch, kernel_stand_in):
    calls = []
    kernel_stand_in(monkeypatch, calls)
    code, out, err = run_cli("report", "--data", myzone, "--as-of", "2025-11", "--out", tmp_path / "r",
                             "--draws", "300")
    assert code == 0, err
    target = tmp_path / "r" / "2025-11" / "baseline"
    return calls, err, json.loads((target / "manifest.json").read_text(encoding="utf-8")), \
        (target / "forecast_report.html").read_text(encoding="utf-8")


def test_report_of_a_one_region_file_needs_no_region_and_compares_with_nothing(myzone_report, myzone):
    calls, err, manifest, _ = myzone_report
    params = calls[0]
    assert params["region"] == "myzone" and params["compare_with"] == []
    assert params["data"] == str(myzone.resolve()) == manifest["parameters"]["data"]
    assert str(myzone.resolve()) in manifest["inputs_sha256"]
    assert err == f"econsim: data: {myzone.resolve()}\n"


def test_report_announces_the_assumptions_written_for_another_region(myzone_report):
    html = myzone_report[3]
    assert "settings inherited from baseline.yaml, written for dlhitech" in html
    assert "retail_sales: not projected for myzone" in html


def test_report_says_so_in_its_executive_summary(myzone_report):
    html = myzone_report[3]
    summary = html[html.index("Executive summary"):html.index("What changed since last month")]
    assert "地区生产总值 GDP (baseline.yaml, written for dlhitech)" in summary


@pytest.mark.parametrize("args, message", [
    (["--region", "nowhere"], "no observations for region 'nowhere'"),
    (["--compare-with", "downsid"], "did you mean 'downside'"),
    (["--scenario", "baseline", "--draws", "0"], "--draws"),
])
def test_bad_report_input_fails_before_a_kernel_starts_and_writes_nothing(run_cli, myzone, tmp_path, monkeypatch,
                                                                         kernel_stand_in, args, message):
    calls = []
    kernel_stand_in(monkeypatch, calls)
    code, out, err = run_cli("report", "--data", myzone, "--as-of", "2025-11", "--out", tmp_path / "r", *args)
    assert code == 2 and err.count("\n") == 1 and message in err, err
    assert calls == [] and not (tmp_path / "r").exists()


def test_a_scenario_the_data_cannot_support_fails_before_a_kernel_starts(run_cli, myzone, tmp_path, monkeypatch,
                                                                         kernel_stand_in):
    sc = tmp_path / "thin.yaml"
    sc.write_text("name: thin\nregion: myzone\nindicators:\n  retail_sales: {growth: model}\n", encoding="utf-8")
    calls = []
    kernel_stand_in(monkeypatch, calls)
    code, out, err = run_cli("report", "--data", myzone, "--scenario", sc, "--as-of", "2025-11",
                             "--out", tmp_path / "r")
    assert code == 2 and err.count("\n") == 1 and "thin.yaml" in err and "retail_sales" in err, err
    assert calls == [] and not (tmp_path / "r").exists()
