"""Scenario files: schema, safe parsing, inheritance (``extends``) and validation.

A scenario is a small YAML file that says what an economist assumes about 2026–2030: a growth
path per indicator (a number in percent, or ``model`` for the forecaster's path), overrides that
pin a year, add factors, shocks, links between indicators, price assumptions for nominal levels,
a scale on the model's spread and targets.  ``scenarios/README.md`` documents every key.

Files are read with ``yaml.SafeLoader`` only (never ``eval``), after guards against oversized
files, alias bombs (billion laughs) and duplicate keys.  Every problem is an
:class:`~econsim.errors.InputError` naming the file and the key (``indicators.gdp.growth.2027``),
with a did-you-mean hint for misspelt keys, indicators and years.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from pathlib import Path

from .. import indicators as _ind
from ..errors import InputError, did_you_mean

#: Keys allowed at the top of a scenario file.
TOP_KEYS = ("name", "title", "description", "extends", "horizon", "region", "draws", "seed",
            "start_from", "outlook", "indicators")
#: Keys allowed under ``indicators.<key>``.
INDICATOR_KEYS = ("growth", "overrides", "add_factors", "shocks", "links", "price", "uncertainty", "sd",
                  "base_level", "targets")
SHOCK_KEYS = ("size", "start", "persistence", "decay")
LINK_KEYS = ("driver", "a", "b", "noise_sd")
OVERRIDE_MEASURES = ("growth", "level")
TARGET_MEASURES = ("growth", "level", "avg_growth")
START_FROM = ("nowcast",)

DEFAULT_HORIZON = (2026, 2030)
DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 2026
DEFAULT_REGION = "dlhitech"
MAX_DRAWS = 5_000_000

# Plausibility bounds (percent or percentage points).  A zone's annual growth can swing by tens of
# percent (FDI doubled in Dalian in 2024) but not by 500%, and nothing falls by 100% or more.
GROWTH_BOUNDS = (-90.0, 200.0)
PP_BOUNDS = (-50.0, 50.0)
PRICE_BOUNDS = (-20.0, 50.0)
SD_BOUNDS = (0.0, 50.0)
UNCERTAINTY_BOUNDS = (0.0, 10.0)
LINK_B_BOUNDS = (-10.0, 10.0)


# --------------------------------------------------------------------------- the resolved scenario

@dataclass
class IndicatorSpec:
    """Resolved assumptions for one indicator (see ``scenarios/README.md``).

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
        Each ``{"period": "2027" | "2026-2030", "measure": ..., "target": value}``.
    """

    growth: dict = field(default_factory=dict)
    overrides: dict = field(default_factory=dict)
    add_factors: dict = field(default_factory=dict)
    shocks: list = field(default_factory=list)
    links: list = field(default_factory=list)
    price: dict = field(default_factory=dict)
    uncertainty: float = 1.0
    sd: float | None = None
    base_level: float | None = None
    targets: list = field(default_factory=list)

    def uses_model(self, years) -> bool:
        """Whether any year's centre comes from the forecaster (no link, some year not a number)."""
        if self.links:
            return False
        return any(not isinstance(self.growth.get(y, "model"), (int, float)) for y in years)


@dataclass
class Scenario:
    """A scenario with its inheritance resolved and every value checked.

    Attributes
    ----------
    name, title, description : str
    horizon : tuple[int, int]
        First and last projected year (inclusive), 2026–2030 by default.
    region : str
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
    """

    name: str
    title: str = ""
    description: str = ""
    horizon: tuple = DEFAULT_HORIZON
    region: str = DEFAULT_REGION
    draws: int = DEFAULT_DRAWS
    seed: int = DEFAULT_SEED
    start_from: str | None = None
    outlook: bool = False
    indicators: dict = field(default_factory=dict)
    path: Path | None = None
    sources: list = field(default_factory=list)
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def years(self) -> list[int]:
        """Projected years, e.g. ``[2026, ..., 2030]``."""
        return list(range(self.horizon[0], self.horizon[1] + 1))

    def to_dict(self) -> dict:
        """The resolved settings as plain data (what the file means after ``extends``)."""
        out = {k: copy.deepcopy(v) for k, v in self.raw.items() if k != "extends"}
        out.update(name=self.name, title=self.title, description=self.description,
                   horizon=list(self.horizon), region=self.region, draws=self.draws, seed=self.seed)
        if self.start_from:
            out["start_from"] = self.start_from
        if self.outlook:
            out["outlook"] = True
        return out

    def file_hashes(self) -> dict:
        """sha256 of the scenario file and each parent, keyed by path."""
        from ..io.manifest import sha256_file

        return {str(Path(p).resolve()): sha256_file(p) for p in self.sources}

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
            self.fail(key, f"expected {what}, got {_type_name(value)}")
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
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"expected {what}, got {_type_name(value)} {value!r}"
                      f"{self._yaml_number_hint(value) if isinstance(value, str) else ''}")
        value = float(value)
        if not math.isfinite(value):
            self.fail(key, f"{value} is not a finite number")
        if bounds and not bounds[0] <= value <= bounds[1]:
            self.fail(key, f"{value:g} is outside the plausible range {bounds[0]:g} to {bounds[1]:g}")
        return value

    def integer(self, value, key, lo, hi, what):
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected {what} (a whole number), got {_type_name(value)} {value!r}"
                      f"{self._yaml_number_hint(value, whole=True) if isinstance(value, str) else ''}")
        if not lo <= value <= hi:
            self.fail(key, f"{value} is outside {lo} to {hi}")
        return int(value)

    def text(self, value, key):
        if not isinstance(value, str):
            self.fail(key, f"expected text, got {_type_name(value)}")
        return value

    def year(self, value, key, years):
        y = value
        if isinstance(y, str) and y.strip().isdigit():
            y = int(y.strip())
        if isinstance(y, bool) or not isinstance(y, int):
            self.fail(key, f"'{value}' is not a year")
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


def _type_name(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing",
            int: "a whole number", float: "a number"}.get(type(value), type(value).__name__)


def _validate(raw: dict, path: Path, files: list[Path]) -> Scenario:
    chk = _Checker(path)
    if "name" not in raw:
        chk.fail("name", "missing key 'name' (the scenario's short identifier, e.g. baseline)")
    name = chk.text(raw["name"], "name").strip()
    if not name or any(c in name for c in "/\\\n") or name.startswith("."):
        chk.fail("name", f"'{name}' is not usable as a name (no slashes, no leading dot)")
    title = chk.text(raw.get("title", ""), "title")
    description = chk.text(raw.get("description", ""), "description")

    horizon = raw.get("horizon", list(DEFAULT_HORIZON))
    if isinstance(horizon, dict):
        chk.keys(horizon, ("start", "end"), "horizon")
        horizon = [horizon.get("start", DEFAULT_HORIZON[0]), horizon.get("end", DEFAULT_HORIZON[1])]
    if not isinstance(horizon, list) or len(horizon) != 2:
        chk.fail("horizon", "expected [first_year, last_year], e.g. [2026, 2030]")
    start = chk.integer(horizon[0], "horizon", 2000, 2100, "a year")
    end = chk.integer(horizon[1], "horizon", start, start + 30, "a year after the first")
    years = list(range(start, end + 1))

    region = chk.text(raw.get("region", DEFAULT_REGION), "region").strip()
    draws = chk.integer(raw.get("draws", DEFAULT_DRAWS), "draws", 1, MAX_DRAWS, "a number of draws")
    seed = chk.integer(raw.get("seed", DEFAULT_SEED), "seed", 0, 2**63 - 1, "a seed")
    start_from = raw.get("start_from")
    if start_from is not None:
        start_from = chk.text(start_from, "start_from")
        if start_from not in START_FROM:
            chk.fail("start_from", f"unknown value '{start_from}'{did_you_mean(start_from, START_FROM)}; "
                     f"allowed: {', '.join(START_FROM)}")

    outlook = raw.get("outlook", False)
    if not isinstance(outlook, bool):
        chk.fail("outlook", f"expected true or false, got {_type_name(outlook)} {outlook!r}")

    inds = chk.mapping(raw.get("indicators", {}) or {}, "indicators")
    specs = {}
    for key, body in inds.items():
        k = f"indicators.{key}"
        if key not in _ind.INDICATORS:
            chk.fail(k, f"unknown indicator '{key}'{did_you_mean(key, _ind.INDICATORS)}; see econsim.indicators")
        specs[key] = _indicator_spec(chk, key, body or {}, years)
    for key, spec in specs.items():
        for i, ln in enumerate(spec.links):
            if ln["driver"] not in specs:
                chk.fail(f"indicators.{key}.links.{i}.driver",
                         f"driver '{ln['driver']}' is not among this scenario's indicators"
                         f"{did_you_mean(ln['driver'], specs)}; add it under 'indicators'")
    link_order(specs, path)  # refuses cycles now rather than at run time

    return Scenario(name=name, title=title, description=description, horizon=(start, end), region=region,
                    draws=draws, seed=seed, start_from=start_from, outlook=outlook, indicators=specs, path=path,
                    sources=files, raw=raw)


def _entries(chk: _Checker, body: dict, name: str, base: str, allowed, required, example: str):
    """(key, entry) for each checked mapping in the list `body[name]` (one mapping stands for a list of one)."""
    entries = body.get(name, []) or []
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        chk.fail(f"{base}.{name}", f"expected a list of {name}, got {_type_name(entries)}")
    for i, entry in enumerate(entries):
        k = f"{base}.{name}.{i}"
        chk.mapping(entry, k, f"a mapping like {example}")
        chk.keys(entry, allowed, k)
        for need in required:
            if need not in entry:
                chk.fail(f"{k}.{need}", f"missing key '{need}'")
        yield k, entry


def _indicator_spec(chk: _Checker, key: str, body, years) -> IndicatorSpec:
    base = f"indicators.{key}"
    chk.mapping(body, base)
    chk.keys(body, INDICATOR_KEYS, base)
    ind = _ind.INDICATORS[key]
    spec = IndicatorSpec()

    def growth_value(v, k):
        if isinstance(v, str):
            if v.strip() == "model":
                return "model"
            chk.fail(k, f"expected a growth rate in percent or 'model', got text '{v}'{chk._yaml_number_hint(v)}"
                     f"{did_you_mean(v, ['model'])}")
        return chk.number(v, k, GROWTH_BOUNDS, "a growth rate in percent or 'model'")

    if "growth" in body:
        spec.growth = chk.by_year(body["growth"], f"{base}.growth", years, growth_value)

    for y, ov in chk.mapping(body.get("overrides", {}) or {}, f"{base}.overrides").items():
        k = f"{base}.overrides.{y}"
        year = chk.year(y, k, years)
        chk.mapping(ov, k, "a mapping like {growth: 6.0} or {level: 520}")
        chk.keys(ov, OVERRIDE_MEASURES, k)
        if len(ov) != 1:
            chk.fail(k, "give exactly one of 'growth' (percent) or 'level' (indicator's unit)")
        (m, v), = ov.items()
        bounds = GROWTH_BOUNDS if m == "growth" else (1e-9, 1e12)
        spec.overrides[year] = (m, chk.number(v, f"{k}.{m}", bounds))

    if "add_factors" in body:
        spec.add_factors = chk.by_year(body["add_factors"], f"{base}.add_factors", years,
                                       lambda v, k: chk.number(v, k, PP_BOUNDS, "percentage points"))

    for k, s in _entries(chk, body, "shocks", base, SHOCK_KEYS, ("size", "start"),
                         "{size: -2, start: 2026, persistence: 0.5}"):
        if "persistence" in s and "decay" in s:
            chk.fail(k, "give 'persistence' or 'decay' (= 1 − persistence), not both")
        if "decay" in s:
            persistence = 1.0 - chk.number(s["decay"], f"{k}.decay", (0.0, 1.0), "a decay rate 0–1")
        else:
            persistence = chk.number(s.get("persistence", 0.0), f"{k}.persistence", (0.0, 1.0),
                                     "a persistence 0–1")
        spec.shocks.append({"size": chk.number(s["size"], f"{k}.size", PP_BOUNDS, "percentage points"),
                            "start": chk.year(s["start"], f"{k}.start", years),
                            "persistence": persistence})

    for k, ln in _entries(chk, body, "links", base, LINK_KEYS, ("driver", "b"),
                          "{driver: gdp, a: 0.5, b: 1.0, noise_sd: 1.0}"):
        driver = chk.text(ln["driver"], f"{k}.driver")
        if driver not in _ind.INDICATORS:
            chk.fail(f"{k}.driver", f"unknown indicator '{driver}'{did_you_mean(driver, _ind.INDICATORS)}")
        if driver == key:
            chk.fail(f"{k}.driver", "an indicator cannot be linked to itself")
        spec.links.append({"driver": driver,
                           "a": chk.number(ln.get("a", 0.0), f"{k}.a", PP_BOUNDS, "percentage points"),
                           "b": chk.number(ln["b"], f"{k}.b", LINK_B_BOUNDS, "an elasticity"),
                           "noise_sd": chk.number(ln.get("noise_sd", 0.0), f"{k}.noise_sd", SD_BOUNDS,
                                                  "percentage points")})

    if "price" in body:
        if ind.growth_basis != "comparable":
            chk.fail(f"{base}.price", f"'{key}' grows in nominal terms (现价) already; a price assumption "
                     "applies only to indicators with real (可比价) growth")
        spec.price = chk.by_year(body["price"], f"{base}.price", years,
                                 lambda v, k: chk.number(v, k, PRICE_BOUNDS, "a price change in percent"))
    if "uncertainty" in body:
        spec.uncertainty = chk.number(body["uncertainty"], f"{base}.uncertainty", UNCERTAINTY_BOUNDS,
                                      "a scale on the spread (1 = model's own)")
    if body.get("sd") is not None:
        spec.sd = chk.number(body["sd"], f"{base}.sd", SD_BOUNDS, "a standard deviation in percentage points")
    if body.get("base_level") is not None:
        spec.base_level = chk.number(body["base_level"], f"{base}.base_level", (1e-9, 1e12),
                                     f"a level in {ind.unit}")

    horizon_label = f"{years[0]}-{years[-1]}"
    for period, tgt in chk.mapping(body.get("targets", {}) or {}, f"{base}.targets").items():
        k = f"{base}.targets.{period}"
        chk.mapping(tgt, k, "a mapping like {growth: 6} or {level: 700}")
        chk.keys(tgt, TARGET_MEASURES, k)
        if len(tgt) != 1:
            chk.fail(k, "give exactly one of 'growth', 'level' or 'avg_growth'")
        (m, v), = tgt.items()
        if m == "avg_growth":
            if str(period) != horizon_label:
                chk.fail(k, f"an average-growth target is for the whole horizon: write it under "
                         f"'{horizon_label}'")
            label = horizon_label
        else:
            label = str(chk.year(period, k, years))
        bounds = GROWTH_BOUNDS if m != "level" else (1e-9, 1e12)
        spec.targets.append({"period": label, "measure": m, "target": chk.number(v, f"{k}.{m}", bounds)})
    return spec


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
