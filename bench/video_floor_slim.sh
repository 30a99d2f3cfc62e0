#!/bin/sh
# What a video module with an FFmpeg of its own would save (issue 15's memory budget): the floor
# of bench/video_floor.c (a bare decoder of the lobby benchmark's clip) against Debian's shared
# FFmpeg, and against the same FFmpeg source built static with only what the validator accepts
# (H.264, VP9, VP8, AAC, Opus, Vorbis; MP4/MOV and Matroska/WebM; the `file` protocol; no
# programs, network, devices, filters or external library), the configuration docs/windows.md
# gives bangtin.exe. The source is Debian 12's own package of the appliance's libavcodec
# version, fetched through an apt configuration of this script's own (a deb-src list in the
# cache: the system's sources are untouched) and unpacked with Debian's patches. Built once into
# the cache (~5 min on 2 cores), then each run takes seconds. Not run by CI.
#
#   bench/video_floor_slim.sh [CLIP]      default: the lobby benchmark's 1080p30 H.264 clip
#
# Needs: ffmpeg (the clip), dpkg-dev, nasm, a C compiler; root or sudo for none of it.
set -eu

clip=${1:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cache=${BANGTIN_SLIM_FFMPEG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bangtin-slim-ffmpeg}
for tool in apt-get dpkg-source nasm cc ffmpeg; do
    command -v "$tool" >/dev/null 2>&1 || { echo "video_floor_slim: $tool is missing" >&2; exit 2; }
done
floor=
for b in "$root/build-bench/bin/video_floor" "$root/build/bin/video_floor"; do
    if [ -x "$b" ]; then floor=$b; break; fi
done
[ -n "$floor" ] || { echo "video_floor_slim: build bench/video_floor first (BT_VIDEO)" >&2; exit 2; }

version=$(dpkg-query -W -f='${source:Version}' libavcodec59)
mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial" "$cache/src"
cat >"$cache/sources.list" <<EOF
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
EOF
prefix="$cache/ffmpeg-$version"
if [ ! -f "$prefix/lib/libavcodec.a" ]; then
    set -- -o "Dir::Etc::SourceList=$cache/sources.list" -o Dir::Etc::SourceParts=/dev/null \
        -o "Dir::State::Lists=$cache/apt/lists" -o "Dir::Cache=$cache/apt/cache"
    apt-get "$@" update -qq
    (cd "$cache/src" && rm -rf ff &&
        apt-get "$@" source --download-only "ffmpeg=$version" >/dev/null &&
        dpkg-source -x ffmpeg_"${version#*:}".dsc ff >/dev/null)
    echo "video_floor_slim: building FFmpeg ${version#*:} static, slim (a few minutes) …" >&2
    (cd "$cache/src/ff" &&
        ./configure --prefix="$prefix" --disable-everything --disable-autodetect \
            --enable-decoder=h264,vp9,vp8,aac,opus,vorbis \
            --enable-parser=h264,vp9,vp8,aac,opus,vorbis \
            --enable-demuxer=mov,matroska --enable-protocol=file \
            --enable-swscale --enable-swresample --disable-avdevice --disable-avfilter \
            --disable-postproc --disable-programs --disable-doc --disable-network \
            --enable-pic --enable-static --disable-shared --enable-pthreads >/dev/null &&
        make -j"$(nproc)" >/dev/null && make install >/dev/null)
fi
slim="$cache/video_floor-slim"
cc -O2 -o "$slim" "$here/video_floor.c" -I"$prefix/include" -L"$prefix/lib" \
    -lavformat -lavcodec -lswresample -lavutil -lm -lpthread

if [ -z "$clip" ]; then
    clip="$cache/clip-1080p30.mp4"
    [ -f "$clip" ] || ffmpeg -v error -nostdin -y -f lavfi -i testsrc2=s=1920x1080:r=30:d=20 \
        -c:v libx264 -preset veryfast -g 60 -pix_fmt yuv420p -movflags +faststart "$clip"
fi
echo "clip: $clip; FFmpeg $version (Debian 12's source)"
echo "(the slim FFmpeg is inside the program: its pages are in pss_file_kb, not ffmpeg_file_kb)"
for run in 1 2 3; do
    echo "run $run, Debian's shared FFmpeg: $("$floor" "$clip" 2>/dev/null | tr '\n' ' ')"
    echo "run $run, slim static FFmpeg:     $("$slim" "$clip" 2>/dev/null | tr '\n' ' ')"
done
