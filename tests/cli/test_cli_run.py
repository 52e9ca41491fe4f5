"""econsim run / compare end to end: outputs, reproducibility, and bad input refused with nothing written."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from econsim.cli import main

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_run_writes_projection_targets_manifest_and_charts(tmp_path, capsys):
    out = tmp_path / "b"
    code, stdout, err = run(["run", "baseline", "--draws", "300", "--seed", "1", "--out", str(out)], capsys)
    assert code == 0, err
    names = {p.name for p in out.iterdir()}
    assert {"projection.csv", "targets.csv", "manifest.json", "fan_gdp.png"} <= names
    header = (out / "projection.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("scenario,region,indicator,year,measure,mean,p05,p10,p25,p50,p75,p90,p95")
    assert (out / "targets.csv").read_text(encoding="utf-8").startswith("indicator,year,measure,target,probability")
    assert "地区生产总值 GDP 2026 growth >= 6%" in stdout


def test_manifest_records_hashes_versions_seed_and_draws(tmp_path, capsys):
    out = tmp_path / "b"
    run(["run", "baseline", "--draws", "200", "--seed", "9", "--out", str(out)], capsys)
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["seed"] == {"baseline": 9} and man["draws"] == {"baseline": 200}
    assert any(k.endswith("baseline.yaml") for k in man["inputs_sha256"])
    assert any(k.endswith("observations.csv") for k in man["inputs_sha256"])
    assert {"econsim", "numpy", "pandas", "statsmodels"} <= set(man["versions"])
    assert "simulate_s" in man["timings_s"] and len(man["outputs_sha256"]["projection.csv"]) == 64


def test_same_seed_gives_byte_identical_csv_files(tmp_path, capsys):
    for d in ("a", "b"):
        run(["run", str(HERE / "noisy.yaml"), "--seed", "5", "--out", str(tmp_path / d)], capsys)
    for name in ("projection.csv", "targets.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_default_output_folder_is_out_slash_scenario_name(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["run", str(HERE / "noisy.yaml"), "--draws", "100"], capsys)
    assert code == 0, err
    assert (tmp_path / "out" / "noisy" / "projection.csv").exists()


def test_compare_writes_a_table_and_a_chart(tmp_path, capsys):
    out = tmp_path / "c"
    code, stdout, err = run(["compare", "baseline", "downside", "--draws", "200", "--out", str(out)], capsys)
    assert code == 0, err
    table = (out / "comparison.csv").read_text(encoding="utf-8")
    assert table.startswith("scenario,region,indicator,name,year,measure,mean,p10,p50,p90,probability")
    assert "downside" in table and (out / "comparison.png").stat().st_size > 1000
    assert "downside: P(target met)" in stdout


# --------------------------------------------------------------------------- bad input: exit 2, one line, nothing written

def refused(args, capsys, out_dir):
    code, stdout, err = run(args + ["--out", str(out_dir)], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("econsim: error:"), err
    assert not out_dir.exists() or not any(out_dir.iterdir())
    return lines[0]


def bad_file(tmp_path, text, name="bad.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


@pytest.mark.parametrize("text,expect", [
    ("name: s\nindicators: [1,\n", "YAML syntax error"),
    ("- a\n- b\n", "top level must be a mapping"),
    ("just a string\n", "top level must be a mapping"),
    ("name: s\nindicators:\n  gpd: {growth: 5}\n", "did you mean 'gdp'"),
    ("name: s\nindicators:\n  gdp: {growth: fast}\n", "indicators.gdp.growth"),
    ("name: s\nindicators:\n  gdp: {growth: .nan}\n", "finite"),
    ("name: s\nindicators:\n  gdp: {growth: 500}\n", "plausible range"),
    ("name: s\nindicators:\n  gdp:\n    growth: {2035: 5}\n", "outside the horizon"),
    ("name: !!python/object/apply:os.system ['echo hi']\n", "tag not allowed"),
    ("", "empty"),
])
def test_bad_scenario_file_is_refused_with_one_line(tmp_path, capsys, text, expect):
    line = refused(["run", bad_file(tmp_path, text)], capsys, tmp_path / "out")
    assert "bad.yaml" in line and expect in line


def test_binary_scenario_is_refused(tmp_path, capsys):
    p = tmp_path / "bin.yaml"
    p.write_bytes(b"\x89PNG\x00\x00\x00")
    assert "binary" in refused(["run", str(p)], capsys, tmp_path / "out")


def test_directory_as_scenario_is_refused(tmp_path, capsys):
    (tmp_path / "d.yaml").mkdir()
    assert "directory" in refused(["run", str(tmp_path / "d.yaml")], capsys, tmp_path / "out")


def test_extends_cycle_is_refused(tmp_path, capsys):
    assert "cycle" in refused(["run", str(HERE / "cycle_a.yaml")], capsys, tmp_path / "out")


def test_missing_parent_is_refused(tmp_path, capsys):
    assert "no_such_parent" in refused(["run", str(HERE / "missing_parent.yaml")], capsys, tmp_path / "out")


def test_unknown_scenario_name_lists_available(tmp_path, capsys):
    line = refused(["run", "baselien"], capsys, tmp_path / "out")
    assert "did you mean 'baseline'" in line and "investment_push" in line


def test_missing_scenario_file_is_refused(tmp_path, capsys):
    assert "not found" in refused(["run", str(tmp_path / "nope.yaml")], capsys, tmp_path / "out")


@pytest.mark.parametrize("opt", [["--draws", "0"], ["--draws", "-5"], ["--seed", "abc"], ["--seed", "1.5"]])
def test_bad_options_are_refused(tmp_path, capsys, opt):
    refused(["run", "baseline"] + opt, capsys, tmp_path / "out")


def test_output_path_that_is_a_file_is_refused(tmp_path, capsys):
    f = tmp_path / "taken"
    f.write_text("keep me", encoding="utf-8")
    code, _, err = run(["run", "baseline", "--draws", "50", "--out", str(f)], capsys)
    assert code == 2 and "is a file" in err and f.read_text(encoding="utf-8") == "keep me"


def test_failed_run_keeps_the_previous_good_results(tmp_path, capsys):
    out = tmp_path / "b"
    run(["run", str(HERE / "noisy.yaml"), "--draws", "100", "--out", str(out)], capsys)
    before = (out / "projection.csv").read_bytes()
    code, _, _ = run(["run", bad_file(tmp_path, "name: noisy\nindicators: {gdp: {growth: fast}}\n"),
                      "--out", str(out)], capsys)
    assert code == 2 and (out / "projection.csv").read_bytes() == before


def test_python_dash_m_econsim_run_works_as_a_subprocess(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, "-m", "econsim", "run", str(HERE / "exact.yaml"), "--out", str(tmp_path / "x")],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    # stderr holds only the line naming the data file used
    assert r.stderr.startswith("econsim: data: ") and r.stderr.count("\n") == 1
    assert (tmp_path / "x" / "projection.csv").exists()
