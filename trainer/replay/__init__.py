"""Replaying a recorded session (docs/DESIGN.md §5 ``replay``, §7).

| module      | what it does                                                              |
|-------------|---------------------------------------------------------------------------|
| `source`    | the scenario, seed and hand-controller stream resolved inside a recording |
| `verify`    | re-simulates a recording and reports the first divergence (``--verify``)  |
| `viewer`    | the interactive viewer's entry point (``replay`` without ``--verify``)   |
"""
