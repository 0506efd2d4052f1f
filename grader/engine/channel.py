"""The judge's end of a worker: the process, its three pipes, deadlines, and how it ended.

:class:`WorkerChannel` starts a sandboxed worker (:mod:`grader.engine.sandbox`) and speaks to it:
commands on ``cmd``, the child's answers on ``out``, the zygote's reports on ``status``. What the
zygote says is trusted (it never runs student code): a zygote that cannot start or fork is a
:class:`GraderError` and stops grading. What the child says is not: a child that is silent, dies,
or garbles the protocol raises :class:`WorkerFailure`, which costs only the exercise it was on.
"""

from __future__ import annotations

import os
import select
import signal
import time
from pathlib import Path

import numpy as np

from grader.engine.sandbox import Limits, start_worker
from grader.engine.sandboxed.wire import WireError, frame_lengths, pack_message, unpack_message
from grader.engine.verdicts import Status

__all__ = ["STARTUP_SECONDS", "GraderError", "WorkerChannel", "WorkerFailure"]

STARTUP_SECONDS = 60.0


class GraderError(RuntimeError):
    """Grading itself failed (the worker could not start or fork): no score may be given."""


class WorkerFailure(Exception):
    """The child did not answer properly; ``status`` is TIMEOUT, CRASHED or ERROR."""

    def __init__(self, status: Status, message: str) -> None:
        super().__init__(message)
        self.status = status


class _ZygoteSpoke(Exception):
    """The zygote wrote on its status pipe while the judge waited for the child."""


class WorkerChannel:
    """One running worker (a zygote and at most one child) and the three pipes to it."""

    def __init__(self, limits: Limits, scratch: Path, sandbox: bool) -> None:
        self.log = scratch / "worker.log"
        self.sandboxed = sandbox
        try:
            self.worker = start_worker(limits, self.log, sandbox)
        except OSError as exc:
            raise GraderError(f"the grading worker could not start ({exc})") from None
        os.set_blocking(self.worker.cmd, False)
        try:  # no student code has run yet: a worker that cannot say "ready" is our failure
            header = self._status(time.monotonic() + STARTUP_SECONDS)
            if not header.get("ready"):
                raise WorkerFailure(Status.ERROR, "the worker did not report ready")
        except WorkerFailure as failure:
            self.close()
            raise GraderError(
                f"the grading worker could not start ({failure}{self._tail()})"
            ) from None

    # -- the zygote (trusted) -------------------------------------------------------------------

    def fork(self, seconds: float) -> None:
        """Have the zygote fork a fresh child and wait for the child's hello."""
        deadline = time.monotonic() + seconds
        try:
            self._send({"op": "fork"}, [], deadline)
            header = self._status(deadline)
        except WorkerFailure as failure:
            raise GraderError(f"the grading worker could not fork ({failure})") from None
        if "forked" not in header:
            raise GraderError("the grading worker could not fork")
        hello, _ = self._answer(deadline)
        if not hello.get("ready"):
            raise WorkerFailure(Status.ERROR, "the process sent an invalid answer (no hello)")

    def finish(self, seconds: float) -> None:
        """Ask the child to end; return only if it ended cleanly, as the zygote reports.

        Raises WorkerFailure when the child does not end, ends otherwise than with code 0, or left
        anything unread on its pipe (it wrote more than its answers).
        """
        deadline = time.monotonic() + seconds
        self._send({"op": "exit"}, [], deadline)
        header = self._status(deadline)
        code = header.get("child_exit")
        if code != 0:
            raise WorkerFailure(Status.CRASHED, _exit_text(code if type(code) is int else None))
        readable, _, _ = select.select([self.worker.out], [], [], 0)
        if readable and os.read(self.worker.out, 1):
            raise WorkerFailure(Status.ERROR, "the process wrote more than its answers")

    # -- the child (untrusted) ------------------------------------------------------------------

    def request(self, header: dict, arrays: list[np.ndarray], seconds: float) -> tuple[dict, list]:
        """Send a command to the child and read its answer."""
        deadline = time.monotonic() + seconds
        self._send(header, arrays, deadline)
        return self._answer(deadline)

    def _answer(self, deadline: float) -> tuple[dict, list]:
        try:
            prefix = self._receive(self.worker.out, 8, deadline, watch=self.worker.status)
            head_len, body_len = frame_lengths(prefix)
            head = self._receive(self.worker.out, head_len, deadline, watch=self.worker.status)
            body = self._receive(self.worker.out, body_len, deadline, watch=self.worker.status)
            return unpack_message(head, body)
        except WireError as exc:
            raise WorkerFailure(
                Status.ERROR, f"the process sent an invalid answer ({exc})"
            ) from None
        except _ZygoteSpoke:  # the child ended while the judge waited for its answer
            self._child_ended(deadline)

    def _child_ended(self, deadline: float) -> None:
        """Read the zygote's report of its child's end and raise it as a failure."""
        code = self._status(deadline).get("child_exit")
        raise WorkerFailure(
            Status.CRASHED, _exit_text(code if type(code) is int else None) + self._tail()
        ) from None

    # -- pipes ----------------------------------------------------------------------------------

    def _status(self, deadline: float) -> dict:
        """One message from the zygote."""
        try:
            prefix = self._receive(self.worker.status, 8, deadline)
            head_len, body_len = frame_lengths(prefix)
            head = self._receive(self.worker.status, head_len, deadline)
            return unpack_message(head, self._receive(self.worker.status, body_len, deadline))[0]
        except WireError as exc:
            raise WorkerFailure(
                Status.ERROR, f"the zygote sent an invalid report ({exc})"
            ) from None

    def _send(self, header: dict, arrays: list[np.ndarray], deadline: float) -> None:
        view = memoryview(pack_message(header, arrays))
        while view:
            left = deadline - time.monotonic()
            ready = select.select([self.worker.status], [self.worker.cmd], [], max(left, 0))
            if self.worker.status in ready[0] and header.get("op") != "fork":
                self._child_ended(deadline)  # the child died with our command half sent
            if left <= 0 or not ready[1]:
                raise WorkerFailure(Status.TIMEOUT, "")
            try:
                view = view[os.write(self.worker.cmd, view) :]
            except OSError:
                raise WorkerFailure(Status.CRASHED, self._death()) from None

    def _receive(self, fd: int, n: int, deadline: float, watch: int | None = None) -> bytes:
        chunks, remaining = [], n
        while remaining:
            left = deadline - time.monotonic()
            fds = [fd] if watch is None else [fd, watch]
            readable = select.select(fds, [], [], max(left, 0))[0] if left > 0 else []
            if not readable:
                raise WorkerFailure(Status.TIMEOUT, "")
            if fd not in readable:
                raise _ZygoteSpoke()
            chunk = os.read(fd, min(remaining, 2**20))
            if not chunk:
                raise WorkerFailure(Status.CRASHED, self._death())
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _death(self) -> str:
        """How the worker ended, once both its pipes closed (it is dead or dying)."""
        try:
            code = self.worker.process.wait(timeout=5)
        except Exception:  # noqa: BLE001 (still running: say what we know)
            code = None
        if code is not None and code > 128 and self.sandboxed:
            code = 128 - code  # bubblewrap reports its child's death by signal N as 128 + N
        return _exit_text(code) + ("" if code is not None and code < 0 else self._tail())

    def _tail(self, limit: int = 300) -> str:
        try:
            text = self.log.read_bytes()[-limit:].decode("utf-8", "replace")
        except OSError:
            return ""
        text = "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in text).strip()
        return f"; its last output: ...{text[-limit:]}" if text else ""

    def close(self) -> None:
        for fd in (self.worker.cmd, self.worker.out, self.worker.status):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.killpg(self.worker.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.worker.process.wait()
        if self.worker.lease is not None:
            self.worker.lease.release()


def _exit_text(code: int | None) -> str:
    """How a process ended, from its exit code (negative: killed by that signal)."""
    if code is None or code >= 0:
        return f"the process exited with code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    why = {
        "SIGXCPU": " (CPU time limit)",
        "SIGXFSZ": " (output size limit)",
        "SIGKILL": " (from outside the sandbox, or at the hard CPU limit)",
    }.get(name, "")
    return f"the process was killed by {name}{why}"
