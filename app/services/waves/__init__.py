"""Waves: releasing orders as routed pick tasks (release), the floor layout for routing (layout), picking (picking)."""
