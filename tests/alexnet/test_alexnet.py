"""Does each check of 07_alexnet name the mistake it sees, are its references right, and do its
judges of random masks and trained networks pass every correct answer? (The separation of wrong
from correct answers is proven for every notebook in tests/test_implementations.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import define

from grader.alexnet.cases import NOTEBOOK, THRESHOLD, visible_split
from grader.alexnet.hidden import (
    HIDDEN,
    alexnet_reference,
    backward_answers,
    hidden_split,
    masked_forward_matrix,
)
from grader.alexnet.judges import (
    ALEXNET_TOTAL,
    CONV1,
    WRONG_TOTALS,
    accuracy_judge,
    dropout_judge,
)
from grader.alexnet.lesson import digits
from grader.engine.kernel import run_cases
from grader.engine.verdicts import Status
from make_class import topic_module

IMPLEMENTATIONS = topic_module("07_alexnet", "implementations")
WRONG, CORRECT = IMPLEMENTATIONS.WRONG, IMPLEMENTATIONS.CORRECT


def test_messages_name_the_mistake(graded):
    """Graded in the sandbox, a dropout that does not rescale, a backward pass that ignores the
    mask, AlexNet without biases and a constant prediction are named in the message and carried
    as data next to it."""
    got = graded(
        "07_alexnet",
        {
            "dropout_forward": WRONG["dropout_forward"]["kept units not rescaled"],
            "dropout_backward": WRONG["dropout_backward"]["mask ignored"],
            "alexnet_param_counts": WRONG["alexnet_param_counts"]["biases forgotten"],
            "train_cnn": WRONG["train_cnn"]["a constant: the most common training label"],
        },
    )
    expected = {
        "dropout_forward": ("not_rescaled", "x / (1 - p)"),
        "dropout_backward": ("mask_ignored", "gradient is 0"),
        "alexnet_param_counts": ("no_biases", "biases are missing"),
        "train_cnn": ("constant", "accuracy"),
    }
    for name, (mistake, text) in expected.items():
        result = got[name]
        assert result.status is Status.FAILED and result.score == 0, result
        assert result.mistake == mistake and text in result.message, result


def test_messages_name_keep_probability_grouping_and_an_untrained_network(graded):
    got = graded(
        "07_alexnet",
        {
            "dropout_forward": WRONG["dropout_forward"]["p read as the keep probability"],
            "dropout_backward": WRONG["dropout_backward"]["p read as the keep probability"],
            "alexnet_param_counts": WRONG["alexnet_param_counts"][
                "the two-GPU grouping ignored (every filter sees all channels)"
            ],
            "train_cnn": WRONG["train_cnn"]["no training: the starting weights predict"],
        },
        "more",
    )
    expected = {
        "dropout_forward": "p_as_keep",
        "dropout_backward": "p_as_keep",
        "alexnet_param_counts": "grouping_ignored",
        "train_cnn": "untrained",
    }
    assert {name: got[name].mistake for name in expected} == expected, got


@pytest.mark.parametrize(
    ("exercise", "label", "mistake"),
    [
        ("dropout_forward", "one mask drawn once and reused", "mask_reused"),
        ("dropout_forward", "mask from np.random, not from rng", "rng_ignored"),
        ("dropout_forward", "rescaled at test time (the original paper's dropout, half inverted)",
         "rescaled_at_test"),
        ("dropout_forward", "no ValueError for p = 1", "should_raise"),
        ("dropout_backward", "not rescaled", "not_rescaled"),
        ("dropout_backward", "rescaled at test time", "rescaled_at_test"),
        ("alexnet_param_counts", "each GPU's half counted as a whole layer (double-counted)",
         "doubled_per_gpu"),
        ("alexnet_param_counts", "CONV3 grouped like its neighbours", "conv3_grouped"),
        ("alexnet_param_counts", "FC6 fed by CONV5 before pool5 (13 x 13 x 256)", "pool5_skipped"),
        ("train_cnn", "scores instead of labels", "scores_not_labels"),
    ],
)  # fmt: skip
def test_visible_checks_name_the_other_mistakes(exercise, label, mistake):
    """In the learner's kernel, the visible check names each of the other known mistakes."""
    fn = define(WRONG[exercise][label], exercise)
    result = run_cases(fn, NOTEBOOK.exercises[NOTEBOOK.names.index(exercise)].cases())
    assert result.status is Status.FAILED and result.mistake == mistake, result


def test_a_lookup_of_known_digits_passes_the_visible_check_and_is_named_by_the_hidden_one():
    """Labels read from scikit-learn's digits (possible in the kernel, not in the sandbox, which
    has no scikit-learn) pass the visible check; the hidden case's new, perturbed images are
    not in any table, and the result is named as memorised."""
    fn = define(WRONG["train_cnn"]["labels looked up in scikit-learn's digits"], "train_cnn")
    visible = NOTEBOOK.exercises[NOTEBOOK.names.index("train_cnn")].cases()
    assert run_cases(fn, visible).status is Status.PASSED
    hidden = run_cases(fn, HIDDEN["train_cnn"]())
    assert hidden.status is Status.FAILED and hidden.mistake == "memorised", hidden


def test_answers_written_out_for_the_visible_check_fail_the_hidden_one():
    fn = define(WRONG["train_cnn"]["the visible check's answers written out"], "train_cnn")
    visible = NOTEBOOK.exercises[NOTEBOOK.names.index("train_cnn")].cases()
    assert run_cases(fn, visible).status is Status.PASSED
    hidden = run_cases(fn, HIDDEN["train_cnn"]())
    assert hidden.status is Status.FAILED and hidden.mistake == "constant", hidden


# -- references -------------------------------------------------------------------------------------


def test_dropout_backward_reference_is_the_gradient_of_the_masked_forward_pass():
    """The adjoint built from unit vectors equals centred differences of sum(out * dout) with
    the mask held fixed, in float64."""
    rng = np.random.default_rng(0)
    for p in (0.0, 0.3, 0.8):
        x, dout = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
        mask = rng.random((3, 5)) >= p
        numeric = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            step = np.zeros_like(x)
            step[i] = 1e-5
            plus = np.sum((masked_forward_matrix(mask, p) @ (x + step).ravel()) * dout.ravel())
            minus = np.sum((masked_forward_matrix(mask, p) @ (x - step).ravel()) * dout.ravel())
            numeric[i] = (plus - minus) / 2e-5
        expected, _ = backward_answers(dout, (mask, p, True))
        assert np.allclose(expected, numeric, rtol=1e-7, atol=1e-9)
        dx = rng.normal(size=(3, 5))
        # and the forward matrix is dropout itself: kept units scaled, dropped ones 0
        assert np.allclose(masked_forward_matrix(mask, p) @ dx.ravel(),
                           (np.where(mask, dx, 0) / (1 - p)).ravel())  # fmt: skip


def test_alexnet_reference_counts_the_weights_of_the_papers_layers():
    """Each layer's count is the size of its weight arrays (one GPU's filters see half the
    channels in the grouped layers) plus one bias per output; the total is the 60,965,224 the
    visible check holds, and the wrong totals it names are those of the hidden mistakes."""
    shapes = {  # weight arrays per GPU, (filters, channels seen, kh, kw), and biases per GPU
        "conv1": [(48, 3, 11, 11)] * 2,
        "conv2": [(128, 48, 5, 5)] * 2,
        "conv3": [(192, 256, 3, 3)] * 2,
        "conv4": [(192, 192, 3, 3)] * 2,
        "conv5": [(128, 192, 3, 3)] * 2,
        "fc6": [(9216, 2048)] * 2,
        "fc7": [(4096, 2048)] * 2,
        "fc8": [(4096, 1000)],
    }
    biases = {"conv1": 96, "conv2": 256, "conv3": 384, "conv4": 384, "conv5": 256, "fc6": 4096,
              "fc7": 4096, "fc8": 1000}  # fmt: skip
    counted = {k: sum(int(np.prod(s)) for s in v) + biases[k] for k, v in shapes.items()}
    reference = alexnet_reference()
    assert reference == counted and reference["conv1"] == CONV1
    assert sum(reference.values()) == ALEXNET_TOTAL
    mistakes = {m.id: v for m, v in HIDDEN["alexnet_param_counts"]()[0].mistakes}
    assert {sum(v.values()): k for k, v in mistakes.items()} == WRONG_TOTALS


# -- judges -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("draw", ["rng.random(shape) >= p", "rng.random(shape) < 1 - p",
                                  "rng.binomial(1, 1 - p, size=shape).astype(bool)"])  # fmt: skip
def test_the_dropout_judge_passes_correct_masks_of_every_seed(draw):
    """Any correct way of drawing the mask passes, over 300 random inputs and seeds: the mask's
    tests (6 standard deviations) make a false alarm a one-in-a-hundred-million event."""
    rng = np.random.default_rng(1)
    for trial in range(300):
        shape = (int(rng.integers(1, 40)), int(rng.integers(100, 400)))
        p = float(rng.choice([0.0, 0.1, 0.3, 0.5, 0.7, 0.9]))
        x = rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
        memory: dict = {}
        for seed in (trial, trial, trial + 1000):
            mask = eval(draw, {"rng": np.random.default_rng(seed), "shape": shape, "p": p})
            assert dropout_judge(x, p, seed, memory)(x * mask / (1 - p)) is None, (shape, p)


def test_the_splits_keep_labels_and_known_images_apart():
    """Visible training and evaluation images differ; the hidden split trains on none of its
    evaluation images; its new evaluation images match no digit of the data set exactly, and
    its unperturbed ones all come from the visible check's evaluation set."""
    images, _ = digits()
    known = {image.tobytes() for image in images}
    X_train, _, X_eval, _ = visible_split()
    assert not {i.tobytes() for i in X_train} & {i.tobytes() for i in X_eval}
    H_train, _, H_eval, _, seen = hidden_split()
    assert not {i.tobytes() for i in H_train} & {i.tobytes() for i in H_eval}
    assert all(image.tobytes() not in known for image in H_eval[~seen])
    assert {i.tobytes() for i in H_eval[seen]} <= {i.tobytes() for i in X_eval}
    assert H_eval.min() >= 0 and H_eval.max() <= 1 and len(H_eval) == 400 and seen.sum() == 100


def test_a_small_correct_network_passes_the_hidden_case_with_any_seed():
    """The threshold sits below what a correct small CNN reaches: the one-layer network of the
    implementations passes the hidden judge with five seeds (0.3 s each)."""
    fn = define(CORRECT["train_cnn"]["one conv layer, windows as a matrix, max pooling"],
                "train_cnn")  # fmt: skip
    X_train, y_train, X_eval, y_eval, seen = hidden_split()
    judge = accuracy_judge(y_eval, THRESHOLD, seen)
    for seed in range(5):
        assert judge(fn(X_train, y_train, X_eval, seed=seed)) is None, seed


def test_the_accuracy_judge_refuses_junk_without_raising():
    judge = accuracy_judge(np.arange(10) % 10, THRESHOLD)
    for junk in ("labels", None, np.zeros((10, 10)), np.full(10, np.nan), np.arange(12),
                 {"a": 1}, np.arange(10) + 0.5):  # fmt: skip
        assert judge(junk) is not None
    assert judge(np.arange(10)) is None and judge(np.arange(10).astype(float)) is None
