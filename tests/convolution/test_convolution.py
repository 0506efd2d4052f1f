"""Does each check of 02_convolution name the mistake it sees? Does the notebook keep issue 12's
length limits, learn the edge kernel it claims to learn, and draw its figures as the text says?
(The separation of wrong from correct answers is proven for every notebook in
tests/test_implementations.py.)"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from pytest import approx
from scipy.signal import correlate2d

from grader import data
from grader.convolution import lesson
from grader.course import course
from grader.engine.judge import grade_notebook
from make_class import topic_module

REPO = Path(__file__).resolve().parents[2]

WRONG = topic_module("02_convolution", "implementations").WRONG


def test_messages_name_the_mistake(submit):
    """The message of a flipped kernel, a transposed output and a missing bias says so, and the
    mistake is carried as data next to it."""
    answers = {
        "corr1d": WRONG["corr1d"]["flipped kernel (true convolution)"],
        "corr2d": WRONG["corr2d"]["output transposed"],
        "conv_single": WRONG["conv_single"]["bias missing"],
        "conv1d_true": WRONG["conv1d_true"]["flips the kernel in place"],
    }
    report = grade_notebook(submit("02_convolution", answers), course())
    results = {r.name: r for r in report.exercises}
    assert "flipped" in results["corr1d"].message and results["corr1d"].mistake == "flipped_kernel"
    assert "transposed" in results["corr2d"].message or "swapped" in results["corr2d"].message
    assert "bias is missing" in results["conv_single"].message
    assert results["conv_single"].mistake == "missing_bias"
    assert "modified in place" in results["conv1d_true"].message
    assert results["conv1d_true"].mistake == "mutated_input"


SOLUTION = REPO / "solutions" / "02_convolution" / "02_convolution.ipynb"
K_VERT = np.array([[1.0, 0.0, -1.0]] * 3)
# A kernel learned from exact targets must match to rounding; from targets with noise of standard
# deviation 0.1 (about a tenth of a typical edge response), all windows of one photo bring the
# relative error under 5 %.
EXACT_TOLERANCE = 1e-8
NOISY_TOLERANCE = 0.05


def test_a_kernel_learned_from_edge_responses_is_the_edge_kernel():
    """Least squares over the windows of one photo recovers k_vert from its response (the
    response computed by SciPy, independently of the lesson), to rounding with exact targets and
    within 5 % with noisy ones; nine windows of noisy targets are far from enough."""
    photo = data.load_camera(size=128)
    target = correlate2d(photo, K_VERT, mode="valid")
    learned = lesson.fit_kernel(photo, target, (3, 3))
    assert np.linalg.norm(learned - K_VERT) / np.linalg.norm(K_VERT) < EXACT_TOLERANCE
    noisy = target + 0.1 * np.random.default_rng(0).standard_normal(target.shape)
    error = np.linalg.norm(lesson.fit_kernel(photo, noisy, (3, 3)) - K_VERT) / np.linalg.norm(
        K_VERT
    )
    few = lesson.fit_kernel(photo, noisy, (3, 3), n_windows=9)
    assert error < NOISY_TOLERANCE
    assert np.linalg.norm(few - K_VERT) / np.linalg.norm(K_VERT) > 10 * NOISY_TOLERANCE


def test_a_locally_connected_fit_has_one_kernel_per_position():
    """fit_local learns a different kernel at each position when the target asks for it: the
    top half's windows get k_vert and the bottom half's its transpose, exactly, from 12 random
    images; a single shared kernel cannot."""
    rng = np.random.default_rng(1)
    images = rng.normal(size=(12, 10, 10))
    vert = np.stack([correlate2d(x, K_VERT, mode="valid") for x in images])
    horiz = np.stack([correlate2d(x, K_VERT.T, mode="valid") for x in images])
    target = np.concatenate([vert[:, :4], horiz[:, 4:]], axis=1)  # (12, 8, 8)
    weights = lesson.fit_local(images, target, (3, 3))
    assert weights.shape == (8, 8, 3, 3)
    np.testing.assert_allclose(weights[:4], np.broadcast_to(K_VERT, (4, 8, 3, 3)), atol=1e-9)
    np.testing.assert_allclose(weights[4:], np.broadcast_to(K_VERT.T, (4, 8, 3, 3)), atol=1e-9)
    shared = lesson.fit_kernel(images, target, (3, 3))
    assert not np.allclose(shared, K_VERT, atol=0.1) and not np.allclose(shared, K_VERT.T, atol=0.1)


def test_brightness_maps_keep_the_photos_colour_range_and_sharpening_shows():
    """Issue 12: the sharpened photo was autoscaled and looked flatter than the original. Every
    brightness map (weights summing to 1) is now drawn with the photo's own (vmin, vmax), in full
    and zoomed, edge maps on a symmetric scale; and in the zoom the sharpened values spread wider
    than the original's, as the text claims."""
    photo = data.load_camera(size=128)
    g = np.exp(-0.5 * np.arange(-2, 3) ** 2)
    blur = np.outer(g, g) / np.outer(g, g).sum()
    identity = np.zeros((5, 5))
    identity[2, 2] = 1.0
    laplacian = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    kernels = {"identity": identity, "sharpen": 2 * identity - blur, "Laplacian": laplacian}
    responses = [correlate2d(photo, k, mode="valid") for k in kernels.values()]
    fig = lesson.plot_filtered(photo, kernels, responses, crop=(16, 40, 40))
    clims = {ax.get_title(): ax.get_images()[0].get_clim() for ax in fig.axes if ax.get_images()}
    zooms = {
        t.split(":")[0]: ax.get_images()[0].get_array()
        for ax in fig.axes
        for t in [ax.get_title()]
        if "zoom" in t
    }
    plt.close(fig)
    photo_range = approx((photo.min(), photo.max()))
    for name in ("identity", "sharpen"):
        panels = [clim for title, clim in clims.items() if title.startswith(f"{name}:")]
        assert len(panels) == 2 and all(clim == photo_range for clim in panels), clims
    for title, (lo, hi) in clims.items():
        if title.startswith("Laplacian:"):
            assert lo == approx(-hi)
    assert np.std(zooms["sharpen"]) > 1.1 * np.std(zooms["identity"])


def test_the_volume_picture_and_the_stacked_traces_say_what_they_show():
    """The volume picture names the 75-term dot product and the output volume's shape; every
    trace drawn below another on shared axes says how far it was moved (the audio trace's offset
    was unexplained)."""
    fig = lesson.draw_volume(channels=3, size=10, kernel=5, filters=4)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)
    assert "75 products" in texts and "(F, H', W') = (4, 6, 6)" in texts

    fig = lesson.plot_grid_examples(lesson.grid_examples(seed=0))
    labels = [[t.get_text() for t in ax.get_legend().get_texts()] for ax in fig.axes]
    plt.close(fig)
    for axis_labels in labels:
        assert all("lower" in label for label in axis_labels[1:]), axis_labels
