"""A small, fully known warehouse for tests. Every test author builds on this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.core.actor import Actor, Approval
from app.core.checkdigits import with_check_digit
from app.db.models import Location, Product, ProductBarcode, PurchaseOrder, PurchaseOrderLine
from app.services.users import actor_for, create_user

WORKSTATION = "WS-TEST"


def gtin13(n: int) -> str:
    return with_check_digit(f"400638{n:06d}")


@dataclass
class SmallWarehouse:
    locations: dict[str, Location] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    orders: dict[str, PurchaseOrder] = field(default_factory=dict)
    operator: Actor | None = None
    supervisor: Actor | None = None
    approval: Approval | None = None  # the supervisor's badge + PIN, for ``approval=``
    operator2_approval: Approval | None = None  # an operator's: not enough to approve
    operator2: Actor | None = None
    supervisor2: Actor | None = None  # the supervisor at a second workstation
    admin: Actor | None = None  # printers and warehouse rules (no user row of its own)


def add_location(session: Session, code: str, kind: str, **extra) -> Location:
    location = Location(code=code, barcode=extra.pop("barcode", code), kind=kind, **extra)
    session.add(location)
    return location


def add_product(session: Session, sku: str, name: str, gtin: str | None = None,
                case: tuple[str, int] | None = None, **extra) -> Product:
    product = Product(sku=sku, name=name, **extra)
    if gtin:
        product.barcodes.append(ProductBarcode(code=gtin, kind="gtin", quantity=1))
    if case:
        product.barcodes.append(ProductBarcode(code=case[0], kind="case", quantity=case[1]))
    session.add(product)
    return product


def build_small_warehouse(session: Session) -> SmallWarehouse:
    """Dock, quarantine, virtual ends, 2 aisles x 3 bins, 4 products, users, two POs.

    Products: WIDGET (GTIN gtin13(1), case of 12 = gtin13(101)), GADGET (gtin13(2)),
    MILK (lot + expiry tracked, GTIN 09501101530003), PHONE (serial tracked, gtin13(4)).
    PO-1001: 10 WIDGET, 5 GADGET, 20 MILK.  PO-1002 (ASN): 1 PHONE.
    Users: badge B-OP1 (operator, PIN 1234, en), B-SUP (supervisor, 4321, es), B-OP2.
    """
    wh = SmallWarehouse()
    for code, kind in (("DOCK-1", "receiving"), ("QUAR-1", "quarantine"), ("RET-1", "returns"),
                       ("PACK-1", "packing"), ("SHIP-1", "shipping"), ("SUPPLIER", "supplier"),
                       ("CUSTOMER", "customer"), ("LOSS", "inventory_loss")):
        wh.locations[code] = add_location(session, code, kind)
    for aisle in ("A", "B"):
        for bay in (1, 2, 3):
            code = f"{aisle}-{bay:02d}-01"
            wh.locations[code] = add_location(
                session, code, "storage", zone="Z1", aisle=aisle, bay=bay, level=1, slot=1,
                x=float(ord(aisle) - 64) * 3.0, y=float(bay) * 1.5,
            )
    wh.products["WIDGET"] = add_product(session, "WIDGET", "Widget, blue", gtin13(1),
                                        case=(gtin13(101), 12), unit_cost=2.5)
    wh.products["GADGET"] = add_product(session, "GADGET", "Gadget", gtin13(2), unit_cost=10)
    wh.products["MILK"] = add_product(session, "MILK", "Milk 1 l", "09501101530003",
                                      tracking="lot", expiry_tracked=True, unit_cost=0.9)
    wh.products["PHONE"] = add_product(session, "PHONE", "Phone", gtin13(4),
                                       tracking="serial", unit_cost=300)
    session.flush()
    po = PurchaseOrder(number="PO-1001", supplier="ACME", kind="po",
                       expected_date=dt.date(2026, 11, 20))
    for n, (sku, qty) in enumerate((("WIDGET", 10), ("GADGET", 5), ("MILK", 20)), start=1):
        po.lines.append(PurchaseOrderLine(line_no=n, product=wh.products[sku], quantity_expected=qty,
                                          quantity_received=0, quantity_damaged=0))
    asn = PurchaseOrder(number="PO-1002", supplier="PhoneCo", kind="asn")
    asn.lines.append(PurchaseOrderLine(line_no=1, product=wh.products["PHONE"], quantity_expected=1,
                                       quantity_received=0, quantity_damaged=0))
    session.add_all([po, asn])
    wh.orders = {"PO-1001": po, "PO-1002": asn}
    op = create_user(session, username="olga", display_name="Olga Operator", badge_code="B-OP1",
                     role="operator", pin="1234")
    sup = create_user(session, username="sam", display_name="Sam Supervisor", badge_code="B-SUP",
                      role="supervisor", pin="4321", language="es")
    op2 = create_user(session, username="otto", display_name="Otto Operator", badge_code="B-OP2",
                      role="operator", pin="5678")
    session.flush()
    wh.operator = actor_for(op, WORKSTATION)
    wh.supervisor = actor_for(sup, WORKSTATION)
    wh.operator2 = actor_for(op2, "WS-TEST-2")
    wh.supervisor2 = actor_for(sup, "WS-TEST-2")
    wh.admin = Actor(None, WORKSTATION, "admin", "Ada Admin")
    wh.approval = Approval("B-SUP", "4321", "Sam Supervisor")
    wh.operator2_approval = Approval("B-OP2", "5678", "Otto Operator")
    return wh
