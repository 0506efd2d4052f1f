"""What does a learner see in a real kernel when a check fails? A short verdict block on stderr
with the case, the problem, the mistake and their own failing line; no traceback and no frame of
the grader; and the cells after it still run (Run All reaches the end)."""

from __future__ import annotations

import nbformat
import pytest

from kernels import SteadyClient

CELLS = [
    "import numpy as np\nfrom grader.checks import check, mine_or_reference",
    # a corr2d that indexes past the end of its input
    "def corr2d(x, k):\n"
    "    hh, ww = k.shape\n"
    "    out = np.zeros((x.shape[0] - hh + 1, x.shape[1] - ww + 1))\n"
    "    for i in range(out.shape[0]):\n"
    "        for j in range(out.shape[1]):\n"
    "            out[i, j] = (x[i:i + hh, j:j + ww + 1] * k).sum()\n"
    "    return out",
    'check("corr2d", corr2d)',
    # a corr1d that flips the kernel
    "def corr1d(x, k):\n    return np.convolve(x, k, mode='valid')",
    'check("corr1d", corr1d)',
    'check("conv1d_true", lambda x, k: np.convolve(x, k, mode="valid"))',
    'fn, who = mine_or_reference("corr1d", corr1d, lambda x, k: np.correlate(x, k, "valid"))\n'
    "print('after the checks:', who)",
]


@pytest.fixture(scope="module")
def outputs():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    SteadyClient(nb, timeout=120, allow_errors=False).execute()
    return [
        {o.name: o.text for o in cell.outputs if o.output_type == "stream"} for cell in nb.cells
    ]


def test_a_learner_error_shows_their_line_and_no_grader_frame(outputs):
    err = outputs[2]["stderr"]
    assert err.startswith("✘ corr2d: ") and "of 4 checks passed" in err.splitlines()[0]
    assert "ValueError" in err and "your line:" in err
    assert "line 6 of corr2d: out[i, j] = (x[i:i + hh, j:j + ww + 1] * k).sum()" in err
    assert "Traceback" not in err and "grader/" not in err and "File " not in err
    assert len(err.splitlines()) <= 6


def test_a_wrong_result_names_the_mistake(outputs):
    err = outputs[4]["stderr"]
    assert "looks like: the kernel is flipped" in err and "expected" in err and "got" in err


def test_a_passing_check_is_one_line_on_stdout_and_later_cells_run(outputs):
    assert outputs[5] == {"stdout": "✔ conv1d_true: all 4 checks passed\n"}
    assert "this figure uses the library reference" in outputs[6]["stdout"]
    assert "after the checks: library reference" in outputs[6]["stdout"]
