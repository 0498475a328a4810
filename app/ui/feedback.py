"""What the operator sees and hears after each scan: a large banner and a distinct sound.

Sounds are generated as WAV files into the cache folder at first use (not committed) and
played with QtMultimedia's QSoundEffect. Without QtMultimedia (libpulse missing) or without an
audio device the feedback is silent; it never raises and never blocks the scan path.
"""

from __future__ import annotations

import logging
import math
import os
import struct
import wave
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtWidgets import QWidget

from app.ui.fitted import FittedLabel

log = logging.getLogger(__name__)

# Background, text: every pair has a contrast ratio of at least 7:1 (WCAG AAA).
BANNER_COLOURS = {
    "idle": ("#e8ecef", "#000000"),
    "ok": ("#0b5d1e", "#ffffff"),
    "attention": ("#ffc400", "#000000"),
    "error": ("#a50e0e", "#ffffff"),
}
KINDS = ("ok", "attention", "error")


class Banner(FittedLabel):
    """A full-width message in big bold type whose colour says how the last scan went.

    Always two lines high, whatever the message: a longer one ends in "…" and shows whole in
    the tooltip (and in the scan journal), so the scan field below never moves. Hidden when
    idle (``hide_when_idle``), it still keeps its place."""

    def __init__(self, parent: QWidget | None = None, *, hide_when_idle: bool = False) -> None:
        super().__init__(2, parent)
        self.hide_when_idle = hide_when_idle  # screens where a message is the exception
        self.setObjectName("banner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.state = "idle"
        self._paint("idle")

    def show_message(self, state: str, text: str) -> None:
        self.state = state
        self.setText(text)
        self._paint(state)
        if self.hide_when_idle:
            self.setVisible(state != "idle")

    def clear_message(self) -> None:
        self.show_message("idle", "")

    def _paint(self, state: str) -> None:
        background, foreground = BANNER_COLOURS[state]
        # Set on the widget itself so the colours hold with or without the app stylesheet.
        self.setStyleSheet(
            f"QLabel#banner {{ background: {background}; color: {foreground};"
            " font-size: 30pt; font-weight: bold; padding: 14px; border-radius: 6px; }"
        )


def _tone(frequencies: list[tuple[float, float]], rate: int = 22050, square: bool = False) -> bytes:
    """16-bit mono samples for (frequency Hz, seconds) segments; frequency 0 is silence."""
    frames = bytearray()
    for frequency, seconds in frequencies:
        count = int(rate * seconds)
        fade = max(1, int(rate * 0.008))  # 8 ms ramps: no clicks
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade)
            value = math.sin(2 * math.pi * frequency * i / rate) if frequency else 0.0
            if square:
                value = 0.6 * math.copysign(1.0, value) + 0.4 * value
            frames += struct.pack("<h", int(0.5 * 32767 * envelope * value))
    return bytes(frames)


SOUND_SHAPES = {
    "ok": lambda: _tone([(1760.0, 0.12)]),  # one short high beep
    "attention": lambda: _tone([(880.0, 0.09), (0.0, 0.07), (880.0, 0.09)]),  # double beep
    "error": lambda: _tone([(180.0, 0.45)], square=True),  # low buzz
}
SOUND_VERSION = 1  # bump when a shape changes: the cache is regenerated


def sound_file(kind: str, cache: Path) -> Path:
    """The WAV for ``kind`` in ``cache``, written on first use."""
    path = cache / f"{kind}-v{SOUND_VERSION}.wav"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    with wave.open(str(partial), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(22050)
        out.writeframes(SOUND_SHAPES[kind]())
    os.replace(partial, path)
    return path


class Sounds(QObject):
    """Plays ok / attention / error. ``played`` is emitted even when no device can play it."""

    played = Signal(str)

    def __init__(self, cache: Path, *, enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.enabled = enabled
        self._effects: dict[str, object] | None = None  # None: not tried yet; {}: silent

    def play(self, kind: str) -> None:
        if not self.enabled:
            return
        self.played.emit(kind)
        effect = self._load().get(kind)
        if effect is not None:
            try:
                effect.play()
            except Exception:  # a sound problem must never stop a scan
                log.exception("cannot play %s", kind)

    @property
    def audible(self) -> bool:
        return bool(self._load())

    def _load(self) -> dict[str, object]:
        if self._effects is None:
            self._effects = {}
            try:
                self._effects = self._create_effects()
            except Exception as exc:  # noqa: BLE001 - ImportError without libpulse, backend errors...
                log.info("sound disabled: %s", exc)
        return self._effects

    def _create_effects(self) -> dict[str, object]:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

        if not QMediaDevices.audioOutputs():
            log.info("sound disabled: no audio output device")
            return {}
        effects = {}
        for kind in KINDS:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(sound_file(kind, self.cache))))
            effect.setVolume(0.8)
            effects[kind] = effect
        return effects


class Feedback:
    """Banner and sound together: ``feedback.ok(text)``, ``.attention(text)``, ``.error(text)``."""

    def __init__(self, banner: Banner, sounds: Sounds | None) -> None:
        self.banner = banner
        self.sounds = sounds

    def ok(self, text: str) -> None:
        self._show("ok", text)

    def attention(self, text: str) -> None:
        self._show("attention", text)

    def error(self, text: str) -> None:
        self._show("error", text)

    def clear(self) -> None:
        self.banner.clear_message()

    def _show(self, kind: str, text: str) -> None:
        self.banner.show_message(kind, text)
        if self.sounds is not None:
            self.sounds.play(kind)
