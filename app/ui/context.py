"""What every screen gets: the bridge, the workstation settings, the sounds, and a navigator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from app.settings import Settings
from app.ui.bridge import Bridge
from app.ui.feedback import Sounds
from app.ui.scanfield import ScannerOptions

if TYPE_CHECKING:
    from app.ui.i18n import Translations


class Navigator(Protocol):
    """Implemented by the shell's main window."""

    def go_home(self) -> None: ...

    def open_screen(self, name: str) -> None: ...

    def log_out(self) -> None: ...


@dataclass
class AppContext:
    bridge: Bridge
    settings: Settings
    sounds: Sounds
    translations: Translations | None = None
    navigator: Navigator | None = None  # None when a screen is tested on its own

    def scanner_options(self) -> ScannerOptions:
        return ScannerOptions.from_settings(self.settings.load())
