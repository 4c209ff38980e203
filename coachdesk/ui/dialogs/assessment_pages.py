"""The pages of the guided assessment: who and how, appreciative inquiry, capacity areas, the summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from coachdesk.i18n import _, current_language, format_date, language_name, ngettext
from coachdesk.model import AssessmentMode, MenteeKind, Priority
from coachdesk.services.assessments import (
    AreaInfo,
    AssessmentForm,
    CapacityInfo,
    MenteeChoice,
    RatingAnswer,
    levels_of,
    mentee_suggestions,
    previous_assessment,
    prioritised,
    radar_for,
    summary_order,
)
from coachdesk.services.vocabulary import choices, label
from coachdesk.ui.context import UiContext
from coachdesk.ui.widgets.level_scale import LevelScale
from coachdesk.ui.widgets.radar_chart import RadarChart, RadarSeries

if TYPE_CHECKING:
    from coachdesk.ui.dialogs.assessment_wizard import AssessmentWizard


def _muted(widget: QLabel) -> QLabel:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, widget.palette().color(QPalette.ColorRole.PlaceholderText))
    widget.setPalette(palette)
    return widget


def _wrapped(text: str, bold: bool = False) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if bold:
        font = widget.font()
        font.setBold(True)
        widget.setFont(font)
    return widget


def _notes(accessible: str, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setAccessibleName(accessible)
    edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def _scrolling(page: QWizardPage, inner: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(inner)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the first answer
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroll)
    return scroll


class MenteePicker(QLineEdit):
    """Type part of a name; live mentees are suggested from the database as one types."""

    chosen = Signal(object)  # a MenteeChoice, or None when the text no longer names one

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context
        self.choice: MenteeChoice | None = None
        self._by_text: dict[str, MenteeChoice] = {}
        self.setPlaceholderText(_("Type part of a name"))
        self.setClearButtonEnabled(True)
        self.model = QStringListModel(self)
        self.completer_ = QCompleter(self.model, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(10)
        self.setCompleter(self.completer_)
        self.completer_.activated.connect(self.resolve)
        self._timer = QTimer(self, singleShot=True, interval=100)
        self._timer.timeout.connect(self.suggest)
        self.textEdited.connect(self._edited)

    @staticmethod
    def shown(choice: MenteeChoice) -> str:
        return f"{choice.name} — {choice.community}" if choice.community else choice.name

    def _edited(self, _text: str) -> None:
        if self.choice is not None:
            self.choice = None
            self.chosen.emit(None)
        self._timer.start()

    def suggest(self) -> None:
        with self.context.db.read() as session:
            found = mentee_suggestions(session, self.text(), limit=20)
        self._by_text = {self.shown(c): c for c in found}
        self.model.setStringList(list(self._by_text))
        if found and self.hasFocus():
            self.completer_.complete()

    def resolve(self, text: str | None = None) -> MenteeChoice | None:
        """The mentee the text names: a chosen suggestion, or the only mentee with that name."""
        text = (text if text is not None else self.text()).strip()
        if self.choice is not None and text == self.shown(self.choice):
            return self.choice
        if self._timer.isActive() or text not in self._by_text:
            self._timer.stop()
            self.suggest()
        match = self._by_text.get(text)
        if match is None:
            named = [c for c in self._by_text.values() if c.name.casefold() == text.casefold()]
            match = named[0] if len(named) == 1 else None
        if match is not None:
            self.set_choice(match)
        return match

    def set_choice(self, choice: MenteeChoice | None) -> None:
        self.choice = choice
        self.setText(self.shown(choice) if choice else "")
        self.chosen.emit(choice)


class WhoPage(QWizardPage):
    """Page 1: who is assessed, when, how and in which language."""

    changed = Signal()

    def __init__(self, context: UiContext, fixed: MenteeChoice | None) -> None:
        super().__init__()
        self.setTitle(_("Who and how"))
        self.setSubTitle(_("Who is being assessed, when, and how the assessment is done."))
        self.fixed = fixed
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.picker: MenteePicker | None = None
        if fixed is not None:
            name = _wrapped(MenteePicker.shown(fixed), bold=True)
            form.addRow(_("Mentee:"), name)
        else:
            self.picker = MenteePicker(context)
            self.picker.setAccessibleName(_("Mentee"))
            self.picker.chosen.connect(self._mentee_chosen)
            self.picker.textEdited.connect(self.changed)
            caption = QLabel(_("&Who is being assessed?"))
            caption.setBuddy(self.picker)
            form.addRow(caption, self.picker)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setAccessibleName(_("Date"))
        self.mode = QComboBox()
        self.mode.setAccessibleName(_("How"))
        for mode, text in choices(AssessmentMode):
            self.mode.addItem(text, mode.value)
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language"))
        for caption, widget in ((_("&Date:"), self.date), (_("&How:"), self.mode), (_("&Language:"), self.language)):
            text_label = QLabel(caption)
            text_label.setBuddy(widget)
            form.addRow(text_label, widget)
        user = context.settings.user_name.strip() or _("you (set your name in Settings)")
        form.addRow(_("Facilitator:"), _wrapped(user))
        self.error = _wrapped("", bold=True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self._fill_languages(fixed)
        if fixed is not None:
            self._default_mode(fixed)
        self.date.dateChanged.connect(self.changed)
        self.mode.currentIndexChanged.connect(self.changed)
        self.language.currentIndexChanged.connect(self.changed)

    @property
    def mentee(self) -> MenteeChoice | None:
        return self.fixed or (self.picker.choice if self.picker else None)

    def _fill_languages(self, mentee: MenteeChoice | None, keep: str = "") -> None:
        codes = [*(mentee.languages if mentee else []), current_language(), "en"]
        if keep:
            codes.append(keep)
        self.language.blockSignals(True)
        self.language.clear()
        for code in dict.fromkeys(codes):
            self.language.addItem(_("{name} ({code})").format(name=language_name(code), code=code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(keep)) if keep else 0)
        self.language.blockSignals(False)

    def _default_mode(self, mentee: MenteeChoice) -> None:
        mode = AssessmentMode.GROUP if mentee.kind is not MenteeKind.PERSON else AssessmentMode.SELF
        self.mode.setCurrentIndex(self.mode.findData(mode.value))

    def _mentee_chosen(self, choice: MenteeChoice | None) -> None:
        if choice is not None:
            self.error.hide()
            self._fill_languages(choice)
            self._default_mode(choice)
        self.changed.emit()

    def apply(self, form: AssessmentForm) -> None:
        self.date.setDate(QDate(form.assessed_on.year, form.assessed_on.month, form.assessed_on.day))
        self.mode.setCurrentIndex(max(0, self.mode.findData(form.mode.value)))
        self._fill_languages(self.mentee, keep=form.language)

    def validatePage(self) -> bool:
        if self.picker is not None and self.picker.choice is None:
            self.picker.resolve()
        if self.mentee is None:
            self.error.setText(_("Choose who is being assessed: type part of a name and pick from the list."))
            self.error.show()
            (self.picker or self).setFocus()
            return False
        return True


class InquiryPage(QWizardPage):
    """Page 2: appreciative inquiry, starting from what already works."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Discover and dream"))
        self.setSubTitle(_("Start from what works. Short notes are enough; leave a question empty if you like."))
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.fields: dict[str, QPlainTextEdit] = {}
        captions = {"discover": _("&Discover: What is already working well? What are you proud of?"),
                    "dream": _("D&ream: Imagine two years from now. What could your community achieve?"),
                    "design": _("Desi&gn: What would need to be in place to get there?"),
                    "deliver": _("De&liver: What will you do first? (You can also answer this at the end.)")}
        for name in ("discover", "dream", "design", "deliver"):
            edit = _notes(captions[name].replace("&", ""), lines=3)
            caption = _wrapped(captions[name])
            caption.setTextFormat(Qt.TextFormat.AutoText)
            caption.setBuddy(edit)
            edit.textChanged.connect(self.changed)
            layout.addWidget(caption)
            layout.addWidget(edit)
            self.fields[name] = edit
        layout.addStretch(1)
        _scrolling(self, inner)


class CapacityBlock(QFrame):
    """One capacity on an area page: its level, priority, assets, gaps and evidence."""

    changed = Signal()

    def __init__(self, capacity: CapacityInfo) -> None:
        super().__init__()
        self.capacity = capacity
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = _wrapped(capacity.label, bold=True)
        big = self.title.font()
        big.setPointSizeF(big.pointSizeF() * 1.2)
        self.title.setFont(big)
        self.description = _muted(_wrapped(capacity.description))
        self.scale = LevelScale(capacity.anchors)
        self.scale.setAccessibleName(_("Level for {capacity}").format(capacity=capacity.label))
        self.setFocusProxy(self.scale)
        self.priority = QComboBox()
        self.priority.setAccessibleName(_("Priority for {capacity}").format(capacity=capacity.label))
        for value, text in choices(Priority):
            self.priority.addItem(text, int(value))
        self.assets = _notes(_("Assets (strengths) for {capacity}").format(capacity=capacity.label), 2)
        self.gaps = _notes(_("Gaps for {capacity}").format(capacity=capacity.label), 2)
        self.evidence = _notes(_("Evidence for {capacity}").format(capacity=capacity.label), 2)
        self.evidence.setPlaceholderText(_("What shows this? e.g. attendance lists, reports"))

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        priority_label = QLabel(_("Priority:"))
        priority_label.setBuddy(self.priority)
        priority_row = QHBoxLayout()
        priority_row.addWidget(priority_label)
        priority_row.addWidget(self.priority)
        priority_row.addStretch(1)
        grid.addLayout(priority_row, 0, 0, 1, 3)
        for column, (caption, edit) in enumerate(((_("Assets (strengths)"), self.assets), (_("Gaps"), self.gaps),
                                                  (_("Evidence"), self.evidence))):
            caption_label = QLabel(caption)
            caption_label.setBuddy(edit)
            grid.addWidget(caption_label, 1, column)
            grid.addWidget(edit, 2, column)
            grid.setColumnStretch(column, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addWidget(self.scale)
        layout.addLayout(grid)
        self.scale.level_changed.connect(self.changed)
        self.priority.currentIndexChanged.connect(self.changed)
        for edit in (self.assets, self.gaps, self.evidence):
            edit.textChanged.connect(self.changed)

    def answer(self) -> RatingAnswer:
        return RatingAnswer(self.capacity.id, self.scale.level, Priority(self.priority.currentData()),
                            self.assets.toPlainText(), self.gaps.toPlainText(), self.evidence.toPlainText())

    def apply(self, answer: RatingAnswer) -> None:
        self.scale.set_level(answer.level)
        self.priority.setCurrentIndex(max(0, self.priority.findData(int(answer.priority))))
        self.assets.setPlainText(answer.assets)
        self.gaps.setPlainText(answer.gaps)
        self.evidence.setPlainText(answer.evidence)


class AreaPage(QWizardPage):
    """One capacity area: a block per capacity, in a scroll area so the page fits a netbook screen."""

    changed = Signal()

    def __init__(self, area: AreaInfo, number: int, total: int) -> None:
        super().__init__()
        self.area = area
        self.setTitle(_("{area} ({number} of {total})").format(area=area.label, number=number, total=total))
        self.setSubTitle(area.description)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 6, 0)
        hint = _muted(_wrapped(_("Choose a level with the mouse or keys 1–5; 0 or S skips. Skipped capacities "
                                 "are not saved.")))
        layout.addWidget(hint)
        self.blocks = [CapacityBlock(c) for c in area.capacities]
        for block in self.blocks:
            block.changed.connect(self.changed)
            layout.addWidget(block)
        layout.addStretch(1)
        self.scroll = _scrolling(self, inner)

    def initializePage(self) -> None:
        if self.blocks:
            self.blocks[0].setFocus(Qt.FocusReason.OtherFocusReason)


class SummaryPage(QWizardPage):
    """The last page: what was rated, the chart over the previous assessment, and the plan question."""

    changed = Signal()

    def __init__(self, wizard: AssessmentWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(_("Summary"))
        self.setSubTitle(_("Check the ratings, then press Finish to save the assessment."))
        # Not word-wrapped: a height-for-width label would make the scroll area size the page to its
        # preferred height and scroll even when everything fits.
        self.count = QLabel()
        self.nothing = _wrapped(_("Nothing is rated yet. Go back and choose a level for at least one capacity."),
                                bold=True)
        self.nothing.hide()
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Capacity"), _("Level"), _("Priority")])
        self.table.setAccessibleName(_("Rated capacities"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.radar = RadarChart()
        # With large fonts the chart's labels need room; below that size it turns to a blur, so scroll.
        line = self.radar.fontMetrics().height()
        self.radar.setMinimumSize(max(240, 13 * line), max(220, 11 * line))
        self.table.setMinimumHeight(self.radar.minimumHeight())
        self.deliver = _notes(_("Deliver: what will you do first?"), 2)
        deliver_label = QLabel(_("De&liver: What will you do first?"))
        deliver_label.setBuddy(self.deliver)
        self.create_plan = QCheckBox(_("&Create a plan from the priorities"))
        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.count)
        left.addWidget(self.nothing)
        left.addWidget(self.table, 1)
        top.addLayout(left, 1)
        top.addWidget(self.radar, 1)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addLayout(top, 1)
        layout.addWidget(deliver_label)
        layout.addWidget(self.deliver)
        layout.addWidget(self.create_plan)
        _scrolling(self, inner)
        self.deliver.textChanged.connect(self._deliver_edited)
        self.create_plan.toggled.connect(self.changed)

    def _deliver_edited(self) -> None:
        # Deliver is asked on the inquiry page and again here; one answer, two places.
        source = self.wizard_.inquiry.fields["deliver"]
        if source.toPlainText() != self.deliver.toPlainText():
            source.setPlainText(self.deliver.toPlainText())

    def initializePage(self) -> None:
        form = self.wizard_.form()
        rated = sorted(form.rated(), key=lambda a: summary_order(a.priority, a.level or 0,
                                                                 self.wizard_.labels[a.capacity_id]))
        self.table.setRowCount(len(rated))
        for row, answer in enumerate(rated):
            for column, text in enumerate((self.wizard_.labels[answer.capacity_id], str(answer.level),
                                           label(answer.priority))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        skipped = len(form.answers) - len(rated)
        self.count.setText(ngettext("{count} capacity rated", "{count} capacities rated", len(rated)).format(
            count=len(rated)) + " · " + ngettext("{count} skipped", "{count} skipped", skipped).format(count=skipped))
        self.nothing.setVisible(not rated)
        self.deliver.blockSignals(True)
        self.deliver.setPlainText(form.deliver)
        self.deliver.blockSignals(False)
        self._draw_radar(form)
        urgent = any(a.priority >= Priority.MEDIUM for a in rated)
        self.create_plan.setEnabled(bool(prioritised(rated)))
        self.create_plan.setChecked(urgent)

    def _draw_radar(self, form: AssessmentForm) -> None:
        levels = {a.capacity_id: a.level or 0 for a in form.rated()}
        with self.wizard_.context.db.read() as session:
            earlier = previous_assessment(session, form.mentee_id) if form.mentee_id else None
            previous = (format_date(earlier[1]), levels_of(session, earlier[0])) if earlier else None
            data = radar_for(session, levels, _("This assessment"), previous)
        self.radar.set_data(data.axes, [RadarSeries(line.label, line.levels) for line in data.series])
