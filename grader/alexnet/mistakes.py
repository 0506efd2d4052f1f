"""The usual mistakes of notebook 07_alexnet's exercises, each with a stable id and what the
learner reads when a result matches it."""

from __future__ import annotations

from grader.engine.cases import Mistake

__all__ = ["MISTAKES"]

_TEXTS = {
    # dropout_forward and dropout_backward
    "not_rescaled": "the kept units are not rescaled: inverted dropout divides them by 1 - p at "
    "training time, so that the expected output is x and test time needs no change",
    "scaled_down": "the kept units are multiplied by 1 - p: inverted dropout divides by it",
    "p_as_keep": "p is read as the probability of keeping a unit: it is the probability of "
    "dropping one (keep with probability 1 - p, scale by 1 / (1 - p))",
    "rescaled_at_test": "the output is rescaled at test time: with inverted dropout the layer is "
    "the identity at test time (the scaling happened during training)",
    "dropped_at_test": "units are dropped at test time: with train=False the layer is the identity",
    "mask_reused": "the same mask came back from a generator with another seed: draw a new mask "
    "from rng on every call (do not keep one from an earlier call)",
    "rng_ignored": "two generators with the same seed gave different masks: draw the mask from "
    "the rng passed in (rng.random(x.shape) >= p), not from np.random or a generator of your own",
    "not_random": "the dropped units follow a pattern: each unit must be dropped independently, "
    "at random",
    "mask_ignored": "the gradient is not masked: units dropped in the forward pass had no effect "
    "on the output, so their gradient is 0",
    "mask_inverted": "the gradient flows through the dropped units instead of the kept ones",
    # alexnet_param_counts
    "no_biases": "the biases are missing: every filter and every output unit has one",
    "grouping_ignored": "CONV2, CONV4 and CONV5 are counted as if each filter saw all the "
    "channels: on two GPUs each of their filters sees only the half of the channels held on its "
    "own GPU (48, 192 and 192)",
    "doubled_per_gpu": "each layer is counted once per GPU: the two GPUs hold halves of one "
    "network, so each filter and each weight is counted once",
    "conv3_grouped": "CONV3 is counted as grouped: it is the one convolution whose filters see "
    "the channels of both GPUs (all 256)",
    "pool5_skipped": "FC6's input is taken before the last max pooling (13 x 13 x 256): pool5 "
    "gives 6 x 6 x 256 = 9216 numbers",
    # train_cnn
    "constant": "every prediction is the same digit: did the network train at all?",
    "untrained": "the accuracy is near chance (10 %): the network does not learn (is the "
    "update's sign right, the learning rate not 0, the trained weights the ones used to "
    "predict?)",
    "memorised": "images seen before are right but new ones are not: the labels come from a "
    "lookup of known images, not from a trained network",
    "scores_not_labels": "these are scores, one row per image: return the labels, "
    "scores.argmax(axis=1)",
}
MISTAKES = {name: Mistake(name, text) for name, text in _TEXTS.items()}
"""The usual mistakes of this notebook's exercises, by their stable id."""
