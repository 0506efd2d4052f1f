"""Does a learner in JupyterLab see every check's verdict, and a score, from where they work?

Starts JupyterLab (as ``make lab`` does: the venv first on PATH) on a copy of notebook 02 whose
corr1d and conv1d_true are right, whose corr2d flips the kernel and whose conv_single is not
written; runs all cells from the browser (headless Chromium driven by Playwright) and reads the
page: Run All reaches the last cell (the score), corr1d's check passes, corr2d's names the mistake,
conv_single's says it is not written, and no traceback shows. Then a JupyterLab terminal scores
the saved file with ``python -m grader score``.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from make_class import released, student_notebook, students

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]
ASSIGNMENT = "02_convolution"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server on a half-finished notebook 02; yields (base URL, token, folder)."""
    answers = students(ASSIGNMENT)[0]
    mine = {
        "corr1d": answers["ada"]["corr1d"],
        "conv1d_true": answers["ada"]["conv1d_true"],
        "corr2d": answers["cleo"]["corr2d"],  # flips the kernel
    }
    work = tmp_path / "work"
    work.mkdir()
    (work / f"{ASSIGNMENT}.ipynb").write_text(
        json.dumps(student_notebook(released(ASSIGNMENT), mine))
    )
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)  # render every cell, not only those on screen
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = _free_port(), "course-test"
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"))
    venv = Path(sys.executable).parent
    env["PATH"] = f"{venv}{os.pathsep}{env['PATH']}"
    rc = tmp_path / "terminal.rc"  # what `make lab` writes: ~/.bashrc first, then the venv
    rc.write_text(f'[ -f ~/.bashrc ] && . ~/.bashrc\nexport PATH="{venv}:$PATH"\n')
    shell = json.dumps({"shell_command": ["bash", "--rcfile", str(rc), "-i"]})
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
            f"--ServerApp.root_dir={work}",
            "--LabApp.expose_app_in_browser=True",
            f"--ServerApp.terminado_settings={shell}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=work,  # `make lab` starts it in work/
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    yield url, token, work
    server.terminate()
    server.wait(timeout=30)


def test_run_all_reaches_the_end_with_every_verdict(lab):
    url, token, _ = lab
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
        page.goto(f"{url}/lab/tree/{ASSIGNMENT}.ipynb?token={token}")
        page.wait_for_function("window.jupyterapp !== undefined", timeout=120_000)
        page.wait_for_function(  # the notebook is open and its kernel is idle
            "window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status"
            " === 'idle'",
            timeout=120_000,
        )
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # the last cell scores the saved file: Run All got there
        page.get_by_text(f"{ASSIGNMENT} as saved at").first.wait_for(timeout=240_000)
        page.get_by_text("✔ corr1d: all 4 checks passed").first.wait_for(timeout=10_000)
        page.get_by_text("the kernel is flipped on both axes").first.wait_for(timeout=10_000)
        page.get_by_text("✘ conv_single: not implemented yet").first.wait_for(timeout=10_000)
        content = page.content()
        assert "Traceback" not in content and "AssertionError" not in content
        assert "grader/engine" not in content
        browser.close()


async def _terminal_run(url: str, token: str, command: str, done: Path) -> None:
    """Open a JupyterLab terminal through the server's API, run one command in it once the shell
    has printed its prompt, and keep the terminal open until ``done`` is written."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    request = urllib.request.Request(  # as JupyterLab's launcher asks, at the root folder
        f"{url}/api/terminals?token={token}", data=b'{"cwd": ""}', method="POST"
    )
    name = json.loads(urllib.request.urlopen(request, timeout=30).read())["name"]
    ws_url = url.replace("http", "ws") + f"/terminals/websocket/{name}?token={token}"
    terminal = await websocket_connect(HTTPRequest(ws_url))
    while True:  # the shell's first output is its prompt
        message = await asyncio.wait_for(terminal.read_message(), timeout=60)
        if message is None or json.loads(message)[0] == "stdout":
            break
    await terminal.write_message(json.dumps(["stdin", command + "\r"]))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (done.exists() and done.read_text().endswith("}\n")):
        await asyncio.sleep(0.3)
    terminal.close()


def test_a_terminal_in_jupyterlab_scores_the_saved_notebook(lab):
    url, token, work = lab
    out = work / "score.json"
    command = f"python -m grader score {ASSIGNMENT}.ipynb --json > {out.name}"
    asyncio.run(_terminal_run(url, token, command, out))
    report = json.loads(out.read_text())
    scores = {e["name"]: e["score"] for e in report["exercises"]}
    assert scores == {"corr1d": 2, "conv1d_true": 2, "corr2d": 0, "conv_single": 0}
