"""Known-wrong and alternative-correct answers for each exercise, fed to the grader by the tests.

Each notebook has a module with ``WRONG`` and ``CORRECT``: exercise name -> {label: source}. Every
source is self-contained (it defines the one function and relies on numpy as ``np`` only), so an
implementation of one exercise never changes the verdict on another.
"""
