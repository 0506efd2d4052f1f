"""Notebook 02_convolution: 1D and 2D cross-correlation, true convolution, multi-channel filters.

``cases`` holds the exercises, their points and visible cases; ``hidden`` the hidden cases (not in
the student bundle); ``lesson`` the data recipes and figures the notebook uses.
"""
