"""The physics room: a deterministic pybullet world (DIRECT, no display) holding the
station, the SSRMS and a free-drifting vehicle in Clohessy–Wiltshire relative motion.

It never imports pygame, scoring, ui, input or record (docs/DESIGN.md §2). Import the submodules
directly; this package initialiser stays free of pybullet so that the pure modules
(``orbit``, ``metrics``) can be used without it.
"""
