"""Pure rules: no Qt, no SQLAlchemy, nothing from the outer layers."""
