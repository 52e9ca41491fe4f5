"""The Dask layer: the same bytes in-process and on a cluster, whatever the partitions; a lost worker is survived."""
import os

import numpy as np
import pandas as pd
import pytest

distributed = pytest.importorskip("dask.distributed")

from econsim.distributed import map_items, map_partitions_over_series, partition_series  # noqa: E402


def per_series_summary(frame):
    """A per-series function as a panel forecast would be: one row per series, from its values only."""
    rows = []
    for uid, series in frame.sort_values(["unique_id", "ds"]).groupby("unique_id", sort=True):
        y = series["y"].to_numpy()
        rows.append({"unique_id": uid, "mean": float(np.mean(y)), "last": float(y[-1]), "n": len(y)})
    return pd.DataFrame(rows, columns=["unique_id", "mean", "last", "n"])


@pytest.fixture(scope="module")
def panel():
    rng = np.random.default_rng(0)
    ids = [f"s{i:03d}" for i in range(23)]
    return pd.DataFrame({"unique_id": np.repeat(ids, 6), "ds": np.tile(np.arange(6), 23),
                         "y": rng.normal(size=23 * 6)}).sample(frac=1, random_state=1)


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


def test_partitions_hold_whole_series(panel):
    parts = partition_series(panel, "unique_id", 4)
    assert len(parts) == 4
    ids = [set(p["unique_id"]) for p in parts]
    assert sum(len(s) for s in ids) == 23 and set().union(*ids) == set(panel["unique_id"])


@pytest.mark.parametrize("partitions", [1, 3, 23])
def test_panel_result_is_identical_in_process_and_on_a_cluster_for_any_partition_count(panel, client, partitions):
    here = map_partitions_over_series(per_series_summary, panel, None, progress=False)
    there = map_partitions_over_series(per_series_summary, panel, client, partitions=partitions, progress=False)
    assert here.to_csv(index=False) == there.to_csv(index=False)
    assert here["n"].tolist() == [6] * 23


def test_sweep_csv_is_identical_in_process_and_on_a_cluster(client):
    from econsim.data.dataset import load_dataset
    from econsim.scenario.sweep import sweep

    ds = load_dataset()
    kw = dict(draws=60, seed=5, dataset=ds, progress=False)
    here = sweep("baseline", ["gdp.growth.2027=4:7:1.5"], **kw)
    there = sweep("baseline", ["gdp.growth.2027=4:7:1.5"], client=client, **kw)
    assert here.to_csv(index=False) == there.to_csv(index=False)


def die_once_then_square(args):
    """Kill the worker process running it the first time (marker file absent), else return x²."""
    x, marker = args
    if x == 2 and not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(1)
    return x * x


def test_a_killed_worker_is_survived_and_the_result_is_unchanged(tmp_path):
    import cloudpickle
    import sys

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    marker = str(tmp_path / "killed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        out = map_items(die_once_then_square, [(x, marker) for x in range(5)], c, progress=False)
    assert os.path.exists(marker)          # a worker really died
    assert out == [0, 1, 4, 9, 16]


def test_regions_are_identical_in_process_and_on_a_cluster(client):
    from econsim.data.dataset import load_dataset
    from econsim.scenario.files import load_scenario
    from econsim.scenario.regions import project_regions

    ds, sc = load_dataset(), load_scenario("baseline")
    here = project_regions(sc, ds, ["dalian", "dlhitech"], draws=50, progress=False)
    there = project_regions(sc, ds, ["dalian", "dlhitech"], draws=50, client=client, progress=False)
    for a, b in zip(here, there):
        assert a.to_csv(index=False) == b.to_csv(index=False)


# ---------------------------------------------------------------- panels: learning across series, on Dask

def learning_panel(count=40):
    """Series of 4–9 values (levels of several sizes and growth rates, some negative): every stage has work."""
    rng = np.random.default_rng(11)
    rows = []
    for i in range(count):
        n = 4 + i % 6
        y = 100 * np.exp(np.cumsum(rng.normal(0.05, 0.1, n))) if i % 3 else rng.normal(2, 3, n)
        rows += [(f"r{i:03d}", 2010 + t, float(v)) for t, v in enumerate(y)]
    return pd.DataFrame(rows, columns=["unique_id", "ds", "y"])


@pytest.mark.parametrize("partitions", [None, 1, 3, 40])
def test_panel_forecast_is_identical_in_process_and_on_a_cluster_for_any_partition_count(client, partitions):
    from econsim.forecasting.panel import forecast_panel

    panel = learning_panel()
    here = forecast_panel(panel, 4).to_csv(index=False)
    there = forecast_panel(panel, 4, client=client, partitions=partitions).to_csv(index=False)
    assert there == here


def test_panel_forecast_is_identical_on_two_worker_processes():
    from econsim.forecasting.panel import forecast_panel

    panel = learning_panel()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        there = forecast_panel(panel, 4, client=c).to_csv(index=False)
    assert there == forecast_panel(panel, 4).to_csv(index=False)


class DieOnceInStage(distributed.WorkerPlugin):
    """Kill the worker process that starts a task of `stage` first (marker file absent)."""

    def __init__(self, stage, marker):
        self.stage, self.marker = stage, marker

    def transition(self, key, start, finish, **kwargs):
        if finish == "executing" and str(key).startswith(self.stage) and not os.path.exists(self.marker):
            open(self.marker, "w").close()
            os._exit(1)


def test_a_worker_killed_mid_panel_is_survived_and_the_forecast_is_unchanged(tmp_path):
    import cloudpickle
    import sys

    from econsim.forecasting.panel import forecast_panel

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    panel = learning_panel()
    marker = str(tmp_path / "killed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        # after the first stages, so that pieces kept on the lost worker must be recomputed
        c.register_plugin(DieOnceInStage("_stage_errors", marker))
        there = forecast_panel(panel, 4, client=c, partitions=6).to_csv(index=False)
    assert os.path.exists(marker)          # a worker really died
    assert there == forecast_panel(panel, 4).to_csv(index=False)


def test_panel_backtest_is_identical_in_process_and_on_a_cluster(client):
    from econsim.forecasting.panel_backtest import backtest_panel

    panel = learning_panel(24)
    here = backtest_panel(panel, 2)
    there = backtest_panel(panel, 2, client=client, partitions=5)
    assert there.to_csv(index=False) == here.to_csv(index=False)
    assert here["origins"].iloc[0] == 6       # cut-offs 2013–2018: series reach 4–9 values from 2010
