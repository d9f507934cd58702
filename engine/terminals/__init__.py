"""Face terminals in the app: the device registry, the iclock conversation, punches, commands and enrollment.

- `registry`: register and change devices; who may talk to `/iclock/*`; unauthorized attempts.
- `terminal`: one iclock request as the device sees it (handshake, uploads, polls, results).
- `ingest`: ATTLOG lines → ledger punches (idempotent); everything else → unmatched records.
- `queue`: the per-device command queue (hand out `C:<id>:` batches, apply devicecmd results).
- `enrollment`: putting employees and their profile photos on devices, and taking them off.
- `silence`: the scheduled check for devices that stopped talking.
- `review`: what admins read back (device views, unmatched records).

The wire format itself (parsing, replies, command text) lives in the top-level `devices` package.
"""
