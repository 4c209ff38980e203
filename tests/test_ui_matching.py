"""Peer matching as a coach meets it: the mentee's opt-in in the dialog and the spreadsheet, and the
Peers tab of the mentee page with its empty states, keyboard path and print button."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from coachdesk.model import Mentee
from coachdesk.services.spreadsheets import export_csv, import_csv
from coachdesk.ui.dialogs.mentee_dialog import MenteeDialog
from coachdesk.ui.views.mentee_page import PeerRole, MenteePage
from tests.test_matching import NEVER, add_person, build_scenario


@pytest.fixture
def scenario(ui_context):
    with ui_context.db.write() as session:
        return build_scenario(session)


def opted_in(db, mentee_id) -> bool:
    with db.read() as session:
        return session.get(Mentee, mentee_id).open_to_peers


def test_ticking_the_opt_in_in_the_mentee_dialog_saves_it(qtbot, ui_context, scenario):
    dialog = MenteeDialog(ui_context, scenario.amina)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.open_to_peers.isChecked()
    assert "never their contact details" in dialog.peers_hint.text()
    dialog.open_to_peers.setFocus()
    qtbot.keyClick(dialog.open_to_peers, Qt.Key.Key_Space)
    assert dialog.values()["open_to_peers"] is True  # kept in the draft too
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == MenteeDialog.DialogCode.Accepted)
    assert opted_in(ui_context.db, scenario.amina)
    again = MenteeDialog(ui_context, scenario.amina)
    qtbot.addWidget(again)
    assert again.open_to_peers.isChecked()


def test_the_spreadsheet_carries_the_opt_in(ui_context, scenario, tmp_path: Path):
    db = ui_context.db
    out = tmp_path / "mentees.csv"
    export_csv(db, "mentees", out)
    header, *rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert header.split(",")[-1] == "open_to_peers"
    assert any(row.startswith(str(scenario.ids["bello"])) and row.endswith(",yes") for row in rows)
    changes = tmp_path / "changes.csv"
    changes.write_text(f"id,name,open_to_peers\n{scenario.amina},Amina Yusuf,Yes\n"
                       f"{scenario.ids['bello']},Bello Sani,0\n,New Peer,true\n,Quiet Person,\n", encoding="utf-8")
    import_csv(db, "mentees", changes)
    assert opted_in(db, scenario.amina) and not opted_in(db, scenario.ids["bello"])
    with db.read() as session:
        added = dict(session.execute(select(Mentee.name, Mentee.open_to_peers).where(
            Mentee.name.in_(["New Peer", "Quiet Person"]))).all())
    assert added == {"New Peer": True, "Quiet Person": False}
    # A file without the column leaves everyone's answer as it was.
    names_only = tmp_path / "names.csv"
    names_only.write_text(f"id,name\n{scenario.amina},Amina Y.\n", encoding="utf-8")
    import_csv(db, "mentees", names_only)
    assert opted_in(db, scenario.amina)


@pytest.fixture
def page(qtbot, ui_context):
    widget = MenteePage(ui_context)
    qtbot.addWidget(widget)
    widget.resize(1100, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def peer_rows(view: MenteePage) -> list[tuple[str, list[str]]]:
    """(gap heading, [its peers' rows]) as the list shows them."""
    rows: list[tuple[str, list[str]]] = []
    for n in range(view.peers.count()):
        item = view.peers.item(n)
        if item.data(PeerRole) is None:
            rows.append((item.text(), []))
        else:
            rows[-1][1].append(item.text())
    return rows


def test_the_peers_tab_lists_peers_per_gap_and_opens_one(qtbot, page, scenario):
    page.show_mentee(scenario.amina)
    page.side_tabs.setCurrentIndex(page.peers_tab)
    qtbot.waitUntil(lambda: page.peers_found is not None)
    rows = peer_rows(page)
    assert [gap for gap, _peers in rows] == ["Fundraising — level 1, high priority", "Legal — level 2, medium priority"]
    fundraising = rows[0][1]
    assert [line.split(" · ")[0] for line in fundraising] == ["Bello Sani", "Chinedu Obi", "Dayo Ade", "Zara Diop"]
    assert "level 4 · speaks Hausa" in fundraising[0]
    assert fundraising[2].endswith("They can offer: Fundraising 4 · You can offer: Event management 5, "
                                   "Public speaking and self-presentation 4")
    shown = "\n".join(line for _gap, peers in rows for line in peers)
    for name in NEVER:
        assert name not in shown
    assert page.print_peers.isEnabled()
    # The first peer is current: Enter opens their page.
    assert page.peers.currentItem().data(PeerRole) == scenario.ids["bello"]
    qtbot.keyClick(page.peers, Qt.Key.Key_Down)
    assert page.peers.currentItem().data(PeerRole) == scenario.ids["chinedu"]
    qtbot.keyClick(page.peers, Qt.Key.Key_Up)
    page.peers.setFocus()
    with qtbot.waitSignal(page.context.navigator.mentee_requested) as opened:
        qtbot.keyClick(page.peers, Qt.Key.Key_Return)
    assert opened.args == [scenario.ids["bello"]]


def test_the_peers_tab_says_why_it_is_empty(qtbot, page, ui_context, scenario):
    with ui_context.db.write() as session:
        newcomer = add_person(session, "Newcomer", open_to_peers=False)
    page.show_mentee(newcomer)
    qtbot.waitUntil(lambda: page.peers_found is not None and page.peers_found.mentee_id == newcomer)
    assert "Newcomer has no assessment yet" in page.peers_caption.text()
    assert page.peers.isHidden() and not page.print_peers.isEnabled()
    # Dayo's gaps are Amina's strengths, but Amina has not agreed to be suggested.
    page.show_mentee(scenario.ids["dayo"])
    qtbot.waitUntil(lambda: page.peers_found.mentee_id == scenario.ids["dayo"])
    assert "Nobody who agreed to be suggested as a peer has one of these gaps as an asset yet (6 mentees agreed)" \
        in page.peers_caption.text()


def test_print_peer_exchange_opens_the_preview_in_the_mentees_language(qtbot, page, ui_context, scenario):
    with ui_context.db.write() as session:
        session.get(Mentee, scenario.amina).languages = ["ha", "fr"]  # Hausa is not printed yet: French is
    page.show_mentee(scenario.amina)
    qtbot.waitUntil(lambda: page.peers_found is not None and page.print_peers.isEnabled())
    dialog = page.print_document("peer-exchange")  # deletes itself on close
    assert dialog.chosen_language() == "fr"
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=15000)
    _pages, text = pdf_words_of(dialog.data)
    assert "Échange entre pairs" in text and "Bello Sani" in text and "Perfect Match" not in text
    dialog.reject()


def pdf_words_of(data: bytes) -> tuple[int, str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document), "\n".join(document[n].get_textpage().get_text_range() for n in range(len(document)))
    finally:
        document.close()
