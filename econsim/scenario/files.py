"""Reading scenario files: safe YAML, finding a scenario by name, and inheritance (``extends``).

Files are read with ``yaml.SafeLoader`` only (never ``eval``), after guards against oversized
files, alias bombs (billion laughs) and duplicate keys.  A file's parents are merged under it,
then :func:`econsim.scenario.spec.validate` checks the result, the same validator that checks a
scenario edited in Python.  Every problem is an :class:`~econsim.errors.InputError` naming the
file and the key (``indicators.gdp.growth.2027``).
"""
from __future__ import annotations

import copy
from pathlib import Path

from ..errors import InputError, did_you_mean
from ..io.reading import read_text
from .spec import DEFAULT_HORIZON, Scenario, check_top_level, type_name, validate

# Guards for reading untrusted YAML: a scenario is a page of settings, never megabytes.
MAX_FILE_BYTES = 256 * 1024
MAX_NODES = 20_000          # nodes after expanding aliases (a billion-laughs file expands to 10^9)
MAX_EXTENDS_DEPTH = 10


# --------------------------------------------------------------------------- safe YAML

def _read_text(path: Path) -> str:
    return read_text(path, what="a scenario YAML file", empty_hint="a YAML mapping with at least 'name'",
                     max_bytes=MAX_FILE_BYTES)


def _check_graph(node, path) -> None:
    """Refuse alias bombs (expanded size) and duplicate mapping keys before anything is built."""
    import yaml

    sizes: dict[int, int] = {}

    def size(n) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # guards against recursive aliases while counting
        total = 1
        if isinstance(n, yaml.SequenceNode):
            total += sum(size(c) for c in n.value)
        elif isinstance(n, yaml.MappingNode):
            seen = {}
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen:
                        raise InputError(f"duplicate key '{k.value}' (first on line {seen[k.value]})",
                                         path=path, line=k.start_mark.line + 1, key=str(k.value))
                    seen[k.value] = k.start_mark.line + 1
                total += size(k) + size(v)
                if total > MAX_NODES:
                    break
        if total > MAX_NODES:
            raise InputError(f"document expands to more than {MAX_NODES} YAML nodes (too many aliases?); "
                             "a scenario file is a page of settings", path=path)
        sizes[key] = total
        return total

    size(node)


def safe_load_yaml(text: str, path: str | Path) -> object:
    """Parse YAML text with ``SafeLoader`` after the alias-bomb and duplicate-key guards."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError("file holds no YAML document; expected a mapping with at least 'name'", path=path)
        _check_graph(node, path)
        return loader.construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        tag = (exc.problem or "").split("tag")[-1].strip(" '!") if exc.problem else ""
        raise InputError(f"YAML tag not allowed ({tag or exc.problem}); scenario files hold plain numbers, "
                         "text, lists and mappings only", path=path, line=line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(f"YAML syntax error: {exc.problem or exc.context}", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", path=path) from None
    except RecursionError:
        raise InputError("YAML nesting is too deep", path=path) from None
    finally:
        loader.dispose()


# --------------------------------------------------------------------------- finding files

def available_scenarios() -> list[str]:
    """Names of the scenarios in ``./scenarios`` and the bundled ``scenarios/``."""
    from ..io import resources

    return resources.list_names("scenarios", ".yaml")


def scenario_path(ref, *, relative_to: Path | None = None) -> Path:
    """The file for `ref`: a path (``.yaml``/``.yml`` or containing a slash) or a scenario name."""
    from ..io import resources

    text = str(ref)
    looks_like_path = text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text
    if looks_like_path:
        p = Path(text)
        if not p.is_absolute() and relative_to is not None:
            p = relative_to / p
        if not p.exists():
            raise InputError("scenario file not found", path=p)
        return p
    if relative_to is not None:
        for suffix in (".yaml", ".yml"):
            sibling = relative_to / f"{text}{suffix}"
            if sibling.is_file():
                return sibling
    found = resources.find("scenarios", f"{text}.yaml")
    if found is None:
        names = available_scenarios()
        raise InputError(f"unknown scenario '{text}'{did_you_mean(text, names)}; available: "
                         f"{', '.join(names) or '(none)'}", path=f"scenarios/{text}.yaml", key="scenario")
    return found


# --------------------------------------------------------------------------- loading and merging

def _deep_merge(parent: dict, child: dict) -> dict:
    """`child` over `parent`; mappings merge key by key, anything else is replaced."""
    out = copy.deepcopy(parent)
    for k, v in child.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


#: Per-indicator settings that are a scalar (every year) or a year -> value mapping.
BY_YEAR_KEYS = ("growth", "add_factors", "price")


def _horizon_years(raw: dict) -> list:
    h = raw.get("horizon", list(DEFAULT_HORIZON))
    if isinstance(h, dict):
        h = [h.get("start", DEFAULT_HORIZON[0]), h.get("end", DEFAULT_HORIZON[1])]
    try:
        return list(range(int(h[0]), int(h[1]) + 1))
    except (TypeError, ValueError, IndexError, KeyError):
        return list(range(DEFAULT_HORIZON[0], DEFAULT_HORIZON[1] + 1))


def _expand_scalars_under(parent: dict, child: dict) -> None:
    """Where a child gives some years of a by-year setting, spell out the parent's scalar per year.

    So ``growth: 6`` in the parent and ``growth: {2027: 5}`` in the child mean 6 in every year
    except 2027, rather than the child's mapping replacing the parent's scalar outright.
    """
    p_inds, c_inds = parent.get("indicators"), child.get("indicators")
    if not isinstance(p_inds, dict) or not isinstance(c_inds, dict):
        return
    years = _horizon_years(_deep_merge(parent, {"horizon": child["horizon"]}) if "horizon" in child else parent)
    for key, c_body in c_inds.items():
        p_body = p_inds.get(key)
        if not isinstance(p_body, dict) or not isinstance(c_body, dict):
            continue
        for field_ in BY_YEAR_KEYS:
            if isinstance(c_body.get(field_), dict) and field_ in p_body \
                    and not isinstance(p_body[field_], (dict, list)):
                p_body[field_] = {y: p_body[field_] for y in years}


def _read_raw(path: Path) -> dict:
    """One file's settings, checked for known top-level keys (so a parent's typo names the parent)."""
    return check_top_level(safe_load_yaml(_read_text(path), path), path)


def _resolve(path: Path, chain: list[Path]) -> tuple[dict, list[Path]]:
    """Raw settings of `path` merged over its parents; also the list of files read."""
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(p.name for p in chain + [resolved])
        raise InputError(f"'extends' cycle: {cycle}", path=path, key="extends")
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise InputError(f"'extends' chain deeper than {MAX_EXTENDS_DEPTH} files", path=path, key="extends")
    data = _read_raw(path)
    parent_ref = data.get("extends")
    if parent_ref is None:
        return data, [path]
    if not isinstance(parent_ref, str) or not parent_ref.strip():
        raise InputError(f"expected a scenario name or relative path, got {type_name(parent_ref)}",
                         path=path, key="extends")
    try:
        parent_path = scenario_path(parent_ref.strip(), relative_to=path.parent)
    except InputError as exc:
        raise InputError(f"parent scenario '{parent_ref}' not found ({exc.message})", path=path,
                         key="extends") from None
    parent, files = _resolve(parent_path, chain + [resolved])
    child = {k: v for k, v in data.items() if k != "extends"}
    _expand_scalars_under(parent, child)
    # A child's name, title and description are its own, never inherited.
    parent = {k: v for k, v in parent.items() if k not in ("name", "title", "description", "extends")}
    return _deep_merge(parent, child), [path] + files


def load_scenario(ref: str | Path) -> Scenario:
    """Read, inherit and validate a scenario.

    Parameters
    ----------
    ref : str or Path
        A file path, or the name of a file in ``./scenarios`` or the bundled ``scenarios/``
        (``"baseline"`` → ``scenarios/baseline.yaml``).

    Returns
    -------
    Scenario

    Raises
    ------
    InputError
        For a missing file or unknown name (listing the available ones), bad YAML, a YAML tag that
        would build a Python object, an alias bomb, an unknown key, indicator or year (with a
        did-you-mean hint), a wrong type, a non-finite or implausible number, a missing parent or
        an ``extends`` cycle.  The message names the file and the dotted key.
    """
    path = scenario_path(ref)
    raw, files = _resolve(path, [])
    return validate(raw, path, files)
