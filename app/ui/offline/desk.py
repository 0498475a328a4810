"""Working through an outage of the shared database, on the floor.

The desk sits beside the bridge. While the database answers it does nothing but keep the
local copy of each open floor document up to date. When a scan finds the database
unreachable (after ``retry.run_scan`` has retried it with its key), the desk takes over:
1. the scan is checked against the open document's local copy (the same questions and
   refusals as the use case; what the copy cannot decide waits for the database);
2. it is written to the outbox file with its original idempotency key, fsync'd, on the
   outbox's own thread, and only then does the screen show its result (green);
3. from then on every scan goes to the outbox, in arrival order, until the outbox is empty
   again: a replay (on the bridge's worker, in the background) sends the waiting scans in
   order with their keys whenever the database answers; scans refused on replay go to the
   needs-attention list.
Queries and other use cases fail at once with words while the database is unreachable
instead of waiting for a timeout each time.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.core import clock
from app.core.actor import Actor
from app.core.errors import StockfloorError, WaitsForDatabase
from app.services.outbox.replay import ReplayReport
from app.services.outbox.store import Entry, Outbox
from app.ui.background import Background
from app.ui.bridge import Bridge, Changes, OperationFailed
from app.ui.error_texts import error_message

log = logging.getLogger(__name__)
RETRY_MS = 3000  # how often the desk asks whether the database is back
EVERYTHING = Changes(stock=True, receipts=True, putaway=True, picks=True, counts=True, returns=True)


@dataclass(frozen=True)
class OfflineScan:
    """How a screen's scan runs offline: the use case's name and plain arguments (what the
    outbox keeps and replays), and the open document whose local copy checks it."""

    use_case: str
    document: tuple  # (kind, id, ...) of the open document
    payload: dict[str, Any]
    actor: Actor
    context: str
    raw: str


class OfflineDesk(QObject):
    changed = Signal()  # offline, waiting or needs-attention changed

    def __init__(self, bridge: Bridge, outbox: Outbox, target: str, replayer: Callable[[], ReplayReport],
                 *, retry_ms: int = RETRY_MS, parent: QObject | None = None) -> None:
        super().__init__(parent or bridge)
        self.bridge = bridge
        self.outbox = outbox
        self.target = target
        self._replayer = replayer
        self._writer = Background()  # fsync'd writes off the GUI thread, in order
        self._copies: dict[tuple, Any] = {}
        self.unreachable = False
        self.replaying = False
        self.waiting = outbox.count(target)
        self.needs_attention = outbox.attention_count(target)
        self.made_offline = 0  # scans kept in the outbox since start (for logs and tests)
        self.last_replay: ReplayReport | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(retry_ms)
        self._timer.timeout.connect(self.replay_now)
        bridge.offline = self
        if self.waiting:  # scans kept before a crash or a quit: send them once the window runs
            self._timer.start()
            QTimer.singleShot(0, self.replay_now)

    @property
    def offline(self) -> bool:
        """Scans go to the outbox: the database is unreachable, or earlier scans still wait."""
        return self.unreachable or self.waiting > 0

    # --- local copies ------------------------------------------------------------------------
    def keep_copy(self, read: Callable[..., Any], *args: Any) -> None:
        """Take the local copy of a document the screen just opened (``read(session, *args)``)."""
        try:
            copy = self.bridge.query(read, *args)
        except OperationFailed:
            log.warning("no local copy of %s%r", getattr(read, "__name__", read), args)
            return
        self._copies[copy.document] = copy

    def keep(self, copy: Any) -> None:
        """Keep a copy the screen already holds (a put-away task as it was started)."""
        self._copies[copy.document] = copy

    def update(self, document: tuple, state: Any) -> None:
        """A newer state of an open document, read online (see ``update_offline_copy``)."""
        copy = self._copies.get(document)
        if copy is not None:
            copy.take(state)

    def seen(self, scan: OfflineScan, result: Any) -> None:
        """An online scan's result: the copy counts it too."""
        copy = self._copies.get(scan.document)
        if copy is not None and result is not None:
            copy.take(result)

    # --- offline scans --------------------------------------------------------------------
    def take(self, scan: OfflineScan, key: str) -> Any:
        """Check ``scan`` against its document's copy and keep it in the outbox; its result
        (what the use case would have answered) once it is on disk. Raises OperationFailed."""
        copy = self._copies.get(scan.document)
        try:
            if copy is None:
                raise WaitsForDatabase(what="This document")
            result = copy.check(scan.payload)
        except StockfloorError as error:
            raise OperationFailed(error_message(error), error) from error
        entry = Entry(key, self.target, scan.use_case, scan.payload, scan.actor, scan.context, scan.raw,
                      getattr(result, "sku", "") or scan.raw, clock.now().isoformat(timespec="milliseconds"))
        self._keep(entry)
        copy.take(result)
        self.made_offline += 1
        return result

    def journal(self, actor: Actor, context: str, raw: str, interpretation: str, outcome: str,
                message: str) -> None:
        """A journal row (command, answer, refusal) made offline: kept in order with the scans."""
        payload = {"context": context, "raw": raw, "interpretation": interpretation, "outcome": outcome,
                   "message": message}
        self._keep(Entry(uuid.uuid4().hex, self.target, "journal", payload, actor, context, raw, raw,
                         clock.now().isoformat(timespec="milliseconds")))

    def _keep(self, entry: Entry) -> None:
        try:
            self.waiting = self._writer.run(lambda: self.outbox.add(entry))
        except Exception as error:  # the disk is full or gone: the scan is not kept, say so
            log.exception("cannot write to the outbox %s", self.outbox.path)
            raise OperationFailed(self.tr("Not saved: the offline outbox cannot be written ({kind}).").format(
                kind=type(error).__name__), error) from error
        if not self._timer.isActive():
            self._timer.start()
        self.changed.emit()

    def went_offline(self) -> None:
        if not self.unreachable:
            log.warning("the database cannot be reached: scans go to the outbox %s", self.outbox.path)
        self.unreachable = True
        if not self._timer.isActive():
            self._timer.start()
        self.changed.emit()

    def refuse_fast(self) -> None:
        """While the database is unreachable a query or another use case fails at once."""
        if self.unreachable:
            raise OperationFailed(error_message(WaitsForDatabase(what="This step")),
                                  WaitsForDatabase(what="This step"))

    def after_kept_scans(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function`` (run on the worker) preceded by sending every kept scan; when some
        cannot be sent it does not run (WaitsForDatabase)."""
        replayer = self._replayer

        def first_the_kept_scans(*args: Any, **kwargs: Any) -> Any:
            report = replayer()
            if report.left:
                raise WaitsForDatabase(what="This step")
            return function(*args, **kwargs)

        return first_the_kept_scans

    def recount(self) -> None:
        """After kept scans were sent outside replay_now: the counts, and the screens, again."""
        before = self.waiting
        self.waiting = self.outbox.count(self.target)
        self.needs_attention = self.outbox.attention_count(self.target)
        if self.waiting != before:
            self.bridge.announce(EVERYTHING)
        if not self.offline:
            self._timer.stop()
        self.changed.emit()

    # --- replay -----------------------------------------------------------------------------
    def replay_now(self) -> None:
        """Ask the worker to send the waiting scans (or to see whether the database is back)."""
        if self.replaying or not self.offline:
            return
        self.replaying = True
        if self.bridge.background is None:
            future: Future = Future()
            try:
                future.set_result(self._replayer())
            except Exception as error:  # noqa: BLE001 - reported in _replayed
                future.set_exception(error)
            self._replayed(future)
            return
        self.bridge.background.submit(self._replayer, self._replayed)

    def _replayed(self, future: Future) -> None:
        self.replaying = False
        try:
            report: ReplayReport = future.result()
        except Exception:
            log.exception("the outbox replay failed")
            return
        self.last_replay = report
        self.unreachable = bool(report.problem)
        self.waiting = self.outbox.count(self.target)  # scans kept while it ran are counted too
        self.needs_attention = self.outbox.attention_count(self.target)
        if report.sent:
            self.bridge.announce(EVERYTHING)
        if not self.offline:
            self._timer.stop()
        elif not self.unreachable:
            QTimer.singleShot(0, self.replay_now)  # more arrived meanwhile: send them too
        self.changed.emit()

    def attention_changed(self) -> None:
        self.waiting = self.outbox.count(self.target)
        self.needs_attention = self.outbox.attention_count(self.target)
        if self.waiting and not self._timer.isActive():
            self._timer.start()
        self.changed.emit()

    def shutdown(self) -> None:
        self._timer.stop()
        self._writer.shutdown()
