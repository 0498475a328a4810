"""The bare SQL floor of a put-away scan: the statements ``putaway.start_putaway`` and
``putaway.confirm_putaway`` issue, hand-written, on one raw DBAPI connection of the same engine,
with the same durability (SQLite synchronous FULL, the same PostgreSQL session) and, as the
application's commit hook does, the hash-chain links of the rows each unit of work wrote.

Two units of work, one commit each, as the use case has them:

- the item scanned at the dock: the product by its barcode, what of it waits (receiving, returns,
  quarantine), the lead item's product, the put-away rules, the warehouse settings and the dock
  (where the walk starts), the bins already holding the product, the nearest open bins (the
  application's own suggestion statement, rendered once, through the same growing squares),
  those candidate bins with their limits, their stock as the decision needs it; the core's rule
  ranks them (app/core/putaway_rules.py, as the use case does); the journal row, the chain, COMMIT.
- the bin scanned: claim the key, the bin by its code (locked on PostgreSQL), source and bin with
  their limits, the product, the rules, the bin's stock, the core's check of the bin, the journal
  row, the confirmation row, the units out of the dock and into the bin, the move, the chain,
  COMMIT.

The chain reads back exactly the rows this unit of work inserted, by the ids they returned,
and hashes them as ``app.db.chain`` does (values as the column types give them back), so the
links verify. Covers a warehouse without put-away rules (the bench's): rules are read, none
applies.
"""

from __future__ import annotations

import datetime as dt
import uuid

from app.core.putaway_rules import MAX_ALTERNATIVES, Bin, Item, RuleBook, Stock, check_bin, suggest, volume_litres
from app.services.putaway.data import WAITING_KINDS
from app.services.putaway.nearest import NEAREST, WINDOWS, near_statement
from tests.benchmarks.bench_receive import BareSql

_PRODUCT = ("SELECT products.id, products.sku, products.name, products.tracking, products.expiry_tracked, "
            "product_barcodes.quantity, products.min_shelf_life_days FROM product_barcodes JOIN products ON "
            "product_barcodes.product_id = products.id WHERE product_barcodes.code IN ({p}, {p}) LIMIT 1")
_WAITING = ("SELECT on_hand.quantity - on_hand.reserved AS quantity, locations.code, locations.id, locations.kind, "
            "locations.x, locations.y, products.sku, products.name, products.id, lots.code, lots.id, lots.expiry, "
            "license_plates.code, license_plates.id FROM on_hand JOIN locations ON locations.id = on_hand.location_id "
            "JOIN products ON products.id = on_hand.product_id LEFT OUTER JOIN lots ON lots.id = on_hand.lot_id "
            "LEFT OUTER JOIN license_plates ON license_plates.id = on_hand.license_plate_id "
            "WHERE locations.kind IN ({p}, {p}, {p}) AND on_hand.quantity - on_hand.reserved > 0 "
            "AND on_hand.product_id = {p}")
_ITEM_PRODUCT = ("SELECT products.id, products.sku, products.product_group, products.weight_kg, products.length_cm, "
                 "products.width_cm, products.height_cm, products.expiry_tracked FROM products WHERE products.id IN ({p})")
_RULES = ("SELECT putaway_rules.id, putaway_rules.scope, putaway_rules.product_id, putaway_rules.target, "
          "putaway_rules.home_location_id, putaway_rules.preferred_zone, putaway_rules.allowed_zones, "
          "putaway_rules.mix_lots, putaway_rules.fefo, putaway_rules.updated_at, putaway_rules.updated_by, "
          "products.sku, home.code FROM putaway_rules LEFT OUTER JOIN products ON products.id = putaway_rules.product_id "
          "LEFT OUTER JOIN locations AS home ON home.id = putaway_rules.home_location_id ORDER BY putaway_rules.id")
_HOLDING = ("SELECT DISTINCT on_hand.location_id FROM on_hand JOIN locations ON locations.id = on_hand.location_id "
            "WHERE on_hand.product_id IN ({p}) AND on_hand.quantity > 0 AND locations.kind IN ('storage', 'pick_face') "
            "AND locations.blocked IS {false}")
_PLACES = ("SELECT locations.id, locations.code, locations.kind, locations.zone, locations.x, locations.y, "
           "locations.blocked, location_capacities.max_units, location_capacities.max_weight_kg, "
           "location_capacities.max_volume_l, location_capacities.mix_lots FROM locations LEFT OUTER JOIN "
           "location_capacities ON location_capacities.location_id = locations.id WHERE locations.id IN ({ids}) "
           "ORDER BY locations.id")
_STOCK = ("SELECT on_hand.location_id, on_hand.quantity, on_hand.product_id, on_hand.lot_id, lots.code, lots.expiry, "
          "products.weight_kg, products.length_cm, products.width_cm, products.height_cm FROM on_hand JOIN products "
          "ON products.id = on_hand.product_id LEFT OUTER JOIN lots ON lots.id = on_hand.lot_id "
          "WHERE on_hand.quantity > 0 AND (on_hand.location_id IN ({whole}) OR on_hand.location_id IN ({summed}) "
          "AND on_hand.product_id IN ({products})) UNION ALL SELECT on_hand.location_id, sum(on_hand.quantity), 0, "
          "NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM on_hand WHERE on_hand.location_id IN ({summed}) "
          "AND on_hand.quantity > 0 AND (on_hand.product_id NOT IN ({products})) GROUP BY on_hand.location_id")
_JOURNAL = ("INSERT INTO scan_journal (at, user_id, workstation, context, raw, interpretation, outcome, message) "
            "VALUES ({p}, {p}, {p}, 'putaway', {p}, {p}, 'ok', {p}) RETURNING id")
_BIN = ("SELECT locations.id, locations.code, locations.kind, locations.x, locations.y FROM locations "
        "WHERE (locations.barcode = {p} OR locations.code = {p}) AND NOT (EXISTS (SELECT * FROM product_barcodes "
        "WHERE product_barcodes.code IN ({p}))) LIMIT 1")
_CONFIRMATION = ("INSERT INTO putaway_confirmations (idempotency_key, at, user_id, workstation, source_location_id, "
                 "destination_location_id, suggested_location_id, license_plate_id, units, deviation_reason, "
                 "approved_by) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, NULL, NULL) RETURNING id")
_MOVE = ("INSERT INTO moves (product_id, lot_id, quantity, from_location_id, to_location_id, from_license_plate_id, "
         "to_license_plate_id, created_at, user_id, workstation, reason, document_type, document_id, scan_id, "
         "idempotency_key) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, 'putaway', 'putaway', {p}, {p}, "
         "{p}) RETURNING id")


class BarePutaway(BareSql):
    def __init__(self, database, workstation: str = "BENCH") -> None:
        super().__init__(database)
        self.p = "%s" if self.pg else "?"
        self.workstation = workstation
        self.false = "false" if self.pg else "0"
        # SQLAlchemy's rendering of an empty IN list, per dialect (the stock statement has one).
        self.empty_in = "NULL) AND (1 != 1" if self.pg else "SELECT 1 FROM (SELECT 1) WHERE 1!=1"
        # The nearest open bins: the application's suggestion statement as it renders it (the
        # rule-less shape, windowed and not), its constants bound, IN lists expanded by hand.
        self._near = {windowed: self.render(near_statement(False, None, windowed).statement)
                      for windowed in (True, False)}
        self._last_half = 0.0  # the square that was big enough last time (the use case keeps its own)

    def _run_near(self, windowed: bool, values: dict) -> list[tuple]:
        sql, params, names = self._near[windowed]
        values = {**params, **values}
        self.cur.execute(sql, values if self.pg else tuple(values[name] for name in names))
        return self.cur.fetchall()

    def _marks(self, values: list) -> str:
        return ", ".join([self.p] * len(values)) if values else self.empty_in

    def _when(self, now: dt.datetime):
        """A datetime as the column type binds it (SQLite: SQLAlchemy's text form)."""
        return now if self.pg else now.strftime("%Y-%m-%d %H:%M:%S.%f")

    # ------------------------------------------------------------------ the two units of work

    def scan(self, code: str, user_id: int = 1) -> bool:
        """Put away one unit of the product whose barcode is ``code`` from where it waits into the
        suggested bin: two transactions, as the use case. False when nothing fits (nothing moved)."""
        task = self.start(code, user_id)
        if task is None:
            return False
        self.confirm(*task, user_id=user_id)
        return True

    def start(self, code: str, user_id: int = 1):
        cur, p = self.cur, self.p
        now = dt.datetime.now(dt.timezone.utc)
        if not self.pg:
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(_PRODUCT.format(p=p), (code, code.zfill(14)))
        product_id, sku, *_ = cur.fetchone()
        cur.execute(_WAITING.format(p=p), (*WAITING_KINDS, product_id))
        waiting = sorted(cur.fetchall(), key=lambda r: (r[4] is None, r[4] or 0.0, r[5] is None, r[5] or 0.0, r[1],
                                                        r[6], r[9] or "", r[12] or ""))
        loose = [row for row in waiting if row[13] is None]
        quantity, source_code, source_id, _kind, x, y, *_, lot_id, _, _, plate_id = (loose or waiting)[0]
        cur.execute(_ITEM_PRODUCT.format(p=p), (product_id,))
        _, _, group, weight, length, width, height, expiry_tracked = cur.fetchone()
        items = [Item(product_id=product_id, sku=sku, quantity=quantity, group=group, unit_weight_kg=weight,
                      unit_volume_l=volume_litres(length, width, height), expiry_tracked=expiry_tracked)]
        assert lot_id is None and plate_id is None, "the floor puts away loose units without lots"
        cur.execute(_RULES)
        assert not cur.fetchall(), "the floor covers a warehouse without put-away rules"
        rules = RuleBook(())
        # Where the walk starts: the source's place, else the dock's (the source itself: 0/0).
        if x is None or y is None:
            cur.execute("SELECT warehouse_settings.key, warehouse_settings.value FROM warehouse_settings")
            assert not dict(cur.fetchall()).get("receiving_location"), "the floor takes the first dock"
            cur.execute("SELECT locations.id, locations.code, locations.kind, locations.blocked FROM locations "
                        f"WHERE locations.kind = {p} ORDER BY locations.id LIMIT 1", ("receiving",))
            dock = cur.fetchone()[0]
            origin = (0.0, 0.0)
            if dock != source_id:
                cur.execute(_PLACES.format(ids=p), (dock,))
                dock_x, dock_y = cur.fetchone()[4:6]
                origin = (dock_x, dock_y) if dock_x is not None and dock_y is not None else (0.0, 0.0)
        else:
            origin = (x, y)
        ids: dict[int, None] = {}
        cur.execute(_HOLDING.format(p=p, false=self.false), (product_id,))
        ids.update(dict.fromkeys(row[0] for row in cur.fetchall()))
        ids.update(dict.fromkeys(self._nearest(origin, quantity, weight, length, width, height)))
        cur.execute(_PLACES.format(ids=self._marks(list(ids))), tuple(ids))
        places = cur.fetchall()
        bins = self._bins(places, product_id)
        suggestion = suggest(items, bins, rules, origin)
        destination = suggestion.destination_id
        cur.execute(_JOURNAL.format(p=p), (self._when(now), user_id, self.workstation, code,
                                          f"kind: gtin; GTIN: {code.zfill(14)}",
                                          f"{quantity} on {source_code} -> {suggestion.destination or '?'}"))
        scan_id = cur.fetchone()[0]
        self.chain(now, {"scan_journal": [scan_id]})
        self.raw.commit()
        if destination is None:
            return None
        return (source_id, destination, suggestion.destination, product_id, sku, group, weight, length, width,
                height, expiry_tracked)

    def _nearest(self, origin: tuple[float, float], units: int, weight: float | None, length: float | None,
                 width: float | None, height: float | None) -> list[int]:
        """``nearest.nearest_open_bins`` for a warehouse without zones: the ids of the first empty
        bins that fit and the first occupied ones among the NEAREST, through growing squares."""
        wanted = MAX_ALTERNATIVES + 1
        volume = volume_litres(length, width, height)
        room = {"units": float(units), "weight": units * (weight or 0.0), "volume": units * (volume or 0.0)}
        values = {"ox": origin[0], "oy": origin[1], "limit": NEAREST, "tolerance": 1e-9, "empty": wanted,
                  "occupied": 4 * wanted, **room}
        chosen: list[tuple[int, bool]] = []
        for half in (*(w for w in WINDOWS if w >= self._last_half), None):
            *rows, (_, _, _, found, farthest, _, _) = self._run_near(half is not None, {**values, "half": half})
            if found == NEAREST or half is None:
                chosen = [(row[0], bool(row[1])) for row in rows]
                if half is not None and found:
                    self._last_half = max(WINDOWS[0], farthest or 0.0)
                break
        empties = [row for row in chosen if not row[1]][:wanted]
        holding = [row for row in chosen if row[1]][:4 * wanted]
        return [row[0] for row in chosen if row in empties or row in holding]

    def _bins(self, places: list[tuple], product_id: int) -> list[Bin]:
        """The core's bins of ``places`` with their stock as a decision about the product reads it."""
        whole = [place[0] for place in places if place[8] is not None or place[9] is not None]
        summed = [place[0] for place in places if place[8] is None and place[9] is None]
        self.cur.execute(_STOCK.format(whole=self._marks(whole), summed=self._marks(summed), products=self.p),
                         (*whole, *summed, product_id, *summed, product_id))
        held: dict[int, list[Stock]] = {}
        for location_id, quantity, product, lot_id, lot, expiry, weight, *dimensions in self.cur.fetchall():
            held.setdefault(location_id, []).append(Stock(
                product_id=product, quantity=quantity, lot_id=lot_id, lot=lot, expiry=expiry,
                unit_weight_kg=weight, unit_volume_l=volume_litres(*dimensions)))
        return [Bin(location_id=location_id, code=code, kind=kind, zone=zone, x=x, y=y, blocked=bool(blocked),
                    max_units=max_units, max_weight_kg=max_weight, max_volume_l=max_volume,
                    mix_lots=True if mix_lots is None else bool(mix_lots), stock=tuple(held.get(location_id, ())))
                for location_id, code, kind, zone, x, y, blocked, max_units, max_weight, max_volume, mix_lots
                in places]

    def confirm(self, source_id: int, suggested_id: int, barcode: str, product_id: int, sku: str, group: str | None,
                weight: float | None, length: float | None, width: float | None, height: float | None,
                expiry_tracked: bool, *, user_id: int = 1) -> None:
        """One unit from ``source_id`` into the bin scanned as ``barcode`` (the suggested one)."""
        cur, p = self.cur, self.p
        key, now = uuid.uuid4().hex, dt.datetime.now(dt.timezone.utc)
        when = self._when(now)
        if not self.pg:
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(f"INSERT INTO scan_claims (idempotency_key, created_at) VALUES ({p}, {p}) "
                    "ON CONFLICT DO NOTHING RETURNING idempotency_key", (key, when))
        assert cur.fetchone() is not None
        cur.execute(_BIN.format(p=p) + (" FOR UPDATE OF locations" if self.pg else ""), (barcode, barcode, barcode))
        destination, destination_code, *_ = cur.fetchone()
        wanted = [source_id, destination, suggested_id]
        cur.execute(_PLACES.format(ids=self._marks(list(dict.fromkeys(wanted)))), tuple(dict.fromkeys(wanted)))
        known = {row[0]: row for row in cur.fetchall()}
        source_code = known[source_id][1]
        cur.execute(_ITEM_PRODUCT.format(p=p), (product_id,))
        cur.fetchone()
        items = [Item(product_id=product_id, sku=sku, quantity=1, group=group, unit_weight_kg=weight,
                      unit_volume_l=volume_litres(length, width, height), expiry_tracked=expiry_tracked)]
        cur.execute(_RULES)
        assert not cur.fetchall()
        rules = RuleBook(())
        assert suggested_id == destination, "the floor follows the suggestion"
        bins = {b.location_id: b for b in self._bins([known[destination]], product_id)}
        assert check_bin(items, bins[destination], rules) is None
        cur.execute(_JOURNAL.format(p=p), (when, user_id, self.workstation, barcode, f"kind: text; code: {barcode}",
                                          f"1 from {source_code} -> {destination_code}"))
        scan_id = cur.fetchone()[0]
        cur.execute(_CONFIRMATION.format(p=p), (key, when, user_id, self.workstation, source_id, destination,
                                                suggested_id, None, 1))
        confirmation_id = cur.fetchone()[0]
        cur.execute(f"UPDATE on_hand SET quantity=(on_hand.quantity - {p}) WHERE on_hand.product_id = {p} AND "
                    f"on_hand.location_id = {p} AND on_hand.lot_id IS NULL AND on_hand.license_plate_id IS NULL "
                    f"AND on_hand.quantity - on_hand.reserved >= {p}", (1, product_id, source_id, 1))
        assert cur.rowcount == 1
        cur.execute(f"INSERT INTO on_hand (product_id, location_id, lot_id, license_plate_id, quantity, reserved) "
                    f"VALUES ({p}, {p}, {p}, {p}, {p}, {p}) ON CONFLICT (product_id, location_id, coalesce(lot_id, 0), "
                    "coalesce(license_plate_id, 0)) DO UPDATE SET quantity = (on_hand.quantity + excluded.quantity)",
                    (product_id, destination, None, None, 1, 0))
        cur.execute(_MOVE.format(p=p), (product_id, None, 1, source_id, destination, None, None, when, user_id,
                                        self.workstation, confirmation_id, scan_id, key))
        move_id = cur.fetchone()[0]
        self.chain(now, {"moves": [move_id], "scan_journal": [scan_id]})
        self.raw.commit()
