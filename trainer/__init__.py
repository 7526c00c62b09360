"""Canadarm2 capture trainer: capture a free-drifting cargo Dragon with the SSRMS.

Layers (docs/DESIGN.md §2, one direction of dependency): ``sim`` (pybullet world) ← ``control``
← ``session`` → ``scoring`` / ``record``; pygame is used only by the ``input`` and ``ui``
rooms.
"""

__version__ = "0.1.0"
