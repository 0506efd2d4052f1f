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
import shutil
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from browser import CHROMIUM, TOKEN, chromium, jupyterlab, open_notebook, screenshot
from grader.course import course
from make_class import make_class, released, student_notebook, students

REPO = Path(__file__).resolve().parent.parent

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]
ASSIGNMENT = "02_convolution"


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
    venv = Path(sys.executable).parent
    rc = tmp_path / "terminal.rc"  # what `make lab` writes: ~/.bashrc first, then the venv
    rc.write_text(f'[ -f ~/.bashrc ] && . ~/.bashrc\nexport PATH="{venv}:$PATH"\n')
    shell = json.dumps({"shell_command": ["bash", "--rcfile", str(rc), "-i"]})
    extra = [f"--ServerApp.terminado_settings={shell}"]
    with jupyterlab(work, tmp_path / "settings", extra) as url:
        yield url, TOKEN, work


def test_run_all_reaches_the_end_with_every_verdict(lab):
    url, _, _ = lab
    with chromium() as page:
        open_notebook(page, url, f"{ASSIGNMENT}.ipynb")
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # the last cell scores the saved file: Run All got there
        page.get_by_text(f"{ASSIGNMENT} as saved at").first.wait_for(timeout=240_000)
        page.get_by_text("✔ corr1d: all 4 checks passed").first.wait_for(timeout=10_000)
        page.get_by_text("the kernel is flipped on both axes").first.wait_for(timeout=10_000)
        page.get_by_text("✘ conv_single: not implemented yet").first.wait_for(timeout=10_000)
        content = page.content()
        assert "Traceback" not in content and "AssertionError" not in content
        assert "grader/engine" not in content


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory):
    """JupyterLab on a copy of every released notebook, as a learner's work/ folder holds them."""
    root = tmp_path_factory.mktemp("learner")
    work = root / "work"
    shutil.copytree(REPO / "notebooks", work)
    with jupyterlab(work, root / "settings") as url:
        yield url


@pytest.mark.parametrize("assignment", sorted(course().notebooks))
def test_every_released_notebook_runs_all_in_jupyterlab(course_lab, assignment):
    """Run All in the browser reaches the last cell (the score) of each released notebook, every
    check shows its "not implemented yet" verdict, no traceback shows, and each widget renders
    and answers a slider moved by the keyboard with a new drawing. A screenshot is kept."""
    with chromium() as page:
        open_notebook(page, course_lab, f"{assignment}/{assignment}.ipynb")
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.get_by_text(f"{assignment} as saved at").first.wait_for(timeout=300_000)
        for name in course().notebook(assignment).names:
            page.get_by_text(f"✘ {name}: not implemented yet").first.wait_for(timeout=10_000)
        content = page.content()
        assert "Traceback" not in content and "grader/engine" not in content
        sliders = page.locator(".widget-slider .noUi-handle")
        if sliders.count():
            area = page.locator(".widget-output").first
            before = area.inner_html()
            sliders.first.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "([old]) => document.querySelector('.widget-output').innerHTML !== old",
                arg=[before],
                timeout=60_000,
            )
        screenshot(page, f"lab-{assignment}")


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


def test_formgrader_lists_the_graded_class_with_their_scores(tmp_path):
    """After ``python -m grader grade``, formgrader's page of the assignment, in the
    instructor's JupyterLab, lists every student of the class with the score they earned."""
    from grader.engine.classroom import grade_class

    make_class(tmp_path / "course", only=["01_history"])
    grade_class(tmp_path / "course", "01_history", course=course(), jobs=2, progress=False)
    expected = {s: sum(scores.values()) for s, scores in students("01_history")[1].items()}
    with jupyterlab(tmp_path / "course", tmp_path / "settings") as url, chromium() as page:
        page.goto(f"{url}/lab?token={TOKEN}")  # logs in: formgrader's own calls need the cookie
        page.goto(f"{url}/formgrader/manage_submissions/01_history")
        page.wait_for_function("document.querySelectorAll('tbody tr').length > 1", timeout=120_000)
        rows = page.eval_on_selector_all(
            "tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
        )
        screenshot(page, "formgrader-01_history")
    shown = {row[1]: row[4] for row in rows}
    assert set(shown) == set(expected)
    for student, total in expected.items():
        assert shown[student].startswith(f"{total:g} / 10"), (student, shown[student])
