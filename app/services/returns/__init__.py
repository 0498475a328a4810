"""Returns: receiving them (receive), inspection, lookups, labels, reports and rules."""
