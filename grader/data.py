"""Data loaders for the course notebooks.

Nothing here downloads anything: photos come from the images bundled with
scikit-image, and every synthetic data set is drawn from a seeded generator, so
the same call always returns the same numbers.

Layouts follow the course convention: a plain 2D array is ``(H, W)``, one image
is ``(C, H, W)``, a multi-channel signal is ``(C, L)``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "grid_examples",
    "load_astronaut",
    "load_camera",
    "noisy_signal",
    "spike_signal",
    "toy_image",
]


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


def toy_image(kind: str = "step") -> np.ndarray:
    """Return a tiny 8 x 8 test image whose edges are easy to read off by eye.

    Introduced in 02_convolution.

    Parameters
    ----------
    kind : {"step", "square"}, default "step"
        ``"step"``: dark left half (0) and bright right half (1), one vertical
        edge. ``"square"``: a bright 4 x 4 square on a dark background, with
        vertical and horizontal edges.

    Returns
    -------
    image : ndarray of shape (8, 8), float64
        Values 0 and 1.

    Examples
    --------
    >>> toy_image("step")[0]
    array([0., 0., 0., 0., 1., 1., 1., 1.])
    """
    image = np.zeros((8, 8))
    if kind == "step":
        image[:, 4:] = 1.0
    elif kind == "square":
        image[2:6, 2:6] = 1.0
    else:
        raise ValueError(f'kind must be "step" or "square", got {kind!r}')
    return image


def noisy_signal(
    n: int = 200, noise: float = 0.3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return a smooth 1D signal and a copy with Gaussian noise added.

    Introduced in 02_convolution.

    The clean signal is two slow sine waves plus one step, so smoothing can be
    judged both on gentle curves and on a sharp jump.

    Parameters
    ----------
    n : int, default 200
        Number of samples.
    noise : float, default 0.3
        Standard deviation of the added noise.
    seed : int, default 0
        Seed of ``np.random.default_rng``; equal seeds give equal noise.

    Returns
    -------
    t : ndarray of shape (n,)
        Sample times in [0, 1).
    clean : ndarray of shape (n,)
        The signal without noise.
    noisy : ndarray of shape (n,)
        ``clean`` plus noise.

    Examples
    --------
    >>> t, clean, noisy = noisy_signal(100)
    >>> noisy.shape
    (100,)
    """
    rng = np.random.default_rng(seed)
    t = np.arange(n) / n
    clean = np.sin(2 * np.pi * 2 * t) + 0.5 * np.sin(2 * np.pi * 5 * t) + (t > 0.6)
    return t, clean, clean + noise * rng.standard_normal(n)


def spike_signal(
    n: int = 600, n_events: int = 5, noise: float = 0.3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return an EEG-like trace with a few spike-and-wave events hidden in noise.

    Introduced in 02_convolution.

    Parameters
    ----------
    n : int, default 600
        Number of samples.
    n_events : int, default 5
        Number of events; they never overlap, so at most ``n // 80``.
    noise : float, default 0.3
        Standard deviation of the background noise.
    seed : int, default 0
        Seed of ``np.random.default_rng``.

    Returns
    -------
    signal : ndarray of shape (n,)
        Noise plus one copy of ``template`` starting at each onset.
    template : ndarray of shape (40,)
        The event shape: a sharp spike followed by a slow wave.
    onsets : ndarray of shape (n_events,), int
        Sorted start indices of the events.

    Examples
    --------
    >>> signal, template, onsets = spike_signal()
    >>> signal.shape, template.shape, onsets.shape
    ((600,), (40,), (5,))
    """
    rng = np.random.default_rng(seed)
    s = np.arange(40)
    template = 2.0 * np.exp(-0.5 * ((s - 5) / 1.5) ** 2) - 0.8 * np.sin(np.pi * s / 39)
    width = 2 * len(template)  # one event per slot of this width, so events never touch
    if n_events > n // width:
        raise ValueError(f"{n_events} events need {n_events * width} samples, got n = {n}")
    slots = np.sort(rng.choice(n // width, size=n_events, replace=False))
    onsets = slots * width + rng.integers(0, len(template), size=n_events)
    signal = noise * rng.standard_normal(n)
    for onset in onsets:
        signal[onset : onset + len(template)] += template
    return signal, template, onsets


def grid_examples(seed: int = 0) -> dict[str, np.ndarray]:
    """Return small synthetic examples of grid data that are not photos.

    Introduced in 02_convolution.

    Parameters
    ----------
    seed : int, default 0
        Seed of ``np.random.default_rng``.

    Returns
    -------
    examples : dict of str to ndarray
        ``"audio"``: shape (1, 4000), half a second of a rising chirp at
        8 kHz (one channel, time). ``"eeg"``: shape (8, 500), two seconds of
        eight electrodes at 250 Hz sharing a 10 Hz rhythm (channels, time).
        ``"video"``: shape (1, 12, 32, 32), twelve frames of a bright blob
        moving diagonally (channels, time, height, width).

    Examples
    --------
    >>> {name: a.shape for name, a in grid_examples().items()}["eeg"]
    (8, 500)
    """
    rng = np.random.default_rng(seed)
    t = np.arange(4000) / 8000
    audio = np.sin(2 * np.pi * (200 * t + 1800 * t**2)) * np.exp(-3 * t)
    audio = audio + 0.05 * rng.standard_normal(t.shape)

    te = np.arange(500) / 250
    gains = np.linspace(1.0, 0.2, 8)[:, None]
    phases = rng.uniform(0, 0.5, size=(8, 1))
    eeg = gains * np.sin(2 * np.pi * 10 * te + phases)
    eeg = eeg + 0.4 * np.cumsum(rng.standard_normal((8, 500)), axis=1) / np.sqrt(50)

    yy, xx = np.mgrid[0:32, 0:32]
    frames = [np.exp(-((yy - 4 - 2 * f) ** 2 + (xx - 4 - 2 * f) ** 2) / 12.0) for f in range(12)]
    video = np.stack(frames)[None]
    return {"audio": audio[None], "eeg": eeg, "video": video}
