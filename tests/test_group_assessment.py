"""A group sitting: participants count a show of hands per capacity, the facilitator records the
consensus, and the spread (lowest, highest, how many rated) is kept, shown, printed and synced."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import func, select

from coachdesk.errors import InputError
from coachdesk.model import Assessment, AssessmentMode, Capacity, CapacityRating, Mentee, MenteeKind, Priority
from coachdesk.services import printing
from coachdesk.services.assessments import (
    AssessmentForm,
    RatingAnswer,
    Spread,
    assessment_detail,
    record_assessment,
    spread_of,
)
from coachdesk.services.workspace import open_workspace
from coachdesk.sync.changes import changed_rows_since
from coachdesk.sync.merge import merge_records
from coachdesk.ui.dialogs import assessment_wizard
from coachdesk.ui.dialogs.assessment_wizard import AssessmentWizard
from coachdesk.ui.views.assessments import AssessmentsPage

# -- the service ------------------------------------------------------------------------------------


def test_the_spread_comes_from_the_show_of_hands():
    assert spread_of((0, 3, 5, 2, 2)) == Spread(2, 5, 12)
    assert spread_of((0, 0, 4, 0, 0)) == Spread(3, 3, 4)
    assert spread_of(()) is None and spread_of((0, 0, 0, 0, 0)) is None
    assert Spread(2, 5, 12).text() == "2–5 among 12 raters"
    assert Spread(3, 3, 4).text() == "all 4 at 3"


@pytest.fixture
def workspace(tmp_path):
    db = open_workspace(tmp_path / "device-a.sqlite")
    with db.write() as s:
        mentee = Mentee(name="Wiki Loves Savanna User Group", kind=MenteeKind.GROUP, languages=["en"])
        s.add(mentee)
        s.flush()
        capacities = {c.key: c.id for c in s.scalars(select(Capacity))}
        mentee_id = mentee.id
    yield db, mentee_id, capacities
    db.close()


def group_form(mentee_id, capacities, participants=12, votes=(0, 3, 5, 2, 2), level=3) -> AssessmentForm:
    return AssessmentForm(
        mentee_id=mentee_id, assessed_on=date(2026, 11, 3), mode=AssessmentMode.GROUP, language="en",
        participants=participants,
        answers=[RatingAnswer(capacities["fundraising"], level, Priority.HIGH, evidence="Budget talk", votes=votes),
                 RatingAnswer(capacities["legal"], 4, votes=(0, 0, 4, 6, 0))])


def ratings_of(db):
    with db.read() as s:
        return {(r.level, r.lowest, r.highest, r.raters) for r in s.scalars(select(CapacityRating))}


def test_a_group_sitting_keeps_consensus_and_spread(workspace):
    db, mentee_id, capacities = workspace
    with db.write() as s:
        assessment_id, _plan = record_assessment(s, group_form(mentee_id, capacities), create_plan=False)
    assert ratings_of(db) == {(3, 2, 5, 12), (4, 3, 4, 10)}
    with db.read() as s:
        detail = assessment_detail(s, assessment_id)
    assert detail.participants == 12
    assert [(r.level, r.spread.text()) for r in detail.ratings] == [(3, "2–5 among 12 raters"),
                                                                    (4, "3–4 among 10 raters")]


@pytest.mark.parametrize(("participants", "votes", "level", "sentence"), [
    (12, (0, 0, 5, 5, 2), 2, "The consensus level 2 lies outside what the participants chose (3 to 5); "
                             "check the counts or the consensus."),
    (8, (0, 3, 5, 2, 2), 3, "More votes were counted on one capacity (12) than people took part (8)."),
])
def test_counts_that_do_not_fit_are_refused_and_nothing_is_saved(workspace, participants, votes, level, sentence):
    db, mentee_id, capacities = workspace
    with pytest.raises(InputError) as refused, db.write() as s:
        record_assessment(s, group_form(mentee_id, capacities, participants, votes, level), create_plan=False)
    assert str(refused.value) == sentence
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Assessment)) == 0
    assert ratings_of(db) == set()


def test_a_group_assessment_syncs_to_a_second_device_with_its_spread(workspace, tmp_path):
    db, mentee_id, capacities = workspace
    with db.write() as s:
        assessment_id, _plan = record_assessment(s, group_form(mentee_id, capacities), create_plan=False)
    other = open_workspace(tmp_path / "device-b.sqlite")
    try:
        with db.read() as s:
            records = changed_rows_since(s, 0)
        with other.write() as s:
            merge_records(s, records)
        assert ratings_of(other) == {(3, 2, 5, 12), (4, 3, 4, 10)}
        with other.read() as s:
            assert s.get(Assessment, assessment_id).participants == 12
    finally:
        other.close()


# -- the handout ------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(document[n].get_textpage().get_text_range() for n in range(len(document)))
    finally:
        document.close()


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["Consensus", "Spread", "Participants: 12", "wide: discuss"]),
    ("ar", ["التوافق", "المدى", "المشاركون", "واسع"]),
])
def test_the_handout_shows_consensus_spread_and_participants(workspace, language, words):
    db, mentee_id, capacities = workspace
    with db.write() as s:
        record_assessment(s, group_form(mentee_id, capacities), create_plan=False)
    data, _pages = printing.handout_pdf(db, "assessment", str(mentee_id), language)
    flat = " ".join(pdf_text(data).split())
    for word in words:
        assert word in flat, word
    # Fundraising 3, spread 2–5 among 12; legal 4, spread 3–4 among 10. Right to left, text comes out
    # of the PDF in drawing order (a range may come out as 5–2), so the pieces are compared.
    if language == "ar":
        assert ("2–5" in flat or "5–2" in flat) and ("3–4" in flat or "4–3" in flat) and "(10)" in flat
        assert "12" in flat and "التبرعات جمع 3" in flat
    else:
        assert "Fundraising 3 2–5 (12) wide: discuss" in flat and "Legal 4 3–4 (10)" in flat


def test_a_self_assessment_handout_has_no_spread(workspace):
    db, mentee_id, capacities = workspace
    form = group_form(mentee_id, capacities)
    form.mode, form.participants = AssessmentMode.SELF, None
    for answer in form.answers:
        answer.votes = ()
    with db.write() as s:
        record_assessment(s, form, create_plan=False)
    text = pdf_text(printing.handout_pdf(db, "assessment", str(mentee_id), "en")[0])
    assert "Level" in text and "Spread" not in text and "Consensus" not in text


# -- the wizard and the Assessments page, as a facilitator drives them -------------------------------


@pytest.fixture
def boxes(monkeypatch):
    seen = {"asked": [], "told": []}
    monkeypatch.setattr(assessment_wizard, "ask", lambda _parent, title, _text: seen["asked"].append(title) or False)
    monkeypatch.setattr(assessment_wizard, "tell", lambda _parent, _title, text: seen["told"].append(text))
    return seen


def press(qtbot, wizard, which=QWizard.WizardButton.NextButton):
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def tally(qtbot, block, counts):
    """From the level scale, Tab into each count and type it, as a facilitator would."""
    block.scale.setFocus()
    for n, count in enumerate(counts):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is block.tally.counts[n]
        qtbot.keyClicks(focused, str(count))


def choose_level(qtbot, block, key):
    block.scale.setFocus()
    qtbot.keyClick(block.scale, key)


def test_a_facilitator_records_a_group_sitting_and_sees_the_spread(qtbot, ui_context, boxes):
    with ui_context.db.write() as s:
        mentee = Mentee(name="Wiki Loves Savanna User Group", kind=MenteeKind.GROUP, languages=["en"])
        s.add(mentee)
        s.flush()
        mentee_id = mentee.id
    wizard = AssessmentWizard(ui_context, mentee_id)
    qtbot.addWidget(wizard)
    with qtbot.waitActive(wizard):
        wizard.show()
        wizard.activateWindow()
    who = wizard.who
    assert who.mode.currentData() == AssessmentMode.GROUP.value  # a user group is assessed as a group
    assert who.participants.isVisible()
    press(qtbot, wizard)
    assert wizard.currentId() == 0 and who.error.text() == "Enter how many people take part in the group sitting."
    assert QApplication.focusWidget() is who.participants
    qtbot.keyClicks(who.participants, "12")
    press(qtbot, wizard)
    press(qtbot, wizard)
    fundraising, legal = wizard.currentPage().blocks[:2]  # the first two questions, whichever the template asks
    first, second = fundraising.capacity.label, legal.capacity.label
    assert fundraising.tally.isVisible() and fundraising.consensus_caption.isVisible()
    assert fundraising.captions["evidence"].text() == "Evidence for the consensus"

    tally(qtbot, fundraising, [0, 3, 5, 2, 2])
    assert fundraising.tally.spread.text() == "Spread: 2–5 among 12 raters"
    choose_level(qtbot, fundraising, Qt.Key.Key_1)
    assert fundraising.tally.warning.isVisible()
    assert fundraising.tally.warning.text() == "The consensus 1 lies outside what people chose (2 to 5)."
    choose_level(qtbot, fundraising, Qt.Key.Key_3)
    assert not fundraising.tally.warning.isVisible()
    qtbot.keyClicks(fundraising.evidence, "Three asked for a budget plan")

    tally(qtbot, legal, [0, 0, 9, 6])
    assert legal.tally.warning.text() == "More votes counted (15) than people taking part (12)."
    legal.tally.counts[2].setFocus(Qt.FocusReason.TabFocusReason)  # Tab selects the count: typing replaces it
    qtbot.keyClicks(legal.tally.counts[2], "4")
    assert legal.tally.spread.text() == "Spread: 3–4 among 10 raters"
    choose_level(qtbot, legal, Qt.Key.Key_4)
    assert not legal.tally.warning.isVisible()

    while wizard.currentId() != wizard.summary_id:
        press(qtbot, wizard)
    table = wizard.summary.table
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == [
        "Capacity", "Consensus", "Spread", "Priority"]
    rows = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}
    assert rows == {first: ("3", "2–5 among 12 raters"), second: ("4", "3–4 among 10 raters")}
    assert wizard.summary.count.text().startswith("Group of 12 · ")
    press(qtbot, wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: wizard.saved is not None)
    assert boxes["told"] == []

    page = AssessmentsPage(ui_context)
    qtbot.addWidget(page)
    page.resize(1000, 560)
    page.show()
    qtbot.waitUntil(lambda: page.loaded_rows == 1)
    detail = page.detail
    assert "Group of 12" in detail.heading.text()
    ratings = detail.ratings
    shown = {ratings.item(r, 0).text(): (ratings.item(r, 1).text(), ratings.item(r, 2).text())
             for r in range(ratings.rowCount())}
    assert shown == {first: ("3", "2–5 among 12 raters · wide"), second: ("4", "3–4 among 10 raters")}
    assert detail.notes.text().startswith(
        f"{first}, consensus 3 (spread 2–5 among 12 raters · wide, worth discussing)\n")


def test_a_self_assessment_shows_no_tally(qtbot, ui_context, boxes):
    with ui_context.db.write() as s:
        mentee = Mentee(name="Amina", kind=MenteeKind.PERSON, languages=["en"])
        s.add(mentee)
        s.flush()
        mentee_id = mentee.id
    wizard = AssessmentWizard(ui_context, mentee_id)
    qtbot.addWidget(wizard)
    with qtbot.waitActive(wizard):
        wizard.show()
        wizard.activateWindow()
    assert not wizard.who.participants.isVisible()
    press(qtbot, wizard)
    press(qtbot, wizard)
    block = wizard.currentPage().blocks[0]
    assert not block.tally.isVisible() and block.captions["evidence"].text() == "Evidence"
    block.scale.setFocus()
    qtbot.keyClick(block.scale, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is block.priority
    assert wizard.form().participants is None and all(a.votes == () for a in wizard.form().answers)


def test_the_person_export_carries_the_participants_and_the_spread(workspace):
    import json

    from coachdesk.services.privacy import export_person

    db, mentee_id, capacities = workspace
    with db.write() as s:
        record_assessment(s, group_form(mentee_id, capacities), create_plan=False)
    with db.read() as s:
        [assessment] = json.loads(export_person(s, mentee_id))["assessments"]
    assert assessment["participants"] == 12
    assert [(r["capacity"], r["level"], r["lowest"], r["highest"], r["raters"]) for r in assessment["ratings"]] == [
        ("fundraising", 3, 2, 5, 12), ("legal", 4, 3, 4, 10)]


def test_a_group_draft_brings_back_the_participants_and_the_counts(qtbot, ui_context, boxes):
    from coachdesk.services.drafts import pending_drafts

    with ui_context.db.write() as s:
        mentee = Mentee(name="Kano Wikimedians", kind=MenteeKind.GROUP, languages=["en"])
        s.add(mentee)
        s.flush()
        mentee_id = mentee.id
    wizard = AssessmentWizard(ui_context, mentee_id)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.who.participants.setValue(9)
    press(qtbot, wizard)
    press(qtbot, wizard)
    first = wizard.currentPage().blocks[0]
    first.tally.set_votes((0, 2, 4, 3, 0))
    first.scale.set_level(3)
    wizard._dirty = True
    wizard.save_draft_now()
    draft = next(d for d in pending_drafts() if d.key == f"assessment:{mentee_id}")
    wizard.hide()
    restored = AssessmentWizard.from_draft(ui_context, draft, None)
    qtbot.addWidget(restored)
    restored.show()
    assert restored.who.participants.value() == 9
    block = next(b for b in restored.blocks if b.capacity.id == first.capacity.id)
    assert block.tally.votes() == (0, 2, 4, 3, 0) and block.scale.level == 3
    assert block.tally.spread.text() == "Spread: 2–4 among 9 raters"
    form = restored.form()
    assert form.participants == 9
    assert next(a for a in form.answers if a.capacity_id == first.capacity.id).votes == (0, 2, 4, 3, 0)


def test_the_handout_words_for_a_group_sitting_exist_in_every_language():
    import tomllib

    from coachdesk.paths import resources_dir

    folder = resources_dir() / "handouts"
    english = tomllib.loads((folder / "en.toml").read_text(encoding="utf-8"))["group_assessment"]
    for code in ("ar", "hi", "es", "fr", "pt_BR", "sw", "id"):
        words = tomllib.loads((folder / f"{code}.toml").read_text(encoding="utf-8"))["group_assessment"]
        assert list(words) == list(english), code
        assert words["explanation"] != english["explanation"] and words["wide"] != english["wide"], code
        assert words["participants"].format(count=14).count("14") == 1, code
