"""Test helpers that are no tests: fault injection between the app and its database."""
