"""The guided assessment wizard and the Assessments page, driven with the keyboard and mouse as a person would."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import func, select

from coachdesk.i18n import format_date
from coachdesk.model import Assessment, CapacityRating, JourneyStage, Mentee, Plan, PlanGoal, Priority
from coachdesk.services.assessments import AssessmentForm, RatingAnswer, record_assessment
from coachdesk.services.drafts import pending_drafts
from coachdesk.ui.dialogs import assessment_wizard
from coachdesk.ui.dialogs.assessment_wizard import AssessmentWizard
from coachdesk.ui.views.assessments import AssessmentsPage
from tests.conftest import table_dump

PUBLIC_SPEAKING = "Public speaking and self-presentation"


@pytest.fixture
def boxes(monkeypatch):
    """Answers questions (yes unless told otherwise) and keeps messages, instead of blocking on modal boxes."""
    seen = {"asked": [], "told": [], "reply": True}

    def ask(_parent, title, _text):
        seen["asked"].append(title)
        return seen["reply"]

    monkeypatch.setattr(assessment_wizard, "ask", ask)
    monkeypatch.setattr(assessment_wizard, "tell", lambda _parent, _title, text: seen["told"].append(text))
    return seen


def some_mentee(context, stage=JourneyStage.FIRST_CONTACT):
    with context.db.write() as s:
        # QTest types ASCII only, so the name must be one a test can type.
        mentee = next(m for m in s.scalars(select(Mentee).where(Mentee.deleted.is_(False), Mentee.archived.is_(False))
                                           .order_by(Mentee.name)) if m.name.isascii())
        mentee.journey_stage = stage
        return mentee.id, mentee.name, list(mentee.languages)


def open_wizard(qtbot, context, mentee_id, whole_taxonomy=True):
    """The wizard, shown; by default asking every capacity instead of the template for the mentee's kind."""
    wizard = AssessmentWizard(context, mentee_id)
    qtbot.addWidget(wizard)
    with qtbot.waitActive(wizard):
        wizard.show()
        wizard.activateWindow()
    if whole_taxonomy:
        combo = wizard.who.template
        combo.setCurrentIndex(combo.findText("Whole taxonomy (every capacity)"))
    return wizard


def press(qtbot, wizard, which=QWizard.WizardButton.NextButton):
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def block(wizard, key):
    return next(b for b in wizard.blocks if b.capacity.key == key)


def next_to(qtbot, wizard, key):
    """Press Next until the page holding capacity ``key`` shows."""
    target = block(wizard, key)
    while target not in getattr(wizard.currentPage(), "blocks", []):
        before = wizard.currentId()
        press(qtbot, wizard)
        assert wizard.currentId() == before + 1
    return target


def rate(qtbot, capacity_block, keys, priority=None, assets="", gaps="", evidence=""):
    capacity_block.setFocus()
    focused = QApplication.focusWidget()
    assert focused is capacity_block.scale
    for key in keys:
        qtbot.keyClick(focused, key)
    if priority is not None:
        capacity_block.priority.setCurrentIndex(capacity_block.priority.findData(int(priority)))
    for edit, text in ((capacity_block.assets, assets), (capacity_block.gaps, gaps),
                       (capacity_block.evidence, evidence)):
        if text:
            qtbot.keyClicks(edit, text)


def table_texts(table):
    return [tuple(table.item(r, c).text() for c in range(table.columnCount())) for r in range(table.rowCount())]


def test_a_guided_assessment_saves_ratings_a_plan_and_moves_the_journey(qtbot, demo_context, boxes):
    mentee_id, _name, _languages = some_mentee(demo_context)
    wizard = open_wizard(qtbot, demo_context, mentee_id)
    assert wizard.currentPage().title() == "Who and how"
    press(qtbot, wizard)
    qtbot.keyClicks(wizard.inquiry.fields["discover"], "Weekly edit-a-thons")
    fundraising = next_to(qtbot, wizard, "fundraising")
    assert wizard.currentPage().title() == "Governance and management (1 of 4)"
    rate(qtbot, fundraising, "4", Priority.HIGH, "Two donors", "No budget plan", "Receipts from 2025")
    assert fundraising.scale.anchor_label.text() == "Level 4: " + fundraising.capacity.anchors[3]
    assert fundraising.scale.buttons[4].isChecked()
    qtbot.mouseMove(fundraising.scale.buttons[2])  # hovering shows what level 2 would mean
    qtbot.waitUntil(lambda: fundraising.scale.anchor_label.text().startswith("Level 2: "))
    qtbot.mouseMove(wizard.button(QWizard.WizardButton.NextButton))
    qtbot.waitUntil(lambda: fundraising.scale.anchor_label.text().startswith("Level 4: "))
    legal = block(wizard, "legal")
    rate(qtbot, legal, "2s")  # changed their mind: S skips
    assert legal.scale.level is None and legal.scale.buttons[0].isChecked()
    rate(qtbot, next_to(qtbot, wizard, "public_speaking"), "5", Priority.MEDIUM)
    it_safety = next_to(qtbot, wizard, "it_safety")
    rate(qtbot, it_safety, ["1", Qt.Key.Key_Right])
    assert it_safety.scale.level == 2

    press(qtbot, wizard)
    assert wizard.currentId() == wizard.summary_id
    summary = wizard.summary
    assert table_texts(summary.table) == [("Fundraising", "4", "High"), (PUBLIC_SPEAKING, "5", "Medium"),
                                          ("IT safety", "2", "Not a priority")]
    assert summary.radar.axes == ["Fundraising", PUBLIC_SPEAKING, "IT safety"]
    assert summary.radar.series[-1].levels == [4, 5, 2]
    assert summary.create_plan.isEnabled() and summary.create_plan.isChecked()

    with qtbot.waitSignal(demo_context.navigator.mentee_requested, timeout=5000) as opened:
        press(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert opened.args == [mentee_id]
    assert not wizard.isVisible() and boxes["asked"] == ["Assessment saved"]
    with demo_context.db.read() as s:
        assessment = s.scalars(select(Assessment).where(Assessment.mentee_id == mentee_id)
                               .order_by(Assessment.id.desc())).first()
        assert assessment.discover == "Weekly edit-a-thons"
        ratings = {r.capacity.key: (r.level, r.priority, r.assets, r.gaps, r.evidence) for r in assessment.ratings}
        assert ratings == {"fundraising": (4, Priority.HIGH, "Two donors", "No budget plan", "Receipts from 2025"),
                           "public_speaking": (5, Priority.MEDIUM, "", "", ""),
                           "it_safety": (2, Priority.NONE, "", "", "")}
        plan = s.scalars(select(Plan).where(Plan.assessment_id == assessment.id)).one()
        goals = s.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id).order_by(PlanGoal.position)).all()
        assert [(g.capacity.key, g.target_level) for g in goals] == [("fundraising", 5), ("public_speaking", 5)]
        assert s.get(Mentee, mentee_id).journey_stage is JourneyStage.PLANNING
    assert not [d for d in pending_drafts() if d.kind == "assessment"]


def test_finishing_with_nothing_rated_is_refused_and_writes_nothing(qtbot, demo_context, boxes):
    mentee_id, _name, _languages = some_mentee(demo_context)
    wizard = open_wizard(qtbot, demo_context, mentee_id)
    rate(qtbot, next_to(qtbot, wizard, "fundraising"), "3s", Priority.HIGH, "Typed, but the level is skipped")
    while wizard.currentId() != wizard.summary_id:
        press(qtbot, wizard)
    assert wizard.summary.table.rowCount() == 0
    assert wizard.summary.nothing.isVisible() and wizard.summary.nothing.text().startswith("Nothing is rated yet")
    assert not wizard.summary.create_plan.isEnabled()
    before = table_dump(demo_context.db)
    press(qtbot, wizard, QWizard.WizardButton.FinishButton)
    demo_context.tasks.wait_idle()
    assert len(boxes["told"]) == 1 and "Rate at least one capacity" in boxes["told"][0]
    assert wizard.isVisible()
    assert table_dump(demo_context.db) == before


def test_a_draft_brings_back_the_answers_and_the_page(qtbot, demo_context, boxes):
    mentee_id, _name, _languages = some_mentee(demo_context)
    wizard = open_wizard(qtbot, demo_context, mentee_id)
    rate(qtbot, next_to(qtbot, wizard, "fundraising"), "3", Priority.LOW, "A local donor")
    rate(qtbot, next_to(qtbot, wizard, "collaborative"), "5")
    key = f"assessment:{mentee_id}"

    def drafted():
        found = [d for d in pending_drafts() if d.key == key]
        return bool(found) and any(a["level"] == 5 for a in found[0].values["answers"])

    qtbot.waitUntil(drafted, timeout=4000)
    draft = next(d for d in pending_drafts() if d.key == key)
    wizard.hide()

    restored = AssessmentWizard.from_draft(demo_context, draft, None)
    qtbot.addWidget(restored)
    restored.show()
    assert restored.currentId() == wizard.currentId()
    assert restored.currentPage().title().startswith("Organizational capacities")
    fundraising = block(restored, "fundraising")
    assert fundraising.scale.level == 3 and fundraising.scale.buttons[3].isChecked()
    assert fundraising.scale.anchor_label.text() == "Level 3: " + fundraising.capacity.anchors[2]
    assert fundraising.priority.currentData() == Priority.LOW
    assert fundraising.assets.toPlainText() == "A local donor"
    assert block(restored, "collaborative").scale.level == 5
    assert block(restored, "legal").scale.level is None

    boxes["reply"] = False
    qtbot.keyClick(restored, Qt.Key.Key_Escape)
    assert boxes["asked"] == ["Discard changes?"] and restored.isVisible()
    boxes["reply"] = True
    qtbot.keyClick(restored, Qt.Key.Key_Escape)
    assert not restored.isVisible()
    assert not [d for d in pending_drafts() if d.key == key]


def test_without_a_mentee_the_first_page_asks_who(qtbot, demo_context, boxes):
    _id, name, languages = some_mentee(demo_context)
    untouched = open_wizard(qtbot, demo_context, None)
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)
    assert not untouched.isVisible() and boxes["asked"] == []  # nothing given, nothing to ask
    wizard = open_wizard(qtbot, demo_context, None)
    press(qtbot, wizard)
    assert wizard.currentId() == 0
    assert wizard.who.error.isVisible() and "Choose who is being assessed" in wizard.who.error.text()
    picker = wizard.who.picker
    qtbot.keyClicks(picker, name[:4])
    qtbot.waitUntil(lambda: picker.model.rowCount() > 0 and all(
        name[:4].casefold() in text.casefold() for text in picker.model.stringList()))
    assert len(picker.model.stringList()) <= 20
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    row = next(r for r, text in enumerate(picker.model.stringList()) if text.startswith(name))
    popup.setCurrentIndex(picker.completer().completionModel().index(row, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.choice is not None and picker.choice.name == name
    assert wizard.who.language.currentData() == (languages[0] if languages else "en")
    press(qtbot, wizard)
    assert wizard.currentPage().title() == "Discover and dream"


def test_the_assessments_page_lists_filters_and_follows_changes(qtbot, demo_context):
    page = AssessmentsPage(demo_context)
    qtbot.addWidget(page)
    page.resize(1000, 560)
    page.show()
    qtbot.waitUntil(lambda: page.loaded_rows >= 0)
    with demo_context.db.read() as s:
        total = s.scalar(select(func.count()).select_from(Assessment).where(Assessment.deleted.is_(False)))
        latest = s.scalars(select(Assessment).order_by(Assessment.assessed_on.desc(), Assessment.id.desc())).first()
        rated = s.scalar(select(func.count()).select_from(CapacityRating)
                         .where(CapacityRating.assessment_id == latest.id))
        name = latest.mentee.name
    assert page.proxy.rowCount() == total and total > 0
    assert page.count.text() == f"{total} assessments"
    assert page.proxy.index(0, 1).data() == name
    assert page.detail.heading.text().startswith(name)
    assert page.detail.ratings.rowCount() == rated
    assert len(page.detail.radar.axes) == rated

    with demo_context.db.read() as s:
        typed = next(a.mentee.name for a in s.scalars(select(Assessment)) if a.mentee.name.isascii())
    qtbot.keyClicks(page.filter, typed)
    qtbot.waitUntil(lambda: page.proxy.rowCount() < total)
    assert {page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())} == {typed}

    mentee_id = page.selected_summary().mentee_id
    with qtbot.waitSignal(demo_context.navigator.assessment_requested) as requested:
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert requested.args == [mentee_id]

    capacity = page.detail.ratings.item(0, 0).text()
    before = page.proxy.rowCount()
    form = AssessmentForm(mentee_id=mentee_id, answers=[RatingAnswer(page.detail._rows[0].capacity_id, 1)])
    demo_context.tasks.write(lambda s: record_assessment(s, form, False))
    qtbot.waitUntil(lambda: page.proxy.rowCount() == before + 1)
    assert page.selected_summary().mentee_id == mentee_id and page.detail.ratings.rowCount() > 1  # kept
    assert page.proxy.index(0, 0).data() == format_date(date.today())
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.table.visualRect(page.proxy.index(0, 1)).center())
    assert table_texts(page.detail.ratings) == [(capacity, "1", "Not a priority")]
