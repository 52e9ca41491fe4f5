"""econsim sweep: sweep.csv and charts, exit 2 before any work on a bad key."""
import pandas as pd


def test_two_way_sweep_writes_one_row_per_point_a_tornado_and_a_heat_map(run_cli, tmp_path):
    out = tmp_path / "sw"
    code, stdout, err = run_cli("sweep", "baseline", "--vary", "gdp.growth.2027=5:7:2",
                                "--vary", "gdp.sd=1:2:1", "--draws", "100", "--seed", "4", "--out", out)
    assert code == 0, err
    frame = pd.read_csv(out / "sweep.csv")
    assert len(frame) == 4 and list(frame.columns[:3]) == ["point", "gdp.growth.2027", "gdp.sd"]
    assert {"tornado_1.png", "tornado_2.png", "heatmap_1.png", "manifest.json"} <= {p.name for p in out.iterdir()}


def test_a_sweep_gives_the_same_bytes_twice(run_cli, tmp_path):
    for name in ("a", "b"):
        assert run_cli("sweep", "baseline", "--vary", "gdp.growth.2027=5:7:1", "--draws", "50",
                       "--out", tmp_path / name)[0] == 0
    assert (tmp_path / "a" / "sweep.csv").read_bytes() == (tmp_path / "b" / "sweep.csv").read_bytes()


def test_an_unknown_key_exits_2_and_writes_nothing(run_cli, tmp_path):
    code, _, err = run_cli("sweep", "baseline", "--vary", "gdp.grwoth.2027=5:7:1", "--out", tmp_path / "x")
    assert code == 2 and err.startswith("econsim: error:") and "gdp.grwoth.2027" in err
    assert not (tmp_path / "x").exists()


def test_ctrl_c_during_a_sweep_leaves_no_output(run_cli, tmp_path, monkeypatch):
    import econsim.distributed as dist

    calls = []

    def interrupted(fn, items, client=None, **kw):
        calls.append(1)
        fn(items[0], shared=kw.get("shared"))          # one point done, then the user presses Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(dist, "map_items", interrupted)
    code, _, err = run_cli("sweep", "baseline", "--vary", "gdp.growth.2027=5:7:1", "--draws", "50",
                           "--out", tmp_path / "sw")
    assert calls and code == 130 and "interrupted" in err
    assert list(tmp_path.iterdir()) == []
