"""Imports every model module so that Base.metadata knows every table.

Each workflow keeps its tables in its own module (app/db/models_<workflow>.py) and its own
migration branch; add one import line here for each.
"""

from app.db import (
    models,  # noqa: F401
    models_audit,  # noqa: F401
    models_counting,  # noqa: F401
    models_picking,  # noqa: F401
    models_printing,  # noqa: F401
    models_putaway,  # noqa: F401
    models_replenishment,  # noqa: F401
    models_returns,  # noqa: F401
)
