"""Compliance (compliance): the drill-down of an admin's organisation subtree, its charts and its
member export, over core's compliance rules."""
