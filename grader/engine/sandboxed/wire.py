"""The wire format between the judge and the worker: plain values, numeric arrays, no pickle.

A message is an 8-byte prefix (the lengths of header and body), a JSON header and the raw bytes
of the arrays the header describes. Values are plain trees: JSON scalars,
``{"t": "tuple"|"list", "v": [...]}``, ``{"t": "dict", "v": [[k, v], ...]}``, ``{"t": "arr", "i": n}``
for the n-th numeric array, ``{"t": "other", "type": ..., "repr": ...}`` for anything else, and,
in commands only, ``{"t": "code", "src": ...}`` for a :class:`Code` argument (a function or a
seeded generator the callee builds; the judge refuses code in answers).
Whatever the student process sends, the judge reads only numbers, strings and byte buffers, and
checks every size and dtype before it trusts them: a bad message raises :class:`WireError`.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "MAX_MESSAGE_BYTES",
    "Code",
    "Unsupported",
    "WireError",
    "decode",
    "encode",
    "frame_lengths",
    "pack_message",
    "read_message",
    "short",
    "unpack_message",
    "write_all",
    "write_message",
]

MAX_MESSAGE_BYTES = 64 * 2**20
MAX_ITEMS = 10_000
MAX_DEPTH = 8
MAX_TEXT = 2_000
MAX_DIMS = 8
NUMERIC_KINDS = "biuf"


class WireError(ValueError):
    """A message that breaks the wire format or its size limits."""


@dataclass(frozen=True)
class Code:
    """An argument the wire cannot carry as data (a function, a seeded random generator), sent
    as a Python expression that the process calling the exercise evaluates, with ``np`` in
    scope: ``Code("lambda x: np.tanh(x) ** 2")``. Only the judge's commands hold code."""

    source: str

    def build(self) -> Any:
        return eval(compile(self.source, "<case>", "eval"), {"np": np})


def materialize(value: Any) -> Any:
    """``value`` with every :class:`Code` in it (in tuples, lists, dicts) built."""
    if isinstance(value, Code):
        return value.build()
    if type(value) in (tuple, list):
        return type(value)(materialize(v) for v in value)
    if type(value) is dict:
        return {k: materialize(v) for k, v in value.items()}
    return value


def short(text: object, limit: int = MAX_TEXT) -> str:
    """``str(text)`` cut to ``limit`` characters (a hostile ``__str__`` gives "?")."""
    try:
        text = str(text)
    except BaseException:  # noqa: BLE001 (student objects may raise anything from __str__)
        return "?"
    return text if len(text) <= limit else text[:limit] + "..."


def encode(value: Any) -> tuple[Any, list[np.ndarray]]:
    """Turn a value into a JSON-able tree plus the numeric arrays it refers to."""
    arrays: list[np.ndarray] = []

    def walk(v: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            return {"t": "other", "type": "nesting", "repr": "nested too deeply"}
        if v is None or type(v) in (bool, int, float, str):
            if type(v) is str:
                return short(v)
            if type(v) is int and abs(v) > 2**62:
                return {"t": "other", "type": "int", "repr": "integer too large"}
            return v
        if isinstance(v, (np.ndarray, np.generic)) and np.asarray(v).dtype.kind in NUMERIC_KINDS:
            arr = np.array(v, copy=True, order="C")  # keeps 0-d scalars 0-d
            arrays.append(arr)
            return {"t": "arr", "i": len(arrays) - 1}
        if type(v) in (tuple, list) and len(v) <= MAX_ITEMS:
            return {"t": type(v).__name__, "v": [walk(x, depth + 1) for x in v]}
        if type(v) is dict and len(v) <= MAX_ITEMS and all(type(k) is str for k in v):
            return {"t": "dict", "v": [[short(k), walk(x, depth + 1)] for k, x in v.items()]}
        if type(v) is Code:
            return {"t": "code", "src": v.source}
        try:
            text = repr(v)
        except BaseException:  # noqa: BLE001 (a hostile __repr__ must not break the answer)
            text = "?"
        dtype = getattr(v, "dtype", None)
        name = type(v).__name__ + (f"[{dtype}]" if isinstance(dtype, np.dtype) else "")
        return {"t": "other", "type": short(name, 100), "repr": short(text, 200)}

    return walk(value, 0), arrays


def decode(tree: Any, arrays: list[np.ndarray], depth: int = 0, code: bool = False) -> Any:
    """Rebuild a value from :func:`encode`'s tree, validating every node.

    ``code=True`` accepts :class:`Code` nodes (in the worker, reading the judge's commands); the
    judge decodes answers with the default, which refuses them.
    """
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if tree is None or type(tree) in (bool, int, float):
        return tree
    if type(tree) is str:
        return short(tree)
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
        out = [decode(x, arrays, depth + 1, code) for x in items]
        return tuple(out) if kind == "tuple" else out
    if kind == "dict":
        items = tree.get("v")
        if type(items) is not list or len(items) > MAX_ITEMS:
            raise WireError("bad mapping")
        result = {}
        for pair in items:
            if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                raise WireError("bad mapping entry")
            result[short(pair[0])] = decode(pair[1], arrays, depth + 1, code)
        return result
    if kind == "other":
        return Unsupported(short(tree.get("type", "?"), 100), short(tree.get("repr", ""), 200))
    if kind == "code" and code and type(tree.get("src")) is str:
        return Code(tree["src"])
    raise WireError(f"unknown node kind {short(kind, 40)!r}")


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
    write_all(fd, pack_message(header, arrays))


def write_all(fd: int, data: bytes) -> None:
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
    """Receive one message from a blocking pipe, refusing anything oversized or inconsistent."""
    head_len, body_len = frame_lengths(_read_exact(fd, 8))
    return unpack_message(_read_exact(fd, head_len), _read_exact(fd, body_len))


def frame_lengths(prefix: bytes) -> tuple[int, int]:
    """The header and body lengths announced by a message's first 8 bytes."""
    if len(prefix) != 8:
        raise WireError(f"a message starts with 8 bytes, got {len(prefix)}")
    head_len, body_len = struct.unpack("<II", prefix)
    if head_len > MAX_MESSAGE_BYTES or body_len > MAX_MESSAGE_BYTES:
        raise WireError(f"message of {head_len + body_len} bytes is over the limit")
    return head_len, body_len


def _array_spec(desc: object) -> tuple[np.dtype, list[int]]:
    """The dtype and shape of one array descriptor ``[dtype string, shape]``, validated."""
    if type(desc) is not list or len(desc) != 2 or type(desc[0]) is not str:
        raise WireError("bad array descriptor")
    if len(desc[0]) > 16:
        raise WireError("dtype name too long")
    try:
        dtype = np.dtype(desc[0])
    except Exception:  # noqa: BLE001 (numpy raises several kinds for strange dtype strings)
        raise WireError(f"unknown dtype {desc[0]!r}") from None
    if dtype.kind not in NUMERIC_KINDS or dtype.hasobject or dtype.fields is not None:
        raise WireError(f"dtype {dtype} is not numeric")
    if dtype.subdtype is not None or dtype.itemsize == 0:
        raise WireError(f"dtype {dtype} is not a plain number")
    shape = desc[1]
    if (
        type(shape) is not list
        or len(shape) > MAX_DIMS
        or any(type(s) is not int or not 0 <= s <= MAX_MESSAGE_BYTES for s in shape)
    ):
        raise WireError(f"bad array shape {short(shape, 80)}")
    return dtype, shape


def unpack_message(head: bytes, body: bytes) -> tuple[dict, list[np.ndarray]]:
    """Parse a header and body into the header dict and validated numeric arrays."""
    try:
        header = json.loads(head)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireError(f"header is not JSON: {short(exc, 200)}") from None
    if type(header) is not dict or type(header.get("arrays")) is not list:
        raise WireError("header is not a message")
    if len(header["arrays"]) > MAX_ITEMS:
        raise WireError("too many arrays")
    arrays, offset = [], 0
    for desc in header["arrays"]:
        dtype, shape = _array_spec(desc)
        count = 1
        for s in shape:
            count *= s
        nbytes = count * dtype.itemsize
        if offset + nbytes > len(body):
            raise WireError("array bytes missing")
        native = dtype.newbyteorder("=")
        if count == 0:
            arrays.append(np.empty(shape, dtype=native))
        else:
            arr = np.frombuffer(body, dtype=dtype, count=count, offset=offset)
            arrays.append(arr.reshape(shape).astype(native, copy=True))
        offset += nbytes
    if offset != len(body):
        raise WireError("extra bytes after the arrays")
    return header, arrays
