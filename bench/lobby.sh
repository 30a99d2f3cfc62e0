#!/bin/sh
# The lobby-screen benchmark: bangtin against its budgets and against a Chromium kiosk showing
# the same rotation. Starts one Xvfb (a real X11 server: SDL's offscreen driver polls every 1 ms,
# so idle CPU means nothing there) and runs bench/lobby.py inside it. About 4 minutes with the
# defaults (12 starts, 1 × 60 s per scenario); --runs 2 takes about 7.
#
#   bench/lobby.sh [--bangtin PATH] [--runs N] [--starts N] [--seconds S] [--json FILE]
#                  [--chromium PATH | --chromium ''] [--size WxH] [--before-cpu S]
#   bench/lobby.sh --video [--runs N] [--seconds S] …: only the video scenario (issue 15,
#                  bench/lobby_video.py): a 1080p30 H.264 clip looped in both kiosks
#
# The binary defaults to $BANGTIN, else build-bench/bin/bangtin, else build/bin/bangtin (a Release
# build: cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF).
# Exit status: 0 all budgets pass, 1 a budget fails, 2 the benchmark could not run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

bin=${BANGTIN:-}
case " $* " in *" --bangtin "*) bin=given ;; esac
if [ -z "$bin" ]; then
    for b in "$root/build-bench/bin/bangtin" "$root/build/bin/bangtin"; do
        if [ -x "$b" ]; then bin=$b; break; fi
    done
fi
if [ -z "$bin" ]; then
    echo "lobby.sh: no bangtin binary; build one (see the comment at the top) or set BANGTIN" >&2
    exit 2
fi
for tool in xvfb-run python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "lobby.sh: $tool is missing" >&2; exit 2; }
done
command -v chromium >/dev/null 2>&1 ||
    echo "lobby.sh: chromium is missing (apt-get install chromium): comparison skipped" >&2

if [ "$bin" = given ]; then
    set -- "$@"
else
    set -- --bangtin "$bin" "$@"
fi
# -a: a free display number; the screen matches the size measured. Python from Debian when
# present, so the figures do not depend on a developer's own interpreter.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
exec xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" "$py" "$here/lobby.py" "$@"
