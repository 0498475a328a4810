"""Printing from any screen without waiting for the printer.

    from app.ui.printing.actions import print_action
    job = print_action(self.context, "receiving_labels", feedback=self.feedback,
                       order=self.receipt.number)               # OperationFailed if impossible

The job is recorded at once (a short write through the bridge); a worker thread of the
workstation's PrintQueue renders and sends it with transactions of its own. When the printer
is away the job stays "failed" with its reason, ``feedback`` (if given) turns red with a
translated sentence, and the Print jobs screen can retry it.
"""

from __future__ import annotations

import functools
import logging
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer, Signal

from app.services import printing
from app.services.printing import JobView
from app.ui.bridge import Bridge, OperationFailed
from app.ui.printing import texts

log = logging.getLogger(__name__)


@functools.cache
def load_printing_libraries() -> None:
    """Import what rendering and Qt printing need here, in the GUI thread, once (~0.7 s).
    A worker importing a C extension (reportlab's Pillow) while the GUI thread imported
    another (QtMultimedia, for the first beep) deadlocked in tests."""
    import barcode  # noqa: F401
    import PIL.Image  # noqa: F401
    from PySide6 import QtPrintSupport  # noqa: F401
    from reportlab import platypus  # noqa: F401
    from reportlab.pdfgen import canvas  # noqa: F401

    from app.printing import documents, labels, zpl  # noqa: F401
    from app.printing.fonts import pdf_fonts
    from app.ui.printing import qt_pdf  # noqa: F401

    pdf_fonts()


class PrintQueue(QObject):
    """One per bridge (``print_queue(bridge)``): runs jobs on a worker thread of its own and
    says when each one is done. ``job_done(JobView)`` arrives in the GUI thread.

    The worker never touches a Qt object: the GUI thread looks at the running jobs' futures
    on a short timer while any job runs. (A QRunnable freed by the GUI thread as soon as its
    result arrived could still be inside its own run() on the pool thread.)"""

    job_done = Signal(object)
    job_queued = Signal(object)
    POLL_MS = 40

    def __init__(self, bridge: Bridge) -> None:
        super().__init__(bridge)
        load_printing_libraries()
        self.bridge = bridge
        # One printer conversation at a time, in order. The thread ends with this object.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stockfloor-print")
        self.running: dict[int, Future] = {}
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self._deliver)

    def submit(self, what: str, selection: dict[str, Any] | None = None, *, size: str | None = None,
               copies: int = 1, printer: printing.Profile | None = None) -> JobView:
        """Record a job for this workstation's printer and start it. OperationFailed when it
        cannot be recorded (unknown code, nothing selected, nobody logged in...)."""
        job = self.bridge.run(printing.queue_print, what, selection or {},
                              actor=self.bridge.require_actor(), size=size, copies=copies,
                              printer=printer, idempotency_key=uuid.uuid4().hex)
        self.job_queued.emit(job)
        self.start(job)
        return job

    def retry(self, job_id: int) -> JobView:
        job = self.bridge.run(printing.retry_job, job_id, actor=self.bridge.require_actor())
        self.start(job)
        return job

    def reprint(self, job_id: int) -> JobView:
        job = self.bridge.run(printing.reprint_job, job_id, actor=self.bridge.require_actor())
        self.job_queued.emit(job)
        self.start(job)
        return job

    def start(self, job: JobView) -> None:
        if job.id in self.running:
            return
        self.running[job.id] = self._executor.submit(_run_job, self.bridge, job.id)
        self._poll.start()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every started job is done (tests, and closing the window); what they
        did is announced (job_done) at the next turn of the event loop."""
        _done, pending = wait_for(list(self.running.values()), timeout=msecs / 1000)
        return not pending

    def _deliver(self) -> None:
        """GUI thread: announce the jobs that have finished, in the order they were started."""
        for job_id, future in list(self.running.items()):
            if not future.done():
                break
            del self.running[job_id]
            job = future.result()
            if job is not None:
                self.job_done.emit(job)
        if not self.running:
            self._poll.stop()


def _run_job(bridge: Bridge, job_id: int) -> JobView | None:
    """On the print worker: render and send with transactions of its own. None when the job's
    outcome cannot be read back (the database went away mid-job: the job stays queued)."""
    from app.ui.printing.qt_pdf import print_pdf

    try:
        return printing.run_job(bridge, job_id, system_printer=print_pdf)
    except OperationFailed as failure:
        log.warning("print job %s: %s", job_id, failure.english())
        try:
            return bridge.query(printing.get_job, job_id)
        except OperationFailed:
            return None
    except Exception:  # a bug: logged; the job is no longer running here
        log.exception("print job %s", job_id)
        return None


def print_queue(bridge: Bridge) -> PrintQueue:
    """The bridge's print queue, made on first use (a child of the bridge, not a global)."""
    queue = bridge.findChild(PrintQueue)
    return queue if queue is not None else PrintQueue(bridge)


def print_action(context, what: str, *, feedback=None, parent=None, preview: bool = False,  # noqa: ANN001
                 size: str | None = None, copies: int = 1, **selection: Any) -> JobView | None:
    """Print ``what`` (see app/services/printing/__init__.py) on this workstation's printer.

    ``feedback`` (a screen's Feedback): green "printing" now, red if the printer fails later.
    ``preview``: show the pages first; None when the operator closes the preview.
    Raises OperationFailed when the job cannot be recorded."""
    bridge = context.bridge
    queue = print_queue(bridge)
    selection.setdefault("language", document_language(context))  # documents speak the workstation's
    if preview:
        from app.ui.printing.preview import PrintPreviewDialog

        pdf = bridge.query_long(parent, texts.tr(DRAWING).format(title=texts.what_name(what)), printing.preview_pdf,
                                what, selection, workstation=bridge.workstation, size=size, copies=copies)
        if not PrintPreviewDialog.ask(parent, pdf, texts.what_name(what)):
            return None
    job = queue.submit(what, selection, size=size, copies=copies)
    if feedback is not None:
        feedback.ok(texts.tr(QUEUED).format(title=texts.job_title(job), printer=job.printer))
        _report_failure_on(queue, job.id, feedback)
    return job


def document_language(context) -> str:  # noqa: ANN001 - AppContext
    """The workstation's language (its setting, else the system's), for printed documents."""
    from app.ui.i18n import effective_language

    return effective_language(context.settings.load().language)


QUEUED = QT_TRANSLATE_NOOP("printing", "Printing {title} on {printer}")
DRAWING = QT_TRANSLATE_NOOP("printing", "Drawing the pages of {title}…")
FAILED = QT_TRANSLATE_NOOP("printing", "Not printed: {reason} Retry it from Print jobs.")


def _report_failure_on(queue: PrintQueue, job_id: int, feedback) -> None:  # noqa: ANN001
    def done(job: JobView) -> None:
        if job.id != job_id:
            return
        queue.job_done.disconnect(done)
        if job.failed:
            try:
                feedback.error(texts.tr(FAILED).format(reason=texts.failure_text(job)))
            except RuntimeError:  # the screen was closed meanwhile: the jobs screen shows it
                pass

    queue.job_done.connect(done)
