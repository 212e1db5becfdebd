"""Slow clients: open many connections that send a request one byte at a time, and report how long
the server keeps each one open.

Usage: slow_clients.py [--connections N] [--seconds S] [--interval I] NAME=HOST:PORT:MODE ...

MODE is `header` (the request line and headers, never finished) or `body` (complete headers of a
PUT with Content-Length, then the body one byte every interval). For `body`, the environment
variable OUTLET_TOKEN, if set, is sent as the Bearer token, so the request passes the login check
and the server waits for the body.

Prints one line of key=value results per target. A connection counts as cut when the server
answers, closes or resets it; one still open after S seconds counts as open.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid


def request_bytes(mode: str, host: str) -> tuple[bytes, bytes]:
    """Returns the bytes sent at once and the bytes then sent one at a time."""
    if mode == "header":
        head = f"GET /api/v1/health HTTP/1.1\r\nHost: {host}\r\n".encode()
        trickle = b"X-Slow: " + b"a" * 10_000
        return head, trickle
    token = os.environ.get("OUTLET_TOKEN", "")
    authorization = f"Authorization: Bearer {token}\r\n" if token else ""
    body_length = 100_000
    head = (
        f"PUT /api/v1/inspections/{uuid.uuid4()} HTTP/1.1\r\nHost: {host}\r\n{authorization}"
        f"Content-Type: application/json\r\nContent-Length: {body_length}\r\n\r\n"
    ).encode()
    return head, b" " * body_length


async def slow_connection(host: str, port: int, mode: str, interval: float, deadline: float) -> float | None:
    """Trickles one request; returns the seconds until the peer cut the connection, or None."""
    started = time.monotonic()
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        return 0.0
    head, trickle = request_bytes(mode, host)
    try:
        writer.write(head)
        await writer.drain()
        for byte in trickle:
            if time.monotonic() >= deadline:
                return None
            writer.write(bytes([byte]))
            await writer.drain()
            try:
                # An answer (such as 408) or a close ends the slow request either way.
                await asyncio.wait_for(reader.read(4096), timeout=interval)
                return time.monotonic() - started
            except asyncio.TimeoutError:
                pass
        return None
    except (ConnectionResetError, BrokenPipeError, OSError):
        return time.monotonic() - started
    finally:
        writer.close()


async def probe(name: str, host: str, port: int, mode: str, connections: int, seconds: float, interval: float) -> str:
    deadline = time.monotonic() + seconds
    results = await asyncio.gather(*(slow_connection(host, port, mode, interval, deadline) for _ in range(connections)))
    cut = [r for r in results if r is not None]
    median = f"{statistics.median(cut):.1f}" if cut else "-"
    return f"target={name} mode={mode} connections={connections} cut={len(cut)} open_at_end={connections - len(cut)} median_cut_s={median} probe_s={seconds:.0f}"


async def main_async(arguments: argparse.Namespace) -> None:
    probes = []
    for target in arguments.targets:
        name, _, address = target.partition("=")
        host, port, mode = address.split(":")
        if mode not in ("header", "body"):
            raise SystemExit(f"slow_clients.py: mode {mode!r} in {target!r} is not header or body")
        probes.append(probe(name, host, int(port), mode, arguments.connections, arguments.seconds, arguments.interval))
    for line in await asyncio.gather(*probes):
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=200, help="slow connections per target")
    parser.add_argument("--seconds", type=float, default=75, help="how long to keep trickling, in seconds")
    parser.add_argument("--interval", type=float, default=2, help="seconds between two bytes")
    parser.add_argument("targets", nargs="+", metavar="NAME=HOST:PORT:MODE")
    asyncio.run(main_async(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
