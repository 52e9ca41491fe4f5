"""Writing results so that a failure never leaves half-written output.

Everything a command writes is first written to a temporary sibling and then moved into
place with ``os.replace`` (atomic on one filesystem).  Directories of results are staged
in a temporary sibling directory and swapped in as a whole.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Mapping

from ..errors import InputError


def check_output_dir(out, *, option: str = "--out") -> Path:
    """`out` as a Path usable as an output directory; InputError if it is a file or cannot be made."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"output path exists and is a file, not a directory; choose another {option}",
                         path=out, key=option)
    parent = out  # the nearest existing directory on the way up is where the output will be made
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise InputError("a parent of the output path is a file", path=out, key=option)
    if not os.access(parent, os.W_OK):
        raise InputError("output location is not writable", path=out, key=option)
    return out


def write_text_atomic(path, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` via a temporary file and an atomic rename."""
    return write_bytes_atomic(path, text.encode(encoding))


def write_manifest(path: str | os.PathLike, manifest: Mapping[str, Any]) -> Path:
    """Write a manifest (:func:`econsim.io.manifest.build_manifest`) atomically as UTF-8 JSON, one key a line."""
    import json

    return write_text_atomic(path, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


def write_bytes_atomic(path, data: bytes) -> Path:
    """Write `data` to `path` via a temporary file and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def _previous_outputs(out_dir: Path, manifest: str) -> set[str]:
    """Files the previous run listed in its manifest (``outputs_sha256``), relative to `out_dir`."""
    import json

    try:
        listed = json.loads((out_dir / manifest).read_text(encoding="utf-8")).get("outputs_sha256")
    except (OSError, ValueError, AttributeError):
        return set()
    names = set()
    for name in listed if isinstance(listed, dict) else ():
        p = (out_dir / name).resolve()
        if p.parent == out_dir.resolve():  # only plain names inside out_dir, never elsewhere
            names.add(p.name)
    return names


def _stage_prefix(out_dir: Path) -> str:
    """How the staging directories of `out_dir` are named: ``.<name>.staging-<pid>-<random>``, beside it."""
    return f".{out_dir.name}.staging-"


def abandoned_stages(out_dir: str | os.PathLike) -> list[Path]:
    """Staging directories of `out_dir` left by runs that no longer run, sorted by name.

    A stage is abandoned when the process named in it no longer exists, or when its name holds no
    process id at all; stages of live processes (this one included) are not.
    """
    out_dir = Path(out_dir)
    prefix = _stage_prefix(out_dir)
    found = []
    for d in sorted(out_dir.parent.glob(f"{prefix}*")):
        if not d.is_dir():
            continue
        try:
            pid = int(d.name[len(prefix):].partition("-")[0])
        except ValueError:
            pid = None
        if pid is None or (pid != os.getpid() and not pid_alive(pid)):
            found.append(d)
    return found


def remove_abandoned_stages(out_dir: str | os.PathLike,
                            salvage: Callable[[Path], None] | None = None) -> None:
    """Delete the :func:`abandoned_stages` of `out_dir`, each after `salvage(stage)` kept what it wants."""
    for stage in abandoned_stages(out_dir):
        if salvage is not None:
            salvage(stage)
        shutil.rmtree(stage, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (on this machine)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    return True


@contextlib.contextmanager
def staged_files(out_dir, manifest: str = "manifest.json"):
    """Stage files for `out_dir`; on success move each into place, on failure leave `out_dir` untouched.

    Usage::

        with staged_files(out) as stage:
            (stage / "projection.csv").write_text(...)
            ...
        # now out/projection.csv exists

    Files are moved one by one with ``os.replace`` only after the block has finished without error,
    `manifest` last.  Files the previous run listed in its manifest but this run did not write are
    then removed, so the directory never mixes two runs; files econsim did not write are left alone.
    Staging directories of killed runs are cleaned up on the next run.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_stages(out_dir)
    stage = Path(tempfile.mkdtemp(prefix=f"{_stage_prefix(out_dir)}{os.getpid()}-", dir=out_dir.parent))
    try:
        yield stage
        previous = _previous_outputs(out_dir, manifest)
        out_dir.mkdir(parents=True, exist_ok=True)
        files = sorted((p for p in stage.rglob("*") if p.is_file()),
                       key=lambda p: (p.relative_to(stage).as_posix() == manifest, p.as_posix()))
        written = set()
        for src in files:
            rel = src.relative_to(stage)
            dst = out_dir / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            written.add(rel.as_posix())
        for name in previous - written:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                (out_dir / name).unlink()
    finally:
        shutil.rmtree(stage, ignore_errors=True)
