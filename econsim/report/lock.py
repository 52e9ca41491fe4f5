"""The lock that allows one report run per month and scenario.

The lock is a file ``<out>/<as-of>/.<scenario>.lock`` created exclusively, holding the PID, host
and start time of its run.  A second concurrent run stops with :class:`ReportLocked` (bad input,
exit 2) naming the running PID; a lock whose process is gone, or older than
:data:`LOCK_MAX_AGE`, is taken over.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import socket
import time
from pathlib import Path

from ..errors import InputError
from ..io.writing import pid_alive

#: A lock older than this (seconds) is taken to belong to a hung or killed run.
LOCK_MAX_AGE = 2 * 3600


class ReportLocked(InputError):
    """Another run holds the lock of this month and scenario."""


# --------------------------------------------------------------------------- locking

def _read_lock(path: Path) -> tuple[str, dict]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "", {}
    try:
        info = json.loads(raw)
    except ValueError:
        return raw, {}
    return raw, info if isinstance(info, dict) else {}


def lock_is_stale(info: dict, *, mtime: float, max_age: float = LOCK_MAX_AGE, now: float | None = None) -> bool:
    """Whether a lock belongs to a run that is gone: its process is dead, or it is older than `max_age` s.

    A lock written on another host cannot be checked by PID and goes stale by age only.  A
    lock whose content cannot be read yet (a run is writing it) is young, hence not stale.
    """
    now = time.time() if now is None else now
    started = info.get("started_at")
    if not isinstance(started, (int, float)):  # missing, or not a number: the file's own time
        started = mtime
    if now - started > max_age:
        return True
    pid = info.get("pid")
    if info.get("host") == socket.gethostname() and isinstance(pid, int):
        return not pid_alive(pid)
    return False


@contextlib.contextmanager
def report_lock(path, *, max_age: float = LOCK_MAX_AGE, what: str = "this report"):
    """Hold the lock file `path` for the duration of the block.

    The lock is a file created with ``O_EXCL`` holding the owner's PID, host and start time.
    A lock left by a killed run (dead PID on this host, or older than `max_age` seconds) is
    broken and taken over.

    Raises
    ------
    ReportLocked
        If a live run holds the lock (the message names its PID and start time).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mine = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started_at": time.time(),
                       "started": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")})
    for _attempt in range(5):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            raw, info = _read_lock(path)
            try:
                mtime = path.stat().st_mtime
            except FileNotFoundError:
                continue
            if not raw.strip() and time.time() - mtime < 60:
                info = {"host": socket.gethostname()}  # being written right now: a live run
            if not lock_is_stale(info, mtime=mtime, max_age=max_age):
                raise ReportLocked(
                    f"another econsim report run is rendering {what} (pid {info.get('pid', '?')} on "
                    f"{info.get('host', '?')}, started {info.get('started', '?')}); wait for it to finish "
                    f"(a lock from a killed run is taken over once its process is gone or after "
                    f"{max_age / 3600:g} h)", path=path)
            _break_stale_lock(path, raw)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(mine)
        break
    else:
        raise ReportLocked("could not take the lock; several runs are competing for it", path=path)
    try:
        yield path
    finally:
        raw, _info = _read_lock(path)
        if raw == mine:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def _break_stale_lock(path: Path, stale_raw: str) -> None:
    """Remove the stale lock `path` unless another run replaced it since we read `stale_raw`."""
    tomb = path.with_name(f"{path.name}.stale-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(path, tomb)
    except FileNotFoundError:
        return
    raw = tomb.read_text(encoding="utf-8")  # the tomb's name is ours alone: nobody else moves it
    if raw != stale_raw:
        # a fresh lock was created between our read and the rename: give it back
        with contextlib.suppress(FileExistsError):
            os.link(tomb, path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tomb)
