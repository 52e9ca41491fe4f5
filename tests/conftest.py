"""Shared fixtures: run the CLI in-process and write small observation files."""
from __future__ import annotations

import contextlib
import io
import os

import pytest

# Charts are rendered off-screen in tests.
os.environ.setdefault("MPLBACKEND", "Agg")
# Results cached across runs (econsim.io.cache) go to a directory of this test session, not ~/.cache.
if "ECONSIM_CACHE_DIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ["ECONSIM_CACHE_DIR"] = tempfile.mkdtemp(prefix="econsim-test-cache-")
    atexit.register(shutil.rmtree, os.environ["ECONSIM_CACHE_DIR"], ignore_errors=True)

HEADER = "region,indicator,period,measure,value,unit,status,basis,source,locator"
GOOD_ROW = "dlhitech,gdp,2025,growth,6,pct,actual,comparable,work_report_2026,一(一)"


@pytest.fixture(scope="session")
def run_cli():
    """Run ``econsim ARGS`` in-process; returns (exit code, stdout, stderr).

    The one way tests run the command line.  It captures the two streams itself (not through
    ``capsys``), so module- and session-scoped fixtures can run a command once for many tests.
    """
    from econsim.cli import main

    def run(*args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args])
        return code, out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def obs_file(tmp_path):
    """Write an observations CSV from lines (header added unless given) and return its path."""

    def write(*rows, header=HEADER, name="obs.csv"):
        path = tmp_path / name
        lines = ([header] if header is not None else []) + list(rows)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


def _zone_csv(region: str = "myzone", source: str = "zone_bulletin", locator: str = "table 1",
              note: str = "") -> str:
    """A made-up one-region observations CSV: GDP and industry growth 2018–2025, a 2025 GDP level and a
    2026 GDP growth target of 5.5%."""
    q = lambda s: '"' + s.replace('"', '""') + '"'
    tail = f"{q(source)},{q(locator)},official,{q(note)}"
    rows = ["region,indicator,period,measure,value,unit,status,basis,source,locator,source_quality,note"]
    gdp = [7.1, 6.4, 2.5, 8.3, 3.9, 5.6, 5.2, 5.0]
    ind = [8.0, 7.2, 3.1, 10.5, 4.4, 6.8, 6.1, 5.9]
    for key, values in (("gdp", gdp), ("industrial_va", ind)):
        rows += [f"{q(region)},{key},{2018 + i},growth,{v},pct,actual,comparable,{tail}"
                 for i, v in enumerate(values)]
    rows.append(f"{q(region)},gdp,2025,level,812.5,CNY_100m,actual,nominal,{tail}")
    rows.append(f"{q(region)},gdp,2026,growth,5.5,pct,target,comparable,{tail}")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="session")
def zone_csv():
    """The text of a made-up one-region observations CSV (keywords: region, source, locator, note)."""
    return _zone_csv


def _kernel_stand_in(monkeypatch, calls=None):
    """papermill replaced by a stand-in that displays exactly what the report's kernel would: every
    section of ``ForecastReport`` for the parameters given, one cell each (no kernel is started)."""
    import nbformat
    import papermill

    from econsim.report.worker import ForecastReport

    def execute_notebook(input_path, output_path, parameters=None, **kwargs):
        if calls is not None:
            calls.append(parameters)
        nb = nbformat.read(input_path, as_version=4)
        for name, bundles in ForecastReport(parameters).all_outputs().items():
            cell = nbformat.v4.new_code_cell(f"rep.show({name!r})")
            cell.outputs = [nbformat.v4.new_output("display_data", data=b) for b in bundles]
            nb.cells.append(cell)
        nbformat.write(nb, output_path)
        return nb

    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)


@pytest.fixture(scope="session")
def kernel_stand_in():
    """``kernel_stand_in(monkeypatch, calls=None)`` replaces papermill by the report's sections, no kernel."""
    return _kernel_stand_in
