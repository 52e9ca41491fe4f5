"""The report's parameters: their defaults, their checks, and what they resolve to given the inputs.

:data:`PARAMETERS` are the defaults of the notebook's ``parameters`` cell.  :func:`validate_parameters`
checks types and names (the notebook calls it too, so a plain papermill run with ``-p scenari
downside`` fails with a did-you-mean).  :func:`resolve_parameters` then reads the
data and the scenarios and fills in what depends on them — the region, the draws and seed (the
scenario's own, so that ``econsim run`` and ``econsim report`` give the same numbers), the scenarios
to compare with — and checks every scenario against the data, so that all parameter, data and
scenario errors surface before a kernel starts.
"""
from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from ..errors import InputError, check_draws, check_seed, did_you_mean
from ..periods import AsOf, as_of_text

#: The notebook's parameters and their defaults (the ``parameters`` cell says the same).
PARAMETERS = {
    "scenario": "baseline",
    "as_of": None,
    "draws": None,
    "seed": None,
    "compare_with": None,
    "language": "zh-en",
    "data": None,
    "region": None,
    "out_dir": None,
}

#: The scenarios a report compares with by default, those of them that apply to the report's region.
DEFAULT_COMPARE = ("upside", "downside")

#: Heading languages: bilingual (中文 / English), Chinese only, English only.
LANGUAGES = ("zh-en", "zh", "en")


# --------------------------------------------------------------------------- parameters

def current_month(today: _dt.date | None = None) -> str:
    """The month ``YYYY-MM`` a report defaults to (the current calendar month)."""
    today = today or _dt.date.today()
    return f"{today.year:04d}-{today.month:02d}"


def normalise_as_of(value: AsOf | None, *, where: str = "notebook parameters") -> str:
    """`value` as ``YYYY-MM`` (via :func:`econsim.periods.as_of_text`); None means the current month.

    Raises
    ------
    InputError
        For anything that is not a year and month such as ``2026-01`` (data up to 1月).
    """
    if value is None:
        return current_month()
    try:
        return as_of_text(value)
    except InputError as exc:
        raise InputError(f"{exc.message}; or None for the current month", path=where, key="as_of") from None


def scenario_file(name_or_path) -> Path | None:
    """The YAML file behind a scenario name or path, or None if there is none."""
    from ..scenario.files import scenario_path

    try:
        return scenario_path(name_or_path)
    except InputError:
        return None


def scenario_slug(name_or_path) -> str:
    """The directory name a scenario's report is published under (its file stem)."""
    text = str(name_or_path)
    return Path(text).stem if text.endswith((".yaml", ".yml")) or "/" in text else text


def _check_scenario(value, key: str, where: str) -> str:
    from ..scenario.files import scenario_path

    if not isinstance(value, str) or not value.strip():
        raise InputError(f"expected a scenario name or a path to a YAML file, got {value!r} "
                         f"({type(value).__name__})", path=where, key=key)
    try:
        scenario_path(value)
    except InputError as exc:
        what = exc.message if exc.key else f"scenario file '{value}' not found"
        raise InputError(what, path=where, key=key) from None
    return value


def validate_parameters(namespace, before=None, *, where: str = "notebook parameters") -> dict:
    """Check a report's parameters and return them normalised.

    Parameters
    ----------
    namespace : mapping
        The parameter values: the notebook's ``globals()``, or a plain dict (the command line).
        Missing parameters take their defaults from :data:`PARAMETERS`.
    before : collection of str, optional
        The kernel's names before the ``parameters`` cell ran.  Names that appeared since and
        are not parameters (papermill injects ``-p scenari downside`` as a new variable
        ``scenari`` without complaint) are reported as misspelt.  Without `before`, every key
        of `namespace` must be a parameter.
    where : str
        What the error messages name as the place of the problem.

    Returns
    -------
    dict
        ``scenario`` (name or path), ``as_of`` (``YYYY-MM``; None became the current month),
        ``draws`` (int ≥ 1 or None), ``seed`` (int or None), ``compare_with`` (list of scenario
        names without ``scenario`` itself, or None for the defaults), ``language``, ``data`` (path
        or None), ``region`` (str or None), ``out_dir`` (str or None).  :func:`resolve_parameters`
        fills in the Nones.

    Raises
    ------
    InputError
        One line naming the parameter: an unknown scenario (with the available ones), a
        malformed ``as_of``, a wrong type (``draws="many"``), an unknown language, or a
        misspelt parameter name (with a did-you-mean).
    """
    names = set(namespace) - set(before) if before is not None else set(namespace)
    unknown = sorted(n for n in names if n not in PARAMETERS and not n.startswith("_"))
    if unknown:
        hints = "; ".join(f"'{n}'{did_you_mean(n, PARAMETERS)}" for n in unknown)
        raise InputError(f"unknown parameter {hints}; the parameters are {', '.join(PARAMETERS)}",
                         path=where, key=unknown[0])
    p = {k: namespace.get(k, default) for k, default in PARAMETERS.items()}
    out = {"scenario": _check_scenario(p["scenario"], "scenario", where)}
    out["as_of"] = normalise_as_of(p["as_of"], where=where)
    out["draws"] = None if p["draws"] is None else check_draws(p["draws"], path=where)
    out["seed"] = None if p["seed"] is None else check_seed(p["seed"], path=where)
    compare = p["compare_with"]
    if compare is None:
        out["compare_with"] = None
    elif isinstance(compare, str):
        # `papermill -p compare_with upside` passes a string; allow "upside,downside" too
        compare = [c.strip() for c in compare.split(",") if c.strip()]
    elif not isinstance(compare, (list, tuple)):
        raise InputError(f"expected a list of scenario names, got {compare!r} ({type(compare).__name__})",
                         path=where, key="compare_with")
    if compare is not None:
        out["compare_with"] = [_check_scenario(c, "compare_with", where) for c in compare
                               if scenario_slug(c) != scenario_slug(out["scenario"])]
    if p["language"] not in LANGUAGES:
        raise InputError(f"unknown language {p['language']!r}{did_you_mean(p['language'], LANGUAGES)}; "
                         f"expected one of {', '.join(LANGUAGES)}", path=where, key="language")
    out["language"] = p["language"]
    data = p["data"]
    if data is not None:
        if not isinstance(data, (str, os.PathLike)) or not Path(data).is_file():
            raise InputError(f"data must be None (the bundled dataset) or an existing observations CSV, "
                             f"got {data!r}", path=where, key="data")
        data = str(data)
    out["data"] = data
    region = p["region"]
    if region is not None and (not isinstance(region, str) or not region.strip()):
        raise InputError(f"region must be None (the scenario's, or the only region of the data) or a region "
                         f"name, got {region!r}", path=where, key="region")
    out["region"] = region
    if p["out_dir"] is not None and not isinstance(p["out_dir"], (str, os.PathLike)):
        raise InputError(f"out_dir must be None or a directory path, got {p['out_dir']!r}",
                         path=where, key="out_dir")
    out["out_dir"] = None if p["out_dir"] is None else str(p["out_dir"])
    return out


def is_resolved(params: dict) -> bool:
    """Whether `params` already went through :func:`resolve_parameters` (nothing left to look up)."""
    return all(params.get(k) is not None for k in ("data", "region", "draws", "seed", "compare_with"))


def resolve_parameters(params: dict, *, check: bool = True) -> dict:
    """`params` (from :func:`validate_parameters`) with every default looked up in the data and scenarios.

    ``data`` becomes the absolute path of the observations file (``./data/observations.csv`` or
    the bundled one when None), so the kernel reads the same file whatever its directory;
    ``region`` the one asked for, else the scenario's, else the only region of a one-region file;
    ``draws`` and ``seed`` the scenario's own when None; ``compare_with`` when None the scenarios of
    :data:`DEFAULT_COMPARE` that exist and apply to the region (possibly none: an empty comparison
    is valid).  With `check`, every scenario is also prepared against the data (models fitted, no
    draws), so that a scenario the data cannot support fails here.  The answer is cached across runs
    (:mod:`econsim.io.cache`) keyed by the parameters and the SHA-256 of the data and scenario files.

    Raises
    ------
    InputError
        A malformed data or scenario file, a region the data do not hold ("no observations for
        region ..."), or a scenario the data cannot support — always before any kernel starts.
    """
    import json

    from ..data.dataset import default_path
    from ..io.cache import cached
    from ..io.manifest import sha256_file
    from ..scenario.files import load_scenario

    # What the answer depends on: the parameters, the data file and every scenario file read (parents
    # too).  A run with the same inputs reuses the answer without reading the data (no pandas import).
    data = Path(params["data"]).resolve() if params["data"] else default_path().resolve()
    refs = [params["scenario"], *(DEFAULT_COMPARE if params["compare_with"] is None else params["compare_with"])]
    files = sorted({str(Path(f).resolve()) for r in refs if scenario_file(r) is not None
                    for f in load_scenario(r).sources})
    key = [json.dumps(params, sort_keys=True, default=str), str(data), sha256_file(data), str(check),
           *(f"{f}={sha256_file(f)}" for f in files)]
    return cached("report-parameters", key, lambda: _resolve(params, check))


def _resolve(params: dict, check: bool) -> dict:
    from ..data.dataset import load_dataset
    from ..scenario.files import load_scenario
    from ..scenario.plan import prepare
    from ..scenario.regions import applies_to, region_for, with_region

    dataset = load_dataset(params["data"])
    main = load_scenario(params["scenario"])
    region = region_for(main, dataset, params["region"])
    out = dict(params, data=str(Path(dataset.path).resolve()), region=region,
               draws=main.draws if params["draws"] is None else params["draws"],
               seed=main.seed if params["seed"] is None else params["seed"])
    compare = params["compare_with"]
    if compare is None:
        compare = [c for c in DEFAULT_COMPARE if scenario_file(c) is not None
                   and scenario_slug(c) != scenario_slug(params["scenario"]) and applies_to(load_scenario(c), region)]
    out["compare_with"] = list(compare)
    others = [load_scenario(c) for c in compare]
    if check:  # only a check that passed is remembered (with the answer); a failing one raises every time
        for sc in [main, *others]:
            prepare(with_region(sc, region), dataset, out["as_of"])
    return out
