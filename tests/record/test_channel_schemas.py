"""Every message of a real recording validates against the schema its channel declares,
and /tf holds the frame tree that Foxglove or Lichtblick draw (docs/DESIGN.md §7)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from jsonschema import Draft202012Validator
from mcap.reader import make_reader

from tests.recorded import read_whole
from trainer.record.seek import open_recording

ARM_LINKS = {
    "base_lee",
    "shoulder_roll_link",
    "shoulder_yaw_link",
    "boom_a",
    "boom_b",
    "wrist_pitch_link",
    "wrist_yaw_link",
    "tip_lee_housing",
    "tip_lee",
}


def test_every_message_validates_against_its_channel_schema(graded_recording: Path) -> None:
    counts: dict[str, int] = {}
    validators: dict[int, Draft202012Validator] = {}
    with graded_recording.open("rb") as file:
        for schema, channel, message in make_reader(file).iter_messages():
            assert schema is not None and schema.encoding == "jsonschema"
            if channel.id not in validators:
                declared = json.loads(schema.data)
                Draft202012Validator.check_schema(declared)
                validators[channel.id] = Draft202012Validator(declared)
            errors = list(validators[channel.id].iter_errors(json.loads(message.data)))
            assert not errors, f"{channel.topic} at {message.log_time} ns: {errors[0].message}"
            counts[channel.topic] = counts.get(channel.topic, 0) + 1
    assert set(counts) == {"/input", "/state", "/events", "/checkpoint", "/tf"}
    assert counts["/tf"] == counts["/state"]  # one frame tree with every state


def test_tf_declares_foxglove_frame_transforms(graded_recording: Path) -> None:
    with graded_recording.open("rb") as file:
        summary = make_reader(file).get_summary()
    assert summary is not None
    tf = next(c for c in summary.channels.values() if c.topic == "/tf")
    schema = summary.schemas[tf.schema_id]
    assert schema.name == "foxglove.FrameTransforms"
    assert tf.message_encoding == "json"
    item = json.loads(schema.data)["properties"]["transforms"]["items"]
    assert set(item["properties"]) == {
        "timestamp",
        "parent_frame_id",
        "child_frame_id",
        "translation",
        "rotation",
    }
    assert set(item["properties"]["rotation"]["properties"]) == {"x", "y", "z", "w"}
    assert set(item["properties"]["timestamp"]["properties"]) == {"sec", "nsec"}


def _matrix(q: dict[str, float]) -> np.ndarray:
    x, y, z, w = q["x"], q["y"], q["z"], q["w"]
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def _world_positions(transforms: list[dict[str, object]]) -> dict[str, np.ndarray]:
    """Compose the tree from lvlh down: each frame's origin in LVLH."""
    by_child = {t["child_frame_id"]: t for t in transforms}
    poses: dict[str, tuple[np.ndarray, np.ndarray]] = {"lvlh": (np.zeros(3), np.eye(3))}

    def pose(frame: str) -> tuple[np.ndarray, np.ndarray]:
        if frame not in poses:
            t = by_child[frame]
            p_parent, r_parent = pose(str(t["parent_frame_id"]))
            tr = t["translation"]
            assert isinstance(tr, dict)
            rot = t["rotation"]
            assert isinstance(rot, dict)
            offset = np.array([tr["x"], tr["y"], tr["z"]])
            poses[frame] = (p_parent + r_parent @ offset, r_parent @ _matrix(rot))
        return poses[frame]

    return {frame: pose(frame)[0] for frame in by_child}


def test_tf_frames_follow_the_recorded_lee_and_fixture(graded_recording: Path) -> None:
    states = read_whole(graded_recording).states
    with open_recording(graded_recording) as rec:
        for state in states[:: len(states) // 6]:
            t = state["time_s"]
            tf = rec.transforms_at(t)
            assert tf is not None
            transforms = tf["transforms"]
            stamp = transforms[0]["timestamp"]
            assert stamp["sec"] * 1_000_000_000 + stamp["nsec"] == round(t * 1e9)
            frames = {x["child_frame_id"] for x in transforms}
            assert ARM_LINKS | {"station", "dragon", "frgf", "frgf_tip"} <= frames
            assert len(frames) == len(transforms)  # a tree: one parent per frame
            world = _world_positions(transforms)
            # float32 link frames composed down a 17 m arm: within a millimetre
            assert np.allclose(world["tip_lee"], state["lee"]["position_m"], atol=1e-3)
            assert np.allclose(world["frgf"], state["frgf"]["position_m"], atol=1e-3)
            assert np.allclose(world["dragon"], state["vehicle"]["position_m"], atol=1e-3)


def test_the_recording_ends_on_the_state_the_report_describes(graded_recording: Path) -> None:
    """A capture ends when the LEE is rigid, between two 10 Hz states: the session's last
    state is written too, so a replay or debrief does not end 0.1 s early, rigidizing."""
    recording = read_whole(graded_recording)
    end = next(e for e in recording.events if e["kind"] == "end")
    assert end["outcome"] == "captured"
    last = recording.states[-1]
    assert last["time_s"] == end["time_s"]
    assert last["capture_state"] == "rigid"
    with open_recording(graded_recording) as rec:
        tf = rec.transforms_at(end["time_s"])
        assert tf is not None
        stamp = tf["transforms"][0]["timestamp"]
        assert stamp["sec"] * 1_000_000_000 + stamp["nsec"] == round(end["time_s"] * 1e9)
