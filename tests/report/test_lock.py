"""Specification of the report lock's staleness rule (econsim.report.lock.lock_is_stale)."""
import json
import os
import socket
import subprocess
import sys
import time

import pytest

from econsim.report.lock import LOCK_MAX_AGE, _break_stale_lock, lock_is_stale, report_lock


@pytest.fixture(scope="module")
def dead_pid():
    """The PID of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_fresh_lock_of_a_dead_process_on_this_host_is_stale(dead_pid):
    info = {"pid": dead_pid, "host": socket.gethostname(), "started_at": time.time()}
    assert lock_is_stale(info, mtime=time.time())


def test_a_fresh_lock_from_another_host_is_not_stale_whatever_its_pid(dead_pid):
    # the PID cannot be checked on another machine: only age makes such a lock stale
    now = time.time()
    info = {"pid": dead_pid, "host": socket.gethostname() + "-elsewhere", "started_at": now - 60}
    assert not lock_is_stale(info, mtime=now, now=now)


def test_a_lock_from_another_host_goes_stale_just_past_the_age_limit(dead_pid):
    now = 1_000_000.0
    info = {"pid": os.getpid(), "host": "elsewhere", "started_at": now - 100}
    assert not lock_is_stale(info, mtime=now, max_age=100, now=now)
    assert lock_is_stale(info, mtime=now, max_age=99.9, now=now)


@pytest.mark.parametrize("started", [{"started_at": "yesterday"}, {}], ids=["not a number", "missing"])
def test_a_lock_without_a_start_time_ages_from_its_file_time(started):
    now = 1_000_000.0
    info = {"pid": os.getpid(), "host": socket.gethostname(), **started}
    assert not lock_is_stale(info, mtime=now - LOCK_MAX_AGE + 1, now=now)
    assert lock_is_stale(info, mtime=now - LOCK_MAX_AGE - 1, now=now)


def test_a_lock_holding_json_that_is_not_an_object_is_taken_over_once_old(tmp_path):
    lock = tmp_path / ".baseline.lock"
    lock.write_text("[1, 2]", encoding="utf-8")
    three_hours_ago = time.time() - 3 * 3600
    os.utime(lock, (three_hours_ago, three_hours_ago))
    with report_lock(lock):
        assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert not lock.exists()


def test_breaking_a_stale_lock_gives_back_a_fresh_lock_written_since_it_was_read(tmp_path):
    # the stale content was read, then another run replaced the lock before this one renamed it
    lock = tmp_path / ".baseline.lock"
    lock.write_text('{"pid": 2, "host": "h", "started_at": 5}', encoding="utf-8")
    _break_stale_lock(lock, '{"pid": 1, "host": "h", "started_at": 0}')
    assert lock.read_text(encoding="utf-8") == '{"pid": 2, "host": "h", "started_at": 5}'
    assert sorted(p.name for p in tmp_path.iterdir()) == [".baseline.lock"]


def test_breaking_a_stale_lock_removes_it_when_unchanged(tmp_path):
    lock = tmp_path / ".baseline.lock"
    lock.write_text('{"pid": 1}', encoding="utf-8")
    _break_stale_lock(lock, '{"pid": 1}')
    assert list(tmp_path.iterdir()) == []


def test_a_fresh_lock_holding_garbage_is_respected_and_an_old_one_taken_over(tmp_path):
    # unreadable content says nothing about its owner: only the file's age can free it
    lock = tmp_path / ".baseline.lock"
    lock.write_text("{not json", encoding="utf-8")
    from econsim.report.lock import ReportLocked

    with pytest.raises(ReportLocked, match=r"pid \? on \?, started \?"):
        with report_lock(lock):
            pass
    assert lock.read_text(encoding="utf-8") == "{not json"
    three_hours_ago = time.time() - 3 * 3600
    os.utime(lock, (three_hours_ago, three_hours_ago))
    with report_lock(lock):
        assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()
