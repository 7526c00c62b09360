"""The instructor's replay viewer (``canadarm-trainer replay RECORDING``, docs/DESIGN.md
§1): the workstation of ``fly`` as it was at any instant of a recording, re-drawn from
the recorded poses and snapshot (nothing is re-simulated), with transport, a timeline of
the events, a free camera, plots against the envelope and the instructor's notes.

| module   | holds                                                                 |
|----------|-----------------------------------------------------------------------|
| model    | what is read once at open: markers, call log, intervals, plot series  |
| cameras  | the monitors' feed and the free camera, on one renderer               |
| strip    | the timeline and the plot strip                                       |
| panel    | the replay panel (time, transport, events, notes, keys), note entry   |
| app      | the window and its loop                                               |
| window   | opening the window on a recording (``run_replay_window``)              |
| command  | ``replay RECORDING``: the recording checked, then the window opened    |
"""
