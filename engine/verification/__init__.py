"""Face verification in the app: profile photos, selfie punches, the `face` job queue and its outbox.

The face models themselves are in the top-level `face` package; this package stores what they
decide and moves the work between the web process and the workers.
"""
