#!/usr/bin/env python3
"""Half-sent requests (slowloris) against a real `hyoka serve`, with figures.

    Benchmarks/slowloris.py BINARY [--connections 3000] [--idle-timeout 10] [--check]

Starts the binary on a new SQLite database with HYOKA_IDLE_TIMEOUT, opens CONNECTIONS
sockets that each send the start of a request and then nothing, and measures, while they
are held: /healthz latency (p50, max) and whether it answers at all. Then it waits past the
idle timeout and counts how many of the half-sent connections the server has closed.

Prints the figures. With --check it exits 1 unless /healthz answered every time and every
half-sent connection was closed within the idle timeout plus 5 s (`.ci/run` runs it so).
"""
import argparse
import os
import resource
import select
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def healthz(port, timeout=10.0):
    start = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as response:
            response.read()
            ok = response.status == 200
    except Exception:
        ok = False
    return ok, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--connections", type=int, default=3000)
    parser.add_argument("--idle-timeout", type=int, default=10)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, args.connections + 512)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    count = min(args.connections, want - 256)

    work = tempfile.mkdtemp(prefix="hyoka-slowloris-")
    port = free_port()
    env = dict(os.environ, HYOKA_IDLE_TIMEOUT=str(args.idle_timeout))
    env.pop("DATABASE_URL", None)
    log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen([args.binary, "serve", "--database", os.path.join(work, "hyoka.sqlite"), "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        for _ in range(240):
            if healthz(port, timeout=1)[0]:
                break
            if server.poll() is not None:
                sys.exit(f"the server ended: see {log.name}")
            time.sleep(0.25)
        baseline = [healthz(port)[1] for _ in range(20)]

        sockets = []
        opened_at = time.monotonic()
        for i in range(count):
            s = socket.socket()
            s.setblocking(True)
            try:
                s.connect(("127.0.0.1", port))
                s.sendall(b"GET /programs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-%d: " % i)
            except OSError as error:
                print(f"opening connection {i} failed: {error}")
                s.close()
                break
            sockets.append(s)
        opened = time.monotonic() - opened_at

        held = [healthz(port) for _ in range(20)]
        held_ok = all(ok for ok, _ in held)
        held_times = [t for _, t in held]

        # Wait past the idle timeout, then see which connections the server closed: a
        # closed socket is readable and reads b"" (or fails).
        # Counted from the last one opened: the first were opened seconds before it.
        last_opened = opened_at + opened
        time.sleep(max(0.0, args.idle_timeout + 5 - (time.monotonic() - last_opened)))
        # poll, not select: descriptors past 1024 are out of select's range.
        closed = 0
        poller = select.poll()
        for s in sockets:
            poller.register(s, select.POLLIN | select.POLLHUP | select.POLLERR)
        ready = {fd for fd, _ in poller.poll(0)}
        for s in sockets:
            if s.fileno() in ready:
                try:
                    s.recv(1024)  # b"" when closed; an answer (a 4xx) comes before the close
                except OSError:
                    pass
                closed += 1
        after = [healthz(port) for _ in range(10)]
        for s in sockets:
            s.close()

        ms = lambda values: f"{statistics.median(values) * 1000:.1f} ms p50, {max(values) * 1000:.1f} ms max"
        print(f"half-sent connections opened: {len(sockets)} in {opened:.1f} s (file descriptor limit {want})")
        print(f"/healthz before:              {ms(baseline)}")
        print(f"/healthz while they are held: {ms(held_times)}, answered {sum(ok for ok, _ in held)}/{len(held)}")
        print(f"closed by the server within the idle timeout ({args.idle_timeout} s) + 5 s: {closed}/{len(sockets)}")
        print(f"/healthz after:               answered {sum(ok for ok, _ in after)}/{len(after)}")
        if args.check:
            failures = []
            if not held_ok:
                failures.append("/healthz did not answer while the connections were held")
            if closed < len(sockets):
                failures.append(f"{len(sockets) - closed} half-sent connections were still open after the idle timeout")
            if not all(ok for ok, _ in after):
                failures.append("/healthz did not answer afterwards")
            if failures:
                sys.exit("slowloris check failed: " + "; ".join(failures))
            print("slowloris check passed")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
