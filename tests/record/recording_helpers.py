"""A short synthetic session, written the way the session loop writes one (shared by the
recording tests)."""

from __future__ import annotations

from typing import Any

from trainer.input.state import Button, HandControllerState
from trainer.record import RecordingWriter

METADATA: dict[str, object] = {
    "scenario_id": "crs20-capture",
    "scenario": {"id": "crs20-capture", "version": 1, "vehicle": {"mass_kg": 12000.0}},
    "seed": 7,
    "pilot": "autopilot",
    "start_time_utc": "2025-01-02T03:04:05Z",
}
SUMMARY: dict[str, object] = {"outcome": "captured", "passed": True, "score": 92.5}


def input_payload(tick: int) -> dict[str, Any]:
    state = HandControllerState(
        thc=(0.1 * (tick % 7) - 0.3, 1 / 3, 0.0),
        rhc=(0.0, -0.2, 0.1 + 0.2),
        buttons=frozenset({Button.CAPTURE}) if tick % 50 == 0 else frozenset(),
    )
    return {**state.to_dict(), "mode": "cartesian", "frame": "base", "rate_scale": "vernier"}


def state_payload(time_s: float) -> dict[str, Any]:
    return {
        "vehicle_com_pos_world_m": [time_s * 0.01, 0.1 + 0.2, -10.0],
        "joint_angles_rad": [0.1 * i + time_s for i in range(7)],
        "lateral_offset_m": 0.031,
        "capture_state": "free",
    }


def write_session(
    writer: RecordingWriter, seconds: float, first_tick: int = 0
) -> dict[str, list[dict[str, Any]]]:
    """Write ``seconds`` of a session (60 Hz input, 10 Hz state, an event per second, a
    checkpoint every 2 s); returns the messages as the reader should give them back."""
    written: dict[str, list[dict[str, Any]]] = {
        "inputs": [],
        "states": [],
        "events": [],
        "checkpoints": [],
    }
    for tick in range(first_tick, first_tick + round(seconds * 60)):
        time_s = tick / 60
        payload = input_payload(tick)
        writer.write_input(tick, time_s, payload)
        written["inputs"].append({"tick": tick, "time_s": time_s, **payload})
        if tick % 6 == 0:
            state = state_payload(time_s)
            writer.write_state(time_s, state)
            written["states"].append({"time_s": time_s, **state})
        if tick % 60 == 30:
            writer.write_event(time_s, "call", {"text": f"call {tick}"})
            written["events"].append({"time_s": time_s, "kind": "call", "text": f"call {tick}"})
        if tick % 120 == 0:
            step = tick * 4
            writer.write_checkpoint(tick, time_s, step, f"{step:064x}")
            written["checkpoints"].append(
                {"tick": tick, "time_s": time_s, "step": step, "digest": f"{step:064x}"}
            )
    return written
