"""Specification of econsim.io.cache: results reused across runs only for identical inputs and code."""
from __future__ import annotations

import pytest

from econsim.data.dataset import load_dataset
from econsim.io.cache import cached


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ECONSIM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ECONSIM_CACHE", raising=False)
    return tmp_path / "cache"


def _counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_result_is_computed_once_for_the_same_inputs(cache):
    compute, calls = _counting({"x": 1.5})
    assert cached("k", ["a", 1], compute) == {"x": 1.5}
    assert cached("k", ["a", 1], compute) == {"x": 1.5}
    assert len(calls) == 1


def test_other_inputs_are_computed_anew(cache):
    compute, calls = _counting(3)
    cached("k", ["a"], compute)
    cached("k", ["b"], compute)
    assert len(calls) == 2


def test_a_damaged_entry_is_recomputed(cache):
    compute, calls = _counting(7)
    cached("k", ["a"], compute)
    for entry in (cache / "k").iterdir():
        entry.write_bytes(b"not a pickle")
    assert cached("k", ["a"], compute) == 7 and len(calls) == 2


def test_caching_can_be_switched_off(cache, monkeypatch):
    monkeypatch.setenv("ECONSIM_CACHE", "off")
    compute, calls = _counting(1)
    cached("k", ["a"], compute)
    cached("k", ["a"], compute)
    assert len(calls) == 2 and not cache.exists()


def test_a_cached_reconstruction_equals_a_fresh_one(cache, monkeypatch):
    first = load_dataset(None).reconstruct("dlhitech")      # computed and stored
    again = load_dataset(None).reconstruct("dlhitech")      # read back
    monkeypatch.setenv("ECONSIM_CACHE", "off")
    fresh = load_dataset(None).reconstruct("dlhitech")
    assert again.paths.equals(fresh.paths) and again.conflicts == fresh.conflicts
    assert again.paths.to_csv() == first.paths.to_csv()
