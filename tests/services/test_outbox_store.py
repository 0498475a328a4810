"""The outbox file: order kept, one row per key, refusals kept with who, when and why."""

from __future__ import annotations

import sqlite3

from app.core.actor import Actor
from app.services.outbox.store import Entry, Outbox

ANA = Actor(7, "WS-3", "operator", "Ana")


def entry(key: str, raw: str = "4006381333931", target: str = "db") -> Entry:
    return Entry(key, target, "receive_scan", {"order_id": 1, "scan": raw}, ANA, "receiving", raw, "WIDGET",
                 "2026-06-17T10:00:00.000+00:00")


def test_scans_wait_in_the_order_they_were_made_once_per_key_and_per_database(tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite")
    assert [outbox.add(entry(k)) for k in ("b", "a", "c")] == [1, 2, 3]
    assert outbox.add(entry("a", raw="other")) == 3  # the same physical scan again: kept once
    outbox.add(entry("x", target="another database"))
    again = Outbox(tmp_path / "outbox.sqlite")  # what is on disk, read afresh
    assert [(e.key, e.raw, e.actor) for e in again.pending("db")] == [
        ("b", "4006381333931", ANA), ("a", "4006381333931", ANA), ("c", "4006381333931", ANA)]
    assert sqlite3.connect(tmp_path / "outbox.sqlite").execute("PRAGMA journal_mode").fetchone() == ("wal",)
    again.sent("b")
    assert [e.key for e in again.pending("db")] == ["a", "c"] and again.count("another database") == 1


def test_a_refused_scan_needs_attention_until_resolved_and_can_be_sent_again_with_its_key(tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite")
    for key in ("a", "b"):
        outbox.add(entry(key))
    outbox.refuse("a", "PO-1001 is received: 'receive' is not possible.")
    assert [e.key for e in outbox.pending("db")] == ["b"]
    [refused] = outbox.attention("db")
    assert (refused.entry.key, refused.entry.actor, refused.entry.scanned_at, refused.reason) == (
        "a", ANA, "2026-06-17T10:00:00.000+00:00", "PO-1001 is received: 'receive' is not possible.")
    outbox.requeue(refused.id, by="Sam")
    assert [e.key for e in outbox.pending("db")] == ["b", "a"] and outbox.attention_count("db") == 0
    outbox.refuse("a", "still closed")  # refused again: it needs attention again
    assert [(r.reason, r.resolved_at) for r in outbox.attention("db")] == [("still closed", None)]
    outbox.resolve(outbox.attention("db")[0].id, by="Sam", resolution="done by hand")
    assert outbox.attention("db") == [] and outbox.attention("db", open_only=False)[0].resolved_by == "Sam"
