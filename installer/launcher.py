"""Entry point of the PyInstaller build: the same `stockfloor` command as the wheel's."""

from app.cli import main

raise SystemExit(main())
