"""The usual mistakes of notebook 06_backprop's exercises, each with a stable id and what the
learner reads when a result matches it."""

from __future__ import annotations

from grader.engine.cases import Mistake

__all__ = ["MISTAKES"]

_TEXTS = {
    # numerical_gradient
    "one_sided": "a one-sided difference (f(x + h) - f(x)) / h: its error shrinks like h, the "
    "centred (f(x + h) - f(x - h)) / (2h) like h**2",
    "step_ignored": "the step h passed in is ignored: perturb by the h given",
    "not_halved": "the difference is divided by h: the two evaluations are 2h apart, so divide "
    "by 2 * h",
    "dout_ignored": "dout is ignored: the gradient is that of sum(f(x) * dout), not of sum(f(x))",
    "not_restored": "x is not put back after an entry is perturbed, so later entries are "
    "measured at a shifted point: store the old value and restore it (x[i] = old) before the "
    "next entry",
    "view_kept": "f(x) is kept and read after x has changed: here f returns x itself (a view), "
    "so compute each sum(f(x) * dout) before perturbing x again",
    "float32_steps": "x was perturbed in float32, whose 7 significant digits cannot resolve "
    "x + 1e-5: perturb a float64 copy (np.array(x, dtype=np.float64))",
    # relu_backward
    "passes_at_zero": "the gradient passes where x == 0: ReLU's output is flat there in this "
    "course (mask x > 0, not x >= 0)",
    "wrong_side": "the gradient passes where x < 0: ReLU lets it through where x > 0 only",
    "passes_everywhere": "dout is passed on unchanged: it must be zeroed where x <= 0",
    "mask_only": "this is the mask (x > 0) alone: multiply it by dout",
    "relu_of_dout": "ReLU was applied to dout: the mask comes from the forward input x (the "
    "cache), whatever the sign of dout",
    # affine_backward
    "dw_transposed": "dw is transposed: it has w's shape (D, M), x_flat.T @ dout",
    "dx_not_reshaped": "dx is (N, D): reshape it to x's own shape",
    # affine_backward and conv_backward
    "dw_averaged": "dw is divided by N: a layer's gradients sum over the batch (only the loss "
    "takes a mean)",
    "db_averaged": "db is averaged over the batch: a layer's gradients sum over the batch (only "
    "the loss takes a mean)",
    "db_wrong_axes": "db is summed over the wrong axes: it has one entry per output unit (per "
    "filter), summed over everything else: dout.sum(axis=0) for affine, "
    "dout.sum(axis=(0, 2, 3)) for a convolution",
    # softmax_loss
    "loss_summed": "the loss is summed over the batch: softmax_loss returns the mean over the "
    "N samples",
    "dscores_not_divided": "dscores is not divided by N: the loss is a mean, so each sample's "
    "gradient carries a factor 1 / N",
    "no_max_shift": "np.exp overflowed to inf: subtract each row's largest score before "
    "np.exp (softmax does not change when every score of a row moves by the same amount)",
    "log_of_probs": "the log of a probability that underflowed to 0 is -inf: compute log p "
    "as shifted - log(sum(exp(shifted))) and never take np.log of the probabilities",
    "onehot_not_subtracted": "dscores is the probabilities (over N): subtract 1 at each sample's "
    "correct class",
    # conv_backward, maxpool_backward and avgpool_backward
    "stride_ignored": "the stride is ignored: output (i, j) comes from the window that starts at "
    "row i * stride, column j * stride, and its gradient goes back there",
    # conv_backward
    "dw_last_sample": "dw holds the last image's contribution only: sum (+=) over the batch",
    "dx_not_cropped": "dx has the padded shape: drop the pad rows and columns (they are not "
    "inputs) to get x's shape",
    "empty_crop": "dx is empty: x[p:-p] is empty when p is 0; crop with explicit ends, "
    "x[before:before + H]",
    "kernel_not_flipped": "dx slides dout against the kernel as it is: the gradient is the full "
    "convolution of dout with the kernel (a correlation with the kernel flipped)",
    # maxpool_backward
    "all_ties": "every tied maximum of a window gets the gradient: only the first maximum (in "
    "row-major order) does, as np.argmax picks it",
    "split_ties": "the gradient is split among tied maxima: it goes whole to the first maximum "
    "(in row-major order)",
    "last_tie": "the last of the tied maxima gets the gradient: the first one (in row-major "
    "order) does; compare with >, not >=",
    "window_offset_missing": "the argmax position inside the window is used as a position in "
    "x: add the window's start (i * stride, j * stride)",
    "whole_map": "the maximum is taken over the whole map: each window routes its gradient to "
    "its own maximum",
    "overlap_overwritten": "overlapping windows overwrite each other: an input in two windows "
    "collects both gradients (+=, not =)",
    "route_without_dout": "this is where the maxima are, not the gradient: put dout there",
    # avgpool_backward
    "not_divided": "dout is copied to the window without dividing: each of the size * size "
    "inputs gets dout / (size * size)",
    "divided_by_size": "dout is divided by size, not size * size: a window holds size * size "
    "inputs",
}
MISTAKES = {name: Mistake(name, text) for name, text in _TEXTS.items()}
"""The usual mistakes of this notebook's exercises, by their stable id."""
