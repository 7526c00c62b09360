"""Grading campaigns (docs/DESIGN.md §12): many seeds or many recordings graded on one of
three backends behind one ``concurrent.futures``-shaped interface, written by the driver
alone in seed order, and summarized.

| module          | holds                                                                  |
|-----------------|------------------------------------------------------------------------|
| ``command``     | ``grade``'s campaign: checks, the executor, writing, the summary's outputs |
| ``work``        | what is graded: seeds, or recordings found by a folder or a glob; the campaign's clock |
| ``jobs``        | one job as picklable data, and ``grade_job``, what a worker runs        |
| ``executors``   | ``--executor``: the interface, the in-process backend, the choice      |
| ``dask_backend``| Dask distributed: a running scheduler, or a ``LocalCluster`` started here |
| ``driver``      | sending jobs, one retry, the bounded reorder buffer, stopping on a signal |
| ``summary``     | ``campaign.json`` and the terminal summary: pass rate (Wilson), percentiles, outcomes, reasons, worst jobs |
| ``plots``, ``page`` | ``campaign.html``: self-contained, offline, with its figures        |

The local process pool is ``trainer/batch.py`` (today's ``--jobs``); it and ``dask_backend``
run whatever job function they are handed and import nothing of the campaign (a room each,
docs/DESIGN.md §2). A job grades its session with ``run_graded`` (trainer/graded.py), as a
single ``grade`` does.
"""
