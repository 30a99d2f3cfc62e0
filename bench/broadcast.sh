#!/usr/bin/env bash
# The loudspeaker benchmark (issue 3): airing start against the scheduled second and the gap
# between chime and item, on the real clock through the real playout engine (SDL's disk
# driver), and the time to simulate a quarter of 552 slots. See bench/bench_broadcast.c.
#
#   bench/broadcast.sh [--airings N] [--period S] [--runs N] [--no-audio] [--no-simulate]
#                      [--keep] [--tmp DIR] [--skew-ms MS]
#
# Builds bench_broadcast in $BUILD (default build-bench, configured Release if new) and runs it.
# Defaults: 24 sessions 4 s apart (≈ 100 s) and 50 timed simulations. Needs sox (the test
# audio is made at each run). Exit 0 when every budget passes, 1 when one fails, 2 when the
# benchmark could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
if ! command -v sox >/dev/null; then
  echo "broadcast.sh: needs sox (apt-get install sox libsox-fmt-all)" >&2
  exit 2
fi
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null || exit 2
fi
if ! log=$(cmake --build "$BUILD" -j"$(nproc)" --target bench_broadcast bangtin bangtin-audio 2>&1); then
  printf '%s\n' "$log" >&2
  exit 2
fi
# SDL's disk driver announces itself on stderr each time it opens; everything else passes.
# (pipefail: the status is the benchmark's, since the filter never fails.)
{ "$BUILD/bin/bench_broadcast" "$@" 2>&1 1>&3 3>&- |
    { grep -v -e '^CRITICAL: You are using the SDL disk' -e '^CRITICAL:  Writing to file' || true; } >&2
} 3>&1
