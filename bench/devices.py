"""ATTLOG ingestion throughput over real HTTP, as ZKTeco terminals push it (batches of 100 lines).

Baseline, measured in the same run: an in-process WSGI server that only decodes and parses the
body (no database). The ratio target/baseline shows what the real app costs on top of HTTP+parsing.

    .venv/bin/python bench/devices.py                         # baseline only (self-check)
    .venv/bin/python bench/devices.py --url http://127.0.0.1:8000 --sn BENCH01 --lines 20000
"""
from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.serving import make_server  # noqa: E402
from werkzeug.wrappers import Request, Response  # noqa: E402

from devices.attlog import parse_attlog  # noqa: E402
from devices.replies import HandshakeSettings, handshake_reply  # noqa: E402
from devices.simulator import SimulatedDevice  # noqa: E402
from devices.wire import decode_body  # noqa: E402


def parsing_only_app(environ, start_response):
    """The floor: answer like an iclock server after decoding and parsing, storing nothing."""
    request = Request(environ)
    if request.args.get("options") == "all":
        reply = handshake_reply(sn=request.args.get("SN", ""), settings=HandshakeSettings())
    else:
        if request.args.get("table") == "ATTLOG":
            parse_attlog(decode_body(request.get_data()))
        reply = "OK"
    return Response(reply, content_type="text/plain")(environ, start_response)


def push_lines(*, url: str, sn: str, lines: int, batch: int, pins: int, start: datetime,
               handshake: bool) -> float:
    """Push `lines` punches from one device in batches; return elapsed seconds of the uploads."""
    device = SimulatedDevice(base_url=url, sn=sn, upload_tries=3)
    if handshake:
        device.handshake()
    elapsed = 0.0
    for first in range(0, lines, batch):
        for index in range(first, min(first + batch, lines)):
            # Distinct (pin, second) pairs so idempotent servers store every line.
            device.punch(pin=str(1000 + index % pins), state=(index // pins) % 2,
                         at=start + timedelta(seconds=index // pins))
        began = time.perf_counter()
        device.upload_punches()
        elapsed += time.perf_counter() - began
    return elapsed


def measure(*, url: str, sns: list[str], lines: int, batch: int, pins: int, start: datetime,
            handshake: bool) -> float:
    """Lines per second over all devices pushing concurrently (wall clock)."""
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(sns)) as pool:
        futures = [pool.submit(push_lines, url=url, sn=sn, lines=lines, batch=batch, pins=pins,
                               start=start, handshake=handshake) for sn in sns]
        for future in futures:
            future.result()
    return lines * len(sns) / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="running OPS-TA server; omit to run the baseline only")
    parser.add_argument("--sn", default="BENCH01", help="serial number (suffixed -1, -2… with --devices > 1)")
    parser.add_argument("--devices", type=int, default=1, help="devices pushing concurrently")
    parser.add_argument("--lines", type=int, default=5000, help="ATTLOG lines per device")
    parser.add_argument("--batch", type=int, default=100, help="lines per POST")
    parser.add_argument("--pins", type=int, default=50, help="distinct PINs (1000, 1001, …)")
    parser.add_argument("--start", default=None,
                        help="device-local time of the first punch, 'YYYY-MM-DD HH:MM:SS' (default: now - 30 days)")
    parser.add_argument("--no-handshake", action="store_true", help="skip the handshake before pushing")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per POST drowns the result

    start = (datetime.strptime(args.start, "%Y-%m-%d %H:%M:%S") if args.start
             else datetime.now().replace(microsecond=0) - timedelta(days=30))
    sns = [args.sn] if args.devices == 1 else [f"{args.sn}-{i}" for i in range(1, args.devices + 1)]
    common = dict(sns=sns, lines=args.lines, batch=args.batch, pins=args.pins, start=start,
                  handshake=not args.no_handshake)

    server = make_server("127.0.0.1", 0, parsing_only_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        baseline = measure(url=f"http://127.0.0.1:{server.server_port}", **common)
    finally:
        server.shutdown()
    print(f"baseline (HTTP + decode + parse, no DB): {baseline:,.0f} lines/s "
          f"({len(sns)} device(s) × {args.lines} lines, batches of {args.batch})")
    if args.url:
        target = measure(url=args.url, **common)
        print(f"target {args.url}: {target:,.0f} lines/s")
        print(f"ratio target/baseline: {target / baseline:.3f}")


if __name__ == "__main__":
    main()
