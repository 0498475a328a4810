"""Words of printing the operator reads: what was printed, where, how it went, and why not.

Services hand over codes (``what`` = "locations", output = "zpl_tcp", a failed job's
``reason_kind`` = "refused"); these tables turn them into translated text (context "printing").
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "printing"

# app.services.printing.errors: listed for lupdate (error_texts translates them).
ERROR_TEMPLATES = (
    QT_TRANSLATE_NOOP("errors", "Nothing to print: {what}."),
    QT_TRANSLATE_NOOP("errors", "{count} labels in one job is too many; the most is {most}. Print a smaller selection."),
    QT_TRANSLATE_NOOP("errors", "Print job {job} is from {date}: only jobs of the last {days} days can be printed again."),
    QT_TRANSLATE_NOOP("errors", "Print job {job} was sent to the printer already: reprint it instead."),
)

WHAT = {
    "locations": QT_TRANSLATE_NOOP("printing", "Location labels"),
    "products": QT_TRANSLATE_NOOP("printing", "Product labels"),
    "license_plates": QT_TRANSLATE_NOOP("printing", "License plate labels"),
    "receiving_labels": QT_TRANSLATE_NOOP("printing", "Receiving labels"),
    "badges": QT_TRANSLATE_NOOP("printing", "Badges"),
    "commands": QT_TRANSLATE_NOOP("printing", "Command sheet"),
    "parcels": QT_TRANSLATE_NOOP("printing", "Parcel labels"),
    "routing_labels": QT_TRANSLATE_NOOP("printing", "Routing label"),
    "receiving_report": QT_TRANSLATE_NOOP("printing", "Receiving report"),
    "putaway_list": QT_TRANSLATE_NOOP("printing", "Put-away list"),
    "packing_slip": QT_TRANSLATE_NOOP("printing", "Packing slip"),
}

OUTPUTS = {
    "pdf_file": QT_TRANSLATE_NOOP("printing", "PDF files in a folder"),
    "system": QT_TRANSLATE_NOOP("printing", "System printer"),
    "zpl_tcp": QT_TRANSLATE_NOOP("printing", "Label printer on the network (ZPL, port 9100)"),
    "zpl_cups": QT_TRANSLATE_NOOP("printing", "Label printer through a raw CUPS queue (ZPL)"),
    "pdf_cups": QT_TRANSLATE_NOOP("printing", "CUPS queue (PDF)"),
}

STATUSES = {
    "queued": QT_TRANSLATE_NOOP("printing", "Waiting"),
    "sent": QT_TRANSLATE_NOOP("printing", "Printed"),
    "failed": QT_TRANSLATE_NOOP("printing", "Failed"),
}

SIZES = {
    "2x1": QT_TRANSLATE_NOOP("printing", "2 x 1 in label"),
    "4x3": QT_TRANSLATE_NOOP("printing", "4 x 3 in label"),
    "4x6": QT_TRANSLATE_NOOP("printing", "4 x 6 in label"),
    "a4-3x8": QT_TRANSLATE_NOOP("printing", "A4 sheet, 3 x 8 labels"),
    "letter-3x10": QT_TRANSLATE_NOOP("printing", "Letter sheet, 3 x 10 labels"),
    "a4": QT_TRANSLATE_NOOP("printing", "A4 page"),
    "letter": QT_TRANSLATE_NOOP("printing", "Letter page"),
}

# Why a job failed (PrinterUnavailable.kind, or the job's own "render"/"data").
REASONS = {
    "refused": QT_TRANSLATE_NOOP("printing", "Printer {printer} does not answer: it is switched off or not listening."),
    "timeout": QT_TRANSLATE_NOOP("printing", "Printer {printer} did not answer in time."),
    "unknown_host": QT_TRANSLATE_NOOP("printing", "The printer address {printer} is unknown."),
    "network": QT_TRANSLATE_NOOP("printing", "Printer {printer} cannot be reached over the network."),
    "no_queue": QT_TRANSLATE_NOOP("printing", "There is no print queue called {printer}."),
    "cups_down": QT_TRANSLATE_NOOP("printing", "The print service (CUPS) of this workstation is not running."),
    "not_accepting": QT_TRANSLATE_NOOP("printing", "Print queue {printer} is not accepting jobs."),
    "forbidden": QT_TRANSLATE_NOOP("printing", "This workstation may not print to {printer}."),
    "lp_missing": QT_TRANSLATE_NOOP("printing", "The print command (lp) is not installed on this workstation."),
    "write_failed": QT_TRANSLATE_NOOP("printing", "The file {printer} cannot be written."),
    "system": QT_TRANSLATE_NOOP("printing", "System printer {printer} cannot print."),
    "render": QT_TRANSLATE_NOOP("printing", "The labels cannot be drawn at this size: {reason}"),
    "data": QT_TRANSLATE_NOOP("printing", "What this job printed is no longer there: {reason}"),
    "other": QT_TRANSLATE_NOOP("printing", "Printing failed: {reason}"),
}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def what_name(what: str) -> str:
    return tr(WHAT[what]) if what in WHAT else what


def output_name(output: str) -> str:
    return tr(OUTPUTS[output]) if output in OUTPUTS else output


def status_name(status: str) -> str:
    return tr(STATUSES[status]) if status in STATUSES else status


def size_name(size: str) -> str:
    return tr(SIZES[size]) if size in SIZES else size


def failure_text(job) -> str:  # noqa: ANN001 - app.services.printing.JobView
    """Why ``job`` failed, translated; the English reason where no sentence fits."""
    template = REASONS.get(job.reason_kind or "other", REASONS["other"])
    return tr(template).format(printer=job.printer, reason=job.reason or "")


def job_title(job) -> str:  # noqa: ANN001
    return f"{what_name(job.what)} {job.title}".strip()


# Captions on the command sheet, printed in the operator's language.
COMMAND_CAPTIONS = {
    "CONFIRM": QT_TRANSLATE_NOOP("printing", "Confirm"),
    "CANCEL": QT_TRANSLATE_NOOP("printing", "Cancel"),
    "UNDO": QT_TRANSLATE_NOOP("printing", "Undo"),
    "PRINT": QT_TRANSLATE_NOOP("printing", "Print"),
    "EMPTY": QT_TRANSLATE_NOOP("printing", "Empty"),
    "DAMAGED": QT_TRANSLATE_NOOP("printing", "Damaged"),
    "CLOSE": QT_TRANSLATE_NOOP("printing", "Close"),
    "LOGOUT": QT_TRANSLATE_NOOP("printing", "Log out"),
    "QTY": QT_TRANSLATE_NOOP("printing", "Quantity"),
    "GRADE-A": QT_TRANSLATE_NOOP("printing", "Grade A"),
    "GRADE-B": QT_TRANSLATE_NOOP("printing", "Grade B"),
    "GRADE-C": QT_TRANSLATE_NOOP("printing", "Grade C"),
    "GRADE-D": QT_TRANSLATE_NOOP("printing", "Grade D"),
}
COMMAND_SHEET_TITLE = QT_TRANSLATE_NOOP("printing", "Commands - {workstation}")


def command_sheet_selection(workstation: str) -> dict:
    """The "commands" print selection with captions and title in the current language."""
    return {"title": tr(COMMAND_SHEET_TITLE).format(workstation=workstation),
            "captions": {name: tr(caption) for name, caption in COMMAND_CAPTIONS.items()}}
