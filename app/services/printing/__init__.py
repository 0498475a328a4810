"""Printing as a service for the whole app: printer profiles per workstation, print jobs that
never block a scan, and the label and document data every workflow prints.

    job = queue_print(uow, "locations", {"range": ["A-01-01", "A-02-20"], "arrow": "up"},
                      actor=actor)                         # recorded, checked, not sent yet
    job = run_job(Transactions(database), job.id)          # rendered + sent: "sent" / "failed"
    retry_job(uow, job_id, actor=actor); reprint_job(uow, job_id, actor=actor)
    recent_jobs(session, workstation="WS-1"); preview_pdf(session, "badges", workstation="WS-1")

What can be printed (``what``) and its selection keys:
    locations         codes=[...] | range=[first, last]; arrow=up|down|left|right
    products          codes=[SKU or barcode, ...]
    license_plates    codes=[plate code, ...]           SSCC: GS1 logistic label; else code label
    receiving_labels  order=PO number; per=case|unit; last_of_user=<user id> (latest scan only)
    badges            codes=[badge or user name, ...]   none: every active user
    commands          title=..., captions={"CONFIRM": "...", ...}   (no database data)
    parcels           parcels=[parcel id, ...]          (shipping's GS1 parcel label)
    receiving_report  order=PO number                   (document)
    putaway_list      source=location code (optional)   (document)
    packing_slip      order_id=sales order id           (document)

Profiles: profiles.py. Label data: labels.py, documents:
documents.py; jobs: jobs.py, rendering and sending them: run.py.
Everything is re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.db.engine import Database
from app.db.uow import UnitOfWork
from app.services.printing.errors import JobAlreadySent, JobTooOld, NothingToPrint, TooManyLabels
from app.services.printing.jobs import (
    PRINTABLES,
    REPRINT_DAYS_RULE,
    JobView,
    get_job,
    job_content,
    queue_print,
    recent_jobs,
    reprint_job,
    retry_job,
)
from app.services.printing.labels import COMMAND_CAPTIONS, SHEET_COMMANDS, natural_key
from app.services.printing.profiles import (
    ZPL_OUTPUTS,
    Profile,
    check_profile,
    default_print_folder,
    default_profile,
    find_profile,
    known_workstations,
    profile_for,
    profiles_of,
    remove_profile,
    save_profile,
)
from app.services.printing.run import (
    JobPlan,
    SystemPrinter,
    deliver,
    job_plan,
    job_preview_pdf,
    preview_pdf,
    render,
    run_job,
)

__all__ = [
    "COMMAND_CAPTIONS", "JobAlreadySent", "JobPlan", "JobTooOld", "JobView", "NothingToPrint",
    "PRINTABLES", "Profile", "REPRINT_DAYS_RULE", "SHEET_COMMANDS", "SystemPrinter",
    "TooManyLabels", "Transactions", "ZPL_OUTPUTS", "check_profile", "default_print_folder",
    "default_profile", "deliver", "find_profile", "get_job", "job_content", "job_plan",
    "job_preview_pdf", "known_workstations", "natural_key", "preview_pdf", "profile_for",
    "profiles_of", "queue_print", "recent_jobs", "remove_profile", "render", "reprint_job",
    "retry_job", "run_job", "save_profile",
]


class Transactions:
    """run_job's two kinds of transaction on a database, for the CLI and tests (the UI
    passes its bridge, which has the same two methods)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def query(self, read: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with UnitOfWork(self.database, write=False) as uow:
            return read(uow.session, *args, **kwargs)

    def run(self, use_case: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with UnitOfWork(self.database) as uow:
            return use_case(uow, *args, **kwargs)
