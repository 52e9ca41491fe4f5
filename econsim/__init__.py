"""econsim: economic forecasting and scenario simulation for regional economists.

The four-call workflow::

    import econsim
    ds = econsim.load_dataset()                 # the bundled zone data, with provenance
    sc = econsim.load_scenario("baseline")      # scenarios/baseline.yaml
    p = econsim.project(sc, ds, seed=1)         # Monte Carlo paths 2026–2030
    p.fan_chart("gdp"); p.targets()             # a picture and a table

Heavy dependencies (pandas, statsmodels, matplotlib) are imported only when a function
that needs them is called, so ``import econsim`` is fast.
"""
from __future__ import annotations

import importlib

from ._version import __version__

# public name -> module that defines it (imported on first use).  No public name equals the name
# of a submodule of econsim (tests/test_architecture.py checks it), so importing any submodule never
# replaces a public function with a module.
_LAZY = {
    "InputError": "errors",
    "INDICATORS": "indicators",
    "load_dataset": "data.dataset",
    "Dataset": "data.dataset",
    "forecast": "forecasting.auto",
    "simulate_paths": "forecasting.auto",
    "forecast_panel": "forecasting.panel",
    "backtest": "forecasting.backtest",
    "backtest_panel": "forecasting.panel_backtest",
    "nowcast": "forecasting.nowcast",
    "load_scenario": "scenario.files",
    "Scenario": "scenario.spec",
    "project": "scenario.projection",
    "Projection": "scenario.projection",
    "compare": "scenario.projection",
    "write_workbook": "scenario.export",
    "sweep": "scenario.sweep",
    "required_growth": "scenario.targets",
    "required_growth_for_average": "scenario.targets",
    "render_report": "report.render",
    "lab": "report.lab",
    "ScenarioLab": "report.lab",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'econsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
