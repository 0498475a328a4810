"""Put-away screen: what waits on the dock, where it should go, confirmed by scanning the bin."""

from __future__ import annotations


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def build(context):  # noqa: ANN001, ANN202 - AppContext -> PutawayScreen
        from app.ui.putaway.screen import PutawayScreen  # loads biip: only when opened

        return PutawayScreen(context)

    registry.register(ScreenEntry("putaway", "operator", build))
