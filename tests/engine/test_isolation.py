"""Does a child that kills its zygote earn nothing, deterministically? Does it die with its
zygote instead of living on as an orphan? Do concurrent workers never share a uid?

The first questions are answered twice: by the judge's rule (verdicts count only after the zygote
reports a clean exit, shown with a fake worker whose timing the test controls) and by the real
sandbox (the child is gone the moment its zygote is, so an orphan never acts, even after a
second's wait, even where a subreaper would adopt it)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from grader.engine import session as session_module
from grader.engine.cases import Case
from grader.engine.channel import WorkerFailure
from grader.engine.course import Exercise
from grader.engine.sandbox import Limits, UidLease
from grader.engine.sandboxed.wire import encode
from grader.engine.session import Session
from grader.engine.verdicts import Status

CASES = [Case(f"case {i}", (np.arange(3.0) + i,), np.arange(3.0) * 2 + 2 * i) for i in range(4)]
DOUBLE = Exercise("double", 4.0, lambda: CASES[:2])


class FakeWorker:
    """A worker that answers every call right, then ends the way the test says."""

    def __init__(self, *args, end: WorkerFailure | None = None, raise_at: int | None = None):
        self.end, self.raise_at, self.calls = end, raise_at, 0

    def fork(self, seconds):
        pass

    def request(self, header, arrays, seconds):
        if header["op"] == "exec":
            return {"ok": True}, []
        self.calls += 1
        if self.calls == self.raise_at:
            error = {"type": "PermissionError", "message": "[Errno 1] Operation not permitted"}
            return {"ok": False, "error": error}, []
        x = arrays[0]
        tree, out = encode((x * 2, (x,)))
        return {"ok": True, "value": tree}, out

    def finish(self, seconds):
        if self.end is not None:
            raise self.end

    def close(self):
        pass


def _grade(monkeypatch, **worker) -> object:
    monkeypatch.setattr(session_module, "WorkerChannel", lambda *a: FakeWorker(**worker))
    session = Session({"double": "def double(x): return 2 * x"}, Limits(), Path("."), False)
    return session.grade(DOUBLE, CASES[:2], CASES[2:])


def test_right_answers_count_after_a_clean_end(monkeypatch):
    result = _grade(monkeypatch)
    assert (result.score, result.status) == (4.0, Status.PASSED)


def test_right_answers_count_for_nothing_when_the_zygote_does_not_report_a_clean_end(monkeypatch):
    """Every case answered right, then the zygote is gone (the child killed it): zero."""
    died = WorkerFailure(Status.CRASHED, "the process was killed by SIGKILL")
    result = _grade(monkeypatch, end=died)
    assert (result.score, result.status) == (0.0, Status.CRASHED)
    assert "killed by SIGKILL" in result.message and "4 of 4 cases passed" in result.message


def test_an_error_then_an_unclean_end_keeps_the_original_message(monkeypatch):
    """The child raised PermissionError on a hidden case (it signalled the sandbox's init), then
    did not end cleanly: nothing counts, and the message keeps what it raised."""
    died = WorkerFailure(Status.CRASHED, "the process exited with code None")
    result = _grade(monkeypatch, end=died, raise_at=4)
    assert (result.score, result.status) == (0.0, Status.CRASHED)
    assert "PermissionError" in result.message


def test_an_error_with_a_clean_end_is_the_learners_error(monkeypatch):
    result = _grade(monkeypatch, raise_at=4)
    assert result.status is Status.ERROR and result.score == 2.0  # 1 of 2 hidden cases passed


ORPHAN = """
import json, os, signal, sys, time, ctypes
from pathlib import Path
sys.path.insert(0, {tests!r})
from grader.course import course
from grader.engine.judge import grade_notebook
from conftest import write_submission

PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # orphans below us come to us
marker = Path({marker!r})
attack = '''
import os, signal, time
def corr1d(x, k):
    os.kill(os.getppid(), signal.SIGKILL)   # kill the zygote
    time.sleep(1.0)                         # an orphan would be adopted by now
    open({marker!r}, "w").write(str(os.getppid()))
    os.kill(os.getppid(), signal.SIGTERM)   # and would hit its new parent
    return np.correlate(x, k, mode="valid")
'''
path = write_submission(Path({folder!r}), "02_convolution", {{"corr1d": attack}})
report = grade_notebook(path, course(), sandbox={sandbox})
time.sleep(1.5)
print(json.dumps(report.exercises[0].to_json()))
"""


@pytest.mark.parametrize("sandbox", [False, True], ids=["limits only", "bubblewrap"])
def test_a_child_that_kills_its_zygote_dies_with_it_and_never_acts_as_an_orphan(tmp_path, sandbox):
    from grader.engine.sandbox import sandbox_available

    if sandbox and not sandbox_available():
        pytest.skip("bubblewrap is not available")
    marker = tmp_path / "orphan-was-here"
    tests = str(Path(__file__).resolve().parents[1])
    code = ORPHAN.format(
        tests=tests, marker=str(marker), folder=str(tmp_path / "s"), sandbox=sandbox
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]  # the grading process was never signalled
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["score"] == 0 and result["outcome"] == "crashed", result
    assert not marker.exists()


def test_uid_leases_are_distinct_across_threads_and_processes():
    """Leases held at once never share a uid, whether held by this process or another grader;
    a released uid can be leased again."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        leases = list(pool.map(lambda _: UidLease(), range(40)))
    uids = [lease.uid for lease in leases]
    assert len(set(uids)) == len(uids)
    other = textwrap.dedent(
        """
        import sys
        from grader.engine.sandbox import UidLease
        leases = [UidLease() for _ in range(20)]
        print(" ".join(str(l.uid) for l in leases), flush=True)
        sys.stdin.readline()
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", other], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        theirs = {int(u) for u in process.stdout.readline().split()}
        mine = {UidLease().uid for _ in range(20)}
        assert len(theirs) == 20 and not theirs & set(uids) and not mine & theirs
    finally:
        process.communicate("\n", timeout=30)
    for lease in leases:
        lease.release()
    assert UidLease.FIRST <= min(uids) and max(uids) < UidLease.FIRST + UidLease.COUNT
