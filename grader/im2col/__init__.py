"""Notebook 05_im2col: convolution as one matrix product, what it costs and how fast it runs.

``cases`` holds the exercises, their points and visible cases (columns and layers checked against
NumPy's sliding windows and ``scipy.signal``; costs and col2im answers, which no library computes,
stored in ``golden.json``); ``hidden`` the references and hidden cases (not in the student
bundle); ``lesson`` the layout drawing, the timing and memory helpers and the speed figure.
"""
