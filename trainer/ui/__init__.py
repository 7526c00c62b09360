"""The workstation window of ``canadarm-trainer fly`` (docs/DESIGN.md §1, §2).

The room draws the session's immutable ``Telemetry`` snapshot (and the session's event
stream, the same one the recording holds) as the Cupola robotic workstation: the LEE camera
monitor with its electronic overlay, two more camera monitors, the status display, the
caution and warning panel and the call log. Camera images come from a feed handed in
(``feeds.py``); the UI never queries pybullet. pygame is used here and in ``trainer/input``
only.

| module     | holds                                                          |
|------------|----------------------------------------------------------------|
| aids       | the aid levels (guided, crew, none) and what each shows         |
| calls      | M2's range and rate calls, derived from the telemetry           |
| alerts     | the caution and warning items and the master alarm              |
| pacing     | real-time pacing of the 1/60 s control tick                     |
| feeds      | the camera-image seam and its schematic placeholder             |
| theme      | colours, fonts, text helpers                                    |
| overlay    | the LEE camera's electronic overlay                             |
| panels     | status display, caution and warning panel, log, hand controllers |
| screens    | start and end screens, help overlay                             |
| attempt    | one attempt: output folder, call-log lines, finalizing, history |
| workstation| the flying screen's layout and refresh rates                    |
| app        | the window loop                                                 |
| fly        | the ``fly`` command: outputs, signals, finalizing the recording |
"""
