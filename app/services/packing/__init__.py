"""Packing orders into parcels (parcels) and dispatching them (shipping)."""
