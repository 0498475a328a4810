"""The supervisors' scan journal screen."""


def register_screens(registry) -> None:  # noqa: ANN001 - app.ui.registry.ScreenRegistry
    from app.ui.registry import ScreenEntry

    def build(context):  # noqa: ANN001, ANN202
        from app.ui.journal.screen import JournalScreen

        return JournalScreen(context)

    registry.register(ScreenEntry("journal", "supervisor", build))
