"""The Mentees page as a coach uses it: filter as one types, sort, add, edit, archive, drafts, the mentee page."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel as QLabelType
from sqlalchemy import select

from coachdesk.i18n import format_date
from coachdesk.model import (
    ActionStatus,
    Assessment,
    Capacity,
    CapacityRating,
    CoachingSession,
    FieldClock,
    JourneyStage,
    Mentee,
    MenteeKind,
    Plan,
    PlanAction,
    PlanGoal,
    PlanStatus,
    RowClock,
    SessionKind,
    SessionParticipant,
    named_id,
    uuid7,
)
from coachdesk.services.drafts import drafts_dir, pending_drafts
from coachdesk.services.mentees import MenteeForm, save_mentee
from coachdesk.ui.dialogs import mentee_dialog
from coachdesk.ui.dialogs.mentee_dialog import MenteeDialog
from coachdesk.ui.views import mentee_page
from coachdesk.ui.views.mentees import MenteesPage
from coachdesk.ui.widgets.journey_steps import CURRENT, DONE, UPCOMING

PEOPLE = [
    MenteeForm("Amina Bello", MenteeKind.PERSON, "Hausa Wikimedians", "West Africa", ["ha", "en"],
               JourneyStage.ASSESSMENT),
    MenteeForm("Bruno Costa", MenteeKind.PERSON, "Wiki Movimento Brasil", "South America", ["pt"],
               JourneyStage.PLANNING),
    MenteeForm("Kano editathon circle", MenteeKind.GROUP, "Hausa Wikimedians", "West Africa", ["ha"],
               JourneyStage.FIRST_CONTACT),
    MenteeForm("Lagos library volunteers", MenteeKind.ORGANIZATION, "Yoruba Wikipedia community", "Nigeria",
               ["yo", "en"], JourneyStage.FUNDING),
]


@pytest.fixture
def people(ui_context):
    ids = {}
    with ui_context.db.write() as s:
        for form in PEOPLE:
            ids[form.name] = save_mentee(s, form)
    return ids


@pytest.fixture
def page(qtbot, ui_context, people):
    widget = MenteesPage(ui_context)
    qtbot.addWidget(widget)
    widget.resize(1000, 560)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def answers(monkeypatch):
    """Answers to the confirmations the page asks, in order; records each question."""
    asked: list[str] = []
    replies: list[bool] = []

    def confirm(_parent, _title, question, _yes):
        asked.append(question)
        return replies.pop(0)

    monkeypatch.setattr(mentee_page, "confirm", confirm)
    return asked, replies


def names(page: MenteesPage) -> list[str]:
    model = page.table.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def select_row(page: MenteesPage, name: str) -> None:
    position = names(page).index(name)
    page.table.setFocus()
    page.table.selectRow(position)


def click_header(qtbot, page: MenteesPage, column: int) -> None:
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_typing_in_the_filter_narrows_the_rows_and_the_count(qtbot, page):
    assert names(page) == ["Amina Bello", "Bruno Costa", "Kano editathon circle", "Lagos library volunteers"]
    assert page.count_label.text() == "4 mentees"
    qtbot.keyClicks(page.filter_edit, "hausa")  # the community's name
    qtbot.waitUntil(lambda: page.count_label.text() == "2 mentees")
    assert names(page) == ["Amina Bello", "Kano editathon circle"]
    page.filter_edit.clear()
    qtbot.keyClicks(page.filter_edit, "COST")
    qtbot.waitUntil(lambda: names(page) == ["Bruno Costa"])
    assert page.count_label.text() == "1 mentee"
    qtbot.keyClicks(page.filter_edit, "xyz")
    qtbot.waitUntil(lambda: page.count_label.text() == "0 mentees")
    assert not page.open_button.isEnabled()


def test_kind_stage_and_language_filters(qtbot, page):
    page.kind_combo.setCurrentIndex(page.kind_combo.findText("Group"))
    assert names(page) == ["Kano editathon circle"]
    page.kind_combo.setCurrentIndex(0)
    page.stage_combo.setCurrentIndex(page.stage_combo.findText("Planning"))
    assert names(page) == ["Bruno Costa"]
    page.stage_combo.setCurrentIndex(0)
    languages = [page.language_combo.itemText(i) for i in range(page.language_combo.count())]
    assert languages == ["All languages", "English", "Hausa", "Portuguese", "Yoruba"]
    page.language_combo.setCurrentIndex(page.language_combo.findText("English"))
    assert names(page) == ["Amina Bello", "Lagos library volunteers"]
    assert page.count_label.text() == "2 mentees"


def test_clicking_a_column_header_sorts_in_sql(qtbot, page):
    click_header(qtbot, page, 2)  # Community, A→Z
    assert names(page)[0] in ("Amina Bello", "Kano editathon circle")
    click_header(qtbot, page, 2)  # Z→A
    assert names(page)[0] == "Lagos library volunteers"
    click_header(qtbot, page, 5)  # Region
    assert names(page)[0] == "Lagos library volunteers"  # Nigeria < South America < West Africa
    assert page.table.horizontalHeader().sortIndicatorSection() == 5


def test_adding_a_mentee_through_the_dialog(qtbot, page, ui_context):
    page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.findChild(MenteeDialog) is not None)
    dialog = page.findChild(MenteeDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "Zainab Yusuf")
    dialog.kind.setCurrentIndex(dialog.kind.findText("Organization"))
    qtbot.keyClicks(dialog.community.lineEdit(), "Hausa Wikimedians")
    qtbot.keyClicks(dialog.languages, "ha; en")
    assert "Hausa, English" in dialog.languages_hint.text()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Zainab Yusuf" in names(page)
    assert page.count_label.text() == "5 mentees"
    assert page.selected_row() is not None and page.selected_row().name == "Zainab Yusuf"
    with ui_context.db.read() as s:
        mentee = s.scalars(select(Mentee).where(Mentee.name == "Zainab Yusuf")).one()
        assert (mentee.kind, mentee.languages) == (MenteeKind.ORGANIZATION, ["ha", "en"])
        assert s.get(RowClock, mentee.id) is not None
    assert not list(drafts_dir().glob("*.json"))


def test_saving_without_a_name_shows_the_problem_and_keeps_nothing(qtbot, page, ui_context):
    dialog = page.add_mentee()
    qtbot.keyClicks(dialog.region, "Sahel")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.problems.isVisible() and dialog.problems.text() == "Give the mentee a name."
    assert dialog.isVisible()
    ui_context.tasks.wait_idle()
    with ui_context.db.read() as s:
        assert s.scalars(select(Mentee).where(Mentee.region == "Sahel")).first() is None


def test_editing_a_field_keeps_the_change(qtbot, page, ui_context, people):
    select_row(page, "Bruno Costa")
    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    dialog = page.findChild(MenteeDialog)
    assert dialog.name.text() == "Bruno Costa" and dialog.region.text() == "South America"
    dialog.region.selectAll()
    qtbot.keyClicks(dialog.region, "Recife")
    qtbot.keyClick(dialog.region, Qt.Key.Key_Return)  # Enter saves: Save is the default button
    qtbot.waitUntil(lambda: page.model.row_at(names(page).index("Bruno Costa")).region == "Recife")
    assert page.selected_row().name == "Bruno Costa"
    with ui_context.db.read() as s:
        mentee = s.get(Mentee, people["Bruno Costa"])
        assert mentee.region == "Recife"
        assert s.get(FieldClock, (mentee.id, "region")) is not None


def test_archive_asks_then_hides_and_show_archived_brings_it_back(qtbot, page, ui_context, people, answers):
    asked, replies = answers
    select_row(page, "Amina Bello")
    assert page.archive_button.text() == "A&rchive"
    replies.append(False)
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert asked and "Amina Bello" in asked[0]
    ui_context.tasks.wait_idle()
    assert "Amina Bello" in names(page)

    replies.append(True)
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Amina Bello" not in names(page))
    assert page.count_label.text() == "3 mentees"
    with ui_context.db.read() as s:
        assert s.get(Mentee, people["Amina Bello"]).archived

    page.show_archived.setChecked(True)
    assert "Amina Bello (archived)" in names(page)
    index = page.model.index(names(page).index("Amina Bello (archived)"), 0)
    font = index.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    select_row(page, "Amina Bello (archived)")
    assert page.archive_button.text() == "Unarch&ive"
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)  # unarchiving asks nothing
    qtbot.waitUntil(lambda: "Amina Bello" in names(page))
    assert len(asked) == 2


def test_a_draft_is_written_while_typing_and_restored_after_a_crash(qtbot, ui_context, monkeypatch):
    monkeypatch.setattr(mentee_dialog, "DRAFT_DELAY_MS", 50)
    dialog = MenteeDialog(ui_context, None)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Hauwa Garba")
    qtbot.keyClicks(dialog.languages, "ha; e")
    qtbot.keyClicks(dialog.private_notes, "Prefers calls after 6 pm")
    draft_file = drafts_dir() / "mentee_new.json"
    qtbot.waitUntil(lambda: draft_file.exists() and "after 6 pm" in draft_file.read_text(encoding="utf-8"))
    # The "crash": the dialog goes away without being saved or closed.
    dialog._draft_timer.stop()
    dialog.hide()
    dialog.deleteLater()

    [draft] = pending_drafts()
    assert (draft.key, draft.kind) == ("mentee:new", "mentee")
    assert "Hauwa Garba" in draft.title
    restored = MenteeDialog.from_draft(ui_context, draft, None)
    qtbot.addWidget(restored)
    assert restored.name.text() == "Hauwa Garba"
    assert restored.languages.text() == "ha; e"
    assert restored.private_notes.toPlainText() == "Prefers calls after 6 pm"
    assert restored.has_unsaved_changes()
    qtbot.mouseClick(restored.save_button, Qt.MouseButton.LeftButton)
    assert "“e” is not a language code" in restored.problems.text()  # the half-typed code is kept, and caught
    restored.languages.setFocus()
    qtbot.keyClick(restored.languages, Qt.Key.Key_End)
    qtbot.keyClicks(restored.languages, "n")
    qtbot.mouseClick(restored.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: restored.result() == MenteeDialog.DialogCode.Accepted)
    assert pending_drafts() == []
    with ui_context.db.read() as s:
        assert s.scalars(select(Mentee.private_notes).where(Mentee.name == "Hauwa Garba")).one() == \
            "Prefers calls after 6 pm"


def test_escape_with_unsaved_changes_asks_before_discarding(qtbot, ui_context, monkeypatch):
    questions = []
    replies = [False, True]
    monkeypatch.setattr(mentee_dialog, "ask", lambda _p, _t, q, _y: questions.append(q) or replies.pop(0))
    dialog = MenteeDialog(ui_context, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert not dialog.isVisible() and questions == []
    dialog = MenteeDialog(ui_context, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Musa")
    dialog.save_draft_now()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    assert dialog.isVisible() and len(questions) == 1 and pending_drafts()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and pending_drafts() == []


# -- the mentee page ------------------------------------------------------------------------------


@pytest.fixture
def history(ui_context, people):
    """Bruno Costa: two assessments, a session, an active plan with one action done."""
    mid = people["Bruno Costa"]
    with ui_context.db.write() as s:
        caps = {c.key: c.id for c in s.scalars(select(Capacity).where(
            Capacity.key.in_(["legal", "community_outreach", "it_safety"])))}
        for day, levels in ((date(2026, 1, 10), {"legal": 1, "community_outreach": 2}),
                            (date(2026, 5, 1), {"legal": 3, "community_outreach": 2, "it_safety": 4})):
            assessment = Assessment(id=uuid7(), mentee_id=mid, assessed_on=day)
            s.add(assessment)
            s.flush()
            for key, level in levels.items():
                s.add(CapacityRating(id=named_id(assessment.id, caps[key]), assessment_id=assessment.id,
                                     capacity_id=caps[key], level=level))
        session = CoachingSession(id=uuid7(), kind=SessionKind.MENTORING, title="Budget talk",
                                  started_at=datetime(2026, 3, 3, 10), duration_minutes=90)
        s.add(session)
        s.flush()
        s.add(SessionParticipant(id=named_id(session.id, mid), session_id=session.id, mentee_id=mid))
        plan = Plan(id=uuid7(), mentee_id=mid, title="Outreach plan", status=PlanStatus.ACTIVE,
                    created_on=date(2026, 2, 1))
        s.add(plan)
        s.flush()
        goal = PlanGoal(id=uuid7(), plan_id=plan.id, capacity_id=caps["community_outreach"],
                        description="Reach two schools", position=0)
        s.add(goal)
        s.flush()
        s.add(PlanAction(id=uuid7(), goal_id=goal.id, description="Meet the head teacher", status=ActionStatus.DONE,
                         completed_on=date(2026, 4, 2), position=0))
    return {"mentee": mid, "session": session.id}


def test_enter_opens_the_mentee_page_and_escape_comes_back_to_the_same_row(qtbot, page, history):
    qtbot.keyClicks(page.filter_edit, "o")
    qtbot.waitUntil(lambda: page.count_label.text() == "4 mentees")  # every name holds an "o"
    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.selected_row().name == "Bruno Costa"
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.mentee_page
    assert page.mentee_page.title.text() == "Bruno Costa"
    qtbot.keyClick(page.mentee_page.focusWidget() or page.mentee_page, Qt.Key.Key_Escape)
    assert page.stack.currentWidget() is page.list_widget
    assert page.filter_edit.text() == "o"
    assert page.selected_row().name == "Bruno Costa" and page.table.hasFocus()


def test_mentee_page_shows_steps_timeline_plan_and_radar(qtbot, page, history):
    page.show_mentee(history["mentee"])
    view = page.mentee_page
    steps = view.steps
    assert [steps.state_of(s) for s in JourneyStage] == [DONE, DONE, CURRENT, UPCOMING, UPCOMING, UPCOMING]
    assert steps.button(JourneyStage.PLANNING).accessibleName() == "Planning: current stage"
    rows = [view.timeline.item(i).text() for i in range(view.timeline.count())]
    assert rows == [
        f"{format_date(date(2026, 5, 1))} · Assessment\n3 capacities rated, average level 3",
        f"{format_date(date(2026, 4, 2))} · Plan action done\nMeet the head teacher",
        f"{format_date(date(2026, 3, 3))} · Mentoring · 1 h 30 min\nBudget talk",
        f"{format_date(date(2026, 2, 1))} · Plan created\nOutreach plan",
        f"{format_date(date(2026, 1, 10))} · Assessment\n2 capacities rated, average level 1.5",
    ]
    assert "Community outreach: Reach two schools" in view.plan_view.toPlainText()
    assert "Done · Meet the head teacher" in view.plan_view.toPlainText()
    assert len(view.radar.axes) == 3
    assert [s.label for s in view.radar.series] == [format_date(date(2026, 1, 10)), format_date(date(2026, 5, 1))]
    assert "No consent recorded" in view.consent.text()

    opened = []
    view.session_activated.connect(opened.append)
    view.timeline.setCurrentRow(2)
    qtbot.keyClick(view.timeline, Qt.Key.Key_Return)
    assert opened == [history["session"]]


def test_clicking_a_later_step_and_confirming_moves_the_stage(qtbot, page, ui_context, history, answers):
    asked, replies = answers
    page.show_mentee(history["mentee"])
    steps = page.mentee_page.steps
    replies.append(False)
    qtbot.mouseClick(steps.button(JourneyStage.FUNDING), Qt.MouseButton.LeftButton)
    assert asked == ["Move Bruno Costa to Funding?"]
    ui_context.tasks.wait_idle()
    assert steps.state_of(JourneyStage.PLANNING) == CURRENT

    replies.append(True)
    qtbot.mouseClick(steps.button(JourneyStage.FUNDING), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: steps.state_of(JourneyStage.FUNDING) == CURRENT)
    assert steps.state_of(JourneyStage.PLANNING) == DONE
    with ui_context.db.read() as s:
        assert s.get(Mentee, history["mentee"]).journey_stage is JourneyStage.FUNDING
    # The list, behind the page, follows too.
    assert page.model.row_at(names(page).index("Bruno Costa")).journey_stage is JourneyStage.FUNDING


def test_mentee_page_buttons_ask_the_navigator(qtbot, page, ui_context, history):
    page.show_mentee(history["mentee"])
    view = page.mentee_page
    with qtbot.waitSignal(ui_context.navigator.session_log_requested) as logged:
        qtbot.mouseClick(view.log_button, Qt.MouseButton.LeftButton)
    assert logged.args == [[history["mentee"]]]
    with qtbot.waitSignal(ui_context.navigator.assessment_requested) as assessed:
        qtbot.mouseClick(view.assess_button, Qt.MouseButton.LeftButton)
    assert assessed.args == [history["mentee"]]
    with qtbot.waitSignal(ui_context.navigator.page_requested) as plans:
        qtbot.mouseClick(view.open_plans, Qt.MouseButton.LeftButton)
    assert plans.args == ["plans"]


def test_show_mentee_from_elsewhere_selects_it_for_coming_back(qtbot, page, people):
    page.show_mentee(people["Lagos library volunteers"])
    assert page.mentee_page.mentee_id == people["Lagos library volunteers"]
    page.mentee_page.back_requested.emit()
    assert page.selected_row().id == people["Lagos library volunteers"]
    assert isinstance(page.selected_row().id, uuid.UUID)


def test_archiving_from_the_mentee_page_asks_and_marks_the_page(qtbot, page, ui_context, history, answers):
    asked, replies = answers
    page.show_mentee(history["mentee"])
    view = page.mentee_page
    replies.append(True)
    qtbot.mouseClick(view.archive_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.title.text() == "Bruno Costa (archived)")
    assert asked == [asked[0]] and "Bruno Costa" in asked[0]
    assert view.archive_button.text() == "Unarchi&ve"
    assert "Bruno Costa" not in names(page)  # the list behind it follows
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    dialog = view.findChild(MenteeDialog)
    assert dialog.name.text() == "Bruno Costa" and dialog.stage.currentText() == "Planning"
    dialog.reject()


def test_merge_duplicates_shows_both_side_by_side_and_keeps_the_chosen_one(qtbot, page, ui_context, people,
                                                                           answers):
    from coachdesk.ui.dialogs.merge_duplicates import MergeDuplicatesDialog

    asked, replies = answers
    with ui_context.db.write() as s:
        twin = save_mentee(s, MenteeForm("amina BELLO", MenteeKind.PERSON, "", "Kano", ["ha"],
                                         JourneyStage.FIRST_CONTACT))
        row = CoachingSession(id=uuid7(), title="Editathon", started_at=datetime(2026, 10, 1, 9))
        s.add(row)
        s.flush()
        s.add(SessionParticipant(id=named_id(row.id, twin), session_id=row.id, mentee_id=twin))
    page.apply_filter()
    select_row(page, "Amina Bello")
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.findChild(MergeDuplicatesDialog) is not None)
    dialog = page.findChild(MergeDuplicatesDialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "amina BELLO"
    shown = [dialog.side_by_side.itemAtPosition(r, c).widget().text() for r in (0, 2, 4) for c in (1, 2)]
    assert shown == ["Amina Bello", "amina BELLO", "West Africa", "Kano", "0", "1"]
    replies.append(False)  # cancelled at the question: nothing changes
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert "Merge “amina BELLO” into “Amina Bello”" in asked[0] and "1 session" in asked[0]
    assert dialog.isVisible() and "amina BELLO" in names(page)
    replies.append(True)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "amina BELLO" not in names(page))
    assert "Amina Bello" in names(page)
    with ui_context.db.read() as s:
        assert s.get(Mentee, twin).deleted
        kept = s.get(Mentee, people["Amina Bello"])
        assert kept.region == "West Africa"
        assert s.scalar(select(SessionParticipant.mentee_id).where(SessionParticipant.deleted.is_(False))) == kept.id


def test_merge_duplicates_says_so_when_no_name_is_alike(qtbot, page):
    select_row(page, "Bruno Costa")
    dialog = page.merge_duplicates()
    assert not dialog.table.isVisible() and not dialog.merge_button.isEnabled()
    assert "No other mentee of the kind “Person” has a name like “Bruno Costa”." in [
        label.text() for label in dialog.findChildren(type(dialog.findChild(QLabelType)))]
    dialog.reject()
