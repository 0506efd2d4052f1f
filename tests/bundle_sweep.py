"""Call every function and class of the student bundle's package as every graded exercise.

    python tests/bundle_sweep.py BUNDLE [CONTROL_SOURCE EXERCISE]

For each module file of ``BUNDLE/grader`` (byte-identical to the repository's, which is checked),
imports the repository's module, takes every function and class defined in it, and runs it on each
exercise's hidden cases, stopping at the first case it fails (each call limited to 2 s). Prints, as
JSON, the (function, exercise) pairs that pass every hidden case: an implementation of a graded
function shipped to students. ``CONTROL_SOURCE`` defines one more function to sweep (a known
correct answer), so a test can show the sweep finds what it looks for.

Run it as the init of a throw-away sandbox (tests/test_bundle.py runs ``bwrap --as-pid-1``): it
calls engine functions with nonsense arguments, and some of them signal or end processes.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import signal
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from grader.course import course  # noqa: E402
from grader.engine.kernel import run_in_process  # noqa: E402
from grader.engine.verdicts import verdict  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


class _Slow(Exception):
    pass


def _alarm(signum, frame):
    raise _Slow()


def candidates(bundle: Path) -> dict[str, object]:
    """Every function and class defined at module level in the bundled package."""
    found = {}
    for path in sorted((bundle / "grader").rglob("*.py")):
        relative = path.relative_to(bundle)
        assert path.read_bytes() == (REPO / relative).read_bytes(), f"{relative} differs"
        name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        if name.endswith("__main__"):
            continue
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == name:
                found[f"{name}.{attr}"] = obj
    return found


def passes(fn, cases) -> bool:
    for case in cases:
        signal.setitimer(signal.ITIMER_REAL, 2.0)
        try:
            ok = verdict(case, run_in_process(fn, case)).passed
        except BaseException:  # noqa: BLE001 (anything the call does is a failure)
            ok = False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            plt.close("all")
        if not ok:
            return False
    return True


def sweep(fn, exercises: dict[str, list]) -> list[str]:
    """The exercises ``fn`` passes, each tried in a forked child of this process.

    A child that ends itself (``os._exit``), kills every process it may signal, or hangs costs
    only the exercise it was on: this process is the namespace's init (``bwrap --as-pid-1``),
    which its children cannot kill.
    """
    passing, names = [], list(exercises)
    while names:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            for name in names:
                os.write(write, f"{name} {int(passes(fn, exercises[name]))}\n".encode())
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as pipe:
            lines = pipe.read().split()
        os.waitpid(pid, 0)
        done = dict(zip(lines[::2], lines[1::2], strict=True))
        passing += [n for n in names if done.get(n) == "1"]
        finished = [n for n in names if n in done]
        names = names[len(finished) + 1 :]  # skip the one it died on
    return passing


def main() -> None:
    bundle = Path(sys.argv[1])
    signal.signal(signal.SIGALRM, _alarm)
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    functions = candidates(bundle)
    if len(sys.argv) > 3:
        namespace = {"np": np}
        exec(Path(sys.argv[2]).read_text(), namespace)
        functions["control"] = namespace[sys.argv[3]]
    exercises = {
        e.name: course().hidden_cases(e.name)
        for nb in course().notebooks.values()
        for e in nb.exercises
    }
    found = [
        [name, exercise] for name, fn in functions.items() for exercise in sweep(fn, exercises)
    ]
    out = os.fdopen(3, "w")  # not stdout: swept functions may print anything
    json.dump({"swept": len(functions), "exercises": len(exercises), "passing": found}, out)
    out.close()


if __name__ == "__main__":
    main()
