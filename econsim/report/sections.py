"""What the report's sections are made of: tables, sentences and charts computed from the library.

Each helper returns a DataFrame, a list of sentences or a matplotlib Figure; :mod:`.worker` turns
them into the report's sections and :mod:`.display` into escaped HTML.  Nothing here is computed
that the library does not already compute: probabilities and quantiles come from the projection,
findings from :mod:`econsim.data.checks`, backtests from :mod:`econsim.forecasting.backtest`.
"""
from __future__ import annotations


from ..errors import InputError
from .display import _pick, note


# --------------------------------------------------------------------------- notebook glue
# What the report notebook displays, section by section.  Each helper returns something a
# notebook renders richly (Markdown, a pandas Styler, a matplotlib Figure) and computes
# nothing the library does not already compute.

FOURTEENTH_PLAN = (2020, 2025)  # 十四五 2021–2025, with 2020 as its base year


#: Figures older than this many years before ``as_of`` are not "latest data" (they are listed by name).
STALE_YEARS = 2


def latest_figures(dataset, region: str, as_of: str | None = None):
    """The latest reported figure of each indicator known as of `as_of` (annual or year-to-date).

    A figure counts as known when its period has ended by `as_of` (an annual figure for Y from
    Y-12 on; a year-to-date one from its month) and, where the data say when it was published, it
    was published by then.  Of each indicator and measure the latest period wins.

    Returns
    -------
    pandas.DataFrame
        ``indicator, name, period, measure, value, unit, status, source``; reported figures only.
        ``frame.attrs["stale"]`` names the indicators whose latest figure is more than
        :data:`STALE_YEARS` years older than `as_of` (left out of the table).
    """
    from .. import indicators as _ind
    from ..data.schema import REPORTED_STATUSES, STATUS_RANK

    obs = dataset.select(region=region, measure=["level", "growth", "ytd_growth", "ytd_level"],
                         status=REPORTED_STATUSES)
    obs = obs[obs["period"].str.fullmatch(r"\d{4}(-\d{2})?")]
    # an annual figure for year Y is complete at the end of Y: it counts as of Y-12
    order = obs["period"].where(obs["period"].str.len() > 4, obs["period"] + "-12")
    if as_of is not None:
        known = order <= as_of
        if "published" in obs.columns:  # when the data say when a figure was published, that decides
            published = obs["published"].fillna("").astype(str).str[:7]
            known = known & ((published == "") | (published <= as_of))
        obs, order = obs[known], order[known]
    obs = obs.assign(_rank=obs["status"].map(STATUS_RANK), _order=order, _base=obs["measure"].str.replace("ytd_", ""))
    obs = obs.sort_values(["indicator", "_base", "_order", "_rank"], ascending=[True, True, False, True])
    latest = obs.drop_duplicates(["indicator", "_base"])
    cutoff = (int(as_of[:4]) if as_of else int(latest["_order"].max()[:4])) - STALE_YEARS
    fresh = latest["_order"].str[:4].astype(int) >= cutoff
    stale = sorted(set(latest.loc[~fresh, "indicator"]) - set(latest.loc[fresh, "indicator"]))
    latest = latest[fresh]
    latest = latest.assign(name=latest["indicator"].map(_ind.label))
    out = latest[["indicator", "name", "period", "measure", "value", "unit", "status", "source"]].reset_index(drop=True)
    out.attrs["stale"] = [_ind.label(k) for k in stale]
    return out


def consistency_findings(dataset, region: str):
    """The consistency findings of `region` as a table (:func:`econsim.checks.findings_frame`)."""
    from ..data.checks import findings_frame

    return findings_frame(dataset.check(region=region))


def finding_sentences(findings) -> list[str]:
    """Each consistency finding as one sentence: severity, the message (with its numbers), the sources."""
    return [f"{r.severity}: {r.message.rstrip('.')}. Sources: {r.sources}."
            for r in findings.itertuples(index=False)]


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
        zh, en = "十四五时期 2021–2025(实心 = 公布数, 空心 = 推算值)", \
            "14th Five-Year Plan 2021–2025 (filled = reported, hollow = derived)"
        # bilingual on two lines: one line is wider than the chart
        ax.set_title(f"{zh}\n{en}" if language == "zh-en" else _pick(language, zh, en), fontsize=10)
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
    """Rolling-origin backtest of the auto forecaster on each of the region's *reported* annual series.

    Only reported figures (status actual or preliminary, consecutive years) are used: scored against
    the smooth reconstruction the forecaster would look far better than it is.

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
            y = dataset.series(key, region=region, measure=measure, reconstructed=False)
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


# --------------------------------------------------------------------------- the executive summary

def outlook_table(projection, year: int):
    """The outlook for `year` of every projected indicator: median, 80% interval, target, probability.

    Returns
    -------
    pandas.DataFrame
        ``indicator, name, p50, p10, p90, target, probability, scenario`` (growth in percent;
        target and probability NaN where the indicator has no growth target for `year`).
    """
    import pandas as pd

    frame = projection.to_frame()
    rows = frame[(frame["measure"] == "growth") & (frame["year"] == str(year))]
    tg = projection.targets()
    tg = tg[(tg["measure"] == "growth") & (tg["year"] == str(year))].set_index("indicator")
    out = pd.DataFrame({
        "indicator": rows["indicator"].to_numpy(), "name": rows["name"].to_numpy(),
        "p50": rows["p50"].to_numpy(), "p10": rows["p10"].to_numpy(), "p90": rows["p90"].to_numpy()})
    out["target"] = out["indicator"].map(tg["target"]).astype(float)
    out["probability"] = out["indicator"].map(tg["probability"]).astype(float)
    out["scenario"] = projection.scenario.name
    return out


def all_targets_met(projection, year: int) -> tuple[int, float] | None:
    """How many growth targets `year` has and the probability (0 to 1) that the joint draws meet all of
    them together, or None when the year has no growth target
    (:func:`econsim.scenario.targets.all_targets_met` for one year)."""
    from ..scenario.targets import all_targets_met as by_year

    return by_year(projection.targets()).get(str(year))


def assumed_at_target(projection, outlook) -> list[str]:
    """Indicators whose scenario *assumes* the target as the year's centre (their probability is ~50% by
    construction, an assumption and not an assessment)."""
    year = projection.years[0]
    out = []
    for r in outlook.itertuples(index=False):
        spec = projection.scenario.indicators.get(r.indicator)
        centre = spec.growth.get(year) if spec is not None and isinstance(spec.growth, dict) else None
        if r.target == r.target and isinstance(centre, (int, float)) and abs(centre - r.target) < 1e-9:
            out.append(r.indicator)
    return out


def aims_table(projection):
    """Multi-year aims (``2026-2030`` average growth, e.g. the 十五五 question): odds and what they need.

    Returns
    -------
    pandas.DataFrame
        ``name, period, aim, p50, probability, required_rest`` where ``required_rest`` is the average
        growth the later years would need after the first year's median (percent a year).
    """
    tg = projection.targets()
    tg = tg[tg["measure"] == "avg_growth"]
    return tg.rename(columns={"year": "period", "target": "aim", "projected_p50": "p50",
                              "required_growth": "required_rest"})[
        ["indicator", "name", "period", "aim", "p50", "probability", "required_rest"]].reset_index(drop=True)


def _pct(p: float) -> str:
    return "n/a" if p != p else f"{p:.0%}"


def summary_findings(projection, outlook, aims, year: int) -> list[str]:
    """Three findings in plain sentences, with their numbers: the headline indicator against its target,
    the multi-year aim, and the weakest (or, with none below even odds, the strongest) other target."""
    sc = f"scenario {projection.scenario.name}"
    out = []
    head = outlook[outlook["indicator"] == "gdp"] if (outlook["indicator"] == "gdp").any() else outlook.head(1)
    for r in head.itertuples(index=False):
        vs = (f"against a target of {r.target:g}%, which it meets with probability {_pct(r.probability)}"
              if r.target == r.target else "with no target for the year")
        out.append(f"{r.name}: {year} growth of {r.p50:.1f}% at the median (80% interval {r.p10:.1f}–{r.p90:.1f}%) "
                   f"{vs} ({sc}).")
    for r in aims.head(1).itertuples(index=False):
        first, last = str(r.period).split("-")
        need = (f"; after the median {first} it would take {r.required_rest:.1f}% a year in "
                f"{int(first) + 1}–{last}" if r.required_rest == r.required_rest else "")
        out.append(f"{r.name}: averaging {r.aim:g}% a year over {r.period} has probability {_pct(r.probability)} "
                   f"(median average {r.p50:.1f}%){need}.")
    others = outlook[outlook["probability"].notna() & ~outlook["indicator"].isin(head["indicator"])]
    if len(others):
        weakest = others.sort_values("probability").iloc[0]
        word = "the least likely" if weakest["probability"] < 0.5 else "even the least likely"
        out.append(f"{weakest['name']} is {word} of the other {year} targets: {weakest['target']:g}% against a "
                   f"median of {weakest['p50']:.1f}%, probability {_pct(weakest['probability'])} ({sc}).")
    return out[:3]


def summary_chart(projection, aims, indicator: str = "gdp"):
    """The summary's one chart: `indicator`'s history, outlook fan and targets, with the multi-year aim
    as a dashed line over its years (legend included).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = projection.fan_chart(indicator)
    ax = fig.axes[0]
    for r in aims[aims["indicator"] == indicator].itertuples(index=False):
        first, last = (int(y) for y in str(r.period).split("-"))
        ax.hlines(r.aim, first, last, colors="tab:red", linestyles="--", lw=1.2,
                  label=f"目标平均 aim: {r.aim:g}%/yr {r.period}")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    fig.set_size_inches(10, 4.2)
    fig.subplots_adjust(left=0.08, right=0.72)  # the legend beside the plot, not over the history
    return fig


# --------------------------------------------------------------------------- what changed since last month

#: MIME type under which a report keeps its outlook in the published notebook (read back next month).
OUTLOOK_MIME = "application/vnd.econsim.outlook+json"


def outlook_record(projection, outlook, params: dict, inputs: dict) -> dict:
    """What next month's report compares with: the outlook per indicator, the month and the input hashes."""
    return {"as_of": params["as_of"], "scenario": projection.scenario.name, "region": projection.region,
            "year": int(projection.years[0]), "inputs": inputs,
            "outlook": {r.indicator: {"p50": round(float(r.p50), 4), "p10": round(float(r.p10), 4),
                                      "p90": round(float(r.p90), 4),
                                      "probability": None if r.probability != r.probability
                                      else round(float(r.probability), 4)}
                        for r in outlook.itertuples(index=False)}}


def previous_record(out_dir, as_of: str) -> tuple:
    """The outlook record of the latest report published before `as_of` beside `out_dir`.

    `out_dir` is ``OUT/<as-of>/<scenario>``; the previous report is ``OUT/<earlier month>/<scenario>``
    with a manifest of status ok.  Returns ``(month, record)``, ``(month, None)`` when that report
    holds no outlook record (made by an older econsim), or ``(None, None)`` when there is none.
    """
    import json
    from pathlib import Path

    if not out_dir:
        return None, None
    here = Path(out_dir)
    months = sorted((d.name for d in here.parent.parent.glob("????-??") if d.name < as_of
                     and (d / here.name / "manifest.json").is_file()), reverse=True)
    for month in months:
        base = here.parent.parent / month / here.name
        try:
            if json.loads((base / "manifest.json").read_text(encoding="utf-8")).get("status") != "ok":
                continue
            nb = json.loads((base / "forecast_report.ipynb").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            for out in cell.get("outputs", []):
                if OUTLOOK_MIME in out.get("data", {}):
                    return month, out["data"][OUTLOOK_MIME]
        return month, None
    return None, None


def outlook_changes(previous: dict, current: dict):
    """Revisions of the outlook per indicator between two records, with what changed in the inputs.

    Returns
    -------
    (pandas.DataFrame, list of str)
        ``name, before, now, revision`` (median growth of the record's first year, percentage
        points) and ``probability before, now``; and sentences on why: the data file, the
        scenario files, the month of the data.
    """
    import pandas as pd

    from .. import indicators as _ind

    rows = []
    for key, now in current["outlook"].items():
        before = previous.get("outlook", {}).get(key)
        if before is None:
            rows.append({"name": _ind.label(key), "before": float("nan"), "now": now["p50"],
                         "revision": float("nan"), "P before": float("nan"),
                         "P now": float("nan") if now["probability"] is None else now["probability"]})
            continue
        rows.append({"name": _ind.label(key), "before": before["p50"], "now": now["p50"],
                     "revision": now["p50"] - before["p50"],
                     "P before": float("nan") if before["probability"] is None else before["probability"],
                     "P now": float("nan") if now["probability"] is None else now["probability"]})
    moved = [r for r in rows if r["revision"] == r["revision"] and abs(r["revision"]) >= 0.005]
    why = [] if moved else [f"No outlook was revised since {previous.get('as_of')} (every median within 0.005 pp)."]
    why.append(f"The data month moved from {previous.get('as_of')} to {current['as_of']}.")
    p_in, c_in = previous.get("inputs", {}), current["inputs"]
    why.append("The observations file changed (new or revised figures)." if p_in.get("data") != c_in.get("data")
               else "The observations file is unchanged.")
    why.append("The scenario's assumptions changed." if p_in.get("scenario") != c_in.get("scenario")
               else "The scenario's assumptions are unchanged.")
    if previous.get("year") != current["year"]:
        why.append(f"Last month's outlook was for {previous.get('year')}, this one is for {current['year']}.")
    return pd.DataFrame(rows), why
