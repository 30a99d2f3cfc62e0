#!/usr/bin/env bash
# Makes the demo playlist's broadcast audio from the Vietnamese texts kept in the repository
# (no downloaded audio): each playlists/demo/audio/<id>.txt is read by espeak-ng's Vietnamese
# voice and shaped for a loudspeaker system with sox (rumble cut, speech compressed so the
# playout can bring it to the loudness target without clipping), as 48 kHz mono OGG (48 kHz is
# what playout runs at, so nothing is resampled). The chime is three bell-like notes synthesised
# with sox. `sox -R` makes the output byte-identical on every run, so content hashes are stable.
#
#   scripts/gen-demo-audio.sh --item IN.txt OUT.ogg
#   scripts/gen-demo-audio.sh --chime OUT.wav|OUT.ogg
# Called by the build (cmake/stage_data.cmake), which writes into the build tree only.
# Needs espeak-ng and sox (scripts/deps.sh).
set -euo pipefail

# Words per minute: slower than espeak's 175, for older listeners and loudspeaker echo.
SPEED=140

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "Thiếu chương trình $1 (cài gói $2)." >&2; exit 1; }
}

# Work files live in a private temporary directory, removed on exit.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Copies next to the target, then renames within its directory: parallel builds sharing the
# source tree never see half a file.
publish() {
  local part
  part="$(dirname "$2")/.$(basename "$2").$$.part"
  mkdir -p "$(dirname "$2")"
  cp "$1" "$part"
  mv -f "$part" "$2"
}

make_item() {
  local in=$1 out=$2 tmp
  need espeak-ng espeak-ng
  need sox sox
  tmp=$(mktemp -d -p "$work")
  espeak-ng -v vi -s "$SPEED" -w "$tmp/speech.wav" -f "$in"
  # gain first: the high-pass must not clip. compand: instant 3:1 above -30 dB (look-ahead
  # 1 ms) keeps peaks near the speech level, as broadcast speech is processed.
  sox -R "$tmp/speech.wav" -C 4 "$tmp/item.ogg" \
      gain -6 highpass 90 compand 0.0005,0.15 -90,-90,-30,-30,0,-20 0 -90 0.001 \
      norm -2 rate -v 48000
  publish "$tmp/item.ogg" "$out"
}

# One bell-like note: fundamental plus a quieter octave, struck and decaying.
note() {
  local freq=$1 out=$2 tmp
  tmp=$(dirname "$out")
  sox -R -n -r 48000 -c 1 "$tmp/f.wav" synth 1.6 sine "$freq" fade l 0.004 1.6 1.59
  sox -R -n -r 48000 -c 1 "$tmp/o.wav" synth 1.6 sine "$((freq * 2))" fade l 0.002 0.8 0.79 \
      pad 0 0.8
  sox -R -m -v 0.75 "$tmp/f.wav" -v 0.2 "$tmp/o.wav" "$out"
}

make_chime() {
  local out=$1 tmp
  need sox sox
  tmp=$(mktemp -d -p "$work")
  # G5, E5, C5 half a second apart: the descending "ding-dong" of public-address systems.
  note 784 "$tmp/n1.wav"
  note 659 "$tmp/n2.wav"
  note 523 "$tmp/n3.wav"
  # OUT's extension says the format: the kiosk plays chime.wav (SDL decodes a WAV alone, so its
  # process needs no SDL2_mixer for the chime); chime.ogg is the same chime compressed.
  local ext=${out##*.}
  sox -R -m "$tmp/n1.wav" "|sox -R $tmp/n2.wav -p pad 0.5" "|sox -R $tmp/n3.wav -p pad 1.0" \
      -C 4 -b 16 "$tmp/chime.$ext" norm -3
  publish "$tmp/chime.$ext" "$out"
}

case "${1:-}" in
  --item)
    [ $# -eq 3 ] || { echo "Cách dùng: $0 --item VÀO.txt RA.ogg" >&2; exit 2; }
    make_item "$2" "$3"
    ;;
  --chime)
    [ $# -eq 2 ] || { echo "Cách dùng: $0 --chime RA.wav|RA.ogg" >&2; exit 2; }
    make_chime "$2"
    ;;
  *)
    echo "Cách dùng: $0 --item VÀO.txt RA.ogg | --chime RA.wav|RA.ogg" >&2
    exit 2
    ;;
esac
