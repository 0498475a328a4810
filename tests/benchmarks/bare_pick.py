"""The bare SQL floor of a pick scan: the statements ``picking.scan_item`` issues, hand-written,
on one raw DBAPI connection of the same engine, with the same durability (SQLite synchronous
FULL, the same PostgreSQL session) and the same hash chain at commit (bench_receive.BareSql.chain).

One item scan on a task whose bin was scanned: claim the key, the task with what it changes
(locked), the product by its barcode, the journal row, the bin's reserved units out, the tote's
units in, the move, the face's replenishment check, the task, allocation and line counters,
the order's and the wave's counts (and their states when they change), the next task with
its counts, the chain, COMMIT. The states follow the app's own transition table.
"""

from __future__ import annotations

import datetime as dt
import uuid

from app.core.picking_rules import next_state
from app.services.replenishment.tasks import _BELOW_MIN
from tests.benchmarks.bench_receive import BareSql

_TASK = ("SELECT t.id, t.wave_id, t.allocation_id, t.order_id, t.order_line_id, t.product_id, t.location_id, "
         "t.lot_id, t.license_plate_id, t.quantity, t.quantity_picked, t.status, t.location_confirmed, "
         "o.status, o.number, o.tote_plate_id, w.status, a.quantity, l.quantity_picked, p.sku, p.tracking, "
         "loc.code, loc.kind, t.tote_slot "
         "FROM pick_tasks t LEFT JOIN waves w ON w.id = t.wave_id LEFT JOIN allocations a ON a.id = t.allocation_id "
         "LEFT JOIN sales_orders o ON o.id = t.order_id LEFT JOIN sales_order_lines l ON l.id = t.order_line_id "
         "LEFT JOIN products p ON p.id = t.product_id LEFT JOIN locations loc ON loc.id = t.location_id "
         "LEFT JOIN lots lt ON lt.id = t.lot_id WHERE t.id = {p}")
_NEXT = ("SELECT t.id, t.sequence, t.quantity, t.quantity_picked, loc.code, loc.barcode, p.sku, p.name, "
         "lt.code, t.tote_slot, o.channel, o.number, t.location_confirmed "
         "FROM (SELECT * FROM pick_tasks WHERE wave_id = {p} AND status = 'open' ORDER BY "
         "CASE WHEN picked_by = {p} THEN 0 ELSE 1 END, CASE WHEN picked_by IS NULL THEN 0 ELSE 1 END, sequence "
         "LIMIT 1) t LEFT JOIN waves w ON w.id = t.wave_id LEFT JOIN sales_orders o ON o.id = t.order_id "
         "LEFT JOIN products p ON p.id = t.product_id LEFT JOIN locations loc ON loc.id = t.location_id "
         "LEFT JOIN lots lt ON lt.id = t.lot_id")


class BarePick(BareSql):
    def __init__(self, database) -> None:
        super().__init__(database)
        self.p = "%s" if self.pg else "?"
        # The face's replenishment check is one INSERT ... SELECT: its text as the app renders it.
        self._below_min_sql, self._below_min_params, self._below_min_names = self.render(
            _BELOW_MIN[database.engine.dialect.name])

    def _below_min(self, face: int, now: dt.datetime) -> None:
        values = {**self._below_min_params, "face": face, "now": now}
        if self.pg:  # pyformat: the names as SQLAlchemy rendered them
            self.cur.execute(self._below_min_sql, values)
        else:
            self.cur.execute(self._below_min_sql, tuple(values[name] for name in self._below_min_names))

    def scan(self, task_id: int, code: str, user_id: int = 1) -> int | None:
        """Pick one unit of ``task_id`` by the item barcode ``code``; the next task's id."""
        cur, p, pg = self.cur, self.p, self.pg
        key, now = uuid.uuid4().hex, dt.datetime.now(dt.timezone.utc)
        if not pg:
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(f"INSERT INTO scan_claims (idempotency_key, created_at) VALUES ({p}, {p}) "
                    "ON CONFLICT DO NOTHING RETURNING idempotency_key", (key, now))
        cur.fetchone()
        cur.execute(_TASK.format(p=p) + (" FOR UPDATE OF t" if pg else ""), (task_id,))
        (_, wave_id, allocation_id, order_id, line_id, product_id, location_id, lot_id, plate_id, quantity,
         picked, status, confirmed, order_status, order_number, tote_id, wave_status, allocated,
         line_picked, sku, _tracking, location_code, _kind, tote_slot) = cur.fetchone()
        assert status == "open" and confirmed
        cur.execute("SELECT products.id, products.sku, products.name, products.tracking, products.expiry_tracked, "
                    "product_barcodes.quantity, products.min_shelf_life_days FROM product_barcodes JOIN products ON "
                    f"product_barcodes.product_id = products.id WHERE product_barcodes.code IN ({p}, {p}) LIMIT 1",
                    (code, code.zfill(14)))
        scanned, *_, units, _ = cur.fetchone()
        assert scanned == product_id
        cur.execute(f"INSERT INTO scan_journal (at, user_id, workstation, context, raw, interpretation, outcome, "
                    f"message) VALUES ({p}, {p}, 'BENCH', 'picking', {p}, {p}, 'ok', {p}) RETURNING id",
                    (now, user_id, code, f"gtin {code}", f"{units} x {sku} {location_code} -> tote {tote_slot}"))
        scan_id = cur.fetchone()[0]
        plate = "license_plate_id = " + p if plate_id is not None else "license_plate_id IS NULL"
        cur.execute(f"UPDATE on_hand SET quantity = quantity - {p}, reserved = reserved - {p} WHERE product_id = {p} "
                    f"AND location_id = {p} AND lot_id IS NULL AND {plate} AND reserved >= {p}",
                    (units, units, product_id, location_id, *((plate_id,) if plate_id is not None else ()), units))
        assert cur.rowcount == 1 and lot_id is None
        cur.execute("SELECT id, code, kind, blocked FROM locations WHERE kind = 'cart' ORDER BY id LIMIT 1")
        cart = cur.fetchone()[0]
        cur.execute(f"INSERT INTO on_hand (product_id, location_id, lot_id, license_plate_id, quantity, reserved) "
                    f"VALUES ({p}, {p}, NULL, {p}, {p}, 0) ON CONFLICT (product_id, location_id, "
                    "coalesce(lot_id, 0), coalesce(license_plate_id, 0)) DO UPDATE SET "
                    "quantity = on_hand.quantity + excluded.quantity", (product_id, cart, tote_id, units))
        cur.execute(f"INSERT INTO moves (product_id, lot_id, quantity, from_location_id, to_location_id, "
                    f"from_license_plate_id, to_license_plate_id, created_at, user_id, workstation, reason, "
                    f"document_type, document_id, scan_id, idempotency_key) VALUES ({p}, NULL, {p}, {p}, {p}, "
                    f"{p}, {p}, {p}, {p}, 'BENCH', 'pick', 'sales_order', {p}, {p}, {p}) RETURNING id",
                    (product_id, units, location_id, cart, plate_id, tote_id, now, user_id, order_id, scan_id, key))
        move_id = cur.fetchone()[0]
        self._below_min(location_id, now)
        picked += units
        done = picked == quantity
        cur.execute(f"UPDATE pick_tasks SET quantity_picked = {p}, status = {p}, picked_by = {p}, done_at = {p} "
                    f"WHERE id = {p}", (picked, "done" if done else "open", user_id, now if done else None, task_id))
        cur.execute(f"UPDATE allocations SET quantity = {p} WHERE id = {p}", (allocated - units, allocation_id))
        cur.execute(f"UPDATE sales_order_lines SET quantity_picked = {p} WHERE id = {p}",
                    (line_picked + units, line_id))
        new_order = next_state("order", order_number, order_status, "pick")
        new_wave = next_state("wave", str(wave_id), wave_status, "pick")
        counts = None
        if done:
            cur.execute(f"SELECT count(id) FILTER (WHERE order_id = {p} AND status = 'open'), "
                        f"count(id) FILTER (WHERE wave_id = {p}), "
                        f"count(id) FILTER (WHERE wave_id = {p} AND status != 'open') "
                        f"FROM pick_tasks WHERE order_id = {p} OR wave_id = {p}",
                        (order_id, wave_id, wave_id, order_id, wave_id))
            order_open, total, finished = cur.fetchone()
            counts = (total, finished)
            if not order_open:
                new_order = next_state("order", order_number, new_order, "finish_picking")
            if total == finished:
                new_wave = next_state("wave", str(wave_id), new_wave, "finish")
                cur.execute(f"UPDATE waves SET status = {p}, completed_at = {p} WHERE id = {p}",
                            (new_wave, now, wave_id))
                new_wave = wave_status
        if new_order != order_status:
            cur.execute(f"UPDATE sales_orders SET status = {p} WHERE id = {p}", (new_order, order_id))
        if new_wave != wave_status:
            cur.execute(f"UPDATE waves SET status = {p} WHERE id = {p}", (new_wave, wave_id))
        cur.execute(_NEXT.format(p=p), (wave_id, user_id))
        following = cur.fetchone()
        if counts is None and following is not None:
            cur.execute(f"SELECT count(id), count(id) FILTER (WHERE status != 'open') FROM pick_tasks "
                        f"WHERE wave_id = {p}", (wave_id,))
            cur.fetchone()
        self.chain(now, {"moves": [move_id], "scan_journal": [scan_id]})
        self.raw.commit()
        return following[0] if following else None
