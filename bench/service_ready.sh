#!/bin/sh
# Service start -> READY=1 (bench/service_ready.py) inside one Xvfb, as the kiosk would start on
# a real display. Build first: cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
# -DBUILD_TESTING=OFF && cmake --build build-bench --target bangtin
#
#   bench/service_ready.sh [--bangtin PATH] [--starts N] [--size WxH]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec xvfb-run -a -s "-screen 0 1920x1080x24" python3 "$here/service_ready.py" "$@"
