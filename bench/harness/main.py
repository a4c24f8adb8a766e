"""bench/run: measures dstack against its peers on the same workloads, in one run on one machine."""
import argparse
import os
import subprocess
import sys
import time

import peers as peer_tools
import report
import shell
import workloads
from results import Results

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(BENCH)

# What each mode measures: sizes, repetitions, and whether peers run.
MODES = {
    "full": dict(fanout=[10, 100, 500], chain=[10, 100, 500], cached=500, artifacts_mb=256, log_lines=1_000_000,
                 repeat=3, artifacts_repeat=7, startup_repeat=20, peers=True),
    "quick": dict(fanout=[10, 100], chain=[10], cached=100, artifacts_mb=32, log_lines=100_000,
                  repeat=2, artifacts_repeat=2, startup_repeat=5, peers=True),
    "smoke": dict(fanout=[3], chain=[3], cached=3, artifacts_mb=1, log_lines=1000,
                  repeat=1, artifacts_repeat=1, startup_repeat=2, peers=False),
}


def main():
    parser = argparse.ArgumentParser(prog="bench/run", description="Benchmarks dstack against make, doit and snakemake, side by side.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="a subset, in under two minutes")
    group.add_argument("--smoke", action="store_true", help="one tiny pass of each workload, dstack only; installs nothing")
    parser.add_argument("--dstack", help="the dstack binary to measure (default: $DSTACK_BIN, else dstack on PATH, else built here)")
    parser.add_argument("--repeat", type=int, help="repetitions of each measurement (default: 3; --quick 2; --smoke 1)")
    args = parser.parse_args()
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    config = dict(MODES[mode])
    if args.repeat is not None:
        if args.repeat < 1:
            parser.error("--repeat must be at least 1")
        config["repeat"] = config["artifacts_repeat"] = args.repeat

    binary = args.dstack or os.environ.get("DSTACK_BIN") or shell.which("dstack") or build_dstack()
    if not os.access(binary, os.X_OK):
        parser.error(f"{binary} is not an executable dstack")
    peers = []
    if config["peers"]:
        peer_tools.install_missing(log)
        peers = [p for p in peer_tools.ALL if p.available()]
    results = Results()
    started = time.monotonic()
    repeat = config["repeat"]
    for n in config["fanout"]:
        workloads.pipeline(results, binary, "fanout", n, repeat, peers, log,
                           cached=(n == config["cached"]), memory=(n == max(config["fanout"])))
    for n in config["chain"]:
        workloads.pipeline(results, binary, "chain", n, repeat, peers, log)
    workloads.artifacts(results, binary, config["artifacts_mb"], config["artifacts_repeat"], log)
    workloads.logs(results, binary, config["log_lines"], repeat, log)
    workloads.startup(results, binary, config["startup_repeat"], peers, log)
    missing = [p.name for p in peer_tools.ALL if p not in peers]
    if config["peers"] and missing:
        results.note(f"not measured (not installed): {', '.join(missing)}")
    results.note(f"{mode} run, {repeat} repetition(s) per figure, {time.monotonic() - started:.0f} s in all")
    table = report.render(results, mode, binary)
    sys.stdout.write(table)
    if mode != "smoke":
        os.makedirs(os.path.join(BENCH, "results"), exist_ok=True)
        with open(os.path.join(BENCH, "results", "latest.md"), "w", encoding="utf-8") as f:
            f.write(table)
        log("written to bench/results/latest.md")


def build_dstack():
    prefix = os.path.join(BENCH, ".build")
    log(f"no dstack found: building one into {prefix} with ./install.sh")
    subprocess.run([os.path.join(REPO, "install.sh"), "--prefix", prefix], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(prefix, "bin", "dstack")


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    try:
        main()
    except shell.CommandFailed as failure:
        log(f"failed: {failure}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
