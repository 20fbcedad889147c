#!/usr/bin/env python3
"""Where the time of a Faultline command goes, by phase: kernel, protocol, client layer, checks
during the run (watchers, invariants), checkers after the run, store, setup, process start.

    bench/profile_phases.py [--seeds N] [--freq HZ] -- COMMAND...
    bench/profile_phases.py --seeds 200 -- build/release/cli/faultline sweep \
        scenarios/raft/nemesis_all_options.toml --seeds 1..200 --jobs 1 --db /tmp/p.db

Records COMMAND with `perf record --call-graph dwarf` (Debian's linux-perf; user-space sampling
works at the default perf_event_paranoid of 2), then gives every sample to the phase of the
innermost frame on its stack that a phase claims: malloc called from a Raft handler is the
protocol's, a Raft handler called by the kernel is the protocol's, the kernel's send called
from a Raft handler is the kernel's. Frames are matched by symbol name (the rules below), so
the split follows the code's namespaces. With --seeds, it also prints milliseconds per seed.

A developer's tool, not part of the build: BENCHMARKS.md records its output.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
import time

# (phase, pattern) in the order a frame is tested: the first pattern a frame matches names its
# phase. Watchers come before the protocol, since a protocol's invariants live in its namespace.
RULES = [
    ("checks during the run (watchers, invariants)",
     r"Watcher|Invariants|invariant|faultline::runner::.*watch|LivenessProbe"),
    ("checkers after the run", r"faultline::check::|SystemSession::finish|SystemSession::State::check|"
                               r"faultline::runner::.*(check|verdict|expect)"),
    ("store (SQLite)", r"sqlite3|faultline::store::"),
    ("client layer (workload, history)", r"faultline::kv::|add_clients|HistoryRecorder"),
    ("protocol", r"faultline::(raft|primary_backup|dynamo|crdt|paxos|twopc|lab\d+)::"),
    ("kernel (events, network, fibers, trace, disk)",
     r"faultline::World::|faultline::Trace|EventQueue|faultline::Network|faultline::Partition|"
     r"LatencyModel|faultline::Rng|Coroutine|boost::context|faultline::Context::|LocalClock|"
     r"faultline::Disk|make_fcontext|jump_fcontext|ontop_fcontext"),
    ("setup (scenario, world, system)", r"faultline::scenario::|world_setup|SystemSession::SystemSession|"
                                        r"build_world|plugin::.*build|Catalog|catalog"),
]
COMPILED = [(name, re.compile(p)) for name, p in RULES]
OTHER = "process start and other (loader, CLI, threads)"


# Checks and the store are charged for everything under them (the protocol code a watcher calls to
# read the replicas' state is the watcher's cost); the other phases by the innermost frame.
CALLER_PHASES = 3


def classify(frames):
    for name, pattern in COMPILED[:CALLER_PHASES]:
        if any(pattern.search(sym) for sym in frames):
            return name
    for sym in frames:  # innermost first
        for name, pattern in COMPILED[CALLER_PHASES:]:
            if pattern.search(sym):
                return name
    return OTHER


def samples(perf_data):
    out = subprocess.run(["perf", "script", "-i", perf_data, "-F", "ip,sym"], capture_output=True, text=True,
                         errors="replace", check=True).stdout
    frames = []
    for line in out.splitlines():
        line = line.strip()
        if not line:
            if frames:
                yield frames
            frames = []
            continue
        parts = line.split(None, 1)
        frames.append(parts[1] if len(parts) > 1 else "")
    if frames:
        yield frames


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=0, help="seeds the command runs (for ms per seed)")
    ap.add_argument("--freq", type=int, default=2999, help="samples per second")
    ap.add_argument("--top", type=int, default=0, help="also list the N hottest innermost symbols of each phase")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("give the command to profile after --")
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "perf.data")
        start = time.monotonic()
        rc = subprocess.run(["perf", "record", "-q", "-F", str(args.freq), "--call-graph", "dwarf,16384", "-o", data,
                             "--"] + cmd, stdout=subprocess.DEVNULL).returncode
        wall = time.monotonic() - start
        if rc != 0:
            print(f"profile_phases: the command exited {rc}", file=sys.stderr)
        phases = collections.Counter()
        hottest = collections.defaultdict(collections.Counter)
        total = 0
        for frames in samples(data):
            phase = classify(frames)
            phases[phase] += 1
            hottest[phase][frames[0][:100]] += 1
            total += 1
    if total == 0:
        sys.exit("profile_phases: no samples (is perf allowed here? see /proc/sys/kernel/perf_event_paranoid)")
    cpu_s = total / args.freq
    print(f"{total} samples, ~{cpu_s:.2f} s of CPU, {wall:.2f} s wall under perf")
    print()
    print("| Phase | Share | ms per seed |" if args.seeds else "| Phase | Share |")
    print("|---|---|---|" if args.seeds else "|---|---|")
    for phase, n in phases.most_common():
        share = 100.0 * n / total
        if args.seeds:
            print(f"| {phase} | {share:.1f} % | {1000.0 * cpu_s * n / total / args.seeds:.2f} |")
        else:
            print(f"| {phase} | {share:.1f} % |")
    if args.top:
        for phase, _ in phases.most_common():
            print(f"\n{phase}:")
            for sym, n in hottest[phase].most_common(args.top):
                print(f"  {100.0 * n / total:5.1f} %  {sym}")


if __name__ == "__main__":
    main()
