"""Copies of a recording, message for message, optionally with its inputs altered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from trainer.record import RecordingWriter
from trainer.record.seek import open_recording
from trainer.record.writer import WRITER_METADATA_KEYS

RESERVED = WRITER_METADATA_KEYS
TOPICS = ("/input", "/state", "/events", "/checkpoint", "/tf")


def copy_recording(
    source: Path,
    target: Path,
    alter_input: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    alter_state: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    alter_metadata: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    alter_summary: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> None:
    """Rewrite every message of ``source`` into ``target`` (the same bytes when nothing is
    altered); ``alter_input`` may change each /input payload (with tick and time_s),
    ``alter_state`` each /state payload (with time_s), ``alter_metadata`` the metadata
    (the writer then adds its own keys again, this machine's fingerprint among them),
    ``alter_summary`` the summary written at the close."""
    with open_recording(source) as rec:
        metadata = {k: v for k, v in rec.metadata.items() if k not in RESERVED}
        if alter_metadata is not None:
            metadata = alter_metadata(metadata)
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
                    if alter_state is not None:
                        p = alter_state({"time_s": t, **p})
                        p.pop("time_s")
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
            summary = rec.summary
            if alter_summary is not None and summary is not None:
                summary = alter_summary(dict(summary))
            writer.close(summary)
