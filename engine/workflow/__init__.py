"""The pure workflow core: BPMN/DMN parsing and hashing, validation, sandbox, runtime, diffs.

No database and no HTTP here; the engine host builds instances, inboxes and timers on top.
"""
