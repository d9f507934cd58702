"""Face checks in the app: profile photos, selfie punches, the `face` job queue, its outbox and its worker.

- `profile_photos`: check and store a profile photo, read it back, who may see it.
- `selfies`: shrink and store a punch's selfie with its `pending` verdict and outbox job.
- `jobs`: one attempt at checking a selfie (the body of the worker's actor).
- `queue`: the `face` queue, sending jobs after commit, the embedded worker.
- `worker`: the entry module of the Dramatiq face workers (`dramatiq engine.face_checks.worker`).
- `scheduled`: the outbox sweep and the selfie purge.
- `queries`: failed checks for hr, a punch's selfie.
- `config`, `face_thread`: settings for the face library, and the one thread that runs face models.

The face models themselves are in the top-level `face` package; this package stores what they
decide and moves the work between the web process and the workers.
"""
