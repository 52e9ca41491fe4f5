"""The tables and charts of the report's sections, computed from a dataset and projections.

Each function returns what one part of the report shows (latest figures, the 十四五 history,
the nowcast, scenario comparisons, model diagnostics, provenance); :mod:`econsim.report.worker`
assembles them into the report's sections.
"""
from __future__ import annotations


from ..errors import InputError
from .display import _pick, note


# --------------------------------------------------------------------------- notebook glue
# What the report notebook displays, section by section.  Each helper returns something a
# notebook renders richly (Markdown, a pandas Styler, a matplotlib Figure) and computes
# nothing the library does not already compute.

FOURTEENTH_PLAN = (2020, 2025)  # 十四五 2021–2025, with 2020 as its base year


def latest_figures(dataset, region: str):
    """The latest reported annual figure of each indicator (level and growth), with its source.

    Returns
    -------
    pandas.DataFrame
        ``indicator, name, year, measure, value, unit, status, source, locator``; reported figures only.
    """
    from .. import indicators as _ind
    from ..data.schema import REPORTED_STATUSES, STATUS_RANK

    obs = dataset.select(region=region, measure=["level", "growth"], status=REPORTED_STATUSES)
    obs = obs[obs["period"].str.fullmatch(r"\d{4}")]
    obs = obs.assign(_rank=obs["status"].map(STATUS_RANK), year=obs["period"].astype(int))
    obs = obs.sort_values(["indicator", "measure", "year", "_rank"], ascending=[True, True, False, True])
    latest = obs.drop_duplicates(["indicator", "measure"])
    latest = latest.assign(name=latest["indicator"].map(_ind.label))
    return latest[["indicator", "name", "year", "measure", "value", "unit", "status", "source",
                   "locator"]].reset_index(drop=True)


def consistency_findings(dataset, region: str):
    """The consistency findings of `region` as a table (:func:`econsim.checks.findings_frame`)."""
    from ..data.checks import findings_frame

    return findings_frame(dataset.check(region=region))


def plan_history(dataset, region: str, measure: str = "growth", years=FOURTEENTH_PLAN):
    """The 十四五 history: annual figures 2020–2025, reported ones first, reconstructed ones filling gaps.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``indicator, name, year, measure, value, unit, status, source, locator``; status
        ``derived`` marks what econsim reconstructed (never presented as reported).
    """
    from .. import indicators as _ind
    from ..data.schema import COLUMNS, STATUS_RANK

    import pandas as pd

    frames = [dataset.select(region=region, measure=measure)]
    rec = dataset.reconstruct(region)
    if rec is not None and len(rec.paths):
        paths = rec.paths
        frames.append(paths[paths["measure"] == measure][list(COLUMNS)])
    obs = pd.concat(frames, ignore_index=True)
    obs = obs[obs["period"].str.fullmatch(r"\d{4}") & (obs["status"] != "target")]
    obs = obs.assign(year=obs["period"].astype(int), _rank=obs["status"].map(STATUS_RANK))
    obs = obs[(obs["year"] >= years[0]) & (obs["year"] <= years[1])]
    obs = obs.sort_values(["indicator", "year", "_rank"]).drop_duplicates(["indicator", "year"])
    obs = obs.assign(name=obs["indicator"].map(_ind.label))
    return obs[["indicator", "name", "year", "measure", "value", "unit", "status", "source",
                "locator"]].reset_index(drop=True)


def plan_history_wide(history):
    """`history` (from :func:`plan_history`) as indicators × years, derived values marked ``*``."""
    cells = history.assign(cell=[f"{v:.2f}{'*' if s == 'derived' else ''}"
                                 for v, s in zip(history["value"], history["status"])])
    wide = cells.pivot(index="name", columns="year", values="cell").fillna("–")
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index().rename(columns={"name": "指标 indicator"})


def plan_history_chart(history, language: str = "zh-en"):
    """Line chart of the 十四五 history: filled markers reported, hollow markers derived.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    from ..plotting import chart_style

    with chart_style():
        fig = Figure(figsize=(8, 4.4), layout="constrained")
        ax = fig.add_subplot()
        for i, ((_key, name), g) in enumerate(history.groupby(["indicator", "name"], sort=False)):
            g = g.sort_values("year")
            color = f"C{i % 10}"
            ax.plot(g["year"], g["value"], color=color, lw=1.5, label=name)
            rep, der = g[g["status"] != "derived"], g[g["status"] == "derived"]
            ax.plot(rep["year"], rep["value"], "o", color=color)
            ax.plot(der["year"], der["value"], "o", mfc="white", color=color)
        measure = history["measure"].iloc[0] if len(history) else "growth"
        ax.set_ylabel(_pick(language, "增长率 (%)", "growth (%)") if measure == "growth"
                      else _pick(language, "水平", "level"))
        ax.set_title(_pick(language, "十四五时期 2021–2025(实心 = 公布数, 空心 = 推算值)",
                           "14th Five-Year Plan 2021–2025 (filled = reported, hollow = derived)"), fontsize=10)
        ax.legend(fontsize=7, loc="best")
        ax.grid(alpha=0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
    return fig


def nowcast_table(dataset, as_of: str, region: str):
    """The year-to-date nowcast of `region` as of `as_of` (may be empty: see :func:`nowcast_message`)."""
    from ..forecasting.nowcast import nowcast

    return nowcast(dataset, as_of, region=region).to_frame()


def nowcast_message(table, as_of: str, language: str = "zh-en"):
    """What the nowcast section says: which months it used, or plainly that the year has no data yet."""
    year = int(as_of[:4])
    month = int(as_of[5:])
    if len(table):
        return note(f"截至 {as_of}，依据 {year} 年 1–{month} 月累计数据推算全年（推算值，非公布数）。",
                    f"As of {as_of}: full-year estimates from the year-to-date (1–{month}) figures of {year} "
                    "(derived by econsim, not reported).", language)
    return note(f"截至 {as_of}，尚无 {year} 年的年初至今（累计）数据，本节没有 {year} 年的现时预测。",
                f"As of {as_of} there are no year-to-date figures for {year} yet, so there is no nowcast "
                f"for {year}.", language)


def comparison_table(projections):
    """Scenarios side by side: median growth with its 80% band, per indicator and year.

    Returns
    -------
    pandas.DataFrame
        ``indicator, year`` and one column per scenario holding ``p50 (p10 – p90)`` in percent,
        from :func:`econsim.simulate.compare`.
    """
    from ..scenario.projection import compare

    tidy = compare(projections)
    tidy = tidy.assign(cell=[f"{m:.1f} ({lo:.1f} – {hi:.1f})" for m, lo, hi in
                             zip(tidy["p50"], tidy["p10"], tidy["p90"])])
    order = list(dict.fromkeys(tidy["scenario"]))
    wide = tidy.pivot_table(index=["name", "year"], columns="scenario", values="cell", aggfunc="first", sort=False)
    wide = wide[order].reset_index().rename(columns={"name": "指标 indicator", "year": "年份 year"})
    wide.columns.name = None
    return wide


def comparison_chart(projections):
    """Median and 80% band of each scenario, one panel per indicator (:mod:`econsim.plotting`)."""
    from ..plotting import comparison_chart

    return comparison_chart(projections)


def model_diagnostics(dataset, region: str, measure: str = "growth", min_length: int = 5, h: int = 1):
    """Rolling-origin backtest of the auto forecaster on each of the zone's annual series.

    Returns
    -------
    pandas.DataFrame
        ``name, years, smape, mase, coverage_80, coverage_95, origins``; series shorter
        than `min_length` years are left out (too short to judge a forecaster).
    """
    import pandas as pd

    from .. import indicators as _ind
    from ..forecasting.backtest import backtest

    rows = []
    for key in _ind.INDICATORS:
        try:
            y = dataset.series(key, region=region, measure=measure)
        except InputError:
            continue
        if len(y) < min_length:
            continue
        s = backtest(y, h=h, min_train=3).summary
        rows.append({"name": _ind.label(key), "years": f"{y.index[0]}–{y.index[-1]}",
                     **{k: s.get(k) for k in ("smape", "mase", "coverage_80", "coverage_95", "origins")}})
    return pd.DataFrame(rows)


def provenance(dataset, region: str, projections=()):
    """Every figure the report uses, with its source, locator and status.

    The region's observations (reported, targets), the reconstructed years (``derived``) and one
    row per projected indicator (``derived``: computed by econsim from the scenario file).
    """
    import pandas as pd

    from .. import indicators as _ind
    from ..data.schema import COLUMNS

    frames = [dataset.select(region=region)[list(COLUMNS)]]
    rec = dataset.reconstruct(region)
    if rec is not None and len(rec.paths):
        frames.append(rec.paths[list(COLUMNS)])
    rows = []
    for p in projections:
        src = str(p.scenario.path.name) if getattr(p.scenario, "path", None) else p.scenario.name
        for key in p.indicators:
            rows.append({"region": p.region, "indicator": key, "period": p.period_label,
                         "measure": "growth, level", "value": float("nan"), "unit": "pct",
                         "status": "derived", "source": f"econsim projection of scenario {p.scenario.name}",
                         "locator": f"{src}; {p.draws_count} draws, seed {p.seed}"})
    if rows:
        frames.append(pd.DataFrame(rows))
    out = pd.concat(frames, ignore_index=True)
    out.insert(2, "name", out["indicator"].map(_ind.label))
    return out[["name", "period", "measure", "value", "unit", "status", "source", "locator"]]
