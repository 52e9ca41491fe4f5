"""``econsim run`` and ``econsim compare`` end to end: the files written, their contract columns, the
manifest, reproducibility by seed, and which scenario and data files are found."""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import econsim

SCENARIOS = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"
DRAWS = 300
PROJECTION_COLUMNS = ["scenario", "region", "indicator", "year", "measure", "mean",
                      "p05", "p10", "p25", "p50", "p75", "p90", "p95"]
TARGET_COLUMNS = ["indicator", "year", "measure", "target", "probability"]
COMPARISON_COLUMNS = ["scenario", "region", "indicator", "name", "year", "measure", "mean", "p10", "p50", "p90",
                      "probability"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- what a run writes

def test_run_projection_has_the_contract_columns_for_every_year(good_run):
    proj = pd.read_csv(good_run / "projection.csv", dtype={"year": str})
    assert list(proj.columns[:len(PROJECTION_COLUMNS)]) == PROJECTION_COLUMNS
    growth = proj[proj.measure == "growth"]
    assert set(growth.scenario) == {"baseline"} and set(growth.region) == {"dlhitech"}
    assert {"gdp", "industrial_va"} <= set(growth.indicator)
    assert sorted(set(growth[growth.indicator == "gdp"].year)) == ["2026", "2027", "2028", "2029", "2030"]


def test_run_projection_quantiles_are_ordered(good_run):
    proj = pd.read_csv(good_run / "projection.csv")
    q = proj[["p05", "p10", "p25", "p50", "p75", "p90", "p95"]].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()


def test_run_targets_have_the_contract_columns_and_the_gdp_target(good_run):
    tg = pd.read_csv(good_run / "targets.csv")
    assert list(tg.columns[:len(TARGET_COLUMNS)]) == TARGET_COLUMNS
    gdp = tg[(tg.indicator == "gdp") & (tg.year.astype(str) == "2026") & (tg.measure == "growth")]
    assert gdp.target.tolist() == [6] and 0 < gdp.probability.iloc[0] < 1


def test_run_prints_the_probability_of_meeting_each_target(good_run_with_noise):
    _, stdout, _, _ = good_run_with_noise
    assert "地区生产总值 GDP 2026 growth >= 6%" in stdout


def test_run_prints_the_chance_of_meeting_every_2026_growth_target_together(good_run_with_noise):
    _, stdout, _, _ = good_run_with_noise
    assert "P(all 6 growth targets of 2026 met together) = " in stdout


def test_run_manifest_hashes_the_inputs_actually_read(good_run):
    man = manifest(good_run)
    for path, digest in man["inputs_sha256"].items():
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest
    assert {Path(p).name for p in man["inputs_sha256"]} >= {"observations.csv", "baseline.yaml"}


def test_run_manifest_records_versions_seed_draws_and_timings(good_run):
    man = manifest(good_run)
    assert man["seed"] == {"baseline": 7} and man["draws"] == {"baseline": DRAWS}
    for dist in ("numpy", "pandas", "statsmodels", "scipy"):
        assert man["versions"][dist] == importlib.metadata.version(dist)
    assert man["versions"]["econsim"] == econsim.__version__
    assert man["versions"]["python"] == platform.python_version()
    # the four stages in order, each a duration in seconds rounded to 0.1 ms, none longer than the whole test
    assert list(man["timings_s"]) == ["load_s", "prepare_s", "simulate_s", "write_s"]
    assert all(0 <= v < 120 and round(v, 4) == v for v in man["timings_s"].values())


def test_run_manifest_hashes_match_the_written_outputs(good_run):
    man = manifest(good_run)
    assert {"projection.csv", "targets.csv", "fan_gdp.png"} <= set(man["outputs_sha256"])
    for name, digest in man["outputs_sha256"].items():
        assert hashlib.sha256((good_run / name).read_bytes()).hexdigest() == digest


def test_run_writes_a_valid_fan_chart_png_per_projected_indicator(good_run):
    from PIL import Image

    proj = pd.read_csv(good_run / "projection.csv")
    for indicator in sorted(set(proj.indicator)):
        png = good_run / f"fan_{indicator}.png"
        assert png.read_bytes()[:8] == PNG_SIGNATURE
        with Image.open(png) as im:
            im.verify()
            assert im.size[0] > 300 and im.size[1] > 200


def test_a_good_run_only_names_its_data_file_on_stderr_and_raises_no_warnings(good_run_with_noise):
    from econsim.data.dataset import default_path

    _, _, err, warned = good_run_with_noise
    assert err == f"econsim: data: {default_path().resolve()}\n" and warned == []


def test_a_new_run_into_the_same_folder_leaves_only_its_own_files(run_cli, results):
    d, _ = results
    code, _, err = run_cli("run", SCENARIOS / "gdp_only.yaml", "--out", d)
    assert code == 0, err
    assert sorted(p.name for p in d.iterdir()) == sorted([*manifest(d)["outputs_sha256"], "manifest.json"])


def test_default_output_folder_is_out_slash_scenario_name(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("run", SCENARIOS / "noisy.yaml", "--draws", "100")
    assert code == 0, err
    folder = tmp_path / "out" / "noisy"
    man = manifest(folder)
    assert man["draws"] == {"noisy": 100}
    assert man["outputs_sha256"]["projection.csv"] == hashlib.sha256((folder / "projection.csv").read_bytes()).hexdigest()
    assert pd.read_csv(folder / "projection.csv")["scenario"].unique().tolist() == ["noisy"]


# --------------------------------------------------------------------------- reproducible by seed

def test_same_seed_gives_byte_identical_projection_and_targets(run_cli, tmp_path, good_run):
    code, _, err = run_cli("run", "baseline", "--seed", "7", "--draws", DRAWS, "--out", tmp_path / "again")
    assert code == 0, err
    for name in ("projection.csv", "targets.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (good_run / name).read_bytes(), name


def test_different_seed_gives_a_different_projection(run_cli, tmp_path, good_run):
    code, _, err = run_cli("run", "baseline", "--seed", "8", "--draws", DRAWS, "--out", tmp_path / "other")
    assert code == 0, err
    assert (tmp_path / "other" / "projection.csv").read_bytes() != (good_run / "projection.csv").read_bytes()


def test_python_api_gives_the_same_projection_bytes_as_the_cli(good_run):
    sc = econsim.load_scenario("baseline")
    proj = econsim.project(sc, econsim.load_dataset(), draws=DRAWS, seed=7)
    assert proj.to_csv().encode("utf-8") == (good_run / "projection.csv").read_bytes()


# --------------------------------------------------------------------------- which files are found

def test_scenario_in_the_working_directory_wins_over_the_bundled_one(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    mine = tmp_path / "scenarios" / "baseline.yaml"
    mine.write_text("name: baseline\nindicators:\n  gdp: {growth: 4.0, uncertainty: 0}\n", encoding="utf-8")
    code, _, err = run_cli("run", "baseline", "--draws", "50", "--out", tmp_path / "D")
    assert code == 0, err
    assert str(mine) in manifest(tmp_path / "D")["inputs_sha256"]
    proj = pd.read_csv(tmp_path / "D" / "projection.csv", dtype={"year": str})
    assert proj[(proj.indicator == "gdp") & (proj.measure == "growth") & (proj.year == "2026")].p50.tolist() == [4.0]


# --------------------------------------------------------------------------- compare

def test_compare_writes_a_table_and_a_valid_chart_and_prints_the_probabilities(run_cli, tmp_path):
    from PIL import Image

    out = tmp_path / "cmp"
    code, stdout, err = run_cli("compare", "baseline", "downside", "--draws", DRAWS, "--seed", "1", "--out", out)
    assert code == 0, err
    table = pd.read_csv(out / "comparison.csv")
    assert list(table.columns[:len(COMPARISON_COLUMNS)]) == COMPARISON_COLUMNS
    assert set(table.scenario) == {"baseline", "downside"}
    assert (out / "comparison.png").stat().st_size > 1000
    with Image.open(out / "comparison.png") as im:
        im.verify()
    assert "downside: P(target met)" in stdout


# --------------------------------------------------------------------------- as a program

def test_python_dash_m_econsim_run_works_as_a_subprocess(run_cli, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, "-m", "econsim", "run", str(SCENARIOS / "exact.yaml"), "--out",
                        str(tmp_path / "x")], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    # stderr holds only the line naming the data file used
    assert r.stderr.startswith("econsim: data: ") and r.stderr.count("\n") == 1
    code, _, err = run_cli("run", SCENARIOS / "exact.yaml", "--out", tmp_path / "y")
    assert code == 0, err
    assert (tmp_path / "x" / "projection.csv").read_bytes() == (tmp_path / "y" / "projection.csv").read_bytes()


def test_python_dash_m_econsim_prints_its_version():
    proc = subprocess.run([sys.executable, "-m", "econsim", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("econsim ")
