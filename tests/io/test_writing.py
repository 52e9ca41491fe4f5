"""Specification of staged, atomic output: a failure writes nothing; a success never mixes two runs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from econsim.io.writing import check_output_dir, pid_alive, staged_files, write_text_atomic
from econsim.errors import InputError


def _manifest(names):
    return json.dumps({"outputs_sha256": {n: "x" for n in names}})


def test_a_failure_inside_the_block_leaves_the_directory_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "projection.csv").write_text("old")
    with pytest.raises(RuntimeError):
        with staged_files(out) as stage:
            (stage / "projection.csv").write_text("new")
            raise RuntimeError("boom")
    assert (out / "projection.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging directory left behind


def test_success_moves_every_file_into_place(tmp_path):
    out = tmp_path / "out"
    with staged_files(out) as stage:
        (stage / "a.csv").write_text("a")
        (stage / "manifest.json").write_text(_manifest(["a.csv"]))
    assert (out / "a.csv").read_text() == "a"


def test_the_manifest_is_moved_into_place_after_every_other_file(tmp_path, monkeypatch):
    import os

    out, moved, real_replace = tmp_path / "out", [], os.replace

    def recording_replace(src, dst):
        # a reader looking now sees the manifest only if every listed file is already there
        if (out / "manifest.json").exists():
            assert all((out / n).exists() for n in ("a.csv", "z.csv", "sub/b.png"))
        moved.append(os.path.relpath(dst, out))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", recording_replace)
    with staged_files(out) as stage:
        (stage / "manifest.json").write_text(_manifest(["a.csv", "z.csv", "sub/b.png"]))
        (stage / "a.csv").write_text("a")
        (stage / "z.csv").write_text("z")
        (stage / "sub").mkdir()
        (stage / "sub" / "b.png").write_bytes(b"png")
    assert moved[-1] == "manifest.json" and sorted(moved[:-1]) == ["a.csv", os.path.join("sub", "b.png"), "z.csv"]
    assert json.loads((out / "manifest.json").read_text())["outputs_sha256"] == {"a.csv": "x", "z.csv": "x",
                                                                                 "sub/b.png": "x"}


def test_outputs_of_the_previous_run_not_written_again_are_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "fan_old.png").write_text("old chart")
    (out / "manifest.json").write_text(_manifest(["fan_old.png"]))
    (out / "my_notes.txt").write_text("the user's own file")
    with staged_files(out) as stage:
        (stage / "fan_new.png").write_text("new chart")
        (stage / "manifest.json").write_text(_manifest(["fan_new.png"]))
    assert sorted(p.name for p in out.iterdir()) == ["fan_new.png", "manifest.json", "my_notes.txt"]


def test_a_manifest_cannot_make_econsim_delete_files_outside_the_directory(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "precious.txt"
    victim.write_text("keep")
    (out / "manifest.json").write_text(_manifest(["../precious.txt"]))
    with staged_files(out) as stage:
        (stage / "manifest.json").write_text(_manifest([]))
    assert victim.read_text() == "keep"


def test_a_staging_directory_of_a_killed_run_is_cleaned_up(tmp_path):
    out = tmp_path / "out"
    abandoned = tmp_path / ".out.staging-999999999-abc"  # no such process
    abandoned.mkdir()
    (abandoned / "projection.csv").write_text("half")
    with staged_files(out) as stage:
        (stage / "a.csv").write_text("a")
    assert not abandoned.exists()


def test_write_text_atomic_replaces_the_whole_file(tmp_path):
    p = write_text_atomic(tmp_path / "x.csv", "new")
    assert p.read_text() == "new" and len(list(tmp_path.iterdir())) == 1


def test_an_output_path_that_is_a_file_is_refused_naming_the_path_and_option(tmp_path):
    f = tmp_path / "file"
    f.write_text("")
    with pytest.raises(InputError) as err:
        check_output_dir(f, option="--dir")
    assert str(err.value) == f"{f}: key '--dir': output path exists and is a file, not a directory; choose another --dir"


def test_an_output_path_under_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("")
    out = tmp_path / "file" / "sub" / "out"
    with pytest.raises(InputError) as err:
        check_output_dir(out)
    assert str(err.value) == f"{out}: key '--out': a parent of the output path is a file"


@pytest.mark.parametrize("relative", ["", "new/deeper"], ids=["existing", "new"])
def test_an_output_path_whose_nearest_existing_directory_is_read_only_is_refused(tmp_path, monkeypatch, relative):
    # root may write anywhere, so the permission is simulated: only tmp_path/locked is read-only
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != locked)
    out = locked / relative if relative else locked
    with pytest.raises(InputError) as err:
        check_output_dir(out, option="--excel")
    assert str(err.value) == f"{out}: key '--excel': output location is not writable"
    assert check_output_dir(tmp_path / "free" / "out") == tmp_path / "free" / "out"


@pytest.mark.parametrize("relative", ["", "new", "new/deeper"])
def test_an_existing_directory_or_a_new_path_under_one_is_accepted_unchanged(tmp_path, relative):
    out = tmp_path / relative
    assert check_output_dir(str(out)) == out and not (tmp_path / "new").exists()


@pytest.mark.parametrize("raised, alive", [(ProcessLookupError, False), (PermissionError, True), (OSError, False)])
def test_pid_alive_reads_what_signal_zero_raises(monkeypatch, raised, alive):
    import os

    def kill(pid, sig):
        assert sig == 0
        raise raised()

    monkeypatch.setattr(os, "kill", kill)
    assert pid_alive(12345) is alive


def test_a_staging_directory_of_a_live_process_is_not_abandoned(tmp_path):
    import os

    from econsim.io.writing import abandoned_stages

    (tmp_path / f".out.staging-{os.getpid()}-abc").mkdir()
    (tmp_path / f".out.staging-{os.getppid()}-abc").mkdir()  # another live process: its run is going on
    (tmp_path / ".out.staging-0-a-file").write_text("")        # not a directory: never a stage
    dead = tmp_path / ".out.staging-999999999-abc"
    nameless = tmp_path / ".out.staging-abc123"   # no process id in the name: nobody can own it
    dead.mkdir()
    nameless.mkdir()
    assert abandoned_stages(tmp_path / "out") == [dead, nameless]


def test_salvage_sees_each_abandoned_stage_before_it_is_removed(tmp_path):
    from econsim.io.writing import remove_abandoned_stages

    stage = tmp_path / ".out.staging-999999999-abc"
    stage.mkdir()
    (stage / "half.csv").write_text("half", encoding="utf-8")
    kept = []
    remove_abandoned_stages(tmp_path / "out", salvage=lambda s: kept.append((s / "half.csv").read_text()))
    assert kept == ["half"] and not stage.exists()


def test_a_manifest_whose_outputs_are_not_a_name_to_hash_mapping_removes_nothing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.csv").write_text("kept")
    (out / "manifest.json").write_text(json.dumps({"outputs_sha256": ["mine.csv"]}))
    with staged_files(out) as stage:
        (stage / "a.csv").write_text("a")
    assert (out / "mine.csv").read_text() == "kept"


def test_an_atomic_write_makes_missing_parent_directories(tmp_path):
    target = tmp_path / "a" / "b" / "c.txt"
    write_text_atomic(target, "年报")
    assert target.read_bytes() == "年报".encode("utf-8")


def test_an_atomic_write_goes_through_a_hidden_temporary_sibling_named_after_the_target(tmp_path, monkeypatch):
    # the rename is atomic only on one filesystem, so the temporary file sits beside the target
    import os

    renamed = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (renamed.append(Path(src)), real_replace(src, dst)))
    write_text_atomic(tmp_path / "projection.csv", "x")
    (tmp,) = renamed
    assert tmp.parent == tmp_path and tmp.name.startswith(".projection.csv.") and tmp.suffix == ".tmp"


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    import os

    target = tmp_path / "projection.csv"
    target.write_text("old")

    def broken_replace(src, dst):
        raise PermissionError("disk says no")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(PermissionError, match="disk says no"):
        write_text_atomic(target, "new")
    assert [p.name for p in tmp_path.iterdir()] == ["projection.csv"] and target.read_text() == "old"
