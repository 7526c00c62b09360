"""Session recordings: MCAP files with JSON messages that survive a crash (DESIGN §7).

`RecordingWriter` writes one session; `read_recording` reads one back, including a file
cut off by a crash; `iter_messages` streams a large one. Channels, schemas and metadata
keys are in `trainer.record.schemas`.
"""

from trainer.record.reader import RecordedMessage, Recording, iter_messages, read_recording
from trainer.record.schemas import FORMAT
from trainer.record.writer import RecordingWriter

__all__ = [
    "FORMAT",
    "RecordedMessage",
    "Recording",
    "RecordingWriter",
    "iter_messages",
    "read_recording",
]
