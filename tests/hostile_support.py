"""Shared by the hostile-input tests (issue 24): the command line in a subprocess with the
worktree's own interpreter, the one-line refusal check, and forged recordings (any
metadata, any /input bytes) written with mcap's own writer, so that a test can hand the
trainer what no trainer would write."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mcap.writer import CompressionType, Writer

from trainer.record.schemas import (
    CHANNELS,
    INPUT_TOPIC,
    MESSAGE_ENCODING,
    METADATA_NAME,
    SCHEMA_ENCODING,
    SUMMARY_METADATA_NAME,
    schema_bytes,
)
from trainer.record.seek import open_recording
from trainer.record.writer import metadata_strings

CLI = [sys.executable, "-m", "trainer.cli"]
ENV = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
TOPICS = tuple(topic for topic, _schema in CHANNELS)


def cli(*args: str, timeout: float = 120.0, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**ENV, **kwargs.pop("env", {})}
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
        errors="backslashreplace",
        **kwargs,
    )


def refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """The one stderr line of a refusal (exit 2, no traceback), holding every word."""
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def forge(
    source: Path,
    target: Path,
    *,
    metadata: Mapping[str, str] | None = None,
    summary: Mapping[str, str] | None = None,
    input_bytes: Callable[[int, bytes], bytes | None] | None = None,
) -> Path:
    """A copy of ``source`` written message for message (chunked and indexed like the
    trainer's), with its metadata strings (JSON text, as stored) replaced by ``metadata``
    where given, its summary by ``summary``, and each /input message's bytes passed through
    ``input_bytes(index, data)`` (None drops the message)."""
    with open_recording(source) as rec:
        meta = {**metadata_strings(rec.metadata), **(metadata or {})}
        summ = summary if summary is not None else metadata_strings(rec.summary or {})
        with target.open("wb") as stream:
            writer: Any = Writer(stream, compression=CompressionType.ZSTD)
            writer.start(profile="", library="forged")
            writer.add_metadata(METADATA_NAME, meta)
            ids: dict[str, int] = {}
            for topic, schema in CHANNELS:
                sid = writer.register_schema(
                    name=str(schema["title"]), encoding=SCHEMA_ENCODING, data=schema_bytes(schema)
                )
                ids[topic] = writer.register_channel(
                    topic=topic, message_encoding=MESSAGE_ENCODING, schema_id=sid
                )
            index = 0
            for topic, log_time, data in rec.raw_messages(TOPICS):
                if topic == INPUT_TOPIC and input_bytes is not None:
                    changed = input_bytes(index, data)
                    index += 1
                    if changed is None:
                        continue
                    data = changed
                writer.add_message(
                    channel_id=ids[topic], log_time=log_time, publish_time=log_time, data=data
                )
            writer.add_metadata(SUMMARY_METADATA_NAME, dict(summ))
            writer.finish()
    return target


def short_scenario(folder: Path) -> Path:
    """crs20-capture with a 2 s hard limit after free drift: nobody flying, a seed ends
    after 7 simulated seconds (a fraction of a second of work)."""
    import yaml

    from trainer.resources import data_dir

    data = yaml.safe_load((data_dir("scenarios") / "crs20-capture.yaml").read_text())
    data["id"] = "crs20-capture-short"
    data["time_limits"].update(hard_limit_s=2.0, penalty_until_s=1.5, full_credit_s=1.0)
    path = folder / "crs20-capture-short.yaml"
    path.write_text(yaml.safe_dump(data))
    return path
