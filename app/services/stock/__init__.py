"""Stock on hand: queries for screens and the CSV export."""
