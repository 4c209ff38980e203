"""The Plans page as a coach uses it: choose a plan, move actions along by keys and by dragging, add and remove."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QPointF, Qt
from PySide6.QtGui import QDropEvent, QPalette
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from coachdesk.model import ActionStatus, Capacity, Mentee, Plan, PlanAction, PlanGoal, PlanStatus, uuid7
from coachdesk.services.drafts import pending_drafts
from coachdesk.ui.dialogs import plan_forms
from coachdesk.ui.dialogs.plan_forms import ActionDialog
from coachdesk.ui.views import plans as plans_view
from coachdesk.ui.views.plans import PlansPage
from coachdesk.ui.widgets.plan_tree import GOAL, IdRole, KindRole


@pytest.fixture
def world(ui_context):
    today = date.today()
    ids = {}
    with ui_context.db.write() as s:
        capacity = s.scalars(select(Capacity).where(Capacity.key == "fundraising")).one()
        for name, title in (("Amina Yusuf", "Fundraising plan"), ("Bola Ade", "Outreach plan")):
            mentee = Mentee(id=uuid7(), name=name)
            s.add(mentee)
            s.flush()
            plan = Plan(id=uuid7(), mentee_id=mentee.id, title=title, status=PlanStatus.ACTIVE, created_on=today)
            s.add(plan)
            s.flush()
            ids[name] = plan.id
        ids["goal"] = uuid7()
        s.add(PlanGoal(id=ids["goal"], plan_id=ids["Amina Yusuf"], capacity_id=capacity.id,
                       description="Raise our own money", target_level=3, position=0))
        s.flush()
        ids["late"], ids["later"] = uuid7(), uuid7()
        s.add(PlanAction(id=ids["late"], goal_id=ids["goal"], description="Send the grant report",
                         due_on=today - timedelta(days=3), status=ActionStatus.TODO, position=0))
        s.add(PlanAction(id=ids["later"], goal_id=ids["goal"], description="Thank the donors",
                         due_on=today + timedelta(days=20), status=ActionStatus.IN_PROGRESS, owner="Board",
                         position=1))
    return ids


@pytest.fixture
def page(qtbot, ui_context, world):
    widget = PlansPage(ui_context)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.show()
    return widget


def plan_texts(page):
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def choose_plan(qtbot, page, mentee):
    page.list.setFocus()
    for _ in range(page.model.rowCount()):
        if page.list.currentIndex().isValid() and page.list.currentIndex().data().startswith(mentee):
            break
        qtbot.keyClick(page.list, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.mentee_name == mentee)


def tree_item(page, text):
    tree = page.tree
    for g in range(tree.topLevelItemCount()):
        goal = tree.topLevelItem(g)
        if goal.text(0) == text:
            return goal
        for a in range(goal.childCount()):
            if goal.child(a).text(0) == text:
                return goal.child(a)
    return None


def stored(ui_context, action_id):
    with ui_context.db.read() as s:
        return s.get(PlanAction, action_id)


def test_choosing_a_plan_shows_its_goals_and_actions(qtbot, page):
    assert plan_texts(page)[0].startswith("Amina Yusuf\nFundraising plan — Active")
    assert "1 overdue" in plan_texts(page)[0]
    assert page.right.currentWidget() is page.empty
    choose_plan(qtbot, page, "Amina Yusuf")
    goal = page.tree.topLevelItem(0)
    assert goal.data(0, KindRole) == GOAL
    assert goal.text(0).startswith("Fundraising") and "Raise our own money" in goal.text(0)
    assert "target level 3" in goal.text(0)
    assert [goal.child(i).text(0) for i in range(goal.childCount())] == ["Send the grant report", "Thank the donors"]
    later = goal.child(1)
    assert later.text(1) == "Board" and later.text(2).endswith("In progress")
    assert page.title.text() == "Amina Yusuf — Fundraising plan"
    assert page.board.columns[ActionStatus.TODO].item(0).text().startswith("Send the grant report")


def test_overdue_actions_are_highlighted(qtbot, page):
    choose_plan(qtbot, page, "Amina Yusuf")
    late, later = tree_item(page, "Send the grant report"), tree_item(page, "Thank the donors")
    dark = page.palette().color(QPalette.ColorRole.Window).lightness() < 128
    assert late.foreground(0).color().name() == ("#ef9a9a" if dark else "#c62828")
    assert late.font(0).bold() and not later.font(0).bold()
    assert late.foreground(0).color() != later.foreground(0).color()


def test_ctrl_arrows_move_the_status_and_the_database_keeps_it(qtbot, page, world, ui_context):
    choose_plan(qtbot, page, "Amina Yusuf")
    page.tree.setFocus()
    page.tree.setCurrentItem(tree_item(page, "Send the grant report"))
    qtbot.keyClick(page.tree, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tree_item(page, "Send the grant report").text(2).endswith("In progress"))
    assert stored(ui_context, world["late"]).status is ActionStatus.IN_PROGRESS
    # The same action stays chosen, so the next key press moves it on.
    assert page.tree.currentItem().data(0, IdRole) == world["late"]
    qtbot.keyClick(page.tree, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tree_item(page, "Send the grant report").text(2).endswith("Done"))
    kept = stored(ui_context, world["late"])
    assert (kept.status, kept.completed_on) == (ActionStatus.DONE, date.today())
    assert not tree_item(page, "Send the grant report").font(0).bold()  # done is not overdue
    qtbot.keyClick(page.tree, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tree_item(page, "Send the grant report").text(2).endswith("In progress"))
    kept = stored(ui_context, world["late"])
    assert (kept.status, kept.completed_on) == (ActionStatus.IN_PROGRESS, None)


def test_dropping_a_card_on_another_column_sets_its_status(qtbot, page, world, ui_context):
    choose_plan(qtbot, page, "Amina Yusuf")
    page.tabs.setCurrentWidget(page.board)
    source = page.board.columns[ActionStatus.TODO]
    target = page.board.columns[ActionStatus.BLOCKED]
    mime = source.mimeData([source.item(0)])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    target.dropEvent(event)
    qtbot.waitUntil(lambda: target.count() == 1)
    assert target.item(0).text().startswith("Send the grant report") and source.count() == 0
    assert stored(ui_context, world["late"]).status is ActionStatus.BLOCKED
    assert page.board.captions[ActionStatus.BLOCKED].text() == "Blocked (1)"


def test_adding_an_action_through_the_form(qtbot, page, world, ui_context):
    choose_plan(qtbot, page, "Amina Yusuf")
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    qtbot.mouseClick(page.add_action_button, Qt.MouseButton.LeftButton)
    dialog = page._dialogs[-1]
    assert isinstance(dialog, ActionDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.description, "Print the attendance sheets")
    qtbot.keyClicks(dialog.owner, "Karim")
    dialog.has_due.setChecked(True)
    dialog.due.setDate(QDate.currentDate().addDays(5))
    dialog.method.setCurrentIndex(dialog.method.findText("Training"))
    assert dialog.has_unsaved_changes()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tree_item(page, "Print the attendance sheets") is not None)
    assert not dialog.isVisible()
    item = tree_item(page, "Print the attendance sheets")
    assert item.text(1) == "Training\nKarim" and item.text(2).endswith("To do")
    assert page.tree.currentItem() is item  # what was just added is chosen
    with ui_context.db.read() as s:
        kept = s.scalars(select(PlanAction).where(PlanAction.description == "Print the attendance sheets")).one()
        assert (kept.goal_id, kept.owner, kept.due_on, kept.status) == (
            world["goal"], "Karim", date.today() + timedelta(days=5), ActionStatus.TODO)
    assert pending_drafts() == []


def test_a_half_filled_form_keeps_a_draft_and_asks_before_closing(qtbot, page, monkeypatch, ui_context):
    choose_plan(qtbot, page, "Amina Yusuf")
    dialog = page.new_action()
    qtbot.keyClicks(dialog.description, "Call the bank")
    dialog.save_draft_now()
    (draft,) = pending_drafts()
    assert draft.kind == "plan_action" and draft.values["description"] == "Call the bank"
    asked = []
    monkeypatch.setattr(plan_forms, "ask_discard", lambda parent: asked.append(parent) or False)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()  # kept editing
    restored = ActionDialog.from_draft(ui_context, draft, page)
    qtbot.addWidget(restored)
    assert restored.description.text() == "Call the bank" and restored.has_unsaved_changes()
    monkeypatch.setattr(plan_forms, "ask_discard", lambda parent: True)
    dialog.reject()
    assert not dialog.isVisible() and pending_drafts() == []


def test_removing_an_action_asks_first_and_leaves_a_tombstone(qtbot, page, world, ui_context, monkeypatch):
    choose_plan(qtbot, page, "Amina Yusuf")
    page.tree.setFocus()
    page.tree.setCurrentItem(tree_item(page, "Thank the donors"))
    monkeypatch.setattr(plans_view, "confirm", lambda *args: False)
    qtbot.keyClick(page.tree, Qt.Key.Key_Delete)
    ui_context.tasks.wait_idle()
    assert tree_item(page, "Thank the donors") is not None and not stored(ui_context, world["later"]).deleted
    monkeypatch.setattr(plans_view, "confirm", lambda *args: True)
    qtbot.keyClick(page.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: tree_item(page, "Thank the donors") is None)
    assert stored(ui_context, world["later"]).deleted is True


def test_new_plan_for_a_mentee_found_by_typing(qtbot, page, ui_context):
    qtbot.mouseClick(page.new_plan_button, Qt.MouseButton.LeftButton)
    dialog = page._dialogs[-1]
    qtbot.keyClicks(dialog.search, "bola")
    qtbot.waitUntil(lambda: dialog.matches.count() == 1)
    dialog.title.clear()
    qtbot.keyClicks(dialog.title, "Second plan")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.title == "Second plan")
    assert page.detail.mentee_name == "Bola Ade"
    assert any(t.startswith("Bola Ade\nSecond plan") for t in plan_texts(page))
    with ui_context.db.read() as s:
        assert s.scalars(select(Plan).where(Plan.title == "Second plan")).one().status is PlanStatus.ACTIVE


def test_filter_and_active_only(qtbot, page, ui_context):
    qtbot.keyClicks(page.filter, "outreach")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert plan_texts(page)[0].startswith("Bola Ade")
    with ui_context.db.write() as s:
        s.scalars(select(Plan).where(Plan.title == "Outreach plan")).one().status = PlanStatus.COMPLETED
    page.reload_plans()
    assert page.model.rowCount() == 0 and page.count.text() == "0 plans"
    page.active_only.setChecked(False)
    assert [t.split("\n")[0] for t in plan_texts(page)] == ["Bola Ade"]
