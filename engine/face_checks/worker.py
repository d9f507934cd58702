"""Entry module of the face workers: `dramatiq engine.face_checks.worker --queues face --threads 1`.

Importing it reads the settings from the environment (and `.env`), links the offline model
weights, sets the Redis broker as Dramatiq's global broker and declares `verify_selfie_job`.
Use `--processes` = CPU cores and always `--threads 1`: face models are bound to one thread.
"""
from __future__ import annotations

import dramatiq
from dotenv import load_dotenv

from engine.config import Settings
from engine.db import make_engine, make_session_factory
from engine.face_checks.config import prepare_face_runtime
from engine.face_checks.queue import face_queue
from engine.push.queue import push_queue, send_after_commit

load_dotenv(override=False)
settings = Settings.from_env()
prepare_face_runtime(settings)
session_factory = make_session_factory(make_engine(settings.database_url))
queue = face_queue(settings=settings, session_factory=session_factory)
# A rejected selfie's notification is pushed as soon as its verdict commits.
send_after_commit(session_factory=session_factory,
                  queue=push_queue(settings=settings, session_factory=session_factory))
dramatiq.set_broker(queue.broker)
broker = queue.broker
verify_selfie_job = queue.actor
