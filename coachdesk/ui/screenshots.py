"""Render every main screen offscreen from demo data to PNG files: ``python -m coachdesk.ui.screenshots DIR``.

Used by ``make screenshots`` for docs/screenshots/ (English and Arabic), and to look at the
screens as a person would before a change is called done.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from coachdesk.i18n import _
from coachdesk.model import Assessment, Mentee, MenteeKind, Plan, PlanGoal, TrainerTrackStep
from coachdesk.services.demo import generate_demo
from coachdesk.services.settings import Settings
from coachdesk.services.workspace import open_workspace
from coachdesk.ui.app import Shell, build_context, make_application
from coachdesk.ui.main_window import PAGES

SIZE = (1280, 800)


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def _save(widget: QWidget, path: Path, app: QApplication) -> None:
    _settle(app)
    widget.grab().save(str(path))
    print(path)


def _drop(dialog: QWidget) -> None:
    """Close a dialog nobody typed in, without its "discard changes?" question."""
    dialog.hide()
    dialog.deleteLater()


def _add_a_duplicate(db, mentee_id):  # type: ignore[no-untyped-def]
    """The featured mentee entered a second time on another device, as the merge dialog shows it."""
    from coachdesk.services.mentees import load_form, save_mentee

    with db.write() as session:
        form = load_form(session, mentee_id)
        form.id, form.name, form.region = None, form.name.upper(), ""
        save_mentee(session, form)
    return mentee_id


def render(out: Path, languages: list[str], mentees: int = 200) -> None:
    os.environ.setdefault("COACHDESK_DATA_DIR", tempfile.mkdtemp(prefix="coachdesk-shots-"))
    app = make_application()
    db = open_workspace(Path(tempfile.mkdtemp(prefix="coachdesk-shots-db-")) / "Demo.sqlite")
    generate_demo(db, mentees=mentees, seed=1, today=date.today())
    with db.read() as session:
        # A mentee with several assessments shows the radar overlay and a full timeline.
        featured = session.execute(
            select(Mentee.id).join(Assessment, Assessment.mentee_id == Mentee.id)
            .where(Mentee.kind == "person").group_by(Mentee.id).order_by(func.count().desc(), Mentee.name).limit(1)
        ).scalar_one()
        featured_plan = session.scalars(
            select(Plan.id).join(PlanGoal, PlanGoal.plan_id == Plan.id).where(Plan.status == "active")
            .group_by(Plan.id).order_by(func.count().desc(), Plan.id).limit(1)
        ).first()
    twin_of = _add_a_duplicate(db, featured)
    adapted = _adapt_a_template(db)
    peered = _best_peered(db)
    with db.read() as session:
        trainee = session.scalar(select(TrainerTrackStep.trainee_id).group_by(TrainerTrackStep.trainee_id)
                                 .order_by(func.count().desc()).limit(1))  # the new trainer part-way along
        group = session.scalar(select(Mentee.id).where(Mentee.kind == MenteeKind.GROUP, Mentee.archived.is_(False))
                               .order_by(Mentee.name).limit(1))
    exported = Path(tempfile.mkdtemp(prefix="coachdesk-shots-capx-")) / "profiles.json"
    from coachdesk.services.capx import export_profiles

    export_profiles(db, exported, [peered])
    for language in languages:
        folder = out / language
        folder.mkdir(parents=True, exist_ok=True)
        settings = Settings(language=language, user_name="Grace Mensah", device_name="field-laptop")
        context = build_context(db, settings)
        shell = Shell(app, context)
        window = shell.show()
        window.resize(*SIZE)
        for spec in PAGES:
            page = window.show_page(spec.key)
            if spec.key == "plans" and featured_plan is not None:
                page.show_plan(featured_plan)  # type: ignore[attr-defined]
            if spec.key == "templates":
                page.current = adapted  # type: ignore[attr-defined]
                page.reload()  # type: ignore[attr-defined]
            if spec.key == "builders" and trainee is not None:
                page.select(trainee)  # type: ignore[attr-defined]
            _save(window, folder / f"{PAGE_SHOTS[spec.key]}.png", app)
        window.show_mentee(featured)
        _save(window, folder / "12-mentee-page.png", app)
        dialog = window.log_session([featured])
        _save(dialog, folder / "13-log-session.png", app)
        _drop(dialog)
        wizard = window.start_assessment(featured)
        wizard.resize(1000, 700)
        for _step in range(3):
            wizard.next()
        _save(wizard, folder / "14-assessment-wizard.png", app)
        _drop(wizard)
        window.resize(1024, 600)
        window.show_page("mentees").show_list()  # type: ignore[attr-defined]
        _save(window, folder / "15-mentees-netbook.png", app)
        window.resize(*SIZE)
        window.show_mentee(featured)
        preview = window.show_page("mentees").mentee_page.print_document("assessment")  # type: ignore[attr-defined]
        context.tasks.wait_idle()
        _settle(app)
        _save(preview, folder / "16-print-preview.png", app)
        _drop(preview)
        mentees = window.show_page("mentees")
        mentees.show_list()  # type: ignore[attr-defined]
        mentees.select_mentee(twin_of)  # type: ignore[attr-defined]
        merge = mentees.merge_duplicates()  # type: ignore[attr-defined]
        _save(merge, folder / "17-merge-duplicates.png", app)
        _drop(merge)
        from coachdesk.ui.lock import ChoosePassphraseDialog, Locker

        protect = ChoosePassphraseDialog(window, _("Protect your data"), first_start=True)
        protect.show()
        _save(protect, folder / "18-protect-your-data.png", app)
        _drop(protect)
        window.show_page("today")
        locker = Locker(lambda: window, db.path, minutes=lambda: 15, protected=lambda: True)
        locker.lock()
        _save(window, folder / "19-locked.png", app)
        _save(locker.dialog, folder / "20-unlock.png", app)
        locker.dialog.hide()
        locker.unlock()
        app.removeEventFilter(locker)
        locker.timer.stop()
        _render_two_way(window, context, folder, app, peered=peered, group=group, trainee=trainee,
                        exported=exported)
        _render_first_start(window, folder, app, language)
        context.tasks.wait_idle()
        window.hide()
        window.deleteLater()
    db.close()


#: The file each page's screenshot is saved as; the guide and the metadata link these names.
PAGE_SHOTS = {
    "today": "01-today", "mentees": "02-mentees", "sessions": "03-sessions", "assessments": "04-assessments",
    "plans": "05-plans", "toolbox": "06-toolbox", "funding": "07-funding", "requests": "08-requests",
    "sync": "09-sync", "reports": "10-reports", "settings": "11-settings", "templates": "23-templates",
    "builders": "24-capacity-builders",
}


def _adapt_a_template(db):  # type: ignore[no-untyped-def]
    """A community's copy of the board template, with a question of its own, as the Templates page shows it."""
    from coachdesk.model import Capacity, Community
    from coachdesk.services.template_data import template_id
    from coachdesk.services.templates import add_question, copy_template

    with db.write() as session:
        community = session.scalar(select(Community.id).order_by(Community.name).limit(1))
        copy = copy_template(session, template_id("organization"), "Board self-assessment (adapted)",
                             community, "en")
        travel = session.scalar(select(Capacity.id).where(Capacity.key == "travel_visa"))
        add_question(session, copy, travel)
    return copy


def _best_peered(db):  # type: ignore[no-untyped-def]
    """The person whose peers show most exchanges both ways, among the first mentees with assessments."""
    from coachdesk.services.matching import find_peers

    with db.read() as session:
        candidates = session.scalars(
            select(Mentee.id).join(Assessment, Assessment.mentee_id == Mentee.id)
            .where(Mentee.kind == MenteeKind.PERSON, Mentee.archived.is_(False)).group_by(Mentee.id)
            .order_by(Mentee.name).limit(60)).all()
        found = [find_peers(session, mid, "en") for mid in candidates]
    best = max(found, key=lambda f: (sum(s.two_way for g in f.gaps for s in g.suggestions), f.pairs))
    return best.mentee_id


def _render_two_way(window, context, folder: Path, app: QApplication, *, peered, group, trainee,  # type: ignore[no-untyped-def]
                    exported: Path) -> None:
    """The screens of two-way capacity building: peers, a group sitting, the template chosen,
    a capacity builder's profile and a Capacity Exchange import."""
    window.show_mentee(peered)
    page = window.show_page("mentees").mentee_page  # type: ignore[attr-defined]
    page.side_tabs.setCurrentIndex(page.peers_tab)
    context.tasks.wait_idle()
    _settle(app)
    _save(window, folder / "25-peers.png", app)
    page.side_tabs.setCurrentIndex(0)

    wizard = window.start_assessment(group)
    wizard.resize(1000, 700)
    wizard.who.participants.setValue(14)
    _save(wizard, folder / "26-assessment-template-choice.png", app)
    wizard.next()
    wizard.next()
    for block, votes, level in zip(wizard.currentPage().blocks, ([0, 2, 7, 4, 1], [3, 6, 4, 1, 0]), (3, 2)):
        block.tally.set_votes(votes)
        block.scale.set_level(level)
    _save(wizard, folder / "27-group-assessment.png", app)
    _drop(wizard)

    if trainee is not None:
        builders = window.show_page("builders")
        builders.select(trainee)  # type: ignore[attr-defined]
        dialog = builders.edit_profile()  # type: ignore[attr-defined]
        if dialog is not None:
            _save(dialog, folder / "28-capacity-builder-profile.png", app)
            _drop(dialog)

    from coachdesk.ui.dialogs.capx_import import CapxImportDialog

    preview = CapxImportDialog(context, exported, window)
    preview.show()
    context.tasks.wait_idle()
    _settle(app)
    _save(preview, folder / "29-capacity-exchange-import.png", app)
    _drop(preview)


WELCOME_PAGES = ("language", "about-you", "passphrase", "team", "explore")


def _render_first_start(window, folder: Path, app: QApplication, language: str) -> None:  # type: ignore[no-untyped-def]
    """The welcome wizard's pages as a first start shows them, and the bar over sample data."""
    from coachdesk.ui.dialogs.welcome import WelcomeWizard

    settings = Settings(language=language, user_name="Grace Mensah", device_name="field-laptop")
    wizard = WelcomeWizard(settings, Path(tempfile.mkdtemp(prefix="coachdesk-shots-new-")) / "coachdesk.sqlite",
                           on_language=lambda _code: None, parent=window)
    wizard.show()
    for number, name in enumerate(WELCOME_PAGES, start=1):
        _save(wizard, folder / f"21-welcome-{number}-{name}.png", app)
        if name == "passphrase":
            wizard.passphrase.not_now.setChecked(True)  # the screen shows the recommended choice; go on without
        if name != WELCOME_PAGES[-1]:
            wizard.next()
    _drop(wizard)  # never finished: nothing is made
    window.show_page("today")
    window.show_sample_banner(lambda: None)
    _save(window, folder / "22-sample-data.png", app)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--languages", default="en,ar")
    args = parser.parse_args()
    render(args.out, args.languages.split(","))
    return 0


if __name__ == "__main__":
    sys.exit(main())
