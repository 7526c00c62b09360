"""``fly --live``: the session streamed over the Foxglove WebSocket protocol, and the
instructor acting on it (docs/DESIGN.md §12).

| module     | holds                                                                  |
|------------|------------------------------------------------------------------------|
| protocol   | the contract both ends share: address, services, request fields, token |
| requests   | the one check of a request (token, size, JSON, the action's fields)    |
| server     | the foxglove-sdk server: the recording's channels, the services, the   |
|            | queue of checked actions the window applies at a tick boundary         |
| camera     | the LEE camera as JPEG, encoded off the frame path at a low rate       |
| client     | a small client of the protocol on ``websockets`` (the console's, tests) |

The server reads sockets; the session never does. What a client asks for reaches the
session only as a checked action (trainer/record/instructor.py), taken by the window
between two ticks and recorded on /instructor like any input (``Session.instruct``).
"""
