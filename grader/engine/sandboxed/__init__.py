"""The only files bound into the sandbox: the worker process and its wire codec.

They import nothing but the standard library and numpy, and each other relatively, so that the
same files run as ``grader.engine.sandboxed`` in the judge and as ``sandboxed`` inside the sandbox.
"""
