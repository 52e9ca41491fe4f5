"""Acceptance: issues 2–6 tried end to end as a new user would, through the CLI and the Python API.

Each test states one thing a user relies on.  Bad input is specified the hard way: a good
``econsim run baseline --out D`` is made first, then the bad command is pointed at the same D,
and D must be byte-for-byte what it was (no new, changed or stray staging files), with exit
code 2 and exactly one stderr line ``econsim: error: ...`` naming the file and the key.
Draws are small (300) and no notebook is executed, so the module runs in well under a minute.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import econsim
from econsim.cli import main

HERE = Path(__file__).resolve().parent / "fixtures" / "acceptance"
DRAWS = "300"

PROJECTION_COLUMNS = ["scenario", "region", "indicator", "year", "measure", "mean",
                      "p05", "p10", "p25", "p50", "p75", "p90", "p95"]
TARGET_COLUMNS = ["indicator", "year", "measure", "target", "probability"]
NOWCAST_COLUMNS = ["region", "indicator", "year", "measure", "estimate",
                   "lo_80", "hi_80", "lo_95", "hi_95", "target", "required_growth"]
FORECAST_COLUMNS = ["mean", "lo_80", "hi_80", "lo_95", "hi_95"]

HEADER = "region,indicator,period,measure,value,unit,status,basis,source,locator"
GOOD = "dlhitech,gdp,2025,growth,6,pct,actual,comparable,work_report_2026,x"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- helpers

def cli(capsys, *args):
    """Run ``econsim ARGS`` in-process: (exit code, stdout, stderr)."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict:
    """Every file under `folder` (and the folder's siblings, to catch stray staging dirs) by content."""
    return {str(p.relative_to(folder.parent)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.parent.rglob("*"))}


def assert_one_line_error(code, out, err, *names):
    """The contract for bad input: exit 2, one stderr line naming each of `names`, no traceback."""
    assert code == 2, (code, err)
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("econsim: error:"), err
    assert "Traceback" not in err and out == ""
    for name in names:
        assert str(name) in err, (name, err)


@pytest.fixture(scope="module")
def good_run_with_noise(tmp_path_factory):
    """A good ``econsim run baseline --seed 7 --draws 300 --out D``: (D, its stderr, warnings raised)."""
    import contextlib
    import warnings

    out = tmp_path_factory.mktemp("good") / "D"
    err = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(err), \
            contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("always")
        code = main(["run", "baseline", "--seed", "7", "--draws", DRAWS, "--out", str(out)])
    assert code == 0, err.getvalue()
    return out, err.getvalue(), [str(w.message) for w in caught]


@pytest.fixture(scope="module")
def good_run(good_run_with_noise):
    """The folder D of the good baseline run."""
    return good_run_with_noise[0]


@pytest.fixture
def results(good_run, tmp_path):
    """A private copy of the good results folder D, and its snapshot, for a bad command to aim at."""
    d = tmp_path / "results" / "D"   # alone in its parent, so stray staging folders show up
    shutil.copytree(good_run, d)
    return d, snapshot(d)


def refused_into(capsys, results, *args, names=()):
    """Run a bad command with ``--out D``; check the one-line error and that D is untouched."""
    d, before = results
    code, out, err = cli(capsys, *args, "--out", d)
    assert_one_line_error(code, out, err, *names)
    assert snapshot(d) == before, "the previous good results changed"
    return err


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- bad data files (issue 2)

# case -> (file content as bytes, key the error must name or None where the whole file is at fault)
BAD_DATA = {
    "unknown indicator": (f"{HEADER}\ndlhitech,gpd,2025,growth,6,pct,actual,comparable,s,l\n", "indicator"),
    "NaN value": (f"{HEADER}\ndlhitech,gdp,2025,growth,NaN,pct,actual,comparable,s,l\n", "value"),
    "infinite value": (f"{HEADER}\ndlhitech,gdp,2025,growth,-inf,pct,actual,comparable,s,l\n", "value"),
    "non-numeric value": (f"{HEADER}\ndlhitech,gdp,2025,growth,6%,pct,actual,comparable,s,l\n", "value"),
    "bad period": (f"{HEADER}\ndlhitech,gdp,2025Q3,growth,6,pct,actual,comparable,s,l\n", "period"),
    "month 13": (f"{HEADER}\ndalian,gdp,2025-13,ytd_growth,6,pct,actual,comparable,s,l\n", "period"),
    "missing column": ("region,indicator,period,measure,value,unit,status,basis,source\n"
                       "dlhitech,gdp,2025,growth,6,pct,actual,comparable,s\n", "locator"),
    "duplicate key": (f"{HEADER}\n{GOOD}\n{GOOD}\n", "line 3"),
    "unit not fitting the measure": (f"{HEADER}\ndlhitech,gdp,2025,level,471.3,pct,actual,nominal,s,l\n",
                                     "unit"),
    "empty": ("", None),
    "header only": (f"{HEADER}\n", None),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", None),
}


def bad_data_file(tmp_path, case) -> Path:
    content, _ = BAD_DATA[case]
    path = tmp_path / "obs.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("case", list(BAD_DATA))
def test_bad_data_file_is_refused_by_run_and_previous_results_stay(capsys, tmp_path, results, case):
    path = bad_data_file(tmp_path, case)
    key = BAD_DATA[case][1]
    refused_into(capsys, results, "run", "baseline", "--data", path,
                 names=[path] + ([key] if key else []))


@pytest.mark.parametrize("case", list(BAD_DATA))
def test_bad_data_file_is_refused_by_data_naming_file_and_key(capsys, tmp_path, case):
    path = bad_data_file(tmp_path, case)
    key = BAD_DATA[case][1]
    code, out, err = cli(capsys, "data", "--data", path, "--format", "csv")
    assert_one_line_error(code, out, err, path, *([key] if key else []))


def test_binary_data_file_is_called_binary(capsys, tmp_path):
    code, out, err = cli(capsys, "data", "--data", bad_data_file(tmp_path, "binary"))
    assert_one_line_error(code, out, err, "binary")


def test_header_only_data_file_says_it_has_no_observations(capsys, tmp_path):
    code, out, err = cli(capsys, "data", "--data", bad_data_file(tmp_path, "header only"))
    assert_one_line_error(code, out, err, "no observations")


def test_bad_data_error_gives_the_line_number(capsys, tmp_path):
    path = write(tmp_path, "obs.csv", f"{HEADER}\n{GOOD}\n"
                 "dlhitech,gdp,2024,growth,inf,pct,actual,comparable,s,l\n")
    code, out, err = cli(capsys, "data", "--data", path)
    assert_one_line_error(code, out, err, path, "line 3", "value")


# --------------------------------------------------------------------------- bad scenarios (issue 4)

def alias_bomb() -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# case -> (scenario text, what the error line must also name: the key or a telling word)
BAD_SCENARIOS = {
    "YAML syntax error": ("name: s\nindicators:\n  gdp: {growth: [5,\n", "line"),
    "top-level list": ("- name: s\n- indicators: {}\n", "mapping"),
    "unknown key": ("name: s\nindicators:\n  gdp: {growth: 5}\ndraw: 100\n", "did you mean 'draws'"),
    "unknown indicator key": ("name: s\nindicators:\n  gdp: {grwoth: 5}\n", "did you mean 'growth'"),
    "unknown indicator": ("name: s\nindicators:\n  retail: {growth: 3, sd: 1}\n", "indicators.retail"),
    "wrong type": ("name: s\nindicators:\n  gdp: {growth: [5, 6]}\n", "indicators.gdp.growth"),
    "NaN": ("name: s\nindicators:\n  gdp: {growth: {2027: .nan}}\n", "indicators.gdp.growth.2027"),
    "infinity": ("name: s\nindicators:\n  gdp: {growth: 5, add_factors: {2028: .inf}}\n",
                 "indicators.gdp.add_factors.2028"),
    "absurd value": ("name: s\nindicators:\n  gdp: {growth: 5, sd: 900}\n", "indicators.gdp.sd"),
    "year outside horizon": ("name: s\nindicators:\n  gdp:\n    overrides: {2019: {growth: 5}}\n",
                             "indicators.gdp.overrides.2019"),
    "python tag": ("name: !!python/object/new:os.system [echo pwned]\n", "tag"),
    "alias bomb": (alias_bomb(), "nodes"),
    "empty": ("", "empty"),
    "only a comment": ("# a scenario\n", "s.yaml"),
}


@pytest.mark.parametrize("case", list(BAD_SCENARIOS))
def test_bad_scenario_is_refused_and_previous_results_stay(capsys, tmp_path, results, case):
    text, names = BAD_SCENARIOS[case]
    path = write(tmp_path, "s.yaml", text)
    refused_into(capsys, results, "run", path, names=["s.yaml", names])


def test_python_tag_in_a_scenario_is_never_executed(capsys, tmp_path, results):
    marker = tmp_path / "pwned"
    path = write(tmp_path, "s.yaml", f"name: !!python/object/apply:os.system ['touch {marker}']\n")
    refused_into(capsys, results, "run", path, names=["s.yaml"])
    assert not marker.exists()


def test_binary_scenario_is_refused_and_previous_results_stay(capsys, tmp_path, results):
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\x00\x01name: s\x00\xff\xfe")
    refused_into(capsys, results, "run", path, names=["s.yaml", "binary"])


def test_directory_as_scenario_is_refused_and_previous_results_stay(capsys, tmp_path, results):
    (tmp_path / "s.yaml").mkdir()
    refused_into(capsys, results, "run", tmp_path / "s.yaml", names=["s.yaml", "directory"])


def test_missing_scenario_file_is_refused_and_previous_results_stay(capsys, tmp_path, results):
    refused_into(capsys, results, "run", tmp_path / "nope.yaml", names=["nope.yaml", "not found"])


def test_missing_parent_scenario_is_refused_and_previous_results_stay(capsys, results):
    refused_into(capsys, results, "run", HERE / "orphan.yaml",
                 names=["orphan.yaml", "extends", "no_such_parent"])


def test_extends_cycle_is_refused_and_previous_results_stay(capsys, results):
    refused_into(capsys, results, "run", HERE / "loop_a.yaml", names=["loop_a.yaml", "extends", "cycle"])


def test_misspelt_scenario_name_suggests_the_shipped_one(capsys, results):
    refused_into(capsys, results, "run", "downsid", names=["did you mean 'downside'"])


def test_a_bad_scenario_in_compare_leaves_previous_results(capsys, tmp_path, results):
    path = write(tmp_path, "s.yaml", "name: s\nindicators:\n  gdp: {growth: fast}\n")
    refused_into(capsys, results, "compare", "baseline", path, names=["s.yaml", "indicators.gdp.growth"])


# --------------------------------------------------------------------------- bad options

@pytest.mark.parametrize("option", [("--draws", "0"), ("--draws", "-1"), ("--draws", "abc"),
                                    ("--seed", "1.5"), ("--seed", "abc"), ("--as-of", "2025-13"),
                                    ("--as-of", "abc")])
def test_bad_run_option_is_refused_naming_it_and_previous_results_stay(capsys, results, option):
    refused_into(capsys, results, "run", "baseline", *option, names=[option[0]])


def test_absurd_draws_option_is_bad_input_not_an_internal_error(capsys, results):
    # 10**15 draws cannot be allocated on any machine, so the unfixed code fails fast with MemoryError
    refused_into(capsys, results, "run", "baseline", "--draws", 10**15, names=["--draws"])


def test_out_that_is_a_file_is_refused_and_the_file_is_kept(capsys, tmp_path):
    taken = write(tmp_path, "results", "an economist's notes\n")
    code, out, err = cli(capsys, "run", "baseline", "--draws", DRAWS, "--out", taken)
    assert_one_line_error(code, out, err, taken, "--out")
    assert taken.read_text(encoding="utf-8") == "an economist's notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_compare_out_that_is_a_file_is_refused(capsys, tmp_path):
    taken = write(tmp_path, "results", "keep\n")
    code, out, err = cli(capsys, "compare", "baseline", "downside", "--draws", DRAWS, "--out", taken)
    assert_one_line_error(code, out, err, taken, "--out")
    assert taken.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.parametrize("as_of", ["2025-13", "abc", "1999-05"])
def test_bad_nowcast_as_of_is_refused_naming_the_option(capsys, as_of):
    code, out, err = cli(capsys, "nowcast", "--region", "dalian", "--as-of", as_of, "--format", "csv")
    assert_one_line_error(code, out, err, "--as-of", as_of)


@pytest.mark.parametrize("command", [("data",), ("forecast", "gdp"), ("nowcast", "--as-of", "2025-09")])
def test_unknown_region_is_refused_with_a_hint(capsys, command):
    code, out, err = cli(capsys, *command, "--region", "dalain")
    assert_one_line_error(code, out, err, "region", "did you mean 'dalian'")


def test_unknown_region_in_a_scenario_names_the_scenario_file(capsys, tmp_path, results):
    path = write(tmp_path, "s.yaml", "name: s\nregion: dlhitec\nindicators:\n  gdp: {growth: 5}\n")
    refused_into(capsys, results, "run", path, names=["s.yaml", "region", "did you mean 'dlhitech'"])


# --------------------------------------------------------------------------- econsim data (issue 2)

@pytest.fixture(scope="module")
def reconstructed():
    """``econsim data --format csv --reconstruct`` parsed, and its stderr."""
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["data", "--format", "csv", "--reconstruct"])
    assert code == 0
    frame = pd.read_csv(io.StringIO(out.getvalue()), dtype={"period": str})
    return frame, err.getvalue()


def derived(frame, indicator, measure):
    rows = frame[(frame.region == "dlhitech") & (frame.indicator == indicator)
                 & (frame.measure == measure) & (frame.status == "derived")]
    return dict(zip(rows.period, rows.value))


def geometric_mean_growth(path, first, last):
    factors = [1 + path[str(y)] / 100 for y in range(first, last + 1)]
    return (math.prod(factors) ** (1 / len(factors)) - 1) * 100


def test_reconstruct_csv_has_the_contract_header(reconstructed):
    frame, _ = reconstructed
    assert {"region", "indicator", "period", "measure", "value", "unit", "status", "source"} <= set(frame.columns)


def test_reconstruct_adds_annual_paths_2020_to_2025_marked_derived(reconstructed):
    frame, _ = reconstructed
    for indicator in ("gdp", "industrial_va", "fixed_investment"):
        rows = frame[(frame.region == "dlhitech") & (frame.indicator == indicator) & (frame.status == "derived")]
        assert set(rows.period) <= {str(y) for y in range(2020, 2026)} and "2025" in set(rows.period)


def test_reconstructed_industry_levels_are_19_5_in_2020_and_31_2_in_2025(reconstructed):
    level = derived(reconstructed[0], "industrial_va", "level")
    assert level["2020"] == pytest.approx(19.5, abs=1e-3) and level["2025"] == pytest.approx(31.2, abs=1e-3)


def test_reconstructed_industry_growth_is_10_2_in_2025_and_averages_11_1(reconstructed):
    growth = derived(reconstructed[0], "industrial_va", "growth")
    assert growth["2025"] == pytest.approx(10.2, abs=1e-3)
    assert geometric_mean_growth(growth, 2021, 2025) == pytest.approx(11.1, abs=2e-3)


def test_reconstructed_gdp_growth_is_6_in_2025_and_averages_6_5(reconstructed):
    growth = derived(reconstructed[0], "gdp", "growth")
    assert growth["2025"] == pytest.approx(6.0, abs=1e-3)
    assert geometric_mean_growth(growth, 2021, 2025) == pytest.approx(6.5, abs=2e-3)


def test_reconstruct_reports_the_investment_conflict_instead_of_dropping_it(reconstructed):
    _, err = reconstructed
    assert "fixed_investment" in err and "24.9" in err


@pytest.fixture(scope="module")
def check_text():
    import contextlib

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["data", "--check"]) == 0
    return out.getvalue()


def test_check_reports_the_industrial_price_decline_with_its_numbers(check_text):
    block = next(b for b in check_text.split("\n[") if "规上工业增加值" in b and "implied_prices" in b)
    for figure in ("19.5", "31.2", "11.1", "9.86", "1.12"):
        assert figure in block, figure
    assert "fall" in block or "decline" in block


def test_check_reports_the_investment_conflict_with_its_numbers(check_text):
    block = next(b for b in check_text.split("\n[") if b.startswith("conflict] 固定资产投资"))
    for figure in ("24.9", "99.94"):
        assert figure in block, figure
    investment = "\n".join(b for b in check_text.split("\n[") if "固定资产投资" in b)
    for figure in ("597", "139.1"):
        assert figure in investment, figure


# --------------------------------------------------------------------------- econsim forecast (issue 3)

def test_forecast_gdp_prints_five_years_with_intervals(capsys):
    code, out, err = cli(capsys, "forecast", "gdp")
    assert code == 0, err
    assert "地区生产总值" in out and all(c in out for c in FORECAST_COLUMNS)
    assert all(str(y) in out for y in range(2026, 2031))


def test_forecast_gdp_csv_has_five_rows_of_ordered_quantiles(capsys):
    code, out, err = cli(capsys, "forecast", "gdp", "--format", "csv")
    assert code == 0, err
    fc = pd.read_csv(io.StringIO(out))
    assert list(fc["year"]) == [2026, 2027, 2028, 2029, 2030]
    assert (fc.lo_95 <= fc.lo_80).all() and (fc.lo_80 <= fc["mean"]).all()
    assert (fc["mean"] <= fc.hi_80).all() and (fc.hi_80 <= fc.hi_95).all()
    assert (fc.hi_95 > fc.lo_95).all()


# --------------------------------------------------------------------------- econsim run / compare (issue 4)

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


def test_run_manifest_hashes_the_inputs_actually_read(good_run):
    man = json.loads((good_run / "manifest.json").read_text(encoding="utf-8"))
    for path, digest in man["inputs_sha256"].items():
        assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest
    assert {Path(p).name for p in man["inputs_sha256"]} >= {"observations.csv", "baseline.yaml"}


def test_run_manifest_records_versions_seed_and_timings(good_run):
    man = json.loads((good_run / "manifest.json").read_text(encoding="utf-8"))
    assert man["seed"] == {"baseline": 7}
    assert {"econsim", "numpy", "pandas", "statsmodels"} <= set(man["versions"])
    assert man["timings_s"] and all(v >= 0 for v in man["timings_s"].values())


def test_run_manifest_hashes_match_the_written_outputs(good_run):
    man = json.loads((good_run / "manifest.json").read_text(encoding="utf-8"))
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

    _, err, warned = good_run_with_noise
    assert err == f"econsim: data: {default_path().resolve()}\n" and warned == []


def test_same_seed_gives_byte_identical_projection_and_targets(capsys, tmp_path, good_run):
    code, _, err = cli(capsys, "run", "baseline", "--seed", "7", "--draws", DRAWS, "--out", tmp_path / "again")
    assert code == 0, err
    for name in ("projection.csv", "targets.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (good_run / name).read_bytes(), name


def test_different_seed_gives_a_different_projection(capsys, tmp_path, good_run):
    code, _, err = cli(capsys, "run", "baseline", "--seed", "8", "--draws", DRAWS, "--out", tmp_path / "other")
    assert code == 0, err
    assert (tmp_path / "other" / "projection.csv").read_bytes() != (good_run / "projection.csv").read_bytes()


def test_a_new_run_into_the_same_folder_leaves_only_its_own_files(capsys, results):
    d, _ = results
    code, _, err = cli(capsys, "run", HERE / "gdp_only.yaml", "--out", d)
    assert code == 0, err
    man = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in d.iterdir()) == sorted([*man["outputs_sha256"], "manifest.json"])


def test_scenario_in_the_working_directory_wins_over_the_bundled_one(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    mine = write(tmp_path / "scenarios", "baseline.yaml",
                 "name: baseline\nindicators:\n  gdp: {growth: 4.0, uncertainty: 0}\n")
    code, _, err = cli(capsys, "run", "baseline", "--draws", "50", "--out", tmp_path / "D")
    assert code == 0, err
    man = json.loads((tmp_path / "D" / "manifest.json").read_text(encoding="utf-8"))
    assert str(mine) in man["inputs_sha256"]
    proj = pd.read_csv(tmp_path / "D" / "projection.csv", dtype={"year": str})
    assert proj[(proj.indicator == "gdp") & (proj.measure == "growth") & (proj.year == "2026")].p50.tolist() == [4.0]


def test_data_in_the_working_directory_wins_over_the_bundled_data(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", "observations.csv", f"{HEADER}\n{GOOD}\n")
    code, out, err = cli(capsys, "data", "--format", "csv")
    assert code == 0, err
    assert len(pd.read_csv(io.StringIO(out))) == 1


def test_python_api_gives_the_same_projection_bytes_as_the_cli(good_run):
    sc = econsim.load_scenario("baseline")
    proj = econsim.project(sc, econsim.load_dataset(), draws=int(DRAWS), seed=7)
    assert proj.to_csv().encode("utf-8") == (good_run / "projection.csv").read_bytes()


def test_compare_writes_a_table_and_a_valid_chart(capsys, tmp_path):
    from PIL import Image

    out = tmp_path / "cmp"
    code, _, err = cli(capsys, "compare", "baseline", "downside", "--draws", DRAWS, "--seed", "1", "--out", out)
    assert code == 0, err
    table = pd.read_csv(out / "comparison.csv")
    assert set(table.scenario) == {"baseline", "downside"}
    with Image.open(out / "comparison.png") as im:
        im.verify()


# --------------------------------------------------------------------------- econsim nowcast (issue 6)

@pytest.fixture(scope="module")
def september():
    import contextlib

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["nowcast", "--region", "dalian", "--as-of", "2025-09", "--format", "csv"]) == 0
    return pd.read_csv(io.StringIO(out.getvalue()))


def test_nowcast_csv_has_the_contract_columns(september):
    assert list(september.columns[:len(NOWCAST_COLUMNS)]) == NOWCAST_COLUMNS
    assert set(september.region) == {"dalian"} and set(september.year) == {2025}


@pytest.mark.parametrize("indicator, outcome", [("gdp", 5.7), ("industrial_va", 11.7)])
def test_september_nowcast_intervals_contain_the_2025_outcome_it_did_not_see(september, indicator, outcome):
    ds = econsim.load_dataset()
    actual = ds.select(region="dalian", indicator=indicator, measure="growth", status="actual")
    assert outcome in set(actual[actual.period == "2025"].value)  # the outcome is in the data
    row = september[september.indicator == indicator].iloc[0]
    assert row.lo_95 <= row.lo_80 <= outcome <= row.hi_80 <= row.hi_95


def known_by_end_of_may_2025(row) -> bool:
    """Would this bundled figure have been published by the end of May 2025?"""
    period, status = row["period"], row["status"]
    if len(period) == 7:                      # YYYY-MM, year to date
        return period <= "2025-05"
    first, last = int(period[:4]), int(period[-4:])
    if status == "target":                    # a year's targets are set at its start
        return first <= 2025
    return last <= 2024                       # a year's outcome comes out the next year


def test_may_nowcast_is_the_same_when_everything_after_may_is_deleted(capsys, tmp_path):
    from econsim.data.dataset import default_path

    bundled = default_path()
    with bundled.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if known_by_end_of_may_2025(r)]
        fields = reader.fieldnames
    cut = tmp_path / "until_may.csv"
    with cut.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    args = ("nowcast", "--region", "dalian", "--as-of", "2025-05", "--format", "csv")
    code_all, with_future, _ = cli(capsys, *args, "--data", bundled)
    code_cut, without_future, _ = cli(capsys, *args, "--data", cut)
    assert code_all == code_cut == 0
    assert with_future == without_future and len(with_future.splitlines()) > 1


def test_may_nowcast_reads_no_release_after_may(capsys):
    code, out, _ = cli(capsys, "nowcast", "--region", "dalian", "--as-of", "2025-05", "--format", "csv")
    frame = pd.read_csv(io.StringIO(out), dtype={"latest_period": str})
    assert code == 0 and (frame.latest_period <= "2025-05").all()


# --------------------------------------------------------------------------- econsim.forecast (issue 3 contract)

def test_forecast_returns_h_rows_with_the_contract_columns():
    fc = econsim.forecast([5.1, 6.3, 5.8, 6.0, 6.4], 4)
    assert list(fc.columns) == FORECAST_COLUMNS and len(fc) == 4


def test_forecast_of_a_period_indexed_series_continues_its_periods():
    y = pd.Series([7.1, 6.9, 6.5, 6.0, 6.0], index=pd.period_range("2021", periods=5, freq="Y"))
    fc = econsim.forecast(y, 3)
    assert list(fc.index) == list(pd.period_range("2026", periods=3, freq="Y"))


@pytest.mark.parametrize("y", [[1.0, 2.0], [1.0, float("nan"), 3.0, 4.0], [1.0, 2.0, float("inf")]])
def test_forecast_refuses_short_or_non_finite_input_with_value_error(y):
    with pytest.raises(ValueError):
        econsim.forecast(y, 2)


@pytest.mark.parametrize("y", [[3.0, 3.0, 3.0], [-2.0, -28.2, 5.8], [1e6, 1.2e6, 1.1e6]])
def test_forecast_never_raises_for_finite_input_of_length_three(y):
    fc = econsim.forecast(y, 5)
    assert len(fc) == 5 and np.isfinite(fc.to_numpy()).all()
