"""The shared validators of values users give in several places (draws, seeds)."""
import numpy as np
import pytest

from econsim.errors import MAX_DRAWS, InputError, check_draws, check_seed, check_whole_number


@pytest.mark.parametrize("value", [1, 2000, MAX_DRAWS, np.int64(300)])
def test_a_whole_number_of_draws_in_range_is_accepted_as_an_int(value):
    assert check_draws(value) == int(value) and type(check_draws(value)) is int


@pytest.mark.parametrize("value", [0, -5, MAX_DRAWS + 1])
def test_draws_outside_1_to_the_maximum_are_refused_naming_the_value(value):
    with pytest.raises(InputError, match=f"from 1 to 5,000,000, got {value}$"):
        check_draws(value)


@pytest.mark.parametrize("value", [True, 2.0, "2000", None])
def test_draws_that_are_not_whole_numbers_are_refused_with_their_type(value):
    with pytest.raises(InputError, match=rf"got {value!r} \({type(value).__name__}\)"):
        check_draws(value)


def test_a_refused_value_names_the_callers_file_and_key():
    with pytest.raises(InputError) as exc:
        check_draws(0, path="runs.yaml", key="jobs.draws")
    assert (exc.value.path, exc.value.key) == ("runs.yaml", "jobs.draws")
    assert str(exc.value).startswith("runs.yaml: key 'jobs.draws': expected a whole number of Monte Carlo draws")


def test_text_that_reads_as_a_number_gets_a_hint_to_write_it_out():
    with pytest.raises(InputError, match=r"'1e5' is text: write the number out \(100000\)"):
        check_draws("1e5")


@pytest.mark.parametrize("value", [0, 7, 2**63 - 1])
def test_seeds_from_0_to_2_63_minus_1_are_accepted(value):
    assert check_seed(value) == value


@pytest.mark.parametrize("value", [-1, 2**63])
def test_seeds_outside_0_to_2_63_minus_1_are_refused_with_key_seed(value):
    with pytest.raises(InputError, match=f"random seed, got {value}$") as exc:
        check_seed(value)
    assert exc.value.key == "seed"


def test_whole_number_bounds_include_both_ends():
    assert check_whole_number(3, low=3, high=3, what="three") == 3
    with pytest.raises(InputError, match="expected three, got 4"):
        check_whole_number(4, low=3, high=3, what="three")
