"""Bad input on the command line: exit 2, one stderr line ``econsim: error: FILE: line N: key 'K': ...``
naming the file and the key, no traceback, and nothing written (see ``tests/cli/conftest.py``)."""
from __future__ import annotations

from pathlib import Path

import pytest

SCENARIOS = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"
DRAWS = 300
HEADER = "region,indicator,period,measure,value,unit,status,basis,source,locator"
GOOD_ROW = "dlhitech,gdp,2025,growth,6,pct,actual,comparable,work_report_2026,x"


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- bad data files

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
    "duplicate key": (f"{HEADER}\n{GOOD_ROW}\n{GOOD_ROW}\n", "line 3"),
    "unit not fitting the measure": (f"{HEADER}\ndlhitech,gdp,2025,level,471.3,pct,actual,nominal,s,l\n",
                                     "unit"),
    "empty": ("", None),
    "header only": (f"{HEADER}\n", None),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", None),
}


def bad_data_file(tmp_path, case):
    content, _ = BAD_DATA[case]
    path = tmp_path / "obs.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("case", list(BAD_DATA))
def test_bad_data_file_is_refused_by_run_and_previous_results_stay(tmp_path, refused_into, case):
    path = bad_data_file(tmp_path, case)
    key = BAD_DATA[case][1]
    refused_into("run", "baseline", "--data", path, names=[path] + ([key] if key else []))


@pytest.mark.parametrize("case", list(BAD_DATA))
def test_bad_data_file_is_refused_by_data_naming_file_and_key(run_cli, assert_one_line_error, tmp_path, case):
    path = bad_data_file(tmp_path, case)
    key = BAD_DATA[case][1]
    code, out, err = run_cli("data", "--data", path, "--format", "csv")
    assert_one_line_error(code, out, err, path, *([key] if key else []))


def test_binary_data_file_is_called_binary(run_cli, assert_one_line_error, tmp_path):
    code, out, err = run_cli("data", "--data", bad_data_file(tmp_path, "binary"))
    assert_one_line_error(code, out, err, "binary")


def test_header_only_data_file_says_it_has_no_observations(run_cli, assert_one_line_error, tmp_path):
    code, out, err = run_cli("data", "--data", bad_data_file(tmp_path, "header only"))
    assert_one_line_error(code, out, err, "no observations")


def test_bad_data_error_gives_the_line_number(run_cli, assert_one_line_error, tmp_path):
    path = write(tmp_path, "obs.csv", f"{HEADER}\n{GOOD_ROW}\n"
                 "dlhitech,gdp,2024,growth,inf,pct,actual,comparable,s,l\n")
    code, out, err = run_cli("data", "--data", path)
    assert_one_line_error(code, out, err, path, "line 3", "value")


def test_a_non_numeric_value_is_one_line_naming_file_line_key_and_how_to_write_it(run_cli, obs_file):
    path = obs_file("dlhitech,gdp,2025,growth,abc,pct,actual,comparable,s,l")
    code, out, err = run_cli("data", "--data", path)
    assert code == 2 and out == ""
    assert err == f"econsim: error: {path}: line 2: key 'value': value 'abc' is not a number (write e.g. 99.94 or -3.5)\n"


# --------------------------------------------------------------------------- bad scenarios

def alias_bomb() -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# case -> (scenario text, what the error line must also name: the key and/or telling words)
BAD_SCENARIOS = {
    "YAML syntax error": ("name: s\nindicators:\n  gdp: {growth: [5,\n", ["YAML syntax error", "line"]),
    "unclosed list": ("name: s\nindicators: [1,\n", ["YAML syntax error"]),
    "top-level list": ("- name: s\n- indicators: {}\n", ["top level must be a mapping"]),
    "top-level string": ("just a string\n", ["top level must be a mapping"]),
    "unknown key": ("name: s\nindicators:\n  gdp: {growth: 5}\ndraw: 100\n", ["did you mean 'draws'"]),
    "unknown indicator key": ("name: s\nindicators:\n  gdp: {grwoth: 5}\n", ["did you mean 'growth'"]),
    "unknown indicator": ("name: s\nindicators:\n  retail: {growth: 3, sd: 1}\n", ["indicators.retail"]),
    "misspelt indicator": ("name: s\nindicators:\n  gpd: {growth: 5}\n", ["did you mean 'gdp'"]),
    "wrong type": ("name: s\nindicators:\n  gdp: {growth: [5, 6]}\n", ["indicators.gdp.growth"]),
    "text for a number": ("name: s\nindicators:\n  gdp: {growth: fast}\n", ["indicators.gdp.growth"]),
    "NaN": ("name: s\nindicators:\n  gdp: {growth: {2027: .nan}}\n", ["indicators.gdp.growth.2027"]),
    "NaN for every year": ("name: s\nindicators:\n  gdp: {growth: .nan}\n", ["finite"]),
    "infinity": ("name: s\nindicators:\n  gdp: {growth: 5, add_factors: {2028: .inf}}\n",
                 ["indicators.gdp.add_factors.2028"]),
    "absurd sd": ("name: s\nindicators:\n  gdp: {growth: 5, sd: 900}\n", ["indicators.gdp.sd"]),
    "absurd growth": ("name: s\nindicators:\n  gdp: {growth: 500}\n", ["plausible range"]),
    "override year outside horizon": ("name: s\nindicators:\n  gdp:\n    overrides: {2019: {growth: 5}}\n",
                                      ["indicators.gdp.overrides.2019"]),
    "growth year outside horizon": ("name: s\nindicators:\n  gdp:\n    growth: {2035: 5}\n",
                                    ["outside the horizon"]),
    "python tag": ("name: !!python/object/new:os.system [echo pwned]\n", ["tag not allowed"]),
    "python apply tag": ("name: !!python/object/apply:os.system ['echo hi']\n", ["tag not allowed"]),
    "alias bomb": (alias_bomb(), ["nodes"]),
    "empty": ("", ["empty"]),
    "only a comment": ("# a scenario\n", []),
}


@pytest.mark.parametrize("case", list(BAD_SCENARIOS))
def test_bad_scenario_is_refused_and_previous_results_stay(tmp_path, refused_into, case):
    text, names = BAD_SCENARIOS[case]
    path = write(tmp_path, "s.yaml", text)
    refused_into("run", path, names=["s.yaml", *names])


def test_python_tag_in_a_scenario_is_never_executed(tmp_path, refused_into):
    marker = tmp_path / "pwned"
    path = write(tmp_path, "s.yaml", f"name: !!python/object/apply:os.system ['touch {marker}']\n")
    refused_into("run", path, names=["s.yaml"])
    assert not marker.exists()


def test_binary_scenario_is_refused_and_previous_results_stay(tmp_path, refused_into):
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\x00\x01name: s\x00\xff\xfe")
    refused_into("run", path, names=["s.yaml", "binary"])


def test_directory_as_scenario_is_refused_and_previous_results_stay(tmp_path, refused_into):
    (tmp_path / "s.yaml").mkdir()
    refused_into("run", tmp_path / "s.yaml", names=["s.yaml", "directory"])


def test_missing_scenario_file_is_refused_and_previous_results_stay(tmp_path, refused_into):
    refused_into("run", tmp_path / "nope.yaml", names=["nope.yaml", "not found"])


def test_missing_parent_scenario_is_refused_and_previous_results_stay(refused_into):
    refused_into("run", SCENARIOS / "missing_parent.yaml",
                 names=["missing_parent.yaml", "extends", "no_such_parent"])


def test_extends_cycle_is_refused_and_previous_results_stay(refused_into):
    refused_into("run", SCENARIOS / "cycle_a.yaml", names=["cycle_a.yaml", "extends", "cycle"])


@pytest.mark.parametrize("name, hints", [("downsid", ["did you mean 'downside'"]),
                                         ("baselien", ["did you mean 'baseline'", "investment_push"])])
def test_misspelt_scenario_name_suggests_the_shipped_one_and_lists_them(refused_into, name, hints):
    refused_into("run", name, names=hints)


def test_a_bad_scenario_in_compare_leaves_previous_results(tmp_path, refused_into):
    path = write(tmp_path, "s.yaml", "name: s\nindicators:\n  gdp: {growth: fast}\n")
    refused_into("compare", "baseline", path, names=["s.yaml", "indicators.gdp.growth"])


def test_unknown_region_in_a_scenario_names_the_scenario_file(tmp_path, refused_into):
    path = write(tmp_path, "s.yaml", "name: s\nregion: dlhitec\nindicators:\n  gdp: {growth: 5}\n")
    refused_into("run", path, names=["s.yaml", "region", "did you mean 'dlhitech'"])


# --------------------------------------------------------------------------- bad options

@pytest.mark.parametrize("option", [("--draws", "0"), ("--draws", "-1"), ("--draws", "-5"), ("--draws", "abc"),
                                    ("--seed", "1.5"), ("--seed", "abc"), ("--as-of", "2025-13"),
                                    ("--as-of", "abc")])
def test_bad_run_option_is_refused_naming_it_and_previous_results_stay(refused_into, option):
    refused_into("run", "baseline", *option, names=[option[0]])


def test_absurd_draws_option_is_bad_input_not_an_internal_error(refused_into):
    # 10**15 draws cannot be allocated on any machine, so the unfixed code fails fast with MemoryError
    refused_into("run", "baseline", "--draws", 10**15, names=["--draws"])


def test_out_that_is_a_file_is_refused_and_the_file_is_kept(run_cli, assert_one_line_error, tmp_path):
    taken = write(tmp_path, "results", "an economist's notes\n")
    code, out, err = run_cli("run", "baseline", "--draws", DRAWS, "--out", taken)
    assert_one_line_error(code, out, err, taken, "--out", "is a file")
    assert taken.read_text(encoding="utf-8") == "an economist's notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_compare_out_that_is_a_file_is_refused(run_cli, assert_one_line_error, tmp_path):
    taken = write(tmp_path, "results", "keep\n")
    code, out, err = run_cli("compare", "baseline", "downside", "--draws", DRAWS, "--out", taken)
    assert_one_line_error(code, out, err, taken, "--out", "is a file")
    assert taken.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.parametrize("typo, region", [("dalain", "dalian"), ("dlhitec", "dlhitech")])
@pytest.mark.parametrize("command", [("data",), ("forecast", "gdp"), ("nowcast", "--as-of", "2025-09")])
def test_unknown_region_is_refused_with_a_hint(run_cli, assert_one_line_error, command, typo, region):
    code, out, err = run_cli(*command, "--region", typo)
    assert_one_line_error(code, out, err, "region", f"did you mean '{region}'")


@pytest.mark.parametrize("as_of", ["2025-13", "2025-00", "soon", "abc", "2025-9-1", "1980-05", "1999-05"])
def test_bad_nowcast_as_of_is_refused_naming_the_option_and_the_value(run_cli, assert_one_line_error, as_of):
    code, out, err = run_cli("nowcast", "--region", "dalian", "--as-of", as_of, "--format", "csv")
    assert_one_line_error(code, out, err, "--as-of", as_of)


def test_nowcast_requires_as_of(run_cli, assert_one_line_error):
    assert_one_line_error(*run_cli("nowcast"), "--as-of")


def test_nowcast_of_a_missing_data_file_names_the_file(run_cli, assert_one_line_error, tmp_path):
    assert_one_line_error(*run_cli("nowcast", "--data", tmp_path / "nope.csv", "--as-of", "2025-09"), "nope.csv")


def test_nowcast_unknown_format_names_the_option(run_cli, assert_one_line_error):
    assert_one_line_error(*run_cli("nowcast", "--as-of", "2025-09", "--format", "json"), "--format")


def test_forecast_of_an_unknown_indicator_suggests_the_right_one(run_cli, assert_one_line_error):
    assert_one_line_error(*run_cli("forecast", "gpd"), "did you mean 'gdp'")


def test_forecast_horizon_must_be_positive(run_cli, assert_one_line_error):
    assert_one_line_error(*run_cli("forecast", "gdp", "--horizon", "0"), "--horizon")


def test_an_unknown_option_is_a_one_line_error(run_cli, assert_one_line_error):
    assert_one_line_error(*run_cli("data", "--frmat", "csv"))


def test_a_bad_choice_is_a_one_line_error(run_cli, assert_one_line_error):
    assert_one_line_error(*run_cli("data", "--format", "xml"), "invalid choice")


def test_no_command_is_a_one_line_error(run_cli, assert_one_line_error):
    assert_one_line_error(*run_cli())


def test_check_and_reconstruct_together_are_refused(run_cli, assert_one_line_error):
    assert_one_line_error(*run_cli("data", "--check", "--reconstruct"))
