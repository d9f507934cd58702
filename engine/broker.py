"""The Dramatiq broker named by `OPSTA_BROKER_URL`: Redis in production, in-process for `make run`."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import dramatiq

from engine.config import Settings

# Fail fast when Redis is down: the punch is already committed and the sweeper re-sends its job.
REDIS_CONNECT_TIMEOUT_S = 2
REDIS_SOCKET_TIMEOUT_S = 10


def make_broker(settings: Settings) -> dramatiq.Broker:
    """A new broker for `settings.broker_url`: `redis://…` → RedisBroker, `memory://` → StubBroker.

    The in-process broker only works with a worker in the same process
    (see `engine.face_checks.queue.FaceQueue`); its messages do not survive a restart, which the
    outbox sweeper makes up for.
    """
    if settings.embedded_broker:
        from dramatiq.brokers.stub import StubBroker

        return StubBroker()
    if settings.broker_url.startswith(("redis://", "rediss://", "unix://")):
        import redis
        from dramatiq.brokers.redis import RedisBroker

        client = redis.Redis.from_url(settings.broker_url, socket_connect_timeout=REDIS_CONNECT_TIMEOUT_S,
                                      socket_timeout=REDIS_SOCKET_TIMEOUT_S)
        return RedisBroker(client=client, namespace=settings.broker_namespace)
    raise ValueError(f"OPSTA_BROKER_URL must be memory:// or redis://…, not {settings.broker_url!r}")


@dataclass
class JobQueue:
    """What a process uses to send one actor's jobs; in embedded mode (memory://) it also runs the worker.

    The in-process worker starts at the first send, with `worker_threads` threads on the actor's queue.
    """

    broker: dramatiq.Broker
    actor: dramatiq.Actor
    embedded: bool
    worker_threads: int = 1
    _worker: dramatiq.Worker | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def queue_name(self) -> str:
        return self.actor.queue_name

    def send(self, *args) -> None:
        """Hand one job to the broker; raises if the broker is unreachable."""
        if self.embedded:
            self._start_embedded_worker()
        self.actor.send(*args)

    def _start_embedded_worker(self) -> None:
        with self._lock:
            if self._worker is None:
                self._worker = dramatiq.Worker(self.broker, queues={self.queue_name},
                                               worker_threads=self.worker_threads)
                self._worker.start()

    def join(self) -> None:
        """Wait until the in-process worker has run every job sent (embedded mode only)."""
        self.broker.join(self.queue_name)

    def stop(self) -> None:
        """Stop the embedded worker, if one runs."""
        with self._lock:
            if self._worker is not None:
                self._worker.stop()
                self._worker = None
