#!/usr/bin/env bash
# Long libFuzzer runs of every fuzz target (docs/fuzzing.md). Builds them with clang into
# build-fuzz (installing clang and its libFuzzer runtime if missing), then runs each target in
# turn — one at a time, the machine is shared — for N executions, optionally capped in time, and
# prints per target: executions, coverage (cov: edges, ft: features), corpus size and crashes.
#
#   fuzz/run-long.sh [-n RUNS] [-t SECONDS] [-c CORPUS_ROOT] [-b BUILD_DIR] [TARGET...]
#
#   -n RUNS      executions per target (libFuzzer -runs=); default 10000000
#   -t SECONDS   stop a target after this long even if RUNS is not reached (-max_total_time=);
#                default 0 = no cap
#   -c DIR       where corpora, crashes and logs are kept, outside the source tree; default
#                $BT_FUZZ_CORPUS, else ~/.cache/bangtin-fuzz. The corpus grows from run to run.
#   -b DIR       build directory; default build-fuzz
#   TARGET       playlist config manifest signature dates image_header speech_text (default: all)
# Extra libFuzzer flags can be passed in $FUZZ_FLAGS (e.g. FUZZ_FLAGS="-jobs=2 -workers=2"), extra
# CMake arguments in $BT_FUZZ_CMAKE_ARGS.
#
# Exit status: 0 if no target crashed, 1 if one did (its input is in CORPUS_ROOT/NAME-crashes).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD

RUNS=10000000
MAX_TIME=0
CORPUS_ROOT=${BT_FUZZ_CORPUS:-$HOME/.cache/bangtin-fuzz}
BUILD=build-fuzz
ALL_TARGETS=(playlist config manifest signature dates image_header speech_text)
while getopts "n:t:c:b:h" opt; do
  case $opt in
    n) RUNS=$OPTARG ;;
    t) MAX_TIME=$OPTARG ;;
    c) CORPUS_ROOT=$OPTARG ;;
    b) BUILD=$OPTARG ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")

mkdir -p "$CORPUS_ROOT"
CORPUS_ROOT=$(cd "$CORPUS_ROOT" && pwd)
case "$CORPUS_ROOT/" in
  "$SRC"/*) echo "corpus folder $CORPUS_ROOT is inside the source tree: pick one outside (-c)" >&2
            exit 2 ;;
esac

# ---- toolchain and build -------------------------------------------------------------------
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
bt_install_missing build # not the test packages: no cmocka needed here
fuzz_packages=(clang libclang-rt-14-dev)
missing=()
for p in "${fuzz_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi

# Debug keeps the project's assert()s; -O1 is libFuzzer's usual optimisation level.
# shellcheck disable=SC2086  # BT_FUZZ_CMAKE_ARGS is a list of arguments
cmake -S . -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS=-O1 \
      -DBT_FUZZ=ON -DBT_SANITIZE="address;undefined" -DBUILD_TESTING=OFF ${BT_FUZZ_CMAKE_ARGS:-} \
      >/dev/null
build_targets=()
for t in "${TARGETS[@]}"; do build_targets+=(--target "fuzz_$t"); done
cmake --build "$BUILD" -j"$(nproc)" "${build_targets[@]}" >/dev/null

# ---- seeds and dictionaries ----------------------------------------------------------------
# The seeds are the files listed in BUILD/fuzz/seeds-NAME.txt (made by fuzz/CMakeLists.txt):
# copied afresh into NAME-seeds each run, while NAME (the corpus libFuzzer grows) is kept.
prepare_seeds() {
  local name=$1 dir=$CORPUS_ROOT/$1-seeds i=0
  rm -rf "$dir"
  mkdir -p "$dir"
  while IFS= read -r f; do
    [ -n "$f" ] || continue
    i=$((i + 1))
    cp "$f" "$dir/$(printf '%03d' $i)-$(basename "$(dirname "$f")")-$(basename "$f")"
  done < "$BUILD/fuzz/seeds-$name.txt"
}

# A libFuzzer dictionary for the libconfig targets, taken from their seeds: every key name and
# short quoted word they use, plus the syntax. Returns its path (empty for the other targets).
make_dictionary() {
  local name=$1 out=$CORPUS_ROOT/$1.dict
  case $name in playlist|config) ;; *) echo ""; return ;; esac
  {
    printf '"%s"\n' '=' ';' ',' '{' '}' '(' ')' '[' ']' '#' '//' '/*' '*/' '@include' 'true' \
      'false' '0x' 'L' '-' ':' '/' '..'
    printf '"\\""\n"\\\\"\n'
    cat "$CORPUS_ROOT/$name-seeds"/* |
      grep -ohE '[A-Za-z_][A-Za-z0-9_]*[[:space:]]*=' | tr -d ' \t=' | sort -u | sed 's/.*/"&"/'
    cat "$CORPUS_ROOT/$name-seeds"/* |
      grep -ohE '"[A-Za-z0-9_.:/, -]{1,24}"' | sort -u | sed 's/^"//; s/"$//; s/.*/"&"/'
  } | sort -u > "$out"
  echo "$out"
}

count_files() { find "$1" -maxdepth 1 -type f | wc -l; }

# ---- runs ----------------------------------------------------------------------------------
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export LSAN_OPTIONS="suppressions=$SRC/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

summary=()
failed=0
echo "fuzzing into $CORPUS_ROOT (runs=$RUNS, max_total_time=$MAX_TIME)"
for name in "${TARGETS[@]}"; do
  exe=$BUILD/bin/fuzz_$name
  corpus=$CORPUS_ROOT/$name
  crashes=$CORPUS_ROOT/$name-crashes
  log=$CORPUS_ROOT/$name.log
  mkdir -p "$corpus" "$crashes"
  prepare_seeds "$name"
  dict=$(make_dictionary "$name")
  before=$(count_files "$crashes")
  args=(-runs="$RUNS" -max_total_time="$MAX_TIME" -timeout=10 -print_final_stats=1
        -artifact_prefix="$crashes/")
  [ -n "$dict" ] && args+=(-dict="$dict")
  echo "== fuzz_$name (log: $log)"
  start=$(date +%s)
  rc=0
  # shellcheck disable=SC2086  # FUZZ_FLAGS is a list of flags
  "$exe" "${args[@]}" ${FUZZ_FLAGS:-} "$corpus" "$CORPUS_ROOT/$name-seeds" > "$log" 2>&1 || rc=$?
  took=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
  units=$(count_files "$corpus")
  new_crashes=$(( $(count_files "$crashes") - before ))
  if [ "$rc" -ne 0 ]; then
    failed=1
    grep -E 'ERROR: |fuzz check failed|SUMMARY|Test unit written' "$log" | head -5 | sed 's/^/   /'
  fi
  line=$(printf '%-10s %12s execs %8s/s  cov %6s  ft %7s  corpus %6s  crashes %s  %ss  (exit %s)' \
         "$name" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$units" "$new_crashes" \
         "$took" "$rc")
  echo "   $line"
  summary+=("$line")
done

echo
echo "summary ($(nproc) cores, $(clang --version | head -1)):"
printf '  %s\n' "${summary[@]}"
exit $failed
