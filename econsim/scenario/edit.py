"""Editing a scenario in memory and saving it as a YAML file that ``econsim run`` accepts.

Every edit goes through the same validation as a scenario file (:func:`econsim.scenario.spec`), so an
edited scenario can never hold a value a file could not, and :func:`save_scenario` writes the resolved
settings (``extends`` applied) so the file stands on its own and projects to the same numbers with
the same seed.
"""
from __future__ import annotations

import copy
from pathlib import Path

from .spec import Scenario, validate


def scenario_from_dict(raw: dict, *, where: str = "edited scenario", path=None) -> Scenario:
    """A validated Scenario from plain data in the scenario-file format.

    Parameters
    ----------
    raw : dict
        What a scenario file would hold (``name``, ``indicators``, …; no ``extends``).
    where : str
        Named in error messages in place of a file.
    path : Path, optional
        The file the settings were edited from (kept as ``Scenario.path``; its hash is not claimed).

    Raises
    ------
    InputError
        For anything a scenario file would be refused for; the key names the setting.
    """
    return validate(copy.deepcopy(raw), path, [], where=where)


def edit_indicator(scenario: Scenario, indicator: str, **settings) -> Scenario:
    """A copy of `scenario` with settings of one indicator replaced (``growth={2027: 5.0}``, ``sd=1.5``,
    ``uncertainty=0.5``, ``shocks=[...]``; ``None`` removes a setting).

    ``growth`` is merged year by year into the existing centres; other settings replace.
    """
    raw = scenario.to_dict()
    body = raw.setdefault("indicators", {}).setdefault(indicator, {}) or {}
    raw["indicators"][indicator] = body
    for key, value in settings.items():
        if key == "growth" and value is not None:
            body["growth"] = {**_growth_by_year(body.get("growth"), scenario.years), **value}
        elif value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return scenario_from_dict(raw, where=f"scenario {scenario.name}", path=scenario.path)


def _growth_by_year(growth, years) -> dict:
    """The ``growth`` setting of a file (a number, ``model`` or a year mapping) as a full year mapping."""
    if isinstance(growth, dict):
        return {int(y): v for y, v in growth.items()}
    if growth is None:
        return {}
    return {y: growth for y in years}


def scenario_yaml(scenario: Scenario, *, origin=None) -> str:
    """The scenario's resolved settings as YAML text (UTF-8, Chinese kept readable).

    `origin` (the file the scenario was edited from) is named in the first comment line.
    """
    import yaml

    origin = origin or scenario.path
    header = (f"# Scenario {scenario.name} written by econsim from an edited copy of "
              f"{Path(origin).name if origin else 'a scenario'}; extends resolved.\n")
    return header + yaml.safe_dump(scenario.to_dict(), allow_unicode=True, sort_keys=False)


def save_scenario(scenario: Scenario, path, *, name: str | None = None, seed: int | None = None) -> Path:
    """Write `scenario` as a YAML file (atomically) and check that it loads back.

    Parameters
    ----------
    scenario : Scenario
    path : str or Path
        Target ``.yaml`` file.
    name : str, optional
        The name written into the file (default: the file's stem, so ``econsim run FILE`` writes to
        ``out/<stem>``).
    seed : int, optional
        The seed written into the file (default: the scenario's).

    Returns
    -------
    Path
    """
    from ..io.writing import write_text_atomic
    from .files import load_scenario

    path = Path(path)
    raw = scenario.to_dict()
    raw["name"] = name or path.stem
    if seed is not None:
        raw["seed"] = int(seed)
    named = scenario_from_dict(raw, where=str(path), path=scenario.path)
    write_text_atomic(path, scenario_yaml(named, origin=scenario.path))
    load_scenario(path)  # what was written is a valid scenario file
    return path
