"""The Today page: what needs attention now, in four sections, each row one click from being acted on.

The overview is read off the GUI thread (it is the first page painted at start, on databases
of 50k mentees), and read again when something it shows changes while it is on screen.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QPoint, QSize, Qt, QUrl
from PySide6.QtGui import QBrush, QDesktopServices, QFont, QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.errors import CoachDeskError
from coachdesk.i18n import N_, _, format_date, format_number, ngettext, pgettext
from coachdesk.model import ActionStatus
from coachdesk.services.plans import DueAction, set_action_status
from coachdesk.services.today import Deadline, OpenRequest, TodayOverview, WaitingMentee, today_overview
from coachdesk.ui.context import UiContext, touches
from coachdesk.ui.views.page_parts import heading, overdue_colour, quiet, scrolled, wrapped

WATCHED = ("plan_action", "plan_goal", "plan", "coaching_session", "session_participant", "mentee",
           "funding_opportunity", "community_request", "community")
PRIORITY_WORDS = {1: N_("Highest"), 2: N_("High"), 3: N_("Normal"), 4: N_("Low"), 5: N_("Lowest")}


def show_error(parent: QWidget, text: str) -> None:
    """Module-level so tests can answer it without a modal loop."""
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, _("Not saved"), text)


def open_link(url: str) -> bool:
    """Open a web address in the browser; anything but http(s) is refused (it could run a program)."""
    link = QUrl(url.strip())
    if link.scheme().lower() not in ("http", "https") or not link.isValid():
        return False
    return QDesktopServices.openUrl(link)


def is_web_link(url: str) -> bool:
    link = QUrl(url.strip())
    return link.isValid() and link.scheme().lower() in ("http", "https") and bool(link.host())


@dataclass
class Row:
    """One row of a section: its cell texts, what it stands for, and what can be done with it."""

    texts: list[str]
    data: Any
    #: (button text, accessible description, callback); the first is the row's main action.
    actions: list[tuple[str, str, Callable[[Any], None]]] = field(default_factory=list)
    emphasised: bool = False
    tooltip: str = ""


class RowList(QTreeWidget):
    """A flat list with a button column; Enter or a double-click runs the row's main action,
    the context menu (menu key, Shift+F10) offers them all."""

    MAX_VISIBLE_ROWS = 6

    def __init__(self, headers: list[str], accessible_name: str, date_column: int = 0) -> None:
        super().__init__()
        self.date_column = date_column
        self.setColumnCount(len(headers) + 1)
        self.setHeaderLabels([*headers, ""])
        self.setAccessibleName(accessible_name)
        self.setAccessibleDescription(_("Enter or a double-click does the first thing a row offers; the menu key "
                                        "offers them all."))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.itemDoubleClicked.connect(lambda item, _column: self.run(item, 0))
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers) + 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.rows = rows
        self.setUpdatesEnabled(False)
        self.clear()
        colour = QBrush(overdue_colour(self))
        bold = QFont(self.font())
        bold.setBold(True)
        last = self.columnCount() - 1
        items = []
        for row in rows:
            item = QTreeWidgetItem([*row.texts, ""])
            for column in range(last):
                item.setToolTip(column, row.tooltip or row.texts[column])
                if row.emphasised:
                    item.setForeground(column, colour)
                    item.setFont(column, bold)
            items.append(item)
        # All rows in one insertion: one by one, each would lay out every row widget again.
        self.addTopLevelItems(items)
        for row, item in zip(rows, items, strict=True):
            if row.actions:
                buttons = self._buttons(row)
                self.setItemWidget(item, last, buttons)
                item.setSizeHint(last, buttons.sizeHint())
        self._fit_columns()
        self.setUpdatesEnabled(True)
        self.updateGeometry()

    def _buttons(self, row: Row) -> QWidget:
        holder = QWidget()
        layout = QHBoxLayout(holder)
        layout.setContentsMargins(2, 1, 2, 1)
        layout.setSpacing(4)
        for text, description, callback in row.actions:
            button = QPushButton(text)
            # The list itself takes the keyboard (Enter, menu key); buttons in every row would
            # make Tab walk through hundreds of them.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleDescription(description)
            button.setToolTip(description)
            button.clicked.connect(lambda _checked=False, cb=callback, data=row.data: cb(data))
            layout.addWidget(button)
        return holder

    def _fit_columns(self) -> None:
        """Buttons and the date column in full; the other middle columns share what leaves the first
        (what the row is about) 35% of the width."""
        header = self.header()
        last = self.columnCount() - 1
        for column in range(1, last + 1):
            self.resizeColumnToContents(column)
        shared = [c for c in range(1, last) if c != self.date_column]
        fixed = header.sectionSize(last) + (header.sectionSize(self.date_column) if self.date_column else 0)
        wanted = sum(header.sectionSize(c) for c in shared)
        room = int(self.viewport().width() * 0.65) - fixed
        scale = min(1.0, room / wanted) if wanted and room > 0 else 1.0
        floor = self.fontMetrics().averageCharWidth() * 8
        for column in shared:
            header.resizeSection(column, max(floor, int(header.sectionSize(column) * scale)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_columns()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        height = self.header().sizeHint().height() + 2 * self.frameWidth() + 4
        for position in range(min(self.topLevelItemCount(), self.MAX_VISIBLE_ROWS)):
            height += max(self.sizeHintForRow(position), self.topLevelItem(position).sizeHint(
                self.columnCount() - 1).height())
        if self.horizontalScrollBar().isVisible():
            height += self.horizontalScrollBar().sizeHint().height()
        return QSize(hint.width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def current_row(self) -> Row | None:
        item = self.currentItem()
        position = self.indexOfTopLevelItem(item) if item else -1
        return self.rows[position] if 0 <= position < len(self.rows) else None

    def run(self, item: QTreeWidgetItem | None, which: int) -> None:
        position = self.indexOfTopLevelItem(item) if item else -1
        if 0 <= position < len(self.rows) and which < len(self.rows[position].actions):
            row = self.rows[position]
            row.actions[which][2](row.data)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.run(self.currentItem(), 0)
            return
        super().keyPressEvent(event)

    def _menu(self, position: QPoint) -> None:
        item = self.itemAt(position) or self.currentItem()
        row = self.current_row() if item is None else self.rows[self.indexOfTopLevelItem(item)]
        if row is None or not row.actions:
            return
        menu = QMenu(self)
        for which, (text, _description, _callback) in enumerate(row.actions):
            menu.addAction(text).triggered.connect(lambda _checked=False, w=which, i=item: self.run(i, w))
        menu.exec(self.viewport().mapToGlobal(position))


class Section(QGroupBox):
    """A headed list with a sentence for when it is empty and a line for what did not fit."""

    def __init__(self, headers: list[str], accessible_name: str, empty_text: str, date_column: int = 0) -> None:
        super().__init__()
        self.list = RowList(headers, accessible_name, date_column)
        self.empty = wrapped(empty_text)
        self.more = quiet(wrapped())
        # A bold title; the font is set back on the contents so only the title stands out.
        normal = QFont(self.font())
        normal.setBold(False)  # explicitly, or the children would inherit the title's weight
        title_font = QFont(normal)
        title_font.setBold(True)
        self.setFont(title_font)
        for child in (self.list, self.empty, self.more):
            child.setFont(normal)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        layout.addWidget(self.more)
        self.more.hide()

    def show_rows(self, title: str, rows: list[Row], more: str = "") -> None:
        self.setTitle(title)
        self.list.set_rows(rows)
        self.list.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.more.setText(more)
        self.more.setVisible(bool(more))


class TodayPage(QWidget):
    """Overdue and due-this-week plan actions, mentees with no next session, deadlines, open requests."""

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.overview: TodayOverview | None = None
        self._loading = False
        self._again = False
        self._undo: tuple[uuid.UUID, ActionStatus] | None = None

        self.title = heading(_("Today"))
        self.date_label = quiet(QLabel())
        self.status = quiet(wrapped(_("Loading…")))
        self.refresh_button = QPushButton(_("&Refresh"))
        self.refresh_button.setToolTip(_("Read everything again (F5)"))
        self.refresh_button.clicked.connect(self.refresh)

        self.actions = Section([_("Action"), _("Mentee and capacity"), _("Due")], _("Plan actions due"),
                               _("Nothing overdue, nothing due this week. Well done."), date_column=2)
        self.done_note = wrapped()
        self.undo_button = QPushButton(_("&Undo"))
        self.undo_button.clicked.connect(self.undo)
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.done_note, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar = QWidget()
        self.undo_bar.setLayout(undo_row)
        undo_row.setContentsMargins(0, 0, 0, 0)
        self.undo_bar.hide()
        self.undo_bar.setFont(self.actions.list.font())  # not the section title's bold
        self.actions.layout().insertWidget(0, self.undo_bar)
        self.waiting = Section([_("Mentee"), _("Last session")], _("Mentees with no next session booked"),
                               _("Every mentee has a next session booked."), date_column=1)
        self.deadlines = Section([_("Program"), _("Provider"), _("Deadline"), _("Link")],
                                 _("Funding deadlines"), _("No funding deadline in the next 60 days."), date_column=2)
        self.requests = Section([_("Request"), _("Community"), _("Priority"), _("Requested on")],
                                _("Open community requests"), _("No open community requests."), date_column=3)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.date_label)
        top.addLayout(titles, 1)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        body = QWidget()
        sections = QVBoxLayout(body)
        sections.setContentsMargins(0, 0, 0, 0)
        for section in (self.actions, self.waiting, self.deadlines, self.requests):
            sections.addWidget(section)
        sections.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(scrolled(body), 1)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        context.changes.changed.connect(self._changed)
        self.refresh()

    # -- loading

    def activated(self) -> None:
        """Called by the main window each time the page is shown."""
        if not self._loading:
            self.refresh()

    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        now = datetime.now()
        self.context.tasks.read(lambda session: today_overview(session, now.date(), now), success=self._show,
                                failure=self._failed, title="today")

    def _changed(self, summary: object, _initiator: object) -> None:
        # A hidden page reads again when it is shown (activated); no need to keep up meanwhile.
        if touches(summary, *WATCHED) and self.isVisible():
            self.refresh()

    def _finished(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(_("Could not read what is due today: {reason}").format(reason=error))
        self.status.show()
        self._finished()

    def _show(self, overview: TodayOverview) -> None:
        self.overview = overview
        self.status.hide()
        self.date_label.setText(format_date(overview.today, "full"))
        self._show_actions(overview)
        self._show_waiting(overview)
        self._show_deadlines(overview)
        self._show_requests(overview)
        self._finished()

    # -- the four sections

    def _count(self, total: int, capped: bool) -> str:
        return _("{count}+").format(count=format_number(total)) if capped else format_number(total)

    def _show_actions(self, overview: TodayOverview) -> None:
        due = overview.actions
        rows = [self._action_row(a, overdue=True) for a in due.overdue]
        rows += [self._action_row(a, overdue=False) for a in due.due_soon]
        title = _("Plan actions: {overdue}, {soon}").format(
            overdue=ngettext("{count} overdue", "{count} overdue", due.overdue_total).format(
                count=self._count(due.overdue_total, due.overdue_capped)),
            soon=ngettext("{count} due this week", "{count} due this week", due.due_soon_total).format(
                count=self._count(due.due_soon_total, due.due_soon_capped)))
        hidden = (due.overdue_total - len(due.overdue)) + (due.due_soon_total - len(due.due_soon))
        more = ""
        if hidden > 0:
            more = ngettext("And {count} more; the Plans page lists every plan.",
                            "And {count} more; the Plans page lists every plan.", hidden).format(
                count=self._count(hidden, due.overdue_capped or due.due_soon_capped))
        self.actions.show_rows(title, rows, more)

    def _action_row(self, action: DueAction, overdue: bool) -> Row:
        days = action.days_overdue
        if overdue:
            when = ngettext("{count} day overdue", "{count} days overdue", days).format(count=format_number(days))
        elif days == 0:
            when = _("due today")
        else:
            when = ngettext("due in {count} day", "due in {count} days", -days).format(count=format_number(-days))
        for_whom = f"{action.mentee_name}\n{action.capacity_label}" if action.capacity_label else action.mentee_name
        texts = [action.description, for_whom, f"{format_date(action.due_on, 'medium')}\n{when}"]
        tip = _("{action} — {status}, {when}").format(action=action.description, status=action.status_label,
                                                      when=when)
        return Row(texts, action, [
            (_("Mark done"), _("Mark this action done"), self.mark_done),
            (_("Open mentee"), _("Open the mentee this plan belongs to"),
             lambda a: self.context.navigator.mentee_requested.emit(a.mentee_id)),
        ], emphasised=overdue, tooltip=tip)

    def _show_waiting(self, overview: TodayOverview) -> None:
        rows = [self._waiting_row(m) for m in overview.waiting]
        title = ngettext("Mentees with no next session booked: {count}",
                         "Mentees with no next session booked: {count}",
                         overview.waiting_total).format(count=format_number(overview.waiting_total))
        hidden = overview.waiting_total - len(rows)
        more = ngettext("And {count} more, who have waited less long.", "And {count} more, who have waited less long.",
                        hidden).format(count=format_number(hidden)) if hidden > 0 else ""
        self.waiting.show_rows(title, rows, more)

    def _waiting_row(self, mentee: WaitingMentee) -> Row:
        seen = (_("Last seen {date}").format(date=format_date(mentee.last_session.date(), "medium"))
                if mentee.last_session else _("No session yet"))
        return Row([mentee.name, seen], mentee.id, [
            (_("Log a session"), _("Log a session with this mentee"),
             lambda mid: self.context.navigator.session_log_requested.emit([mid])),
            (pgettext("button", "Open"), _("Open this mentee"), lambda mid: self.context.navigator.mentee_requested.emit(mid)),
        ])

    def _show_deadlines(self, overview: TodayOverview) -> None:
        rows = []
        for deadline in overview.deadlines:
            days = (deadline.deadline - overview.today).days
            when = _("today") if days == 0 else ngettext("in {count} day", "in {count} days", days).format(
                count=format_number(days))
            actions = [(_("Open link"), _("Open the program's page in the web browser"), self.open_deadline)] \
                if is_web_link(deadline.url) else []
            rows.append(Row([deadline.program, deadline.provider,
                             f"{format_date(deadline.deadline, 'medium')}\n{when}", deadline.url], deadline, actions))
        title = ngettext("Funding deadlines in the next 60 days: {count}",
                         "Funding deadlines in the next 60 days: {count}", len(rows)).format(
            count=format_number(len(rows)))
        self.deadlines.show_rows(title, rows)

    def _show_requests(self, overview: TodayOverview) -> None:
        rows = [self._request_row(r) for r in overview.requests]
        title = ngettext("Open community requests: {count}", "Open community requests: {count}",
                         overview.requests_total).format(count=format_number(overview.requests_total))
        hidden = overview.requests_total - len(rows)
        more = ngettext("And {count} more on the Requests page.", "And {count} more on the Requests page.",
                        hidden).format(count=format_number(hidden)) if hidden > 0 else ""
        self.requests.show_rows(title, rows, more)

    def _request_row(self, request: OpenRequest) -> Row:
        word = PRIORITY_WORDS.get(request.priority)
        priority = _(word) if word else format_number(request.priority)
        tip = _("{title} — asked by {who}").format(title=request.title, who=request.requested_by) \
            if request.requested_by else request.title
        return Row([request.title, request.community, priority, format_date(request.requested_on, "medium")],
                   request, [(_("Open requests"), _("Go to the Requests page"),
                              lambda _r: self.context.navigator.page_requested.emit("requests"))], tooltip=tip)

    # -- acting

    def mark_done(self, action: DueAction) -> None:
        today = date.today()

        def done(previous: ActionStatus) -> None:
            self._undo = (action.id, previous)
            self.done_note.setText(_("“{action}” is marked done.").format(action=action.description))
            self.undo_bar.show()

        self.context.tasks.write(lambda s: set_action_status(s, action.id, ActionStatus.DONE, today),
                                 success=done, failure=self._write_failed, initiator=self)

    def undo(self) -> None:
        if self._undo is None:
            return
        action_id, previous = self._undo
        self._undo = None
        self.undo_bar.hide()
        self.context.tasks.write(lambda s: set_action_status(s, action_id, previous, date.today()),
                                 failure=self._write_failed, initiator=self)

    def open_deadline(self, deadline: Deadline) -> None:
        open_link(deadline.url)

    def _write_failed(self, error: BaseException) -> None:
        text = str(error) if isinstance(error, CoachDeskError) else _(
            "The action could not be saved: {reason}").format(reason=error)
        show_error(self, text)


__all__ = ["Row", "RowList", "Section", "TodayPage", "is_web_link", "open_link"]
