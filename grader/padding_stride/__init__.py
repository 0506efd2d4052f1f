"""Notebook 03_padding_stride: stride, padding and dilation, the output-size rule, padding modes,
the complete convolutional layer and its parameter count.

``cases`` holds the exercises, their points and visible cases (padding and the layer checked
against ``np.pad`` and ``scipy.signal``; output sizes and parameter counts, which no library
computes, stored in ``golden.json``); ``hidden`` the references and hidden cases (not in the
student bundle); ``lesson`` the figures and the explorer widget the notebook uses.
"""
