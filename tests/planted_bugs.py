"""Plant each of issue 14's nine bugs in turn, run its test files, revert; print which tests caught it.

Run from the repository root: ``.venv/bin/python tests/planted_bugs.py [name ...]``.  Not collected by
pytest (the name has no ``test_`` prefix); it edits econsim/ and writes each file back as it found it (uncommitted
work included).
"""
import subprocess, sys
BUGS = [
 ("mase_avg_scale", "econsim/forecasting/backtest.py",
  '"mase": float(np.mean(np.abs(y - f) / scale))', '"mase": float(np.mean(np.abs(y - f)) / np.mean(scale))',
  "tests/forecasting/test_backtest.py"),
 ("msis_1_over_alpha", "econsim/forecasting/backtest.py",
  "(hi - lo) + (2 / alpha) * ((lo - y)", "(hi - lo) + (1 / alpha) * ((lo - y)",
  "tests/forecasting/test_backtest.py"),
 ("horizon_sqrt_k", "econsim/forecasting/auto.py",
  "return np.asarray(k, dtype=float)", "return np.sqrt(np.asarray(k, dtype=float))",
  "tests/forecasting/test_models.py"),
 ("weights_lookahead", "econsim/forecasting/auto.py",
  "m = None if cut is None else cut - origins[i]", "m = None if cut is None else cut - origins[i] + 1",
  "tests/forecasting/test_models.py"),
 ("price_difference", "econsim/data/checks.py",
  "price = 100 * ((1 + implied / 100) / (1 + growth.value / 100) - 1)", "price = implied - growth.value",
  "tests/data/test_checks.py"),
 ("nowcast_cdf", "econsim/forecasting/nowcast.py",
  "else 1 - NormalDist(estimate, sd).cdf(target)", "else NormalDist(estimate, sd).cdf(target)",
  "tests/forecasting/test_nowcast.py"),
 ("override_ignores_price", "econsim/scenario/engine.py",
  "(p.override_level[t] / prev / (1 + p.price[t] / 100) - 1) * 100", "(p.override_level[t] / prev - 1) * 100",
  "tests/scenario/test_engine.py"),
 ("lock_no_same_host", "econsim/report/lock.py",
  'if info.get("host") == socket.gethostname() and isinstance(pid, int):', "if isinstance(pid, int):",
  "tests/report/test_lock.py tests/report/test_render.py"),
 ("manifest_first", "econsim/io/writing.py",
  "key=lambda p: (p.relative_to(stage).as_posix() == manifest,", "key=lambda p: (p.relative_to(stage).as_posix() != manifest,",
  "tests/io/test_writing.py"),
]
only = sys.argv[1:]
for name, path, old, new, tests in BUGS:
    if only and name not in only:
        continue
    src = open(path, encoding="utf-8").read()
    assert src.count(old) == 1, (name, src.count(old))
    open(path, "w", encoding="utf-8").write(src.replace(old, new))
    try:
        r = subprocess.run([".venv/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests.split()],
                           capture_output=True, text=True)
        failed = [l.split(" - ")[0].replace("FAILED ", "") for l in r.stdout.splitlines() if l.startswith("FAILED")]
        print(f"{name}: {'CAUGHT' if r.returncode else 'MISSED'} by {failed}", flush=True)
    finally:
        open(path, "w", encoding="utf-8").write(src)
