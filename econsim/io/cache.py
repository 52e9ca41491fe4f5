"""A cache of expensive derived results across runs, keyed by their inputs and econsim's own code.

Each entry is one file ``<cache dir>/<kind>/<key>.pickle`` where the key is the SHA-256 of the
inputs given by the caller *and* of every source file of the installed econsim package: a changed
input or a changed line of econsim gives a new key, never a stale result.  Entries are written
atomically; an unreadable entry is recomputed.  The cache directory is ``$ECONSIM_CACHE_DIR``, else
``$XDG_CACHE_HOME/econsim``, else ``~/.cache/econsim`` (created private, mode 0700); it holds only
what econsim itself wrote there, and deleting it at any time is safe.  ``ECONSIM_CACHE=off``
disables it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

_CODE: str | None = None


def code_version(package: Path | None = None) -> str:
    """SHA-256 over the source of every module of `package` (default: the installed econsim, computed once).

    Each file's path relative to `package` and its bytes are hashed in path order, so a changed,
    added, removed or renamed module of any layer gives another value.
    """
    global _CODE
    if package is None and _CODE is not None:
        return _CODE
    root = Path(__file__).resolve().parent.parent if package is None else Path(package)
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    if package is None:
        _CODE = h.hexdigest()
    return h.hexdigest()


def cache_dir() -> Path | None:
    """Where cached results live, or None when caching is off (``ECONSIM_CACHE=off``)."""
    if os.environ.get("ECONSIM_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    if os.environ.get("ECONSIM_CACHE_DIR"):
        return Path(os.environ["ECONSIM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "econsim"


def cached(kind: str, inputs: list, compute):
    """`compute()`'s result for `inputs`, from the cache when an earlier run stored it.

    Parameters
    ----------
    kind : str
        What is cached (a subdirectory), e.g. ``"reconstruction"``.
    inputs : list of str
        Everything the result depends on besides econsim's code (content hashes, names, years).
    compute : callable
        Computes the result (picklable) when it is not cached.
    """
    root = cache_dir()
    if root is None:
        return compute()
    key = hashlib.sha256("\0".join([code_version(), kind, *map(str, inputs)]).encode()).hexdigest()
    path = root / kind / f"{key}.pickle"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # missing, truncated, from another Python: recompute
        pass
    result = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only home: no cache, same result
        pass
    return result
