"""Are the stored answers of the visible cases (``grader/<topic>/golden.json``) exactly what the
hidden references compute? ``pytest --refresh-golden`` rewrites them after a case changes."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

import pytest

from grader.engine import golden

GRADER = Path(__file__).resolve().parent.parent / "grader"
TOPICS = sorted(p.parent.name for p in GRADER.glob("*/golden.json"))


def test_topics_with_stored_answers_have_a_reference_for_them():
    for topic in TOPICS:
        hidden = importlib.import_module(f"grader.{topic}.hidden")
        assert callable(getattr(hidden, "golden", None)), topic


@pytest.mark.parametrize("topic", TOPICS)
def test_stored_answers_match_the_references(topic, request):
    values = importlib.import_module(f"grader.{topic}.hidden").golden()
    path = GRADER / topic / "golden.json"
    if request.config.getoption("--refresh-golden"):
        path.write_text(golden.dumps(values))
    assert path.read_text() == golden.dumps(values), (
        f"{path.relative_to(GRADER.parent)} is stale: run `pytest --refresh-golden`"
    )
