"""Face terminals in the app: the device registry, the iclock conversation, punches, commands and enrollment.

- `registry`: register and change devices (admin for sites and wider networks); who may talk to `/iclock/*`.
- `networks`: where a call comes from (trusted proxies) and whether that is one of the allowed networks.
- `attempts`: refused calls counted in fixed buckets, and one admin notification per flood.
- `terminal`: one iclock request as the device sees it (handshake, uploads, polls, results).
- `ingest`: ATTLOG lines → ledger punches (idempotent); everything else → unmatched records.
- `queue`: the per-device command queue (hand out `C:<id>:` batches, apply devicecmd results).
- `enrollment`: putting employees and their profile photos on devices of their sites, and taking them off.
- `photo_handouts`: whether a queued photo may still go out, and the record of every hand-out.
- `site_members`: changing who belongs to a site, taking those who left off its terminals.
- `silence`: the scheduled check for devices that stopped talking.
- `review`: what admins read back (device views, unmatched records).

The wire format itself (parsing, replies, command text) lives in the top-level `devices` package.
"""
