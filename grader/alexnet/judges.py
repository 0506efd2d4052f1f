"""Judgements of results that have no single right answer, for notebook 07_alexnet.

A dropout mask is random: its judge checks what every correct mask shares (kept units scaled by
1 / (1 - p), about a fraction p dropped, no pattern, the same mask from the same seed and a new
one from another seed). A trained network's predictions are judged by their accuracy on images
whose labels only the judge holds. AlexNet's counts are checked, among the visible cases, by the
two numbers the notebook states (CONV1's count and the total). Every judge returns None for a
pass, else a :class:`~grader.engine.compare.Problem`, and never raises on any value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from grader.alexnet.mistakes import MISTAKES
from grader.engine.compare import BUILTIN, Problem, describe, shape_text

__all__ = [
    "ALEXNET_LAYERS",
    "ALEXNET_TOTAL",
    "CONV1",
    "WRONG_TOTALS",
    "Judge",
    "accuracy_judge",
    "counts_judge",
    "dropout_judge",
]

Judge = Callable[[Any], Problem | None]
_M = MISTAKES
SIGMAS = 6.0  # a correct random mask falls outside 6 standard deviations about once in 10**9

ALEXNET_LAYERS = ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8")
CONV1 = 34_944
"""96 filters of 11 x 11 x 3 plus 96 biases: the worked example of the notebook."""
ALEXNET_TOTAL = 60_965_224
"""Every weight and bias of the two-GPU network: the "60 million parameters" of the paper."""
WRONG_TOTALS = {  # the totals of the usual mistakes, which the visible check names
    60_954_656: "no_biases",
    62_378_344: "grouping_ignored",
    121_930_448: "doubled_per_gpu",
    60_522_856: "conv3_grouped",
    200_425_832: "pool5_skipped",
}


def _whole(value: Any) -> int | None:
    """``value`` as a Python int when it is a whole number (not a bool), else None."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and value == int(value):
        return int(value)
    return None


def counts_judge() -> Judge:
    """The visible check of alexnet_param_counts: the layer names, whole counts, CONV1's count
    and the total; a wrong total names the mistake that gives it."""

    def judge(value: Any) -> Problem | None:
        if not isinstance(value, dict):
            return Problem(f"expected a dict of layer name -> count, got {describe(value)}")
        if set(value) != set(ALEXNET_LAYERS):
            got = ", ".join(map(repr, value)) or "none"
            return Problem(f"expected the keys {', '.join(ALEXNET_LAYERS)}; got {got}")
        counts = {k: _whole(value[k]) for k in ALEXNET_LAYERS}
        bad = next((k for k, v in counts.items() if v is None), None)
        if bad is not None:
            return Problem(f"{bad!r}: expected a whole number, got {describe(value[bad])}")
        if counts["conv1"] != CONV1:
            named = {CONV1 - 96: "no_biases", 2 * CONV1: "doubled_per_gpu"}.get(counts["conv1"])
            return Problem(
                f"'conv1': expected {CONV1} (96 filters of 11 x 11 x 3, each with a bias), "
                f"got {counts['conv1']}",
                _M[named] if named else None,
            )
        total = sum(counts.values())
        if total != ALEXNET_TOTAL:
            named = WRONG_TOTALS.get(total)
            return Problem(
                f"the counts add up to {total:,}; AlexNet has {ALEXNET_TOTAL:,} parameters",
                _M[named] if named else None,
            )
        return None

    return judge


def _mask_problem(dropped: np.ndarray, p: float) -> Problem | None:
    """Whether the dropped units look like independent draws with probability p."""
    n = dropped.size
    fraction = float(dropped.mean())
    sd = np.sqrt(p * (1 - p) / n)
    if abs(fraction - p) > SIGMAS * sd + 1e-12:
        keep_sd = SIGMAS * sd
        named = _M["p_as_keep"] if abs(fraction - (1 - p)) <= keep_sd else None
        return Problem(
            f"{fraction:.2%} of the {n} units were dropped; with p = {p:g} about {p:.0%} "
            f"should be (a random mask stays within {keep_sd:.2%} of it)",
            named,
        )
    if p == 0:
        return None
    flat = dropped.ravel()
    for part in np.array_split(flat, 4):
        band = SIGMAS * np.sqrt(p * (1 - p) / part.size)
        if abs(part.mean() - p) > band:
            return Problem(
                f"one quarter of the units has {part.mean():.1%} dropped and the whole "
                f"{fraction:.1%}: the drops are not spread at random",
                _M["not_random"],
            )
    both = float((flat[:-1] & flat[1:]).mean())
    band = 2 * SIGMAS * np.sqrt(p * p * (1 - p * p) / (n - 1))
    if abs(both - p * p) > band:
        return Problem(
            f"{both:.1%} of neighbouring pairs are both dropped; independent drops give about "
            f"p**2 = {p * p:.1%}",
            _M["not_random"],
        )
    return None


def dropout_judge(x: np.ndarray, p: float, seed: int, memory: dict) -> Judge:
    """Judge the training-time output of dropout_forward on ``x`` (no zeros) with drop
    probability ``p`` and a generator seeded ``seed``.

    ``memory`` is shared by the cases of one list: it keeps each mask by input shape, so that a
    later case with the same seed must give the same mask and one with another seed a new one.
    """
    x = np.asarray(x)
    scale = 1.0 / (1.0 - p)

    def judge(out: Any) -> Problem | None:
        if not isinstance(out, np.ndarray) or out.shape != x.shape:
            return Problem(f"expected an array of shape {shape_text(x.shape)}, got {describe(out)}")
        if out.dtype.kind != "f":
            return Problem(f"got dtype {out.dtype}", BUILTIN["integer_dtype"])
        with np.errstate(all="ignore"):
            ratio = out.astype(np.float64) / x.astype(np.float64)
        if not np.isfinite(ratio).all():
            return Problem("the output holds inf or NaN", BUILTIN["nan"])
        rtol = 1e-4 if min(out.dtype.itemsize, x.dtype.itemsize) < 8 else 1e-7
        dropped = np.abs(ratio) <= rtol
        kept = ratio[~dropped]
        wrong = ~np.isclose(kept, scale, rtol=rtol, atol=0)
        if wrong.any():
            got = float(kept[np.argmax(wrong)])
            named = None
            for factor, mistake in ((1.0, "not_rescaled"), (1 - p, "scaled_down")) + (
                ((1 / p, "p_as_keep"),) if p > 0 else ()
            ):
                if np.allclose(kept, factor, rtol=rtol, atol=0):
                    named = _M[mistake]
                    break
            return Problem(
                f"a kept unit should be x / (1 - p) = x * {scale:.6g}; one is x * {got:.6g} "
                f"({int(wrong.sum())} of {kept.size} kept units are off)",
                named,
            )
        problem = _mask_problem(dropped, p)
        if problem is not None:
            return problem
        earlier = memory.setdefault(x.shape, [])
        for other_seed, mask in earlier:
            same = np.array_equal(mask, dropped)
            if other_seed == seed and not same:
                return Problem(
                    f"generators seeded {seed} twice gave different masks", _M["rng_ignored"]
                )
            if other_seed != seed and same and 0 < p:
                return Problem(
                    f"generators seeded {other_seed} and {seed} gave the same mask",
                    _M["mask_reused"],
                )
        earlier.append((seed, dropped))
        return None

    return judge


def accuracy_judge(y: np.ndarray, threshold: float, seen: np.ndarray | None = None) -> Judge:
    """Judge predicted labels against ``y`` (held here only): at least ``threshold`` of them
    right. ``seen`` marks images the learner may have met before (unperturbed ones of the
    visible check); the others must reach the threshold too, and a result right on the seen
    ones only is named as memorised."""
    y = np.asarray(y)

    def judge(value: Any) -> Problem | None:
        if not isinstance(value, np.ndarray) or value.ndim == 0:
            return Problem(f"expected an array of {len(y)} labels, got {describe(value)}")
        if value.ndim == 2 and value.shape[0] == len(y) and value.shape[1] > 1:
            return Problem(
                f"expected labels of shape {shape_text(y.shape)}, got {describe(value)}",
                _M["scores_not_labels"],
            )
        if value.shape != y.shape:
            return Problem(f"expected labels of shape {shape_text(y.shape)}, got {describe(value)}")
        if value.dtype.kind not in "iuf" or (
            value.dtype.kind == "f"
            and not (np.isfinite(value).all() and (value == np.round(value)).all())
        ):
            return Problem(f"expected whole-number labels 0 .. 9, got {describe(value)}")
        right = value == y
        accuracy = float(right.mean())
        text = f"{int(right.sum())} of {len(y)} right: accuracy {accuracy:.1%}"
        new = float(right[~seen].mean()) if seen is not None else accuracy
        if accuracy >= threshold and new >= threshold:
            return None
        named = None
        if np.unique(value).size == 1:
            named = _M["constant"]
        elif seen is not None and float(right[seen].mean()) >= 0.9 and new < 0.6:
            named = _M["memorised"]
        elif accuracy < 0.3:
            named = _M["untrained"]
        if seen is not None:
            text += (
                f" ({float(right[seen].mean()):.0%} on images like the visible check's, "
                f"{new:.1%} on new, slightly perturbed ones)"
            )
        return Problem(f"{text}; at least {threshold:.0%} needed", named)

    return judge
