"""The indicator registry's units: conversion into the registry unit and how units are written."""
import pytest

from econsim import indicators


def test_a_level_in_100m_usd_is_converted_to_the_registry_unit_of_10k_usd():
    # 1 亿美元 = 10,000 万美元, so 2.5 亿美元 of FDI is 25,000 万美元.
    assert indicators.to_registry_unit(2.5, "USD_100m", "fdi_used") == 25_000.0


def test_a_level_already_in_the_registry_unit_is_unchanged():
    assert indicators.to_registry_unit(99.94, "CNY_100m", "fixed_investment") == 99.94


def test_a_growth_rate_in_percent_is_unchanged():
    assert indicators.to_registry_unit(6.5, "pct", "fdi_used") == 6.5


def test_only_the_registry_unit_and_known_conversions_fit_an_indicator():
    assert indicators.converts_to_registry_unit("USD_10k", "fdi_used")
    assert indicators.converts_to_registry_unit("USD_100m", "fdi_used")
    assert not indicators.converts_to_registry_unit("CNY_100m", "fdi_used")


def test_unit_factor_of_an_unknown_indicator_names_it():
    with pytest.raises(KeyError, match="no_such"):
        indicators.unit_factor("CNY_100m", "no_such")


@pytest.mark.parametrize("unit, text", [("CNY_100m", "亿元"), ("USD_10k", "万美元"), ("m2_10k", "万㎡"),
                                        ("widgets", "widgets")])
def test_units_are_written_as_readers_write_them(unit, text):
    assert indicators.unit_text(unit) == text


def test_a_percentage_follows_its_number_directly_and_other_units_after_a_space():
    assert f"6.5{indicators.unit_suffix('pct')}" == "6.5%"
    assert f"99.94{indicators.unit_suffix('CNY_100m')}" == "99.94 亿元"


def test_growth_kind_follows_the_stated_basis_and_else_the_indicators_convention():
    from econsim.indicators import INDICATORS, growth_kind

    assert growth_kind("gdp", "comparable") == "real"
    assert growth_kind("gdp", "nominal") == "nominal"
    for key, ind in INDICATORS.items():
        assert growth_kind(key, "unknown") == ("real" if ind.growth_basis == "comparable" else "nominal")
