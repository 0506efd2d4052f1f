"""The sample class for notebook 07_alexnet: ten synthetic students and what each earned.

Each student is a dict from answer cell (an exercise, or the ``bring_layers`` cell of layers
pasted from earlier notebooks) to its code; a cell left out keeps the released stub. ``EXPECTED``
is the score each student must get, exercise by exercise, with the reason: the tests check the
grader against it, and ``make demo`` prints it graded. Three students train a network for real:
ada (the notebook's network on her pasted layers), finn and ivan (small self-contained ones).
"""

import json
from pathlib import Path

from make_class import topic_module

_IMPL = topic_module("07_alexnet", "implementations")
WRONG, CORRECT = _IMPL.WRONG, _IMPL.CORRECT
_SOLUTION = Path(__file__).resolve().parents[2] / "solutions" / "07_alexnet" / "07_alexnet.ipynb"


def _solved(cell: str) -> str:
    """An answer cell of the solution notebook, as a learner would hand it in (no markers)."""
    for c in json.loads(_SOLUTION.read_text())["cells"]:
        if c["metadata"].get("nbgrader", {}).get("grade_id") == cell:
            lines = "".join(c["source"]).splitlines()
            return "\n".join(line for line in lines if "### " not in line) + "\n"
    raise KeyError(cell)


ADA = {  # the notebook's network on her own layers: everything the notebook's cells call
    cell: _solved(cell)
    for cell in ("bring_layers", "dropout_forward", "dropout_backward", "train_cnn",
                 "alexnet_param_counts")
}  # fmt: skip
IVAN = {
    "dropout_forward": CORRECT["dropout_forward"]["binomial mask, float32 stays float32"],
    "dropout_backward": CORRECT["dropout_backward"]["where"],
    "alexnet_param_counts": CORRECT["alexnet_param_counts"]["two GPUs, each half counted once"],
    "train_cnn": CORRECT["train_cnn"]["float32, convolution by shifted copies, average pooling"],
}
LOOPS = {
    "dropout_forward": CORRECT["dropout_forward"]["a loop over the units"],
    "dropout_backward": CORRECT["dropout_backward"]["a loop, float64"],
    "alexnet_param_counts": CORRECT["alexnet_param_counts"]["written out"],
}

STUDENTS = {
    "ada": ADA,
    "ben": {},
    "cleo": {  # dropout never rescaled, a constant prediction
        "dropout_forward": WRONG["dropout_forward"]["kept units not rescaled"],
        "dropout_backward": WRONG["dropout_backward"]["not rescaled"],
        "alexnet_param_counts": LOOPS["alexnet_param_counts"],
        "train_cnn": WRONG["train_cnn"]["a constant: the most common training label"],
    },
    "dev": {  # p as the keep probability, no biases, the visible check's answers written out
        "dropout_forward": WRONG["dropout_forward"]["p read as the keep probability"],
        "dropout_backward": LOOPS["dropout_backward"],
        "alexnet_param_counts": WRONG["alexnet_param_counts"]["biases forgotten"],
        "train_cnn": WRONG["train_cnn"]["the visible check's answers written out"],
    },
    "eve": {  # the mask ignored backwards, the two-GPU grouping ignored, scores for labels
        "dropout_forward": LOOPS["dropout_forward"],
        "dropout_backward": WRONG["dropout_backward"]["mask ignored"],
        "alexnet_param_counts": WRONG["alexnet_param_counts"][
            "the two-GPU grouping ignored (every filter sees all channels)"
        ],
        "train_cnn": WRONG["train_cnn"]["scores instead of labels"],
    },
    "finn": {  # right, but his dropout_backward never returns
        **LOOPS,
        "dropout_backward": "\ndef dropout_backward(dout, cache):\n    while True:\n        pass\n",
        "train_cnn": CORRECT["train_cnn"]["one conv layer, windows as a matrix, max pooling"],
    },
    "gus": {  # kills his own process, then crashes it
        "dropout_forward": "\nimport os\n\ndef dropout_forward(x, p, train, rng):\n    os._exit(0)\n",
        "dropout_backward": LOOPS["dropout_backward"],
        "alexnet_param_counts": "\nimport ctypes\n\ndef alexnet_param_counts():\n"
        "    return ctypes.string_at(0)\n",
    },
    "hana": {  # wrong code, and numpy's comparisons patched to say yes
        "dropout_forward": "\nnp.testing.assert_allclose = lambda *a, **k: None\n"
        "np.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\n"
        "np.array_equal = lambda *a, **k: True\n"
        "def dropout_forward(x, p, train, rng):\n    return x, (None, p, train)\n",
        "dropout_backward": "\ndef dropout_backward(dout, cache):\n    return dout\n",
        "alexnet_param_counts": "\ndef alexnet_param_counts():\n"
        "    return dict.fromkeys(['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'fc6', 'fc7', "
        "'fc8'], 0)\n",
        "train_cnn": "\ndef train_cnn(X_train, y_train, X_eval, seed=0):\n"
        "    return np.zeros(len(X_eval), dtype=int)\n",
    },
    "ivan": IVAN,
    "jo": {  # rescales at test time, peeks at the notebook's test labels
        "dropout_forward": WRONG["dropout_forward"][
            "rescaled at test time (the original paper's dropout, half inverted)"
        ],
        "dropout_backward": LOOPS["dropout_backward"],
        "alexnet_param_counts": LOOPS["alexnet_param_counts"],
        "train_cnn": WRONG["train_cnn"]["peeks at the notebook's test labels"],
    },
}

FULL = {
    "dropout_forward": 2.0,
    "dropout_backward": 1.0,
    "train_cnn": 5.0,
    "alexnet_param_counts": 2.0,
}
ZERO = dict.fromkeys(FULL, 0.0)

EXPECTED = {
    "ada": FULL,
    "ben": ZERO,
    "cleo": {**ZERO, "alexnet_param_counts": 2.0},
    "dev": {**ZERO, "dropout_backward": 1.0},
    "eve": {**ZERO, "dropout_forward": 2.0},
    "finn": {**FULL, "dropout_backward": 0.0},
    "gus": {**ZERO, "dropout_backward": 1.0},
    "hana": ZERO,
    "ivan": FULL,
    "jo": {**ZERO, "dropout_backward": 1.0, "alexnet_param_counts": 2.0},
}
