"""The ``econsim`` command: a thin layer over the library.

Exit codes (contract): 0 success; 2 bad input, with one line on stderr starting
``econsim: error:`` that names the file and, where possible, the key or line; 1 internal failure.
Each subcommand lives in a ``_cmd_<name>`` function that parses nothing itself and calls the library.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import InputError, check_draws, check_seed, check_whole_number


def progress_printer(draws: int, stream=None):
    """A progress callback printing ``econsim: ...`` lines on stderr for long runs, else None.

    A run is long when it has at least 50,000 draws; on an interactive terminal progress is
    always shown.
    """
    import sys

    stream = stream or sys.stderr
    if draws < 50_000 and not stream.isatty():
        return None
    return lambda text: print(f"econsim: {text}", file=stream, flush=True)

FORMATS = ("table", "csv", "json")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as the contract's single line and exit code 2."""

    def error(self, message):  # noqa: D401 - argparse API
        raise InputError(f"{message} (see '{self.prog} --help')", path="command line")


def _whole_number(text: str, check) -> int:
    """An option's text as a whole number that `check` (a validator of econsim.errors) accepts."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    try:
        return check(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _positive_int(text: str) -> int:
    return _whole_number(text, lambda v: check_whole_number(v, low=1, high=sys.maxsize, what="a whole number ≥ 1"))


def _draws(text: str) -> int:
    return _whole_number(text, check_draws)


def _seed(text: str) -> int:
    return _whole_number(text, check_seed)


def _as_of(text: str) -> str:
    from .periods import parse_as_of

    try:
        return parse_as_of(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


DATA_HELP = ("observations file, CSV or Excel .xlsx (default: ./data/observations.csv if it exists, "
             "else the bundled dataset)")
DRAWS_HELP = "number of Monte Carlo draws (default: the scenario's draws, 10000 in the bundled ones)"
SEED_HELP = "seed of the random generator; same seed, same results (default: the scenario's seed)"
AS_OF_HELP = ("the data as known at the end of that month, e.g. 2026-03: later publications are not seen "
              "(default: none, all the data; with start_from: nowcast or outlook: true the year-to-date "
              "nowcast as of this month sets that year)")
DATA_AS_OF_HELP = ("the data as known at the end of that month, e.g. 2025-11: later publications and outcomes "
                   "are not seen (default: none, all the data)")
EXCEL_CSV_HELP = ("write CSV as UTF-8 with a byte-order mark and text that Excel shows as text, so Excel on "
                  "Windows reads Chinese correctly (default: plain UTF-8)")


def build_parser() -> argparse.ArgumentParser:
    """The ``econsim`` argument parser; every option has help text that states its default."""
    p = _Parser(prog="econsim", description="Economic forecasting and scenario simulation for regional "
                "economists (bundled region: Dalian High-tech Industrial Zone, dlhitech).")
    from ._version import __version__
    p.add_argument("--version", action="version", version=f"econsim {__version__}",
                   help="print econsim's version and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    d = sub.add_parser("data", help="show, reconstruct and check the observations; write a template workbook",
                       description="Show, reconstruct or check the observations, or write an Excel template "
                       "to fill in (--template).")
    d.add_argument("--data", metavar="FILE", help=DATA_HELP)
    d.add_argument("--region", metavar="R", help="only this region, e.g. dlhitech, dalian (default: all regions)")
    d.add_argument("--reconstruct", action="store_true",
                   help="add derived annual paths 2020–2025 (default: reported figures only)")
    d.add_argument("--check", action="store_true", help="print the consistency findings (default: off)")
    d.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    d.add_argument("--excel-csv", action="store_true", help=EXCEL_CSV_HELP + "; with --format csv")
    d.add_argument("--template", metavar="FILE.xlsx", default=None,
                   help="write an Excel template for observations (columns, an example row per measure, "
                   "drop-down lists, a sheet explaining each column in Chinese and English) and exit "
                   "(default: off)")
    d.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM", help=DATA_AS_OF_HELP)
    d.set_defaults(func=_cmd_data)

    f = sub.add_parser("forecast", help="forecast an indicator's annual series with intervals")
    f.add_argument("indicator", nargs="?", help="indicator key, e.g. gdp, industrial_va (the list: econsim "
                   "indicators; not with --panel)")
    f.add_argument("--panel", metavar="FILE", help="forecast every series of a long CSV (columns unique_id, ds "
                   "as integer years, y) at once, learning across them; writes the long table to --out "
                   "(default: off)")
    f.add_argument("--out", metavar="FILE", help="with --panel: the CSV to write (default: standard output)")
    f.add_argument("--data", metavar="FILE", help=DATA_HELP)
    f.add_argument("--region", metavar="R", default=None,
                   help="region to forecast (default: dlhitech, or the only region of a one-region file)")
    f.add_argument("--measure", choices=("growth", "level"), default="growth",
                   help="growth in percent or the level in the indicator's unit (default: growth)")
    f.add_argument("--horizon", type=_positive_int, default=5, help="years ahead to forecast (default: 5)")
    f.add_argument("--format", choices=("table", "csv"), default="table", help="output format (default: table)")
    f.add_argument("--excel-csv", action="store_true", help=EXCEL_CSV_HELP + "; with --format csv")
    f.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM", help=DATA_AS_OF_HELP)
    f.add_argument("--scheduler", metavar="ADDRESS|local", default=None,
                   help="with --panel: run the series' partitions on Dask ('local' starts a LocalCluster, "
                   "an address connects); the output is byte-identical to the in-process one (default: in-process)")
    f.set_defaults(func=_cmd_forecast)

    b = sub.add_parser("backtest", help="rolling-origin accuracy of the panel forecast (sMAPE, MASE, coverage, "
                       "MSIS per series and overall)")
    b.add_argument("--panel", metavar="FILE", required=True, help="required: long CSV (columns unique_id, ds "
                   "as integer years, y); every period is a cut-off at which the series with 3 values before it "
                   "are forecast")
    b.add_argument("--horizon", type=_positive_int, default=5, help="largest horizon scored (default: 5)")
    b.add_argument("--scheduler", metavar="ADDRESS|local", default=None,
                   help="run on Dask ('local' or a scheduler address); same output as in-process "
                   "(default: in-process)")
    b.add_argument("--out", metavar="FILE", help="the scores CSV to write (default: standard output)")
    b.set_defaults(func=_cmd_backtest)

    r = sub.add_parser("run", help="project a scenario 2026–2030 (Monte Carlo) and write results")
    r.add_argument("scenario", help="a scenario name from scenarios/ (the list: econsim scenarios) or a path "
                   "to a YAML file")
    r.add_argument("--data", metavar="FILE", help=DATA_HELP)
    r.add_argument("--region", metavar="R", default=None,
                   help="apply the scenario to this region (default: the scenario's, or the only region "
                        "of a one-region file)")
    r.add_argument("--draws", type=_draws, default=None, help=DRAWS_HELP)
    r.add_argument("--seed", type=_seed, default=None, help=SEED_HELP)
    r.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM", help=AS_OF_HELP)
    r.add_argument("--out", metavar="DIR", default=None,
                   help="directory for the results (default: out/SCENARIO)")
    r.add_argument("--excel", action="store_true",
                   help="also write results.xlsx: summary, projection, targets, assumptions and provenance "
                   "sheets (default: off)")
    r.add_argument("--excel-csv", action="store_true", help=EXCEL_CSV_HELP)
    r.add_argument("--regions", metavar="all|R1,R2", default=None,
                   help="project every named region of --data (one combined output; exit 3 if some fail) "
                   "(default: the scenario's region only)")
    r.add_argument("--scheduler", metavar="ADDRESS|local", default=None,
                   help="with --regions: run the regions on Dask ('local' or a scheduler address) "
                   "(default: in this process)")
    r.set_defaults(func=_cmd_run)

    sw = sub.add_parser("sweep", help="project a scenario over a grid or Latin hypercube of its assumptions")
    sw.add_argument("scenario", help="a scenario name from scenarios/ (the list: econsim scenarios) or a path "
                    "to a YAML file")
    sw.add_argument("--vary", action="append", required=True, metavar="KEY=START:STOP:STEP",
                    help="an assumption and its range, e.g. gdp.growth.2027=4:7:0.5 (repeatable; required)")
    sw.add_argument("--method", choices=("grid", "lhs"), default="grid",
                    help="every combination of the ranges (grid) or a Latin hypercube sample (lhs) "
                    "(default: grid)")
    sw.add_argument("--samples", type=_positive_int, default=None,
                    help="points of a Latin hypercube (default: none; needed with --method lhs)")
    sw.add_argument("--data", metavar="FILE", help=DATA_HELP)
    sw.add_argument("--draws", type=_draws, default=None, help=DRAWS_HELP)
    sw.add_argument("--seed", type=_seed, default=None, help=SEED_HELP)
    sw.add_argument("--scheduler", metavar="ADDRESS|local", default=None,
                    help="run the points on Dask: 'local' starts a LocalCluster, an address connects "
                    "(default: in this process)")
    sw.add_argument("--out", metavar="DIR", default=None,
                    help="directory for the results (default: out/SCENARIO_sweep)")
    sw.set_defaults(func=_cmd_sweep)

    c = sub.add_parser("compare", help="compare several scenarios side by side")
    c.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="two or more scenario names or YAML paths (the list: econsim scenarios)")
    c.add_argument("--data", metavar="FILE", help=DATA_HELP)
    c.add_argument("--draws", type=_draws, default=None, help=DRAWS_HELP)
    c.add_argument("--seed", type=_seed, default=None, help=SEED_HELP)
    c.add_argument("--out", metavar="DIR", default=None,
                   help="directory for the results (default: out/compare-NAME1-NAME2…)")
    c.add_argument("--excel", action="store_true",
                   help="also write comparison.xlsx with every scenario's sheets (default: off)")
    c.add_argument("--excel-csv", action="store_true", help=EXCEL_CSV_HELP)
    c.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM", help=AS_OF_HELP)
    c.set_defaults(func=_cmd_compare)

    rp = sub.add_parser("report", help="render the forecast report notebook (papermill) to .ipynb and .html")
    rp.add_argument("--scenario", default="baseline", help="scenario name or YAML path (default: baseline)")
    rp.add_argument("--data", metavar="FILE", help=DATA_HELP)
    rp.add_argument("--region", metavar="R", default=None,
                    help="region (default: the scenario's, or the only region of a one-region file)")
    rp.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM", help=AS_OF_HELP)
    rp.add_argument("--out", metavar="DIR", default="reports", help="directory for the report (default: reports)")
    rp.add_argument("--draws", type=_draws, default=None, help=DRAWS_HELP)
    rp.add_argument("--seed", type=_seed, default=None, help=SEED_HELP)
    rp.add_argument("--compare-with", nargs="*", default=None, metavar="SCENARIO",
                    help="scenarios to compare with (default: upside and downside where they apply to the "
                         "region; give the option with no name for no comparison)")
    rp.set_defaults(func=_cmd_report)

    n = sub.add_parser("nowcast", help="full-year estimates from year-to-date (1–N月 累计) figures")
    n.add_argument("--data", metavar="FILE", help=DATA_HELP)
    n.add_argument("--region", metavar="R", default=None, help="only this region (default: all regions)")
    n.add_argument("--as-of", type=_as_of, required=True, metavar="YYYY-MM",
                   help="month of the latest year-to-date figures, e.g. 2025-09 (required)")
    n.add_argument("--format", choices=("table", "csv"), default="table", help="output format (default: table)")
    n.add_argument("--excel-csv", action="store_true", help=EXCEL_CSV_HELP + "; with --format csv")
    n.set_defaults(func=_cmd_nowcast)

    i = sub.add_parser("indicators", help="list the indicator vocabulary (key, Chinese and English name, unit, "
                       "measures)")
    i.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    i.set_defaults(func=_cmd_indicators)

    s = sub.add_parser("scenarios", help="list the scenarios found and where each comes from")
    s.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    s.set_defaults(func=_cmd_scenarios)
    return p


# --------------------------------------------------------------------------- output helpers

def _print_frame(df, fmt: str, *, index: bool = False, excel_csv: bool = False) -> None:
    import pandas as pd

    if fmt == "csv" and excel_csv:
        from .io.excel import csv_for_excel

        sys.stdout.write(csv_for_excel(df, index=index, lineterminator="\n"))
    elif fmt == "csv":
        sys.stdout.write(df.to_csv(index=index, lineterminator="\n"))
    elif fmt == "json":
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, indent=1) + "\n")
    else:
        with pd.option_context("display.unicode.east_asian_width", True, "display.max_rows", None,
                               "display.max_columns", None, "display.width", 200,
                               "display.max_colwidth", 40):
            sys.stdout.write(df.to_string(index=index) + "\n")


def _load(args):
    """The dataset of --data (or the default), as known at --as-of where the command takes it.

    `run` and `compare` pass --as-of to the projection instead, which applies it (and the nowcast).
    """
    from .data.dataset import load_dataset

    ds = load_dataset(getattr(args, "data", None))
    args.data_used = ds.path
    if getattr(args, "as_of", None) and args.command in ("data", "forecast"):
        ds = ds.as_known_at(args.as_of)
    return ds


def _say_data(args) -> None:
    """The one stderr line naming the observations file a successful command used.

    Said after the command, so that bad input still gives exactly one line (the error, which names
    the file itself).
    """
    path = getattr(args, "data_used", None)
    if path is not None:
        print(f"econsim: data: {Path(path).resolve()}", file=sys.stderr)


# --------------------------------------------------------------------------- subcommands

def _cmd_data(args) -> int:
    from . import indicators

    if args.template:
        from pathlib import Path

        from .data.template import write_template

        if Path(args.template).suffix.lower() != ".xlsx":
            raise InputError("the template is an Excel workbook; give a file name ending in .xlsx",
                             path=args.template, key="--template")
        if Path(args.template).is_dir():
            raise InputError("is a directory; give a file name ending in .xlsx", path=args.template,
                             key="--template")
        print(write_template(args.template))
        return 0
    ds = _load(args)
    if args.region:
        ds.require_region(args.region)
    regions = [args.region] if args.region else ds.regions
    if args.check and args.reconstruct:
        raise InputError("--check and --reconstruct show different things; give one of them",
                         path="command line", key="--check")
    if args.check:
        from .data.checks import findings_frame

        findings = [f for r in regions for f in ds.check(region=r)]
        frame = findings_frame(findings)
        if args.format == "table":
            from .data.checks import format_findings
            sys.stdout.write(format_findings(findings))
        else:
            _print_frame(frame, args.format, excel_csv=args.excel_csv)
        return 0
    if args.reconstruct:
        import pandas as pd

        frames, conflicts = [ds.select(region=regions)], []
        for r in regions:
            rec = ds.reconstruct(r)
            if len(rec.paths):  # pandas warns about concatenating empty frames
                frames.append(rec.paths)
            conflicts.extend(rec.conflicts)
        obs = pd.concat(frames, ignore_index=True)
        for c in conflicts:
            print(f"econsim: warning: {c}", file=sys.stderr)
    else:
        obs = ds.select(region=regions)
    obs = obs.sort_values(["region", "indicator", "measure", "period", "status"], kind="stable")
    if args.format == "table":
        view = obs.assign(name=obs["indicator"].map(lambda k: indicators.INDICATORS[k].name_zh))
        view = view[["region", "indicator", "name", "period", "measure", "value", "unit", "status", "basis",
                     "source"]]
        view = view.assign(source=view["source"].str.slice(0, 40))
        _print_frame(view, "table")
    else:
        _print_frame(obs, args.format, excel_csv=args.excel_csv)
    return 0


def _cmd_forecast(args) -> int:
    from . import indicators
    from .data.schema import REPORTED_STATUSES
    from .forecasting.auto import forecast

    if args.panel is not None or args.out is not None:
        return _cmd_forecast_panel(args)
    if args.scheduler is not None:
        raise InputError("--scheduler is for --panel FILE; one indicator runs here", path="command line",
                         key="--scheduler")
    if args.indicator is None:
        raise InputError("give an indicator (e.g. gdp) or --panel FILE", path="command line", key="INDICATOR")
    ds = _load(args)
    args.region = ds.default_region(args.region)
    if args.indicator not in indicators.INDICATORS:
        from .errors import did_you_mean
        raise InputError(f"unknown indicator '{args.indicator}'"
                         f"{did_you_mean(args.indicator, indicators.INDICATORS)}; the list: econsim indicators",
                         path="command line",
                         key="INDICATOR")
    y = ds.series(args.indicator, region=args.region, measure=args.measure)
    if len(y) < 3:
        raise InputError(f"only {len(y)} annual {args.measure} figures for '{args.indicator}' in "
                         f"'{args.region}'; a forecast needs at least 3", path=ds.path, key="indicator")
    # Growth can turn negative however positive its history: additive bands. Levels get the
    # positive-only (multiplicative) bands a positive series gets by default.
    fc = forecast(y, args.horizon, multiplicative=None if args.measure == "level" else False)
    ind = indicators.INDICATORS[args.indicator]
    basis = _basis(ds, args, y)
    out = fc.copy()
    out.insert(0, "year", [str(p) for p in fc.index])
    out.insert(0, "measure", args.measure)
    out.insert(0, "indicator", args.indicator)
    out.insert(0, "region", args.region)
    out = out.round(3)
    out["unit"] = "pct" if args.measure == "growth" else ind.unit
    out["basis"] = basis
    out["status"] = "derived"
    if args.format == "table":
        unit = "%" if args.measure == "growth" else ind.unit
        print(f"{ind.label} — {args.measure} ({unit}, {_BASIS_TEXT[args.measure].get(basis, 'price basis not stated')}"
              f"), region {args.region}")
        reported = ds.select(region=args.region, indicator=args.indicator, measure=args.measure,
                             status=REPORTED_STATUSES)["period"].tolist()
        hist = ", ".join(f"{p}: {v:.2f}{'' if str(p) in reported else '*'}" for p, v in y.items())
        print(f"history (* = derived by econsim's reconstruction, not reported): {hist}")
        print("intervals: 80% and 95%, calibrated on the forecaster's own rolling-origin errors; "
              "derived years come from the smoothest path meeting the reported figures, so they understate "
              "year-to-year variation (econsim run widens the spread to reported evidence)")
        _print_frame(out.drop(columns=["region", "indicator", "measure", "unit", "basis", "status"]), "table")
    else:
        _print_frame(out, "csv", excel_csv=args.excel_csv)
    return 0


def _cmd_forecast_panel(args) -> int:
    from .distributed import connect
    from .forecasting.panel import forecast_panel, read_panel_csv

    if args.panel is None:
        raise InputError("--out is for --panel FILE", path="command line", key="--out")
    for option, given in (("INDICATOR", args.indicator), ("--data", args.data)):
        if given is not None:
            raise InputError(f"{option} does not go with --panel (the panel file holds the series)",
                             path="command line", key=option)
    _check_out_file(args.out)
    panel = read_panel_csv(args.panel)
    with connect(args.scheduler) as client:
        out = forecast_panel(panel, args.horizon, client=client).to_csv(index=False, lineterminator="\n")
    _write_or_print(out, args.out)
    return 0


def _check_out_file(out) -> None:
    if out is not None and os.path.isdir(out):
        raise InputError("is a directory; --out names the CSV file to write", path=out, key="--out")


def _write_or_print(text: str, out) -> None:
    from .io.writing import write_text_atomic

    if out is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(out, text)


def _cmd_backtest(args) -> int:
    from .distributed import connect
    from .forecasting.panel import read_panel_csv
    from .forecasting.panel_backtest import backtest_panel

    _check_out_file(args.out)
    panel = read_panel_csv(args.panel)
    with connect(args.scheduler) as client:
        scores = backtest_panel(panel, args.horizon, client=client)
    _write_or_print(scores.to_csv(index=False, lineterminator="\n"), args.out)
    return 0


_BASIS_TEXT = {
    "growth": {"comparable": "real, 可比价", "nominal": "nominal, 现价"},
    "level": {"comparable": "constant prices, 可比价", "nominal": "current prices, 现价"},
}


def _basis(ds, args, y) -> str:
    """Price basis (comparable, nominal or unknown) of the latest figure of the series forecast."""
    rows = ds.with_reconstruction(args.region).select(region=args.region, indicator=args.indicator,
                                                      measure=args.measure)
    rows = rows[rows["period"] == str(y.index[-1])]
    return rows["basis"].iloc[0] if len(rows) else "unknown"


def _cmd_run(args) -> int:
    import time
    from pathlib import Path

    from .io.writing import check_output_dir
    from .scenario.files import load_scenario
    from .scenario.projection import project
    from .scenario.plan import fit_region
    from .scenario.regions import region_for, with_region
    from .scenario.runs import write_run
    from .scenario.targets import all_targets_met

    t0 = time.perf_counter()
    sc = load_scenario(args.scenario)
    if args.scheduler is not None and args.regions is None:
        raise InputError("--scheduler is for many regions (--regions) or sweeps; one region runs here",
                         key="scheduler")
    if args.regions is not None and args.region is not None:
        raise InputError("give either --region (one region) or --regions (many), not both",
                         path="command line", key="--region")
    if args.regions is not None and (args.excel or args.excel_csv):
        raise InputError("--excel and --excel-csv write one region's results; not with --regions (yet)",
                         path="command line", key="--excel")
    out = check_output_dir(args.out if args.out else Path("out") / sc.name)
    ds = _load(args)
    if args.regions is not None:
        return _run_regions(args, sc, ds, out)
    sc = with_region(sc, region_for(sc, ds, args.region))
    draws = args.draws or sc.draws
    progress = progress_printer(draws)
    proj = project(sc, ds, draws=draws, seed=args.seed, as_of=args.as_of, progress=progress)
    timings = {"load_s": time.perf_counter() - t0 - sum(proj.timings.values()), **proj.timings}
    write_run(proj, out, ds, progress=progress, timings=timings, excel=args.excel, excel_csv=args.excel_csv)
    tg = proj.targets()
    print(f"scenario {sc.name} {sc.title}: {proj.draws_count} draws, seed {proj.seed}, "
          f"{proj.years[0]}–{proj.years[-1]}, region {proj.region}; results in {out}")
    for line in fit_region(sc, ds)[1]:  # settings written for another region: never silently
        print(f"  note: {line}")
    for row in tg.itertuples(index=False):
        p = "n/a" if row.probability != row.probability else f"{row.probability:.0%}"
        unit = "%" if row.measure != "level" else f" {row.unit}"
        why = f" ({row.note})" if row.note and p == "n/a" else ""
        rng = f" (within {row.target:g}–{row.target_upper:g}: {row.probability_in_range:.0%})" \
            if row.target_upper == row.target_upper else ""
        print(f"  P({row.name} {row.year} {row.measure} >= {row.target:g}{unit}) = {p}{rng}{why}")
    for year, (n, p_all) in all_targets_met(tg).items():
        print(f"  P(all {n} growth targets of {year} met together) = {p_all:.0%}")
    return 0


def _cmd_sweep(args) -> int:
    from pathlib import Path

    from .distributed import connect
    from .io.writing import check_output_dir
    from .scenario.files import load_scenario
    from .scenario.sweep import check_sweep, parse_vary, sweep, sweep_points, write_sweep

    sc = load_scenario(args.scenario)
    varies = [parse_vary(v) for v in args.vary]
    seed = sc.seed if args.seed is None else args.seed
    points = sweep_points(varies, args.method, args.samples, seed)
    check_sweep(sc, varies)
    out = check_output_dir(args.out if args.out else Path("out") / f"{sc.name}_sweep")
    ds = _load(args)
    with connect(args.scheduler) as client:
        frame = sweep(sc, varies, method=args.method, samples=args.samples, draws=args.draws, seed=seed,
                      dataset=ds, client=client)
    keys = [v.key for v in varies]
    write_sweep(frame, keys, out, sc, settings={"method": args.method, "seed": seed,
                                                "draws": args.draws or sc.draws})
    print(f"sweep of {sc.name}: {len(points)} points ({args.method}) over {', '.join(keys)}; results in {out}")
    return 0


#: Exit code of ``econsim run --regions`` when some regions failed and the others completed.
EXIT_PARTIAL = 3


def _run_regions(args, sc, ds, out) -> int:
    from .distributed import connect
    from .scenario.regions import parse_regions, project_regions, write_regions

    regions = parse_regions(args.regions, ds)
    with connect(args.scheduler) as client:
        projection, targets, failures = project_regions(sc, ds, regions, draws=args.draws, seed=args.seed,
                                                        as_of=args.as_of, client=client)
    if len(failures) == len(regions):
        first = failures.iloc[0]
        raise InputError(f"no region could be projected; {first['region']}: {first['reason']}",
                         path=sc.path or sc.name, key=first["key"] or None)
    write_regions(sc, ds, projection, targets, failures, out,
                  settings={"draws": args.draws or sc.draws, "seed": sc.seed if args.seed is None else args.seed,
                            "as_of": args.as_of, "regions": regions})
    print(f"scenario {sc.name}: {len(regions) - len(failures)} of {len(regions)} regions projected; results in {out}")
    for row in failures.itertuples(index=False):
        print(f"  failed: {row.region}: {row.reason}", file=sys.stderr)
    return EXIT_PARTIAL if len(failures) else 0


def _cmd_compare(args) -> int:
    import time
    from pathlib import Path

    from .io.writing import check_output_dir
    from .scenario.files import load_scenario
    from .scenario.projection import project
    from .scenario.runs import write_comparison

    t0 = time.perf_counter()
    scenarios = [load_scenario(s) for s in args.scenarios]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise InputError(f"the same scenario is named twice ({', '.join(names)})", path="command line",
                         key="SCENARIO")
    out = check_output_dir(args.out if args.out else Path("out") / ("compare-" + "-".join(names)))
    ds = _load(args)
    progress = progress_printer(max(args.draws or s.draws for s in scenarios))
    projections = []
    for sc in scenarios:
        projections.append(project(sc, ds, draws=args.draws, seed=args.seed, as_of=args.as_of,
                                   progress=progress))
    write_comparison(projections, out, ds, timings={"total_before_write_s": time.perf_counter() - t0},
                     excel=args.excel, excel_csv=args.excel_csv)
    print(f"compared {', '.join(names)}; results in {out}")
    for p in projections:
        tg = p.targets()
        tg = tg[tg["probability"].notna()]
        probs = ", ".join(f"{r.indicator} {r.year} {r.probability:.0%}" for r in tg.itertuples(index=False))
        print(f"  {p.scenario.name}: P(target met): {probs or 'no targets'}")
    return 0


def _cmd_report(args) -> int:
    import signal

    from .report.render import ReportFailed, render_report

    # a scheduler stopping the job (systemd, Airflow) sends SIGTERM: unwind so that the failed
    # notebook is kept and the published report stays as it was
    def _terminated(signum, frame):
        raise SystemExit(143)

    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        result = render_report(args.scenario, args.as_of, args.out, draws=args.draws, seed=args.seed,
                               compare_with=args.compare_with, data=args.data, region=args.region,
                               progress=sys.stderr.isatty())
    except ReportFailed as exc:
        print(f"econsim: error: {exc}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous)
    args.data_used = result.manifest["parameters"]["data"]
    print(result.html)
    return 0


def _cmd_nowcast(args) -> int:
    """Full-year growth nowcasts from year-to-date figures.

    ``--format csv`` prints every column of ``Nowcast.to_frame()`` rounded to 3 decimals; when the
    year of ``--as-of`` has no year-to-date figures yet, it prints the header only (and a note on
    stderr), and the table says so in one line.  Both exit 0: an empty month is not an error.
    An ``--as-of`` before every observation in the file is (exit 2).
    """
    from .forecasting.nowcast import NOWCAST_COLUMNS, check_as_of, display_frame, nowcast
    from .forecasting.ytd import required_growth_text

    ds = _load(args)
    if args.region:
        ds.require_region(args.region)
    check_as_of(ds, args.as_of, args.region, path="command line", key="--as-of")
    nc = nowcast(ds, args.as_of, region=args.region)
    frame = nc.to_frame()
    if args.format == "csv":
        if nc.empty:
            print(f"econsim: note: {nc.notes[-1]}", file=sys.stderr)
        _print_frame(frame[list(NOWCAST_COLUMNS)].round(3), "csv", excel_csv=args.excel_csv)
        return 0
    print(f"Full-year {nc.year} growth nowcast (%, status derived) as of {nc.as_of}, "
          "from year-to-date (1–N月 累计) figures")
    if nc.empty:
        for note in nc.notes:
            print(note)
        return 0
    import pandas as pd

    _print_frame(display_frame(frame), "table")
    for _, r in frame.iterrows():
        if pd.notna(r["target"]) and r["months_elapsed"] < 12:
            w = 1 - r["remaining_weight"]
            print(f"{r['region']}/{r['indicator']}: "
                  f"{required_growth_text(r['ytd_growth'], r['target'], int(r['months_elapsed']), w)} "
                  f"(w from {r['weight_basis']})")
        if r["note"]:
            print(f"{r['region']}/{r['indicator']}: {r['note']}")
    for note in nc.notes:
        print(f"note: {note}")
    return 0


def _cmd_indicators(args) -> int:
    """The indicator vocabulary: key, names, unit, growth basis and the measures a data file may give."""
    import pandas as pd

    from . import indicators
    from .data.schema import MEASURES

    rows = []
    for ind in indicators.INDICATORS.values():
        level_units = [ind.unit] + [a for a, b in indicators.UNIT_FACTORS if b == ind.unit]
        rows.append({"key": ind.key, "name_zh": ind.name_zh, "name_en": ind.name_en,
                     "unit": ", ".join(level_units), "growth_basis": ind.growth_basis,
                     "measures": ", ".join(MEASURES)})
    frame = pd.DataFrame(rows)
    if args.format == "table":
        print("Indicators econsim knows (use the key in data files and scenarios). Growth measures "
              "(growth, ytd_growth, avg_growth) take unit pct; level measures (level, ytd_level, cumulative, "
              "avg_increase) the unit shown.")
        _print_frame(frame.drop(columns=["measures"]), "table")
    else:
        _print_frame(frame, args.format)
    return 0


def _cmd_scenarios(args) -> int:
    """The scenarios found, where each comes from, and its title (or why it cannot be read)."""
    import pandas as pd

    from .io import resources
    from .scenario.files import available_scenarios, load_scenario

    cwd = resources.candidate_dirs("scenarios")[0]
    rows = []
    for name in available_scenarios():
        path = resources.find("scenarios", f"{name}.yaml")
        origin = "working directory" if path.parent == cwd else "bundled"
        try:
            sc = load_scenario(path)
            title = sc.title
        except InputError as exc:
            title = f"(cannot be read: {exc.message})"
        rows.append({"name": name, "title": title, "from": origin, "path": str(path)})
    _print_frame(pd.DataFrame(rows, columns=["name", "title", "from", "path"]), args.format)
    return 0


# --------------------------------------------------------------------------- entry point

def main(argv=None) -> int:
    """Run the econsim command; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        code = int(args.func(args) or 0)
        _say_data(args)
        return code
    except InputError as exc:
        print(f"econsim: error: {exc.one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("econsim: error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an internal failure: say so in one line, traceback on request
        if os.environ.get("ECONSIM_DEBUG"):
            raise
        print(f"econsim: internal error: {type(exc).__name__}: {exc} "
              "(set ECONSIM_DEBUG=1 for a traceback, and please report it)", file=sys.stderr)
        return 1
