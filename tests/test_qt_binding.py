"""The Qt binding itself: guards against a PySide6 release that would crash a long session."""

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_do_not_leak_references_to_none(qtbot):
    # PySide6 6.12.0 dropped a reference to None on every call returning nothing; on Python
    # 3.11 None's count then reaches zero after a few hours of use and the process aborts.
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert abs(sys.getrefcount(None) - before) < 100


def test_bundled_fonts_cover_arabic_devanagari_and_bengali(qtbot):
    from PySide6.QtGui import QFontDatabase

    from coachdesk.ui.fonts import load_bundled_fonts

    assert load_bundled_fonts() == 8
    families = set(QFontDatabase.families())
    assert {"Noto Sans", "Noto Sans Arabic", "Noto Sans Devanagari", "Noto Sans Bengali"} <= families
