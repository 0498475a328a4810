"""The supervisors' stock view."""

from __future__ import annotations


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def build(context):  # noqa: ANN001, ANN202
        from app.ui.stock.screen import StockScreen

        return StockScreen(context)

    registry.register(ScreenEntry("stock", "supervisor", build))
