"""Where this workstation's routing labels go: the labels printer of its printer profile.

Each label is one print job (recorded first, sent by the print worker), so a printer that is
off never holds the inspector up: the job waits in Print jobs with its reason, for a retry.
Tests replace ``deliver``.
"""

from __future__ import annotations

from app.printing.transports import PrinterUnavailable
from app.services.returns.labels import RoutingLabel
from app.ui.bridge import OperationFailed

__all__ = ["PrinterUnavailable", "RoutingLabelOutput"]


class RoutingLabelOutput:
    @classmethod
    def deliver(cls, label: RoutingLabel, context) -> str:  # noqa: ANN001 - an AppContext
        """Queue one routing label; returns the printer it goes to. Raises PrinterUnavailable
        when the job cannot even be recorded (a later failure shows in Print jobs)."""
        from app.ui.printing.actions import print_action

        try:
            job = print_action(context, "routing_labels", codes=[label.unit_code])
        except OperationFailed as failure:
            raise PrinterUnavailable("labels", failure.message) from failure
        return job.printer if job is not None else ""
