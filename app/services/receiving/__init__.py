"""Receiving purchase orders and ASNs by scanning (receipts)."""
