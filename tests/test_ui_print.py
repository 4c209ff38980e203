"""Print / Save as PDF from the screens, with a preview: the pages show, another language lays them
out again, and Save writes the PDF the preview showed."""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import func, select

from coachdesk.model import Assessment, CoachingSession, Mentee, SessionParticipant
from coachdesk.ui.dialogs import print_preview
from coachdesk.ui.views.mentee_page import MenteePage
from coachdesk.ui.views.reference import ToolboxPage
from coachdesk.ui.views.sessions import SessionsPage


def shown_pages(dialog) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for label in dialog.scroll.widget().findChildren(QLabel) if label.pixmap() and
               not label.pixmap().isNull())


def test_printing_an_assessment_summary_previews_and_saves_it(qtbot, demo_context, tmp_path, monkeypatch):
    with demo_context.db.read() as s:
        mentee_id, name = s.execute(select(Mentee.id, Mentee.name).join(Assessment, Assessment.mentee_id == Mentee.id)
                                    .order_by(Mentee.name).limit(1)).one()
    page = MenteePage(demo_context)
    qtbot.addWidget(page)
    page.show_mentee(mentee_id)
    dialog = page.print_document("assessment")
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10000)
    assert shown_pages(dialog) >= 1 and "page" in dialog.status.text()
    english = dialog.data
    dialog.language.setCurrentIndex(dialog.language.findData("ar"))
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled() and dialog.data != english, timeout=10000)
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr(print_preview, "choose_pdf_path", lambda _parent, _suggested: target)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == dialog.data
    document = pdfium.PdfDocument(str(target))
    text = document[0].get_textpage().get_text_range()
    assert "ملخص" in text or "التقييم" in text  # Arabic captions, not English
    assert all(part in text for part in name.split())
    document.close()
    assert "Saved" in dialog.status.text() or "حُفظ" in dialog.status.text() or str(target) in dialog.status.text()


def test_sessions_page_prints_an_attendance_sheet_for_the_chosen_session(qtbot, demo_context):
    with demo_context.db.read() as s:
        session_id = s.execute(select(CoachingSession.id).join(
            SessionParticipant, SessionParticipant.session_id == CoachingSession.id).group_by(CoachingSession.id)
            .order_by(func.count().desc()).limit(1)).scalar_one()
    page = SessionsPage(demo_context)
    qtbot.addWidget(page)
    page.show()
    page.show_session(session_id)
    qtbot.waitUntil(lambda: page.print_button.isEnabled(), timeout=5000)
    dialog = page.print_document("attendance")
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10000)
    assert shown_pages(dialog) == 1


def test_toolbox_page_prints_the_chosen_methods_handout(qtbot, demo_context):
    page = ToolboxPage(demo_context)
    qtbot.addWidget(page)
    page.methods.setCurrentRow(2)
    dialog = page.print_handout()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10000)
    assert shown_pages(dialog) == 1


def test_reports_page_previews_the_evaluation_report_and_saves_its_figures(qtbot, demo_context, tmp_path,
                                                                         monkeypatch):
    from PySide6.QtCore import QDate

    from coachdesk.ui.views import reports
    from coachdesk.ui.views.reports import ReportsPage

    page = ReportsPage(demo_context)
    qtbot.addWidget(page)
    page.evaluation_from.setDate(QDate(2026, 1, 1))
    assert page.evaluation_period()[0].isoformat() == "2026-01-01" and page.evaluation_period()[1] is None
    dialog = page.preview_evaluation()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10000)
    assert shown_pages(dialog) >= 1
    target = tmp_path / "figures.csv"
    monkeypatch.setattr(reports, "choose_save_path", lambda *_args: target)
    qtbot.mouseClick(page.evaluation_csv_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=10000)
    assert target.read_text(encoding="utf-8").splitlines()[1] == "period,from,date,2026-01-01"
    qtbot.waitUntil(lambda: str(target) in page.status.text())
