"""Starting the worker process that runs student code, inside bubblewrap where it can.

Two layers, each against its own danger:

- Resource limits (``setrlimit``, always on): address space against memory bombs, CPU seconds
  against busy loops the judge's wall clock would miss, file size against output floods, process
  count against fork bombs, no core dumps. The judge adds wall-clock limits per call.
- The bubblewrap sandbox (where ``bwrap`` runs): no network, its own PID, IPC and UTS namespaces,
  an empty private ``/tmp`` as the only writable place, and a file system holding only the system
  libraries, the Python interpreter, numpy and the two files of :mod:`grader.engine.sandboxed`.
  The course directory, the gradebook, the solutions, the hidden tests and the other submissions
  do not exist in it. As root, bubblewrap runs privileged and the worker drops to a uid leased to
  it alone (:class:`UidLease`), so the process limit counts its processes and no one else's.

Without bubblewrap, grading still works with the limits alone, and says so once, loudly.
"""

from __future__ import annotations

import fcntl
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Limits", "UidLease", "Worker", "sandbox_available", "start_worker"]

SANDBOXED = Path(__file__).with_name("sandboxed")
_BOOT = "import sys; sys.path[:0] = [{paths}]; from sandboxed.worker import main; {drop}main()"
_DROP = "import os; os.setgroups([]); os.setgid({uid}); os.setuid({uid}); "


@dataclass(frozen=True)
class Limits:
    """Limits on one worker process; the wall-clock ones are enforced by the judge."""

    call_seconds: float = 5.0
    exercise_seconds: float = 20.0
    notebook_seconds: float = 120.0
    memory_bytes: int = 2**30
    cpu_seconds: int = 150
    file_bytes: int = 8 * 2**20
    processes: int = 32


def _apply_limits(limits: Limits) -> None:
    """Runs in the child between fork and exec: the limits are inherited by the worker."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))


_SANDBOX_STATE: dict[str, bool] = {}
_SANDBOX_LOCK = threading.Lock()


def sandbox_available() -> bool:
    """Whether bubblewrap is installed and can create its namespaces here (checked once)."""
    with _SANDBOX_LOCK:
        if "ok" not in _SANDBOX_STATE:
            bwrap = shutil.which("bwrap")
            ok = False
            if bwrap:
                probe = [bwrap, *_bwrap_args(), _sandbox_python(), "-S", "-c", "import sys"]
                ok = subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
            _SANDBOX_STATE["ok"] = ok
            if not ok:
                warnings.warn(
                    "bubblewrap (bwrap) is not available: student code runs WITHOUT the sandbox, "
                    "with resource limits only. It can read and write whatever this user can. "
                    "Install bubblewrap before grading untrusted submissions.",
                    RuntimeWarning,
                    stacklevel=2,
                )
        return _SANDBOX_STATE["ok"]


def _python() -> str:
    return os.path.realpath(sys.executable)


def _numpy_dirs() -> list[Path]:
    package = Path(np.__file__).resolve().parent
    return [p for p in (package, package.with_name("numpy.libs")) if p.exists()]


def _bwrap_args() -> list[str]:
    """bubblewrap's arguments: fresh namespaces and a file system of the bare essentials.

    As root, bwrap runs privileged (no user namespace) and the worker drops to a leased uid. As
    another user, bwrap makes a user namespace and the limits count that user's processes.
    """
    args = [
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        "--hostname",
        "sandbox",
    ]
    if os.geteuid() != 0:
        args += ["--unshare-user", "--uid", "65534", "--gid", "65534"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/usr"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    args += ["--perms", "0755", "--dir", "/sandbox", "--perms", "0755", "--dir", "/sandbox/lib"]
    args += ["--ro-bind", str(Path(_python()).parent.parent), "/sandbox/python"]
    for path in _numpy_dirs():
        args += ["--ro-bind", str(path), f"/sandbox/lib/{path.name}"]
    args += ["--ro-bind", str(SANDBOXED), "/sandbox/sandboxed"]
    args += ["--proc", "/proc", "--dev", "/dev", "--size", str(64 * 2**20)]
    args += ["--perms", "1777", "--tmpfs", "/tmp", "--chdir", "/tmp"]
    args += ["--setenv", "HOME", "/tmp", "--setenv", "PATH", "/usr/bin:/bin"]
    return args


def _sandbox_python() -> str:
    return "/sandbox/python/" + str(Path(_python()).relative_to(Path(_python()).parent.parent))


class UidLease:
    """An unprivileged uid held by one worker alone, across every grader on this machine.

    Leases are ``flock`` locks on files in a shared folder: a lock is held until released or until
    its process ends, so two graders (processes or threads) never hold the same uid, and a fork
    bomb under one uid cannot use up the process limit of another submission's worker.
    """

    FIRST, COUNT = 200_000, 100_000
    FOLDER = Path(tempfile.gettempdir()) / "grader-uids"
    _next = [os.getpid() * 7919]
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.FOLDER.mkdir(mode=0o1777, exist_ok=True)
        with self._lock:
            start = self._next[0]
            self._next[0] += 1
        for step in range(self.COUNT):
            uid = self.FIRST + (start + step) % self.COUNT
            fd = os.open(self.FOLDER / str(uid), os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self.uid, self._fd = uid, fd
            with self._lock:
                self._next[0] = start + step + 1
            return
        raise OSError(f"no free uid among {self.COUNT} for a grading worker")

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@dataclass
class Worker:
    """A started worker: its process, the pipe ends the judge uses, and its uid lease."""

    process: subprocess.Popen
    cmd: int
    out: int
    status: int
    lease: UidLease | None


def start_worker(limits: Limits, log_path: Path, sandbox: bool) -> Worker:
    """Start a worker (the zygote); its stdout and stderr go to ``log_path``.

    Returns the process and the judge's ends of the three pipes: ``cmd`` to write commands on,
    ``out`` to read the child's answers from, ``status`` to read the zygote's reports from.
    """
    cmd_read, cmd_write = os.pipe()
    out_read, out_write = os.pipe()
    status_read, status_write = os.pipe()
    env = {
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
    }
    lease = None
    if sandbox:
        drop = ""
        if os.geteuid() == 0:
            lease = UidLease()
            drop = _DROP.format(uid=lease.uid)
        boot = _BOOT.format(paths="'/sandbox', '/sandbox/lib'", drop=drop)
        setenv = [a for k, v in env.items() for a in ("--setenv", k, v)]
        command = [
            "bwrap",
            *_bwrap_args(),
            *setenv,
            _sandbox_python(),
            "-S",
            "-E",
            "-s",
            "-c",
            boot,
        ]
        cwd = None
    else:
        link = log_path.parent / "sandboxed"  # the worker's package alone, not the whole engine
        if not link.exists():
            link.symlink_to(SANDBOXED, target_is_directory=True)
        paths = [log_path.parent, *{d.parent for d in _numpy_dirs()}]
        boot = _BOOT.format(paths=", ".join(repr(str(p)) for p in paths), drop="")
        command = [_python(), "-S", "-E", "-s", "-c", boot]
        cwd = log_path.parent
    command += [str(cmd_read), str(out_write), str(status_write)]
    if sandbox:
        command.append("--sandboxed")
    theirs = (cmd_read, out_write, status_write)
    try:
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=cwd,
                pass_fds=theirs,
                start_new_session=True,
                preexec_fn=lambda: _apply_limits(limits),
            )
    except OSError:
        for fd in (cmd_write, out_read, status_read):
            os.close(fd)
        if lease is not None:
            lease.release()
        raise
    finally:
        for fd in theirs:
            os.close(fd)
    return Worker(process, cmd_write, out_read, status_read, lease)
