"""The process that runs student code, and the wire format it speaks.

This file is the only part of the package that enters the sandbox, so it imports nothing but the
standard library and numpy. The judge (``grader.judge``) sends it commands over one pipe and reads
answers from another:

- ``{"op": "fork"}`` makes a fresh child for one exercise (the first process is a zygote that
  has imported numpy and never runs student code); the child answers ``exec``, ``call`` and
  ``exit``, and the zygote reports how the child ended;
- ``{"op": "exec", "source": ...}`` runs one exercise cell in the child's namespace;
- ``{"op": "call", "fn": name, "args": ..., "kwargs": ...}`` calls a function the cells defined and
  answers with its result and with the arguments as they are after the call (to catch mutation).

A message is a 4-byte length, a JSON header and the raw bytes of the arrays it names. Values are
plain trees: JSON scalars, ``{"t": "tuple"|"list", "v": [...]}``, ``{"t": "dict", "v": [[k, v]]}``,
``{"t": "arr", "i": n}`` for the n-th numeric array, and ``{"t": "other", "type": ..., "repr": ...}``
for anything else. Nothing is pickled, so whatever the student process sends, the judge only ever
reads numbers, strings and byte buffers, and checks their sizes before it trusts them.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import traceback
from typing import Any

import numpy as np

__all__ = [
    "Unsupported",
    "WireError",
    "decode",
    "encode",
    "frame_lengths",
    "pack_message",
    "read_message",
    "unpack_message",
    "write_message",
]

MAX_MESSAGE_BYTES = 64 * 2**20
MAX_ITEMS = 10_000
MAX_DEPTH = 8
MAX_TEXT = 2_000
NUMERIC_KINDS = "biuf"


class WireError(ValueError):
    """A message that breaks the wire format or its size limits."""


def _short(text: str, limit: int = MAX_TEXT) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "..."


def encode(value: Any) -> tuple[dict, list[np.ndarray]]:
    """Turn a value into a JSON-able tree plus the numeric arrays it refers to."""
    arrays: list[np.ndarray] = []

    def walk(v: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            return {"t": "other", "type": "nesting", "repr": "nested too deeply"}
        if v is None or type(v) in (bool, int, float, str):
            if type(v) is str:
                return _short(v)
            if type(v) is int and abs(v) > 2**62:
                return {"t": "other", "type": "int", "repr": "integer too large"}
            return v
        if isinstance(v, (np.ndarray, np.generic)) and np.asarray(v).dtype.kind in NUMERIC_KINDS:
            arr = np.array(v, copy=True, order="C")  # keeps 0-d scalars 0-d
            arrays.append(arr)
            return {"t": "arr", "i": len(arrays) - 1, "sub": type(v).__name__}
        if type(v) in (tuple, list) and len(v) <= MAX_ITEMS:
            return {"t": type(v).__name__, "v": [walk(x, depth + 1) for x in v]}
        if type(v) is dict and len(v) <= MAX_ITEMS and all(type(k) is str for k in v):
            return {"t": "dict", "v": [[_short(k), walk(x, depth + 1)] for k, x in v.items()]}
        try:
            text = repr(v)
        except BaseException:  # a hostile __repr__ must not break the answer
            text = "?"
        dtype = getattr(v, "dtype", None)
        name = type(v).__name__ + (f"[{dtype}]" if isinstance(dtype, np.dtype) else "")
        return {"t": "other", "type": _short(name, 100), "repr": _short(text, 200)}

    return walk(value, 0), arrays


def decode(tree: Any, arrays: list[np.ndarray], depth: int = 0) -> Any:
    """Rebuild a value from :func:`encode`'s tree, validating every node."""
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if tree is None or type(tree) in (bool, int, float):
        return tree
    if type(tree) is str:
        return _short(tree)
    if type(tree) is not dict:
        raise WireError(f"unexpected node of type {type(tree).__name__}")
    kind = tree.get("t")
    if kind == "arr":
        index = tree.get("i")
        if type(index) is not int or not 0 <= index < len(arrays):
            raise WireError("array reference out of range")
        return arrays[index]
    if kind in ("tuple", "list"):
        items = tree.get("v")
        if type(items) is not list or len(items) > MAX_ITEMS:
            raise WireError("bad sequence")
        out = [decode(x, arrays, depth + 1) for x in items]
        return tuple(out) if kind == "tuple" else out
    if kind == "dict":
        items = tree.get("v")
        if type(items) is not list or len(items) > MAX_ITEMS:
            raise WireError("bad mapping")
        result = {}
        for pair in items:
            if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                raise WireError("bad mapping entry")
            result[_short(pair[0])] = decode(pair[1], arrays, depth + 1)
        return result
    if kind == "other":
        return Unsupported(_short(tree.get("type", "?"), 100), _short(tree.get("repr", ""), 200))
    raise WireError(f"unknown node kind {kind!r}")


class Unsupported:
    """Stands for a value the wire cannot carry (an object array, a custom class, ...)."""

    def __init__(self, type_name: str, text: str) -> None:
        self.type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return f"<{self.type_name}: {self.text}>"


def pack_message(header: dict, arrays: list[np.ndarray] = ()) -> bytes:
    """One message as bytes: lengths, header JSON (with array descriptors), array bytes."""
    header = dict(header, arrays=[[a.dtype.str, list(a.shape)] for a in arrays])
    head = json.dumps(header).encode()
    body = b"".join(a.tobytes() for a in arrays)
    return struct.pack("<II", len(head), len(body)) + head + body


def write_message(fd: int, header: dict, arrays: list[np.ndarray] = ()) -> None:
    """Send one message on a blocking pipe."""
    _write_all(fd, pack_message(header, arrays))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exact(fd: int, n: int) -> bytes:
    chunks, remaining = [], n
    while remaining:
        chunk = os.read(fd, min(remaining, 2**20))
        if not chunk:
            raise EOFError("the other side closed the pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_message(fd: int) -> tuple[dict, list[np.ndarray]]:
    """Receive one message from a pipe, refusing anything oversized or inconsistent."""
    head_len, body_len = frame_lengths(_read_exact(fd, 8))
    return unpack_message(_read_exact(fd, head_len), _read_exact(fd, body_len))


def frame_lengths(prefix: bytes) -> tuple[int, int]:
    """The header and body lengths announced by a message's first 8 bytes."""
    head_len, body_len = struct.unpack("<II", prefix)
    if head_len > MAX_MESSAGE_BYTES or body_len > MAX_MESSAGE_BYTES:
        raise WireError(f"message of {head_len + body_len} bytes is over the limit")
    return head_len, body_len


def unpack_message(head: bytes, body: bytes) -> tuple[dict, list[np.ndarray]]:
    """Parse a header and body into the header dict and validated numeric arrays."""
    try:
        header = json.loads(head)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(f"header is not JSON: {exc}") from None
    if type(header) is not dict or type(header.get("arrays")) is not list:
        raise WireError("header is not a message")
    arrays, offset = [], 0
    for desc in header["arrays"]:
        if type(desc) is not list or len(desc) != 2 or type(desc[0]) is not str:
            raise WireError("bad array descriptor")
        try:
            dtype = np.dtype(desc[0])
        except TypeError:
            raise WireError(f"unknown dtype {desc[0]!r}") from None
        shape = desc[1]
        if dtype.kind not in NUMERIC_KINDS or dtype.hasobject or dtype.fields is not None:
            raise WireError(f"dtype {dtype} is not numeric")
        if (
            type(shape) is not list
            or len(shape) > 8
            or any(type(s) is not int or s < 0 for s in shape)
        ):
            raise WireError(f"bad array shape {shape!r}")
        count = 1
        for s in shape:
            count *= s
        nbytes = count * dtype.itemsize
        if offset + nbytes > len(body):
            raise WireError("array bytes missing")
        arr = np.frombuffer(body, dtype=dtype, count=count, offset=offset)
        arrays.append(arr.reshape(shape).copy())
        offset += nbytes
    if offset != len(body):
        raise WireError("extra bytes after the arrays")
    return header, arrays


def _describe(exc: BaseException) -> dict:
    frames = traceback.extract_tb(exc.__traceback__)
    where = [f"{f.filename}:{f.lineno}" for f in frames if f.filename.startswith("<cell")]
    return {
        "type": _short(type(exc).__name__, 100),
        "message": _short(exc, 500),
        "where": where[-3:],
    }


class _NoShell:
    """``get_ipython()`` for answer cells that call it: no IPython here, every call does nothing."""

    input_transformers_cleanup: list = []
    input_transformers_post: list = []

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


def serve(cmd_fd: int, out_fd: int) -> None:
    """Be the zygote: on each ``fork`` command, fork a fresh child that serves one exercise.

    The zygote itself never runs student code. It waits for its child and then reports how the
    child ended (``{"child_exit": code}``), so the judge learns of an ``os._exit`` or a crash
    without starting Python and numpy again for the next exercise.
    """
    write_message(out_fd, {"ok": True, "ready": True})
    while True:
        try:
            header, _ = read_message(cmd_fd)
        except EOFError:
            return
        if header.get("op") != "fork":
            write_message(
                out_fd,
                {"ok": False, "error": {"type": "ProtocolError", "message": "expected fork"}},
            )
            continue
        pid = os.fork()
        if pid == 0:
            try:
                _serve_child(cmd_fd, out_fd)
            finally:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        write_message(out_fd, {"ok": False, "child_exit": os.waitstatus_to_exitcode(status)})


def _serve_child(cmd_fd: int, out_fd: int) -> None:
    """Run answer cells and calls until the judge says ``exit``."""
    namespace: dict[str, Any] = {"__name__": "__main__", "np": np, "get_ipython": _NoShell}
    write_message(out_fd, {"ok": True, "ready": True})
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
                args = decode(header["args"], arrays)
                kwargs = decode(header["kwargs"], arrays)
                result = fn(*args, **kwargs)
                tree, out_arrays = encode((result, args))
                size = sum(a.nbytes for a in out_arrays)
                if size > MAX_MESSAGE_BYTES // 2:
                    raise OverflowError(f"the answer holds {size} bytes of arrays, over the limit")
                answer["value"] = tree
        except BaseException as exc:  # student code may raise anything, SystemExit included
            answer = {"ok": False, "error": _describe(exc)}
            out_arrays = []
        try:
            message = pack_message(answer, out_arrays)
        except BaseException as exc:  # e.g. MemoryError while copying a large answer
            message = pack_message({"ok": False, "error": _describe(exc)})
        _write_all(out_fd, message)


def main() -> None:
    """Entry point inside the sandbox: ``python worker.py CMD_FD OUT_FD``."""
    cmd_fd, out_fd = int(sys.argv[1]), int(sys.argv[2])
    serve(cmd_fd, out_fd)


if __name__ == "__main__":
    main()
