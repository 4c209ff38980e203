"""Every field says who changed it last, on which device and when: locally, through the hub, and in the
mentee dialog and page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from coachdesk.errors import InputError
from coachdesk.i18n import format_datetime
from coachdesk.model import Mentee, MenteeKind, SyncSite, uuid7
from coachdesk.services import hub as hub_service
from coachdesk.services.mentees import MenteeForm, save_mentee
from coachdesk.services.provenance import field_history, record_local_user, row_provenance
from coachdesk.services.team import export_for_hub, import_central, join_team
from coachdesk.services.workspace import open_workspace
from coachdesk.store import clock
from coachdesk.ui.dialogs.field_history import FieldHistoryDialog
from coachdesk.ui.dialogs.mentee_dialog import MenteeDialog
from coachdesk.ui.views.mentee_page import MenteePage


def _near_now(when: datetime, seconds: float = 5) -> bool:
    return abs(datetime.now(UTC) - when) < timedelta(seconds=seconds)


def _add_person(db, name: str, **details) -> object:
    with db.write() as session:
        mentee = Mentee(id=uuid7(), kind=MenteeKind.PERSON, name=name, **details)
        session.add(mentee)
        session.flush()
        return mentee.id


def _edit(db, mentee_id, **values) -> None:
    with db.write() as session:
        mentee = session.get(Mentee, mentee_id)
        for key, value in values.items():
            setattr(mentee, key, value)


def test_a_clock_value_reads_back_as_the_moment_it_was_taken():
    moment = datetime(2026, 3, 12, 13, 5, 7, 250000, tzinfo=UTC)
    ms = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)
    assert clock.to_datetime(clock.pack(ms, 3)) == moment
    assert _near_now(clock.to_datetime(clock.tick(0)))


def test_a_field_edited_here_shows_this_user_and_this_device(db):
    with db.write() as session:
        record_local_user(session, "  Grace   Mensah ")
    mentee_id = _add_person(db, "Amina Bello", email="amina@example.org")
    _edit(db, mentee_id, name="Amina B. Bello")
    with db.read() as session:
        name = field_history(session, "mentee", mentee_id, "name")
        everything = row_provenance(session, "mentee", mentee_id)
    assert (name.who, name.device, name.local) == ("Grace Mensah", "this device", True)
    assert _near_now(name.when)
    # Fields never written since the row was made carry its creation; private ones are recorded here too.
    assert {"name", "region", "email", "private_notes"} <= set(everything)
    assert "id" not in everything and "deleted" not in everything
    assert everything["region"].when <= name.when


def test_unknown_tables_and_fields_are_refused_in_one_sentence_and_unknown_rows_have_no_history(db):
    with db.read() as session:
        with pytest.raises(InputError, match="no history of changes for “sync_state”"):
            field_history(session, "sync_state", uuid7(), "name")
        with pytest.raises(InputError, match="“mentee” has no field “shoe_size”"):
            field_history(session, "mentee", uuid7(), "shoe_size")
        assert field_history(session, "mentee", uuid7(), "name") is None
        assert row_provenance(session, "mentee", uuid7()) == {}


@pytest.fixture
def team(tmp_path):
    """A hub and two devices, A (Grace Mensah on field-laptop) and B (Tomás Rivera on office-pc)."""
    invitation = hub_service.init_hub(tmp_path / "hub", "Kano")
    people = {"a": ("Grace Mensah", "field-laptop"), "b": ("Tomás Rivera", "office-pc")}
    devices = {}
    for key, (user, _device) in people.items():
        devices[key] = open_workspace(tmp_path / f"{key}.sqlite")
        join_team(devices[key], invitation)
        with devices[key].write() as session:
            record_local_user(session, user)

    def sync(*keys: str) -> None:
        for key in keys:
            export_for_hub(devices[key], tmp_path / f"{key}.cdsync", people[key][1])
            hub_service.ingest(tmp_path / "hub", [tmp_path / f"{key}.cdsync"])
        hub_service.export_central(tmp_path / "hub", tmp_path / "central.cdsync")
        for key in keys:
            import_central(devices[key], tmp_path / "central.cdsync")

    yield devices, sync
    for db in devices.values():
        db.close()


def test_a_field_edited_on_another_device_shows_its_user_device_and_time(team):
    devices, sync = team
    mentee_id = _add_person(devices["a"], "Amina Bello", region="West Africa")
    sync("a", "b")
    sync("a", "b")  # B's first export made the hub know it; now the central export reaches B too
    _edit(devices["a"], mentee_id, name="Amina B. Bello")
    edited_at = datetime.now(UTC)
    _edit(devices["b"], mentee_id, region="Nigeria")
    sync("a", "b")
    sync("a", "b")
    with devices["b"].read() as session:
        name = field_history(session, "mentee", mentee_id, "name")
        region = field_history(session, "mentee", mentee_id, "region")
        assert session.get(Mentee, mentee_id).name == "Amina B. Bello"
    assert (name.who, name.device, name.local) == ("Grace Mensah", "field-laptop", False)
    assert abs(name.when - edited_at) < timedelta(seconds=3)
    assert (region.who, region.device, region.local) == ("Tomás Rivera", "this device", True)
    with devices["a"].read() as session:
        region = field_history(session, "mentee", mentee_id, "region")
        kind = field_history(session, "mentee", mentee_id, "kind")
    assert (region.who, region.device) == ("Tomás Rivera", "office-pc")
    assert (kind.who, kind.device) == ("Grace Mensah", "this device")  # as A made the row


def test_a_new_user_name_reaches_the_others_and_a_late_older_bundle_does_not_bring_the_old_one_back(team, tmp_path):
    devices, sync = team
    mentee_id = _add_person(devices["a"], "Amina Bello")
    sync("a", "b")
    sync("a", "b")
    old = tmp_path / "a-old.cdsync"
    _edit(devices["a"], mentee_id, region="Kano")
    export_for_hub(devices["a"], old, "field-laptop")
    with devices["a"].write() as session:
        record_local_user(session, "Grace M. Mensah")
    _edit(devices["a"], mentee_id, region="Kano State")
    sync("a")
    hub_service.ingest(tmp_path / "hub", [old])  # arrives after the newer one
    hub_service.export_central(tmp_path / "hub", tmp_path / "central.cdsync")
    import_central(devices["b"], tmp_path / "central.cdsync")
    with devices["b"].read() as session:
        region = field_history(session, "mentee", mentee_id, "region")
        site = session.scalar(select(SyncSite).where(SyncSite.name == "field-laptop"))
    assert (region.who, region.device) == ("Grace M. Mensah", "field-laptop")
    assert site.user_name == "Grace M. Mensah"


# -- in the app -------------------------------------------------------------------------------------


@pytest.fixture
def amina(ui_context):
    with ui_context.db.write() as session:
        mentee_id = save_mentee(session, MenteeForm(name="Amina Bello", region="West Africa"))
    return mentee_id


def _history_line(dialog: FieldHistoryDialog, field: str) -> str:
    return next(line for line in dialog.lines() if line.startswith(f"{field} — "))


def test_the_mentee_dialog_history_says_who_changed_the_name(qtbot, ui_context, amina):
    dialog = MenteeDialog(ui_context, amina)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.history_button.isEnabled()
    qtbot.mouseClick(dialog.history_button, Qt.MouseButton.LeftButton)
    history = dialog.findChild(FieldHistoryDialog, "field_history")
    assert history is not None and history.isVisible()
    assert history.windowTitle() == "History of Amina Bello"
    line = _history_line(history, "Name")
    assert line.startswith("Name — changed by Test Coach on this device, ")
    with ui_context.db.read() as session:
        when = field_history(session, "mentee", amina, "name").when
    assert line.endswith(", " + format_datetime(when.astimezone(), "medium"))
    assert history.list.currentItem().text() == history.lines()[0]
    # The history of one field, as its context menu's "Who changed this?" opens it.
    region = dialog.show_history("region")
    qtbot.addWidget(region)
    assert region.list.currentItem().text().startswith("Region — changed by Test Coach on this device, ")


def test_a_new_mentee_has_no_history_yet(qtbot, ui_context):
    dialog = MenteeDialog(ui_context, None)
    qtbot.addWidget(dialog)
    assert not dialog.history_button.isEnabled() and dialog.show_history() is None


def test_the_mentee_page_history_button_lists_the_fields(qtbot, ui_context, amina):
    page = MenteePage(ui_context)
    qtbot.addWidget(page)
    page.show_mentee(amina)
    page.show()
    page.history_button.click()
    history = page.findChild(FieldHistoryDialog, "field_history")
    assert history is not None and history.isVisible()
    assert _history_line(history, "Name").startswith("Name — changed by Test Coach on this device, ")
    assert _history_line(history, "Region").startswith("Region — changed by Test Coach on this device, ")


def test_the_name_in_the_settings_is_who_changes_what_this_device_writes(qtbot, ui_context):
    def local_user() -> str:
        with ui_context.db.read() as session:
            return session.scalar(select(SyncSite.user_name).where(SyncSite.is_local.is_(True)))

    assert local_user() == "Test Coach"  # recorded when the app starts
    ui_context.settings.user_name = "Amina Yusuf"
    ui_context.navigator.settings_changed.emit()  # as the Settings page does when it saves
    qtbot.waitUntil(lambda: local_user() == "Amina Yusuf")
