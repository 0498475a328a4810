"""No query per row: lists, the put-away suggestion and the count start issue the same number
of statements however many rows there are (SQLAlchemy's before_cursor_execute event), on
every backend; and the SQL-chosen put-away candidates give the whole-warehouse answer."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

from sqlalchemy import event

from app.core.putaway_rules import suggest
from app.db.models import Location, Move, PurchaseOrder, PurchaseOrderLine
from app.db.uow import UnitOfWork
from app.services.counting.common import last_move_id
from app.services.orders import allocation
from app.services.orders.documents import list_orders
from app.services.printing.labels import locations_between
from app.services.putaway import data as putaway_data
from app.services.putaway import nearest as putaway_nearest
from app.services.putaway import tasks as putaway
from app.services.receiving import receipts as receiving
from app.services.waves import release
from tests.factories import add_location, gtin13
from tests.services.test_orders_support import new_order, put_stock


@contextmanager
def statements(database):
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def counted(database, function, *args, **kwargs) -> tuple[int, object]:
    with UnitOfWork(database, write=False) as uow, statements(database) as seen:
        result = function(uow.session, *args, **kwargs)
    return len(seen), result


def add_purchase_orders(database, warehouse, first: int, how_many: int) -> None:
    with UnitOfWork(database) as uow:
        for n in range(first, first + how_many):
            po = PurchaseOrder(number=f"PO-{n}", supplier="ACME", kind="po")
            for line_no, sku in enumerate(("WIDGET", "GADGET"), start=1):
                po.lines.append(PurchaseOrderLine(line_no=line_no, product_id=warehouse.products[sku].id,
                                                  quantity_expected=5))
            uow.session.add(po)
        uow.commit()


def test_open_receipts_in_constant_statements(database, warehouse):
    few, before = counted(database, receiving.list_open_receipts)
    add_purchase_orders(database, warehouse, 5000, 12)
    many, after = counted(database, receiving.list_open_receipts)
    assert few == many <= 2  # the query (and SQLite's BEGIN)
    assert len(after) == len(before) + 12
    first = next(view for view in before if view.number == "PO-1001")
    assert [(line.sku, line.expected, line.received) for line in first.lines] == [
        ("WIDGET", 10, 0), ("GADGET", 5, 0), ("MILK", 20, 0)]
    last = next(view for view in after if view.number == "PO-5011")
    assert [line.sku for line in last.lines] == ["WIDGET", "GADGET"]


def allocated_orders(database, warehouse, first: int, how_many: int) -> None:
    for n in range(first, first + how_many):
        order_id = new_order(database, warehouse.supervisor, str(n), {"WIDGET": 1, "GADGET": 2})
        with UnitOfWork(database) as uow:
            allocation.allocate_order(uow, order_id, actor=warehouse.supervisor)


def test_releasable_and_listed_orders_in_constant_statements(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 50)
    put_stock(database, warehouse, "GADGET", "A-02-01", 50)
    allocated_orders(database, warehouse, 1, 1)
    few, _ = counted(database, release.list_releasable_orders)
    few_listed, _ = counted(database, list_orders)
    allocated_orders(database, warehouse, 2, 6)
    many, views = counted(database, release.list_releasable_orders)
    many_listed, listed = counted(database, list_orders)
    assert (few, few_listed) == (many, many_listed)
    assert many <= 3 and many_listed <= 3
    assert len(views) == len(listed) == 7
    assert {(line.sku, line.allocated) for line in views[0].lines} == {("WIDGET", 1), ("GADGET", 2)}


def receive(database, warehouse, scan: str, quantity: int) -> None:
    with UnitOfWork(database) as uow:
        receiving.receive_scan(uow, warehouse.orders["PO-1001"].id, scan, actor=warehouse.operator,
                               idempotency_key=uuid.uuid4().hex, quantity=quantity)


def add_bins(database, how_many: int) -> None:
    with UnitOfWork(database) as uow:
        for n in range(how_many):
            add_location(uow.session, f"C-{n:02d}-01", "storage", zone="Z1", aisle="C", bay=n,
                         level=1, slot=1, x=9.0, y=float(n) * 1.5)
        uow.commit()


def start_statements(database, warehouse, scan: str) -> tuple[int, putaway.PutawayTask]:
    with UnitOfWork(database) as uow, statements(database) as seen:
        task = putaway.start_putaway(uow, scan, actor=warehouse.operator)
    return len(seen), task


def whole_warehouse_choice(database, task: putaway.PutawayTask) -> list[str | None]:
    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        items = putaway_data.items_for_lines(session, task.lines)
        source = session.get(Location, task.source_id)
        rules = putaway_data.rule_book(session)
        full = suggest(items, putaway_data.storage_bins(session), rules, putaway_data.origin(session, source))
    return [full.destination, *(choice.code for choice in full.alternatives)]


def test_put_away_suggestion_in_constant_statements_and_as_if_every_bin_was_read(database, warehouse):
    receive(database, warehouse, gtin13(1), 10)
    few, task = start_statements(database, warehouse, gtin13(1))
    assert [task.suggestion.destination, *(c.code for c in task.suggestion.alternatives)] == \
        whole_warehouse_choice(database, task)
    add_bins(database, 30)
    put_stock(database, warehouse, "WIDGET", "C-07-01", 3)
    put_stock(database, warehouse, "GADGET", "A-01-01", 3)
    many, task = start_statements(database, warehouse, gtin13(1))
    assert few == many
    assert task.suggestion.destination == "C-07-01" and task.suggestion.reason.code == "same_product"
    assert [task.suggestion.destination, *(c.code for c in task.suggestion.alternatives)] == \
        whole_warehouse_choice(database, task)


def test_a_bins_other_products_count_against_its_limits_as_if_every_line_was_read(database, warehouse):
    """The candidates' stock sums, per bin, the products the scan is not about into one line;
    unit limits still count them, weight and volume limits read every line, and the answer is
    the whole warehouse's."""
    import pytest
    from sqlalchemy import update

    from app.core.putaway_errors import OverUnitCapacity, OverWeightCapacity
    from app.db.models import Product
    from app.services.putaway import setup as putaway_setup
    from app.services.putaway.setup import CapacityRow

    with UnitOfWork(database) as uow:
        for sku, kg in (("WIDGET", 0.1), ("GADGET", 2.0)):
            uow.session.execute(update(Product).where(Product.sku == sku).values(weight_kg=kg))
        for code, limits in (("A-01-01", {"max_units": 12}), ("A-02-01", {"max_weight_kg": 6.5}),
                             ("A-03-01", {"max_units": 13})):
            putaway_setup.set_location_capacity(uow, CapacityRow(code, **limits), actor=warehouse.supervisor)
        uow.commit()
    for code in ("A-01-01", "A-02-01", "A-03-01", "B-01-01", "B-02-01", "B-03-01"):
        put_stock(database, warehouse, "GADGET", code, 3)
    receive(database, warehouse, gtin13(1), 10)
    _, task = start_statements(database, warehouse, gtin13(1))
    # 3 + 10 units: over A-01-01's 12, within A-03-01's 13; 6 + 1 kg: over A-02-01's 6.5.
    assert task.suggestion.destination == "A-03-01" and task.suggestion.reason.code == "nearest_with_room"
    assert [task.suggestion.destination, *(c.code for c in task.suggestion.alternatives)] == \
        whole_warehouse_choice(database, task) == ["A-03-01", "B-01-01", "B-02-01", "B-03-01"]
    for code, error, text in (("A-01-01", OverUnitCapacity, "A-01-01 holds 3 units, room for 12: 10 more do not fit."),
                              ("A-02-01", OverWeightCapacity, None)):
        with UnitOfWork(database) as uow, pytest.raises(error) as refused:
            putaway.confirm_putaway(uow, task, code, actor=warehouse.operator, idempotency_key=uuid.uuid4().hex,
                                    reason="closer")
        assert text is None or str(refused.value) == text
    assert refused.value.params["would_be"] == 7.0


def test_the_newest_move_of_a_location_either_way(database, warehouse):
    receive(database, warehouse, gtin13(1), 4)
    put_stock(database, warehouse, "GADGET", "A-01-01", 3)
    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        dock, bin_, empty = (warehouse.locations[code].id for code in ("DOCK-1", "A-01-01", "B-03-01"))
        moves = {m.id: (m.from_location_id, m.to_location_id) for m in session.query(Move)}
        assert last_move_id(session, dock) == max(i for i, ends in moves.items() if dock in ends)
        assert last_move_id(session, bin_) == max(i for i, ends in moves.items() if bin_ in ends)
        assert last_move_id(session, empty) == 0


def test_location_label_range_in_constant_statements(database, warehouse):
    few, short = counted(database, locations_between, "A-01", "C-99")
    add_bins(database, 40)
    many, long = counted(database, locations_between, "A-01", "C-99")
    assert few == many
    assert len(long) == len(short) + 40


def test_location_labels_by_range_follow_natural_order(database, warehouse):
    add_bins(database, 12)
    with UnitOfWork(database, write=False) as uow:
        codes = [loc.code for loc in locations_between(uow.session, "b-02", "C-10")]
    assert codes == ["B-02-01", "B-03-01", *(f"C-{n:02d}-01" for n in range(11))]


def allocate_all(database, warehouse) -> tuple[int, list]:
    with UnitOfWork(database) as uow, statements(database) as seen:
        results = allocation.allocate_waiting_orders(uow, actor=warehouse.supervisor)
    return len(seen), results


def release_all(database, warehouse, order_ids) -> tuple[int, list]:
    with UnitOfWork(database) as uow, statements(database) as seen:
        views = release.release_waves(uow, order_ids, actor=warehouse.supervisor)
    return len(seen), views


def test_allocating_and_releasing_many_orders_in_constant_statements(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 100)
    put_stock(database, warehouse, "GADGET", "A-02-01", 100)
    first = [new_order(database, warehouse.supervisor, "1", {"WIDGET": 1, "GADGET": 2})]
    few, _ = allocate_all(database, warehouse)
    few_released, _ = release_all(database, warehouse, first)
    more = [new_order(database, warehouse.supervisor, str(n), {"WIDGET": 1, "GADGET": 2}) for n in range(2, 10)]
    many, results = allocate_all(database, warehouse)
    many_released, views = release_all(database, warehouse, more)
    assert few == many and few_released == many_released
    assert [r.reserved_now for r in results] == [3] * 8
    assert [len(view.orders) for view in views] == [1] * 8 and all(view.tasks_total == 2 for view in views)


def test_a_batch_that_loses_stock_to_another_workstation_goes_order_by_order(database, warehouse, monkeypatch):
    from app.core.errors import InsufficientStock

    put_stock(database, warehouse, "GADGET", "A-01-01", 1)
    urgent = new_order(database, warehouse.supervisor, "1002", {"GADGET": 1}, priority=5)
    new_order(database, warehouse.supervisor, "1001", {"GADGET": 1})

    def lost(*args, **kwargs):  # noqa: ANN002, ANN003
        raise InsufficientStock(sku="GADGET", location="A-01-01", requested=1, available=0)

    monkeypatch.setattr(allocation.ledger, "reserve_rows", lost)
    _, results = allocate_all(database, warehouse)
    assert [(r.order.number, r.reserved_now) for r in results] == [("1002", 1), ("1001", 0)]
    assert results[0].order.order_id == urgent


def count_in_review(database, warehouse, codes: list[str]) -> int:
    """A count of the given bins waiting for review, each with WIDGET and GADGET lines."""
    from app.core import clock
    from app.db.models_counting import Count, CountLine, CountLocation

    with UnitOfWork(database) as uow:
        session = uow.session
        snapshot = session.query(Move.id).order_by(Move.id.desc()).limit(1).scalar() or 0
        count = Count(kind="location_range", status="in_review", due_date=clock.today(), reason="test")
        ids = dict(session.query(Location.code, Location.id).filter(Location.code.in_(codes)).all())
        for code in codes:
            place = CountLocation(location_id=ids[code], status="counted",
                                  snapshot_move_id=snapshot)
            for sku in ("WIDGET", "GADGET"):
                place.lines.append(CountLine(product_id=warehouse.products[sku].id, expected=3, counted=2,
                                             status="to_review", variance_qty=-1, within_tolerance=False))
            count.locations.append(place)
        session.add(count)
        uow.commit()
        return count.id


def test_count_review_in_constant_statements_with_moves_since_the_snapshot(database, warehouse):
    from app.services.counting import review

    add_bins(database, 8)
    few_id = count_in_review(database, warehouse, ["A-01-01", "A-02-01"])
    many_id = count_in_review(database, warehouse, ["B-01-01", *(f"C-{n:02d}-01" for n in range(8))])
    put_stock(database, warehouse, "WIDGET", "C-03-01", 4)  # after the snapshot
    few, _ = counted(database, review.count_review, few_id, actor=warehouse.supervisor)
    many, seen = counted(database, review.count_review, many_id, actor=warehouse.supervisor)
    assert few == many
    assert len(seen.lines) == 18
    moved = {(line.location, line.sku): [(m.quantity, m.other_location) for m in line.moves_since_snapshot]
             for line in seen.lines if line.moves_since_snapshot}
    assert moved == {("C-03-01", "WIDGET"): [(4, "SUPPLIER")]}
    widget = next(line for line in seen.lines if (line.location, line.sku) == ("C-03-01", "WIDGET"))
    assert widget.current_on_hand == 4 and widget.moved_during_count


def test_the_nearest_open_bins_found_through_squares_are_the_first_of_all_bins(database, warehouse):
    """Put-away reads the bins near the start through growing squares (an index on x, y);
    the answer is the same as ordering every bin: preferred zone, then placed bins by walking
    distance, then unplaced ones, by code."""
    import random

    rng = random.Random(3)
    with UnitOfWork(database) as uow:
        for n in range(420):
            placed = n % 37 != 0
            add_location(uow.session, f"G-{n:03d}", "storage" if n % 9 else "pick_face", zone=f"Z{n % 3}",
                         blocked=n % 17 == 0, x=rng.choice((0.0, 1.5, 3.0, 40.0, 90.0)) + rng.randrange(3)
                         if placed else None, y=rng.randrange(60) * 1.2 if placed else None)
        uow.commit()
    held = [f"G-{n:03d}" for n in range(0, 420, 3) if n % 17 and n % 37]  # a third hold stock
    for code in held:
        put_stock(database, warehouse, "GADGET", code, 1)
    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        bins = session.query(Location).filter(Location.kind.in_(("storage", "pick_face")),
                                              Location.blocked.is_(False)).all()
        holding = {b.id for b in bins if b.code in held}
        for origin in ((0.0, 0.0), (41.0, 30.0), (500.0, 500.0)):
            for preferred in (None, "Z2"):
                def walk(b, origin=origin, preferred=preferred):
                    unplaced = b.x is None or b.y is None
                    distance = 0.0 if unplaced else abs(b.x - origin[0]) + abs(b.y - origin[1])
                    return (preferred is not None and b.zone != preferred, unplaced, distance, b.code)
                expected = [b.id for b in sorted(bins, key=walk)][:putaway_nearest.NEAREST]
                with statements(database) as seen:
                    rows = putaway_nearest.nearest_open_bins(session, None, origin, preferred)
                assert [row[0] for row in rows] == expected
                assert len(seen) <= 2 * (len(putaway_nearest.WINDOWS) + 1)
                # What a suggestion asks: of those, the first 4 empty ones and the first 16 others.
                chosen = putaway_nearest.nearest_open_bins(session, None, origin, preferred, (1, 0.0, 0.0), 4, 16)
                empty = [i for i in expected if i not in holding][:4]
                full = [i for i in expected if i in holding][:16]
                assert chosen == [(i, i in holding) for i in expected if i in empty or i in full]


def test_a_count_scan_costs_the_same_statements_at_the_first_and_the_fortieth_unit(database, warehouse):
    """Each confirmed count scan adds its entry on its own: the earlier scans of the line are
    not read again (the 500th unit scanned one by one would otherwise read 499 rows)."""
    from app.core import clock
    from app.services import counting

    put_stock(database, warehouse, "WIDGET", "A-01-01", 50)
    with UnitOfWork(database) as uow:
        count_id = counting.plan_location_range(uow, "A-01-01", "A-01-01", actor=warehouse.supervisor,
                                                counter_id=warehouse.operator.user_id, due=clock.today()).count_id
    with UnitOfWork(database) as uow:
        location_id = counting.start_location(uow, count_id, "A-01-01", actor=warehouse.operator).location_id

    def scan() -> tuple[int, object]:
        with UnitOfWork(database) as uow, statements(database) as seen:
            result = counting.count_scan(uow, count_id, location_id, gtin13(1), actor=warehouse.operator,
                                         idempotency_key=uuid.uuid4().hex)
        reads = [s for s in seen if "FROM count_entries" in s and "idempotency_key" not in s.split("WHERE")[-1]]
        assert not reads  # the line's earlier scans are not read back
        return len(seen), result

    first, _ = scan()
    second, _ = scan()
    for _ in range(37):
        scan()
    fortieth, result = scan()
    assert first >= second == fortieth
    assert result.line_total == 40


def test_the_review_queue_in_constant_statements(database, warehouse):
    from app.services.counting import review

    add_bins(database, 8)
    count_in_review(database, warehouse, ["A-01-01"])
    few, queue = counted(database, review.review_queue, actor=warehouse.supervisor)
    count_in_review(database, warehouse, ["B-01-01", *(f"C-{n:02d}-01" for n in range(8))])
    many, longer = counted(database, review.review_queue, actor=warehouse.supervisor)
    assert few == many
    assert [len(summary.locations) for summary in longer] == [len(queue[0].locations), 9]


def test_a_pick_scan_costs_the_same_statements_in_a_wave_of_2_or_16_tasks(database, warehouse):
    """The picked task comes with what the pick changes, and the next task is chosen in SQL:
    neither the wave's other tasks nor their orders are read."""
    from app.services.waves import picking

    put_stock(database, warehouse, "WIDGET", "A-01-01", 50)
    put_stock(database, warehouse, "GADGET", "A-02-01", 50)
    with UnitOfWork(database) as uow:
        picking.cart_location(uow.session)  # the carts' location exists (made on first use)
        uow.commit()

    def wave_of(orders: list[int], mode: str):
        with UnitOfWork(database) as uow:
            allocation.allocate_waiting_orders(uow, actor=warehouse.supervisor)
        with UnitOfWork(database) as uow:
            [wave] = release.release_waves(uow, orders, actor=warehouse.supervisor, mode=mode, cart_slots=8)
        return wave

    def first_pick(wave) -> int:
        with UnitOfWork(database, write=False) as uow:
            task = picking.next_pick(uow.session, wave.wave_id)
        barcode = warehouse.locations[task.location].barcode
        with UnitOfWork(database) as uow:
            picking.scan_location(uow, task.task_id, barcode, actor=warehouse.operator)
        with UnitOfWork(database) as uow, statements(database) as seen:
            result = picking.scan_item(uow, task.task_id, gtin13(1) if task.sku == "WIDGET" else gtin13(2),
                                       actor=warehouse.operator, idempotency_key=uuid.uuid4().hex)
        assert result.task_finished and result.next is not None
        return len(seen)

    small = wave_of([new_order(database, warehouse.supervisor, "1", {"WIDGET": 1, "GADGET": 1})], "single")
    big = wave_of([new_order(database, warehouse.supervisor, str(n), {"WIDGET": 1, "GADGET": 1})
                   for n in range(2, 10)], "batch")
    assert big.tasks_total == 16
    assert first_pick(small) == first_pick(big)


def shipped_parcels(database, warehouse, first: int, how_many: int, parcels_each: int = 2) -> None:
    """Orders with closed (dispatch list) and shipped (shipments export) parcels, written directly:
    only the reading side is measured here."""
    from app.db.models import LicensePlate
    from app.db.models_picking import Parcel, Shipment

    for n in range(first, first + how_many):
        order_id = new_order(database, warehouse.supervisor, str(n), {"WIDGET": 1})
        with UnitOfWork(database) as uow:
            session = uow.session
            shipment = Shipment(carrier="DHL")
            session.add(shipment)
            session.flush()
            for number in range(1, parcels_each + 1):
                plate = LicensePlate(code=f"PL-{n}-{number}", is_sscc=False)
                session.add(plate)
                session.flush()
                session.add(Parcel(order_id=order_id, number=number, license_plate_id=plate.id, status="shipped",
                                   shipment_id=shipment.id))
            uow.commit()


def test_the_shipments_export_counts_parcels_in_one_statement(database, warehouse):
    import io

    from app.services.packing import shipping

    shipped_parcels(database, warehouse, 7000, 1)
    few, written = counted(database, shipping.export_shipments_csv, io.StringIO())
    assert written == 2
    shipped_parcels(database, warehouse, 7100, 6)
    out = io.StringIO()
    many, written = counted(database, shipping.export_shipments_csv, out)
    assert written == 14 and few == many
    rows = out.getvalue().splitlines()[1:]
    assert len(rows) == 14 and all(row.split(",")[5] == "2" for row in rows)  # each order: 2 parcels


def test_open_rmas_in_constant_statements(database, warehouse):
    """The Returns screen's list: the RMAs with their lines, then their units, however many."""
    from app.services.returns import receive as returns
    from tests.services.test_returns_support import open_rma, receive, ship_order

    def open_with_units(number: str, units: int) -> None:
        ship_order(database, warehouse, number, {"WIDGET": units, "GADGET": 1})
        rma_id = open_rma(database, warehouse.operator, number).rma.rma_id
        for _ in range(units):
            receive(database, warehouse.operator, rma_id, gtin13(1))

    open_with_units("1001", 2)
    open_with_units("1002", 1)
    few, views = counted(database, returns.list_open_rmas)
    assert [(view.order_number, view.received, len(view.units)) for view in views] == [("1001", 2, 2), ("1002", 1, 1)]
    for n in range(3, 9):
        open_with_units(f"10{n:02d}", 3)
    many, views = counted(database, returns.list_open_rmas)
    assert few == many <= 3  # SQLite counts its BEGIN
    assert len(views) == 8 and sum(view.received for view in views) == 21
    assert views[2].units[0].code == f"RU{views[2].units[0].unit_id:07d}"
