"""Stockfloor: a warehouse floor client."""

__version__ = "0.1.0"
