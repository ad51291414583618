#!/usr/bin/env bash
# Side-by-side: edigate validate vs node-x12's streaming parser (npm "node-x12") on generated
# 100 MB 945 and 856 files, then edigate alone on a 1 GB file. Prints MB/s (MB = 2^20 bytes,
# wall clock, file in the page cache) and peak RSS (/usr/bin/time %M) of each run.
#
# usage: bench/compare_node_x12.sh [BUILD_DIR]     (default: build/, RelWithDebInfo or Release)
#   env: BIG_TYPE=945|856 (the 1 GB file, default 856), SKIP_BIG=1, TMPDIR for the files
#        (needs ~1.3 GB free).
# node-x12 is installed with npm into a temporary folder; nothing is left behind.
# Mapping (edigate map vs node-x12's X12TransactionMap on 945s): bench/compare_node_x12_map.sh.
#
# The driver uses X12Parser(false, 'utf8', options) with the delimiters given: node-x12 1.7.1
# only sets its "ISA parsed" flag outside streaming mode, so a strict streaming parser
# (new X12Parser(true)) rejects every chunk after the first ("ISA segment is not the correct
# length") and a non-strict one without options re-detects the delimiters from each chunk.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
big_type=${BIG_TYPE:-856}

# shellcheck source=bench/node_x12_setup.sh
source "$root/bench/node_x12_setup.sh"
cat > "$tmp/drive.js" <<'JS'
// Streams a file through node-x12's X12Parser and counts the segments it emits.
const fs = require('fs');
const { X12Parser } = require(process.argv[3] + '/node_modules/node-x12');
const parser = new X12Parser(false, 'utf8', {
  segmentTerminator: '~', elementDelimiter: '*', subElementDelimiter: '>', endOfLine: '\n', format: true,
});
let segments = 0;
fs.createReadStream(process.argv[2])
  .pipe(parser)
  .on('data', () => { segments += 1; })
  .on('error', (e) => { console.error('node-x12: ' + e.message); process.exit(1); })
  .on('end', () => { console.error('node-x12: ' + segments + ' segments'); });
JS

# run LABEL FILE CMD...: prints "LABEL  size  MB/s  peak RSS".
run() {
  local label=$1 file=$2
  shift 2
  local bytes
  bytes=$(stat -c %s "$file")
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" || {
    echo "$label: FAILED" >&2; tail -5 "$tmp/out" "$tmp/err" >&2; exit 1; }
  read -r secs rss_kb <"$tmp/time"
  awk -v l="$label" -v b="$bytes" -v s="$secs" -v r="$rss_kb" \
    'BEGIN { printf "%-34s %7.0f MB  %8.1f MB/s  peak RSS %6.1f MB\n", l, b / 1048576, b / 1048576 / (s > 0 ? s : 0.001), r / 1024 }'
}

echo "edigate $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), node-x12 $node_version, node $(node --version), $(nproc) cores"
for type in 945 856; do
  "$build/bench/generate_x12" --type "$type" --megabytes 100 --out "$tmp/$type.x12" --seed 1
  cat "$tmp/$type.x12" >/dev/null  # into the page cache for both
  run "edigate validate   $type 100 MB" "$tmp/$type.x12" "$build/gateway/edigate" validate "$tmp/$type.x12"
  run "node-x12 X12Parser $type 100 MB" "$tmp/$type.x12" node "$tmp/drive.js" "$tmp/$type.x12" "$tmp"
  rm -f "$tmp/$type.x12"
done
if [[ -z ${SKIP_BIG:-} ]]; then
  "$build/bench/generate_x12" --type "$big_type" --megabytes 1024 --out "$tmp/big.x12" --seed 1
  cat "$tmp/big.x12" >/dev/null
  run "edigate validate   $big_type 1 GB" "$tmp/big.x12" "$build/gateway/edigate" validate "$tmp/big.x12"
fi
