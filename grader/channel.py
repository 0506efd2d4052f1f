"""The judge's end of a worker: the process, its two pipes, deadlines, and how it ended.

:class:`WorkerChannel` starts a sandboxed worker (``grader.sandbox``), waits for its "ready",
sends commands and reads answers with a deadline, and turns a silent, dead or garbled worker
into a :class:`WorkerFailure` that says what happened in words a learner can read.
"""

from __future__ import annotations

import os
import select
import signal
import time
from pathlib import Path

import numpy as np

from grader.sandbox import Limits, start_worker
from grader.worker import WireError, frame_lengths, pack_message, unpack_message

__all__ = ["STARTUP_SECONDS", "GraderError", "WorkerChannel", "WorkerFailure"]

STARTUP_SECONDS = 60.0


class GraderError(RuntimeError):
    """Grading itself failed (the worker could not start): no score may be given."""


class WorkerFailure(Exception):
    """The worker did not answer properly: ``kind`` is "timeout" or "error"."""

    def __init__(self, kind: str, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.exit_code = exit_code  # set when the zygote reported its child's end

    @property
    def child_gone(self) -> bool:
        """The child ended and the zygote, still healthy, said so."""
        return self.exit_code is not None


class WorkerChannel:
    """One running worker process and the two pipes to it."""

    def __init__(self, limits: Limits, scratch: Path, sandbox: bool) -> None:
        self.log = scratch / "worker.log"
        self.sandboxed = sandbox
        try:
            self.process, self.cmd, self.out = start_worker(limits, self.log, sandbox)
        except OSError as exc:
            raise GraderError(f"the grading worker could not start ({exc})") from None
        os.set_blocking(self.cmd, False)
        try:  # no student code has run yet: a worker that cannot say "ready" is our failure
            header, _ = self._read(time.monotonic() + STARTUP_SECONDS)
            if not header.get("ready"):
                raise WorkerFailure("error", "the worker did not report ready")
        except WorkerFailure as failure:
            self.close()
            raise GraderError(
                f"the grading worker could not start ({failure}{_tail(self.log)})"
            ) from None

    def request(self, header: dict, arrays: list[np.ndarray], seconds: float) -> tuple[dict, list]:
        deadline = time.monotonic() + seconds
        self._send(header, arrays, deadline)
        answer = self._read(deadline)
        if "child_exit" in answer[0]:
            code = answer[0]["child_exit"]
            code = code if isinstance(code, int) else None
            raise WorkerFailure("error", _exit_text(code) + _tail(self.log), exit_code=code)
        return answer

    def _read(self, deadline: float) -> tuple[dict, list]:
        prefix = self._receive(8, deadline)
        try:
            head_len, body_len = frame_lengths(prefix)
            return unpack_message(
                self._receive(head_len, deadline), self._receive(body_len, deadline)
            )
        except WireError as exc:
            raise WorkerFailure("error", f"the process sent an invalid answer ({exc})") from None

    def _send(self, header: dict, arrays: list[np.ndarray], deadline: float) -> None:
        view = memoryview(pack_message(header, arrays))
        while view:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [self.cmd], [], left)[1]:
                raise WorkerFailure("timeout", "")
            try:
                view = view[os.write(self.cmd, view) :]
            except OSError:
                raise WorkerFailure("error", self._death()) from None

    def _receive(self, n: int, deadline: float) -> bytes:
        chunks, remaining = [], n
        while remaining:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.out], [], [], left)[0]:
                raise WorkerFailure("timeout", "")
            chunk = os.read(self.out, min(remaining, 2**20))
            if not chunk:
                raise WorkerFailure("error", self._death())
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _death(self) -> str:
        try:
            code = self.process.wait(timeout=5)
        except Exception:
            code = None
        if code is not None and code > 128 and self.sandboxed:
            code = 128 - code  # bubblewrap reports its child's death by signal N as 128 + N
        return _exit_text(code) + ("" if code is not None and code < 0 else _tail(self.log))

    def close(self) -> None:
        for fd in (self.cmd, self.out):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()


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


def _tail(log: Path, limit: int = 300) -> str:
    try:
        text = log.read_bytes()[-limit:].decode("utf-8", "replace")
    except OSError:
        return ""
    text = "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in text).strip()
    return f"; its last output: ...{text[-limit:]}" if text else ""
