"""Notebook 01_history: the perceptron and Adaline, the XOR failure, the cost of dense layers.

``cases`` holds the exercises, their points and visible cases (with answers stored in
``golden.json``, since no library computes them); ``hidden`` the references and hidden cases (not
in the student bundle); ``lesson`` the toy data and figures the notebook uses.
"""
