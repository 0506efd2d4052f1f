"""Does every hostile or broken submission get exactly what it earned, and say what happened?

Each attack sits in the answer cell of ``corr1d`` of notebook 02; the other three exercises hold
correct code and must keep their full points, so each case also shows that the damage stays in
the exercise that caused it. An attack that would pay off only if it worked (reading the hidden
tests, reaching the network) returns the right answer when it succeeds and a wrong one when it
fails: its zero proves the attack failed.
"""

from __future__ import annotations

import json
import socket
import warnings
from pathlib import Path

import nbformat
import pytest

from grader.course import course
from grader.engine.judge import grade_notebook
from grader.engine.sandbox import sandbox_available
from grader.engine.verdicts import Status
from make_class import topic_module

CORRECT = topic_module("02_convolution", "implementations").CORRECT

REPO = Path(__file__).resolve().parents[2]
OTHERS = {name: next(iter(impls.values())) for name, impls in CORRECT.items() if name != "corr1d"}
RIGHT = CORRECT["corr1d"]["double loop"]
WRONG = "\ndef corr1d(x, k):\n    return np.zeros(len(x) - len(k) + 1)\n"
PAYOFF = """
def corr1d(x, k):
    if ATTACK_WORKED:
        return np.correlate(x, k, mode="valid")
    return np.zeros(len(x) - len(k) + 1)
"""


def _payoff(attack: str) -> str:
    """An answer that is right only if ``attack`` (which sets ATTACK_WORKED) succeeded."""
    return (
        "ATTACK_WORKED = False\ntry:\n"
        + "".join("    " + line + "\n" for line in attack.strip().splitlines())
        + "except BaseException:\n    pass\n"
        + PAYOFF
    )


# name -> (corr1d answer cell, points corr1d must get, status, words the message must contain)
ATTACKS = {
    "patches numpy's comparisons": (
        "np.testing.assert_allclose = lambda *a, **k: None\nnp.allclose = lambda *a, **k: True\n"
        "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\n"
        "np.array_equal = lambda *a, **k: True\n" + WRONG,
        0,
        "failed",
        "wrong value",
    ),
    "registers an IPython input transformer": (
        "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])\n" + WRONG,
        0,
        "failed",
        "wrong value",
    ),
    "input transformer with right code keeps its points": (
        "get_ipython().input_transformers_post.append(lambda lines: lines)\n" + RIGHT,
        2,
        "passed",
        "cases passed",
    ),
    "sys.settrace rewriting results": (
        "import sys\n\ndef tracer(frame, event, arg):\n    return tracer\n\nsys.settrace(tracer)\n"
        + WRONG,
        0,
        "failed",
        "wrong value",
    ),
    "atexit writing a forged answer": (
        "import atexit, os\natexit.register(lambda: os.write(OUT, b'{\"ok\": true}'))\n" + WRONG,
        0,
        "failed",
        "wrong value",
    ),
    "sys.exit inside the function": (
        "import sys\n\ndef corr1d(x, k):\n    sys.exit(0)\n",
        0,
        "error",
        "SystemExit",
    ),
    "os._exit inside the function": (
        "import os\n\ndef corr1d(x, k):\n    os._exit(7)\n",
        0,
        "crashed",
        "exited with code 7",
    ),
    "segfault through ctypes": (
        "import ctypes\n\ndef corr1d(x, k):\n    return ctypes.string_at(0)\n",
        0,
        "crashed",
        "SIGSEGV",
    ),
    "endless loop": (
        "def corr1d(x, k):\n    while True:\n        pass\n",
        0,
        "timeout",
        "time limit",
    ),
    "endless loop that swallows every exception": (
        "import time\n\ndef corr1d(x, k):\n    while True:\n        try:\n"
        "            time.sleep(0.01)\n        except BaseException:\n            pass\n",
        0,
        "timeout",
        "time limit",
    ),
    "endless loop at the top of the cell": (
        "while True:\n    pass\n" + RIGHT,
        0,
        "timeout",
        "did not finish",
    ),
    "memory bomb in one allocation": (
        "def corr1d(x, k):\n    return np.ones(2**34)\n",
        0,
        "error",
        "MemoryError",
    ),
    "memory bomb that grows": (
        "def corr1d(x, k):\n    hog = []\n    while True:\n        hog.append(bytearray(10**8))\n",
        0,
        "error",
        "MemoryError",
    ),
    "fork bomb": (
        "import os\n\ndef corr1d(x, k):\n    while True:\n        os.fork()\n",
        0,
        "error",
        "BlockingIOError",
    ),
    "megabytes of output": (
        "def corr1d(x, k):\n    print('x' * 50_000_000)\n    return np.correlate(x, k, mode='valid')\n",
        0,
        "error",
        "File too large",
    ),
    "NaN everywhere": (
        "def corr1d(x, k):\n    return np.full(len(x) - len(k) + 1, np.nan)\n",
        0,
        "failed",
        "NaN",
    ),
    "integer dtype": (
        "def corr1d(x, k):\n    return np.correlate(x, k, mode='valid').astype(int)\n",
        0,
        "failed",
        "floating-point",
    ),
    "a huge array": (
        "def corr1d(x, k):\n    return np.zeros(10**7)\n",
        0,
        "error",
        "over the limit",
    ),
    "ndarray subclass that says it equals anything": (
        "class Liar(np.ndarray):\n    def __eq__(self, other):\n        return True\n"
        "    def __array_ufunc__(self, *a, **k):\n        return np.True_\n\n"
        "def corr1d(x, k):\n    return np.zeros(len(x) - len(k) + 1).view(Liar)\n",
        0,
        "failed",
        "wrong value",
    ),
    "object array of always-equal objects": (
        "class Same:\n    def __eq__(self, other):\n        return True\n\n"
        "def corr1d(x, k):\n    return np.array([Same()] * (len(x) - len(k) + 1), dtype=object)\n",
        0,
        "failed",
        "object",
    ),
    "mutates its input": (
        "def corr1d(x, k):\n    out = np.correlate(x, k, mode='valid')\n    x[:] = 0\n    return out\n",
        0,
        "failed",
        "modified in place",
    ),
    "forges a protocol answer on the answer pipe": (
        "import os, json, struct\n\ndef corr1d(x, k):\n    head = json.dumps({'ok': True, 'value': 1,"
        " 'arrays': []}).encode()\n    os.write(OUT, struct.pack('<II', len(head), 0) + head)\n"
        "    return np.zeros(len(x) - len(k) + 1)\n",
        0,
        "error",
        "invalid answer",
    ),
    "forges the zygote's report of a clean exit": (
        "import os, json, struct\n\ndef corr1d(x, k):\n    head = json.dumps({'child_exit': 0,"
        " 'arrays': []}).encode()\n    os.write(STATUS, struct.pack('<II', len(head), 0) + head)\n"
        "    return np.correlate(x, k, mode='valid')\n",
        0,
        "error",
        "Bad file descriptor",
    ),
    "writes garbage on the answer pipe": (
        "import os\n\ndef corr1d(x, k):\n    os.write(OUT, b'\\xff' * 64)\n    return 0\n",
        0,
        "error",
        "invalid answer",
    ),
    "kills its parent": (
        "import os, signal\n\ndef corr1d(x, k):\n    os.kill(os.getppid(), signal.SIGKILL)\n"
        "    return np.correlate(x, k, mode='valid')\n",
        0,
        "crashed",
        "killed by SIGKILL",
    ),
    "detects the grader, then patches numpy": (
        "import os, socket\nif socket.gethostname() != os.environ.get('HOSTNAME', '?'):\n"
        "    np.correlate = lambda *a, **k: np.zeros(1)\n" + WRONG,
        0,
        "failed",
        "wrong value",
    ),
    "imports the hidden tests": (
        _payoff("from grader.convolution import hidden\nATTACK_WORKED = True"),
        0,
        "failed",
        "wrong value",
    ),
}


# The worker's pipe descriptors, as an attacker finds them on its command line.
PIPES = "import sys\nCMD, OUT, STATUS = [int(a) for a in sys.argv[1:] if a.isdigit()]\n"


@pytest.fixture(scope="module")
def listener():
    """A TCP port on this machine that a sandboxed submission must not reach."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()[1]
    server.close()


def _grade(tmp_path: Path, submit, corr1d: str):
    path = submit("02_convolution", {"corr1d": PIPES + corr1d, **OTHERS})
    return grade_notebook(path, course())


def _judge(path: Path, **options):
    return grade_notebook(path, course(), **options)


def _assert_rest_untouched(report) -> None:
    for result in report.exercises[1:]:
        assert result.status is Status.PASSED and result.score == result.max, result


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_gets_what_it_earned(tmp_path, submit, attack):
    answer, points, status, words = ATTACKS[attack]
    report = _grade(tmp_path, submit, answer)
    corr1d = report.exercises[0]
    assert corr1d.score == points, corr1d
    assert corr1d.status is Status(status), corr1d
    assert words in corr1d.message, corr1d
    assert len(corr1d.message) < 1500
    _assert_rest_untouched(report)


needs_sandbox = pytest.mark.skipif(not sandbox_available(), reason="bubblewrap is not available")


@needs_sandbox
@pytest.mark.parametrize(
    "target",
    ["grader/convolution/hidden.py", "solutions/02_convolution/02_convolution.ipynb", "README.md"],
)
def test_course_files_are_invisible(tmp_path, submit, target):
    """The hidden tests, the solutions and the repository cannot be read from the sandbox."""
    path = REPO / target
    assert path.exists()
    attack = f"open({str(path)!r}).read()\nATTACK_WORKED = True"
    report = _grade(tmp_path, submit, _payoff(attack))
    assert report.exercises[0].score == 0
    _assert_rest_untouched(report)


@needs_sandbox
def test_other_students_and_gradebook_are_out_of_reach(tmp_path, submit):
    """Writing next to the submission (another student's file, a gradebook) fails and changes nothing."""
    victim = tmp_path / "other" / "02_convolution.ipynb"
    victim.parent.mkdir()
    victim.write_text("original")
    gradebook = tmp_path / "gradebook.db"
    gradebook.write_text("original")
    attack = (
        f"open({str(victim)!r}, 'w').write('pwned')\n"
        f"open({str(gradebook)!r}, 'w').write('pwned')\nATTACK_WORKED = True"
    )
    report = _grade(tmp_path, submit, _payoff(attack))
    assert report.exercises[0].score == 0
    assert victim.read_text() == "original" and gradebook.read_text() == "original"


@needs_sandbox
def test_network_is_unreachable(tmp_path, submit, listener):
    attack = f"import socket\nsocket.create_connection(('127.0.0.1', {listener}), timeout=2)\nATTACK_WORKED = True"
    report = _grade(tmp_path, submit, _payoff(attack))
    assert report.exercises[0].score == 0
    _assert_rest_untouched(report)


def _write_raw(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "02_convolution.ipynb"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _notebook(submit, answers: dict[str, str]) -> dict:
    return json.loads(submit("02_convolution", answers).read_text())


def test_not_json(tmp_path):
    report = _judge(_write_raw(tmp_path, "{ this is not json"))
    assert report.status == "invalid" and report.score == 0
    assert all("not valid JSON" in e.message for e in report.exercises)


def test_json_but_not_a_notebook(tmp_path):
    report = _judge(_write_raw(tmp_path, json.dumps({"hello": "world"})))
    assert report.status == "invalid" and "not a Jupyter notebook" in report.notes[0]


def test_oversized_file(tmp_path):
    report = _judge(_write_raw(tmp_path, b" " * (21 * 2**20)))
    assert report.status == "invalid" and "MiB" in report.notes[0]


def test_deleted_file(tmp_path):
    report = _judge(tmp_path / "02_convolution.ipynb")
    assert report.status == "invalid" and "cannot read" in report.notes[0]


def test_old_nbformat_is_converted_and_graded(tmp_path, submit):
    """A correct notebook saved as nbformat 3 still gets full marks."""
    nb = nbformat.reads(json.dumps(_notebook(submit, {"corr1d": RIGHT, **OTHERS})), as_version=4)
    old = nbformat.convert(nb, 3)
    path = _write_raw(tmp_path, nbformat.writes(old, version=3))
    assert json.loads(path.read_text())["nbformat"] == 3
    assert _judge(path).score == 10


def _edit_cells(submit, tmp_path: Path, edit) -> Path:
    nb = _notebook(submit, {"corr1d": RIGHT, **OTHERS})
    nb["cells"] = edit(nb["cells"])
    return _write_raw(tmp_path, json.dumps(nb))


def _grade_id(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def test_deleted_answer_cell(submit, tmp_path):
    path = _edit_cells(
        submit, tmp_path, lambda cells: [c for c in cells if _grade_id(c) != "corr1d"]
    )
    report = _judge(path)
    assert report.exercises[0].status == "missing" and "missing" in report.exercises[0].message
    # conv1d_true does not depend on corr1d here, so it keeps its points
    _assert_rest_untouched(report)


def test_deleted_test_cells_change_nothing(submit, tmp_path):
    path = _edit_cells(
        submit,
        tmp_path,
        lambda cells: [c for c in cells if not str(_grade_id(c)).startswith("test_")],
    )
    assert _judge(path).score == 10


def test_retyped_answer_cell(submit, tmp_path):
    def retype(cells):
        for c in cells:
            if _grade_id(c) == "corr1d":
                c["cell_type"] = "markdown"
                c.pop("outputs", None)
                c.pop("execution_count", None)
        return cells

    report = _judge(_edit_cells(submit, tmp_path, retype))
    assert report.exercises[0].status == "missing" and "markdown" in report.exercises[0].message
    _assert_rest_untouched(report)


def test_duplicated_answer_cell_runs_in_order(submit, tmp_path):
    """A duplicated answer cell runs twice, in order: the later definition wins, as in Jupyter."""

    def duplicate(cells):
        out = []
        for c in cells:
            out.append(c)
            if _grade_id(c) == "corr1d":
                out.append({**c, "source": WRONG})
        return out

    report = _judge(_edit_cells(submit, tmp_path, duplicate))
    assert report.exercises[0].score == 0
    assert any("more than one answer cell" in n for n in report.notes)


def test_grade_id_stolen_by_another_cell(submit, tmp_path):
    """A markdown cell relabelled with an exercise's grade id does not hide the real answer."""

    def relabel(cells):
        cells[0]["metadata"]["nbgrader"] = {
            **cells[1]["metadata"]["nbgrader"],
            "grade_id": "corr1d",
        }
        return cells

    assert _judge(_edit_cells(submit, tmp_path, relabel)).score == 10


def test_inflated_points_in_metadata_are_ignored(submit, tmp_path):
    def inflate(cells):
        for c in cells:
            if _grade_id(c) == "test_corr1d":
                c["metadata"]["nbgrader"]["points"] = 1000
        return cells

    report = _judge(_edit_cells(submit, tmp_path, inflate))
    assert report.max == 10 and report.score == 10


def test_without_bubblewrap_grading_still_works_and_says_so_once(submit, monkeypatch):
    """With no bwrap on the PATH, the limits alone still grade, after one loud warning."""
    from grader.engine import sandbox

    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    monkeypatch.setattr(sandbox, "_SANDBOX_STATE", {})
    with pytest.warns(RuntimeWarning, match="WITHOUT the sandbox"):
        assert sandbox.sandbox_available() is False
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a second call must not warn again
        assert sandbox.sandbox_available() is False
    report = _judge(submit("02_convolution", {"corr1d": RIGHT, **OTHERS}), sandbox=None)
    assert report.sandboxed is False and report.score == 10
    loop = _judge(submit("02_convolution", {"corr1d": ATTACKS["endless loop"][0], **OTHERS}))
    assert loop.exercises[0].status == "timeout" and loop.score == 8


def test_renamed_submission_is_graded_as_its_notebook(tmp_path, submit):
    """A learner who saved the notebook under another name is still graded (by its answer cells)."""
    renamed = tmp_path / "my copy (2).ipynb"
    renamed.write_text(submit("02_convolution", {"corr1d": RIGHT, **OTHERS}).read_text())
    report = _judge(renamed)
    assert report.notebook == "02_convolution" and report.score == 10


def test_a_worker_that_cannot_start_gives_no_score(submit, monkeypatch):
    """A broken grader (here: no Python where the worker expects one) must not hand out zeros:
    grading stops with GraderError before any student code has run."""
    from grader.engine import sandbox
    from grader.engine.channel import GraderError

    path = submit("02_convolution", {"corr1d": RIGHT, **OTHERS})
    monkeypatch.setattr(sandbox, "_python", lambda: "/nonexistent/bin/python3")
    with pytest.raises(GraderError, match="could not start"):
        _judge(path, sandbox=False)
