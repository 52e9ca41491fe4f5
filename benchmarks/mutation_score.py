"""Mutation score per module from the verdicts mutmut keeps in ``mutants/``.

Run after ``mutmut run`` (see the README's development section)::

    .venv/bin/python benchmarks/mutation_score.py            # a Markdown table, one row per module
    .venv/bin/python benchmarks/mutation_score.py --survivors # also every surviving mutant, by function

Score = (killed + timed out) / (all mutants − skipped). Mutants that no selected test reaches ("no tests")
and survivors both count against it, so the score is stricter than mutmut's own ``killed / tested``.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

# mutmut's exit-code vocabulary (mutmut/stats.py), restated so this script needs no mutmut import
_STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
           36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout",
           37: "type check", None: "not checked", -11: "segfault", -9: "segfault"}


def verdicts(root: Path) -> dict[str, collections.Counter]:
    """Count mutants by status for each mutated module under ``root/mutants``."""
    table: dict[str, collections.Counter] = {}
    for meta in sorted((root / "mutants").rglob("*.py.meta")):
        module = str(meta.relative_to(root / "mutants"))[: -len(".meta")]
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        table[module] = collections.Counter(_STATUS.get(code, "suspicious") for code in codes.values())
    return table


def survivors(root: Path) -> dict[str, list[str]]:
    """Names of the mutants that survived or reached no test, per module."""
    out: dict[str, list[str]] = {}
    for meta in sorted((root / "mutants").rglob("*.py.meta")):
        module = str(meta.relative_to(root / "mutants"))[: -len(".meta")]
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        out[module] = sorted(k for k, c in codes.items() if _STATUS.get(c) in ("survived", "no tests"))
    return out


def score(counts: collections.Counter) -> float:
    """(killed + timeout) / (all − skipped), in percent; NaN when nothing was run."""
    decided = sum(counts.values()) - counts["skipped"] - counts["not checked"]
    return 100.0 * (counts["killed"] + counts["timeout"]) / decided if decided else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="project root holding mutants/ (default: .)")
    parser.add_argument("--survivors", action="store_true", help="list surviving mutants too (default: off)")
    args = parser.parse_args(argv)
    table = verdicts(args.root)
    if not table:
        print(f"no mutmut verdicts under {args.root / 'mutants'}: run mutmut first", file=sys.stderr)
        return 2
    print("| module | mutants | killed | timeout | survived | no tests | not checked | score |")
    print("|---|---|---|---|---|---|---|---|")
    total: collections.Counter = collections.Counter()
    for module, counts in table.items():
        total.update(counts)
        print(f"| {module} | {sum(counts.values())} | {counts['killed']} | {counts['timeout']} | "
              f"{counts['survived']} | {counts['no tests']} | {counts['not checked']} | {score(counts):.1f}% |")
    print(f"| **all** | {sum(total.values())} | {total['killed']} | {total['timeout']} | {total['survived']} | "
          f"{total['no tests']} | {total['not checked']} | **{score(total):.1f}%** |")
    if args.survivors:
        for module, names in survivors(args.root).items():
            by_function = collections.Counter(n.rsplit("__mutmut_", 1)[0] for n in names)
            print(f"\n{module}: {len(names)}")
            for function, n in by_function.most_common():
                print(f"  {n:4d}  {function}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
