#!/bin/bash
# Text bulletins at activation (issue 11, item 5): how long a stick of 10 text bulletins of 60
# words each takes to be spoken and measured when it is imported. Writes the 10 texts (each a
# different 60-word bulletin with numbers, dates, times and abbreviations), packs them signed,
# then per run imports the package into an empty data directory with `bangtin import --timing`
# (every bulletin spoken by espeak-ng in a child process into the content store, then decoded
# and measured like a recorded file, then the ward's limits) and, into the same data directory
# again, a second version of the playlist with the same texts (every render found, nothing
# spoken). Prints medians: the import, its validate stage, the speaking alone, per bulletin.
#
#   bench/speech.sh [--runs N] [--work DIR] [--bangtin PATH]
#
# Exit status: 0 measured, 2 could not run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=5
work="$root/build-bench-speech"
bangtin=${BANGTIN:-}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --bangtin) bangtin=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "speech.sh: tuỳ chọn lạ: $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bangtin=$(bench_find_bangtin "$bangtin" speech.sh) || exit 2


topics=("dịch vụ công trực tuyến" "định danh điện tử VNeID" "thanh toán trực tuyến"
        "chuyển đổi số" "khảo sát SIPAS" "bộ phận một cửa" "cấp căn cước công dân"
        "đăng ký khai sinh" "chứng thực bản sao" "phản ánh kiến nghị")
# Bulletin i: its own topic, numbers and dates, made up to exactly 60 words from a closing
# sentence (topics differ in length).
closing=(Trân trọng thông báo để bà con nhân dân được biết và cùng thực hiện.)
bulletin() {
  local i=$1 day=$(( (i % 28) + 1 )) text
  text=$(printf 'UBND phường thông báo về %s: từ ngày %02d/%02d/2025, người dân làm TTHC trên ' \
    "${topics[i]}" "$day" $(( (i % 12) + 1 ))
  printf 'Cổng Dịch vụ công. Quý III năm 2025, phường tiếp nhận %d.%03d hồ sơ, đạt %d,%d%% ' \
    $(( i + 1 )) $(( 37 * i + 105 )) $(( 90 + i % 9 )) $(( i % 10 ))
  printf 'đúng hạn. Bộ phận một cửa làm việc từ 7h30 đến 17h hằng ngày; mọi vướng mắc về ' 
  printf 'CCHC xin gọi 0243 825 %04d.' $(( 3536 + i )))
  local n k=0
  n=$(echo "$text" | wc -w)
  while [ "$n" -lt 60 ] && [ $k -lt ${#closing[@]} ]; do
    text+=" ${closing[k]}"; k=$((k + 1)); n=$((n + 1))
  done
  [ "${text: -1}" = . ] || text+=.
  echo "$text"
}

mkdir -p "$work"
rm -rf "$work/pl" "$work/pl2" "$work/stick" "$work/stick2" "$work/data" "$work/key.key" \
  "$work/key.pub"
mkdir -p "$work/pl" "$work/pl2"
items="" ids=""
for i in $(seq 0 9); do
  text=$(bulletin "$i")
  n=$(echo "$text" | wc -w)
  [ "$n" = 60 ] || { echo "speech.sh: bản tin $i có $n từ, không phải 60" >&2; exit 2; }
  items+="    { id = \"tin-$i\"; title = \"Bản tin $((i + 1))\"; text = \"$text\"; },"$'\n'
  ids+="\"tin-$i\", "
done
playlist() { # version
  cat <<EOF
id = "do-ban-tin"; version = $1; title = "Đo bản tin đọc";
notices = ( { id = "chao"; kind = "text"; title = "Xin chào"; } );
broadcasts = {
  items = (
${items%,$'\n'}
  );
  sessions = ( { id = "sang"; name = "Bản tin sáng"; times = "06:00"; items = [ ${ids%, } ]; } );
};
EOF
}
playlist 1 > "$work/pl/playlist.cfg"
playlist 2 > "$work/pl2/playlist.cfg"
"$bangtin" keygen --out "$work/key" >/dev/null
printf 'trusted_keys = [ "%s" ];\nbroadcast = { windows = ""; };\n' "$work/key.pub" \
  > "$work/bench.cfg"
mkdir -p "$work/stick" "$work/stick2"
t0=$(now)
"$bangtin" --config "$work/bench.cfg" pack "$work/pl" "$work/stick/bangtin" \
  --key "$work/key.key" >/dev/null
t_pack=$(echo "$(now) - $t0" | bc)
"$bangtin" --config "$work/bench.cfg" pack "$work/pl2" "$work/stick2/bangtin" \
  --key "$work/key.key" >/dev/null

# stage SECONDS out of an --timing line: "verify 0.001 s copy … validate 3.2 s …".
stage() { grep -o "$1 [0-9.]* s" | awk '{print $2}'; }
imports=(); cpus=(); validates=(); speaks=(); again=(); audio=""
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  t0=$(now)
  # CPU time too (the process and the speaking children it waited for): on a shared machine it
  # moves less than wall time with the load.
  /usr/bin/time -f '%U %S' -o "$work/import.cpu" \
    "$bangtin" --config "$work/bench.cfg" --data "$work/data" import "$work/stick/bangtin" \
    --no-write-back --timing > "$work/import.out" 2> "$work/import.err" || {
      cat "$work/import.out" "$work/import.err" >&2; exit 2; }
  imports+=("$(echo "$(now) - $t0" | bc)")
  cpus+=("$(awk '{print $1 + $2}' "$work/import.cpu")")
  validates+=("$(stage validate < "$work/import.err")")
  # "Bản tin văn bản: đọc mới 10, có sẵn 0 (3.1 giây)."
  line=$(grep 'Bản tin văn bản:' "$work/import.out")
  echo "$line" | grep -q 'đọc mới 10, có sẵn 0' || { cat "$work/import.out" >&2; exit 2; }
  speaks+=("$(echo "$line" | sed 's/.*(\([0-9.]*\) giây).*/\1/')")
  "$bangtin" --config "$work/bench.cfg" --data "$work/data" import "$work/stick2/bangtin" \
    --no-write-back --timing > "$work/again.out" 2> "$work/again.err" || {
      cat "$work/again.out" "$work/again.err" >&2; exit 2; }
  grep -q 'đọc mới 0, có sẵn 10' "$work/again.out" || { cat "$work/again.out" >&2; exit 2; }
  again+=("$(stage validate < "$work/again.err")")
done
for f in "$work"/data/content/speech/*.wav; do
  audio+="$("$bangtin" measure "$f" --machine | awk '{print $5}') "
done
seconds=$(echo "$audio" | tr ' ' '\n' | awk 'NF {t += $1} END {printf "%.1f", t}')

t_import=$(printf '%s\n' "${imports[@]}" | median)
t_cpu=$(printf '%s\n' "${cpus[@]}" | median)
t_validate=$(printf '%s\n' "${validates[@]}" | median)
t_speak=$(printf '%s\n' "${speaks[@]}" | median)
t_again=$(printf '%s\n' "${again[@]}" | median)
t_measure=$(echo "$t_validate - $t_speak" | bc)
cat <<EOF
bangtin — 10 bản tin văn bản 60 từ khi kích hoạt ($(date -u '+%Y-%m-%d %H:%M UTC'))
máy: $(nproc) CPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -r)
chương trình: ${bangtin#"$root"/}; espeak-ng $(dpkg-query -W -f='${Version}' libespeak-ng1 2>/dev/null || echo '?')
âm thanh: 10 bản đọc, tổng $seconds giây; đóng gói (pack: đọc thử và đo vào thư mục tạm) $t_pack s
lần đo: $runs, trung vị; tải máy (loadavg) trước: $load_before, sau: $(cut -d' ' -f1-3 /proc/loadavg)

  import, cả lệnh                     $(printf '%7.2f' "$t_import") s   (CPU $(printf '%.2f' "$t_cpu") s, kể cả tiến trình con)
  bước validate (đọc + đo + giới hạn) $(printf '%7.2f' "$t_validate") s
    trong đó đọc (espeak-ng, 10 tiến trình con)  $(printf '%7.2f' "$t_speak") s  ($(echo "scale=3; $t_speak / 10" | bc) s mỗi bản tin)
    còn lại: giải mã và đo              $(printf '%7.2f' "$t_measure") s
  nạp lại cùng văn bản (có sẵn, không đọc): validate $(printf '%7.2f' "$t_again") s
EOF
