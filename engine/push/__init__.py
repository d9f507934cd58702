"""Web Push (VAPID, RFC 8030/8291/8292): browsers' subscriptions, the push outbox, its Dramatiq `push`
queue and sweeper, and the small encrypted payload each notification becomes."""
