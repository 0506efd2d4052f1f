"""Convolutional Networks from Scratch: the package behind the notebooks.

- ``grader.engine``: the grading engine (sandbox, judge, class grading, bundle), course-agnostic;
- ``grader.<topic>``: one folder per notebook (``grader.convolution`` for ``02_convolution``)
  with its exercises, points, visible and hidden cases, and lesson helpers;
- ``grader.checks``: what the notebooks call (``check``, ``mine_or_reference``, ``show_score``);
- ``grader.data`` and ``grader.plots``: photos and figures shared by several notebooks.

``python -m grader score PATH.ipynb`` grades one notebook; ``python -m grader grade`` grades a
class in an nbgrader course directory. See the README for both paths.
"""

__version__ = "0.2.0"
