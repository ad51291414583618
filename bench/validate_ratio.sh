#!/usr/bin/env bash
# Issue 2's goal, measured so that the machine's speed of the moment cancels out: `edigate
# validate` on generated 1 GB 945 and 856 files, each run alternated with the baseline the goal
# is stated against ("merely splitting the bytes": bench/split_file.cpp, memchr over segments
# and elements, reading the file the same way). Prints per file the median wall time, MB/s
# (MB = 10^6 bytes) and peak RSS of both, and the median of the per-pair ratios
# edigate/split (goal: at least 0.5, i.e. "about half the speed of merely splitting").
#
# usage: bench/validate_ratio.sh [BUILD_DIR]   (default: build/, RelWithDebInfo or Release)
#   env: RUNS (pairs per file, default 5), MEGABYTES (default 1024), TYPES (default "945 856"),
#        TMPDIR for the files (needs MEGABYTES of free space).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
runs=${RUNS:-5}
megabytes=${MEGABYTES:-1024}
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 2; }
ninja -C "$build" generate_x12 split_file edigate >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# timed FILE CMD...: appends "seconds rss_kb" of one run to FILE.
timed() {
  local out=$1
  shift
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || {
    echo "FAILED: $*" >&2; tail -5 "$tmp/err" >&2; exit 1; }
  cat "$tmp/t" >>"$out"
}

echo "edigate $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $runs alternating pairs per file"
for type in ${TYPES:-945 856}; do
  file=$tmp/$type.x12
  "$build/bench/generate_x12" --type "$type" --megabytes "$megabytes" --out "$file" --seed 1
  cat "$file" >/dev/null  # page cache warm for both
  : >"$tmp/edigate" && : >"$tmp/split"
  for ((i = 0; i < runs; i++)); do
    timed "$tmp/split" "$build/bench/split_file" "$file"
    timed "$tmp/edigate" "$build/gateway/edigate" validate "$file"
  done
  paste "$tmp/edigate" "$tmp/split" | awk -v b="$(stat -c %s "$file")" -v type="$type" '
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { n++; e[n] = $1; s[n] = $3; r[n] = $3 / $1; if ($2 > erss) erss = $2; if ($4 > srss) srss = $4 }
    END {
      me = median(e, n); ms = median(s, n); mr = median(r, n)
      printf "%s %5.0f MB  edigate validate %6.2f s %6.0f MB/s peak RSS %5.1f MB | split %6.2f s %6.0f MB/s | edigate/split %.2f (pairs: %s)\n",
        type, b / 1e6, me, b / 1e6 / me, erss / 1024, ms, b / 1e6 / ms, mr, runs_list()
    }
    function runs_list(   i, out) { for (i = 1; i <= n; i++) out = out (i > 1 ? " " : "") sprintf("%.2f", r[i]); return out }'
  rm -f "$file"
done
