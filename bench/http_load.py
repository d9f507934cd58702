"""A lean HTTP/1.1 load generator: asyncio streams, keep-alive, prebuilt request bytes.

It shares the 2 cores with the server under test, so it is kept as cheap per request as a raw
socket client can be (no requests/urllib3 machinery); `LoadResult.client_cpu_share` reports how
much of one core it used, so a run can show the client was not the limit.
"""
from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

# (connection number, request number on that connection) -> (method, path, headers, body)
RequestMaker = Callable[[int, int], tuple[str, str, dict[str, str], bytes]]


@dataclass
class LoadResult:
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    client_cpu_s: float = 0.0
    # CPU seconds other processes spent in the measured window, by name (see `drive(probes=...)`).
    probe_cpu_s: dict[str, float] = field(default_factory=dict)

    @property
    def completed(self) -> int:
        return len(self.latencies_ms)

    @property
    def per_second(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    @property
    def client_cpu_share(self) -> float:
        """Client CPU time over wall time: 1.0 would be one core fully spent on the client."""
        return self.client_cpu_s / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def encode_request(host: str, method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _read_reply(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length, close = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            close = True
    body = await reader.readexactly(length) if length else b""
    return status, body, close


async def _connection(number: int, url: str, make: RequestMaker, warm_until: float, stop_at: float,
                      result: LoadResult, failures: list[str]) -> None:
    parts = urlsplit(url)
    host = parts.netloc
    reader = writer = None
    sent = 0
    while time.perf_counter() < stop_at:
        if writer is None:
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        method, path, headers, body = make(number, sent)
        sent += 1
        started = time.perf_counter()
        writer.write(encode_request(host, method, path, headers, body))
        status, reply, close = await _read_reply(reader)
        ended = time.perf_counter()
        if warm_until <= started and ended <= stop_at:
            result.latencies_ms.append((ended - started) * 1000)
            result.statuses[status] += 1
            if status >= 400 and len(failures) < 5:
                failures.append(f"{status} {reply[:300]!r}")
        if close:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def _drive(url: str, make: RequestMaker, connections: int, warmup_s: float, seconds: float,
                 probes: dict[str, Callable[[], float]]) -> tuple[LoadResult, list[str]]:
    start = time.perf_counter()
    warm_until, stop_at = start + warmup_s, start + warmup_s + seconds
    result = LoadResult(seconds=seconds)
    failures: list[str] = []
    cpu_before: float | None = None
    probes_before: dict[str, float] = {}

    async def mark_cpu_start():
        nonlocal cpu_before
        await asyncio.sleep(warmup_s)
        cpu_before = time.process_time()
        probes_before.update({name: probe() for name, probe in probes.items()})

    marker = asyncio.create_task(mark_cpu_start())
    await asyncio.gather(*(_connection(n, url, make, warm_until, stop_at, result, failures)
                           for n in range(connections)))
    await marker
    # Replies that land after stop_at are not counted, but their client work is: a slight overestimate.
    result.client_cpu_s = time.process_time() - (cpu_before or 0.0)
    result.probe_cpu_s = {name: probe() - probes_before.get(name, 0.0) for name, probe in probes.items()}
    return result, failures


def drive(url: str, make: RequestMaker, *, connections: int, warmup_s: float, seconds: float,
          probes: dict[str, Callable[[], float]] | None = None) -> tuple[LoadResult, list[str]]:
    """Keep `connections` keep-alive connections busy for warmup + `seconds`; measure only after warm-up.

    `probes` return cumulative CPU seconds of other processes (server, database); their growth over
    the measured window lands in `LoadResult.probe_cpu_s`.
    """
    return asyncio.run(_drive(url, make, connections, warmup_s, seconds, probes or {}))
