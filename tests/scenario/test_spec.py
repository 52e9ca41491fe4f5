"""Scenario files: parsing, inheritance and every kind of bad input refused with one clear line."""
from pathlib import Path

import pytest

from econsim.errors import InputError
from econsim.scenario.files import load_scenario, safe_load_yaml

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"


def write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def refused(tmp_path, text, *, name="s.yaml"):
    with pytest.raises(InputError) as exc:
        load_scenario(write(tmp_path, text, name))
    return exc.value


# --------------------------------------------------------------------------- reading

def test_shipped_baseline_loads_by_name_with_the_default_horizon_as_the_outlook():
    sc = load_scenario("baseline")
    assert sc.name == "baseline" and sc.years == [2026, 2027, 2028, 2029, 2030]
    assert sc.outlook is True and sc.indicators["gdp"].growth == {}


def test_shipped_plan_puts_the_2026_gdp_target_at_the_centre():
    sc = load_scenario("plan")
    assert sc.outlook is False and sc.indicators["gdp"].growth[2026] == 6.0


@pytest.mark.parametrize("name", ["baseline", "plan", "upside", "downside", "external_demand_shock",
                                  "investment_push"])
def test_every_shipped_scenario_loads(name):
    assert load_scenario(name).name == name


def test_scalar_growth_applies_to_every_year(tmp_path):
    sc = load_scenario(write(tmp_path, "name: s\nindicators:\n  gdp:\n    growth: 5.5\n"))
    assert sc.indicators["gdp"].growth == {y: 5.5 for y in range(2026, 2031)}


def test_decay_is_one_minus_persistence(tmp_path):
    sc = load_scenario(write(tmp_path, "name: s\nindicators:\n  gdp:\n    shocks: [{size: -1, start: 2027, decay: 0.25}]\n"))
    assert sc.indicators["gdp"].shocks == [{"size": -1.0, "start": 2027, "persistence": 0.75}]


def test_to_dict_gives_the_resolved_settings():
    d = load_scenario(HERE / "child.yaml").to_dict()
    assert d["name"] == "child" and "extends" not in d and d["horizon"] == [2026, 2030]


def test_repr_html_names_the_scenario_and_indicators():
    html = load_scenario("baseline")._repr_html_()
    assert "baseline" in html and "地区生产总值" in html


# --------------------------------------------------------------------------- inheritance

def test_child_changes_only_the_year_it_names_and_keeps_the_rest():
    child = load_scenario(HERE / "child.yaml")
    assert child.indicators["gdp"].growth == {2026: 4.0, 2027: 5.0, 2028: 4.0, 2029: 4.0, 2030: 4.0}
    assert child.indicators["gdp"].uncertainty == 0
    assert child.indicators["fixed_investment"].overrides[2027] == ("level", 120.0)


def test_child_keeps_its_own_name_and_title():
    child = load_scenario(HERE / "child.yaml")
    assert (child.name, child.title) == ("child", "子情景")


def test_child_records_its_parent_as_a_source_file():
    child = load_scenario(HERE / "child.yaml")
    assert [p.name for p in child.sources] == ["child.yaml", "exact.yaml"]


def test_extends_cycle_is_refused():
    with pytest.raises(InputError, match="cycle") as exc:
        load_scenario(HERE / "cycle_a.yaml")
    assert exc.value.key == "extends"


def test_missing_parent_is_refused_naming_extends():
    with pytest.raises(InputError, match="no_such_parent") as exc:
        load_scenario(HERE / "missing_parent.yaml")
    assert exc.value.key == "extends" and "missing_parent.yaml" in exc.value.one_line()


# --------------------------------------------------------------------------- bad input

def test_yaml_syntax_error_names_file_and_line(tmp_path):
    err = refused(tmp_path, "name: s\nindicators: [1, 2\n")
    assert "YAML syntax error" in err.message and err.line is not None and "s.yaml" in err.one_line()


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "42\n"])
def test_top_level_that_is_not_a_mapping_is_refused(tmp_path, text):
    assert "top level must be a mapping" in refused(tmp_path, text).message


def test_unknown_top_level_key_gets_a_hint(tmp_path):
    err = refused(tmp_path, "name: s\nindicator: {}\n")
    assert "did you mean 'indicators'" in err.message


def test_unknown_indicator_gets_a_hint(tmp_path):
    err = refused(tmp_path, "name: s\nindicators:\n  gpd: {growth: 5}\n")
    assert err.key == "indicators.gpd" and "did you mean 'gdp'" in err.message


def test_unknown_indicator_setting_gets_a_hint(tmp_path):
    err = refused(tmp_path, "name: s\nindicators:\n  gdp: {grwth: 5}\n")
    assert err.key == "indicators.gdp.grwth" and "did you mean 'growth'" in err.message


def test_growth_as_text_is_refused(tmp_path):
    err = refused(tmp_path, "name: s\nindicators:\n  gdp: {growth: fast}\n")
    assert err.key == "indicators.gdp.growth" and "'fast'" in err.message


def test_misspelt_model_gets_a_hint(tmp_path):
    assert "did you mean 'model'" in refused(tmp_path, "name: s\nindicators:\n  gdp: {growth: modle}\n").message


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_non_finite_growth_is_refused(tmp_path, value):
    err = refused(tmp_path, f"name: s\nindicators:\n  gdp:\n    growth: {{2026: {value}}}\n")
    assert err.key == "indicators.gdp.growth.2026" and "finite" in err.message


@pytest.mark.parametrize("value", [500, -100])
def test_absurd_growth_is_refused(tmp_path, value):
    err = refused(tmp_path, f"name: s\nindicators:\n  gdp:\n    growth: {value}\n")
    assert "plausible range" in err.message


def test_year_outside_the_horizon_is_refused(tmp_path):
    err = refused(tmp_path, "name: s\nindicators:\n  gdp:\n    growth: {2031: 5}\n")
    assert err.key == "indicators.gdp.growth.2031" and "outside the horizon 2026–2030" in err.message


def test_shock_starting_outside_the_horizon_is_refused(tmp_path):
    err = refused(tmp_path, "name: s\nindicators:\n  gdp:\n    shocks: [{size: -1, start: 2025}]\n")
    assert err.key == "indicators.gdp.shocks.0.start"


def test_price_on_a_nominal_indicator_is_refused(tmp_path):
    err = refused(tmp_path, "name: s\nindicators:\n  retail_sales: {price: 2}\n")
    assert err.key == "indicators.retail_sales.price"


def test_link_to_an_indicator_not_in_the_scenario_is_refused(tmp_path):
    err = refused(tmp_path, "name: s\nindicators:\n  industrial_va:\n    links: [{driver: gdp, b: 1}]\n")
    assert err.key == "indicators.industrial_va.links.0.driver"


def test_link_cycle_is_refused(tmp_path):
    err = refused(tmp_path, "name: s\nindicators:\n  gdp:\n    links: [{driver: industrial_va, b: 1}]\n"
                            "  industrial_va:\n    links: [{driver: gdp, b: 1}]\n")
    assert "cycle" in err.message


def test_python_object_tag_is_refused_and_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    err = refused(tmp_path, f"name: !!python/object/apply:os.system ['touch {marker}']\n")
    assert "tag not allowed" in err.message and not marker.exists()


def test_alias_bomb_is_refused(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    err = refused(tmp_path, "\n".join(lines) + "\n")
    assert "more than" in err.message and "nodes" in err.message


def test_duplicate_key_is_refused(tmp_path):
    err = refused(tmp_path, "name: s\nname: t\n")
    assert "duplicate key 'name'" in err.message and err.line == 2


def test_empty_file_is_refused(tmp_path):
    assert "empty" in refused(tmp_path, "").message


def test_binary_file_is_refused(tmp_path):
    p = tmp_path / "b.yaml"
    p.write_bytes(b"\x00\x01\x02name")
    with pytest.raises(InputError, match="binary"):
        load_scenario(p)


def test_directory_is_refused(tmp_path):
    d = tmp_path / "dir.yaml"
    d.mkdir()
    with pytest.raises(InputError, match="directory"):
        load_scenario(d)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_scenario(tmp_path / "nope.yaml")


def test_unknown_scenario_name_lists_the_available_ones():
    with pytest.raises(InputError) as exc:
        load_scenario("baselin")
    assert "did you mean 'baseline'" in exc.value.message and "upside" in exc.value.message


def test_missing_name_is_refused(tmp_path):
    assert refused(tmp_path, "title: x\n").key == "name"


@pytest.mark.parametrize("text,key", [("draws: 0", "draws"), ("draws: -5", "draws"), ("seed: 1.5", "seed"),
                                      ("draws: true", "draws")])
def test_bad_draws_or_seed_in_the_file_is_refused(tmp_path, text, key):
    assert refused(tmp_path, f"name: s\n{text}\n").key == key


def test_safe_load_yaml_reads_plain_data():
    assert safe_load_yaml("a: [1, 2]\n", "x.yaml") == {"a": [1, 2]}


def test_scientific_notation_that_yaml_reads_as_text_gets_a_hint(tmp_path):
    from econsim.errors import InputError
    from econsim.scenario.files import load_scenario

    path = tmp_path / "s.yaml"
    path.write_text("name: s\nextends: baseline\ndraws: 1e5\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"key 'draws'.*write the number out \(100000\)"):
        load_scenario(path)


# --------------------------------------------------------------------------- editing in Python

EDITABLE = ("name: s\nindicators:\n  gdp:\n    growth: 5.0\n    sd: 1.0\n"
            "  industrial_va:\n    links: [{driver: gdp, b: 1.0}]\n  retail_sales:\n    growth: 3.0\n    sd: 2.0\n")


def edited(tmp_path, edit):
    """The error of the scenario EDITABLE after `edit(scenario)`, checked as `project` checks it."""
    sc = load_scenario(write(tmp_path, EDITABLE))
    edit(sc)
    with pytest.raises(InputError) as exc:
        sc.validated()
    return exc.value


def gdp(sc):
    return sc.indicators["gdp"]


# (edit in Python, the same value written in the file under indicators.gdp, the key both must name)
SAME_VALUE = [
    (lambda sc: gdp(sc).growth.__setitem__(2027, "5%"), "growth: {2027: 5%}", "indicators.gdp.growth.2027"),
    (lambda sc: gdp(sc).growth.__setitem__("2027", 4.0), "growth: {'2027': 4.0}", "indicators.gdp.growth.2027"),
    (lambda sc: gdp(sc).growth.__setitem__(2031, 4.0), "growth: {2031: 4.0}", "indicators.gdp.growth.2031"),
    (lambda sc: gdp(sc).growth.__setitem__(2027, 500.0), "growth: {2027: 500.0}", "indicators.gdp.growth.2027"),
    (lambda sc: setattr(gdp(sc), "sd", 80.0), "sd: 80.0", "indicators.gdp.sd"),
    (lambda sc: setattr(gdp(sc), "sd", "1"), "sd: '1'", "indicators.gdp.sd"),
    (lambda sc: setattr(gdp(sc), "uncertainty", -1.0), "uncertainty: -1.0", "indicators.gdp.uncertainty"),
    (lambda sc: gdp(sc).shocks.append({"size": -2.0, "start": 2031}), "shocks: [{size: -2.0, start: 2031}]",
     "indicators.gdp.shocks.0.start"),
    (lambda sc: gdp(sc).shocks.append({"size": -2.0, "strat": 2027}), "shocks: [{size: -2.0, strat: 2027}]",
     "indicators.gdp.shocks.0.strat"),
    (lambda sc: gdp(sc).links.append({"driver": "gpd", "b": 1.0}), "links: [{driver: gpd, b: 1.0}]",
     "indicators.gdp.links.0.driver"),
    (lambda sc: gdp(sc).overrides.__setitem__(2027, ("growth", 500.0)), "overrides: {2027: {growth: 500.0}}",
     "indicators.gdp.overrides.2027.growth"),
    (lambda sc: gdp(sc).overrides.__setitem__(2027, 6.0), "overrides: {2027: 6.0}", "indicators.gdp.overrides.2027"),
    (lambda sc: gdp(sc).add_factors.__setitem__(2028, 80.0), "add_factors: {2028: 80.0}",
     "indicators.gdp.add_factors.2028"),
    (lambda sc: gdp(sc).targets.append({"period": "2031", "measure": "growth", "target": 6.0}),
     "targets: [{period: '2031', measure: growth, target: 6.0}]", "indicators.gdp.targets.0.period"),
    (lambda sc: gdp(sc).targets.append({"period": "2027", "measure": "growth", "target": "6%"}),
     "targets: {2027: {growth: 6%}}", None),
]


@pytest.mark.parametrize("edit,yaml_text,key", SAME_VALUE)
def test_an_edit_in_python_is_refused_exactly_as_the_same_value_in_a_file(tmp_path, edit, yaml_text, key):
    in_python = edited(tmp_path, edit)
    in_file = refused(tmp_path, EDITABLE.replace("    growth: 5.0\n    sd: 1.0\n", f"    {yaml_text}\n", 1),
                      name="f.yaml")
    assert in_python.message == in_file.message
    if key is not None:
        assert in_python.key == in_file.key == key


def test_a_target_value_as_text_is_refused_naming_its_key_in_either_form(tmp_path):
    err = edited(tmp_path, lambda sc: gdp(sc).targets.append({"period": "2027", "measure": "growth", "target": "6%"}))
    assert err.key == "indicators.gdp.targets.0.target" and "'6%'" in err.message


def test_an_unknown_indicator_added_in_python_gets_a_hint(tmp_path):
    from econsim.scenario.spec import IndicatorSpec

    err = edited(tmp_path, lambda sc: sc.indicators.__setitem__("gpd", IndicatorSpec(growth={2026: 5.0}, sd=1.0)))
    assert err.key == "indicators.gpd" and "did you mean 'gdp'" in err.message


def test_a_price_assumption_added_to_a_nominal_indicator_in_python_is_refused(tmp_path):
    err = edited(tmp_path, lambda sc: sc.indicators["retail_sales"].price.update({2026: 2.0}))
    assert err.key == "indicators.retail_sales.price"


def test_an_edit_error_says_the_scenario_was_edited_in_python(tmp_path):
    err = edited(tmp_path, lambda sc: gdp(sc).growth.__setitem__(2027, "5%"))
    assert err.one_line().startswith(f"{tmp_path / 's.yaml'} (as edited in Python): key 'indicators.gdp.growth.2027'")


def test_a_misspelt_setting_cannot_be_set_on_an_indicator():
    with pytest.raises(AttributeError):
        load_scenario("baseline").indicators["gdp"].grwth = 5.0


def test_a_second_target_for_the_same_year_and_measure_is_refused(tmp_path):
    err = edited(tmp_path, lambda sc: gdp(sc).targets.extend(
        [{"period": "2027", "measure": "growth", "target": 6.0}, {"period": 2027, "measure": "growth", "target": 5.0}]))
    assert err.key == "indicators.gdp.targets.1.period" and "second 'growth' target for 2027" in err.message


def test_a_valid_edit_is_kept_and_normalised(tmp_path):
    sc = load_scenario(write(tmp_path, EDITABLE))
    gdp(sc).growth[2027] = 4
    gdp(sc).overrides[2029] = ("level", 600)
    gdp(sc).targets.append({"period": 2030, "measure": "growth", "target": 5})
    checked = gdp(sc.validated())
    assert checked.growth == {2026: 5.0, 2027: 4.0, 2028: 5.0, 2029: 5.0, 2030: 5.0}
    assert checked.overrides == {2029: ("level", 600.0)}
    assert checked.targets == [{"period": "2030", "measure": "growth", "target": 5.0}]


@pytest.mark.parametrize("ref", ["baseline", "plan", "upside", "downside", "external_demand_shock", "investment_push",
                                 HERE / "child.yaml", HERE / "exact.yaml", HERE / "noisy.yaml",
                                 HERE / "nowcast_start.yaml"])
def test_an_unedited_scenario_passes_the_check_again_unchanged(ref):
    sc = load_scenario(ref)
    assert sc.validated() == sc


def test_to_dict_shows_edits_made_in_python():
    sc = load_scenario("baseline")
    gdp(sc).growth[2027] = 5.25
    gdp(sc).overrides[2028] = ("growth", 4.5)
    d = sc.to_dict()["indicators"]["gdp"]
    assert d["growth"][2027] == 5.25 and d["overrides"] == {2028: {"growth": 4.5}}


def test_the_outlook_setting_is_in_to_dict_and_survives_the_check_of_a_python_edit():
    sc = load_scenario("baseline")
    gdp(sc).growth[2027] = 5.25
    assert sc.to_dict()["outlook"] is True
    assert sc.validated().outlook is True


def test_an_outlook_set_to_text_in_python_is_refused_naming_its_key():
    sc = load_scenario("plan")
    sc.outlook = "yes"
    with pytest.raises(InputError) as exc:
        sc.validated()
    assert exc.value.key == "outlook" and "(as edited in Python)" in exc.value.one_line()


def test_a_target_list_in_a_file_is_read_like_the_mapping(tmp_path):
    listed = load_scenario(write(tmp_path, "name: s\nindicators:\n  gdp:\n    targets:\n"
                                           "      - {period: 2027, measure: growth, target: 6}\n", "a.yaml"))
    mapped = load_scenario(write(tmp_path, "name: s\nindicators:\n  gdp:\n    targets: {2027: {growth: 6}}\n",
                                 "b.yaml"))
    assert gdp(listed).targets == gdp(mapped).targets == [{"period": "2027", "measure": "growth", "target": 6.0}]


def test_an_indicator_added_in_python_with_one_growth_number_gets_it_every_year(tmp_path):
    from econsim.scenario.spec import IndicatorSpec

    sc = load_scenario(write(tmp_path, EDITABLE))
    sc.indicators["fdi_used"] = IndicatorSpec(growth=5.0, sd=2.0)
    assert sc.validated().indicators["fdi_used"].growth == {y: 5.0 for y in range(2026, 2031)}


@pytest.mark.parametrize("ref", ["baseline", "plan", "upside", "downside", "external_demand_shock", "investment_push",
                                 HERE / "child.yaml", HERE / "exact.yaml"])
def test_to_dict_written_as_yaml_reads_back_to_the_same_scenario(tmp_path, ref):
    import dataclasses

    import yaml

    sc = load_scenario(ref)
    path = write(tmp_path, yaml.safe_dump(sc.to_dict(), allow_unicode=True, sort_keys=False), "again.yaml")
    again = load_scenario(path)
    assert dataclasses.replace(again, path=sc.path, sources=sc.sources) == sc
