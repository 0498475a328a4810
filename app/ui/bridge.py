"""The one place the UI runs a use case (Anki's CollectionOp / OpChanges idea).

``bridge.run(use_case, *args, changes=Changes(stock=True), **kwargs)`` opens a unit of work,
calls ``use_case(uow, *args, **kwargs)``, returns its result and announces what changed.
Every failure comes back as OperationFailed carrying a translated sentence; nothing a use
case raises reaches Qt's event loop. The unit-of-work factory is injected by app/main.py,
so the UI never imports the database layer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from app.core.actor import Actor
from app.core.errors import DatabaseUnavailable, NeedsApproval, StockfloorError, WaitsForDatabase
from app.services import audit
from app.ui.background import Background
from app.ui.error_texts import error_message

log = logging.getLogger(__name__)

UnitFactory = Callable[..., AbstractContextManager[Any]]  # (write: bool = True) -> UnitOfWork
# (use_case, *args, idempotency_key=..., **kwargs) -> result: one scan in its own unit of work,
# retried with the same key when the connection is lost around COMMIT (services.retry.run_scan).
ScanRunner = Callable[..., Any]


@dataclass(frozen=True)
class Changes:
    """What a use case changed; screens refresh on the flags they care about."""

    stock: bool = False
    receipts: bool = False
    orders: bool = False
    putaway: bool = False
    picks: bool = False
    counts: bool = False
    returns: bool = False
    users: bool = False
    settings: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def intersects(self, other: Changes) -> bool:
        return any(getattr(self, f.name) and getattr(other, f.name) for f in fields(self))


class OperationFailed(Exception):
    """A use case did not happen. ``message`` is translated and ready for the banner."""

    def __init__(self, message: str, error: BaseException | None = None, *,
                 unexpected: bool = False, cancelled: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.error = error
        self.unexpected = unexpected
        self.cancelled = cancelled

    @property
    def waits_for_database(self) -> bool:
        """Refused at once because the workstation works offline (a list refresh can stay quiet)."""
        return isinstance(self.error, WaitsForDatabase)

    @property
    def needs_approval(self) -> bool:
        """A supervisor's badge + PIN would let it through (retry with ``approval=``)."""
        return isinstance(self.error, NeedsApproval)

    def english(self) -> str:
        """The untranslated text, for the scan journal and logs."""
        return str(self.error) if self.error is not None else self.message


class Bridge(QObject):
    changed = Signal(object)  # Changes
    actor_changed = Signal(object)  # Actor | None
    _for_gui_thread = Signal(object)  # a callable: the offline desk's timers live on the GUI thread

    def __init__(self, open_unit: UnitFactory, *, workstation: str, database_label: str = "",
                 background: bool = False, scan_runner: ScanRunner | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open_unit = open_unit
        self._scan_runner = scan_runner
        # With background=True every use case and query runs on one worker thread, in order.
        self.background = Background() if background else None
        self.workstation = workstation
        self.database_label = database_label
        self._actor: Actor | None = None
        self.offline: Any = None  # the OfflineDesk (app/ui/offline) when this workstation has an outbox
        self._gui_thread = threading.get_ident()
        self._for_gui_thread.connect(self._call_on_gui, Qt.ConnectionType.QueuedConnection)

    # --- who is working ---------------------------------------------------------------
    @property
    def actor(self) -> Actor | None:
        return self._actor

    def require_actor(self) -> Actor:
        if self._actor is None:
            raise OperationFailed(self.tr("Nobody is logged in."))
        return self._actor

    def log_in(self, actor: Actor) -> None:
        self._actor = actor
        self.actor_changed.emit(actor)

    def log_out(self) -> None:
        self._actor = None
        self.actor_changed.emit(None)

    # --- running use cases ------------------------------------------------------------
    def run(self, use_case: Callable[..., Any], *args: Any, changes: Changes | None = None,
            **kwargs: Any) -> Any:
        """``use_case(uow, *args, **kwargs)`` in its own transaction; raises OperationFailed."""
        if self.offline is not None:
            self.offline.refuse_fast()
        result = self._call(use_case, True, args, kwargs, pass_session=False)
        if changes:
            self.changed.emit(changes)
        return result

    def run_scan(self, use_case: Callable[..., Any], *args: Any, changes: Changes | None = None,
                 offline: Any = None, **kwargs: Any) -> Any:
        """One physical scan: like run(), but a connection lost around COMMIT is retried on the
        worker with the same ``idempotency_key`` (in kwargs) until the database answers, so
        the operator sees one result for one scan. With ``offline`` (an OfflineScan) the scan
        goes to the offline outbox, with the same key, when the database cannot be reached.
        Raises OperationFailed."""
        desk = self.offline if offline is not None else None
        if desk is not None and desk.offline:
            return desk.take(offline, kwargs["idempotency_key"])
        if self.offline is not None and offline is None:
            self.offline.refuse_fast()
        runner = self._scan_runner

        def retried(_unit: Any) -> Any:
            return runner(use_case, *args, **kwargs)

        try:
            if runner is None:
                result = self._call(use_case, True, args, kwargs, pass_session=False)
            else:
                result = self._call(retried, True, (), {}, pass_session=False, own_unit=False)
        except OperationFailed as failure:
            if self.offline is not None and isinstance(failure.error, DatabaseUnavailable):
                self.offline.went_offline()
                if desk is not None:
                    return desk.take(offline, kwargs["idempotency_key"])
            raise
        if desk is not None:
            desk.seen(offline, result)
        if changes:
            self.changed.emit(changes)
        return result

    def query(self, read: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``read(session, *args, **kwargs)`` in a read-only transaction; raises OperationFailed."""
        if self.offline is not None:
            self.offline.refuse_fast()
        return self._call(read, False, args, kwargs, pass_session=True)

    def run_long(self, parent: Any, text: str, use_case: Callable[..., Any], *args: Any,
                 changes: Changes | None = None, **kwargs: Any) -> Any:
        """``run`` for work that takes seconds (allocating, releasing waves, label batches,
        reports): a modal progress bar showing ``text`` over ``parent`` while the use case runs
        on the worker thread, in turn with every other; the window keeps painting."""
        result = self._long(parent, text, use_case, True, args, kwargs, pass_session=False)
        if changes:
            self.changed.emit(changes)
        return result

    def query_long(self, parent: Any, text: str, read: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``query`` behind a progress bar (a PDF report, a preview of many labels, an export)."""
        return self._long(parent, text, read, False, args, kwargs, pass_session=True)

    def _long(self, parent: Any, text: str, function: Callable[..., Any], write: bool, args: tuple,
              kwargs: dict, *, pass_session: bool) -> Any:
        from app.ui.progress import run_with_progress

        submit = self.background.submit if self.background is not None else None
        return run_with_progress(parent, "Stockfloor", text, lambda _report: self._call_here(
            function, write, args, kwargs, pass_session=pass_session), submit=submit)

    def announce(self, changes: Changes) -> None:
        """Tell the screens something changed outside a use case (e.g. settings saved)."""
        self.changed.emit(changes)

    def message_for(self, error: BaseException) -> str:
        if isinstance(error, OperationFailed):
            return error.message
        if isinstance(error, StockfloorError):
            return error_message(error)
        return self.tr("Unexpected error ({kind}). The details are in the log.").format(
            kind=type(error).__name__
        )

    def _call(self, function: Callable[..., Any], write: bool, args: tuple, kwargs: dict,
              *, pass_session: bool, own_unit: bool = True) -> Any:
        desk = self.offline
        if desk is not None and write and desk.waiting:
            # Kept offline scans go first, on the worker, in the same job: an undo or a close
            # comes after the scans the operator made before it.
            function = desk.after_kept_scans(function)
        try:
            if self.background is not None:
                return self.background.run(lambda: self._call_here(function, write, args, kwargs,
                                                                   pass_session=pass_session, own_unit=own_unit))
            return self._call_here(function, write, args, kwargs, pass_session=pass_session, own_unit=own_unit)
        except OperationFailed as failure:
            if self.offline is not None and isinstance(failure.error, DatabaseUnavailable):
                self._on_gui(self.offline.went_offline)  # what follows fails at once until it is back
            raise
        finally:
            if desk is not None and write and desk.waiting:
                self._on_gui(desk.recount)

    def _on_gui(self, function: Callable[[], Any]) -> None:
        """Run ``function`` now on the GUI thread; from another thread (a print job's worker
        asks the database too), queue it there: Qt timers and widgets belong to their thread."""
        if threading.get_ident() == self._gui_thread:
            function()
        else:
            self._for_gui_thread.emit(function)

    def _call_on_gui(self, function: Callable[[], Any]) -> None:
        function()

    def _call_here(self, function: Callable[..., Any], write: bool, args: tuple, kwargs: dict,
                   *, pass_session: bool, own_unit: bool = True) -> Any:
        try:
            if not own_unit:  # the function opens its units of work itself (the scan runner)
                return function(None, *args, **kwargs)
            with self._open_unit(write=write) as uow:
                return function(uow.session if pass_session else uow, *args, **kwargs)
        except OperationFailed:
            raise
        except StockfloorError as error:
            raise OperationFailed(error_message(error), error) from error
        except Exception as error:  # a bug must not take the floor down: log it, say it
            log.exception("%s failed", getattr(function, "__qualname__", function))
            raise OperationFailed(self.message_for(error), error, unexpected=True) from error

    # --- the scan journal -------------------------------------------------------------
    def journal_failed_scan(self, context: str, raw: str, error: BaseException) -> None:
        """Record a refused scan in its own transaction (the use case's was rolled back)."""
        message = error.english() if isinstance(error, OperationFailed) else str(error)
        self.journal(context, raw, "error", message)

    def journal(self, context: str, raw: str, outcome: str, message: str = "", *,
                interpretation: str | None = None) -> None:
        """One scan that reached no use case (a command, an answer, a refusal) in the journal.
        Never raises: a journal problem must not hide the operator's real message."""
        actor = self._actor or Actor(None, self.workstation, "operator", "")
        summary = _interpretation(raw) if interpretation is None else interpretation
        if self.offline is not None and self.offline.offline:  # kept in order with the offline scans
            try:
                self.offline.journal(actor, context, raw, summary, outcome, message)
            except OperationFailed:
                log.exception("could not journal a scan offline")
            return

        def write(uow: Any) -> None:
            audit.journal_scan(uow.session, actor, context=context, raw=raw,
                               interpretation=summary, outcome=outcome, message=message)
            uow.commit()

        try:
            self._call(write, True, (), {}, pass_session=False)
        except OperationFailed as failure:
            if self.offline is not None and isinstance(failure.error, DatabaseUnavailable):
                self.journal(context, raw, outcome, message, interpretation=summary)  # now offline
                return
            log.exception("could not journal a scan")


def _interpretation(raw: str) -> str:
    from app.core.scan import interpret  # biip is heavy: not on the start-up path

    try:
        return interpret(raw).summary()
    except StockfloorError as error:
        return f"unreadable: {error}"
