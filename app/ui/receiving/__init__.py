"""Receiving screen: open a purchase order or ASN and receive it by scanner."""

from __future__ import annotations


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def build(context):  # noqa: ANN001, ANN202 - AppContext -> ReceivingScreen
        from app.ui.receiving.screen import ReceivingScreen  # loads biip: only when opened

        return ReceivingScreen(context)

    registry.register(ScreenEntry("receive", "operator", build))
