"""Convolutional Networks from Scratch: checks, data, plots and the grader behind the notebooks.

``python -m grader score PATH.ipynb`` grades one notebook; ``python -m grader grade`` grades a
class in an nbgrader course directory. See the README for both paths.
"""

__version__ = "0.1.0"
