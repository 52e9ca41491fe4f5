"""The resolved scenario (:class:`Scenario`, :class:`IndicatorSpec`) and the one validator behind it.

A scenario's settings are checked by :func:`validate`, whatever their origin: a YAML file read by
:mod:`econsim.scenario.files`, or a loaded scenario edited in Python (``alt.indicators["gdp"]
.growth[2027] = 5.0``), which :func:`econsim.project` checks again through
:meth:`Scenario.validated` before it draws anything.  Every problem is one
:class:`~econsim.errors.InputError` naming the dotted key (``indicators.gdp.growth.2027``), with a
did-you-mean hint for misspelt keys, indicators and years; nothing is silently ignored.
"""
from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import indicators as _ind
from ..errors import InputError, check_draws, check_seed, did_you_mean

#: Keys allowed at the top of a scenario file.
TOP_KEYS = ("name", "title", "description", "extends", "horizon", "region", "draws", "seed",
            "start_from", "outlook", "indicators")
#: Keys allowed under ``indicators.<key>`` (each an attribute of :class:`IndicatorSpec`).
INDICATOR_KEYS = ("growth", "overrides", "add_factors", "shocks", "links", "price", "uncertainty", "sd",
                  "base_level", "targets")
SHOCK_KEYS = ("size", "start", "persistence", "decay")
LINK_KEYS = ("driver", "a", "b", "noise_sd")
OVERRIDE_MEASURES = ("growth", "level")
TARGET_MEASURES = ("growth", "level", "avg_growth")
#: Keys of one target in the list form (the form :attr:`IndicatorSpec.targets` holds).
TARGET_ENTRY_KEYS = ("period", "measure", "target")
START_FROM = ("nowcast",)

DEFAULT_HORIZON = (2026, 2030)
DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 2026
DEFAULT_REGION = "dlhitech"

# Plausibility bounds (percent or percentage points).  A zone's annual growth can swing by tens of
# percent (FDI doubled in Dalian in 2024) but not by 500%, and nothing falls by 100% or more.
GROWTH_BOUNDS = (-90.0, 200.0)
PP_BOUNDS = (-50.0, 50.0)
PRICE_BOUNDS = (-20.0, 50.0)
SD_BOUNDS = (0.0, 50.0)
UNCERTAINTY_BOUNDS = (0.0, 10.0)
LINK_B_BOUNDS = (-10.0, 10.0)
#: A level (overrides, base_level, level targets) in the indicator's unit: positive and finite.
LEVEL_BOUNDS = (1e-9, 1e12)


# --------------------------------------------------------------------------- the resolved scenario

@dataclass(slots=True)
class IndicatorSpec:
    """Resolved assumptions for one indicator (see ``scenarios/README.md``).

    Edit them in place on a loaded scenario; :func:`econsim.project` checks every edit with the
    validator that checks scenario files (unknown attributes are refused at once: the class has
    slots).

    Attributes
    ----------
    growth : dict[int, float | str]
        Centre of annual growth by year, percent, or ``"model"``; years not given follow the model.
    overrides : dict[int, tuple[str, float]]
        Year -> (``"growth"`` in percent or ``"level"`` in the indicator's unit), pinned exactly.
    add_factors : dict[int, float]
        Year -> shift of the growth centre in percentage points.
    shocks : list[dict]
        Each ``{"size": pp, "start": year, "persistence": 0..1}``; effect ``size·persistence^(t-start)``.
    links : list[dict]
        Each ``{"driver": key, "a": pp, "b": elasticity, "noise_sd": pp}``;
        growth = ``a + Σ b·growth(driver) + N(0, noise_sd²)``.
    price : dict[int, float]
        Assumed price change, percent per year, turning real growth into nominal levels.
    uncertainty : float
        Scale on the spread (1 = the model's own spread, 0 = none).
    sd : float or None
        Stated standard deviation of annual growth, percentage points, for assumption paths.
    base_level : float or None
        Level in the year before the horizon when the data lack it (indicator's unit).
    targets : list[dict]
        Each ``{"period": "2027" | "2026-2030", "measure": ..., "target": value}``; growth in
        percent, a level in the indicator's unit.
    """

    growth: dict[int, float | str] = field(default_factory=dict)
    overrides: dict[int, tuple[str, float]] = field(default_factory=dict)
    add_factors: dict[int, float] = field(default_factory=dict)
    shocks: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    price: dict[int, float] = field(default_factory=dict)
    uncertainty: float = 1.0
    sd: float | None = None
    base_level: float | None = None
    targets: list[dict] = field(default_factory=list)

    def uses_model(self, years: Sequence[int]) -> bool:
        """Whether any year's centre comes from the forecaster (no link, some year not a number)."""
        if self.links:
            return False
        return any(not isinstance(self.growth.get(y, "model"), (int, float)) for y in years)

    def to_dict(self) -> dict:
        """These settings as a scenario file writes them under ``indicators.<key>`` (defaults left out).

        Values are copied as they are, not checked: :func:`validate` reads the result exactly as
        it reads a file, so whatever a file could not hold is refused here too.
        """
        default = IndicatorSpec()
        out = {}
        for name in INDICATOR_KEYS:
            value = getattr(self, name)
            if type(value) is not type(getattr(default, name)) or value != getattr(default, name):
                out[name] = copy.deepcopy(value)
        if isinstance(out.get("overrides"), dict):
            out["overrides"] = {y: _override_entry(v) for y, v in out["overrides"].items()}
        return out


def _override_entry(value):
    """``("level", 120.0)`` (in memory) as ``{"level": 120.0}`` (in a file); anything else unchanged."""
    if isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[0], str):
        return {value[0]: value[1]}
    return value


@dataclass(slots=True)
class Scenario:
    """A scenario with its inheritance resolved and every value checked.

    Edit a loaded scenario in place (after ``copy.deepcopy``) to test another assumption;
    :func:`econsim.project` checks it again with :meth:`validated`, so an edit gets exactly the
    checks the same value gets in a file.

    Attributes
    ----------
    name : str
        Short identifier, used for output folders and in tables.
    title, description : str
        Display title and the reasons behind the assumptions.
    horizon : tuple[int, int]
        First and last projected year (inclusive), 2026–2030 by default.
    region : str
        Region of the dataset the scenario projects.
    draws : int
        Default number of Monte Carlo draws.
    seed : int
        Default seed of the random generator.
    start_from : str or None
        ``"nowcast"``: the first year's centre and spread come from the year-to-date nowcast.
    outlook : bool
        Years that would follow the forecaster take the evidence-based outlook instead
        (:mod:`econsim.scenario.outlook`), and indicators are drawn jointly.
    indicators : dict[str, IndicatorSpec]
        In file order.
    path : Path or None
        The file the scenario was read from.
    sources : list[Path]
        The file and every parent it extends (for the run manifest).
    foreign : dict[str, str]
        Indicators whose settings were written for another region: key → where they come from
        (``"baseline.yaml, written for dlhitech"``).  Filled by ``extends`` across regions and by
        :func:`econsim.scenario.regions.with_region`; see :func:`econsim.scenario.plan.fit_region`.
    region_stated : bool
        Whether the scenario names its region (a file without ``region`` applies to any region).
    """

    name: str
    title: str = ""
    description: str = ""
    horizon: tuple[int, int] = DEFAULT_HORIZON
    region: str = DEFAULT_REGION
    draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED
    start_from: str | None = None
    outlook: bool = False
    indicators: dict[str, IndicatorSpec] = field(default_factory=dict)
    path: Path | None = None
    sources: list[Path] = field(default_factory=list)
    foreign: dict[str, str] = field(default_factory=dict)
    region_stated: bool = True

    @property
    def years(self) -> list[int]:
        """Projected years, e.g. ``[2026, ..., 2030]``."""
        return list(range(self.horizon[0], self.horizon[1] + 1))

    def to_dict(self) -> dict:
        """The scenario as it is now (edits included), as plain data in the form of a scenario file.

        Inheritance is resolved (no ``extends``); targets are in the list form.  Written with
        ``yaml.safe_dump``, it is a file that :func:`~econsim.scenario.load_scenario` reads back to
        the same scenario.
        """
        horizon = list(self.horizon) if isinstance(self.horizon, (tuple, list)) else self.horizon
        out = {"name": self.name, "title": self.title, "description": self.description, "horizon": horizon,
               "region": self.region, "draws": self.draws, "seed": self.seed}
        if not self.region_stated and self.region == DEFAULT_REGION:
            del out["region"]  # a scenario for any region stays one
        if self.start_from is not None:
            out["start_from"] = self.start_from
        if self.outlook is not False:  # anything else (true, or a wrong type to be refused) is written
            out["outlook"] = self.outlook
        indicators = self.indicators
        if isinstance(indicators, dict):
            indicators = {key: spec.to_dict() if isinstance(spec, IndicatorSpec) else spec
                          for key, spec in indicators.items()}
        out["indicators"] = indicators
        return copy.deepcopy(out)

    def validated(self) -> Scenario:
        """This scenario as it is now, checked by the validator that checks scenario files.

        Returns
        -------
        Scenario
            A new scenario with the values normalised (numbers as floats, overrides as
            ``(measure, value)``); equal to this one when nothing was edited.

        Raises
        ------
        InputError
            For the first value a scenario file could not hold either, naming its dotted key:
            ``indicators.gdp.growth.2027`` for ``"5%"``, for the year written as text ``"2027"``,
            or for 500.0 (outside −90…200); ``indicators.gdp.growth.2031`` for a year outside the
            horizon; an unknown indicator or setting; a wrong type.
        """
        where = f"{self.path} (as edited in Python)" if self.path else f"scenario {self.name!r} built in Python"
        return validate(self.to_dict(), self.path, self.sources, where=where).keeping_origin(self)

    def keeping_origin(self, source: Scenario) -> Scenario:
        """This scenario, marked foreign where `source` is (for the indicators it still has); returned.

        Where settings were written for is not a setting (:meth:`to_dict` leaves it out), so a
        scenario rebuilt from :meth:`to_dict` of `source` takes it from `source` this way.
        """
        self.foreign = {k: v for k, v in source.foreign.items() if k in self.indicators}
        return self

    def file_hashes(self) -> dict[str, str]:
        """sha256 of the scenario file and each parent, keyed by path."""
        from ..io.manifest import input_hashes

        return input_hashes(self.sources)

    def __repr__(self) -> str:
        return (f"Scenario({self.name!r}, horizon={self.horizon[0]}–{self.horizon[1]}, region={self.region!r}, "
                f"indicators={list(self.indicators)}, draws={self.draws}, seed={self.seed})")

    def _repr_html_(self) -> str:
        import html

        rows = []
        for key, spec in self.indicators.items():
            growth = ", ".join(f"{y}: {spec.growth.get(y, 'model')}" for y in self.years)
            extras = []
            if spec.overrides:
                extras.append("overrides " + ", ".join(f"{y} {m}={v:g}" for y, (m, v) in spec.overrides.items()))
            if spec.add_factors:
                extras.append("add factors " + ", ".join(f"{y}: {v:+g}pp" for y, v in spec.add_factors.items()))
            for s in spec.shocks:
                extras.append(f"shock {s['size']:+g}pp from {s['start']} (persistence {s['persistence']:g})")
            for ln in spec.links:
                extras.append(f"link {ln['a']:g} + {ln['b']:g}×{ln['driver']} ± {ln['noise_sd']:g}")
            if spec.price:
                extras.append("price " + ", ".join(f"{y}: {v:g}%" for y, v in spec.price.items()))
            spread = f"sd {spec.sd:g}pp" if spec.sd is not None else "model spread"
            rows.append(f"<tr><td>{html.escape(_ind.label(key))}</td><td>{html.escape(growth)}</td>"
                        f"<td>{html.escape(spread)} × {spec.uncertainty:g}</td>"
                        f"<td>{html.escape('; '.join(extras))}</td></tr>")
        return (f"<p><b>Scenario {html.escape(self.name)}</b> {html.escape(self.title)} — "
                f"{self.horizon[0]}–{self.horizon[1]}, region {html.escape(self.region)}, "
                f"{self.draws} draws, seed {self.seed}</p>"
                f"<p>{html.escape(self.description)}</p>"
                "<table><thead><tr><th>indicator 指标</th><th>growth centre (%)</th><th>spread</th>"
                "<th>other assumptions</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


# --------------------------------------------------------------------------- validation helpers

class _Checker:
    """Validation with the file path and the dotted key of every value at hand."""

    def __init__(self, path):
        self.path = path

    def fail(self, key, msg):
        raise InputError(msg, path=self.path, key=key)

    def mapping(self, value, key, what="a mapping"):
        if not isinstance(value, dict):
            self.fail(key, f"expected {what}, got {type_name(value)}")
        return value

    def keys(self, value: dict, allowed, key):
        for k in value:
            if k not in allowed:
                where = f"{key}." if key else ""
                self.fail(f"{where}{k}", f"unknown key '{k}'{did_you_mean(k, allowed)}; allowed: "
                          f"{', '.join(allowed)}")

    @staticmethod
    def _yaml_number_hint(value, whole: bool = False) -> str:
        # YAML 1.1 reads 1e5 (no dot, no sign in the exponent) as text, a common surprise.
        try:
            number = float(value)
        except (TypeError, ValueError):
            return ""
        plain = f"{number:.0f}" if whole else f"{number:g}"
        return f"; YAML reads '{value}' as text: write the number out ({plain})"

    def number(self, value, key, bounds=None, what="a number"):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            self.fail(key, f"expected {what}, got {type_name(value)} {value!r}"
                      f"{self._yaml_number_hint(value) if isinstance(value, str) else ''}")
        value = float(value)
        if not math.isfinite(value):
            self.fail(key, f"{value} is not a finite number")
        if bounds and not bounds[0] <= value <= bounds[1]:
            self.fail(key, f"{value:g} is outside the plausible range {bounds[0]:g} to {bounds[1]:g}")
        return value

    def integer(self, value, key, lo, hi, what):
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected {what} (a whole number), got {type_name(value)} {value!r}"
                      f"{self._yaml_number_hint(value, whole=True) if isinstance(value, str) else ''}")
        if not lo <= value <= hi:
            self.fail(key, f"{value} is outside {lo} to {hi}")
        return int(value)

    def text(self, value, key):
        if not isinstance(value, str):
            self.fail(key, f"expected text, got {type_name(value)}")
        return value

    def year(self, value, key, years):
        """`value` as a year of the horizon: a whole number (a year written as text is refused)."""
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            hint = (f"; write the year as a number, {value.strip()}, not as text"
                    if isinstance(value, str) and value.strip().isdigit() else "")
            self.fail(key, f"'{value}' is not a year{hint}")
        y = int(value)
        if y not in years:
            self.fail(key, f"year {y} is outside the horizon {years[0]}–{years[-1]}"
                      f"{did_you_mean(str(y), [str(v) for v in years])}")
        return y

    def by_year(self, value, key, years, fn):
        """A scalar for every year or a year -> value mapping; `fn(v, key)` checks each value."""
        if isinstance(value, dict):
            return {self.year(y, f"{key}.{y}", years): fn(v, f"{key}.{y}") for y, v in value.items()}
        v = fn(value, key)
        return {y: v for y in years}


def type_name(value) -> str:
    """How a value's type reads in an error message (``a mapping``, ``text``, ``a whole number``)."""
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing",
            int: "a whole number", float: "a number"}.get(type(value), type(value).__name__)


def check_top_level(data, path) -> dict:
    """`data` if it is a mapping of known top-level scenario keys; InputError naming `path` otherwise."""
    if not isinstance(data, dict):
        raise InputError(f"top level must be a mapping of scenario keys (name, indicators, ...), got "
                         f"{type_name(data)}", path=path)
    _Checker(path).keys(data, TOP_KEYS, "")
    return data


# --------------------------------------------------------------------------- the validator

def validate(raw: dict, path: Path | None = None, sources: Sequence[Path] = (), *,
             where: str | Path | None = None) -> Scenario:
    """Check a scenario's settings and build the :class:`Scenario` they describe.

    The one validator of scenarios: it reads what a file holds after ``extends`` is resolved
    (:func:`~econsim.scenario.load_scenario`) and what :meth:`Scenario.to_dict` gives for a
    scenario edited in Python (:meth:`Scenario.validated`).

    Parameters
    ----------
    raw : dict
        Settings in the form of a scenario file (see ``scenarios/README.md``).
    path : Path, optional
        The file they came from (kept as :attr:`Scenario.path`).
    sources : sequence of Path
        The file and every parent it extends.
    where : str or Path, optional
        What error messages name instead of `path` (``baseline.yaml (as edited in Python)``).

    Returns
    -------
    Scenario
        Normalised (years as whole numbers, values as floats) and keeping `path` and `sources`.

    Raises
    ------
    InputError
        For the first value that is missing, unknown, of the wrong type or implausible, naming
        the dotted key (``indicators.gdp.growth.2027``) with a did-you-mean hint where one helps.
    """
    chk = _Checker(path if where is None else where)
    check_top_level(raw, chk.path)
    name, title, description = _identity(chk, raw)
    start, end = _horizon(chk, raw)
    region = chk.text(raw.get("region", DEFAULT_REGION), "region").strip()
    draws = check_draws(raw.get("draws", DEFAULT_DRAWS), path=chk.path)
    seed = check_seed(raw.get("seed", DEFAULT_SEED), path=chk.path)
    start_from = _start_from(chk, raw)
    outlook = _outlook(chk, raw)
    specs = _indicators(chk, raw, list(range(start, end + 1)))
    return Scenario(name=name, title=title, description=description, horizon=(start, end), region=region,
                    draws=draws, seed=seed, start_from=start_from, outlook=outlook, indicators=specs, path=path,
                    sources=list(sources), region_stated="region" in raw)


def _identity(chk: _Checker, raw: dict) -> tuple[str, str, str]:
    """Name (required, usable as a folder name), title and description."""
    if "name" not in raw:
        chk.fail("name", "missing key 'name' (the scenario's short identifier, e.g. baseline)")
    name = chk.text(raw["name"], "name").strip()
    if not name or any(c in name for c in "/\\\n") or name.startswith("."):
        chk.fail("name", f"'{name}' is not usable as a name (no slashes, no leading dot)")
    return name, chk.text(raw.get("title", ""), "title"), chk.text(raw.get("description", ""), "description")


def _horizon(chk: _Checker, raw: dict) -> tuple[int, int]:
    """First and last projected year, from ``[first, last]`` or ``{start:, end:}``."""
    horizon = raw.get("horizon", list(DEFAULT_HORIZON))
    if isinstance(horizon, dict):
        chk.keys(horizon, ("start", "end"), "horizon")
        horizon = [horizon.get("start", DEFAULT_HORIZON[0]), horizon.get("end", DEFAULT_HORIZON[1])]
    if not isinstance(horizon, list) or len(horizon) != 2:
        chk.fail("horizon", "expected [first_year, last_year], e.g. [2026, 2030]")
    start = chk.integer(horizon[0], "horizon", 2000, 2100, "a year")
    return start, chk.integer(horizon[1], "horizon", start, start + 30, "a year after the first")


def _start_from(chk: _Checker, raw: dict) -> str | None:
    start_from = raw.get("start_from")
    if start_from is not None:
        start_from = chk.text(start_from, "start_from")
        if start_from not in START_FROM:
            chk.fail("start_from", f"unknown value '{start_from}'{did_you_mean(start_from, START_FROM)}; "
                     f"allowed: {', '.join(START_FROM)}")
    return start_from



def _outlook(chk: _Checker, raw: dict) -> bool:
    """``outlook: true``: the evidence-based outlook replaces the forecaster's centre (default false)."""
    outlook = raw.get("outlook", False)
    if not isinstance(outlook, bool):
        chk.fail("outlook", f"expected true or false, got {type_name(outlook)} {outlook!r}")
    return outlook


def _indicators(chk: _Checker, raw: dict, years: list[int]) -> dict[str, IndicatorSpec]:
    """Each indicator's settings, then the links between them (drivers present, no cycle)."""
    specs = {}
    for key, body in chk.mapping(raw.get("indicators", {}) or {}, "indicators").items():
        if key not in _ind.INDICATORS:
            chk.fail(f"indicators.{key}", f"unknown indicator '{key}'{did_you_mean(key, _ind.INDICATORS)}; "
                     "the list: econsim indicators")
        specs[key] = _indicator_spec(chk, key, body or {}, years)
    for key, spec in specs.items():
        for i, ln in enumerate(spec.links):
            if ln["driver"] not in specs:
                chk.fail(f"indicators.{key}.links.{i}.driver",
                         f"driver '{ln['driver']}' is not among this scenario's indicators"
                         f"{did_you_mean(ln['driver'], specs)}; add it under 'indicators'")
    link_order(specs, chk.path)  # refuses cycles now rather than at run time
    return specs


def _indicator_spec(chk: _Checker, key: str, body, years: list[int]) -> IndicatorSpec:
    """One indicator's settings, each checked by its own reader (in the order of ``INDICATOR_KEYS``)."""
    base = f"indicators.{key}"
    chk.mapping(body, base)
    chk.keys(body, INDICATOR_KEYS, base)
    ind = _ind.INDICATORS[key]
    return IndicatorSpec(
        growth=_growth(chk, body, base, years),
        overrides=_overrides(chk, body, base, years),
        add_factors=_add_factors(chk, body, base, years),
        shocks=_shocks(chk, body, base, years),
        links=_links(chk, body, base, key),
        price=_price(chk, body, base, years, ind),
        uncertainty=_uncertainty(chk, body, base),
        sd=_sd(chk, body, base),
        base_level=_base_level(chk, body, base, ind),
        targets=_targets(chk, body, base, years),
    )


def _entries(chk: _Checker, body: dict, name: str, base: str, allowed, required,
             example: str) -> Iterator[tuple[str, dict]]:
    """(key, entry) for each checked mapping in the list `body[name]` (one mapping stands for a list of one)."""
    entries = body.get(name, []) or []
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        chk.fail(f"{base}.{name}", f"expected a list of {name}, got {type_name(entries)}")
    for i, entry in enumerate(entries):
        k = f"{base}.{name}.{i}"
        chk.mapping(entry, k, f"a mapping like {example}")
        chk.keys(entry, allowed, k)
        for need in required:
            if need not in entry:
                chk.fail(f"{k}.{need}", f"missing key '{need}'")
        yield k, entry


def _by_year_numbers(chk: _Checker, body: dict, base: str, name: str, years: list[int], bounds,
                     what: str) -> dict[int, float]:
    """`body[name]`, a number for every year or a year -> number mapping, each within `bounds`."""
    if name not in body:
        return {}
    return chk.by_year(body[name], f"{base}.{name}", years, lambda v, k: chk.number(v, k, bounds, what))


def _growth(chk: _Checker, body: dict, base: str, years: list[int]) -> dict[int, float | str]:
    """Growth centre by year: percent, or ``model``."""
    def growth_value(v, k):
        if isinstance(v, str):
            if v.strip() == "model":
                return "model"
            chk.fail(k, f"expected a growth rate in percent or 'model', got text '{v}'{chk._yaml_number_hint(v)}"
                     f"{did_you_mean(v, ['model'])}")
        return chk.number(v, k, GROWTH_BOUNDS, "a growth rate in percent or 'model'")

    return chk.by_year(body["growth"], f"{base}.growth", years, growth_value) if "growth" in body else {}


def _overrides(chk: _Checker, body: dict, base: str, years: list[int]) -> dict[int, tuple[str, float]]:
    """Year -> (``growth`` in percent or ``level`` in the indicator's unit), from ``{year: {measure: value}}``."""
    out = {}
    for y, ov in chk.mapping(body.get("overrides", {}) or {}, f"{base}.overrides").items():
        k = f"{base}.overrides.{y}"
        year = chk.year(y, k, years)
        m, v = _one_measure(chk, ov, k, OVERRIDE_MEASURES, "{growth: 6.0} or {level: 520}",
                            "'growth' (percent) or 'level' (indicator's unit)")
        out[year] = (m, chk.number(v, f"{k}.{m}", GROWTH_BOUNDS if m == "growth" else LEVEL_BOUNDS))
    return out


def _one_measure(chk: _Checker, entry, key: str, measures, example: str, choice: str) -> tuple[str, object]:
    """The one ``measure: value`` pair of a mapping such as ``{growth: 6.0}`` (overrides, targets)."""
    chk.mapping(entry, key, f"a mapping like {example}")
    chk.keys(entry, measures, key)
    if len(entry) != 1:
        chk.fail(key, f"give exactly one of {choice}")
    (measure, value), = entry.items()
    return measure, value


def _add_factors(chk: _Checker, body: dict, base: str, years: list[int]) -> dict[int, float]:
    return _by_year_numbers(chk, body, base, "add_factors", years, PP_BOUNDS, "percentage points")


def _shocks(chk: _Checker, body: dict, base: str, years: list[int]) -> list[dict]:
    """Each ``{size: pp, start: year, persistence: 0–1}`` (``decay`` = 1 − persistence)."""
    out = []
    for k, s in _entries(chk, body, "shocks", base, SHOCK_KEYS, ("size", "start"),
                         "{size: -2, start: 2026, persistence: 0.5}"):
        if "persistence" in s and "decay" in s:
            chk.fail(k, "give 'persistence' or 'decay' (= 1 − persistence), not both")
        if "decay" in s:
            persistence = 1.0 - chk.number(s["decay"], f"{k}.decay", (0.0, 1.0), "a decay rate 0–1")
        else:
            persistence = chk.number(s.get("persistence", 0.0), f"{k}.persistence", (0.0, 1.0),
                                     "a persistence 0–1")
        out.append({"size": chk.number(s["size"], f"{k}.size", PP_BOUNDS, "percentage points"),
                    "start": chk.year(s["start"], f"{k}.start", years),
                    "persistence": persistence})
    return out


def _links(chk: _Checker, body: dict, base: str, key: str) -> list[dict]:
    """Each ``{driver: indicator, a: pp, b: elasticity, noise_sd: pp}`` (not the indicator itself)."""
    out = []
    for k, ln in _entries(chk, body, "links", base, LINK_KEYS, ("driver", "b"),
                          "{driver: gdp, a: 0.5, b: 1.0, noise_sd: 1.0}"):
        driver = chk.text(ln["driver"], f"{k}.driver")
        if driver not in _ind.INDICATORS:
            chk.fail(f"{k}.driver", f"unknown indicator '{driver}'{did_you_mean(driver, _ind.INDICATORS)}")
        if driver == key:
            chk.fail(f"{k}.driver", "an indicator cannot be linked to itself")
        out.append({"driver": driver,
                    "a": chk.number(ln.get("a", 0.0), f"{k}.a", PP_BOUNDS, "percentage points"),
                    "b": chk.number(ln["b"], f"{k}.b", LINK_B_BOUNDS, "an elasticity"),
                    "noise_sd": chk.number(ln.get("noise_sd", 0.0), f"{k}.noise_sd", SD_BOUNDS,
                                           "percentage points")})
    return out


def _price(chk: _Checker, body: dict, base: str, years: list[int], ind) -> dict[int, float]:
    """Price change by year, percent, for indicators whose growth is real (可比价) only."""
    if "price" in body and ind.growth_basis != "comparable":
        chk.fail(f"{base}.price", f"'{ind.key}' grows in nominal terms (现价) already; a price assumption "
                 "applies only to indicators with real (可比价) growth")
    return _by_year_numbers(chk, body, base, "price", years, PRICE_BOUNDS, "a price change in percent")


def _uncertainty(chk: _Checker, body: dict, base: str) -> float:
    if "uncertainty" not in body:
        return 1.0
    return chk.number(body["uncertainty"], f"{base}.uncertainty", UNCERTAINTY_BOUNDS,
                      "a scale on the spread (1 = model's own)")


def _sd(chk: _Checker, body: dict, base: str) -> float | None:
    if body.get("sd") is None:
        return None
    return chk.number(body["sd"], f"{base}.sd", SD_BOUNDS, "a standard deviation in percentage points")


def _base_level(chk: _Checker, body: dict, base: str, ind) -> float | None:
    if body.get("base_level") is None:
        return None
    return chk.number(body["base_level"], f"{base}.base_level", LEVEL_BOUNDS, f"a level in {ind.unit}")


def _targets(chk: _Checker, body: dict, base: str, years: list[int]) -> list[dict]:
    """Targets as ``{period, measure, target}``, from a file's mapping or the in-memory list form.

    The mapping form is ``{2027: {growth: 6}}``; the list form is
    ``[{period: 2027, measure: growth, target: 6}]`` (what :attr:`IndicatorSpec.targets` holds,
    so its period may be written as text).  A period and measure given twice is refused.
    """
    targets = body.get("targets", {}) or {}
    read = _target_list(chk, body, base) if isinstance(targets, list) else _target_mapping(chk, targets, base)
    out, seen = [], {}
    for period, measure, value, (period_key, value_key) in read:
        target = _target(chk, period, measure, value, period_key, value_key, years)
        first = seen.setdefault((target["period"], measure), period_key)
        if first != period_key:
            chk.fail(period_key, f"a second '{measure}' target for {target['period']} (the first is at {first})")
        out.append(target)
    return out


def _target_mapping(chk: _Checker, targets, base: str):
    """(period, measure, value, (key of the period, key of the value)) from ``{period: {measure: value}}``."""
    for period, tgt in chk.mapping(targets, f"{base}.targets").items():
        k = f"{base}.targets.{period}"
        m, v = _one_measure(chk, tgt, k, TARGET_MEASURES, "{growth: 6} or {level: 700}",
                            "'growth', 'level' or 'avg_growth'")
        yield period, m, v, (k, f"{k}.{m}")


def _target_list(chk: _Checker, body: dict, base: str):
    """(period, measure, value, (key of the period, key of the value)) from ``[{period, measure, target}]``."""
    for k, entry in _entries(chk, body, "targets", base, TARGET_ENTRY_KEYS, TARGET_ENTRY_KEYS,
                             "{period: 2027, measure: growth, target: 6}"):
        measure = chk.text(entry["measure"], f"{k}.measure")
        if measure not in TARGET_MEASURES:
            chk.fail(f"{k}.measure", f"unknown measure '{measure}'{did_you_mean(measure, TARGET_MEASURES)}; "
                     f"allowed: {', '.join(TARGET_MEASURES)}")
        period = entry["period"]
        if isinstance(period, str) and period.strip().isdigit():
            period = int(period)  # the list form's period is a label such as "2027"
        yield period, measure, entry["target"], (f"{k}.period", f"{k}.target")


def _target(chk: _Checker, period, measure: str, value, period_key: str, value_key: str,
            years: list[int]) -> dict:
    """One target: a year of the horizon (or the whole horizon for ``avg_growth``) and a plausible value."""
    horizon_label = f"{years[0]}-{years[-1]}"
    if measure == "avg_growth":
        if str(period) != horizon_label:
            chk.fail(period_key, f"an average-growth target is for the whole horizon: write it under "
                     f"'{horizon_label}'")
        label = horizon_label
    else:
        label = str(chk.year(period, period_key, years))
    bounds = LEVEL_BOUNDS if measure == "level" else GROWTH_BOUNDS
    return {"period": label, "measure": measure, "target": chk.number(value, value_key, bounds)}


def link_order(specs: dict, path=None) -> list[str]:
    """Indicators ordered so that every link's driver comes before the indicator it drives.

    Raises
    ------
    InputError
        If links form a cycle (``a`` drives ``b`` drives ``a``).
    """
    order, state = [], {}

    def visit(key, trail):
        if state.get(key) == "done":
            return
        if state.get(key) == "active":
            cycle = " -> ".join(trail + [key])
            raise InputError(f"links form a cycle: {cycle}", path=path, key=f"indicators.{key}.links")
        state[key] = "active"
        for ln in specs[key].links:
            if ln["driver"] in specs:
                visit(ln["driver"], trail + [key])
        state[key] = "done"
        order.append(key)

    for key in specs:
        visit(key, [])
    return order
