"""The master alarm tone (pygame.mixer): a 1 kHz beep pattern looped until acknowledged.
Silent where there is no audio device (the dummy driver in tests, a headless server)."""

from __future__ import annotations

import numpy as np
import pygame

from trainer.quiet import fd2_silenced

TONE_HZ = 1000.0  # E: a caution-and-warning tone in the 1 kHz band people hear best
BEEP_S = 0.25


class AlarmTone:
    def __init__(self) -> None:
        self._sound: pygame.mixer.Sound | None = None
        self.playing = False
        try:
            if not pygame.mixer.get_init():
                with fd2_silenced():  # ALSA's complaints where there is no sound card
                    pygame.mixer.init()
            init = pygame.mixer.get_init()
            if init is None:
                return
            rate, _fmt, channels = init
            n = int(rate * BEEP_S)
            t = np.arange(2 * n) / rate
            wave = 0.3 * np.sin(2 * np.pi * TONE_HZ * t) * (np.arange(2 * n) < n)
            samples = (wave * 32767).astype(np.int16)
            if channels > 1:
                samples = np.repeat(samples[:, None], channels, axis=1)
            self._sound = pygame.sndarray.make_sound(np.ascontiguousarray(samples))
        except (pygame.error, ValueError, TypeError):
            self._sound = None  # no audio: the light still shows

    def start(self) -> None:
        if self._sound is not None and not self.playing:
            self._sound.play(loops=-1)
        self.playing = True

    def stop(self) -> None:
        if self._sound is not None and self.playing:
            self._sound.stop()
        self.playing = False
