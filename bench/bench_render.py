"""Benchmark: camera images per view, readback included (docs/PYBULLET_NOTES.md §2.2: 3–7 ms per view on
Mesa's llvmpipe is the target, docs/PYBULLET_NOTES.md).

The real scene (station, SSRMS, Dragon) at the close-up pose: the arm at
``capture_ready`` and Dragon raised so its FRGF ball is 0.3 m below the LEE mouth. Every
camera is timed at 320x240, 480x360 and 640x480, in daylight and at night (the night pass
adds per-pixel lamps), with poses that change every frame as in a session (the vehicle
drifts by a millimetre a frame, so the sun's shadow map is redrawn every fifth frame: the
worst figure includes it), after a warm-up frame per size. The CPU fallback is timed
at the reduced size it draws.

Run: ``python bench/bench_render.py [--frames 60] [--samples 0]``.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from trainer.render import (
    CAMERA_NAMES,
    Lighting,
    Renderer,
    Scene,
    ScenePoses,
    poses_from_joints,
)
from trainer.render.gl import GLBackend
from trainer.sim.layout import arm_base_mount, capture_point, named_pose_rad

SIZES = ((320, 240), (480, 360), (640, 480))
CLOSE_UP_RAISE_M = 1.7  # FRGF ball 0.3 m below the LEE mouth (capture_ready holds 2.0 m)


def poses_for(scene: Scene, frames: int) -> list[ScenePoses]:
    base = arm_base_mount()
    dragon = capture_point()
    q = named_pose_rad("capture_ready")
    x, y, z = dragon.position_m
    return [
        poses_from_joints(
            scene,
            arm_base_position_m=base.position_m,
            arm_base_orientation_xyzw=base.orientation_xyzw,
            joint_angles_rad=q,
            vehicle_position_m=(x + 0.001 * k, y, z + CLOSE_UP_RAISE_M),
            vehicle_orientation_xyzw=dragon.orientation_xyzw,
        )
        for k in range(frames)
    ]


def time_views(
    renderer: Renderer,
    poses: list[ScenePoses],
    sizes: tuple[tuple[int, int], ...],
    lights: dict[str, Lighting],
) -> None:
    print(
        f"{'camera':9s} {'light':6s} {'asked':>8s} {'image':>8s} {'median ms':>10s} {'worst ms':>9s}"
    )
    for light_name, lighting in lights.items():
        for cam in CAMERA_NAMES:
            for size in sizes:
                renderer.render(cam, poses[0], size, lighting)  # warm-up: framebuffers
                times = np.empty(len(poses))
                for k, p in enumerate(poses):
                    t0 = time.perf_counter()
                    image = renderer.render(cam, p, size, lighting)
                    times[k] = time.perf_counter() - t0
                got = f"{image.shape[1]}x{image.shape[0]}"
                print(
                    f"{cam:9s} {light_name:6s} {size[0]:>4d}x{size[1]:<3d} {got:>8s} "
                    f"{np.median(times) * 1e3:10.2f} {times.max() * 1e3:9.2f}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60, help="frames per view and size")
    parser.add_argument("--samples", type=int, default=0, help="GL multisampling (0 = off)")
    parser.add_argument("--no-cpu", action="store_true", help="skip the CPU fallback")
    parser.add_argument("--no-shadows", action="store_true", help="draw without sun shadows")
    args = parser.parse_args()
    scene = Scene.load("dragon")
    poses = poses_for(scene, args.frames)
    lights = {"day": Lighting.orbit(-45.0, 20.0), "night": Lighting.orbit(150.0, 10.0)}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"scene: {scene.triangle_count} triangles in {len(scene.meshes)} links; "
        f"{args.frames} frames per row; load average {load:.2f} on {os.cpu_count()} cores"
    )
    t0 = time.perf_counter()
    try:
        backend = GLBackend(scene, samples=args.samples, shadows=not args.no_shadows)
        gl = Renderer(scene, backend, None)
    except Exception as exc:
        print(f"OpenGL unavailable: {exc}")
    else:
        print(
            f"{gl.backend_name}, {args.samples or 'no'} multisampling, "
            f"sun shadows {'on' if gl.shadows else 'off'}, "
            f"created in {(time.perf_counter() - t0) * 1e3:.0f} ms"
        )
        time_views(gl, poses, SIZES, lights)
        gl.close()
    if not args.no_cpu:
        cpu = Renderer.create(scene, prefer="cpu")
        print(f"\n{cpu.backend_name} ({cpu.fallback_reason})")
        time_views(cpu, poses[: max(5, args.frames // 4)], SIZES[:1], lights)
        cpu.close()


if __name__ == "__main__":
    main()
