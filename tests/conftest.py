"""Shared fixtures: run the CLI in-process and write small observation files."""
from __future__ import annotations

import contextlib
import io
import os

import pytest

# Charts are rendered off-screen in tests.
os.environ.setdefault("MPLBACKEND", "Agg")

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
