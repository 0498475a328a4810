"""Banner colours and texts, and the three sounds."""

from __future__ import annotations

import sys
import wave

import pytest
from PySide6.QtGui import QColor

from app.ui.feedback import BANNER_COLOURS, Banner, Feedback, Sounds, sound_file


def background_of(qtbot, banner) -> QColor:
    banner.resize(600, 120)
    banner.show()
    qtbot.waitExposed(banner)
    image = banner.grab().toImage()
    return image.pixelColor(4, image.height() // 2)  # inside the padding, clear of the text


@pytest.mark.parametrize("state", ["ok", "attention", "error"])
def test_banner_shows_the_text_in_its_colour(qtbot, state):
    banner = Banner()
    qtbot.addWidget(banner)
    banner.show_message(state, "Received 3 x WIDGET")
    assert banner.text() == "Received 3 x WIDGET"
    colour = background_of(qtbot, banner)
    assert colour.name() == BANNER_COLOURS[state][0]


def test_colours_are_told_apart_at_a_glance(qtbot):
    seen = {}
    for state in ("ok", "attention", "error"):
        banner = Banner()
        qtbot.addWidget(banner)
        banner.show_message(state, "x")
        seen[state] = background_of(qtbot, banner)
    ok, attention, error = seen["ok"], seen["attention"], seen["error"]
    assert ok.green() > ok.red() and error.red() > error.green() + 100
    assert attention.red() > 200 and attention.green() > 150 and attention.blue() < 80


def test_the_three_sounds_are_short_distinct_wav_files(tmp_path):
    files = {kind: sound_file(kind, tmp_path) for kind in ("ok", "attention", "error")}
    lengths = {}
    for kind, path in files.items():
        with wave.open(str(path)) as wav:
            assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
            lengths[kind] = wav.getnframes() / wav.getframerate()
    assert all(0.05 < seconds < 0.6 for seconds in lengths.values())
    assert len({path.read_bytes() for path in files.values()}) == 3
    assert lengths["error"] > lengths["attention"] > lengths["ok"]


def test_without_an_audio_device_sounds_are_silent_not_errors(qtbot, sounds):
    with qtbot.waitSignal(sounds.played) as signal:
        sounds.play("error")
    assert signal.args == ["error"]
    assert sounds.audible in (True, False)  # whatever the machine has, nothing raised


def test_without_qtmultimedia_sounds_are_silent(qtbot, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # import now fails
    quiet = Sounds(tmp_path)
    quiet.play("ok")
    assert quiet.audible is False


def test_feedback_shows_and_sounds_together(qtbot, sounds):
    banner = Banner()
    qtbot.addWidget(banner)
    feedback = Feedback(banner, sounds)
    with qtbot.waitSignal(sounds.played) as signal:
        feedback.attention("Check the quantity")
    assert (banner.state, banner.text(), signal.args) == ("attention", "Check the quantity", ["attention"])
    sounds.enabled = False
    with qtbot.assertNotEmitted(sounds.played):
        feedback.error("Wrong location")
    assert banner.state == "error"
    feedback.clear()
    assert banner.state == "idle" and banner.text() == ""
