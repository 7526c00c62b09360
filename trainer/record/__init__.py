"""Session recordings: MCAP files with JSON messages that survive a crash (docs/DESIGN.md §7).

`RecordingWriter` writes one session; `open_recording` opens one for seeking (any instant
from the MCAP indexes: `state_at`, `input_at`, `transforms_at`, `events`; a crashed file
by one scan); `read_recording` reads a whole one into memory, including a file cut off by
a crash; `iter_messages` streams one in file order. Channels, schemas and metadata keys
are in `trainer.record.schemas`.
"""

from trainer.record.reader import RecordedMessage, Recording, iter_messages, read_recording
from trainer.record.schemas import FORMAT
from trainer.record.seek import IndexedRecording, open_recording
from trainer.record.writer import RecordingWriter

__all__ = [
    "FORMAT",
    "IndexedRecording",
    "RecordedMessage",
    "Recording",
    "RecordingWriter",
    "iter_messages",
    "open_recording",
    "read_recording",
]
