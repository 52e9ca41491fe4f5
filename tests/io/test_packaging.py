"""A non-editable install carries the data, scenarios and notebooks and works from any directory."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed: {proc.stderr[-2000:]}")
    return next(out.glob("econsim-*.whl"))


def test_the_wheel_bundles_data_scenarios_and_notebooks(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "econsim/_bundled/data/observations.csv" in names
    assert any(n.startswith("econsim/_bundled/scenarios/") and n.endswith(".yaml") for n in names)
    assert "econsim/_bundled/notebooks/forecast_report.ipynb" in names


def test_the_wheel_marks_the_package_as_typed(wheel):
    # PEP 561: type checkers read econsim's annotations only when econsim/py.typed is installed.
    assert "econsim/py.typed" in zipfile.ZipFile(wheel).namelist()


def test_an_installed_wheel_finds_its_data_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target))
    code = ("import econsim, econsim.io.resources as r; ds = econsim.load_dataset(); "
            "print(ds.path); print(r.find('scenarios', 'baseline.yaml'))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    data_path, scenario_path = proc.stdout.split()
    assert data_path.startswith(str(target)) and scenario_path.startswith(str(target))
