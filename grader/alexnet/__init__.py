"""Notebook 07_alexnet: a small CNN trained on real digits, dropout, and AlexNet by layer.

``cases`` holds the exercises, their points and visible cases (dropout judged by the statistics
of its mask, AlexNet by its total, train_cnn by held-out accuracy); ``judges`` the judgements of
results that have no single right answer; ``mistakes`` the usual errors the checks name;
``hidden`` the references and hidden cases (not in the student bundle); ``lesson`` the digits,
the baselines' data split and the figures the notebook uses.
"""
