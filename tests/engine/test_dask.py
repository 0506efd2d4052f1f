"""Does grading a class on a Dask cluster give the same grades as grading it here, including the
student who loops forever, the one who crashes and the one who patches numpy, and does a worker
killed mid-run lose no submission? A ``distributed.LocalCluster`` with two worker processes
stands in for workers on other machines."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from grader.course import course
from grader.engine.classroom import grade_class
from make_class import make_class, students

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow
ASSIGNMENT = "02_convolution"  # its class has finn (loops), gus (crashes), hana (patches numpy)


@pytest.fixture(scope="module")
def cluster():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        distributed.Client(local) as client,
    ):
        yield local, client


def _grade(folder, address):
    return grade_class(
        folder,
        ASSIGNMENT,
        course=course(),
        progress=False,
        feedback=False,
        scheduler=address,
        loader=course,
    )


def _scores(result) -> dict:
    return {s: {e.name: e.score for e in r.exercises} for s, r in result.reports.items()}


def test_the_cluster_gives_every_student_what_they_earned(cluster, tmp_path):
    local, _ = cluster
    make_class(tmp_path, only=[ASSIGNMENT])
    result = _grade(tmp_path, local.scheduler_address)
    assert not result.failures
    assert _scores(result) == students(ASSIGNMENT)[1]
    statuses = {s: r.summary for s, r in result.reports.items()}
    assert statuses["finn"] == "timeout" and statuses["gus"] == "crashed"


def test_a_worker_killed_mid_run_loses_no_submission(cluster, tmp_path):
    """One worker is killed while it grades a submission; the scheduler gives that submission
    to the other (or the restarted) worker, and every grade comes out as it should."""
    local, client = cluster
    make_class(tmp_path, only=[ASSIGNMENT])
    done = {}
    run = threading.Thread(
        target=lambda: done.update(result=_grade(tmp_path, local.scheduler_address))
    )
    run.start()
    deadline, victim = time.monotonic() + 120, None
    while victim is None and time.monotonic() < deadline:
        busy = [address for address, keys in client.processing().items() if keys]
        if busy:
            victim = client.run(os.getpid, workers=[busy[0]])[busy[0]]
        else:
            time.sleep(0.05)
    assert victim is not None, "no worker ever took a submission"
    os.kill(victim, signal.SIGKILL)
    run.join(timeout=600)
    assert not run.is_alive()
    result = done["result"]
    assert not result.failures
    assert _scores(result) == students(ASSIGNMENT)[1]
