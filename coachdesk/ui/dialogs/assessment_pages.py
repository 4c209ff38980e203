"""The pages of the guided assessment: who and how, appreciative inquiry, capacity areas, the summary."""

from __future__ import annotations

import uuid
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
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from coachdesk.i18n import _, current_language, format_date, language_name, ngettext
from coachdesk.model import LEVEL_MAX, LEVEL_MIN, AssessmentMode, MenteeKind, Priority
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
    spread_of,
    summary_order,
)
from coachdesk.services.templates import default_template, list_templates
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
    """Page 1: who is assessed, when, how, in which language and with which questions."""

    changed = Signal()
    questions_changed = Signal()  # another template or language: the capacity pages are built again

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
        self.participants = QSpinBox()
        self.participants.setRange(0, 999)
        self.participants.setSpecialValueText(_("not entered"))
        self.participants.setAccessibleName(_("People taking part"))
        self.participants.setToolTip(_("How many people take part in the group sitting"))
        participants_label = QLabel(_("&People taking part:"))
        participants_label.setBuddy(self.participants)
        form.addRow(participants_label, self.participants)
        self.form_layout = form
        self.template = QComboBox()
        self.template.setAccessibleName(_("Template"))
        self.template.setToolTip(_("The questions asked: a template for this kind of mentee, or every capacity"))
        self._fill_templates(context)
        template_label = QLabel(_("&Template:"))
        template_label.setBuddy(self.template)
        form.addRow(template_label, self.template)
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
            self._default_template(fixed)
        self.date.dateChanged.connect(self.changed)
        self.mode.currentIndexChanged.connect(self.changed)
        self.mode.currentIndexChanged.connect(self._show_participants)
        self.participants.valueChanged.connect(self.changed)
        self.language.currentIndexChanged.connect(self.changed)
        self.language.currentIndexChanged.connect(self.questions_changed)
        self.template.currentIndexChanged.connect(self.changed)
        self.template.currentIndexChanged.connect(self.questions_changed)
        self._show_participants()

    @property
    def mentee(self) -> MenteeChoice | None:
        return self.fixed or (self.picker.choice if self.picker else None)

    def is_group(self) -> bool:
        return self.mode.currentData() == AssessmentMode.GROUP.value

    def participants_count(self) -> int | None:
        """How many people take part in a group sitting; None in other modes or when not entered."""
        return (self.participants.value() or None) if self.is_group() else None

    def _show_participants(self) -> None:
        self.form_layout.setRowVisible(self.participants, self.is_group())

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

    def _fill_templates(self, context: UiContext) -> None:
        with context.db.read() as session:
            self.templates = list_templates(session)
            self.defaults = {kind: default_template(session, kind) for kind in MenteeKind}
        for template in self.templates:
            self.template.addItem(template.name, str(template.id))
        self.template.addItem(_("Whole taxonomy (every capacity)"), "")
        self.template.setCurrentIndex(self.template.count() - 1)

    def template_id(self) -> uuid.UUID | None:
        """The chosen template, or None when the whole taxonomy is asked."""
        data = self.template.currentData()
        return uuid.UUID(data) if data else None

    def set_template(self, template_id: uuid.UUID | None) -> None:
        index = self.template.findData(str(template_id) if template_id else "")
        if index >= 0:
            self.template.setCurrentIndex(index)

    def _default_template(self, mentee: MenteeChoice) -> None:
        default = self.defaults.get(mentee.kind)
        if default is not None:
            self.set_template(default)

    def _default_mode(self, mentee: MenteeChoice) -> None:
        mode = AssessmentMode.GROUP if mentee.kind is not MenteeKind.PERSON else AssessmentMode.SELF
        self.mode.setCurrentIndex(self.mode.findData(mode.value))

    def _mentee_chosen(self, choice: MenteeChoice | None) -> None:
        if choice is not None:
            self.error.hide()
            self._fill_languages(choice)
            self._default_mode(choice)
            self._default_template(choice)
            self.questions_changed.emit()  # the language list was refilled without signals
        self.changed.emit()

    def apply(self, form: AssessmentForm) -> None:
        self.date.setDate(QDate(form.assessed_on.year, form.assessed_on.month, form.assessed_on.day))
        self.mode.setCurrentIndex(max(0, self.mode.findData(form.mode.value)))
        self.participants.setValue(form.participants or 0)
        self._fill_languages(self.mentee, keep=form.language)
        self.set_template(form.template_id)
        self.questions_changed.emit()

    def validatePage(self) -> bool:
        if self.picker is not None and self.picker.choice is None:
            self.picker.resolve()
        if self.mentee is None:
            self.error.setText(_("Choose who is being assessed: type part of a name and pick from the list."))
            self.error.show()
            (self.picker or self).setFocus()
            return False
        if self.is_group() and not self.participants.value():
            self.error.setText(_("Enter how many people take part in the group sitting."))
            self.error.show()
            self.participants.setFocus()
            self.participants.selectAll()  # typing replaces "not entered"
            return False
        self.error.hide()
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


class Tally(QWidget):
    """A group's show of hands on one capacity: how many chose each level 1–5, and the spread it gives."""

    changed = Signal()

    def __init__(self, capacity: str) -> None:
        super().__init__()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        # Wrapped, so a long translation or a large font leaves the five counts room on a netbook.
        caption = _wrapped(_("Show of hands, how many chose:"))
        row.addWidget(caption, 1)
        self.counts: list[QSpinBox] = []
        for level in range(LEVEL_MIN, LEVEL_MAX + 1):
            count = QSpinBox()
            count.setRange(0, 999)
            count.setAccessibleName(_("How many chose level {level} for {capacity}").format(
                level=level, capacity=capacity))
            count.setToolTip(_("How many chose level {level}").format(level=level))
            count.setMinimumWidth(count.fontMetrics().horizontalAdvance("0000") + 28)
            number = QLabel(_("{level}:").format(level=level))
            number.setBuddy(count)
            row.addSpacing(6)
            row.addWidget(number)
            row.addWidget(count)
            count.valueChanged.connect(self._changed)
            self.counts.append(count)
        self.spread = QLabel()
        self.spread.setTextFormat(Qt.TextFormat.PlainText)
        self.spread.setAccessibleName(_("Spread for {capacity}").format(capacity=capacity))
        self.warning = _wrapped("", bold=True)
        self.warning.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.spread)
        layout.addWidget(self.warning)
        self._show_spread()

    def votes(self) -> tuple[int, ...]:
        values = tuple(count.value() for count in self.counts)
        return values if any(values) else ()

    def set_votes(self, votes: tuple[int, ...] | list[int]) -> None:
        values = list(votes)[: len(self.counts)]
        for n, count in enumerate(self.counts):
            count.blockSignals(True)
            count.setValue(values[n] if n < len(values) else 0)
            count.blockSignals(False)
        self._show_spread()

    def _changed(self) -> None:
        self._show_spread()
        self.changed.emit()

    def _show_spread(self) -> None:
        spread = spread_of(self.votes())
        self.spread.setText(_("Spread: {spread}").format(spread=spread.text()) if spread
                            else _("Spread: no counts yet (optional)"))

    def show_check(self, level: int | None, participants: int | None) -> None:
        """A gentle word when the counts and the consensus do not fit together."""
        spread = spread_of(self.votes())
        text = ""
        if spread is not None and participants and spread.raters > participants:
            text = _("More votes counted ({raters}) than people taking part ({participants}).").format(
                raters=spread.raters, participants=participants)
        elif spread is not None and level is not None and not spread.lowest <= level <= spread.highest:
            text = _("The consensus {level} lies outside what people chose ({lowest} to {highest}).").format(
                level=level, lowest=spread.lowest, highest=spread.highest)
        self.warning.setText(text)
        self.warning.setVisible(bool(text))


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
        self.group = False
        self.participants: int | None = None
        self.consensus_caption = QLabel(_("Consensus the group agreed on:"))
        self.consensus_caption.setBuddy(self.scale)
        self.consensus_caption.hide()
        self.tally = Tally(capacity.label)
        self.tally.hide()

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        priority_label = QLabel(_("Priority:"))
        priority_label.setBuddy(self.priority)
        priority_row = QHBoxLayout()
        priority_row.addWidget(priority_label)
        priority_row.addWidget(self.priority)
        priority_row.addStretch(1)
        grid.addLayout(priority_row, 0, 0, 1, 3)
        self.captions: dict[str, QLabel] = {}
        for column, (caption, edit) in enumerate(((_("Assets (strengths)"), self.assets), (_("Gaps"), self.gaps),
                                                  (_("Evidence"), self.evidence))):
            caption_label = QLabel(caption)
            caption_label.setBuddy(edit)
            self.captions[("assets", "gaps", "evidence")[column]] = caption_label
            grid.addWidget(caption_label, 1, column)
            grid.addWidget(edit, 2, column)
            grid.setColumnStretch(column, 1)
        # The question as the template words it for these people, above the capacity's own description.
        self.prompt = _wrapped(capacity.prompt)
        self.prompt.setVisible(bool(capacity.prompt))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.prompt)
        layout.addWidget(self.description)
        layout.addWidget(self.consensus_caption)
        layout.addWidget(self.scale)
        layout.addWidget(self.tally)
        layout.addLayout(grid)
        self.scale.level_changed.connect(self.changed)
        self.scale.level_changed.connect(self._check_tally)
        self.tally.changed.connect(self._check_tally)
        self.tally.changed.connect(self.changed)
        self.priority.currentIndexChanged.connect(self.changed)
        for edit in (self.assets, self.gaps, self.evidence):
            edit.textChanged.connect(self.changed)

    def set_group(self, group: bool, participants: int | None) -> None:
        """Group in the room: the level is the consensus, and a tally keeps how many chose each level."""
        self.group, self.participants = group, participants
        self.consensus_caption.setVisible(group)
        self.tally.setVisible(group)
        name = self.capacity.label
        self.scale.setAccessibleName(_("Consensus level for {capacity}").format(capacity=name) if group
                                     else _("Level for {capacity}").format(capacity=name))
        self.captions["evidence"].setText(_("Evidence for the consensus") if group else _("Evidence"))
        self.evidence.setAccessibleName(_("Evidence for the consensus on {capacity}").format(capacity=name) if group
                                        else _("Evidence for {capacity}").format(capacity=name))
        self._check_tally()

    def _check_tally(self) -> None:
        if self.group:
            self.tally.show_check(self.scale.level, self.participants)

    def answer(self) -> RatingAnswer:
        return RatingAnswer(self.capacity.id, self.scale.level, Priority(self.priority.currentData()),
                            self.assets.toPlainText(), self.gaps.toPlainText(), self.evidence.toPlainText(),
                            self.tally.votes() if self.group else ())

    def apply(self, answer: RatingAnswer) -> None:
        self.tally.set_votes(answer.votes)
        if any(answer.votes):  # a restored group draft: keep its counts until the area page is shown
            self.set_group(True, self.participants)
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
        who = getattr(self.wizard(), "who", None)
        group = isinstance(who, WhoPage) and who.is_group()
        for block in self.blocks:
            block.set_group(group, who.participants_count() if group else None)
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
        # A group sitting shows the consensus and, beside it, how far apart the participants were.
        group = form.mode == AssessmentMode.GROUP
        titles = ([_("Capacity"), _("Consensus"), _("Spread"), _("Priority")] if group
                  else [_("Capacity"), _("Level"), _("Priority")])
        self.table.setColumnCount(len(titles))
        self.table.setHorizontalHeaderLabels(titles)
        for column in range(1, len(titles)):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setRowCount(len(rated))
        for row, answer in enumerate(rated):
            spread = answer.spread()
            texts = [self.wizard_.labels[answer.capacity_id], str(answer.level), label(answer.priority)]
            if group:
                texts.insert(2, spread.text() if spread else "–")
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        skipped = len(form.answers) - len(rated)
        self.count.setText(ngettext("{count} capacity rated", "{count} capacities rated", len(rated)).format(
            count=len(rated)) + " · " + ngettext("{count} skipped", "{count} skipped", skipped).format(count=skipped))
        if group and form.participants:
            self.count.setText(ngettext("Group of {count}", "Group of {count}", form.participants).format(
                count=form.participants) + " · " + self.count.text())
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
