"""A CLI that explains itself: help on every option, the vocabulary and scenarios listed, hints that ignore case."""
import argparse

import pytest

from econsim.cli import build_parser
from econsim.errors import did_you_mean


def _all_actions(parser, prefix="econsim"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _all_actions(sub, f"{prefix} {name}")
        elif not isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
            yield prefix, action


ACTIONS = list(_all_actions(build_parser()))


def test_the_parser_walk_finds_every_subcommand():
    commands = {prefix for prefix, _ in ACTIONS}
    assert {"econsim data", "econsim forecast", "econsim run", "econsim compare", "econsim report",
            "econsim nowcast", "econsim indicators", "econsim scenarios"} <= commands


@pytest.mark.parametrize("prefix,action", ACTIONS, ids=[f"{p} {a.dest}" for p, a in ACTIONS])
def test_every_argument_has_help_text(prefix, action):
    assert action.help and action.help.strip(), f"{prefix} {action.option_strings or action.dest} has no help"


@pytest.mark.parametrize("prefix,action", [(p, a) for p, a in ACTIONS if a.option_strings],
                         ids=[f"{p} {a.dest}" for p, a in ACTIONS if a.option_strings])
def test_every_option_states_its_default(prefix, action):
    assert "default" in action.help or "required" in action.help, f"{prefix} {action.option_strings}"


def test_a_stated_default_is_the_real_one():
    run = {a.dest: a for p, a in ACTIONS if p == "econsim forecast"}
    assert run["horizon"].default == 5 and "(default: 5)" in run["horizon"].help
    assert run["region"].default == "dlhitech" and "(default: dlhitech)" in run["region"].help


def test_indicators_lists_key_names_unit_and_measures(run_cli):
    code, out, _ = run_cli("indicators", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "key,name_zh,name_en,unit,growth_basis,measures"
    assert lines[1].startswith("gdp,地区生产总值,GDP,CNY_100m,comparable,")
    assert "USD_10k, USD_100m" in [line for line in lines if line.startswith("fdi_used,")][0]
    assert len(lines) == 1 + 20


def test_scenarios_says_which_come_from_the_working_directory(run_cli, tmp_path, monkeypatch):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "mine.yaml").write_text("name: mine\ntitle: 我的情景\nextends: baseline\n",
                                                      encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("scenarios", "--format", "csv")
    assert code == 0, err
    rows = {line.split(",")[0]: line.split(",") for line in out.splitlines()[1:]}
    assert rows["mine"][1:3] == ["我的情景", "working directory"]
    assert rows["baseline"][1:3] == ["基准情景", "bundled"]


def test_did_you_mean_ignores_case():
    assert did_you_mean("GDP", ["gdp", "industrial_va"]) == " (did you mean 'gdp'?)"
    assert did_you_mean("Gpd", ["gdp", "industrial_va"]) == " (did you mean 'gdp'?)"
    assert did_you_mean("gdp", ["gdp"]) == ""


def test_forecast_of_gdp_in_capitals_suggests_gdp(run_cli):
    code, _, err = run_cli("forecast", "GDP")
    assert code == 2 and "unknown indicator 'GDP' (did you mean 'gdp'?)" in err


def test_help_of_run_says_what_draws_and_seed_are(run_cli, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "number of Monte Carlo draws" in text and "same seed, same results" in text
    assert "--excel" in text and "--excel-csv" in text


def test_scenarios_lists_a_file_that_cannot_be_read_and_says_why(run_cli, tmp_path, monkeypatch):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "broken.yaml").write_text("name: broken\ndraws: many\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("scenarios", "--format", "json")
    import json

    rows = {r["name"]: r for r in json.loads(out)}
    assert code == 0 and rows["broken"]["from"] == "working directory"
    assert rows["broken"]["title"].startswith("(cannot be read: ") and "many" in rows["broken"]["title"]


def test_excel_with_regions_is_refused_rather_than_ignored(run_cli, tmp_path):
    code, _, err = run_cli("run", "baseline", "--regions", "all", "--excel", "--out", tmp_path / "r")
    assert code == 2 and "not with --regions" in err and not (tmp_path / "r").exists()
