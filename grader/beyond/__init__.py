"""Notebook 09_beyond: fully convolutional networks, transposed and dilated convolutions, 1D and
3D convnets.

``cases`` holds the exercises, their points and the case builders (every answer computed from
``scipy.signal``'s N-dimensional correlation and convolution, or from an identity such as
``np.kron``, where each case is built); ``mistakes`` the usual errors the checks name; ``hidden``
the hidden cases (not in the student bundle); ``lesson`` the data recipes (segmentation shapes,
context sequences, moving blobs, MNIST-1D), the backward passes the training cells use, a small
Adam trainer and the figures.
"""
