"""The Qt binding must not lose references to Python's singletons.

PySide6 6.12.0 on Python 3.11 dropped one reference to ``None`` on every Qt call that
returns nothing, and one to ``True`` on every signal emitted from Python; a long session
or a large printed plan then aborted the interpreter ("deallocating None"). pyproject
keeps that release out; these tests catch the fault should a later release bring it back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

CALLS = 2000


def test_qt_calls_that_return_nothing_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("Acme Foods")
    assert sys.getrefcount(None) > before - CALLS // 2


def test_signals_emitted_from_python_keep_true_alive(qtbot):
    class Probe(QObject):
        ping = Signal()

    probe = Probe()
    before = sys.getrefcount(True)
    for _ in range(CALLS):
        probe.ping.emit()
    assert sys.getrefcount(True) > before - CALLS // 2
