"""Running commands and timing them: the one place the harness starts processes."""
import os
import subprocess
import time


class CommandFailed(Exception):
    pass


def run(args, cwd=None, env=None, timeout=900, check=True, stdout=subprocess.PIPE):
    """Runs a command to completion; returns (seconds, completed process)."""
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout)
    seconds = time.perf_counter() - start
    if check and done.returncode != 0:
        out = (done.stdout or b"")[-2000:].decode("utf-8", "replace") if stdout == subprocess.PIPE else ""
        err = done.stderr[-2000:].decode("utf-8", "replace")
        raise CommandFailed(f"{' '.join(map(str, args))} exited {done.returncode} in {cwd}:\n{out}\n{err}")
    return seconds, done


def timed(args, cwd=None, env=None, timeout=900):
    """Seconds a command took, output discarded; raises CommandFailed unless it exits 0."""
    seconds, _ = run(args, cwd=cwd, env=env, timeout=timeout, stdout=subprocess.DEVNULL)
    return seconds


def sync():
    """Writes back every dirty page (outside any timed step): the next step does not pay for the last one's writeback."""
    os.sync()


def which(name):
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def peak_rss_kib(pid):
    """VmHWM of a live process (its peak resident memory), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None
