"""The grading engine: sandbox, worker, wire format, verdicts, judge, class grading, bundle.

It knows nothing of any course: a course describes its notebooks, exercises, points and cases
with :mod:`grader.engine.course` and hands them in. Nothing here imports course content; a test
holds that direction. Modules, in the order a submission meets them:

- :mod:`.submission` reads a submitted notebook's answer cells;
- :mod:`.sandbox` starts a worker under bubblewrap and resource limits; :mod:`.sandboxed` holds
  the only files bound into it (the worker and its wire codec);
- :mod:`.channel` and :mod:`.session` run a submission's exercises in fresh children of it;
- :mod:`.cases`, :mod:`.compare` and :mod:`.verdicts` judge each call;
- :mod:`.judge` grades a notebook into a :mod:`.report`;
- :mod:`.classroom` grades a class into nbgrader's gradebook; :mod:`.bundle` builds the handout;
- :mod:`.kernel` runs the visible checks in the learner's own kernel; :mod:`.cli` is the command
  line.
"""
