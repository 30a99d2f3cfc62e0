# Shared by the bench scripts (sourced): finding the program to measure and taking medians.

# The bangtin to measure: $1 if given (--bangtin or $BANGTIN), else the Release build's, else the
# default build's. Prints it, or says why not and returns 2. $2 names the script in messages.
bench_find_bangtin() {
  local given=$1 name=$2 root b
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if [ -z "$given" ]; then
    for b in "$root/build-bench/bin/bangtin" "$root/build/bin/bangtin"; do
      [ -x "$b" ] && { given=$b; break; }
    done
  fi
  [ -x "${given:-}" ] || { echo "$name: không thấy bangtin (--bangtin PATH)" >&2; return 2; }
  echo "$given"
}

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
now() { date +%s.%N; }
