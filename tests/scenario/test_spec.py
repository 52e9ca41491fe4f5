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
