"""Notebook 06_backprop: gradients of every layer, checked against numerical gradients.

``cases`` holds the exercises, their points and visible cases (convolution and average pooling
checked against ``scipy.signal``, softmax against ``scipy.special``, the numerical gradient against
derivatives worked out by hand; the ReLU, affine and max-pooling answers, which no library
computes, stored in ``golden.json``); ``examples`` the inputs of the visible cases; ``mistakes``
the usual errors the checks name; ``hidden`` the references and hidden cases (not in the student
bundle); ``lesson`` the given forward passes, the relative-error checker and the figures the
notebook uses.
"""
