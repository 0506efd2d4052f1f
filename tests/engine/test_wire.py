"""Can anything a student process sends make the judge crash or hang? Every malformed frame,
truncated message, huge declared size or wrong dtype must give a WireError (a protocol error for
that exercise), never another exception; and what is valid round-trips exactly."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from grader.engine.sandboxed.wire import (
    MAX_MESSAGE_BYTES,
    Unsupported,
    WireError,
    decode,
    encode,
    frame_lengths,
    pack_message,
    unpack_message,
)
from grader.engine.submission import InvalidNotebook, answer_cells, parse_notebook


def _split(message: bytes) -> tuple[bytes, bytes]:
    head_len, body_len = frame_lengths(message[:8])
    return message[8 : 8 + head_len], message[8 + head_len : 8 + head_len + body_len]


def _read(head: bytes, body: bytes):
    """What the judge does with a message: unpack it and decode its value."""
    header, arrays = unpack_message(head, body)
    return decode(header.get("value"), arrays)


VALUES = [
    (np.arange(6.0).reshape(2, 3), {"k": [1, 2.5, None, "text"]}),
    (np.float32(1.5), np.int64(-3), True, np.zeros((0, 4), dtype=np.int16)),
    [np.ones(3, dtype=">f8"), (1, (2, (3, [4]))), np.array(7, dtype=np.uint8)],
]


@pytest.mark.parametrize("value", VALUES)
def test_valid_values_round_trip(value):
    tree, arrays = encode(value)
    head, body = _split(pack_message({"ok": True, "value": tree}, arrays))
    back = _read(head, body)
    again, again_arrays = encode(back)
    assert again == tree and len(again_arrays) == len(arrays)
    for a, b in zip(arrays, again_arrays, strict=True):
        assert a.shape == b.shape and np.array_equal(a, b) and b.dtype.isnative


def test_objects_the_wire_cannot_carry_arrive_as_unsupported():
    tree, arrays = encode([object(), np.array([object()]), 2**70])
    head, body = _split(pack_message({"value": tree}, arrays))
    assert all(isinstance(v, Unsupported) for v in _read(head, body))


def _mutations(message: bytes, rng: np.random.Generator):
    """Random corruptions of a valid message: flipped bytes, cuts, splices, junk."""
    for _ in range(300):
        data = bytearray(message)
        kind = rng.integers(5)
        if kind == 0:
            for i in rng.integers(0, len(data), size=rng.integers(1, 8)):
                data[i] = int(rng.integers(256))
        elif kind == 1:
            data = data[: rng.integers(0, len(data))]
        elif kind == 2:
            data = data + bytes(rng.integers(0, 256, size=rng.integers(1, 64), dtype=np.uint8))
        elif kind == 3:
            cut = rng.integers(8, len(data))
            data = data[:cut] + data[cut:][::-1]
        else:
            data = bytearray(rng.integers(0, 256, size=rng.integers(0, 200), dtype=np.uint8))
        yield bytes(data)


@pytest.mark.parametrize("seed", range(4))
def test_corrupted_frames_raise_only_wire_errors(seed):
    rng = np.random.default_rng(seed)
    tree, arrays = encode(VALUES[seed % len(VALUES)])
    message = pack_message({"ok": True, "value": tree}, arrays)
    for data in _mutations(message, rng):
        try:
            if len(data) < 8:
                continue
            head_len, body_len = frame_lengths(data[:8])
            _read(data[8 : 8 + head_len], data[8 + head_len : 8 + head_len + body_len])
        except WireError:
            pass


HOSTILE_HEADERS = [
    {"arrays": [["<f8", [2**40, 2**40]]]},
    {"arrays": [["<f8", [-1]]]},
    {"arrays": [["O", [1]]]},
    {"arrays": [["|V8", [1]]]},
    {"arrays": [["(2,)f8", [1]]]},
    {"arrays": [["f8,i4", [1]]]},
    {"arrays": [["M8[s]", [1]]]},
    {"arrays": [["<U3", [1]]]},
    {"arrays": [["not a dtype at all", [1]]]},
    {"arrays": [["<f8", [1] * 40]]},
    {"arrays": [["<f8", "shape"]]},
    {"arrays": [["<f8"]]},
    {"arrays": "no list"},
    {"arrays": [["<f8", [1]]] * 20000},
    {"arrays": [], "value": {"t": "arr", "i": 5}},
    {"arrays": [], "value": {"t": "tuple", "v": "x"}},
    {"arrays": [], "value": {"t": "dict", "v": [[1, 2]]}},
    {"arrays": [], "value": {"t": "mystery"}},
    {"arrays": [], "value": [1, 2]},
]


@pytest.mark.parametrize("header", HOSTILE_HEADERS, ids=range(len(HOSTILE_HEADERS)))
def test_hostile_headers_raise_wire_errors(header):
    with pytest.raises(WireError):
        _read(json.dumps(header).encode(), b"\0" * 16)


def test_deep_nesting_and_huge_sizes_are_refused():
    nested = {"t": "list", "v": []}
    for _ in range(50):
        nested = {"t": "list", "v": [nested]}
    with pytest.raises(WireError):
        _read(json.dumps({"arrays": [], "value": nested}).encode(), b"")
    with pytest.raises(WireError):
        _read(b"[" * 100_000, b"")
    with pytest.raises(WireError):
        frame_lengths(struct.pack("<II", MAX_MESSAGE_BYTES + 1, 0))
    with pytest.raises(WireError):
        frame_lengths(b"\0" * 5)


NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {},
    "cells": [
        {
            "cell_type": "code",
            "source": "def f():\n    pass",
            "metadata": {"nbgrader": {"grade_id": "f"}},
            "outputs": [],
            "execution_count": None,
        },
    ],
}


@pytest.mark.parametrize("seed", range(3))
def test_corrupted_notebooks_are_invalid_or_read_never_a_crash(seed):
    """Random corruptions of a notebook's bytes give InvalidNotebook or a readable notebook."""
    rng = np.random.default_rng(100 + seed)
    text = json.dumps(NOTEBOOK).encode()
    for data in _mutations(text, rng):
        try:
            answers = answer_cells(parse_notebook(data), ["f"])
        except InvalidNotebook:
            continue
        assert set(answers.sources) | set(answers.problems) == {"f"}


@pytest.mark.parametrize(
    "cells",
    [
        [None, 3, "text", [1]],
        [{"cell_type": "code", "source": 5, "metadata": {"nbgrader": {"grade_id": "f"}}}],
        [{"cell_type": "code", "source": ["a", 1], "metadata": {"nbgrader": "x"}}],
        [{"metadata": {"nbgrader": {"grade_id": ["f"]}}}],
        [{"cell_type": "code", "source": "x", "metadata": {"nbgrader": {"grade_id": "f"}}}] * 5000,
    ],
)
def test_strange_cells_are_answers_or_problems(cells):
    answers = answer_cells({"nbformat": 4, "cells": cells}, ["f"])
    assert set(answers.sources) | set(answers.problems) == {"f"}
