"""Hidden tests: the judge's cases, never shipped to students.

Each notebook has a module here with a ``CASES`` table (exercise name -> function returning the
cases) and ``hidden_<exercise>(fn)`` functions that nbgrader's test cells call in the kernel.
The authoritative score runs the same cases through ``grader.judge`` instead.
"""
