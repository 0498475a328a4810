"""Replenishment: pick faces refilled from reserve before they run dry.

faces    min / max / replenishment unit per pick face (supervisors; CSV import pick-faces)
tasks    tasks created when a face falls below min after a pick, or when allocation would
         short while reserve holds stock (the order then waits for the task, not backordered)
floor    the Replenish workflow: reserve bin, item, quantity, face bin; through the ledger
"""
