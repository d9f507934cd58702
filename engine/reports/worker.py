"""Entry module of the report workers: `dramatiq engine.reports.worker --queues reports --threads 1`.

Importing it reads the settings from the environment (and `.env`), sets the Redis broker as Dramatiq's
global broker and declares `build_report_file`. Workers need the same `OPSTA_DATA_DIR` as the app (a shared
volume): the files they store there are handed out by the app.
"""
from __future__ import annotations

import dramatiq
from dotenv import load_dotenv

from engine.config import Settings
from engine.db import make_engine, make_session_factory
from engine.reports.queue import report_queue

load_dotenv(override=False)
settings = Settings.from_env()
queue = report_queue(settings=settings, session_factory=make_session_factory(make_engine(settings.database_url)))
dramatiq.set_broker(queue.broker)
broker = queue.broker
build_report_file = queue.actor
