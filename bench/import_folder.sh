#!/bin/sh
# Makes the playlist folder the import benchmark (bench/bench_import.sh) packs and imports:
# a valid playlist.cfg, IMAGES slide images (1920×1080 PNG of noise, so they do not compress:
# a few MB each, decoded once by the import like any slide), the test audio item, and
# incompressible "documents" in tai-lieu/ (files a ward ships with its slides) up to SIZE_MB.
#
#   bench/import_folder.sh OUT_DIR SIZE_MB [IMAGES]
set -eu

out=${1:?thư mục đích}
size_mb=${2:?số MB}
images=${3:-4}
src=$(cd "$(dirname "$0")/.." && pwd)

rm -rf "$out"
mkdir -p "$out/images" "$out/audio" "$out/tai-lieu"
cp "$src/tests/data/usb/basic/audio/tin-thu.ogg" "$out/audio/"

{
  echo 'id = "bench-import";'
  echo 'version = 1;'
  echo 'title = "Đo tốc độ nạp USB";'
  echo 'notices = ('
  i=1
  while [ "$i" -le "$images" ]; do
    echo "  { id = \"anh-$i\"; kind = \"image\"; title = \"Ảnh $i\"; image = \"images/anh-$i.png\"; },"
    i=$((i + 1))
  done
  echo '  { id = "chu"; kind = "text"; title = "Giờ làm việc"; body = "Thứ Hai đến Thứ Sáu."; }'
  echo ');'
  echo 'broadcasts = {'
  echo '  items = ( { id = "tin-thu"; title = "Bản tin thử"; audio = "audio/tin-thu.ogg"; } );'
  echo '  sessions = ( { id = "sang"; name = "Bản tin sáng"; times = "06:00"; items = [ "tin-thu" ]; } );'
  echo '};'
} > "$out/playlist.cfg"

i=1
while [ "$i" -le "$images" ]; do
  convert -size 1920x1080 xc: +noise Random -depth 8 "PNG24:$out/images/anh-$i.png"
  i=$((i + 1))
done

# Documents: 32 MiB each until the folder reaches SIZE_MB (MB = 10^6 bytes).
have=$(du -sb "$out" | cut -f1)
want=$((size_mb * 1000000))
n=1
while [ "$have" -lt "$want" ]; do
  left=$((want - have))
  chunk=33554432
  [ "$left" -lt "$chunk" ] && chunk=$left
  head -c "$chunk" /dev/urandom > "$out/tai-lieu/phan-$n.bin"
  have=$((have + chunk))
  n=$((n + 1))
done
