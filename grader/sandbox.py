"""Starting the worker process that runs student code, inside bubblewrap where it can.

Two layers, each against its own danger:

- Resource limits (``setrlimit``, always on): address space against memory bombs, CPU seconds
  against busy loops the judge's wall clock would miss, file size against output floods, process
  count against fork bombs, no core dumps. The judge adds wall-clock limits per call.
- The bubblewrap sandbox (where ``bwrap`` runs): no network, its own PID and IPC namespaces, an
  empty private ``/tmp`` as the only writable place, and a file system holding only the system
  libraries, the Python interpreter, numpy and the worker script. The course directory, the
  gradebook, the solutions, the hidden tests and the other submissions do not exist in it.

Without bubblewrap, grading still works with the limits alone, and says so once, loudly.
"""

from __future__ import annotations

import itertools
import os
import resource
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Limits", "sandbox_available", "start_worker"]

WORKER = Path(__file__).with_name("worker.py")
_BOOT = "import sys; sys.path[:0] = [{paths}]; import worker; worker.main()"
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


def sandbox_available() -> bool:
    """Whether bubblewrap is installed and can create its namespaces here (checked once)."""
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

    As root, bwrap runs privileged (no user namespace) and the worker drops to a uid of its own
    (see :func:`_worker_uid`), so that the process limit counts its processes alone. As another
    user, bwrap makes a user namespace and the limits count that user's processes.
    """
    privileged = os.geteuid() == 0
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
    if not privileged:
        args += ["--unshare-user", "--uid", "65534", "--gid", "65534"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/usr"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    args += ["--perms", "0755", "--dir", "/sandbox", "--perms", "0755", "--dir", "/sandbox/lib"]
    prefix = Path(_python()).parent.parent
    args += ["--ro-bind", str(prefix), "/sandbox/python"]
    for path in _numpy_dirs():
        args += ["--ro-bind", str(path), f"/sandbox/lib/{path.name}"]
    args += [
        "--ro-bind",
        str(WORKER),
        "/sandbox/worker.py",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(64 * 2**20),
        "--perms",
        "1777",
        "--tmpfs",
        "/tmp",
        "--chdir",
        "/tmp",
        "--setenv",
        "HOME",
        "/tmp",
        "--setenv",
        "PATH",
        "/usr/bin:/bin",
    ]
    return args


def _sandbox_python() -> str:
    return "/sandbox/python/" + str(Path(_python()).relative_to(Path(_python()).parent.parent))


_UIDS = itertools.count()


def _worker_uid() -> int:
    """An unprivileged uid for one worker, distinct from its neighbours' (no account needed)."""
    return 200_000 + (os.getpid() * 64 + next(_UIDS)) % 800_000


def start_worker(
    limits: Limits, log_path: Path, sandbox: bool
) -> tuple[subprocess.Popen, int, int]:
    """Start a worker; return the process, the fd to send commands on and the fd to read from.

    The worker's stdout and stderr go to ``log_path`` (bounded by the file-size limit).
    """
    cmd_read, cmd_write = os.pipe()
    out_read, out_write = os.pipe()
    env = {
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
    }
    if sandbox:
        boot = _BOOT.format(paths="'/sandbox', '/sandbox/lib'")
        if os.geteuid() == 0:
            boot = _DROP.format(uid=_worker_uid()) + boot
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
        paths = ", ".join(repr(str(p)) for p in [WORKER.parent, *{d.parent for d in _numpy_dirs()}])
        command = [_python(), "-S", "-E", "-s", "-c", _BOOT.format(paths=paths)]
        cwd = log_path.parent
    command += [str(cmd_read), str(out_write)]
    try:
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=cwd,
                pass_fds=(cmd_read, out_write),
                start_new_session=True,
                preexec_fn=lambda: _apply_limits(limits),
            )
    except OSError:
        for fd in (cmd_write, out_read):
            os.close(fd)
        raise
    finally:
        os.close(cmd_read)
        os.close(out_write)
    return process, cmd_write, out_read
