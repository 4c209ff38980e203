"""The Capacity Exchange in the app: the import preview, Cancel and Import, a bad file, the export, and a
capacity's Wikidata item on the Toolbox page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import table_dump
from PySide6.QtCore import Qt
from sqlalchemy import select

from coachdesk.model import Capacity, Mentee
from coachdesk.services.mentees import MenteeForm, save_mentee
from coachdesk.ui.dialogs import capx_import
from coachdesk.ui.views import page_parts
from coachdesk.ui.views.mentees import MenteesPage
from coachdesk.ui.views.reference import ToolboxPage

PROFILES = {"format": "coachdesk-capx", "version": 1, "profiles": [
    {"display_name": "Amina Diallo", "skills_known": [{"wikidata": "Q11024"}, {"key": "legal"}],
     "skills_available": ["Q11024"], "skills_wanted": [{"key": "fundraising"}, {"wikidata": "Q5", "label": "Humans"}]},
    {"display_name": "Kwame Mensah", "skills_known": [{"key": "public_speaking"}]},
]}


@pytest.fixture
def told(monkeypatch):
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(capx_import, "tell", lambda _parent, title, text: said.append((title, text)))
    monkeypatch.setattr(capx_import, "tell_error", lambda _parent, title, text: said.append((title, text)))
    return said


@pytest.fixture
def page(qtbot, ui_context):
    with ui_context.db.write() as session:
        save_mentee(session, MenteeForm(name="Amina Diallo"))
    view = MenteesPage(ui_context)
    qtbot.addWidget(view)
    view.show()
    return view


def open_preview(qtbot, page, monkeypatch, tmp_path: Path, content: str) -> capx_import.CapxImportDialog:
    path = tmp_path / "profiles.json"
    path.write_text(content, encoding="utf-8")
    monkeypatch.setattr(capx_import, "ask_open_file", lambda _parent: path)
    return page.import_capx()


def preview_rows(dialog) -> list[list[str]]:
    rows = []
    for n in range(dialog.tree.topLevelItemCount()):
        top = dialog.tree.topLevelItem(n)
        rows.append([top.text(0)] + [f"{top.child(c).text(0)}: {top.child(c).text(1)}" for c in range(top.childCount())])
    return rows


def test_the_preview_shows_each_profile_and_cancel_writes_nothing(qtbot, page, ui_context, monkeypatch, tmp_path,
                                                                   told):
    before = table_dump(ui_context.db)
    dialog = open_preview(qtbot, page, monkeypatch, tmp_path, json.dumps(PROFILES))
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert preview_rows(dialog) == [
        ["Amina Diallo", "Known: Legal\nCommunication (PR, media, community relations)",
         "Available: Communication (PR, media, community relations)", "Wanted: Fundraising",
         "Skipped: Humans (Q5)"],
        ["Kwame Mensah — new mentee", "Known: Public speaking and self-presentation"],
    ]
    assert "2 profiles to record" in dialog.intro.text() and dialog.import_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    ui_context.tasks.wait_idle()
    assert table_dump(ui_context.db) == before and told == []


def test_import_records_the_assessment_shown_on_the_mentee_page(qtbot, page, ui_context, monkeypatch, tmp_path,
                                                                 told):
    dialog = open_preview(qtbot, page, monkeypatch, tmp_path, json.dumps(PROFILES))
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled())
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert told == [("Import from the Capacity Exchange", "Recorded 2 profiles as assessments.")]
    with ui_context.db.read() as session:
        amina = session.scalars(select(Mentee.id).where(Mentee.name == "Amina Diallo")).one()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    page.show_mentee(amina)
    view = page.mentee_page
    qtbot.waitUntil(lambda: view.timeline.count() > 0)
    assert "Assessment\n3 capacities rated" in view.timeline.item(0).text()


def test_a_bad_file_shows_one_sentence_and_changes_nothing(qtbot, page, ui_context, monkeypatch, tmp_path, told):
    before = table_dump(ui_context.db)
    bad = {"format": "coachdesk-capx", "version": 1, "profiles": [{"display_name": "A", "skills_known": ["Q1x"]}]}
    dialog = open_preview(qtbot, page, monkeypatch, tmp_path, json.dumps(bad))
    qtbot.waitUntil(lambda: bool(told))
    assert told == [("Import from the Capacity Exchange",
                     "Profile 1, skills_known, item 1: “Q1x” is not a Wikidata id like Q42.")]
    assert not dialog.isVisible()
    assert table_dump(ui_context.db) == before


def test_export_writes_the_profiles_of_mentees_who_agreed(qtbot, page, ui_context, monkeypatch, tmp_path, told):
    with ui_context.db.write() as session:
        session.scalars(select(Mentee)).one().open_to_peers = True
    target = tmp_path / "out.json"
    monkeypatch.setattr(capx_import, "ask_save_file", lambda _parent, _suggested: target)
    page.export_capx()
    qtbot.waitUntil(lambda: bool(told))
    assert told == [("Export to the Capacity Exchange", "Wrote 1 profile to out.json.")]
    assert json.loads(target.read_text(encoding="utf-8"))["profiles"][0]["display_name"] == "Amina Diallo"


def test_the_toolbox_page_edits_a_capacitys_wikidata_item_and_refuses_a_malformed_one(qtbot, ui_context,
                                                                                        monkeypatch):
    errors = []
    monkeypatch.setattr(page_parts, "show_error", lambda _parent, _what, error: errors.append(str(error)))
    toolbox = ToolboxPage(ui_context)
    qtbot.addWidget(toolbox)
    toolbox.show()
    toolbox.tabs.setCurrentIndex(1)
    toolbox.capacities.setCurrentItem(toolbox.capacities.topLevelItem(0).child(1))  # Legal
    row = toolbox.wikidata
    assert row.isVisible() and row.field.text() == "" and "No Wikidata item yet." in row.address.text()
    row.field.setFocus()
    qtbot.keyClicks(row.field, "Q12x")
    qtbot.keyClick(row.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == ["“Q12x” is not a Wikidata item id: it is a Q followed by digits, like Q11024."]
    row.field.clear()
    qtbot.keyClicks(row.field, "Q7748")
    qtbot.mouseClick(row.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.address.text() == "https://www.wikidata.org/wiki/Q7748")
    with ui_context.db.read() as session:
        assert session.scalars(select(Capacity.wikidata_id).where(Capacity.key == "legal")).one() == "Q7748"
    toolbox.capacities.setCurrentItem(toolbox.capacities.topLevelItem(0).child(7))  # Communication, shipped
    assert row.field.text() == "Q11024"
    toolbox.capacities.setCurrentItem(toolbox.capacities.topLevelItem(0))  # an area: not edited here
    assert not row.isVisible()


def test_an_unsaved_wikidata_item_is_not_dropped_without_asking(qtbot, ui_context, monkeypatch):
    asked = []
    answer = {"discard": False}
    monkeypatch.setattr(page_parts, "ask", lambda _parent, title, text: asked.append(text) or answer["discard"])
    toolbox = ToolboxPage(ui_context)
    qtbot.addWidget(toolbox)
    toolbox.show()
    toolbox.tabs.setCurrentIndex(1)
    legal = toolbox.capacities.topLevelItem(0).child(1)
    toolbox.capacities.setCurrentItem(legal)
    qtbot.keyClicks(toolbox.wikidata.field, "Q7748")
    assert toolbox.has_unsaved_changes()
    toolbox.capacities.setCurrentItem(toolbox.capacities.topLevelItem(0).child(7))  # kept: the person said no
    assert asked == ["The changes to “Legal” are not saved. Discard them?"]
    assert toolbox.capacities.currentItem() is legal and toolbox.wikidata.field.text() == "Q7748"
    answer["discard"] = True
    toolbox.capacities.setCurrentItem(toolbox.capacities.topLevelItem(0).child(7))
    assert toolbox.wikidata.field.text() == "Q11024" and not toolbox.has_unsaved_changes()
    with ui_context.db.read() as session:
        assert session.scalars(select(Capacity.wikidata_id).where(Capacity.key == "legal")).one() is None
