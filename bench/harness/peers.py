"""The tools we measure against, each run in a folder of its own with the same pipeline written its way.
A peer that is not installed (and cannot be installed here) is reported as such and left out."""
import abc
import glob
import os
import shutil
import subprocess
import tempfile

import pipelines
import shell

APT_PACKAGES = {"make": "make", "doit": "python3-doit", "snakemake": "snakemake"}


class Peer(abc.ABC):
    name = ""
    command = ""

    def available(self):
        return shell.which(self.command) is not None

    # The file the peer reads its pipeline from, and the function of pipelines.py that writes it.
    pipeline_file = ""
    pipeline = None

    def write(self, folder, shape, n):
        """Writes the pipeline of that shape and size in the peer's own format."""
        with open(os.path.join(folder, self.pipeline_file), "w", encoding="utf-8") as f:
            f.write(self.pipeline(shape, n))

    @abc.abstractmethod
    def build_args(self):
        """The command that brings the pipeline up to date, two jobs at a time."""

    @abc.abstractmethod
    def query_args(self):
        """A command that reads the pipeline and says what would run: the peer's analogue of `dstack status`."""

    def clean(self, folder):
        for pattern in ("*.txt", ".doit.db*", ".snakemake"):
            for path in glob.glob(os.path.join(folder, pattern)):
                if os.path.isdir(path):
                    shutil.rmtree(path)
                else:
                    os.remove(path)

    def build(self, folder):
        return shell.timed(self.build_args(), cwd=folder)


class Make(Peer):
    name = "make -j2"
    command = "make"

    pipeline_file = "Makefile"
    pipeline = staticmethod(pipelines.makefile)

    def build_args(self):
        return ["make", "-s", "-j2"]

    def query_args(self):
        return ["make", "-q"]


class Doit(Peer):
    name = "doit -n 2"
    command = "doit"

    pipeline_file = "dodo.py"
    pipeline = staticmethod(pipelines.dodo)

    def build_args(self):
        return ["doit", "-n", "2"]

    def query_args(self):
        return ["doit", "list"]


class Snakemake(Peer):
    name = "snakemake --cores 2"
    command = "snakemake"

    pipeline_file = "Snakefile"
    pipeline = staticmethod(pipelines.snakefile)

    def build_args(self):
        return ["snakemake", "--cores", "2", "--quiet"]

    def query_args(self):
        return ["snakemake", "-n", "--quiet"]


ALL = [Make(), Doit(), Snakemake()]


def install_missing(log):
    """apt-get installs the peers that are missing, when this user may; says which stay unavailable."""
    missing = [p for p in ALL if not p.available()]
    if not missing:
        return
    packages = [APT_PACKAGES[p.command] for p in missing]
    apt = shell.which("apt-get")
    if apt is None or os.geteuid() != 0:
        log(f"not installing {', '.join(packages)}: needs apt-get as root; those peers are left out")
        return
    log(f"installing {', '.join(packages)} with apt-get...")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run([apt, "update", "-qq"], env=env, check=False, **quiet).returncode != 0:
        log("apt-get update failed; missing peers are left out")
        return
    subprocess.run([apt, "install", "-y", "-qq", "--no-install-recommends", *packages], env=env, check=False, **quiet)
    for peer in missing:
        if not peer.available():
            log(f"{peer.name}: could not be installed; left out")


class PeerFolder:
    """A temp folder holding one peer's pipeline; removed afterwards."""

    def __init__(self, peer, shape, n):
        self.path = tempfile.mkdtemp(prefix=f"bench-{peer.command}-")
        peer.write(self.path, shape, n)

    def __enter__(self):
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)
