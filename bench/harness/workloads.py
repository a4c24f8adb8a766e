"""Each workload, through dstack on its embedded default and through each available peer, several times."""
import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

import peers as peer_tools
import pipelines
import shell
from dstack_sandbox import DstackSandbox
from results import OURS

MIB = 1024 * 1024


def pipeline(results, binary, shape, n, repeat, peers, log, cached=False, memory=False):
    """fan-out or chain of N: wall time per job, submit to last DONE; optionally the cached re-run and peak memory."""
    jobs = n + 2 if shape == "fanout" else n
    label = "fan-out" if shape == "fanout" else "chain"
    log(f"{label} {n}: dstack")
    with DstackSandbox(binary, pipelines.dstack_yaml(shape, n)) as sandbox:
        target = pipelines.dstack_target(shape, n)
        per_job = []
        for _ in range(repeat):
            seconds, _ = sandbox.run_and_wait(target, "--no-cache")
            per_job.append(seconds / jobs * 1000)
        results.add(label, n, "wall time per job", "ms", OURS, per_job)
        if cached:
            times = [sandbox.run_and_wait(target)[0] for _ in range(repeat)]
            results.add("cached re-run of the fan-out", n, "time until DONE", "s", OURS, times)
        if memory:
            for name, pid in (("server", sandbox.server_pid()), ("runner", sandbox.runner_pid())):
                peak = shell.peak_rss_kib(pid)
                if peak is not None:
                    results.add(f"memory in the fan-out", n, f"peak RSS of the {name}", "MiB", OURS, [peak / 1024])
    for peer in peers:
        log(f"{label} {n}: {peer.name}")
        try:
            with peer_tools.PeerFolder(peer, shape, n) as folder:
                per_job = []
                for _ in range(repeat):
                    peer.clean(folder)
                    per_job.append(peer.build(folder) / jobs * 1000)
                results.add(label, n, "wall time per job", "ms", peer.name, per_job)
                if cached:
                    times = [peer.build(folder) for _ in range(repeat)]
                    results.add("cached re-run of the fan-out", n, "time until DONE", "s", peer.name, times)
        except shell.CommandFailed as failure:
            # A peer that cannot run a workload (snakemake's DAG builder recurses once per link of a long chain) is
            # named in the notes; the others are still measured. dstack failing still stops the run.
            lines = str(failure).splitlines()
            reason = next((line for line in lines if re.search(r"\w+Error: \S", line)), lines[0])
            log(f"{label} {n}: {peer.name} failed: {reason}")
            results.note(f"{peer.name} could not run the {label} of {n}: {reason.strip()}")


def startup(results, binary, repeat, peers, log):
    """CLI start-up against a running server: `dstack status` and `dstack run --help`; the peers' dry-run queries."""
    log("start-up")
    with DstackSandbox(binary, pipelines.dstack_yaml("fanout", 10)) as sandbox:
        sandbox.run_and_wait("gather")
        for args in (["status"], ["run", "--help"]):
            times = [sandbox.timed(*args) * 1000 for _ in range(repeat)]
            results.add("CLI start-up", "", f"dstack {' '.join(args)}", "ms", OURS, times)
        dispatch = []
        for _ in range(repeat):
            sandbox.run_and_wait("produce", "--no-cache")
            job = sandbox.last_run()["jobs"][0]
            dispatch.append((_time(job["startedAt"]) - _time(job["submittedAt"])).total_seconds() * 1000)
        results.add("dispatch", "", "idle runner: submitted to started", "ms", OURS, dispatch)
    for peer in peers:
        with peer_tools.PeerFolder(peer, "fanout", 10) as folder:
            peer.build(folder)
            times = [shell.timed(peer.query_args(), cwd=folder) * 1000 for _ in range(repeat)]
            results.add("CLI start-up", "", f"{peer.command}: what would run", "ms", peer.name, times)


def artifacts(results, binary, size_mb, repeat, log):
    """4 jobs each writing a SIZE MB file as an artifact: the time artifacts add to the runs, against two parallel
    `cp`s of the same files (and the SHA-256 of them, their floor); then downloading them with `dstack artifacts -o`
    against `cp` + `sha256sum` (and `cp` + OpenSSL's SHA-256).

    Every timed step writes a gigabyte, and on this VM how long that takes moves by tenths of a second with the state of
    its memory and disk (writeback, pages given back to the host): each repetition times ours and the references in
    turn, in an order that alternates, each step after a `sync` and with the last step's output deleted, and the
    workload takes more repetitions than the others (artifacts_repeat)."""
    log(f"artifacts 4 x {size_mb} MB")
    size = size_mb * MIB
    lines = ["workflows:"]
    for i in range(1, 5):
        make = f"mkdir -p big{i} && (yes job-{i} || true) | head -c {size} > big{i}/data.bin"
        lines += [f"  - name: keep{i}", f"    commands: ['{make}']", f"    artifacts: [big{i}]",
                  f"  - name: drop{i}", f"    commands: ['{make}']"]
    label = f"4 x {size_mb} MB"
    openssl = shell.which("openssl")
    # The runner has a slot a core: the 4 jobs hash their files that many at a time.
    hashers = max(1, min(4, os.cpu_count() or 1))
    figures = {}  # (figure, tool) -> seconds of each repetition
    source = tempfile.mkdtemp(prefix="bench-files-")
    try:
        files = []
        for i in range(1, 5):
            path = os.path.join(source, f"data{i}.bin")
            subprocess.run(f"yes job-{i} | head -c {size} > {path}", shell=True, check=True)
            files.append(path)
        hash_groups = [files[i::hashers] for i in range(hashers)]
        references = [
            ("time added by keeping them", "two parallel cp",
             lambda out: f"(cp {files[0]} {files[1]} {out}/) & (cp {files[2]} {files[3]} {out}/) & wait"),
            ("download", "cp + sha256sum", lambda out: f"cp {' '.join(files)} {out}/ && sha256sum {out}/* > /dev/null"),
        ]
        if openssl:
            references += [
                # The floor of keeping them: every byte hashed once with SHA-256 (the store's content address).
                ("time added by keeping them", f"{hashers} parallel SHA-256 (openssl)",
                 lambda out: " & ".join(f"({openssl} dgst -sha256 {' '.join(g)} > /dev/null)" for g in hash_groups) + " & wait"),
                # coreutils' sha256sum does not use the CPU's SHA instructions (0.74 s for 256 MB here, OpenSSL 0.19 s).
                ("download", "cp + openssl sha256", lambda out: f"cp {' '.join(files)} {out}/ && {openssl} dgst -sha256 {out}/* > /dev/null"),
            ]
        with DstackSandbox(binary, "\n".join(lines) + "\n") as sandbox:
            for rep in range(repeat):
                spans = {}
                for kind in (["keep", "drop"] if rep % 2 == 0 else ["drop", "keep"]):
                    shell.sync()
                    spans[kind] = _makespan(sandbox, [f"{kind}{i}" for i in range(1, 5)])
                figures.setdefault(("time added by keeping them", OURS), []).append(max(spans["keep"][0] - spans["drop"][0], 0.0))

                def download(out, runs=spans["keep"][1]):
                    start = time.perf_counter()
                    for run in runs:
                        sandbox.dstack("artifacts", run, "-o", out)
                    return time.perf_counter() - start

                steps = [("download", OURS, download)] + [
                    (figure, tool, lambda out, command=command: shell.timed(["bash", "-c", command(out)]))
                    for figure, tool, command in references]
                for figure, tool, step in (steps if rep % 2 == 0 else steps[::-1]):
                    out = tempfile.mkdtemp(prefix="bench-out-")
                    try:
                        shell.sync()
                        figures.setdefault((figure, tool), []).append(step(out))
                    finally:
                        shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(source, ignore_errors=True)
    for (figure, tool), seconds in figures.items():
        results.add("artifacts", label, figure, "s", tool, seconds)


def logs(results, binary, lines, repeat, log):
    """A job printing LINES lines: the time until `dstack logs` has them all; and the delay from a line printed to
    the line shown by `dstack logs -f`."""
    log(f"logs {lines} lines")
    yaml = ("workflows:\n"
            f"  - name: flood\n    commands: [seq 1 {lines}]\n"
            "  - name: ticks\n    commands: ['for i in $(seq 1 60); do date +%s%N; sleep 0.05; done']\n")
    with DstackSandbox(binary, yaml) as sandbox:
        totals = []
        for _ in range(repeat):
            seconds, run = sandbox.run_and_wait("flood", "--no-cache")
            count = sandbox.dstack("logs", run["jobs"][0]["jobId"]).count("\n")
            if count != lines:
                raise shell.CommandFailed(f"dstack logs showed {count} lines of {lines}")
            totals.append(seconds)
        results.add("logs", f"{lines} lines", "time until all are shown", "s", OURS, totals)
        delays = []
        for _ in range(repeat):
            delays += _follow_delays(sandbox)
        results.add("logs", "logs -f", "delay from printed to shown (median)", "ms", OURS, delays)


def _follow_delays(sandbox):
    """Submits the ticking job, follows it with `dstack logs -f`, and returns how late each line arrived (ms)."""
    run_name = sandbox.dstack("run", "ticks", "--no-cache").strip().splitlines()[-1].strip()
    follower = subprocess.Popen([sandbox.binary, "logs", "-f", run_name], cwd=sandbox.repo, env=sandbox.env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    delays = []
    started = time.time_ns()
    timer = threading.Timer(120, follower.kill)
    timer.start()
    try:
        for raw in follower.stdout:
            arrived = time.time_ns()
            token = raw.decode("utf-8", "replace").strip().split()[-1:] or [""]
            if not token[0].isdigit():
                continue
            printed = int(token[0])
            # Lines printed before the follower was reading come from the backlog, not from following.
            if printed > started + 500_000_000:
                delays.append((arrived - printed) / 1e6)
    finally:
        timer.cancel()
        follower.wait()
    return delays


def _makespan(sandbox, workflows):
    """Submits one run per workflow at once; waits until all are DONE; returns (first start to last finish, run names)."""
    names = [sandbox.dstack("run", w, "--no-cache").strip().splitlines()[-1].strip() for w in workflows]
    deadline = time.monotonic() + 900
    while True:
        runs = [r for r in json.loads(sandbox.dstack("status", "--last", str(len(names) + 5), "--json"))
                if r["runName"] in names]
        if len(runs) == len(names) and all(r["status"] in ("DONE", "FAILED", "STOPPED", "ABORTED") for r in runs):
            break
        if time.monotonic() > deadline:
            raise shell.CommandFailed("runs did not finish within 900 s")
        time.sleep(0.2)
    failed = [r["runName"] for r in runs if r["status"] != "DONE"]
    if failed:
        raise shell.CommandFailed(f"runs {failed} did not end DONE")
    jobs = [j for r in runs for j in r["jobs"]]
    start = min(_time(j["startedAt"]) for j in jobs)
    end = max(_time(j["finishedAt"]) for j in jobs)
    return (end - start).total_seconds(), names


def _time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
