"""Session recordings: MCAP files with JSON messages that survive a crash (docs/DESIGN.md §7).

`RecordingWriter` writes one session; `open_recording` opens one, finished or cut off by a
crash, and fetches any instant or streams its messages (trainer/record/seek.py); every
message and the metadata are decoded by one decoder into typed records
(trainer/record/decode.py, trainer/record/snapshot.py) and the /input stream is checked by
one check (trainer/record/inputs.py). Channels, schemas and metadata keys are in
`trainer.record.schemas`.
"""

from trainer.record.schemas import FORMAT
from trainer.record.seek import IndexedRecording, RecordedMessage, open_recording
from trainer.record.writer import RecordingWriter

__all__ = [
    "FORMAT",
    "IndexedRecording",
    "RecordedMessage",
    "RecordingWriter",
    "open_recording",
]
