"""The demo warehouse's past: HISTORY_DAYS working days (Monday to Saturday) before the demo's
day, so that the supervisor dashboard shows trends on first start. Every day has customer
orders picked, packed and shipped (a few with a mispick, a few lines short at their first
allocation), receipts on Mondays and Thursdays put away hours later, a couple of returns,
and a cycle count of a few pick faces.

Stock moves go through the ledger with the moment they happened (``post_move(at=...)``), in
time order; documents, pick tasks, parcels, counts and scan journal rows are written with
the same moments. Only untracked products on pick faces take part.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.checkdigits import make_sscc
from app.db.models import Location, OnHand, Product, PurchaseOrder, PurchaseOrderLine, ScanJournal, User
from app.db.models_counting import Count, CountLine, CountLocation
from app.db.models_picking import (
    Allocation,
    LicensePlate,
    Parcel,
    ParcelItem,
    PickTask,
    SalesOrder,
    SalesOrderLine,
    Shipment,
    Wave,
)
from app.db.models_returns import ReturnUnit, Rma, RmaLine
from app.services import ledger
from app.services.ledger import StockKey

HISTORY_DAYS = 21  # working days
ORDERS_PER_DAY = (5, 9)
MISPICK_ODDS, SHORT_ODDS, RETURN_ODDS, COUNT_MISS_ODDS = 0.02, 0.05, 0.05, 0.12
PARCEL_SSCC_EXTENSION = 1  # as packing.parcels


@dataclass(frozen=True)
class History:
    days: int
    orders: int
    receipts: int
    returns: int
    counts: int


def history_start(today: dt.date) -> dt.date:
    """The first day of the history (its stock arrives the evening before)."""
    day, left = today, HISTORY_DAYS
    while left:
        day -= dt.timedelta(days=1)
        left -= day.weekday() != 6
    return day


def _at(day: dt.date, hour: float) -> dt.datetime:
    """A local moment of ``day`` (hours may pass midnight) as UTC."""
    local = dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=hour)
    return local.astimezone().astimezone(dt.timezone.utc)


class _Builder:
    def __init__(self, session: Session, rng: random.Random, today: dt.date, prefix: str, channels, customers,
                 carriers) -> None:
        self.session, self.rng, self.today, self.prefix = session, rng, today, prefix
        self.later: list[tuple[dt.datetime, object]] = []
        self.channels, self.customers, self.carriers = channels, customers, carriers
        places = {code: loc for code, loc in ((loc.code, loc) for loc in session.scalars(
            select(Location).where(Location.code.in_(("DOCK-1", "PACK-1", "SHIP-1", "CUSTOMER", "RET-1",
                                                      "SUPPLIER")))))}
        self.dock, self.bench, self.lane = places["DOCK-1"], places["PACK-1"], places["SHIP-1"]
        self.customer, self.returns, self.supplier = places["CUSTOMER"], places["RET-1"], places["SUPPLIER"]
        from app.services.waves.picking import cart_location

        self.cart = cart_location(session)
        people = {name: user_id for name, user_id in session.execute(select(User.username, User.id))}
        names = {name: shown for name, shown in session.execute(select(User.username, User.display_name))}
        self.pickers = [Actor(people[name], f"WS-FLOOR-{n}", "operator", names[name])
                        for n, name in enumerate(("oskar", "lucia"), start=1)]
        rows = [tuple(row) for row in session.execute(
            select(Product.id, Location.id, Location.code, OnHand.quantity)
            .join(OnHand, OnHand.product_id == Product.id).join(Location, Location.id == OnHand.location_id)
            .where(Location.kind == "pick_face", Product.tracking == "none", OnHand.lot_id.is_(None),
                   OnHand.license_plate_id.is_(None), OnHand.quantity > 0)
            .order_by(Product.id))]
        self.faces = [row[:3] for row in rows]
        # the history sells at most 40 % of a face's opening stock: today's orders need the rest
        self.keep = {(product_id, face_id): int(quantity * 0.6) for product_id, face_id, _, quantity in rows}
        self.stock = {(product_id, face_id): int(quantity) for product_id, face_id, _, quantity in rows}
        self.location_of = {loc.id: loc for loc in session.scalars(
            select(Location).where(Location.id.in_({face for _, face, _ in self.faces})))}
        self.journal: list[dict] = []
        self.keys = 0
        self.shipped: list[tuple[dt.datetime, SalesOrder, SalesOrderLine]] = []

    def key(self) -> str:
        self.keys += 1
        return f"demo-history:{self.keys}"

    def move(self, actor: Actor, product_id: int, quantity: int, source, destination, reason: str, at: dt.datetime,
             document: tuple[str, int] | None = None) -> None:
        ledger.post_move(self.session, actor=actor, product_id=product_id, quantity=quantity, source=source,
                         destination=destination, reason=reason, idempotency_key=self.key(), claimed=True, at=at,
                         document_type=document[0] if document else None,
                         document_id=document[1] if document else None)

    def scan(self, actor: Actor, at: dt.datetime, context: str, raw: str, outcome: str = "ok",
             message: str = "") -> None:
        self.journal.append(dict(at=at, user_id=actor.user_id, workstation=actor.workstation, context=context,
                                 raw=raw, interpretation="", outcome=outcome, message=message))

    def free(self, product_id: int, location_id: int) -> int:
        """Units the history may still sell from a face (kept in memory, no query)."""
        return self.stock[(product_id, location_id)] - self.keep[(product_id, location_id)]

    # --- one day ----------------------------------------------------------------------------
    def receipt(self, day: dt.date, number: int) -> None:
        rng, at = self.rng, _at(day, 7.5)
        order = PurchaseOrder(number=f"PO-{23000 + number}", supplier=rng.choice(("Nordic Supply AB", "Hanse Trade GmbH")),
                              kind="po", status="received", expected_date=day, created_at=at - dt.timedelta(days=5),
                              closed_at=at)
        self.session.add(order)
        self.session.flush()
        receiver = self.pickers[number % 2]
        for line_no, (product_id, face_id, code) in enumerate(rng.sample(self.faces, min(3, len(self.faces))), start=1):
            units = rng.choice((12, 24, 36, 48))
            self.session.add(PurchaseOrderLine(purchase_order_id=order.id, line_no=line_no, product_id=product_id,
                                               quantity_expected=units, quantity_received=units, quantity_damaged=0))
            self.scan(receiver, at, "receiving:receive", f"PO-{23000 + number}/{line_no}")
            self.move(receiver, product_id, units, self.supplier, self.dock, "receipt", at,
                      ("purchase_order", order.id))
            stored = _at(day, rng.choice((9.5, 11, 13, 15.5, 24 + 9)))
            if stored >= _at(self.today, 0):  # the history ends before the demo's day starts
                stored = _at(day, 15.5)
            self.later.append((stored, lambda p=product_id, f=face_id, c=code, u=units, t=stored, a=receiver: (
                self.scan(a, t, "putaway:location", c), self.stock.__setitem__((p, f), self.stock[(p, f)] + u),
                self.move(a, p, u, self.dock, self.location_of[f], "putaway", t))))

    def orders(self, day: dt.date, wave: Wave, serial: int) -> int:
        """The day's orders, planned in memory and written level by level (a few flushes a day)."""
        rng, session = self.rng, self.session
        carrier = rng.choice(self.carriers)
        shipped = _at(day, 16.5)  # the day's dispatch
        shipment = Shipment(carrier=carrier[0], dispatched_at=shipped, dispatched_by=None)
        session.add(shipment)
        plan = []
        for n in range(rng.randint(*ORDERS_PER_DAY)):
            wanted = rng.sample(self.faces, min(rng.choice((1, 1, 1, 2, 2, 3)), len(self.faces)))
            lines = []
            for product_id, face_id, code in wanted:
                units = min(rng.choice((1, 1, 1, 2, 2, 3)), self.free(product_id, face_id))
                if units > 0:
                    self.stock[(product_id, face_id)] -= units
                    lines.append((product_id, face_id, code, units, rng.random() < MISPICK_ODDS))
            if not lines:
                continue  # those faces are as low as the history lets them go
            serial += 1
            created = _at(day, 7 + rng.random() * 5)
            picked = created + dt.timedelta(hours=1 + rng.random() * 3)
            packed = picked + dt.timedelta(minutes=20 + rng.randint(0, 40))
            order = SalesOrder(channel=self.channels[serial % len(self.channels)], number=f"H{serial:05d}",
                               status="shipped", **_ship_to(rng.choice(self.customers)), carrier=carrier[0],
                               service=carrier[1][0], ship_by=day, created_at=created, wave_id=wave.id,
                               tote_slot=n + 1, shipped_at=shipped)
            order.lines = [SalesOrderLine(line_no=line_no, product_id=product_id, quantity=units,
                                          quantity_picked=units, quantity_packed=units,
                                          first_allocated_at=created + dt.timedelta(minutes=10),
                                          short_at_allocation=rng.random() < SHORT_ODDS)
                           for line_no, (product_id, _, _, units, _) in enumerate(lines, start=1)]
            for line, (product_id, face_id, *_rest) in zip(order.lines, lines, strict=True):
                line.allocations.append(Allocation(product_id=product_id, location_id=face_id, quantity=0,
                                                   created_at=line.first_allocated_at))
            parcel = Parcel(order=order, number=1, status="shipped", weight_kg=round(0.3 + rng.random() * 3, 2),
                            created_at=packed, closed_at=packed)
            session.add_all((order, parcel))
            plan.append((order, parcel, lines, self.pickers[serial % 2], picked, packed, n + 1))
        session.flush()  # orders, lines, allocations, parcels: ids for what points at them
        for order, parcel, lines, picker, picked, packed, slot in plan:
            parcel.plate = LicensePlate(code=make_sscc(PARCEL_SSCC_EXTENSION, self.prefix, parcel.id), is_sscc=True)
            parcel.shipment_id = shipment.id
            for line, (product_id, face_id, code, units, mispicked) in zip(order.lines, lines, strict=True):
                session.add(PickTask(
                    wave_id=wave.id, allocation_id=line.allocations[0].id, order_id=order.id, order_line_id=line.id,
                    product_id=product_id, location_id=face_id, sequence=len(self.journal) + 1, tote_slot=slot,
                    quantity=units, quantity_picked=units, status="done", location_confirmed=True,
                    picked_by=picker.user_id, done_at=picked, mispicks=int(mispicked)))
                session.add(ParcelItem(parcel_id=parcel.id, order_line_id=line.id, product_id=product_id,
                                       quantity=units))
                self.scan(picker, picked - dt.timedelta(minutes=1), "picking:location", code)
                if mispicked:
                    self.scan(picker, picked - dt.timedelta(seconds=30), "picking:item", "wrong item", "error",
                              "not the item to pick")
                self.scan(picker, picked, "picking:item", f"item {product_id}")
                self.scan(picker, packed, "packing", f"item {product_id}")
                document = ("sales_order", order.id)
                self.move(picker, product_id, units, self.location_of[face_id], self.cart, "pick", picked, document)
                self.move(picker, product_id, units, self.cart, self.bench, "pack", packed, document)
                self.move(picker, product_id, units, self.bench, self.lane, "stage", packed, document)
                self.later.append((shipped, lambda p=product_id, u=units, t=shipped, d=document, a=picker: self.move(
                    a, p, u, self.lane, self.customer, "ship", t, d)))
                self.shipped.append((shipped, order, line))
        return serial

    def returns_of(self, day: dt.date) -> int:
        """Some of the day's shipped lines come back 3 to 6 days later (one unit each)."""
        found = 0
        shipped_today, self.shipped = self.shipped, []
        for shipped, order, line in shipped_today:
            if self.rng.random() >= RETURN_ODDS:
                continue
            back = shipped + dt.timedelta(days=self.rng.randint(3, 6), hours=-self.rng.randint(2, 7))
            if back >= _at(self.today, 0):
                continue
            self.later.append((back, lambda o=order, ln=line, t=back: self._return(o, ln, t)))
            found += 1
        return found

    def _return(self, order: SalesOrder, line: SalesOrderLine, at: dt.datetime) -> None:
        receiver = self.pickers[0]
        rma = Rma(channel=order.channel, number=f"R-{order.number}-{line.line_no}", order_id=order.id, status="receiving",
                  created_at=at - dt.timedelta(days=1))
        self.session.add(rma)
        self.session.flush()
        rma_line = RmaLine(rma_id=rma.id, line_no=1, product_id=line.product_id, order_line_id=line.id, quantity=1,
                           reason=self.rng.choice(("did not fit", "damaged in transit", "changed my mind")))
        self.session.add(rma_line)
        self.session.flush()
        key = self.key()
        self.scan(receiver, at, "returns", f"item {line.product_id}")
        ledger.post_move(self.session, actor=receiver, product_id=line.product_id, quantity=1, source=self.customer,
                         destination=self.returns, reason="return", idempotency_key=key, claimed=True, at=at,
                         document_type="rma", document_id=rma.id)
        ledger.reserve(self.session, StockKey(line.product_id, self.returns.id, None), 1, self.returns)
        self.session.add(ReturnUnit(rma_id=rma.id, rma_line_id=rma_line.id, product_id=line.product_id, quantity=1,
                                    status="received", location_id=self.returns.id, received_at=at,
                                    received_by=receiver.user_id, receipt_key=key))

    def count(self, day: dt.date) -> None:
        counter, at = self.pickers[1], _at(day, 14.5)
        count = Count(kind="location_range", status="closed", due_date=day, assigned_user_id=counter.user_id,
                      created_at=at - dt.timedelta(hours=6), closed_at=at, reason="daily cycle count")
        self.session.add(count)
        for n, (product_id, face_id, code) in enumerate(self.rng.sample(self.faces, min(4, len(self.faces)))):
            finished = at + dt.timedelta(minutes=4 * n)
            expected = self.stock[(product_id, face_id)]
            miss = self.rng.random() < COUNT_MISS_ODDS
            place = CountLocation(location_id=face_id, status="counted", started_at=finished,
                                  started_by_id=counter.user_id, finished_at=finished, finished_by_id=counter.user_id)
            count.locations.append(place)
            counted = expected + (self.rng.choice((-3, -2, 2, 4)) if miss and expected > 4 else 0)
            place.lines.append(CountLine(product_id=product_id, expected=expected,
                                       counted=counted, status="rejected" if counted != expected else "matched",
                                       abc_class="C", variance_qty=counted - expected,
                                       within_tolerance=counted == expected, decided_at=finished))
            self.scan(counter, finished - dt.timedelta(minutes=1), "counting:location", code)
            self.scan(counter, finished, "counting:item", f"item {product_id}")


def _ship_to(customer: tuple) -> dict:
    name, address1, city, postcode, country = customer
    return dict(ship_to_name=name, ship_to_address1=address1, ship_to_city=city, ship_to_postcode=postcode,
                ship_to_country=country)


def build_history(session: Session, rng: random.Random, today: dt.date, *, prefix: str, channels, customers,
                  carriers) -> History:
    """Write the history (see the module's words); the demo's own documents come after it."""
    builder = _Builder(session, rng, today, prefix, channels, customers, carriers)
    if not builder.faces:
        return History(0, 0, 0, 0, 0)
    day, serial, receipts, returns, counts, days = history_start(today), 0, 0, 0, 0, 0
    while day < today:
        if day.weekday() != 6:
            days += 1
            for _when, later in sorted((item for item in builder.later if item[0] < _at(day, 0)), key=lambda i: i[0]):
                later()
            builder.later = [item for item in builder.later if item[0] >= _at(day, 0)]
            if day.weekday() in (0, 3):
                receipts += 1
                builder.receipt(day, receipts)
            wave = Wave(mode="batch", status="done", created_at=_at(day, 7), completed_at=_at(day, 17))
            session.add(wave)
            session.flush()
            serial = builder.orders(day, wave, serial)
            returns += builder.returns_of(day)
            builder.count(day)
            counts += 1
        day += dt.timedelta(days=1)
    for _, later in sorted(builder.later, key=lambda i: i[0]):
        later()
    if builder.journal:
        session.execute(insert(ScanJournal), builder.journal)
    session.flush()
    return History(days, serial, receipts, returns, counts)
