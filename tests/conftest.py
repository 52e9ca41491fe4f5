"""Shared fixtures: run the CLI in-process and write small observation files."""
from __future__ import annotations

import os

import pytest

# Charts are rendered off-screen in tests.
os.environ.setdefault("MPLBACKEND", "Agg")

HEADER = "region,indicator,period,measure,value,unit,status,basis,source,locator"
GOOD_ROW = "dlhitech,gdp,2025,growth,6,pct,actual,comparable,work_report_2026,一(一)"


@pytest.fixture
def run_cli(capsys):
    """Run ``econsim ARGS`` in-process; returns (exit code, stdout, stderr)."""
    from econsim.cli import main

    def run(*args):
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

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
