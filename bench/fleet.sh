#!/usr/bin/env bash
# bangtin-fleet at the size of a city (issue 16): N wards' signed exports of Y years each
# (≈ 20 airings and ≈ 200 screen-impression rows a day), ingested into a PostgreSQL cluster
# started here; prints ingest throughput in rows/s (goal ≥ 100 000), the database's size, the
# city-wide quarterly report's time in each format (goal < 2 s), and the same quarter's report
# from one ward's SQLite store with `bangtin report`, for comparison.
#
#   bench/fleet.sh [--wards N] [--years Y] [--jobs J] [--db PATH] [--keep]
#
# Defaults: 126 wards × 5 years. The ward's log is bench_report's five-year store (made by
# bench/bench_report.sh, reused from /dev/shm), cut to Y years with its chain intact, with
# screen rows added up to 200 a day; every ward ingests the same rows under its own device key
# (bench/fleet_sign.c), which is what the fleet checks and loads. Builds in $BUILD (build-bench,
# Release). Exit 2 when it could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
BUILD=${BUILD:-build-bench}
WARDS=126 YEARS=5 KEEP=0 JOBS=2
DB=/dev/shm/bangtin-bench-report/bangtin.db
while [ $# -gt 0 ]; do
  case $1 in
    --wards) WARDS=$2; shift 2 ;;
    --years) YEARS=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--wards N] [--years Y] [--jobs J] [--db PATH] [--keep]" >&2; exit 2 ;;
  esac
done
[ -f "$DB" ] || { echo "fleet.sh: không có $DB — chạy bench/bench_report.sh trước" >&2; exit 2; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1)
[ -x "$PGBIN/initdb" ] || { echo "fleet.sh: cần gói postgresql (initdb)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "fleet.sh: cần gói time (/usr/bin/time)" >&2; exit 2; }
[ -d "$BUILD" ] || cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$BUILD" -j2 --target bangtin bangtin-fleet fleet_sign >/dev/null
# FLEET=PATH times another bangtin-fleet (e.g. an older build) on the same data.
BT=$BUILD/bin/bangtin FLEET=${FLEET:-$BUILD/bin/bangtin-fleet} SIGN=$BUILD/bench/fleet_sign
[ -x "$SIGN" ] || SIGN=$BUILD/bin/fleet_sign

WORK=$(mktemp -d "${TMPDIR:-/tmp}/btfleet-bench-XXXXXX")
RUN_AS=()
if [ "$(id -u)" -eq 0 ]; then RUN_AS=(runuser -u postgres --); chown postgres "$WORK"; chmod 755 "$WORK"; fi
cleanup() {
  "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  [ "$KEEP" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

# One ward's appliance: the store, 200 screen rows a day, one export of everything.
mkdir -p "$WORK/app" "$WORK/x"
cp "$DB" "$WORK/app/bangtin.db"
CUT=$(( 2021 + YEARS ))
sqlite3 "$WORK/app/bangtin.db" "
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 180)
  INSERT OR IGNORE INTO impressions (day, playlist_id, notice_id, shows, seconds)
  SELECT d.day, 'bench', 'tb-' || n.i, 43, 430.0 FROM (SELECT DISTINCT day FROM impressions) d, n;
  INSERT INTO staff_records (channel, day, count, source, playlist_id, playlist_version,
    recorded_at, updated_at)
  SELECT CASE d.n % 3 WHEN 0 THEN 'zalo' WHEN 1 THEN 'city-page' ELSE 'ward-site' END, d.day,
    1 + d.n % 2, 'panel', 'bench', 1, strftime('%s', d.day) + 36000, strftime('%s', d.day) + 36000
  FROM (SELECT day, row_number() OVER (ORDER BY day) AS n FROM (SELECT DISTINCT day
    FROM impressions)) d WHERE d.n % 3 = 0;"
BANGTIN_CONFIG= "$BT" --data "$WORK/app" export -o "$WORK/app/all.bangtin" >/dev/null
# Y years of it: the chain from its first row to the last row of those years, whole.
sqlite3 "$WORK/app/all.bangtin" "
  CREATE TEMP TABLE k AS SELECT coalesce((SELECT min(seq) - 1 FROM airing_events
    WHERE kind <> 'end' AND scheduled_at >= strftime('%s', '$CUT-01-01') - 7 * 3600),
    (SELECT max(seq) FROM airing_events)) AS last;
  DELETE FROM airing_events WHERE seq > (SELECT last FROM k);
  DELETE FROM impressions WHERE day >= '$CUT-01-01';
  DELETE FROM staff_records WHERE day >= '$CUT-01-01';
  UPDATE meta SET value = (SELECT last FROM k) WHERE key IN ('airing_last', 'airing_head');
  UPDATE meta SET value = (SELECT hash FROM airing_events WHERE seq = (SELECT last FROM k))
    WHERE key = 'airing_head_hash';
  VACUUM;"
ROWS_PER_WARD=$(sqlite3 "$WORK/app/all.bangtin" "SELECT (SELECT count(*) FROM airing_events)
  + (SELECT count(*) FROM clock_events) + (SELECT count(*) FROM impressions)
  + (SELECT count(*) FROM staff_records)")
"$SIGN" "$WORK/app/all.bangtin" "$WORK/x" "$WARDS"
EXPORT_BYTES=$(stat -c %s "$WORK/x/w001.bangtin")

"${RUN_AS[@]}" "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
# The settings the README tells the city to use, from the same file.
cp src/fleet/bangtin-fleet.conf "$WORK/pg/bangtin-fleet.conf"
echo "include 'bangtin-fleet.conf'" >> "$WORK/pg/postgresql.conf"
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
  -o "-k $WORK -c listen_addresses='' -c log_min_duration_statement=${PG_LOG_MS:--1}" start >/dev/null
createdb -h "$WORK" -U postgres fleet
URL="postgresql:///fleet?host=$WORK&user=postgres"
"$FLEET" init --db "$URL" >/dev/null
for p in "$WORK"/x/w*.pub; do
  "$FLEET" enroll --db "$URL" --ward "$(sed -n 's/.*bangtin — \(.*\), dấu vân tay.*/\1/p' "$p")" "$p" >/dev/null
done

# CPU seconds used so far by the cluster: the postmaster and its children, live (backends,
# checkpointer, WAL writer, autovacuum) and ended (cutime/cstime). On a machine shared with other
# work the wall time says little; rows per CPU-second say what the work costs.
pg_cpu() {
  local pm; pm=$(head -1 "$WORK/pg/postmaster.pid")
  { awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat"
    for c in $(pgrep -P "$pm"); do awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null; done
  } | awk -v hz="$(getconf CLK_TCK)" '{s += $1} END {printf "%.2f\n", s / hz}'
}
c0=$(pg_cpu)
t0=$(now)
/usr/bin/time -f "%U %S" -o "$WORK/client.cpu" \
  "$FLEET" ingest --db "$URL" --jobs "$JOBS" "$WORK"/x/w*.bangtin | tail -1
t1=$(now)
c1=$(pg_cpu)
TOTAL=$(( ROWS_PER_WARD * WARDS ))
SIZE=$(psql -X -A -t -h "$WORK" -U postgres fleet -c "SELECT pg_size_pretty(pg_database_size('fleet'))")
Q="$(( CUT - 1 ))-Q4"
echo "Dữ liệu: $WARDS phường × $YEARS năm; mỗi phường $ROWS_PER_WARD dòng, tệp xuất $EXPORT_BYTES byte; nạp trên $JOBS kết nối"
awk -v r="$TOTAL" -v a="$t0" -v b="$t1" \
  'BEGIN {printf "Nạp: %d dòng trong %.1f s = %.0f dòng/s (mục tiêu ≥ 100 000)\n", r, b - a, r / (b - a)}'
read -r cu cs < "$WORK/client.cpu"
awk -v r="$TOTAL" -v c0="$c0" -v c1="$c1" -v cu="$cu" -v cs="$cs" \
  -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {s = c1 - c0; c = cu + cs
  printf "CPU: máy chủ %.1f s + bangtin-fleet %.1f s = %.0f dòng mỗi giây CPU; trên 2 lõi rảnh " \
         "≈ %.0f dòng/s (tải máy lúc đo: %s)\n", s, c, r / (s + c), 2 * r / (s + c), load}'
echo "Cơ sở dữ liệu: $SIZE"
for f in csv xlsx html; do
  for run in 1 2 3; do
    s=$(now); "$FLEET" report --db "$URL" --period "$Q" --format $f -o "$WORK/r.$f" >/dev/null; e=$(now)
    echo "$s $e" | awk '{print $2 - $1}'
  done | median | awk -v f=$f -v q=$Q '{printf "Báo cáo thành phố %s (%s): %.2f s (mục tiêu < 2 s)\n", q, f, $1}'
done
for run in 1 2 3; do
  s=$(now); BANGTIN_CONFIG= "$BT" --data "$WORK/app" report --period "$Q" -o "$WORK/one.csv" >/dev/null; e=$(now)
  echo "$s $e" | awk '{print $2 - $1}'
done | median | awk -v q=$Q '{printf "Báo cáo 1 phường từ SQLite %s (csv): %.2f s\n", q, $1}'
