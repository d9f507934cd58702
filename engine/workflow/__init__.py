"""Workflow: the pure core (parsing, validation, sandbox, runtime, diff) and the DB-backed host.

Core modules need no database. The host (`host`, `projection`, `assignment`, `versions`, `clock`,
`delegation`) runs published versions against the database, one transaction per step; the outbox
it writes is delivered by `engine.notifications.outbox`.
"""
