"""The digits CNN of notebook 07 against its baselines: test accuracy and training time.

    python bench/digits_cnn.py [--seeds 5]

Trains the network of solutions/07_alexnet (its answer cells, on its own layers) on the notebook's
split of scikit-learn's digits (1297 training, 500 test images), once per seed, next to logistic
regression and an MLP with 64 hidden units, all on one BLAS thread (as the notebook and the
grader run it). Prints accuracy, wall and CPU seconds. Target: the CNN at 98 % or more within
60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import time
from functools import partial
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

from grader.alexnet import lesson

REPO = Path(__file__).resolve().parents[1]
CELLS = ("bring_layers", "dropout_forward", "dropout_backward", "train_cnn")


def solution_namespace() -> dict:
    """The solution notebook's answer cells, run in one namespace (as the grader runs them)."""
    cells = json.loads((REPO / "solutions/07_alexnet/07_alexnet.ipynb").read_text())["cells"]
    namespace = {"np": np}
    for cell in cells:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") in CELLS:
            exec("".join(cell["source"]), namespace)
    return namespace


def timed(fit) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fit()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    seeds = range(parser.parse_args().seeds)
    threadpool_limits(1)
    X_train, X_test, y_train, y_test = lesson.digits_split(n_test=500, seed=0)
    flat_train, flat_test = X_train.reshape(len(X_train), -1), X_test.reshape(len(X_test), -1)
    ns = solution_namespace()
    rows = []
    for name, make in (
        ("logistic regression", lambda s: LogisticRegression(max_iter=2000)),
        ("MLP, 64 hidden", lambda s: MLPClassifier((64,), max_iter=1000, random_state=s)),
    ):
        for seed in seeds:
            wall, cpu, model = timed(partial(lambda m: m.fit(flat_train, y_train), make(seed)))
            rows.append((name, seed, model.score(flat_test, y_test), wall, cpu))
    for seed in seeds:
        wall, cpu, predicted = timed(partial(ns["train_cnn"], X_train, y_train, X_test, seed=seed))
        rows.append(("CNN (notebook 07)", seed, float(np.mean(predicted == y_test)), wall, cpu))
    print(f"{'model':>20s} {'seed':>4s} {'test acc.':>9s} {'wall s':>7s} {'CPU s':>6s}")
    for name, seed, accuracy, wall, cpu in rows:
        print(f"{name:>20s} {seed:4d} {accuracy:9.1%} {wall:7.2f} {cpu:6.2f}")


if __name__ == "__main__":
    main()
