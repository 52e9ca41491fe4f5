"""Fixtures of the command-line specifications: one good baseline run shared by the tests of its
outputs and by the bad-input tests aimed at its folder, and the bad-input contract as a check.

Bad input is specified the hard way: a good ``econsim run baseline --out D`` is made first, then the
bad command is pointed at the same D, and D must be byte-for-byte what it was (no new, changed or
stray staging files), with exit code 2 and exactly one stderr line ``econsim: error: ...`` naming the
file and the key.  The same command aimed at a folder that does not exist yet must not create it.
"""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

DRAWS = 300


def snapshot(folder: Path) -> dict:
    """Every file under `folder`'s parent by content (the siblings too, to catch stray staging dirs)."""
    return {str(p.relative_to(folder.parent)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.parent.rglob("*"))}


def one_line_error(code, out, err, *names):
    """The contract for bad input: exit 2, one stderr line naming each of `names`, no traceback."""
    assert code == 2, (code, err)
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("econsim: error:"), err
    assert "Traceback" not in err and out == ""
    for name in names:
        assert str(name) in err, (name, err)


@pytest.fixture
def assert_one_line_error():
    """``assert_one_line_error(code, out, err, *names)``: exit 2, one line naming each name, no traceback."""
    return one_line_error


@pytest.fixture(scope="session")
def good_run_with_noise(run_cli, tmp_path_factory):
    """A good ``econsim run baseline --seed 7 --draws 300 --out D``: (D, its stdout, its stderr, warnings)."""
    out = tmp_path_factory.mktemp("good") / "D"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, stdout, stderr = run_cli("run", "baseline", "--seed", 7, "--draws", DRAWS, "--out", out)
    assert code == 0, stderr
    return out, stdout, stderr, [str(w.message) for w in caught]


@pytest.fixture(scope="session")
def good_run(good_run_with_noise):
    """The folder D of the good baseline run."""
    return good_run_with_noise[0]


@pytest.fixture
def results(good_run, tmp_path):
    """A private copy of the good results folder D, and its snapshot, for a bad command to aim at."""
    d = tmp_path / "results" / "D"   # alone in its parent, so stray staging folders show up
    shutil.copytree(good_run, d)
    return d, snapshot(d)


@pytest.fixture
def refused_into(run_cli, results):
    """``refused_into(*args, names=...)``: run a bad command with ``--out D``, check the one-line error
    naming `names` and that D is untouched; then with ``--out`` a new folder, which must not appear.
    Returns the error line."""

    def refuse(*args, names=()):
        d, before = results
        code, out, err = run_cli(*args, "--out", d)
        one_line_error(code, out, err, *names)
        assert snapshot(d) == before, "the previous good results changed"
        fresh = d.parent.parent / "new"
        one_line_error(*run_cli(*args, "--out", fresh), *names)
        assert not fresh.exists(), "a refused command created its output folder"
        return err

    return refuse
