#!/bin/bash
# `bangtin check` on the bundled demo (issue 11): how long staff wait for the one-pass check of a
# real playlist — notices, images, texts against the screen's fonts, every audio item decoded and
# measured (loudness and dead air), the ward's limits, the layout of every slide. Prints the
# median wall and CPU time of --runs checks, and the same for `check --json`.
#
#   bench/check.sh [--runs N] [--playlist DIR] [--bangtin PATH]
# (default playlist: the demo staged by the build beside the program, audio included)
#
# Exit status: 0 measured, 2 could not run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=11
playlist=""
bangtin=${BANGTIN:-}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --playlist) playlist=$2; shift 2 ;;
    --bangtin) bangtin=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "check.sh: tuỳ chọn lạ: $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bangtin=$(bench_find_bangtin "$bangtin" check.sh) || exit 2
# The demo as the build staged it: its audio is made from texts at build time, not kept in git.
[ -n "$playlist" ] || playlist="$(dirname "$(dirname "$bangtin")")/share/bangtin/playlists/demo"
[ -f "$playlist/playlist.cfg" ] || { echo "check.sh: không thấy $playlist/playlist.cfg" >&2; exit 2; }


# One run: wall and user+system CPU (children included) from GNU time's format, or bash's.
measure() {
  local out status
  out=$( { TIMEFORMAT='%R %U %S'; time "$bangtin" check "$@" "$playlist" >/dev/null 2>&1; } 2>&1 ) ||
    status=$?
  # check exits 1 on an invalid playlist: the demo must pass, or the figure means nothing.
  [ "${status:-0}" -eq 0 ] || { echo "check.sh: check trả về ${status} trên $playlist" >&2; exit 2; }
  echo "$out" | awk '{printf "%s %.3f\n", $1, $2 + $3}'
}

items=$(grep -c 'audio *=' "$playlist/playlist.cfg" || true)
notices=$(grep -c 'kind *=' "$playlist/playlist.cfg" || true)
echo "bangtin check — playlist mẫu ($(date -u '+%Y-%m-%d %H:%M') UTC)"
echo "máy: $(nproc) CPU ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //; s/ [0-9]*-Core.*//')), $(uname -r)"
echo "chương trình: $bangtin"
echo "playlist: $(basename "$playlist") — $notices thông báo, $items tin thu âm"
echo "lần đo: $runs, trung vị; tải máy (loadavg) trước: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bangtin" check "$playlist" >/dev/null 2>&1 || { echo "check.sh: playlist không hợp lệ" >&2; exit 2; }
for mode in text json; do
  walls=() cpus=()
  for ((r = 0; r < runs; r++)); do
    if [ "$mode" = json ]; then read -r w c < <(measure --json); else read -r w c < <(measure); fi
    walls+=("$w") cpus+=("$c")
  done
  w=$(printf '%s\n' "${walls[@]}" | median)
  c=$(printf '%s\n' "${cpus[@]}" | median)
  printf '  check %-7s %6.3f s   (CPU %.3f s)\n' "$([ $mode = json ] && echo --json || echo '')" "$w" "$c"
done
echo "tải máy sau: $(cut -d' ' -f1-3 /proc/loadavg)"
