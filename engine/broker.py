"""The Dramatiq broker named by `OPSTA_BROKER_URL`: Redis in production, in-process for `make run`."""
from __future__ import annotations

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
