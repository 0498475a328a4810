"""Customer orders (documents) and allocating stock to them (allocation)."""
