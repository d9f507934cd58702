"""Requests employees make (overtime, off-site, missed punch): forms, flows, effects, reports."""
