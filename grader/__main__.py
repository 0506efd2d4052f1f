"""``python -m grader``: the engine's command line for this course (see grader.engine.cli)."""

import sys

from grader.course import course
from grader.engine.cli import main

BUNDLE_README = """# Convolutional Networks from Scratch (student edition)

    python3 -m venv .venv && .venv/bin/pip install -e .
    .venv/bin/jupyter lab notebooks/

Work through each notebook top to bottom. Below every exercise a check cell tells you what is
wrong, if anything. Your score on the visible checks, at any time (save the notebook first):

    .venv/bin/python -m grader score notebooks/02_convolution/02_convolution.ipynb

or run the last cell of the notebook. Your instructor grades with more tests than the visible
ones: make your functions right for every shape, not just the examples.
"""

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], course, BUNDLE_README))
