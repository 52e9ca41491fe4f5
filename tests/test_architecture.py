"""The package's shape as a specification: no import cycles, layers that only look down, a public
front whose names stay functions whatever else is imported, and an ``import econsim`` that stays light.

The import graph is read from the source with :mod:`ast` (every ``import``, also inside functions,
relative imports resolved), so an import hidden in a function cannot hide a cycle.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

import econsim

PACKAGE_DIR = Path(econsim.__file__).resolve().parent

# bottom -> top; a module may import its own layer or any layer below it, never one above.
LAYERS = [
    ("bottom", ["econsim._version", "econsim.errors", "econsim.indicators", "econsim.periods", "econsim.io",
                "econsim.plotting", "econsim.distributed"]),
    ("data", ["econsim.data"]),
    ("forecasting", ["econsim.forecasting"]),
    ("scenario", ["econsim.scenario"]),
    ("report", ["econsim.report"]),
    ("cli", ["econsim.cli"]),
    ("front", ["econsim", "econsim.__main__"]),
]
HEAVY = ("pandas", "statsmodels", "matplotlib", "scipy", "papermill")


# --------------------------------------------------------------------------- the import graph, from source

def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    """Every module of the package by dotted name (packages by their ``__init__.py``)."""
    return {module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The econsim modules that module `name` imports anywhere in its source."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:
                # ``from pkg import sub`` imports the submodule pkg.sub; ``from mod import name`` imports mod
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = source_modules()
    known = set(modules)
    return {name: imported_modules(name, path, known) for name, path in modules.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a closed path) through each strongly connected component bigger than one module."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def connect(v):  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            connect(v)

    cycles = []
    for component in components:
        start = min(component)
        # breadth-first search inside the component for the shortest way back to `start`
        previous, frontier = {start: None}, [start]
        while frontier and start not in [w for v in frontier for w in graph[v]]:
            nxt = []
            for v in frontier:
                for w in sorted(graph[v] & component):
                    if w not in previous:
                        previous[w] = v
                        nxt.append(w)
            frontier = nxt
        last = next(v for v in frontier if start in graph[v])
        path = [last]
        while previous[path[-1]] is not None:
            path.append(previous[path[-1]])
        cycles.append(path[::-1] + [start])
    return cycles


def layer_of(module: str) -> int:
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or (p != "econsim" and module.startswith(p + ".")) for p in prefixes):
            return rank
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS in {__file__}")


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_the_graph_reader_sees_imports_inside_functions_and_relative_imports(graph):
    # cli imports the scenario layer inside its command functions, relatively
    assert "econsim.errors" in graph["econsim.cli"]
    assert any(m.startswith("econsim.scenario.") for m in graph["econsim.cli"])
    # the package front names its modules only in the _LAZY map, which is no import
    assert graph["econsim.__main__"] == {"econsim.cli"}


def test_the_cycle_finder_names_a_cycle_hidden_in_a_function():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_econsim_modules(graph):
    cycles = find_cycles(graph)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_every_module_belongs_to_a_layer(graph):
    for module in graph:
        layer_of(module)


def test_no_module_imports_a_layer_above_its_own(graph):
    upward = [f"{m} ({LAYERS[layer_of(m)][0]}) imports {t} ({LAYERS[layer_of(t)][0]})"
              for m, targets in sorted(graph.items()) for t in sorted(targets) if layer_of(t) > layer_of(m)]
    assert upward == [], "imports against the layering:\n" + "\n".join(upward)


def test_the_data_schema_imports_nothing_of_econsim(graph):
    assert graph["econsim.data.schema"] == set()


def test_io_imports_nothing_of_econsim_but_errors(graph):
    # econsim/io/__init__.py: "the bottom layer with econsim.errors; it imports nothing else of econsim"
    assert {t for m, targets in graph.items() if m.startswith("econsim.io") for t in targets} <= {"econsim.errors"}


def test_no_module_of_the_package_imports_the_public_front(graph):
    # ``from econsim import forecast`` inside the package would tie a layer to the top of the package
    assert [m for m, targets in graph.items() if "econsim" in targets] == []


# --------------------------------------------------------------------------- the public front

def every_submodule() -> list[str]:
    """Every importable module of the package.  ``econsim.__main__`` is left out: importing it runs the CLI."""
    names = [m.name for m in pkgutil.walk_packages(econsim.__path__, "econsim.")]
    return sorted(n for n in names if not n.endswith(".__main__") and "._bundled" not in n)


def test_the_walk_finds_every_module_in_the_source():
    runnable = {n for n in source_modules() if n.endswith(".__main__")}  # python -m econsim[.report]
    assert set(every_submodule()) == set(source_modules()) - {"econsim"} - runnable


@pytest.fixture(scope="module")
def everything_imported():
    """The package with every submodule imported: the state in which a shadowed public name shows."""
    for name in every_submodule():
        importlib.import_module(name)
    return econsim


def test_every_name_in_all_resolves(everything_imported):
    missing = [n for n in econsim.__all__ if not hasattr(econsim, n)]
    assert missing == []


def test_every_public_name_stays_a_function_or_class_after_every_submodule_is_imported(everything_imported):
    wrong = {n: type(getattr(econsim, n)).__name__ for n in econsim.__all__
             if n not in {"__version__", "INDICATORS"}
             and not (inspect.isfunction(getattr(econsim, n)) or inspect.isclass(getattr(econsim, n)))}
    assert wrong == {}
    assert isinstance(econsim.INDICATORS, dict) and isinstance(econsim.__version__, str)


def test_no_exported_name_equals_a_submodule_name_of_its_package(everything_imported):
    clashes = []
    for name in ["econsim"] + every_submodule():
        package = sys.modules[name]
        if not hasattr(package, "__path__"):
            continue
        submodules = {m.name for m in pkgutil.iter_modules(package.__path__)}
        clashes += [f"{name}.{n}" for n in getattr(package, "__all__", ()) if n in submodules]
        clashes += [f"{name}.{n} is a module" for n in getattr(package, "__all__", ())
                    if isinstance(getattr(package, n, None), types.ModuleType)]
    assert clashes == []


def test_from_econsim_import_compare_and_required_growth_for_average_works():
    from econsim import compare, required_growth_for_average

    assert callable(compare) and callable(required_growth_for_average)


def test_nowcast_is_still_callable_after_its_module_is_imported():
    import econsim.forecasting.nowcast  # noqa: F401  (the import that used to shadow the function)

    result = econsim.nowcast(econsim.load_dataset(), "2025-09", region="dalian")
    gdp = result.to_frame().set_index("indicator").loc["gdp"]
    assert gdp.lo_95 <= gdp.estimate <= gdp.hi_95


GROWTH = [7.1, 6.9, 6.5, 6.0, 6.0, 5.2, 6.4]


@pytest.fixture(scope="module")
def baseline_and_downside():
    ds = econsim.load_dataset()
    return [econsim.project(econsim.load_scenario(name), ds, draws=50, seed=1) for name in ("baseline", "downside")]


def call_forecast():
    fc = econsim.forecast(GROWTH, 2)
    assert len(fc) == 2 and (fc.lo_95 <= fc["mean"]).all() and (fc["mean"] <= fc.hi_95).all()


def call_simulate_paths():
    assert econsim.simulate_paths(GROWTH, 3, draws=20, seed=1).shape == (20, 3)


def call_backtest():
    result = econsim.backtest(GROWTH, h=1, min_train=5)
    assert sorted(result.errors.origin) == [5, 6]      # one step ahead from origins 5 and 6 of 7 values
    assert result.summary["origins"] == 2


def call_nowcast():
    frame = econsim.nowcast(econsim.load_dataset(), "2025-09", region="dalian").to_frame()
    assert set(frame.region) == {"dalian"} and "gdp" in set(frame.indicator)


def call_load_dataset():
    assert isinstance(econsim.load_dataset(), econsim.Dataset)


def call_load_scenario():
    sc = econsim.load_scenario("baseline")
    assert isinstance(sc, econsim.Scenario) and sc.name == "baseline"


def call_project(projections):
    assert all(isinstance(p, econsim.Projection) for p in projections)


def call_compare(projections):
    table = econsim.compare(projections)
    assert set(table.scenario) == {"baseline", "downside"}


def call_required_growth():
    # 100 -> 121 in two years is 10% a year
    assert econsim.required_growth(121.0, 100.0, years=2) == pytest.approx(10.0)


def call_required_growth_for_average():
    # 6% a year on average over two years with 4% in the first: 1.06**2 / 1.04 - 1
    assert econsim.required_growth_for_average(6.0, [4.0], years=2) == pytest.approx((1.06**2 / 1.04 - 1) * 100)


def call_forecast_panel():
    import pandas as pd

    panel = pd.DataFrame({"unique_id": ["a"] * 4 + ["b"] * 4, "ds": list(range(2021, 2025)) * 2,
                          "y": [1.0, 2.0, 3.0, 4.0, 10.0, 11.0, 12.0, 13.0]})
    fc = econsim.forecast_panel(panel, 2)
    assert list(fc.columns) == ["unique_id", "ds", "mean", "lo_80", "hi_80", "lo_95", "hi_95"]
    assert fc.ds.tolist() == [2025, 2026, 2025, 2026]


def call_backtest_panel():
    import pandas as pd

    # two straight lines: at the 2024 cut-off each is forecast from 2021–2023
    panel = pd.DataFrame({"unique_id": ["a"] * 4 + ["b"] * 4, "ds": list(range(2021, 2025)) * 2,
                          "y": [1.0, 2.0, 3.0, 4.0, 10.0, 11.0, 12.0, 13.0]})
    scores = econsim.backtest_panel(panel, 1)
    assert scores["scope"].tolist() == ["overall", "series", "series"]
    assert scores["origins"].tolist() == [1, 1, 1]


CALLS = {
    "forecast": call_forecast, "simulate_paths": call_simulate_paths, "backtest": call_backtest,
    "nowcast": call_nowcast, "load_dataset": call_load_dataset, "load_scenario": call_load_scenario,
    "project": call_project, "compare": call_compare, "required_growth": call_required_growth,
    "required_growth_for_average": call_required_growth_for_average, "forecast_panel": call_forecast_panel,
    "backtest_panel": call_backtest_panel,
}
# public functions not called here, and where they are exercised instead
CALLED_ELSEWHERE = {"render_report": "executes a notebook: tests/report/test_render.py",
                    "lab": "opens widgets and writes files: tests/report/test_lab.py",
                    "write_workbook": "writes a workbook: tests/scenario/test_export.py",
                    "sweep": "projects many scenario points: tests/scenario/test_sweep.py"}


def test_every_public_function_is_called_here_or_named_as_called_elsewhere():
    functions = {n for n in econsim.__all__ if inspect.isfunction(getattr(econsim, n))}
    assert functions == set(CALLS) | set(CALLED_ELSEWHERE)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_public_function_works_after_every_submodule_is_imported(everything_imported, name,
                                                                      baseline_and_downside):
    assert inspect.isfunction(getattr(econsim, name))
    call = CALLS[name]
    call(baseline_and_downside) if inspect.signature(call).parameters else call()


# --------------------------------------------------------------------------- import econsim stays light

def test_import_econsim_does_not_import_heavy_libraries():
    code = f"import sys, econsim; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
