"""Copies of a recording, message for message, optionally with its inputs altered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from trainer.record import RecordingWriter
from trainer.record.seek import open_recording

RESERVED = ("format", "trainer_version", "pybullet_version", "pybullet_api_version")
TOPICS = ("/input", "/state", "/events", "/checkpoint", "/tf")


def copy_recording(
    source: Path,
    target: Path,
    alter_input: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> None:
    """Rewrite every message of ``source`` into ``target`` (the same bytes when nothing is
    altered); ``alter_input`` may change each /input payload (with tick and time_s)."""
    with open_recording(source) as rec:
        metadata = {k: v for k, v in rec.metadata.items() if k not in RESERVED}
        with RecordingWriter(target, metadata) as writer:
            for message in rec.messages(TOPICS):
                p = dict(message.payload)
                t = p.pop("time_s", message.time_s)
                if message.topic == "/input":
                    if alter_input is not None:
                        p = alter_input({"time_s": t, **p})
                        p.pop("time_s")
                    tick = p.pop("tick")
                    writer.write_input(tick, t, p)
                elif message.topic == "/state":
                    writer.write_state(t, p)
                elif message.topic == "/events":
                    kind = p.pop("kind")
                    writer.write_event(t, kind, p)
                elif message.topic == "/checkpoint":
                    writer.write_checkpoint(p["tick"], t, p["step"], p["digest"])
                else:
                    transforms = [
                        {k: v for k, v in x.items() if k != "timestamp"} for x in p["transforms"]
                    ]
                    writer.write_tf(message.time_s, transforms)
            writer.close(rec.summary)
