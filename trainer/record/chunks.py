"""Reading one MCAP chunk's messages, fast: a replay reads every chunk of a recording.

``read_chunk_messages(file, topics)`` reads the chunk record at the file's position (just
after its opcode and length), decompresses it, checks its CRC and walks its records with
``struct`` offsets (the MCAP format: each record an opcode byte, a little-endian u64 length
and its content; a message's content a u16 channel id, u32 sequence, u64 log and publish
times, then its data). It raises on anything damaged; the caller names the chunk.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import IO, Any, cast

import zstandard
from mcap.data_stream import ReadDataStream
from mcap.opcode import Opcode
from mcap.records import Channel, Chunk


def read_chunk_messages(file: IO[bytes], topics: dict[int, str]) -> list[tuple[str, int, bytes]]:
    """The messages of the chunk at ``file``'s position (see ``chunk_messages``)."""
    return chunk_messages(Chunk.read(cast(Any, _ChunkStream(file))), topics)


_RECORD_HEADER = struct.Struct("<BQ")  # opcode, content length
_MESSAGE_HEADER = struct.Struct("<HIQQ")  # channel id, sequence, log time, publish time


def _uncompressed(chunk: Chunk) -> bytes:
    """A chunk's records, decompressed and checked against its CRC (the MCAP format)."""
    if chunk.compression == "zstd":
        data: bytes = zstandard.decompress(chunk.data, chunk.uncompressed_size)
    elif chunk.compression == "":
        data = chunk.data
    else:
        raise ValueError(f"chunk compression {chunk.compression!r} is not one the trainer writes")
    if chunk.uncompressed_crc != 0 and zlib.crc32(data) != chunk.uncompressed_crc:
        raise ValueError("the chunk's CRC does not match its contents")
    return data


def chunk_messages(chunk: Chunk, topics: dict[int, str]) -> list[tuple[str, int, bytes]]:
    """The messages of one chunk as (topic, log_time_ns, data), in order; a channel record
    met on the way is added to ``topics``. A replay reads every chunk, so the records are
    walked with ``struct`` offsets: 5x the general record reader (``breakup_chunk``),
    which builds an object per record through a stream of small reads."""
    data = _uncompressed(chunk)
    end = len(data)
    out: list[tuple[str, int, bytes]] = []
    offset = 0
    while offset < end:
        opcode, length = _RECORD_HEADER.unpack_from(data, offset)
        start = offset + _RECORD_HEADER.size
        offset = start + length
        if offset > end:
            raise ValueError("a record runs past the end of its chunk")
        if opcode == Opcode.MESSAGE:
            channel_id, _sequence, log_time, _publish = _MESSAGE_HEADER.unpack_from(data, start)
            topic = topics.get(channel_id)
            if topic is not None:
                out.append((topic, log_time, data[start + _MESSAGE_HEADER.size : offset]))
        elif opcode == Opcode.CHANNEL:
            channel = Channel.read(ReadDataStream(io.BytesIO(data[start:offset])))
            topics.setdefault(channel.id, channel.topic)
    return out


class _ChunkStream:
    """The minimal ``ReadDataStream`` that ``Chunk.read`` needs, over a seekable file,
    raising on a short read instead of handing back fewer bytes."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file

    def read(self, length: int) -> bytes:
        data = self._file.read(length)
        if len(data) != length:
            raise EOFError(f"the file ends inside a chunk ({len(data)} of {length} bytes)")
        return data

    def read4(self) -> int:
        return int.from_bytes(self.read(4), "little")

    def read8(self) -> int:
        return int.from_bytes(self.read(8), "little")
