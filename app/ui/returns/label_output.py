"""Where this workstation's routing labels go.

Until the printer profiles of app/services (printing) are wired in, a routing label is
written as a 4 x 6 in PDF into <cache>/routing-labels/<unit code>.pdf, where a print queue
or a person can take it; the screen says where. Tests replace ``deliver``.
"""

from __future__ import annotations

from app.printing.transports import PrinterUnavailable, write_file
from app.services.return_labels import RoutingLabel, routing_label_pdf
from app.settings import cache_dir

__all__ = ["PrinterUnavailable", "RoutingLabelOutput"]


class RoutingLabelOutput:
    @classmethod
    def deliver(cls, label: RoutingLabel) -> str:
        """Send one routing label; returns where it went. Raises PrinterUnavailable."""
        path = cache_dir() / "routing-labels" / f"{label.unit_code}.pdf"
        return str(write_file(routing_label_pdf(label), path))
