#!/bin/bash
# USB import throughput against `cp -r` of the same folder on the same disk (issue 4).
# Packs a ≥ 500 MB playlist folder (bench/import_folder.sh), then per run: imports it into an
# empty data directory with `bangtin import` (verify signature and files, copy into the content
# store hashing every byte, fsync, validate and decode, activate) and copies the same package
# folder with `cp -r`. With root, the page cache is dropped before each timed step (cold
# reads, as from a freshly plugged stick); otherwise both run on a warm cache and the header
# says so. Prints medians, MB/s and the ratio import/cp (budget ≥ 0.8).
#
#   bench/bench_import.sh [--size MB] [--images N] [--runs N] [--work DIR] [--bangtin PATH]
#
# Exit status: 0 budget met, 1 missed, 2 could not run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size_mb=520
images=4
runs=3
work="$root/build-bench-import"
bangtin=${BANGTIN:-}

while [ $# -gt 0 ]; do
  case "$1" in
    --size) size_mb=$2; shift 2 ;;
    --images) images=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --bangtin) bangtin=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench_import: tuỳ chọn lạ: $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bangtin=$(bench_find_bangtin "$bangtin" bench_import) || exit 2
command -v convert >/dev/null || { echo "bench_import: cần ImageMagick (convert)" >&2; exit 2; }


cache=warm
# drop_caches PROGRAM...: the data goes cold, then the program is started once so its own code
# is warm again. Cold data is a stick just plugged in, never read; the program's code is warm
# on an appliance that is running (the kiosk imports in its own running process). Leaving both
# cold would time loading bangtin's ~90 shared libraries from disk against cp's handful, not
# the copying.
drop_caches() {
  sync
  if [ "$cache" != warm-only ] && { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; then
    cache=cold
  else
    cache=warm-only
  fi
  "$@" >/dev/null 2>&1 || true
}

mkdir -p "$work"
src="$work/src"
made="$work/.src-$size_mb-$images" # beside the folder, not in it: it would be packed too
if [ ! -f "$made" ]; then
  echo "Tạo thư mục $size_mb MB ($images ảnh) trong $src …" >&2
  rm -f "$work"/.src-*
  "$here/import_folder.sh" "$src" "$size_mb" "$images"
  touch "$made"
fi

rm -rf "$work/key.key" "$work/key.pub" "$work/stick" "$work/data" "$work/cp"
"$bangtin" keygen --out "$work/key" >/dev/null
printf 'trusted_keys = [ "%s" ];\nusb = { keep_playlists = 1; };\n' "$work/key.pub" > "$work/bench.cfg"
mkdir -p "$work/stick"
t0=$(now)
"$bangtin" --config "$work/bench.cfg" pack "$src" "$work/stick/bangtin" --key "$work/key.key" >/dev/null
t_pack=$(echo "$(now) - $t0" | bc)
pkg="$work/stick/bangtin"
bytes=$(du -sb --apparent-size "$pkg" | cut -f1)
files=$(find "$pkg" -type f | wc -l)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
imports=(); cps=(); syncs=(); timings=(); inside=()
for run in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  drop_caches "$bangtin" version
  t0=$(now)
  "$bangtin" --config "$work/bench.cfg" --data "$work/data" import "$pkg" --no-write-back \
    --timing > "$work/import.out" 2> "$work/import.err" || {
      cat "$work/import.out" "$work/import.err" >&2; exit 2; }
  imports+=("$(echo "$(now) - $t0" | bc)")
  timings+=("$(grep -o 'verify.*' "$work/import.err" | tail -1)")
  # bt_usb_import itself (its stages), without the process around it: what the kiosk, which
  # imports in its running process, waits for.
  inside+=("$(echo "${timings[-1]}" | awk '{for (i = 2; i <= NF; i += 3) t += $i} END {print t}')")

  rm -rf "$work/cp"
  drop_caches cp --version
  t0=$(now)
  cp -r "$pkg" "$work/cp"
  t1=$(now)
  sync
  t2=$(now)
  cps+=("$(echo "$t1 - $t0" | bc)")
  syncs+=("$(echo "$t2 - $t0" | bc)")
  rm -rf "$work/cp"
done

t_import=$(printf '%s\n' "${imports[@]}" | median)
t_cp=$(printf '%s\n' "${cps[@]}" | median)
t_cpsync=$(printf '%s\n' "${syncs[@]}" | median)
t_inside=$(printf '%s\n' "${inside[@]}" | median)
mbs() { echo "scale=1; $bytes / 1000000 / $1" | bc; }
ratio=$(echo "scale=3; $t_cp / $t_import" | bc)
ratio_sync=$(echo "scale=3; $t_cpsync / $t_import" | bc)
sha=$(grep -qw sha_ni /proc/cpuinfo && echo "SHA-NI" || echo "C thuần")
pass=$(echo "$ratio >= 0.8" | bc)

cat <<EOF
bangtin import — thông lượng nạp USB so với cp -r ($(date -u '+%Y-%m-%d %H:%M UTC'))
máy: $(nproc) CPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -r), RAM $(free -g | awk '/Mem:/ {print $2}') GB, SHA-256: $sha
đĩa: $(df -T "$work" | awk 'NR==2 {print $1" ("$2")"}'), cache: $([ "$cache" = cold ] && echo "dữ liệu lạnh (drop_caches trước mỗi bước, rồi chạy chương trình một lần cho mã của nó nóng lại)" || echo "NÓNG — không drop_caches được (cần root)")
gói: $bytes byte ($((bytes / 1000000)) MB), $files tệp, $images ảnh 1920×1080; đóng gói (pack) $t_pack s
lần đo: $runs, trung vị; tải máy (loadavg) trước: $load_before, sau: $(cut -d' ' -f1-3 /proc/loadavg)

  import (bangtin import)       $(printf '%7.3f' "$t_import") s   $(printf '%7.1f' "$(mbs "$t_import")") MB/s
  cp -r                         $(printf '%7.3f' "$t_cp") s   $(printf '%7.1f' "$(mbs "$t_cp")") MB/s
  cp -r rồi sync                $(printf '%7.3f' "$t_cpsync") s   $(printf '%7.1f' "$(mbs "$t_cpsync")") MB/s
  (bt_usb_import, các bước)     $(printf '%7.3f' "$t_inside") s   $(printf '%7.1f' "$(mbs "$t_inside")") MB/s   (không tính khởi động lệnh và việc sau khi nạp)

  tỉ lệ import / cp -r          $ratio   (ngân sách ≥ 0.8: $([ "$pass" = 1 ] && echo PASS || echo FAIL))
  tỉ lệ import / (cp -r + sync) $ratio_sync   (import fsync mọi tệp; cp -r thì không)

từng bước của import (giây), mỗi lần đo:
EOF
printf '  %s\n' "${timings[@]}"
[ "$pass" = 1 ] && exit 0 || exit 1
