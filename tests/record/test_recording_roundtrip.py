"""What is written is read back exactly, with simulation times and self-describing channels."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from mcap.reader import make_reader
from recording_helpers import METADATA, SUMMARY, input_payload, write_session

import trainer
from tests.recorded import read_whole
from trainer.record import FORMAT, RecordingWriter, open_recording

Written = dict[str, list[dict[str, Any]]]


def test_round_trip_is_exact(finished_recording: tuple[Path, Written]) -> None:
    path, written = finished_recording
    recording = read_whole(path)
    assert recording.complete
    assert recording.notice is None
    assert recording.inputs == written["inputs"]
    assert recording.states == written["states"]
    assert recording.events == written["events"]
    assert recording.checkpoints == written["checkpoints"]
    assert recording.summary == SUMMARY
    assert recording.message_count == sum(len(v) for v in written.values())
    assert recording.end_time_s == pytest.approx(359 / 60)
    # floats come back bit for bit (replay compares states exactly)
    assert recording.inputs[1]["thc"][1] == 1 / 3
    assert recording.states[0]["vehicle_com_pos_world_m"][1] == 0.1 + 0.2


def test_metadata_holds_versions_and_what_the_session_passed(
    finished_recording: tuple[Path, Written],
) -> None:
    metadata = read_whole(finished_recording[0]).metadata
    assert metadata["format"] == FORMAT == "canadarm-trainer/recording@1"
    assert metadata["trainer_version"] == trainer.__version__
    assert metadata["pybullet_version"] == "3.2.7"
    assert isinstance(metadata["pybullet_api_version"], int)
    for key, value in METADATA.items():
        assert metadata[key] == value


def test_log_and_publish_times_are_simulation_nanoseconds(
    finished_recording: tuple[Path, Written],
) -> None:
    with finished_recording[0].open("rb") as file:
        reader = make_reader(file)
        assert reader.get_header().profile == ""
        count = 0
        for schema, channel, message in reader.iter_messages():
            payload = json.loads(message.data)
            expected_ns = round(payload["time_s"] * 1e9)
            assert message.log_time == message.publish_time == expected_ns
            assert channel.message_encoding == "json"
            assert schema is not None
            assert schema.encoding == "jsonschema"
            assert json.loads(schema.data)["type"] == "object"
            count += 1
        summary = reader.get_summary()
    assert summary is not None
    assert summary.statistics is not None
    assert count == summary.statistics.message_count
    assert {c.topic for c in summary.channels.values()} == {
        "/input",
        "/state",
        "/events",
        "/checkpoint",
        "/tf",
        "/instructor",  # registered in every recording; written to when an instructor acts
    }
    assert summary.statistics.message_end_time == round(359 / 60 * 1e9)


def test_writing_the_same_session_twice_gives_the_same_file(tmp_path: Path) -> None:
    files = []
    for name in ("a.mcap", "b.mcap"):
        with RecordingWriter(tmp_path / name, METADATA) as writer:
            write_session(writer, 2.5)
            writer.close(SUMMARY)
        files.append((tmp_path / name).read_bytes())
    assert files[0] == files[1]


def test_chunks_end_at_whole_simulated_seconds(finished_recording: tuple[Path, Written]) -> None:
    with finished_recording[0].open("rb") as file:
        summary = make_reader(file).get_summary()
    assert summary is not None
    starts = [index.message_start_time for index in summary.chunk_indexes]
    assert starts == [s * 1_000_000_000 for s in range(6)]


def test_messages_stream_in_order(finished_recording: tuple[Path, Written]) -> None:
    path, written = finished_recording
    with open_recording(path) as rec:
        messages = list(rec.messages(["/input", "/state", "/events", "/checkpoint", "/tf"]))
    assert [m.payload for m in messages if m.topic == "/input"] == written["inputs"]
    times = [m.time_s for m in messages]
    assert times == sorted(times)


def test_non_finite_and_numpy_values_are_written_as_json(tmp_path: Path) -> None:
    path = tmp_path / "s.mcap"
    with RecordingWriter(path, {"seed": np.int64(3)}) as writer:
        writer.write_state(
            0.5,
            {
                "joint_angles_rad": np.array([0.5, 1.5]),
                "axial_depth_m": math.nan,
                "x": np.float32(2),
            },
        )
        writer.write_event(0.5, "fault", {"what": math.inf})
    recording = read_whole(path)
    assert recording.states == [
        {"time_s": 0.5, "joint_angles_rad": [0.5, 1.5], "axial_depth_m": None, "x": 2.0}
    ]
    assert recording.events == [{"time_s": 0.5, "kind": "fault", "what": None}]
    assert recording.metadata["seed"] == 3
    assert recording.summary is None  # closed without a summary


def test_close_is_idempotent_and_writing_after_close_fails(tmp_path: Path) -> None:
    writer = RecordingWriter(tmp_path / "s.mcap", {})
    writer.write_input(0, 0.0, input_payload(0))
    writer.close({"outcome": "aborted"})
    writer.close({"outcome": "other"})
    assert writer.closed
    with pytest.raises(ValueError, match="is closed"):
        writer.write_state(0.1, {})
    assert read_whole(tmp_path / "s.mcap").summary == {"outcome": "aborted"}


def test_input_messages_must_be_complete(tmp_path: Path) -> None:
    with RecordingWriter(tmp_path / "s.mcap", {}) as writer:
        with pytest.raises(ValueError, match=r"lacks \['frame', 'mode', 'rate_scale'\]"):
            writer.write_input(
                0, 0.0, {"thc": [0, 0, 0], "rhc": [0, 0, 0], "buttons": []} | {"connected": True}
            )
        with pytest.raises(ValueError, match="≥ 0 s"):
            writer.write_state(-1.0, {})


def test_a_held_input_is_written_exactly_like_a_fresh_one(tmp_path: Path) -> None:
    """The session hands the writer the same payload object while the sticks are held; the
    bytes on disk must be what encoding each message afresh gives (and read back equal)."""
    held = input_payload(3)
    fresh_path, held_path = tmp_path / "fresh.mcap", tmp_path / "held.mcap"
    times = [0.0, 1e-9 * 7] + [i / 60.0 for i in range(1, 120)] + [2.0 + 0.1 + 0.2]
    with RecordingWriter(fresh_path, METADATA) as fresh, RecordingWriter(held_path, METADATA) as w:
        for tick, time_s in enumerate(times):
            fresh.write_input(tick, time_s, dict(held))
            w.write_input(tick, time_s, held)
    raw = {}
    for path in (fresh_path, held_path):
        with path.open("rb") as stream:
            raw[path] = [m.data for _, _, m in make_reader(stream).iter_messages()]
    assert raw[fresh_path] == raw[held_path]
    assert [json.loads(d) for d in raw[held_path]] == [
        {"tick": tick, "time_s": time_s, **held} for tick, time_s in enumerate(times)
    ]


def test_state_and_event_floats_read_back_bit_for_bit(tmp_path: Path) -> None:
    """/state and /events are encoded with orjson: every float, awkward ones included
    (subnormal, -0.0, 0.1 + 0.2, huge, tiny, random doubles), reads back with the same bits."""
    rng = np.random.default_rng(5)
    awkward = [0.1 + 0.2, -0.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308]
    awkward += [1e-5, 1e16, 123456789012345678.0, 1 / 3, -2.5e-17]
    floats = awkward + rng.standard_normal(200).tolist() + (rng.random(200) * 1e-9).tolist()
    path = tmp_path / "s.mcap"
    with RecordingWriter(path, {}) as writer:
        writer.write_state(0.25, {"values": floats, "vector": np.array(floats[:6])})
        writer.write_event(0.25, "trigger", {"depth": np.float64(floats[7]), "list": floats})
    recording = read_whole(path)
    state, event = recording.states[0], recording.events[0]

    def bits(values: list[float]) -> list[bytes]:
        return [np.float64(v).tobytes() for v in values]

    assert bits(state["values"]) == bits(floats)
    assert bits(state["vector"]) == bits(floats[:6])
    assert bits(event["list"]) == bits(floats)
    assert bits([event["depth"]]) == bits([floats[7]])
