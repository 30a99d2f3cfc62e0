#!/usr/bin/env bash
# Installs the Debian 12 packages bangtin needs to build, run and test, if any is missing.
# Sourced by scripts/demo and scripts/test; works as root or through sudo.
set -euo pipefail

BT_PACKAGES=(
  build-essential cmake pkg-config
  libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libsdl2-mixer-dev
  libsqlite3-dev libconfig-dev libqrencode-dev libutf8proc-dev libsodium-dev
  libebur128-dev libxlsxwriter-dev libminizip-dev zlib1g-dev libpng-dev libjpeg62-turbo-dev libsystemd-dev
  libespeak-ng-dev espeak-ng sox
  # The display's sleep outside display.on: headers only (DPMS through X11 and KMSDRM, HDMI-CEC);
  # the libraries are opened with dlopen when the display first sleeps.
  libxext-dev libdrm-dev libcec-dev
  # Video notices (issue 15): FFmpeg's demuxers, decoders, scaler and resampler (their sound).
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev
)

# Only the test suite needs these: cmocka, QR decoding of screenshots, the sqlite3 shell as a
# second reader, LibreOffice to read the XLSX and DOCX reports back, the serif font with
# Times New Roman's metrics those documents are set in, and libfaketime to run the kiosk across
# a display.on boundary, and ffmpeg to make the video tests' clips.
BT_TEST_PACKAGES=(
  libcmocka-dev zbar-tools sqlite3 xvfb xauth libreoffice-calc-nogui libreoffice-writer-nogui
  fonts-liberation2 faketime
  # bangtin-fleet (the city's server, issue 16) and its tests against a real PostgreSQL cluster
  # that tests/fleet starts in a temporary folder.
  libpq-dev postgresql postgresql-client
  # Test clips made by tests/integration/test_video.c (H.264, VP9, HEVC, AAC, Opus, drawtext).
  ffmpeg
)

# bt_install_missing [test]: the build/run packages, plus the test ones when asked.
bt_install_missing() {
  local missing=() wanted=("${BT_PACKAGES[@]}")
  [ "${1:-}" = test ] && wanted+=("${BT_TEST_PACKAGES[@]}")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Cài các gói còn thiếu / installing missing packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
