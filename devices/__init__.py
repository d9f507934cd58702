"""ZKTeco ADMS ("iclock") push protocol: pure parsing and reply building, plus a device simulator.

- `wire`: body decoding (per-device codec, gb18030 fallback), lines, TAB fields, `Key=Value` maps.
- `attlog`: `table=ATTLOG` punches → `AttlogRecord` / `LineReject`, and `read_punches`: a body → canonical
  `DevicePunch`es for one device configuration.
- `punch_meaning`: wall clock → UTC, state → direction, verify code → method (English + Thai).
- `operlog`: `table=OPERLOG` / `table=BIODATA` lines (OPLOG, USER, BIOPHOTO, FP, FACE, BIODATA).
- `device_info`: `table=options` capabilities and the getrequest `INFO=` field.
- `replies`: handshake option block, `Date` header, `type=time` reply.
- `commands`: server → device command text; `command_queue`: packing `C:<id>:` replies;
  `command_results`: `/iclock/devicecmd` results and return codes.
- `simulator`: a terminal over real HTTP (`opsta device simulate` in `cli/device.py` drives it).
"""
