#!/usr/bin/env bash
# Frame times of the lobby screen while the loudspeaker airs (issue 10, item 8): how long each
# turn of the kiosk's loop works before it sleeps, p50/p99/max, over all turns and over those
# while a session arms, airs and ends (when the airing log is written). Each run is done twice
# on the same binary: with the store's writer thread (as shipped) and with
# BANGTIN_WRITER_INLINE=1, which makes the writer do every write on the loop's own thread, as
# the kiosk did before the writer existed. The runs alternate so a noisy machine hurts both.
#
#   bench/frame_times.sh [--runs N] [--sessions N] [--slow-sync MS]
#
# --slow-sync MS makes every SQLite sync MS ms slower in both modes (BANGTIN_TEST_FAULT=
# slow-sync:MS, src/store/slow_sync.c): the appliance's disk may be a worn SD card or a USB stick
# where a sync takes 50–500 ms, while this machine's takes about one.
#
# Each run airs N one-off sessions (default 3) of two 1.5 s items one minute apart, with the
# ticker moving (frames at its rate), in Xvfb at 1920x1080, audio to SDL's disk driver. About
# (sessions + 1) minutes per run; default 2 runs of each mode ≈ 16 minutes.
# Binary: $BANGTIN, else build-bench/bin/bangtin (a copy elsewhere needs BANGTIN_SHARE_DIR for
# its fonts; cmake -S . -B build-bench
# -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF && cmake --build build-bench --target bangtin).
# Needs xvfb-run and sox. Prints one line per run and mode, then the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=2
sessions=3
slow_sync=0
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; shift 2 ;;
    --sessions) sessions=$2; shift 2 ;;
    --slow-sync) slow_sync=$2; shift 2 ;;
    *) echo "frame_times.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
bin=${BANGTIN:-build-bench/bin/bangtin}
[ -x "$bin" ] || { echo "frame_times.sh: no $bin (see the comment at the top)" >&2; exit 2; }
for tool in xvfb-run sox; do
    command -v "$tool" >/dev/null || { echo "frame_times.sh: $tool is missing" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/bangtin-frames.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pl/audio"
sox -n -r 48000 -c 1 "$work/pl/audio/a.wav" synth 1.5 sine 440 vol 0.3
sox -n -r 48000 -c 1 "$work/pl/audio/b.wav" synth 1.5 sine 660 vol 0.3

# A playlist whose sessions start at the next whole minutes (+1 … +sessions).
write_playlist() {
    local at="" i t
    for i in $(seq 1 "$sessions"); do
        # Playlist times are Vietnam's civil time, whatever the machine's zone.
        t=$(TZ=Asia/Ho_Chi_Minh date -d "+$((i + 1)) minutes" '+%Y-%m-%d %H:%M')
        at="$at${at:+, }\"$t\""
    done
    cat >"$work/pl/playlist.cfg" <<EOF
id = "do-khung-hinh"; version = 1; title = "Đo thời gian khung hình";
notices = (
  { id = "a"; kind = "text"; title = "Thủ tục hành chính trực tuyến";
    body = "Người dân có thể nộp hồ sơ qua Cổng Dịch vụ công quốc gia."; duration = 8; },
  { id = "b"; kind = "text"; title = "Định danh điện tử";
    body = "Kích hoạt tài khoản định danh điện tử mức hai tại bộ phận một cửa."; duration = 8; }
);
ticker = [ "Bộ phận một cửa làm việc từ thứ Hai đến thứ Sáu, sáng 7:30 đến 11:30, chiều 13:30 đến 17:00." ];
broadcasts = {
  items = (
    { id = "tin-a"; title = "Tin A"; audio = "audio/a.wav"; },
    { id = "tin-b"; title = "Tin B"; audio = "audio/b.wav"; }
  );
  sessions = ( { id = "do"; name = "Buổi đo"; at = [ $at ]; items = [ "tin-a", "tin-b" ]; } );
};
EOF
}

run_one() { # mode: thread | inline
    local mode=$1 data="$work/data-$1-$2"
    mkdir -p "$data"
    cat >"$work/bangtin.cfg" <<EOF
data_dir = "$data";
broadcast = { windows = "00:00-23:59"; max_sessions_per_day = 24; amp_warmup_ms = 0; };
EOF
    write_playlist
    local seconds=$(( (sessions + 2) * 60 - 10#$(date +%S) + 5 ))
    local inline=""
    [ "$mode" = inline ] && inline=1
    local fault=""
    [ "$slow_sync" -gt 0 ] && fault="slow-sync:$slow_sync"
    BANGTIN_FRAME_STATS=1 BANGTIN_WRITER_INLINE=$inline BANGTIN_TEST_FAULT=$fault \
        SDL_AUDIODRIVER=disk \
        SDL_DISKAUDIOFILE="$work/out.raw" \
        xvfb-run -a -s "-screen 0 1920x1080x24" \
        "$bin" --config "$work/bangtin.cfg" run --playlist "$work/pl" --windowed --size 1920x1080 \
        --duration "$seconds" 2>"$work/err-$mode-$2" >/dev/null || true
    local all air
    if ! grep -q 'frame-times all' "$work/err-$mode-$2"; then
        echo "frame_times.sh: the $mode run printed no figures; its last lines:" >&2
        tail -5 "$work/err-$mode-$2" >&2
        exit 1
    fi
    all=$(grep 'frame-times all' "$work/err-$mode-$2" | sed 's/.*frame-times all //')
    air=$(grep 'frame-times loudspeaker' "$work/err-$mode-$2" | sed 's/.*frame-times loudspeaker //')
    local aired
    aired=$("$bin" --config "$work/bangtin.cfg" log 2>/dev/null | grep -c 'đã phát' || true)
    printf '%-7s run %d  all: %s\n        loudspeaker: %s  (rows "đã phát": %s)\n' \
        "$mode" "$2" "$all" "$air" "$aired"
    echo "$mode $air" >>"$work/summary"
}

for r in $(seq 1 "$runs"); do
    run_one inline "$r"
    run_one thread "$r"
done
echo "medians over runs (loudspeaker turns, ms):"
for mode in inline thread; do
    for key in p50 p99 max; do
        grep "^$mode " "$work/summary" | grep -o "$key=[0-9.]*" | cut -d= -f2 | sort -n |
            awk -v m="$mode" -v k="$key" '{a[NR]=$1} END {if (NR) printf "  %-7s %s median %.3f (of %d runs)\n", m, k, (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), NR}'
    done
done
