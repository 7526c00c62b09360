"""Camera views for the workstation and the replay viewer: images from link poses.

This room draws the station, the SSRMS and the vehicle (Dragon or the FRGF drill target)
as the cameras see them, with moderngl on a headless EGL context (Mesa's llvmpipe without
a GPU), and returns numpy images. It knows nothing of pygame and never steps physics: a
frame is drawn from ``ScenePoses`` alone, filled from a live ``World`` or from a
recording's ``/state`` message (docs/DESIGN.md §2: the UI shows the images it is handed).

Public API (stable; the window and the replay viewer call exactly this)::

    from trainer.render import Renderer, Scene, Lighting, poses_from_world, poses_from_state

    scene = Scene.load("dragon")                      # URDFs of robots/, once
    renderer = Renderer.create(scene)                 # prefer="gl" (default) or "cpu", shadows=True
    poses = poses_from_telemetry(telemetry, scene)    # the window: from its snapshot
    poses = poses_from_state(state_msg, scene)        # the replay viewer: a /state message
    light = Lighting.orbit(phase_deg, beta_deg, time_s=t)   # or lighting_for(scenario, t)
    image = renderer.render("lee", poses, (480, 360), light)  # (H, W, 3) uint8, row 0 on top
    # pygame (in ui/ only): pygame.image.frombuffer(image, (w, h), "RGB")
    renderer.backend_name        # "OpenGL (llvmpipe ..., EGL)" or the CPU renderer
    renderer.fallback_reason     # None, or "software fallback: reduced size (why)" to show;
                                 # read it each frame: an OpenGL failure switches to the CPU
    renderer.image_size((w, h))  # what render returns: (w, h) on GL, reduced on the CPU
    renderer.shadows = False     # the sun's shadows (on by default; GL only)
    renderer.close()

| name                        | what                                                        |
|-----------------------------|-------------------------------------------------------------|
| ``Scene.load(vehicle_model, include_station=True)`` | visual meshes and joint trees   |
| ``Scene.for_scenario(scenario)`` | the scene of a scenario (its vehicle model)          |
| ``ScenePoses``              | ``links["role/link"] -> LinkPose(position_m, orientation_xyzw)`` |
| ``poses_from_telemetry(telemetry, scene)`` | link poses of a session's snapshot (the window) |
| ``poses_from_world(world, scene)`` | link poses of a live world (named accessors)         |
| ``poses_from_state(state, scene)`` | link poses of a ``/state`` message (FK of the joints) |
| ``poses_from_joints(scene, ...)``  | link poses from base mount, joints and vehicle pose   |
| ``CAMERA_NAMES``            | ``"lee"``, ``"elbow"``, ``"external"``; and ``"cbcs"``, the berthing camera behind Harmony's nadir hatch window |
| ``ghost_poses(scene, seen, lee pose, vehicle pose)`` | the predictive display's ghost links (trainer/prediction.py) |
| ``renderer.render(cam, poses, size, light, ghost=...)`` | the ghost drawn translucent over the picture (GL only) |
| ``camera(name, poses)``     | the named camera's ``CameraSpec`` (pose, field of view, lamps) |
| ``orbit_camera(target, azimuth_deg, elevation_deg, distance_m)`` | the free camera |
| ``CameraSpec.project(point, size)`` | pixel of a world point (for overlays)               |
| ``Lighting.orbit(phase_deg, beta_deg, time_s=)`` | sun, eclipse (``.night``), Earthshine |
| ``lighting_for(scenario, time_s)`` | the scenario's ``lighting:`` section at a time       |
| ``lighting_for_recorded(header_scenario, time_s)`` | the same from a recording's header |
| ``dataclasses.replace(light, camera_lights=True)`` | the LEE/elbow lamps on in daylight too |

Costs (bench/bench_render.py, Mesa llvmpipe on 2 cores): a few ms per 320x240-640x480
view; the sun's shadow maps are redrawn only when a link moves 3 mm (one depth pass about
two 480x360 views), so call ``render`` for every monitor with the same poses.

The renderer holds an OpenGL context: create it, render and close it on one thread.
"""

from trainer.render.cameras import (
    CAMERA_NAMES,
    CameraName,
    CameraSpec,
    camera,
    look_at,
    orbit_camera,
)
from trainer.render.lighting import Lighting, SpotLight, lighting_for, lighting_for_recorded
from trainer.render.poses import (
    LinkPose,
    ScenePoses,
    ghost_poses,
    poses_from_joints,
    poses_from_state,
    poses_from_telemetry,
    poses_from_world,
)
from trainer.render.renderer import FALLBACK_LABEL, Renderer
from trainer.render.scene import Scene

__all__ = [
    "CAMERA_NAMES",
    "FALLBACK_LABEL",
    "CameraName",
    "CameraSpec",
    "Lighting",
    "LinkPose",
    "Renderer",
    "Scene",
    "ScenePoses",
    "SpotLight",
    "camera",
    "ghost_poses",
    "lighting_for",
    "lighting_for_recorded",
    "look_at",
    "orbit_camera",
    "poses_from_joints",
    "poses_from_state",
    "poses_from_telemetry",
    "poses_from_world",
]
