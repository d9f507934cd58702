"""The org directory: employee import, reporting lines, units and access checks."""
