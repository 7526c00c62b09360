"""The LEE camera for the live stream: the image the trainee's window already rendered,
taken at a low rate and encoded to JPEG on a thread of its own (docs/DESIGN.md §12).

The window's feed is wrapped (`CameraTap`): when the LEE image is drawn and the last one
taken is at least ``1 / rate_hz`` old (wall time: this is the window's side, never the
simulation's) and no client waits for nothing, the image is copied (a 480x360 image:
~0.1 ms) and handed to the encoder thread, which encodes it with Pillow (the GIL released
while it encodes) and logs it on ``/camera/lee`` as ``foxglove.CompressedImage``. Nothing
is copied or encoded while no client subscribes, and a frame that finds the encoder still
busy is skipped, so the window never waits for it. bench/bench_live.py measures the cost.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

RGBImage = npt.NDArray[np.uint8]
CameraFeed = Callable[[str, tuple[int, int]], RGBImage]
DEFAULT_RATE_HZ = 5.0
JPEG_QUALITY = 70  # E: the overlay's thin lines stay legible at 480x360


def encode_jpeg(image: RGBImage, quality: int = JPEG_QUALITY) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(image, "RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


class CameraTap:
    """Wraps a ``CameraFeed``: hands every ``1 / rate_hz`` s a copy of the LEE image to
    ``publish(jpeg, time_ns)`` on the encoder thread, while ``wanted()`` (a client
    subscribes). ``time_ns()`` is the simulation time of the image shown."""

    def __init__(
        self,
        feed: CameraFeed,
        publish: Callable[[bytes, int], None],
        wanted: Callable[[], bool],
        time_ns: Callable[[], int],
        rate_hz: float = DEFAULT_RATE_HZ,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.feed = feed
        self._publish = publish
        self._wanted = wanted
        self._time_ns = time_ns
        self._period_s = 1.0 / rate_hz if rate_hz > 0 else float("inf")
        self._clock = clock
        self._last = -float("inf")
        self._pending: tuple[RGBImage, int] | None = None
        self._ready = threading.Event()
        self._stop = False
        self.taken = 0
        self.sent = 0
        self.failed = 0
        self.encode_s = 0.0
        self.copy_s = 0.0
        self._thread = threading.Thread(target=self._encode, name="live-camera", daemon=True)
        self._thread.start()

    def __call__(self, camera: str, size: tuple[int, int]) -> RGBImage:
        image = self.feed(camera, size)
        if camera == "lee" and self._pending is None:
            now = self._clock()
            if now - self._last >= self._period_s and self._wanted():
                self._last = now
                t0 = time.perf_counter()
                self._pending = (image.copy(), self._time_ns())
                self.copy_s += time.perf_counter() - t0  # what the frame pays (bench_live)
                self.taken += 1
                self._ready.set()
        return image

    def _encode(self) -> None:
        while True:
            self._ready.wait()
            self._ready.clear()
            if self._stop:
                return
            pending = self._pending
            if pending is None:
                continue
            t0 = time.perf_counter()
            try:
                data = encode_jpeg(pending[0])
                self._publish(data, pending[1])
                self.sent += 1
            except Exception:  # a lost frame is counted, never worth the window
                self.failed += 1
            finally:
                self.encode_s += time.perf_counter() - t0
                self._pending = None

    def close(self) -> None:
        """Stop the encoder thread; the wrapped feed's owner closes the feed."""
        self._stop = True
        self._ready.set()
        self._thread.join(timeout=2.0)
        closer = getattr(self.feed, "close", None)
        if closer is not None:
            closer()
