"""Cycle counts with supervisor review.

planning  supervisors plan counts (range, zone, product, ABC schedule), other workflows
          request one (request_count), count sheets
floor     counters: my_counts, start_location (snapshot), count_scan, confirm_empty,
          finish_location; blind: no result here carries the quantity on record
review    supervisors: lines with every count, variance and moves since the snapshot;
          approve (ledger adjustment against inventory loss) or reject, with a reason code
schedule  ABC classes from the ledger, per-class policy (counts per year, tolerances)
reports   inventory record accuracy over time, CSV export
"""

from app.services.counting.common import CountSummary
from app.services.counting.floor import (
    CountScanResult,
    FinishResult,
    MyCount,
    StartResult,
    confirm_empty,
    count_scan,
    finish_location,
    my_counts,
    start_location,
    undo_last_count_scan,
)
from app.services.counting.planning import (
    CountSheet,
    RequestedCount,
    SheetRow,
    assign_count,
    cancel_count,
    count_sheet,
    open_counts,
    plan_abc_counts,
    plan_location_range,
    plan_product,
    plan_zone,
    request_count,
)
from app.services.counting.reports import (
    CSV_COLUMNS,
    AccuracyRow,
    inventory_accuracy,
    write_count_results_csv,
)
from app.services.counting.review import (
    CountReview,
    CountRound,
    DecisionResult,
    LocationMove,
    ReviewLine,
    approve_lines,
    count_review,
    reject_lines,
    review_queue,
    waiting_reviews,
)
from app.services.counting.schedule import (
    DueItem,
    class_policies,
    classify_products,
    due_for_counting,
    set_class_policy,
)

__all__ = [
    "CSV_COLUMNS", "AccuracyRow", "CountReview", "CountRound", "CountScanResult", "CountSheet",
    "CountSummary", "DecisionResult", "DueItem", "FinishResult", "LocationMove", "MyCount",
    "RequestedCount", "ReviewLine", "SheetRow", "StartResult", "approve_lines", "assign_count",
    "cancel_count", "class_policies", "classify_products", "confirm_empty", "count_review",
    "count_scan", "count_sheet", "due_for_counting", "finish_location", "inventory_accuracy",
    "my_counts", "open_counts", "plan_abc_counts", "plan_location_range", "plan_product",
    "plan_zone", "reject_lines", "request_count", "review_queue", "set_class_policy",
    "start_location", "undo_last_count_scan", "waiting_reviews", "write_count_results_csv",
]
