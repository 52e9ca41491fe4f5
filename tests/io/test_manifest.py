"""Manifests: one layout for every command, with SHA-256 of what was read and written."""
import hashlib
import json

from econsim.io.manifest import MANIFEST_PACKAGES, build_manifest, input_hashes, output_hashes
from econsim.io.writing import write_manifest

ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # FIPS 180-2 example "abc"


def test_inputs_are_keyed_by_resolved_path_once_each_and_none_is_skipped(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_bytes(b"abc")
    monkeypatch.chdir(tmp_path)
    hashes = input_hashes(["a.csv", None, tmp_path / "a.csv"])
    assert hashes == {str((tmp_path / "a.csv").resolve()): ABC_SHA256}


def test_outputs_are_the_files_of_the_directory_by_name_sorted(tmp_path):
    (tmp_path / "z.png").write_bytes(b"")
    (tmp_path / "a.csv").write_bytes(b"abc")
    (tmp_path / "sub").mkdir()
    assert list(output_hashes(tmp_path).items()) == [("a.csv", ABC_SHA256),
                                                     ("z.png", hashlib.sha256(b"").hexdigest())]


def test_a_manifest_has_the_command_its_fields_then_the_shared_layout():
    m = build_manifest("run", status="derived", inputs={"/d.csv": "x"}, outputs={"p.csv": "y"},
                       timings={"simulate_s": 1.234567}, packages=("papermill",), seed={"baseline": 7})
    assert list(m) == ["command", "seed", "status", "inputs_sha256", "outputs_sha256", "versions", "timings_s"]
    assert m["command"] == "run" and m["seed"] == {"baseline": 7} and m["timings_s"] == {"simulate_s": 1.2346}
    assert set(MANIFEST_PACKAGES) | {"python", "papermill"} == set(m["versions"])


def test_a_manifest_is_written_as_utf8_json_keeping_chinese_text(tmp_path):
    path = write_manifest(tmp_path / "manifest.json", {"note": "可比价"})
    assert path.read_bytes() == '{\n "note": "可比价"\n}\n'.encode("utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == {"note": "可比价"}
