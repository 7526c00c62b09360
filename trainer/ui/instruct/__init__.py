"""The instructor's console (``canadarm-trainer instruct ws://HOST:PORT``, docs/DESIGN.md
§12): the replay viewer's workstation fed by a live session's stream instead of a
recording, with an instructor's panel that acts on the session through the live server's
services. Several consoles may watch one session.

| module  | holds                                                                        |
|---------|------------------------------------------------------------------------------|
| stream  | what the stream has said so far: the snapshot shown, the call log, the C&W   |
|         | alarms, the markers of events and actions (no pygame)                        |
| panel   | the instructor's panel: fault buttons, freeze, the call box, notes           |
| app     | the window and its loop                                                      |
| command | ``instruct``: connect, fetch the attempt, open the window                    |
"""
