"""Pick screen: walk a released wave bin by bin by scanner, into the cart's totes."""

from __future__ import annotations


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def build(context):  # noqa: ANN001, ANN202 - AppContext -> PickScreen
        from app.ui.picking.screen import PickScreen  # loads biip: only when opened

        return PickScreen(context)

    registry.register(ScreenEntry("pick", "operator", build))
