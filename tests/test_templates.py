"""Assessment templates per stakeholder type: the shipped ones, adapting a copy, the wizard's questions, sync."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import table_dump

from coachdesk.errors import InputError
from coachdesk.model import (
    Assessment,
    AssessmentTemplate,
    MenteeKind,
    TemplateQuestion,
    TemplateQuestionText,
    named_id,
)
from coachdesk.services import templates as tpl
from coachdesk.services.reference_data import ensure_reference_data
from coachdesk.services.template_data import read_template_data, template_id, templates_folder
from coachdesk.services.workspace import open_workspace
from coachdesk.sync.changes import changed_rows_since
from coachdesk.sync.merge import merge_records

LANGUAGES = ["en", "ar", "hi", "es", "fr", "pt_BR", "sw", "id"]
PERSON, ORGANIZATION, GROUP = template_id("person"), template_id("organization"), template_id("group")


def capacity(key: str):
    return named_id("capacity", key)


def keys_asked(db, template, language="en") -> list[str]:
    with db.read() as session:
        return [c.key for area in tpl.questions_for_wizard(session, template, language) for c in area.capacities]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shipped_question_has_a_prompt_and_five_anchors_in_every_language(db, language):
    with db.read() as session:
        for key in ("person", "organization", "group"):
            detail = tpl.template_detail(session, template_id(key), language)
            assert detail.builtin and language in detail.languages
            assert detail.name and detail.introduction
            assert 8 <= len(detail.questions) <= 12
            for question in detail.questions:
                assert question.text_language == language, (key, question.capacity_key)
                assert question.prompt.strip(), (key, question.capacity_key)
                assert len(question.anchors) == 5 and all(a.strip() for a in question.anchors)
                assert len(set(question.anchors)) == 5


def test_the_files_name_every_question_in_every_language():
    data = read_template_data()
    assert set(data.texts) == set(LANGUAGES)
    for template in data.templates:
        for language in LANGUAGES:
            text = data.texts[language][template.key]
            assert set(text["question"]) == set(template.questions), (language, template.key)
            assert all(len(q["anchors"]) == 5 for q in text["question"].values()), (language, template.key)


def test_a_board_is_asked_about_governance_and_money_a_volunteer_about_speaking_and_organizing(db):
    board, volunteer, group = keys_asked(db, ORGANIZATION), keys_asked(db, PERSON), keys_asked(db, GROUP)
    assert {"financial_management", "fundraising", "legal", "reporting_evaluation"} <= set(board)
    assert {"public_speaking", "community_organizing"} <= set(volunteer)
    assert "public_speaking" not in board and "financial_management" not in volunteer
    assert {"community_organizing", "collaborative", "event_management", "volunteer_engagement"} <= set(group)
    with db.read() as session:
        detail = tpl.template_detail(session, ORGANIZATION, "en")
        assert "board" in detail.questions[0].prompt and "govern" in detail.questions[0].prompt
        assert tpl.default_template(session, MenteeKind.ORGANIZATION) == ORGANIZATION
        assert tpl.default_template(session, "person") == PERSON
        listed = tpl.list_templates(session, "en")
    assert [(t.kind, t.builtin) for t in listed] == [(MenteeKind.PERSON, True), (MenteeKind.ORGANIZATION, True),
                                                     (MenteeKind.GROUP, True)]
    assert all(len(t.languages) == 8 for t in listed)


def test_the_wizard_asks_the_templates_prompt_and_anchors_in_the_assessments_language(db):
    with db.read() as session:
        areas = tpl.questions_for_wizard(session, ORGANIZATION, "fr")
        french = tpl.template_detail(session, ORGANIZATION, "fr")
    asked = {c.key: c for area in areas for c in area.capacities}
    finance = next(q for q in french.questions if q.capacity_key == "financial_management")
    assert asked["financial_management"].prompt == finance.prompt
    assert asked["financial_management"].anchors == finance.anchors
    # Areas in taxonomy order, questions in the template's order within each.
    assert [a.key for a in areas] == ["governance_management", "organizational", "interpersonal"]
    assert [c.key for c in areas[0].capacities] == ["financial_management", "fundraising", "legal",
                                                    "reporting_evaluation", "human_resources"]


def test_copy_and_adapt_then_the_wizard_asks_exactly_that(db):
    with db.write() as session:
        copy = tpl.copy_template(session, PERSON, language="en")
    with db.read() as session:
        detail = tpl.template_detail(session, copy, "en")
        assert detail.name == "Volunteer (one person) (copy)" and not detail.builtin
        assert detail.based_on == "Volunteer (one person)" and len(detail.languages) == 8
        assert [t.name for t in tpl.list_templates(session, "en")][:2] == [
            "Volunteer (one person)", "Volunteer (one person) (copy)"]
    with db.write() as session:
        added = tpl.add_question(session, copy, capacity("fundraising"))
        speaking = named_id(copy, capacity("public_speaking"))
        tpl.remove_question(session, named_id(copy, capacity("it_safety")))
        tpl.move_question(session, added, -100)
        anchors = list(tpl.template_detail(session, copy, "en").questions[1].anchors)
        anchors[0] = "I have never given a talk, not even to friends."
        tpl.save_question_text(session, speaking, "en", "Tell us about the last time you spoke to a group.", anchors)
        tpl.add_language(session, copy, "ha", "en")
        tpl.save_template_text(session, copy, "ha", "Mai sa kai", "Za mu yi magana game da abin da kake yi.")
    asked = keys_asked(db, copy)
    assert "fundraising" in asked and "it_safety" not in asked and len(asked) == 9
    with db.read() as session:
        detail = tpl.template_detail(session, copy, "en")
        assert detail.questions[0].capacity_key == "fundraising"
        areas = tpl.questions_for_wizard(session, copy, "en")
        spoken = next(c for a in areas for c in a.capacities if c.key == "public_speaking")
        assert spoken.prompt == "Tell us about the last time you spoke to a group."
        assert spoken.anchors[0] == "I have never given a talk, not even to friends."
        # The added question has no words of its own yet: the capacity's own anchors show.
        raising = next(c for a in areas for c in a.capacities if c.key == "fundraising")
        assert raising.prompt == "" and len(raising.anchors) == 5
        hausa = tpl.template_detail(session, copy, "ha")
        assert hausa.name == "Mai sa kai" and "ha" in hausa.languages
        assert all(q.text_language == "ha" for q in hausa.questions)
        # The shipped template is untouched.
        assert "it_safety" in [q.capacity_key for q in tpl.template_detail(session, PERSON, "en").questions]


def test_a_removed_question_can_be_asked_again_and_keeps_one_row(db):
    with db.write() as session:
        copy = tpl.copy_template(session, GROUP, name="Hausa user group", language="en")
        question = named_id(copy, capacity("adaptive"))
        tpl.remove_question(session, question)
        assert tpl.add_question(session, copy, capacity("adaptive")) == question
        with pytest.raises(InputError, match="already asks"):
            tpl.add_question(session, copy, capacity("adaptive"))
    with db.read() as session:
        assert tpl.template_detail(session, copy, "en").questions[-1].capacity_key == "adaptive"
        assert tpl.template_detail(session, copy, "fr").name == "Hausa user group"  # a name given is for every language


@pytest.mark.parametrize("edit", [
    lambda s: tpl.add_question(s, PERSON, capacity("fundraising")),
    lambda s: tpl.remove_question(s, named_id(PERSON, capacity("it_safety"))),
    lambda s: tpl.move_question(s, named_id(PERSON, capacity("it_safety")), -1),
    lambda s: tpl.save_question_text(s, named_id(PERSON, capacity("it_safety")), "en", "Changed?", ["a"] * 5),
    lambda s: tpl.save_template_text(s, PERSON, "en", "Renamed", ""),
    lambda s: tpl.add_language(s, PERSON, "ha", "en"),
    lambda s: tpl.delete_template(s, PERSON),
])
def test_a_shipped_template_is_never_edited_in_place(db, edit):
    before = table_dump(db)
    with pytest.raises(InputError) as refused:
        with db.write() as session:
            edit(session)
    assert str(refused.value) == ("Copy this template to adapt it; the shipped templates stay as they are "
                                  "so every device agrees.")
    assert table_dump(db) == before


def test_deleting_a_copy_keeps_the_assessments_made_with_it(db):
    with db.write() as session:
        copy = tpl.copy_template(session, ORGANIZATION, language="en")
    from datetime import date

    from coachdesk.services.assessments import AssessmentForm, RatingAnswer, record_assessment
    from coachdesk.services.mentees import MenteeForm, save_mentee
    with db.write() as session:
        mentee_id = save_mentee(session, MenteeForm(name="Wiki Club", kind=MenteeKind.ORGANIZATION))
        form = AssessmentForm(mentee_id=mentee_id, assessed_on=date(2026, 5, 1), template_id=copy,
                              answers=[RatingAnswer(capacity("legal"), 2)])
        assessment_id, _plan = record_assessment(session, form, create_plan=False)
    with db.write() as session:
        tpl.delete_template(session, copy)
    with db.read() as session:
        assert session.get(AssessmentTemplate, copy).deleted
        assert session.get(Assessment, assessment_id).template_id == copy
        assert copy not in [t.id for t in tpl.list_templates(session)]


def test_a_copied_template_syncs_to_another_device_whole(tmp_path):
    first, second = open_workspace(tmp_path / "a.sqlite"), open_workspace(tmp_path / "b.sqlite")
    try:
        with first.write() as session:
            copy = tpl.copy_template(session, GROUP, name="Kiswahili community", language="en")
            tpl.add_question(session, copy, capacity("it_safety"))
            question = named_id(copy, capacity("community_organizing"))
            tpl.save_question_text(session, question, "sw", "Mnakutana vipi?", [f"Kiwango {n}" for n in range(1, 6)])
        with first.read() as session:
            records = changed_rows_since(session, 0)
            expected = tpl.template_detail(session, copy, "sw")
        with second.write() as session:
            merge_records(session, records)
        with second.read() as session:
            arrived = tpl.template_detail(session, copy, "sw")
            assert arrived == expected
            assert arrived.questions[0].prompt == "Mnakutana vipi?"
            assert [q.capacity_key for q in arrived.questions][-1] == "it_safety"
            assert "Kiswahili community" in [t.name for t in tpl.list_templates(session, "en")]
    finally:
        first.close()
        second.close()


def test_an_upgrade_adds_a_new_shipped_question_and_leaves_an_edited_one_alone(db, tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(templates_folder(), folder)
    speaking_en = named_id(named_id(PERSON, capacity("public_speaking")), "en")
    with db.write() as session:  # as the hub might have reworded it
        session.get(TemplateQuestionText, speaking_en).prompt = "Reworded at the hub."
    listing = folder / "templates.toml"
    listing.write_text(listing.read_text(encoding="utf-8").replace(
        '    "diversity_equity_inclusion",\n]\n\n[[template]]\nkey = "organization"',
        '    "diversity_equity_inclusion",\n    "travel_visa",\n]\n\n[[template]]\nkey = "organization"'),
        encoding="utf-8")
    english = folder / "text" / "en.toml"
    english.write_text(english.read_text(encoding="utf-8").replace(
        'prompt = "When you speak in front of people', 'prompt = "New shipped wording. When you speak') +
        '\n[template.person.question.travel_visa]\nprompt = "Have you travelled to a Wikimedia event abroad?"\n'
        'anchors = ["Not yet.", "With help.", "On my own.", "I plan ahead.", "I help others."]\n', encoding="utf-8")

    assert ensure_reference_data(db, templates=read_template_data(Path(folder))) == 2  # the question, its text

    with db.read() as session:
        detail = tpl.template_detail(session, PERSON, "en")
        assert detail.questions[-1].capacity_key == "travel_visa"
        assert detail.questions[-1].prompt == "Have you travelled to a Wikimedia event abroad?"
        assert detail.questions[0].prompt == "Reworded at the hub."
        assert session.get(TemplateQuestion, named_id(PERSON, capacity("travel_visa"))) is not None


# -- the wizard ---------------------------------------------------------------------------------


@pytest.fixture
def boxes(monkeypatch):
    """Answers the wizard's questions with yes and keeps its messages, instead of blocking on modal boxes."""
    from coachdesk.ui.dialogs import assessment_wizard

    told: list[str] = []
    monkeypatch.setattr(assessment_wizard, "ask", lambda *_args: True)
    monkeypatch.setattr(assessment_wizard, "tell", lambda _parent, _title, text: told.append(text))
    return told


def add_mentee(db, name, kind, languages=("en",)):
    from coachdesk.model import Mentee

    with db.write() as session:
        mentee = Mentee(name=name, kind=kind, languages=list(languages))
        session.add(mentee)
        session.flush()
        return mentee.id


def show(qtbot, widget):
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget


def asked_blocks(wizard):
    return {b.capacity.key: b for b in wizard.blocks}


def test_choosing_an_organization_preselects_its_template_and_the_pages_ask_its_prompts(qtbot, ui_context, boxes):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWizard

    from coachdesk.ui.dialogs.assessment_wizard import AssessmentWizard

    add_mentee(ui_context.db, "Wikimedia Savanna", MenteeKind.ORGANIZATION, ["fr", "en"])
    wizard = show(qtbot, AssessmentWizard(ui_context, None))
    who = wizard.who
    assert who.template.currentText() == "Whole taxonomy (every capacity)"  # nobody chosen yet
    assert [who.template.itemText(n) for n in range(who.template.count())] == [
        "Volunteer (one person)", "Affiliate or organization (board)", "Group or informal community",
        "Whole taxonomy (every capacity)"]
    qtbot.keyClicks(who.picker, "Wikimedia Savanna")
    qtbot.waitUntil(lambda: who.picker.model.rowCount() == 1)
    qtbot.keyClick(who.picker.completer().popup(), Qt.Key.Key_Down)
    qtbot.keyClick(who.picker.completer().popup(), Qt.Key.Key_Return)
    assert who.picker.choice is not None
    assert who.template.currentText() == "Affiliate or organization (board)"
    assert who.language.currentData() == "fr"  # the mentee's first language
    assert who.template_id() == ORGANIZATION
    with ui_context.db.read() as session:
        french = {q.capacity_key: q for q in tpl.template_detail(session, ORGANIZATION, "fr").questions}
    blocks = asked_blocks(wizard)
    assert set(blocks) == set(french)
    finance = blocks["financial_management"]
    assert finance.prompt.text() == french["financial_management"].prompt and not finance.prompt.isHidden()
    assert finance.capacity.anchors == french["financial_management"].anchors

    # English now: the pages are built again in English, and an answer given is kept.
    finance.scale.set_level(3)
    who.language.setCurrentIndex(who.language.findData("en"))
    finance = asked_blocks(wizard)["financial_management"]
    assert finance.prompt.text() == "How does the organization keep, spend and account for its money?"
    assert finance.scale.level == 3
    # The volunteer's template instead: a capacity no longer asked goes, one still asked keeps its answer.
    asked_blocks(wizard)["leadership_development"].scale.set_level(2)
    who.template.setCurrentIndex(who.template.findText("Volunteer (one person)"))
    blocks = asked_blocks(wizard)
    assert "financial_management" not in blocks and "public_speaking" in blocks
    assert blocks["leadership_development"].scale.level == 2
    who.template.setCurrentIndex(who.template.findText("Affiliate or organization (board)"))
    who.participants.setValue(5)  # a board is assessed as a group in the room

    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == 1, who.error.text()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    page = wizard.currentPage()
    assert page.title() == "Governance and management (1 of 3)"
    assert [b.capacity.key for b in page.blocks] == ["financial_management", "fundraising", "legal",
                                                      "reporting_evaluation", "human_resources"]
    while wizard.currentId() != wizard.summary_id:
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert "Affiliate or organization (board)" in wizard.summary.subTitle()
    form = wizard.form()
    assert form.template_id == ORGANIZATION and form.language == "en"
    assert {a.capacity_id for a in form.answers} == {capacity(k) for k in french}


def test_a_draft_brings_back_the_template(qtbot, ui_context, boxes):
    from coachdesk.services.drafts import pending_drafts
    from coachdesk.ui.dialogs.assessment_wizard import AssessmentWizard

    mentee = add_mentee(ui_context.db, "Kano Wikimedians", MenteeKind.GROUP)
    wizard = show(qtbot, AssessmentWizard(ui_context, mentee))
    assert wizard.who.template_id() == GROUP
    wizard.who.template.setCurrentIndex(wizard.who.template.findText("Volunteer (one person)"))
    asked_blocks(wizard)["public_speaking"].scale.set_level(4)
    wizard.save_draft_now()
    draft = next(d for d in pending_drafts() if d.key == f"assessment:{mentee}")
    wizard.reject()
    restored = show(qtbot, AssessmentWizard.from_draft(ui_context, draft, None))
    assert restored.who.template_id() == PERSON
    assert asked_blocks(restored)["public_speaking"].scale.level == 4
    assert "financial_management" not in asked_blocks(restored)
    restored.reject()


# -- the Templates page ---------------------------------------------------------------------------


def tree_item(page, text):
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    iterator = QTreeWidgetItemIterator(page.tree)
    while iterator.value():
        if iterator.value().text(0) == text:
            return iterator.value()
        iterator += 1
    return None


def test_the_templates_page_copies_adds_a_question_rewords_an_anchor_and_adds_a_language(qtbot, ui_context,
                                                                                        monkeypatch):
    from PySide6.QtCore import Qt

    from coachdesk.ui.views import templates as view

    answers = {"text": ["Board of Wikimedia Savanna", "ha"], "asked": []}
    monkeypatch.setattr(view, "ask_text", lambda _p, _t, _c, text="": answers["text"].pop(0))
    monkeypatch.setattr(view, "ask", lambda _p, title, _t: answers["asked"].append(title) or True)
    monkeypatch.setattr(view, "ask_choice",
                        lambda _p, _t, _c, items: next(n for n, i in enumerate(items) if i.endswith("› Public speaking "
                                                                                                   "and self-presentation")))
    told: list[str] = []
    monkeypatch.setattr(view, "tell", lambda _p, _t, text: told.append(text))
    page = view.TemplatesPage(ui_context)
    qtbot.addWidget(page)
    page.resize(1000, 640)
    page.show()
    page.tree.setCurrentItem(tree_item(page, "Affiliate or organization (board) (shipped)"))
    assert page.title.text() == "Affiliate or organization (board)"
    assert not page.builtin_note.isHidden() and page.name.isReadOnly()
    assert not page.add_button.isEnabled() and page.save_button.isHidden() and not page.delete_button.isEnabled()

    qtbot.mouseClick(page.cta_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.title.text() == "Board of Wikimedia Savanna")
    copy = page.current
    assert tree_item(page, "Board of Wikimedia Savanna").parent().text(0) == "Organization"
    assert page.builtin_note.isHidden() and not page.name.isReadOnly()

    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.questions.topLevelItemCount() == 10)
    assert page.question_title.text() == "Public speaking and self-presentation"

    finance = next(page.questions.topLevelItem(n) for n in range(page.questions.topLevelItemCount())
                   if page.questions.topLevelItem(n).text(0) == "Financial management")
    page.questions.setCurrentItem(finance)
    first = page.anchors[0]
    first.selectAll()
    qtbot.keyClicks(first, "Money is kept in a drawer and nobody writes it down.")
    assert page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.save_button.isEnabled())
    assert told == []
    with ui_context.db.read() as session:
        asked = {c.key: c for area in tpl.questions_for_wizard(session, copy, "en") for c in area.capacities}
    assert "public_speaking" in asked
    assert asked["financial_management"].anchors[0] == "Money is kept in a drawer and nobody writes it down."

    box = page.language_box
    box.setCurrentIndex(box.findData(view.ADD_LANGUAGE))
    box.activated.emit(box.currentIndex())
    qtbot.waitUntil(lambda: page.language == "ha")
    assert box.currentData() == "ha" and page.name.text() == "Board of Wikimedia Savanna"

    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tree_item(page, "Board of Wikimedia Savanna") is None)
    assert answers["asked"] == ["Delete template?"] and told == []
    ui_context.tasks.wait_idle()


def test_a_copy_made_on_another_device_shows_when_sync_announces_it(qtbot, ui_context):
    from coachdesk.store.changes import ChangeSummary
    from coachdesk.ui.views.page_parts import IdRole
    from coachdesk.ui.views.templates import TemplatesPage

    page = TemplatesPage(ui_context)
    qtbot.addWidget(page)
    with ui_context.db.write() as session:  # as a merged bundle would write it
        copy = tpl.copy_template(session, GROUP, name="Dagbani community", language="en")
    assert tree_item(page, "Dagbani community") is None
    summary = ChangeSummary()
    summary.add("created", "assessment_template")
    ui_context.changes.changed.emit(summary, object())
    assert tree_item(page, "Dagbani community").data(0, IdRole) == copy


def test_a_copy_can_belong_to_a_community(qtbot, ui_context, monkeypatch):
    from PySide6.QtCore import Qt

    from coachdesk.model import Community
    from coachdesk.ui.views import templates as view

    with ui_context.db.write() as session:
        session.add(Community(name="Hausa Wikipedia", languages=["ha"]))
    offered: list[list[str]] = []
    monkeypatch.setattr(view, "ask_text", lambda _p, _t, _c, text="": text)
    monkeypatch.setattr(view, "ask_choice", lambda _p, _t, _c, items: offered.append(items) or 1)
    page = view.TemplatesPage(ui_context)
    qtbot.addWidget(page)
    page.tree.setCurrentItem(tree_item(page, "Group or informal community (shipped)"))
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.title.text() == "Group or informal community (copy)")
    assert offered == [["No community in particular", "Hausa Wikipedia"]]
    assert page.about.text() == ("Group · 10 questions · copied from Group or informal community · "
                                 "for Hausa Wikipedia")
    with ui_context.db.read() as session:
        listed = {t.name: t for t in tpl.list_templates(session, "en")}
    assert listed["Group or informal community (copy)"].community == "Hausa Wikipedia"
    ui_context.tasks.wait_idle()
