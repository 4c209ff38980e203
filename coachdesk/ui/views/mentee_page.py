"""One mentee's page: profile, journey steps, a timeline, the current plan and the capacity radar."""

from __future__ import annotations

import uuid
from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QMenu,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyle,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import _, current_language, format_date, format_number, isolated, language_name, ngettext
from coachdesk.model import JourneyStage, erased_name
from coachdesk.services.matching import PeerMatches, PeerSuggestion, empty_reason, find_peers, offers_text
from coachdesk.services.mentee_profile import MenteeProfile, PlanSummary, TimelineEntry, TimelineKind, mentee_profile
from coachdesk.services.mentees import set_archived, set_stage
from coachdesk.services.privacy import erase_person, write_person_export
from coachdesk.services.vocabulary import label
from coachdesk.services import printing
from coachdesk.ui.dialogs.print_preview import PrintPreviewDialog
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.models.mentee_table import languages_text
from coachdesk.ui.widgets.journey_steps import JourneySteps
from coachdesk.ui.widgets.radar_chart import RadarChart, RadarSeries
from coachdesk.ui.widgets.wrapped_rows import WrappedRows

#: Tables whose changes can alter what the page shows.
PROFILE_TABLES = ("mentee", "community", "coach", "coaching_session", "session_participant", "assessment",
                  "capacity_rating", "plan", "plan_goal", "plan_action", "capacity_text")
EntryRole = Qt.ItemDataRole.UserRole + 1
#: A peer row's mentee id, in the Peers tab.
PeerRole = Qt.ItemDataRole.UserRole + 2


def confirm(parent: QWidget, title: str, question: str, yes_text: str) -> bool:
    """Ask before something that changes a mentee; tests replace this to answer without a modal loop."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("&Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes


def choose_person_export_path(parent: QWidget, suggested: Path) -> Path | None:
    """Where to save a person's data; tests replace this to answer without a file dialog."""
    name, _filter = QFileDialog.getSaveFileName(parent, _("Export this person's data"), str(suggested),
                                                _("JSON files (*.json)"))
    return Path(name) if name else None


def show_error(parent: QWidget, title: str, error: BaseException, what: str) -> None:
    message = str(error) if isinstance(error, CoachDeskError) else _("{what} could not be saved: {reason}").format(
        what=what, reason=error)
    QMessageBox.warning(parent, title, message)


def overdue_colour(widget: QWidget) -> QColor:
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#ef9a9a") if dark else QColor("#c62828")


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("{hours} h {minutes} min").format(hours=format_number(hours), minutes=format_number(rest))
    if hours:
        return _("{hours} h").format(hours=format_number(hours))
    return _("{minutes} min").format(minutes=format_number(minutes))


def timeline_text(entry: TimelineEntry, now: datetime) -> tuple[str, str]:
    """The two lines a timeline row shows: when and what kind, then what."""
    day = format_date(entry.when.date(), "medium")
    if entry.kind is TimelineKind.SESSION:
        kind = label(entry.session_kind) if entry.session_kind else _("Session")
        first = _("{date} · {kind} · {duration}").format(date=day, kind=kind,
                                                        duration=duration_text(entry.duration_minutes or 0))
        if entry.when > now:
            first = _("Upcoming: {when}").format(when=first)
        return first, entry.title or _("(no title)")
    if entry.kind is TimelineKind.ASSESSMENT:
        rated = ngettext("{count} capacity rated", "{count} capacities rated", entry.rated).format(
            count=format_number(entry.rated))
        if entry.average_level is not None:
            rated = _("{rated}, average level {level}").format(
                rated=rated, level=format_number(round(entry.average_level, 1)))
        return _("{date} · Assessment").format(date=day), rated
    if entry.kind is TimelineKind.PLAN_CREATED:
        return _("{date} · Plan created").format(date=day), entry.title
    return _("{date} · Plan action done").format(date=day), entry.title


class _Body(QSplitter):
    """The three panes. It asks for no more than its floor, so the page scrolls only when the
    header and the floor do not fit, and otherwise the panes take all the height left."""

    FLOOR = 280

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(self.FLOOR, self.minimumSizeHint().height()))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(self.FLOOR, hint.height()))


class MenteePage(QWidget):
    """Shows one mentee; ``back_requested`` asks the list to come back, ``session_activated`` opens a session."""

    back_requested = Signal()
    session_activated = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.mentee_id: uuid.UUID | None = None
        self.profile: MenteeProfile | None = None
        #: The peers last found for the mentee shown (loaded off the GUI thread).
        self.peers_found: PeerMatches | None = None
        self._stale = False
        self._build()
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Alt+Left"), QKeySequence(Qt.Key.Key_Backspace)):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.back_requested.emit)
        context.changes.changed.connect(self._on_changed)

    # -- layout

    def _build(self) -> None:
        self.back_button = QToolButton()
        self.back_button.setText(_("&Back to mentees"))
        self.back_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowBack))
        self.back_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.back_button.setToolTip(_("Back to the list (Escape)"))
        self.back_button.clicked.connect(self.back_requested.emit)
        self.title = QLabel()
        self.title.setObjectName("mentee_name")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.erased_badge = QLabel(_("Erased"))
        self.erased_badge.setObjectName("mentee_erased")
        badge_font = self.erased_badge.font()
        badge_font.setBold(True)
        self.erased_badge.setFont(badge_font)
        self.erased_badge.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.title, 1)
        top.addWidget(self.erased_badge, 0, Qt.AlignmentFlag.AlignTop)

        self.summary = QLabel()
        self.consent = QLabel()
        self.contact = QLabel()
        #: What the last export or erasure did, in one sentence.
        self.notice = QLabel()
        self.notice.setVisible(False)
        for info in (self.summary, self.consent, self.contact, self.notice):
            info.setWordWrap(True)
            info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.consent_icon = QLabel()
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.consent_icon.setPixmap(warning.pixmap(16, 16))
        consent_row = QHBoxLayout()
        consent_row.setSpacing(4)
        consent_row.addWidget(self.consent_icon, 0, Qt.AlignmentFlag.AlignTop)
        consent_row.addWidget(self.consent, 1)
        info_box = QVBoxLayout()
        info_box.setSpacing(2)
        info_box.addWidget(self.summary)
        info_box.addLayout(consent_row)
        info_box.addWidget(self.contact)
        info_box.addWidget(self.notice)
        info_box.addStretch(1)

        self.log_button = QPushButton(_("&Log a session"))
        self.assess_button = QPushButton(_("Start &assessment"))
        self.edit_button = QPushButton(_("&Edit details"))
        self.archive_button = QPushButton(_("Archi&ve"))
        self.print_button = QPushButton(_("&Print…"))
        print_menu = QMenu(self.print_button)
        print_menu.addAction(_("Assessment summary…"), lambda: self.print_document("assessment"))
        print_menu.addAction(_("Capacity plan…"), lambda: self.print_document("plan"))
        print_menu.addAction(_("Peer exchange…"), lambda: self.print_document("peer-exchange"))
        self.print_button.setMenu(print_menu)
        self.privacy_button = QPushButton(_("Personal &data…"))
        privacy_menu = QMenu(self.privacy_button)
        self.export_action = privacy_menu.addAction(_("Export this person's data…"), self.export_person_data)
        self.erase_action = privacy_menu.addAction(_("Erase this person…"), self.erase_person_data)
        self.privacy_button.setMenu(privacy_menu)
        self.log_button.clicked.connect(lambda: self.context.navigator.session_log_requested.emit([self.mentee_id]))
        self.assess_button.clicked.connect(lambda: self.context.navigator.assessment_requested.emit(self.mentee_id))
        self.edit_button.clicked.connect(self.edit_details)
        self.archive_button.clicked.connect(self.toggle_archived)
        actions = QGridLayout()
        actions.setSpacing(4)
        for n, button in enumerate((self.log_button, self.assess_button, self.edit_button, self.archive_button,
                                    self.print_button, self.privacy_button)):
            actions.addWidget(button, n // 2, n % 2)
        self.history_button = QPushButton(_("&History…"))
        self.history_button.setToolTip(_("Who changed each field last, on which device and when"))
        self.history_button.clicked.connect(lambda: self.show_history())
        actions.addWidget(self.history_button, actions.count() // 2, actions.count() % 2)
        header = QHBoxLayout()
        header.addLayout(info_box, 1)
        header.addLayout(actions)

        self.steps = JourneySteps()
        self.steps.stage_chosen.connect(self.move_to_stage)

        self.timeline = QListWidget()
        self.timeline.setAccessibleName(_("Timeline"))
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setSpacing(2)
        self.timeline.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.timeline.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline.setItemDelegate(WrappedRows(self.timeline))
        self.timeline.itemActivated.connect(self._timeline_activated)
        self.timeline_empty = QLabel(_("Nothing logged yet: no sessions, assessments or plans."))
        self.timeline_empty.setWordWrap(True)
        timeline_box = self._pane(_("Timeline"), self.timeline_empty, self.timeline)

        self.plan_title = QLabel(_("No active plan yet."))
        self.plan_title.setWordWrap(True)
        self.plan_view = QTextBrowser()
        self.plan_view.setOpenLinks(False)
        self.plan_view.document().setIndentWidth(16)
        self.plan_view.setAccessibleName(_("Current plan"))
        self.plan_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.open_plans = QPushButton(_("Open in &Plans"))
        self.open_plans.clicked.connect(lambda: self.context.navigator.page_requested.emit("plans"))
        plan_box = self._pane(_("Current plan"), self.plan_title, self.plan_view, self.open_plans)

        self.radar = RadarChart()
        self.radar.setMinimumSize(220, 200)
        self.radar_caption = QLabel()
        self.radar_caption.setWordWrap(True)
        radar_box = self._tab(self.radar_caption, self.radar)
        peers_box = self._build_peers()
        # The capacities and the peers suggested for their gaps share one pane, a tab each.
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("mentee_side_tabs")
        self.side_tabs.setMinimumWidth(200)
        self.side_tabs.addTab(radar_box, _("Capaci&ties"))
        self.peers_tab = self.side_tabs.addTab(peers_box, _("Pee&rs"))
        self.side_tabs.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.body = _Body(Qt.Orientation.Horizontal)
        self.body.setChildrenCollapsible(False)
        for pane in (timeline_box, plan_box, self.side_tabs):
            self.body.addWidget(pane)
        self.body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(top)
        layout.addLayout(header)
        layout.addWidget(self.steps)
        layout.addWidget(self.body, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setFocusProxy(self.back_button)

    def _build_peers(self) -> QWidget:
        """The Peers tab: for each priority gap, mentees who agreed to be suggested and have it as an asset."""
        self.peers_caption = QLabel()
        self.peers_caption.setObjectName("peers_caption")
        self.peers_caption.setWordWrap(True)
        self.peers_caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A list, like the timeline: its rows wrap to the pane's width. Each gap is a bold row, its peers below.
        self.peers = QListWidget()
        self.peers.setObjectName("peers")
        self.peers.setAccessibleName(_("Suggested peers"))
        self.peers.setWordWrap(True)
        self.peers.setSpacing(1)
        self.peers.setAlternatingRowColors(True)
        self.peers.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.peers.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.peers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.peers.setItemDelegate(WrappedRows(self.peers))
        self.peers.setToolTip(_("Double-click or press Enter to open the peer's page"))
        self.peers.itemActivated.connect(self._peer_activated)
        self.print_peers = QPushButton(_("Print peer e&xchange…"))
        self.print_peers.clicked.connect(lambda: self.print_document("peer-exchange"))
        return self._tab(self.peers_caption, self.peers, self.print_peers)

    @staticmethod
    def _tab(*widgets: QWidget) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(6, 6, 6, 6)
        for widget in widgets:
            column.addWidget(widget, 1 if isinstance(widget, (QListWidget, RadarChart)) else 0)
        return page

    @staticmethod
    def _pane(title: str, *widgets: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        box.setMinimumWidth(200)
        column = QVBoxLayout(box)
        column.setContentsMargins(6, 6, 6, 6)
        for widget in widgets:
            column.addWidget(widget, 1 if isinstance(widget, (QListWidget, QTextBrowser, RadarChart)) else 0)
        return box

    # -- loading

    def show_mentee(self, mentee_id: uuid.UUID) -> None:
        if mentee_id != self.mentee_id:
            self.notice.setVisible(False)
        self.mentee_id = mentee_id
        self.reload()

    def reload(self) -> None:
        if self.mentee_id is None:
            return
        self._stale = False
        try:
            with self.context.db.read() as session:
                profile = mentee_profile(session, self.mentee_id)
        except CoachDeskError:
            # Removed on another device (or by an import): nothing left to show here.
            self.profile = None
            self.back_requested.emit()
            return
        self.profile = profile
        self._show_header(profile)
        self.steps.set_stage(profile.header.journey_stage)
        self._show_timeline(profile)
        self._show_plan(profile.plan)
        self._show_radar(profile)
        self._load_peers()

    def _on_changed(self, summary: object, _initiator: object) -> None:
        if self.mentee_id is None or not touches(summary, *PROFILE_TABLES):
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _show_header(self, profile: MenteeProfile) -> None:
        h = profile.header
        self.title.setText(_("{name} (archived)").format(name=h.name) if h.archived else h.name)
        parts = [label(h.kind)] + [p for p in (h.community, h.region) if p]
        if h.languages:
            parts.append(languages_text(h.languages))
        if h.coach:
            parts.append(_("Coach: {name}").format(name=h.coach))
        self.summary.setText(" · ".join(parts))
        bold = self.consent.font()
        if h.consent_given_on is None:
            bold.setBold(True)
            self.consent.setText(_("No consent recorded: ask before keeping personal data, then add it in "
                                   "“Edit details”."))
        else:
            bold.setBold(False)
            when = format_date(h.consent_given_on, "medium")
            self.consent.setText(_("Consent given on {date} by {by}").format(date=when, by=h.consent_given_by)
                                 if h.consent_given_by else _("Consent given on {date}").format(date=when))
        self.consent.setFont(bold)
        self.consent_icon.setVisible(h.consent_given_on is None)
        contact = [p for p in (h.email, h.phone) if p]
        if contact:
            self.contact.setText(_("{contact} — private, never leaves this device").format(
                contact=" · ".join(contact)))
        else:
            self.contact.setText(_("No contact details"))
        self.archive_button.setText(_("Unarchi&ve") if h.archived else _("Archi&ve"))
        self.erased_badge.setVisible(h.erased)
        self.contact.setVisible(not h.erased)
        self.edit_button.setEnabled(not h.erased)
        self.erase_action.setEnabled(not h.erased)
        if h.erased:
            self.consent_icon.setVisible(False)
            self.consent.setFont(self.summary.font())
            self.consent.setText(_("This person's data was erased at their request. Their sessions, assessments "
                                   "and plans are kept, without their name, for the evaluation counts."))

    def _show_timeline(self, profile: MenteeProfile) -> None:
        self.timeline.clear()
        now = datetime.now()
        for entry in profile.timeline:
            first, second = timeline_text(entry, now)
            item = QListWidgetItem(f"{first}\n{second}")
            item.setData(EntryRole, (entry.kind, entry.ref_id))
            item.setToolTip(f"{first}\n{second}")
            self.timeline.addItem(item)
        self.timeline.setVisible(bool(profile.timeline))
        self.timeline_empty.setVisible(not profile.timeline)
        if profile.timeline:
            self.timeline.setCurrentRow(0)

    def _show_plan(self, plan: PlanSummary | None) -> None:
        self.plan_view.clear()
        self.plan_view.setVisible(plan is not None)
        self.plan_title.setVisible(plan is None)
        if plan is None:
            return
        review = _("review on {date}").format(date=format_date(plan.review_on, "medium")) if plan.review_on else ""
        heading = " · ".join(p for p in (plan.title, label(plan.status), review) if p)
        late = overdue_colour(self).name()
        # The plan's title scrolls with its goals: a label above would be squeezed at large font sizes.
        parts = [f"<p><i>{escape(heading)}</i></p>"]
        for goal in plan.goals:
            text = goal.description or goal.capacity
            if goal.capacity and goal.description:
                text = _("{capacity}: {goal}").format(capacity=goal.capacity, goal=goal.description)
            if goal.target_level:
                text = _("{goal} (target level {level})").format(goal=text, level=format_number(goal.target_level))
            parts.append(f"<p style='margin-bottom:2px'><b>{escape(text)}</b></p><ul style='margin-top:0'>")
            for action in goal.actions:
                words = [label(action.status), action.description]
                if action.overdue and action.due_on:
                    words.append(_("overdue since {date}").format(date=format_date(action.due_on, "medium")))
                elif action.due_on and action.completed_on is None:
                    words.append(_("due {date}").format(date=format_date(action.due_on, "medium")))
                line = escape(" · ".join(words))
                if action.overdue:
                    line = f"<b style='color:{late}'>{line}</b>"
                parts.append(f"<li>{line}</li>")
            parts.append("</ul>")
        if not plan.goals:
            parts.append(f"<p>{escape(_('This plan has no goals yet.'))}</p>")
        self.plan_view.setHtml("".join(parts))

    def _show_radar(self, profile: MenteeProfile) -> None:
        radar = profile.radar
        series = [RadarSeries(format_date(s.assessed_on, "medium"), list(s.levels)) for s in radar.series]
        self.radar.set_data(list(radar.axes), series)
        self.radar.setVisible(bool(radar.series))
        # The chart's legend names the dates; the sentence is for screen readers and the tooltip.
        self.radar_caption.setVisible(not radar.series)
        if not radar.series:
            self.radar_caption.setText(_("No assessment yet. “Start assessment” runs one with the mentee."))
        elif len(radar.series) == 1:
            self.radar.setToolTip(_("Assessment of {date}.").format(date=series[-1].label))
        else:
            self.radar.setToolTip(_("Latest assessment ({latest}) over the previous one ({previous}).").format(
                latest=series[-1].label, previous=series[0].label))

    def _load_peers(self) -> None:
        """Find the peers off the GUI thread: at the hub's scale it is a query over every opted-in mentee."""
        mentee_id = self.mentee_id
        if mentee_id is None:
            return
        language = current_language()
        self.peers_caption.setText(_("Looking for peers…"))
        self.peers_caption.setVisible(True)
        self.context.tasks.read(lambda session: find_peers(session, mentee_id, language),
                                success=lambda found: self._show_peers(mentee_id, found),
                                failure=lambda error: self._peers_failed(mentee_id, error),
                                title=_("Find peers"))

    def _peers_failed(self, mentee_id: uuid.UUID, error: BaseException) -> None:
        if mentee_id == self.mentee_id:
            self.peers.clear()
            self.peers.setVisible(False)
            self.peers_caption.setText(str(error) if isinstance(error, CoachDeskError)
                                       else _("The peers could not be found: {reason}").format(reason=error))

    def _show_peers(self, mentee_id: uuid.UUID, found: PeerMatches) -> None:
        if mentee_id != self.mentee_id:
            return  # an answer for the mentee shown before
        self.peers_found = found
        self.peers.clear()
        reason = empty_reason(found)
        if not reason and not found.pairs:
            reason = ngettext("Nobody who agreed to be suggested as a peer has one of these gaps as an asset "
                              "yet ({count} mentee agreed).",
                              "Nobody who agreed to be suggested as a peer has one of these gaps as an asset "
                              "yet ({count} mentees agreed).", found.opted_in).format(count=found.opted_in)
        self.peers_caption.setText(reason or _("Peers for each priority gap, from the assessment of {date}. Only "
                                               "mentees who agreed to be suggested are shown.").format(
            date=isolated(format_date(found.assessed_on, "medium"))))
        self.peers_caption.setVisible(True)
        bold = self.peers.font()
        bold.setBold(True)
        for gap in found.gaps:
            heading = QListWidgetItem(_("{capacity} — level {level}, {priority} priority").format(
                capacity=gap.label, level=format_number(gap.level), priority=label(gap.priority).lower()))
            heading.setFont(bold)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not selectable, skipped by the arrow keys
            self.peers.addItem(heading)
            for suggestion in gap.suggestions:
                item = QListWidgetItem(self.peer_text(suggestion))
                item.setData(PeerRole, suggestion.peer_id)
                item.setToolTip(self.peer_text(suggestion))
                self.peers.addItem(item)
            if not gap.suggestions:
                item = QListWidgetItem(empty_reason(found, gap))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.peers.addItem(item)
        self.peers.setVisible(bool(found.gaps) and found.pairs > 0)
        self.print_peers.setEnabled(found.pairs > 0)
        first = next((self.peers.item(n) for n in range(self.peers.count()) if self.peers.item(n).data(PeerRole)),
                     None)
        if first is not None:
            self.peers.setCurrentItem(first)

    @staticmethod
    def peer_text(suggestion: PeerSuggestion) -> str:
        """A peer's two lines: who, their level and shared languages; then what each side can give."""
        facts = [suggestion.name, label(suggestion.kind)]
        if suggestion.community:
            facts.append(suggestion.community)
        facts.append(_("level {level}").format(level=format_number(suggestion.level)))
        if suggestion.shared_languages:
            facts.append(_("speaks {languages}").format(
                languages=_(", ").join(language_name(code) for code in suggestion.shared_languages)))
        if suggestion.same_region:
            facts.append(_("same region"))
        exchange = _("They can offer: {theirs} · You can offer: {yours}").format(
            theirs=offers_text([suggestion.they_offer]), yours=offers_text(suggestion.you_offer) or "—")
        return " · ".join(facts) + "\n" + exchange

    def _peer_activated(self, item: QListWidgetItem) -> None:
        peer_id = item.data(PeerRole)
        if peer_id is not None:
            self.context.navigator.mentee_requested.emit(peer_id)

    # -- actions

    def _timeline_activated(self, item: QListWidgetItem) -> None:
        kind, ref_id = item.data(EntryRole)
        if kind is TimelineKind.SESSION:
            self.session_activated.emit(ref_id)
        elif kind is TimelineKind.ASSESSMENT:
            self.context.navigator.page_requested.emit("assessments")
        else:
            self.context.navigator.page_requested.emit("plans")

    def move_to_stage(self, stage: JourneyStage) -> None:
        if self.profile is None or stage is self.profile.header.journey_stage:
            return
        name = self.profile.header.name
        if not confirm(self, _("Change journey stage"),
                       _("Move {name} to {stage}?").format(name=name, stage=label(stage)), _("&Move")):
            self.steps.button(self.profile.header.journey_stage).setFocus()
            return
        mentee_id = self.mentee_id
        assert mentee_id is not None
        self.context.tasks.write(lambda session: set_stage(session, mentee_id, stage), initiator=self,
                                 failure=lambda error: show_error(self, _("Not saved"), error, _("The journey stage")),
                                 title=_("Change journey stage"))

    def print_document(self, kind: str) -> PrintPreviewDialog | None:
        """Preview and save or print the mentee's assessment summary, capacity plan or peer exchange."""
        if self.mentee_id is None:
            return None
        mentee_id, db = self.mentee_id, self.context.db
        title = {"assessment": _("Assessment summary"), "plan": _("Capacity plan"),
                 "peer-exchange": _("Peer exchange")}.get(kind, _("Print"))
        name = self.title.text().replace(" ", "-")
        dialog = PrintPreviewDialog(self.context, title, f"{kind}-{name}",
                                    lambda language: printing.handout_pdf(db, kind, mentee_id, language), self)
        if kind == "peer-exchange" and self.profile is not None:
            # The handout goes to the mentee: it opens in the first of their languages CoachDesk prints in.
            for code in self.profile.header.languages:
                index = max(dialog.language.findData(code), dialog.language.findData(code.split("_")[0]))
                if index >= 0:
                    dialog.language.setCurrentIndex(index)
                    break
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_history(self) -> QWidget | None:
        """Who changed each of the mentee's fields last, on which device and when."""
        from coachdesk.ui.dialogs.field_history import MENTEE_FIELDS, FieldHistoryDialog

        if self.mentee_id is None or self.profile is None:
            return None
        title = _("History of {name}").format(name=self.profile.header.name)
        dialog = FieldHistoryDialog(self.context, "mentee", self.mentee_id, MENTEE_FIELDS, title, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def edit_details(self) -> None:
        from coachdesk.ui.dialogs.mentee_dialog import MenteeDialog

        if self.mentee_id is None:
            return
        dialog = MenteeDialog(self.context, self.mentee_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def export_person_data(self) -> None:
        """Save everything kept about the mentee, private details included, for an access request."""
        if self.mentee_id is None or self.profile is None:
            return
        name = "-".join(self.profile.header.name.replace("/", " ").replace("\\", " ").split())
        suggested = Path.home() / f"personal-data-{name}.json"
        path = choose_person_export_path(self, suggested)
        if path is None:
            return
        mentee_id, db = self.mentee_id, self.context.db
        self.context.tasks.long(lambda _progress: write_person_export(db, mentee_id, path),
                                title=_("Export this person's data"), writes=False,
                                success=lambda out: self._tell(_("Saved {file}. It holds their private details too: "
                                                                 "give it to them only.").format(file=isolated(out))),
                                failure=lambda error: show_error(self, _("Not saved"), error, _("The export")))

    def erase_person_data(self) -> None:
        """Erase the mentee's personal data everywhere, after saying plainly what goes and what stays."""
        if self.mentee_id is None or self.profile is None or self.profile.header.erased:
            return
        mentee_id = self.mentee_id
        question = _("Erase the personal data of {name}?\n\n"
                     "Removed: the name (it becomes “{placeholder}”), region, email, phone, private notes and "
                     "who gave consent, and the name wherever it stands alone as the owner of a plan action or "
                     "the person who made a request.\n\n"
                     "Kept, without the name: their sessions, assessments and plans, so the evaluation counts "
                     "stay right. Notes that mention them in passing are not changed.\n\n"
                     "The erasure reaches the hub and every other device at the next sync. It cannot be undone."
                     ).format(name=self.profile.header.name, placeholder=erased_name(mentee_id))
        if not confirm(self, _("Erase this person"), question, _("&Erase")):
            return
        self.context.tasks.write(lambda session: erase_person(session, mentee_id), initiator=self,
                                 success=lambda result: self._tell(_("Erased. They are listed as “{name}” from now "
                                                                     "on.").format(name=result.name)),
                                 failure=lambda error: show_error(self, _("Not saved"), error, _("The erasure")),
                                 title=_("Erase this person"))

    def _tell(self, sentence: str) -> None:
        self.notice.setText(sentence)
        self.notice.setVisible(True)

    def toggle_archived(self) -> None:
        if self.profile is None or self.mentee_id is None:
            return
        archive = not self.profile.header.archived
        name = self.profile.header.name
        if archive and not confirm(
                self, _("Archive mentee"),
                _("Archive {name}? Archived mentees leave the list but keep their sessions, assessments and plans; "
                  "“Show archived” brings them back.").format(name=name), _("A&rchive")):
            return
        mentee_id = self.mentee_id
        self.context.tasks.write(lambda session: set_archived(session, mentee_id, archive), initiator=self,
                                 failure=lambda error: show_error(self, _("Not saved"), error, _("The mentee")),
                                 title=_("Archive mentee"))
