#!/usr/bin/env python3
"""Service start -> READY=1: how long systemd waits for the kiosk (Type=notify).

Plays systemd's part: binds a datagram socket, starts `bangtin run` on the demo playlist with
NOTIFY_SOCKET pointing at it (and a watchdog interval), and times from the start of the
process to the READY=1 datagram, which the kiosk sends after its first frame is on screen.
Run it inside an X server (bench/service_ready.sh starts Xvfb) so the display is a real one.
Prints each start and the median, min and max in ms.

    bench/service_ready.py --bangtin build-bench/bin/bangtin [--starts 12] [--size 1920x1080]
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def one_start(bangtin, demo, size, data):
    sock_dir = tempfile.mkdtemp(prefix="bangtin-ready-")
    path = os.path.join(sock_dir, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="30000000", BANGTIN_CONFIG="",
               SDL_AUDIODRIVER="dummy")
    env.pop("WATCHDOG_PID", None)
    t0 = time.monotonic()
    proc = subprocess.Popen([bangtin, "--data", data, "run", "--playlist", demo, "--size", size],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ready = None
    sock.settimeout(10)
    try:
        while ready is None:
            msg = sock.recv(4096).decode("utf-8", "replace")
            if "READY=1" in msg:
                ready = (time.monotonic() - t0) * 1000
    except socket.timeout:
        pass
    proc.terminate()
    proc.wait(timeout=30)
    sock.close()
    shutil.rmtree(sock_dir, ignore_errors=True)
    return ready


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bangtin", default=os.path.join(ROOT, "build-bench", "bin", "bangtin"))
    ap.add_argument("--starts", type=int, default=12)
    ap.add_argument("--size", default="1920x1080")
    args = ap.parse_args()
    demo = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(args.bangtin))),
                        "share", "bangtin", "playlists", "demo")
    data = tempfile.mkdtemp(prefix="bangtin-ready-data-")
    times = []
    # One cold start first (page cache, font mapping), not counted.
    one_start(args.bangtin, demo, args.size, data)
    for i in range(args.starts):
        ms = one_start(args.bangtin, demo, args.size, data)
        if ms is None:
            print(f"start {i + 1}: no READY=1 within 10 s")
            return 1
        times.append(ms)
        print(f"start {i + 1}: READY=1 after {ms:.1f} ms")
    shutil.rmtree(data, ignore_errors=True)
    print(f"service start -> READY=1, {len(times)} starts: median {statistics.median(times):.1f} ms,"
          f" min {min(times):.1f}, max {max(times):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
