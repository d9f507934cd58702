"""A report worker that also serves the fixture reports: `dramatiq tests.support.report_worker --queues reports`."""
from tests.support.report_tables import register_fixture_reports

register_fixture_reports()

from engine.reports.worker import broker, build_report_file  # noqa: E402,F401 (the worker's actor and broker)
