"""Toolbox, Funding and Requests pages: browse and reword reference data, record requests, turn one into a plan."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from coachdesk import i18n
from coachdesk.errors import InputError
from coachdesk.model import (
    Capacity,
    CapacityText,
    Community,
    CommunityRequest,
    FundingOpportunity,
    Mentee,
    MenteeKind,
    Plan,
    PlanGoal,
    RequestStatus,
    ToolboxMethod,
    ToolboxMethodText,
    named_id,
)
from coachdesk.services import vocabulary
from coachdesk.services.drafts import pending_drafts
from coachdesk.services.reference_edit import FundingForm, add_method, list_methods, save_funding, slugify
from coachdesk.ui.views import page_parts
from coachdesk.ui.views import requests as requests_view
from coachdesk.ui.views.reference import FundingPage, ToolboxPage
from coachdesk.ui.views.requests import RequestsPage

TRAINING = named_id("toolbox_method", "training")
FUNDRAISING = named_id("capacity", "fundraising")
LEFT = Qt.MouseButton.LeftButton


def _page(qtbot, cls, context):
    page = cls(context)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    return page


def _retype(qtbot, edit, text):
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:  # QTest types ASCII only; an input method inserts the rest like this
        edit.insert(text)


def _method_labels(page):
    return [page.methods.item(i).text() for i in range(page.methods.count())]


def _tree_item(page, text):
    root = page.capacities.invisibleRootItem()
    for a in range(root.childCount()):
        area = root.child(a)
        for c in range(area.childCount()):
            if area.child(c).text(0) == text:
                return area.child(c)
    raise AssertionError(f"no capacity {text!r}")


# -- toolbox ------------------------------------------------------------------------------------


def test_the_toolbox_lists_the_ten_methods_in_order_with_their_descriptions(qtbot, ui_context):
    page = _page(qtbot, ToolboxPage, ui_context)
    assert _method_labels(page) == [
        "Sharing information", "Assessment", "Training", "Online learning", "On-site technical assistance",
        "Consultation", "Mentoring and coaching", "Physical immersive exchange", "Communities of practice",
        "Partnerships"]
    page.methods.setCurrentRow(2)
    assert page.method_editor.name.text() == "Training"
    assert page.method_editor.description.toPlainText().startswith("A planned session or workshop")
    assert not page.method_editor.save_button.isEnabled()


def test_renaming_a_method_writes_the_current_language_only(qtbot, ui_context):
    i18n.set_language("de")  # no German texts ship: the page shows English and writes German
    page = _page(qtbot, ToolboxPage, ui_context)
    page.methods.setCurrentRow(2)
    _retype(qtbot, page.method_editor.name, "Schulung")
    assert page.method_editor.save_button.isEnabled() and page.has_unsaved_changes()
    qtbot.keyClick(page.method_editor.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _method_labels(page)[2] == "Schulung")
    assert not page.has_unsaved_changes()
    with ui_context.db.read() as session:
        texts = {t.language: t for t in session.scalars(select(ToolboxMethodText)
                                                         .where(ToolboxMethodText.method_id == TRAINING))}
    assert texts["de"].id == named_id(TRAINING, "de") and texts["de"].label == "Schulung"
    assert texts["de"].description.startswith("A planned session")
    assert texts["en"].label == "Training"


def test_renaming_revives_a_removed_text_row(qtbot, ui_context):
    with ui_context.db.write() as session:
        for text in session.scalars(select(ToolboxMethodText).where(ToolboxMethodText.method_id == TRAINING)):
            text.deleted = True
    page = _page(qtbot, ToolboxPage, ui_context)
    assert _method_labels(page)[2] == "training"  # no text in any language: the key is all there is
    page.methods.setCurrentRow(2)
    _retype(qtbot, page.method_editor.name, "Workshops")
    qtbot.mouseClick(page.method_editor.save_button, LEFT)
    qtbot.waitUntil(lambda: _method_labels(page)[2] == "Workshops")
    with ui_context.db.read() as session:
        text = session.get(ToolboxMethodText, named_id(TRAINING, "en"))
        assert (text.deleted, text.label) == (False, "Workshops")
        assert session.scalar(select(func.count()).select_from(ToolboxMethodText).where(
            ToolboxMethodText.method_id == TRAINING, ToolboxMethodText.language == "en")) == 1


def test_adding_a_method_makes_a_custom_one_with_a_key_from_its_name(qtbot, ui_context, monkeypatch):
    monkeypatch.setattr(page_parts, "ask_text", lambda *args, **kwargs: "Hackathon night")
    page = _page(qtbot, ToolboxPage, ui_context)
    qtbot.mouseClick(page.add_button, LEFT)
    qtbot.waitUntil(lambda: _method_labels(page)[-1:] == ["Hackathon night"])
    assert page.methods.currentItem().text() == "Hackathon night"
    with ui_context.db.read() as session:
        method = session.scalars(select(ToolboxMethod).where(ToolboxMethod.key == "hackathon_night")).one()
        text = session.get(ToolboxMethodText, named_id(method.id, "en"))
    assert method.custom and method.position == 10 and text.label == "Hackathon night"


def test_a_capacity_shows_its_level_anchors_and_can_be_reworded(qtbot, ui_context):
    i18n.set_language("de")  # no German texts ship: English is shown until the community writes its own
    page = _page(qtbot, ToolboxPage, ui_context)
    page.tabs.setCurrentIndex(1)
    page.capacities.setCurrentItem(_tree_item(page, "Fundraising"))
    assert page.anchors.text().startswith("1 — No one has raised money")
    assert page.anchors.text().count("\n") == 4
    _retype(qtbot, page.capacity_editor.name, "Mittelbeschaffung")
    qtbot.mouseClick(page.capacity_editor.save_button, LEFT)
    qtbot.waitUntil(lambda: page.capacities.currentItem().text(0) == "Mittelbeschaffung")
    assert page.anchors.text().startswith("1 — No one has raised money")  # the scale did not go blank
    with ui_context.db.read() as session:
        text = session.get(CapacityText, named_id(FUNDRAISING, "de"))
        assert text.label == "Mittelbeschaffung" and len(text.level_anchors.splitlines()) == 5


def test_the_toolbox_speaks_every_shipped_language(qtbot, ui_context):
    import tomllib

    from coachdesk.paths import resources_dir

    for code in ("pt_BR", "sw", "hi"):
        i18n.set_language(code)
        expected = tomllib.loads((resources_dir() / "reference" / "text" / f"{code}.toml").read_text())
        page = _page(qtbot, ToolboxPage, ui_context)
        page.tabs.setCurrentIndex(1)
        page.capacities.setCurrentItem(_tree_item(page, expected["capacity"]["fundraising"]["label"]))
        assert page.anchors.text().startswith("1 — " + expected["capacity"]["fundraising"]["anchors"][0][:20])


def test_an_area_is_shown_but_not_edited(qtbot, ui_context):
    page = _page(qtbot, ToolboxPage, ui_context)
    page.capacities.setCurrentItem(page.capacities.topLevelItem(0))
    assert page.capacity_editor.name.text() == "Governance and management"
    assert page.capacity_editor.name.isReadOnly() and not page.capacity_editor.save_button.isVisibleTo(page)


# -- funding ------------------------------------------------------------------------------------


def _funding_rows(page):
    return [[page.table.item(r, c).text() for c in range(4)] for r in range(page.table.rowCount())]


def test_adding_a_funding_opportunity_without_a_deadline_shows_open_all_year(qtbot, ui_context):
    page = _page(qtbot, FundingPage, ui_context)
    shipped = len(_funding_rows(page))
    qtbot.mouseClick(page.new_button, LEFT)
    assert page.program.hasFocus() and page.no_deadline.isChecked() and not page.deadline.isEnabled()
    qtbot.keyClicks(page.program, "Lagos Library Microgrant")
    qtbot.keyClicks(page.provider, "Friends of the Library")
    qtbot.keyClicks(page.amount, "NGN 200,000")
    qtbot.keyClicks(page.url, "example.org/grants")
    qtbot.mouseClick(page.save_button, LEFT)
    qtbot.waitUntil(lambda: len(_funding_rows(page)) == shipped + 1)
    assert ["Lagos Library Microgrant", "Friends of the Library", "Open all year", "NGN 200,000"] in \
        _funding_rows(page)
    assert page.url.text() == "https://example.org/grants" and page.open_button.isEnabled()
    assert pending_drafts() == []
    with ui_context.db.read() as session:
        row = session.scalars(select(FundingOpportunity)
                              .where(FundingOpportunity.program == "Lagos Library Microgrant")).one()
    assert row.deadline is None and row.key is None


def test_leaving_unsaved_funding_edits_asks_and_keeps_them_when_told_no(qtbot, ui_context, monkeypatch):
    asked = []
    monkeypatch.setattr(page_parts, "ask", lambda parent, title, text: asked.append(title) or False)
    page = _page(qtbot, FundingPage, ui_context)
    page.table.setCurrentCell(0, 0)
    first = page.program.text()
    qtbot.keyClicks(page.notes, " Ask Bola about it.")
    page.table.setCurrentCell(1, 0)
    assert asked == ["Discard changes?"]
    assert page.program.text() == first and "Ask Bola about it." in page.notes.toPlainText()
    assert page.table.currentRow() == 0
    qtbot.waitUntil(lambda: [d.kind for d in pending_drafts()] == ["funding"])  # a crash would not lose it
    page.close()
    again = _page(qtbot, FundingPage, ui_context)
    assert again.program.text() == first and "Ask Bola about it." in again.notes.toPlainText()
    assert again.restored.isVisibleTo(again) and again.has_unsaved_changes() and again.table.currentRow() == 0


def test_removing_a_funding_opportunity_asks_and_leaves_a_tombstone(qtbot, ui_context, monkeypatch):
    monkeypatch.setattr(page_parts, "ask", lambda *args: True)
    page = _page(qtbot, FundingPage, ui_context)
    page.table.setCurrentCell(0, 0)
    program = page.program.text()
    qtbot.mouseClick(page.remove_button, LEFT)
    qtbot.waitUntil(lambda: all(row[0] != program for row in _funding_rows(page)))
    with ui_context.db.read() as session:
        row = session.scalars(select(FundingOpportunity).where(FundingOpportunity.program == program)).one()
    assert row.deleted


# -- requests -----------------------------------------------------------------------------------


def _request_rows(page):
    model = page.model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_recording_a_request_and_turning_it_into_a_mentee_and_plan(qtbot, ui_context, monkeypatch):
    asked = []

    def answer(parent, default_name):
        asked.append(default_name)
        return MenteeKind.GROUP, default_name

    monkeypatch.setattr(requests_view, "ask_mentee", answer)
    page = _page(qtbot, RequestsPage, ui_context)
    qtbot.mouseClick(page.new_button, LEFT)
    assert page.title.hasFocus()
    qtbot.keyClicks(page.title, "Grant reports on time")
    qtbot.keyClick(page.title, Qt.Key.Key_Tab)  # the form is filled in reading order by keyboard
    assert page.community.lineEdit().hasFocus()
    qtbot.keyClicks(page.community.lineEdit(), "Hausa Wikipedia community")
    qtbot.keyClick(page.community.lineEdit(), Qt.Key.Key_Tab)
    assert page.requested_by.hasFocus()
    qtbot.keyClicks(page.requested_by, "Amina")
    page.capacity.setCurrentIndex(page.capacity.findText("Fundraising"))
    page.priority.setValue(1)
    qtbot.mouseClick(page.save_button, LEFT)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    today = i18n.format_date(date.today(), "medium")
    assert _request_rows(page) == [["1", "Grant reports on time", "Hausa Wikipedia community", "Fundraising",
                                    today, "Open"]]

    with qtbot.waitSignal(ui_context.navigator.mentee_requested, timeout=5000) as signal:
        qtbot.mouseClick(page.convert_button, LEFT)
    assert asked == ["Hausa Wikipedia community"]
    mentee_id = signal.args[0]
    qtbot.waitUntil(lambda: _request_rows(page)[0][5] == "Planned")
    assert page.open_mentee_button.isVisibleTo(page) and not page.convert_button.isVisibleTo(page)
    with ui_context.db.read() as session:
        request = session.scalars(select(CommunityRequest)).one()
        mentee = session.get(Mentee, mentee_id)
        community = session.scalars(select(Community)).one()
        plan = session.scalars(select(Plan).where(Plan.mentee_id == mentee_id)).one()
        goal = session.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id)).one()
    assert (mentee.kind, mentee.name, mentee.community_id) == (MenteeKind.GROUP, "Hausa Wikipedia community",
                                                               community.id)
    assert plan.title == "Plan for: Grant reports on time" and goal.capacity_id == FUNDRAISING
    assert (request.mentee_id, request.status, request.priority) == (mentee_id, RequestStatus.PLANNED, 1)


def test_requests_list_open_first_then_most_urgent_and_filter_by_status(qtbot, demo_context):
    page = _page(qtbot, RequestsPage, demo_context)
    rows = _request_rows(page)
    order = [label for _status, label in vocabulary.choices(RequestStatus)]
    statuses = [order.index(r[5]) for r in rows]
    assert statuses == sorted(statuses) and len(rows) == 40 // 25 + 3
    open_rows = [r for r in rows if r[5] == "Open"]
    assert [int(r[0]) for r in open_rows] == sorted(int(r[0]) for r in open_rows)
    page.filter.setCurrentIndex(page.filter.findText("Open"))
    assert _request_rows(page) == open_rows


def test_a_half_typed_request_comes_back_after_a_crash(qtbot, ui_context):
    page = _page(qtbot, RequestsPage, ui_context)
    qtbot.keyClicks(page.title, "Visa letters for Wikimania")
    qtbot.waitUntil(lambda: [d.kind for d in pending_drafts()] == ["request"])
    page.close()
    again = _page(qtbot, RequestsPage, ui_context)
    assert again.title.text() == "Visa letters for Wikimania" and again.restored.isVisibleTo(again)
    assert again.has_unsaved_changes() and again.save_button.isEnabled()
    with ui_context.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Capacity)) > 0
        assert session.scalar(select(func.count()).select_from(CommunityRequest)) == 0


# -- the services behind these pages ------------------------------------------------------------


def test_method_keys_come_from_names_in_any_script_and_stay_unique(db):
    assert slugify("Formation à distance!") == "formation_a_distance"
    assert slugify("प्रशिक्षण शिविर") == "प्रशिक्षण_शिविर"
    assert slugify("  ...  ") == "method"
    with db.write() as session:
        first = add_method(session, "ورشة عمل", "", "ar")
        second = add_method(session, "ورشة  عمل", "", "ar")
    with db.read() as session:
        keys = {m.id: m.key for m in session.scalars(select(ToolboxMethod))}
        shown = {m.id: m.label for m in list_methods(session, "en")}
    assert (keys[first], keys[second]) == ("ورشة_عمل", "ورشة_عمل_2")
    assert shown[first] == "ورشة عمل"  # no English text: its own words, not its key


def test_only_web_addresses_are_kept_as_funding_links(db):
    with db.write() as session, pytest.raises(InputError, match="not a web address"):
        save_funding(session, FundingForm("Sneaky", url="javascript:alert(1)"))
    with db.write() as session, pytest.raises(InputError, match="Give the program a name"):
        save_funding(session, FundingForm("  "))
