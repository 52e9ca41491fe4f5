"""Scenarios and regions: which scenarios apply to a region, and what is kept when one is applied elsewhere.

A scenario *applies* to a region when it names that region or names none.  Settings written for one
region are never carried silently to another: when a scenario is applied to a region other than the
one its settings were written for (``extends`` across regions, ``--region``, or a one-region data
file), :func:`fit_region` keeps only the indicators the region has reported figures for, drops the
rest, and states both in the projection's notes (and so in the run's and report's manifest).
"""
from __future__ import annotations

import dataclasses


def applies_to(scenario, region: str) -> bool:
    """Whether `scenario` was written for `region` (or for no region in particular)."""
    return "region" not in scenario.raw or scenario.region == region


def region_for(scenario, dataset, requested: str | None = None) -> str:
    """The region to apply `scenario` to: `requested`, else the scenario's, else a one-region file's.

    Raises
    ------
    InputError
        Naming the scenario file when the scenario's own region is not in the data (and the data
        hold several regions), or the data file when `requested` is not.
    """
    from ..errors import InputError

    try:
        return dataset.default_region(requested, preferred=scenario.region)
    except InputError as exc:
        if requested:
            raise
        raise InputError(exc.message, path=scenario.path or scenario.name, key="region") from None


def with_region(scenario, region: str):
    """`scenario` applied to `region`; every indicator written for another region is marked foreign."""
    if region == scenario.region:
        return scenario
    origin = f"{scenario.path.name if scenario.path else scenario.name}, written for {scenario.region}"
    foreign = {**dict.fromkeys(scenario.indicators, origin), **scenario.foreign} \
        if "region" in scenario.raw else dict(scenario.foreign)
    return dataclasses.replace(scenario, region=region, foreign=foreign)


def fit_region(scenario, dataset) -> tuple:
    """The scenario with only those foreign indicators the region reports; and notes saying what happened.

    An indicator linked to a dropped driver is dropped too.

    Returns
    -------
    (Scenario, list of str)

    Raises
    ------
    InputError
        When nothing is left to project (no indicator of the scenario is reported for the region).
    """
    from ..errors import InputError

    if not scenario.foreign:
        return scenario, []
    region = scenario.region
    reported = set(dataset.select(region=region, status=["actual", "preliminary"])["indicator"])
    dropped = {k for k in scenario.foreign if k not in reported}
    changed = True
    while changed:  # a link needs its driver
        changed = False
        for key, spec in scenario.indicators.items():
            if key not in dropped and any(ln["driver"] in dropped for ln in spec.links):
                dropped.add(key)
                changed = True
    notes = []
    for key, origin in scenario.foreign.items():
        if key in dropped:
            why = "no reported figures" if key not in reported else "its driver is not projected"
            notes.append(f"{key}: not projected for {region} ({why}); its settings come from {origin}")
        else:
            notes.append(f"{key}: settings inherited from {origin} (growth, spread, price, targets) — "
                         f"assumptions made for another region, kept because {region} reports {key}")
    kept = {k: v for k, v in scenario.indicators.items() if k not in dropped}
    if not kept:
        raise InputError(f"no indicator of the scenario is reported for region '{region}' (its settings were "
                         f"written for another region); write a scenario with 'region: {region}'",
                         path=scenario.path or scenario.name, key="region")
    return dataclasses.replace(scenario, indicators=kept), notes
