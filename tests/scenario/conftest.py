"""Fixtures shared by the scenario tests: the bundled dataset and baseline scenario, loaded once."""
import pytest


@pytest.fixture(scope="session")
def ds():
    from econsim.data.dataset import load_dataset

    return load_dataset()


@pytest.fixture(scope="session")
def baseline():
    from econsim.scenario.files import load_scenario

    return load_scenario("baseline")
