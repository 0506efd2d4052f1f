"""Photos for the course notebooks, from the images bundled with scikit-image.

Nothing here downloads anything; topic-specific data sets are made by seeded recipes in each
topic's ``lesson`` module. Layouts follow the course convention: a plain 2D array is ``(H, W)``,
one image ``(C, H, W)``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["load_astronaut", "load_camera"]


def _resize(image: np.ndarray, size: int) -> np.ndarray:
    """Resize the first two axes of ``image`` to ``(size, size)`` with anti-aliasing."""
    from skimage.transform import resize  # lazy: scikit-image is slow to import

    if size <= 0:
        raise ValueError(f"size must be a positive number of pixels, got {size}")
    out = resize(image, (size, size) + image.shape[2:], anti_aliasing=True)
    return np.clip(out, 0.0, 1.0)


def load_camera(size: int = 128) -> np.ndarray:
    """Return scikit-image's "cameraman" photo as a grayscale float image.

    Introduced in 02_convolution.

    Parameters
    ----------
    size : int, default 128
        Side length in pixels of the returned (square) image. The original is
        512 x 512; a smaller copy keeps loop-based convolutions fast.

    Returns
    -------
    image : ndarray of shape (size, size), float64
        Pixel intensities in [0, 1], 0 is black.

    Examples
    --------
    >>> load_camera(64).shape
    (64, 64)
    """
    from skimage import data as skdata

    return _resize(skdata.camera().astype(np.float64) / 255.0, size)


def load_astronaut(size: int = 64) -> np.ndarray:
    """Return scikit-image's "astronaut" colour photo in channels-first layout.

    Introduced in 02_convolution.

    Parameters
    ----------
    size : int, default 64
        Side length in pixels of the returned (square) image; the original is
        512 x 512.

    Returns
    -------
    image : ndarray of shape (3, size, size), float64
        Red, green and blue channels, each in [0, 1]. Use
        ``image.transpose(1, 2, 0)`` to get the ``(H, W, 3)`` layout that
        ``matplotlib.pyplot.imshow`` expects.

    Examples
    --------
    >>> load_astronaut(32).shape
    (3, 32, 32)
    """
    from skimage import data as skdata

    rgb = _resize(skdata.astronaut().astype(np.float64) / 255.0, size)
    return np.ascontiguousarray(rgb.transpose(2, 0, 1))
