"""Notebook 04_pooling: max and average pooling, the output size, receptive fields.

``cases`` holds the exercises, their points and visible cases (pooling answers from NumPy's sliding
windows; receptive fields stored in ``golden.json``, since no library computes them); ``hidden``
the hidden cases and the perturbation experiment that judges receptive fields (not in the student
bundle); ``lesson`` the figures the notebook uses.
"""
