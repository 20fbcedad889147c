#!/usr/bin/env python3
"""Two builds' faultline-bench figures side by side, as ratios, measured in the same sitting.

    bench/compare_builds.py OLD_BENCH NEW_BENCH [--rounds 5] [--filter TEXT] [--simgrid]

Runs the two faultline-bench programs in turn (old, new, old, new, ...) `--rounds` times, each
with --reps 1 and the same --filter, keeps each figure's best value per program (the highest for
rates, the lowest for times and sizes), and prints new/old for every figure both report. Alternating
keeps a drift in the machine's speed from landing on one side. A developer's tool; BENCHMARKS.md
records its output.
"""
import argparse
import re
import subprocess

RESULT = re.compile(r"^RESULT (\S+) (\S+) (\S+)$")
HIGHER_IS_BETTER = ("/s", "x")  # units: M_msgs/s, M_events/s, seeds/s, ratios


def run(bench, args):
    out = subprocess.run([bench, "--reps", "1"] + args, capture_output=True, text=True, check=True).stdout
    figures = {}
    for line in out.splitlines():
        m = RESULT.match(line.strip())
        if m:
            figures[m.group(1)] = (float(m.group(2)), m.group(3))
    return figures


def better(unit):
    return max if unit.endswith(HIGHER_IS_BETTER) else min


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--filter", default="")
    ap.add_argument("--simgrid", action="store_true", help="also run SimGrid (each build's own ratio to it)")
    args = ap.parse_args()
    extra = (["--filter", args.filter] if args.filter else []) + (["--simgrid"] if args.simgrid else [])
    best = {"old": {}, "new": {}}
    for _ in range(args.rounds):
        for side, bench in (("old", args.old), ("new", args.new)):
            for name, (value, unit) in run(bench, extra).items():
                kept = best[side].get(name)
                best[side][name] = (value if kept is None else better(unit)(kept[0], value), unit)
    print(f"best of {args.rounds} alternating rounds; ratio = new / old (for times and sizes, below 1 is better)")
    print("| Figure | Old | New | Unit | New / old |")
    print("|---|---|---|---|---|")
    for name, (new, unit) in best["new"].items():
        if name not in best["old"]:
            print(f"| `{name}` | — | {new:.4g} | {unit} | (new figure) |")
            continue
        old = best["old"][name][0]
        ratio = new / old if old else float("nan")
        print(f"| `{name}` | {old:.4g} | {new:.4g} | {unit} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
