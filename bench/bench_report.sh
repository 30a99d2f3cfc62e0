#!/usr/bin/env bash
# Times a quarterly and a yearly report (CSV, XLSX, HTML) over five years of synthetic logs,
# the airing log's hash-chain check each report states included; budget < 200 ms a quarter and
# < 500 ms a year (whole `bangtin report` processes included). See bench/bench_report.c for what
# the data holds and what each row measures; bench/report_office.sh has LibreOffice read the
# same reports back.
#
#   bench/bench_report.sh [--runs N] [--db PATH]
#
# Builds the bt_report, bt_store and bt_core libraries and the bangtin program in $BUILD
# (default build-bench, configured Release if new), compiles bench/bench_report.c against them,
# and runs it; the bangtin rows time whole `bangtin --data DIR report` processes on the same
# database. The database is
# made once (≈ 73 000 durable airing-log writes: minutes on an SD card, faster on tmpfs) and
# reused; the default lives in /dev/shm when it exists. Exit 0 when every report is within
# budget, 1 when one is not, 2 when the benchmark could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
RUNS=9
DB=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--db PATH]" >&2; exit 2 ;;
  esac
done
if [ -z "$DB" ]; then
  if [ -d /dev/shm ]; then DB=/dev/shm/bangtin-bench-report/bangtin.db
  else DB=$BUILD/bench-report/bangtin.db; fi
fi
mkdir -p "$(dirname "$DB")"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
fi
# The bench_report target when bench/CMakeLists.txt has one; otherwise compiled here.
BIN=$BUILD/bin/bench_report
if cmake --build "$BUILD" --target help 2>/dev/null | grep -qw bench_report; then
  cmake --build "$BUILD" -j"$(nproc)" --target bench_report bangtin >/dev/null || exit 2
else
  BIN=$BUILD/bench_report
  cmake --build "$BUILD" -j"$(nproc)" --target bt_report bt_store bt_core bangtin >/dev/null || exit 2
  cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude bench/bench_report.c \
     "$BUILD/libbt_report.a" "$BUILD/libbt_store.a" "$BUILD/libbt_core.a" \
     $(pkg-config --libs xlsxwriter minizip sqlite3 libsodium libutf8proc) -lm \
     -o "$BIN" || exit 2
fi
CLI=()
if [ -x "$BUILD/bin/bangtin" ]; then CLI=(--cli "$BUILD/bin/bangtin"); fi
"$BIN" "$DB" --runs "$RUNS" "${CLI[@]}"
