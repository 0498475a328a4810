"""The shell: main window, log-in and home. It registers no screen of its own."""
