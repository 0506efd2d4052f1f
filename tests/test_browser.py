"""Does a learner in JupyterLab see the check's diagnosis below their exercise?

Starts JupyterLab on a copy of notebook 02 whose corr1d and conv1d_true are right and whose
corr2d flips the kernel, runs every cell from the browser (headless Chromium driven by
Playwright) and reads the page: the check below corr1d says it passed, and the check below
corr2d names the mistake.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from make_class import student_notebook, students

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server on a notebook with a flipped corr1d; yields its URL."""
    assignment = "02_convolution"
    released = json.loads((REPO / "notebooks" / assignment / f"{assignment}.ipynb").read_text())
    answers = students(assignment)[0]
    mine = {
        "corr1d": answers["ada"]["corr1d"],
        "conv1d_true": answers["ada"]["conv1d_true"],
        "corr2d": answers["cleo"]["corr2d"],
    }  # right, right, then a flipped 2D kernel
    nb = student_notebook(released, mine)
    (tmp_path / f"{assignment}.ipynb").write_text(json.dumps(nb))
    port, token = _free_port(), "course-test"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={tmp_path}",
            "--LabApp.expose_app_in_browser=True",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    yield f"{url}/lab/tree/{assignment}.ipynb?token={token}"
    server.terminate()
    server.wait(timeout=30)


def test_learner_sees_the_diagnosis_in_jupyterlab(lab, tmp_path):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.goto(lab)
        page.wait_for_function("window.jupyterapp !== undefined", timeout=120_000)
        page.wait_for_function(  # the notebook is open and its kernel is idle
            "window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status"
            " === 'idle'",
            timeout=120_000,
        )
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # Run All stops at the first failing cell, as it does for a learner: corr2d's check
        page.get_by_text("corr1d: all 4 checks passed").first.wait_for(timeout=180_000)
        page.get_by_text("the kernel is flipped on both axes").first.wait_for(timeout=180_000)
        assert "AssertionError" in page.content()
        browser.close()
