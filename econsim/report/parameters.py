"""The report's parameters: their defaults and their checks, before any kernel starts.

:data:`PARAMETERS` are the defaults of the notebook's ``parameters`` cell, and
:func:`validate_parameters` checks them (in ``econsim report`` before the kernel starts, and in the
notebook's third cell, so that a plain ``papermill ... -p scenari downside`` fails with a
did-you-mean instead of silently rendering the baseline).
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
    "draws": 2000,
    "seed": 20260101,
    "compare_with": ["upside", "downside"],
    "language": "zh-en",
    "data": None,
    "out_dir": None,
}

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
        ``draws`` (int ≥ 1), ``seed`` (int), ``compare_with`` (list of scenario names, without
        ``scenario`` itself), ``language``, ``data`` (path or None), ``out_dir`` (str or None).

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
    out["draws"] = check_draws(p["draws"], path=where)
    out["seed"] = check_seed(p["seed"], path=where)
    compare = p["compare_with"]
    if compare is None:
        compare = []
    elif isinstance(compare, str):
        # `papermill -p compare_with upside` passes a string; allow "upside,downside" too
        compare = [c.strip() for c in compare.split(",") if c.strip()]
    elif not isinstance(compare, (list, tuple)):
        raise InputError(f"expected a list of scenario names, got {compare!r} ({type(compare).__name__})",
                         path=where, key="compare_with")
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
    if p["out_dir"] is not None and not isinstance(p["out_dir"], (str, os.PathLike)):
        raise InputError(f"out_dir must be None or a directory path, got {p['out_dir']!r}",
                         path=where, key="out_dir")
    out["out_dir"] = None if p["out_dir"] is None else str(p["out_dir"])
    return out
