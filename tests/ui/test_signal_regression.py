"""PySide6 6.12.0 on CPython 3.11 aborts after ~570 Signal.emit() calls ("Fatal Python error:
bool_dealloc"); pyproject.toml pins around it. The emitting runs in a child
process, so a crash fails this test instead of killing pytest."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

EMITTER = textwrap.dedent("""
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    class Sender(QObject):
        flag = Signal(bool)
        scanned = Signal(str, bool)
        changed = Signal(object)

    app = QCoreApplication([])
    sender = Sender()
    received = []
    sender.flag.connect(received.append)
    sender.scanned.connect(lambda raw, by_scanner: received.append(by_scanner))
    sender.changed.connect(received.append)
    for i in range(5000):
        sender.flag.emit(True)
        sender.scanned.emit("B-OP1", i % 2 == 0)
        sender.changed.emit(None)
    assert len(received) == 15000, len(received)
    print("emitted", len(received))
""")


def test_thousands_of_signal_emits_leave_the_process_alive():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", EMITTER], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert "emitted 15000" in result.stdout
