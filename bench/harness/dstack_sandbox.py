"""A throwaway world for dstack: its own DSTACK_HOME (so its own embedded server and runner) and a git repository
with a bare remote, holding the workload's workflow file. Used as a context manager; the server is stopped after."""
import json
import os
import sys
import shutil
import subprocess
import tempfile

import shell


class DstackSandbox:
    def __init__(self, binary, workflows_yaml):
        self.binary = binary
        self.root = tempfile.mkdtemp(prefix="dstack-bench-")
        self.home = os.path.join(self.root, "home")
        self.repo = os.path.join(self.root, "repo")
        self.env = dict(os.environ, DSTACK_HOME=self.home, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
                        GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com", GIT_CONFIG_NOSYSTEM="1")
        self.env.pop("DSTACK_SERVER_URL", None)
        self.env.pop("DSTACK_TOKEN", None)
        remote = os.path.join(self.root, "remote.git")
        shell.run(["git", "init", "-q", "--bare", "-b", "main", remote], env=self.env)
        shell.run(["git", "clone", "-q", remote, self.repo], env=self.env)
        shell.run(["git", "checkout", "-q", "-b", "main"], cwd=self.repo, env=self.env)
        os.makedirs(os.path.join(self.repo, ".dstack"))
        with open(os.path.join(self.repo, ".dstack", "workflows.yaml"), "w", encoding="utf-8") as f:
            f.write(workflows_yaml)
        shell.run(["git", "add", "-A"], cwd=self.repo, env=self.env)
        shell.run(["git", "commit", "-q", "-m", "workload"], cwd=self.repo, env=self.env)
        shell.run(["git", "push", "-q", "-u", "origin", "main"], cwd=self.repo, env=self.env)
        # Starts the embedded server and its runner: set-up, never part of a measurement.
        self.dstack("init")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            # A workload failed: what the runner warned about goes to stderr before the sandbox is removed.
            log = os.path.join(self.home, "runner.log")
            if os.path.exists(log):
                with open(log, encoding="utf-8", errors="replace") as f:
                    warnings = [line for line in f if "warn" in line][-40:]
                sys.stderr.write("".join(f"runner.log: {line}" for line in warnings))
        subprocess.run([self.binary, "server", "stop"], cwd=self.root, env=self.env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def dstack(self, *args, timeout=900):
        """Runs dstack in the repository; returns its stdout; raises unless it exits 0."""
        _, done = shell.run([self.binary, *args], cwd=self.repo, env=self.env, timeout=timeout)
        return done.stdout.decode("utf-8", "replace")

    def timed(self, *args, timeout=900):
        """Seconds `dstack ARGS` took in the repository, output discarded."""
        return shell.timed([self.binary, *args], cwd=self.repo, env=self.env, timeout=timeout)

    def last_run(self):
        return json.loads(self.dstack("status", "--last", "1", "--json"))[0]

    def run_and_wait(self, workflow, *args):
        """`dstack run WORKFLOW ARGS -f`: submit, follow the logs, return when the run is finished. Seconds, and the run."""
        seconds = self.timed("run", workflow, *args, "-f")
        run = self.last_run()
        if run["status"] != "DONE":
            raise shell.CommandFailed(f"run {run['runName']} ended {run['status']}")
        return seconds, run

    def server_pid(self):
        with open(os.path.join(self.home, "server.json"), encoding="utf-8") as f:
            return json.load(f)["pid"]

    def runner_pid(self):
        with open(os.path.join(self.home, "runner", "runner.json"), encoding="utf-8") as f:
            return json.load(f)["pid"]
