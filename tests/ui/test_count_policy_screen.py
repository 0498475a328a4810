"""The count policy screen: class thresholds, per-class counting, the capped daily plan."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.db.uow import UnitOfWork
from app.services import counting
from app.services.counting import policy
from app.ui.counting.policy_screen import PolicyScreen
from tests.services.test_orders_support import put_stock


def test_the_count_policy_screen_saves_and_classifies(qtbot, context, database, warehouse):
    put_stock(database, warehouse, "GADGET", "A-02-01", 10)
    context.bridge.log_in(warehouse.supervisor)
    screen = PolicyScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    assert (screen.share_a.value(), screen.share_b.value(), screen.daily_cap.value()) == (80, 95, 25)
    assert screen.preview.text() == ("Planning by ABC today: 1 counts over 1 days, at most 1 a day; 0 wait for "
                                     "the next plan.")
    screen.daily_cap.setValue(12)
    screen.counts_per_year["A"].setValue(24)
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Policy saved"
    qtbot.mouseClick(screen.classify_button, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Classified: A 1, B 0, C 3"
    assert screen.sizes.text() == "Products now: A 1, B 0, C 3"
    with UnitOfWork(database, write=False) as uow:
        assert policy.plan_policy(uow.session).daily_cap == 12
        assert counting.class_policies(uow.session)["A"].counts_per_year == 24
