"""The instructor's debrief of a recorded session (docs/DESIGN.md §5 ``report``).

| module     | what it does                                                                 |
|------------|------------------------------------------------------------------------------|
| `series`   | the time series the plots need, streamed from a recording chunk by chunk     |
| `grading`  | the graded report of a recording (from its summary, or by re-flying it)      |
| `technique`| hand-controller metrics and the three lesson marks (NASA GRT style)          |
| `plots`    | matplotlib figures (Agg) as PNG bytes                                        |
| `page`     | the self-contained ``debrief.html``                                          |
| `command`  | ``canadarm-trainer report RECORDING [--out DIR]``                            |

The instructor's notes beside a recording are read with it (trainer/record/notes.py); the
recording itself through the one reader and decoder of trainer/record/.
"""
