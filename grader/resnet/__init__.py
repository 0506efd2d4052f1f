"""Notebook 08_resnet: the degradation problem, residual blocks forward and backward, unrolled
paths and 1x1 convolutions.

``cases`` holds the exercises, their points and visible cases (answers stored in ``golden.json``:
no library computes a residual block); ``hidden`` the references (SciPy's correlations) and the
hidden cases (not in the student bundle); ``nets`` the plain and residual fully connected networks
of the degradation experiment; ``lesson`` the figures the notebook draws.
"""
