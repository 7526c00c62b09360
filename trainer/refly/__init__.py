"""Flying a recording again (docs/DESIGN.md §5, §7, §10): a recorded session rebuilt from
the scenario resolved inside it, its seed and its /input stream (read by the one decoder
and check of trainer/record/), and flown headless by the one loop.

| module    | what it does                                                                |
|-----------|-----------------------------------------------------------------------------|
| `loop`    | the loop every headless session is flown by; `fly_again`: a recording       |
|           | graded again (``report`` without a stored report, the verdict below)        |
| `plan`    | ``grade --pilot RECORDING`` (one, or each of a campaign's): the recording's |
|           | inputs checked whole, on which scenario and seed they are flown (its own    |
|           | when none is named), the notices the report shows first                     |
| `verify`  | ``replay --verify``: every message compared with the recording's, bit for bit |
| `verdict` | after a divergence: the same result or not, and where the machines differ   |

The replay viewer, which shows a recording without flying it, is trainer/ui/replay/.
"""
