"""Pack screen: verify every picked unit into parcels by scanner, weigh, close, print."""

from __future__ import annotations


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def build(context):  # noqa: ANN001, ANN202 - AppContext -> PackScreen
        from app.ui.packing.screen import PackScreen  # loads biip: only when opened

        return PackScreen(context)

    registry.register(ScreenEntry("pack", "operator", build))
