"""The process that runs student code, inside the sandbox.

Three pipes join it to the judge (``grader.engine.channel``), all in the wire format of
:mod:`.wire`: commands come in on ``cmd``; the child that runs student code answers on ``out``;
the zygote alone reports on ``status``, which no child holds, so no student code can forge it.

- ``{"op": "fork"}`` to the zygote: it forks a fresh child for one exercise and reports
  ``{"forked": pid}``; when the child ends it reports ``{"child_exit": code}`` and kills what the
  child left behind (its process group). The zygote has imported numpy and never runs student code;
- ``{"op": "exec", "name": ..., "source": ...}`` to the child: run one answer cell;
- ``{"op": "call", "fn": ..., "args": ..., "kwargs": ...}`` to the child: call a function the
  cells defined; the answer holds its result and the arguments as they are after the call (to
  catch mutation);
- ``{"op": "exit"}`` to the child: end cleanly (exit code 0), so that the zygote reports 0.

The child dies with its zygote (``PR_SET_PDEATHSIG``): a child that kills its zygote cannot live on
as an orphan, answer the judge, or signal whatever process would have adopted it.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from typing import Any

import numpy as np

from .wire import (
    MAX_MESSAGE_BYTES,
    decode,
    encode,
    materialize,
    pack_message,
    read_message,
    short,
    write_all,
)

__all__ = ["main", "serve"]

PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent ends; end now if it already has."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the judge's clean-exit check still holds
        pass
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(1)


def _describe(exc: BaseException) -> dict:
    """An exception as plain data: its type, message and the answer-cell lines it went through."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = [[f.filename, f.lineno] for f in frames if f.filename.startswith("<cell ")]
    return {
        "type": short(type(exc).__name__, 100),
        "message": short(exc, 500),
        "where": where[-3:],
    }


class _NoShell:
    """``get_ipython()`` for answer cells that call it: there is no IPython here."""

    input_transformers_cleanup: list = []
    input_transformers_post: list = []

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


def serve(cmd_fd: int, out_fd: int, status_fd: int, sandboxed: bool = False) -> None:
    """Be the zygote: on each ``fork`` command, fork a fresh child that serves one exercise.

    ``sandboxed``: this process has a PID namespace and a uid of its own, so after each child it
    may kill every other process it can signal, even those that left the child's process group.
    """
    write_all(status_fd, pack_message({"ok": True, "ready": True}))
    zygote = os.getpid()
    while True:
        try:
            header, _ = read_message(cmd_fd)
        except EOFError:
            return
        if header.get("op") != "fork":
            error = {"type": "ProtocolError", "message": "expected fork"}
            write_all(status_fd, pack_message({"ok": False, "error": error}))
            continue
        pid = os.fork()
        if pid == 0:
            try:
                os.close(status_fd)
                os.setpgid(0, 0)  # its own process group, which the zygote clears afterwards
                _die_with_parent(zygote)
                _serve_child(cmd_fd, out_fd)
            finally:
                os._exit(0)
        write_all(status_fd, pack_message({"ok": True, "forked": pid}))
        _, status = os.waitpid(pid, 0)
        _clear_leftovers(pid, everything=sandboxed)
        write_all(status_fd, pack_message({"child_exit": os.waitstatus_to_exitcode(status)}))


def _clear_leftovers(group: int, everything: bool) -> None:
    """Kill what a child started and left running: its process group or, in the sandbox (a PID
    namespace and a uid of its own), every process this one may signal."""
    try:
        if everything:
            os.kill(-1, signal.SIGKILL)
        else:
            os.killpg(group, signal.SIGKILL)
    except OSError:  # nothing was left
        pass


def _serve_child(cmd_fd: int, out_fd: int) -> None:
    """Run answer cells and calls until the judge says ``exit``."""
    namespace: dict[str, Any] = {"__name__": "__main__", "np": np, "get_ipython": _NoShell}
    me = os.getpid()
    write_all(out_fd, pack_message({"ok": True, "ready": True}))
    while True:
        header, arrays = read_message(cmd_fd)
        answer: dict[str, Any] = {"ok": True}
        out_arrays: list[np.ndarray] = []
        try:
            if header["op"] == "exit":
                return
            if header["op"] == "exec":
                exec(compile(header["source"], header["name"], "exec"), namespace)
            elif header["op"] == "call":
                fn = namespace.get(header["fn"])
                if not callable(fn):
                    raise NameError(f"{header['fn']} is not defined")
                args = materialize(decode(header["args"], arrays, code=True))
                kwargs = materialize(decode(header["kwargs"], arrays, code=True))
                result = fn(*args, **kwargs)
                tree, out_arrays = encode((result, args))
                size = sum(a.nbytes for a in out_arrays)
                if size > MAX_MESSAGE_BYTES // 2:
                    raise OverflowError(f"the answer holds {size} bytes of arrays, over the limit")
                answer["value"] = tree
        except BaseException as exc:  # noqa: BLE001 (student code may raise anything, SystemExit too)
            answer = {"ok": False, "error": _describe(exc)}
            out_arrays = []
        if os.getpid() != me:  # a copy forked by student code: only the child itself answers
            os._exit(0)
        try:
            message = pack_message(answer, out_arrays)
        except BaseException as exc:  # noqa: BLE001 (e.g. MemoryError while copying a large answer)
            message = pack_message({"ok": False, "error": _describe(exc)})
        write_all(out_fd, message)


def main() -> None:
    """Entry point: ``python -c "...; main()" CMD OUT STATUS [--sandboxed]``."""
    args = [a for a in sys.argv[1:] if a != "--sandboxed"]
    serve(int(args[-3]), int(args[-2]), int(args[-1]), sandboxed="--sandboxed" in sys.argv)
