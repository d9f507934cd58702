"""Entry module of the push workers: `dramatiq engine.push.worker --queues push --threads 8`.

Importing it reads the settings from the environment (and `.env`), sets the Redis broker as
Dramatiq's global broker and declares `send_push`. A push is a network wait, so threads are cheap.
"""
from __future__ import annotations

import dramatiq
from dotenv import load_dotenv

from engine.config import Settings
from engine.db import make_engine, make_session_factory
from engine.push.queue import push_queue

load_dotenv(override=False)
settings = Settings.from_env()
queue = push_queue(settings=settings, session_factory=make_session_factory(make_engine(settings.database_url)))
dramatiq.set_broker(queue.broker)
broker = queue.broker
send_push = queue.actor
