#!/usr/bin/env bash
# Side-by-side mapping: `edigate map` vs node-x12's transaction-set mapper (npm "node-x12",
# X12TransactionMap) on the same generated 945 files. Both write one JSON object per
# transaction set to /dev/null. Prints seconds, MB/s (MB = 2^20 bytes, wall clock, file in
# the page cache) and peak RSS (/usr/bin/time %M) of each run, and the edigate/node ratio
# on each file where both completed.
#
# usage: bench/compare_node_x12_map.sh [BUILD_DIR]   (default: build/, RelWithDebInfo or Release)
#   env: MEGABYTES (the big file, default 100), SMALL_MEGABYTES (default 10), TMPDIR for the
#        files (~110 MB). The out-of-memory run takes about a minute and ~4.3 GB of RAM.
# node-x12 is installed with npm (own cache) into a temporary folder; nothing is left behind.
#
# Runs, all on `generate_x12 --type 945 --seed 1` files:
#   edigate map --config config.example.yaml --partner example-3pl FILE   (from the repo root;
#     the generated senders are not the profile's, so map warns on stderr once per sender)
#   node-x12 parse()+map: the documented whole-document route, new X12Parser(true).parse() of
#     the file read as one string, then X12TransactionMap.toObject() per X12Transaction; with
#     node's default heap (NODE_OPTIONS unset). Expected to run out of memory on 100 MB: that
#     is reported as "failed: out of memory (default heap)" and the script goes on.
#   node-x12 stream+map: X12Parser as a Transform stream emitting segments; each ST..SE run
#     is put into an X12Transaction and mapped the same way, then dropped. Works around two
#     1.7.1 stream bugs (delimiters passed, see compare_node_x12.sh; and a stale partial
#     segment glued on when a chunk ends on '~', which garbles a set: no chunk may end on '~').
# The node map gives order_id W06-02, shipment_id W06-04, ship_date W06-03 (as sent, CCYYMMDD),
# carrier.scac W27-02 and lines[] (one per W12: sku W12-08 with W12-07=SK, quantity_ordered
# W12-02, quantity_shipped W12-03, uom W12-05, status_code W12-01). edigate maps those and the
# rest of mappings/x12-004010/945.yaml (addresses, packages, code-table lookups, typed dates
# and decimals) inside a CloudEvents envelope, so it does more work per set than node does.
# The script checks that each node run mapped as many sets as the file has ST segments.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
big_mb=${MEGABYTES:-100}
small_mb=${SMALL_MEGABYTES:-10}

# shellcheck source=bench/node_x12_setup.sh
source "$root/bench/node_x12_setup.sh"
cat > "$tmp/map.js" <<'JS'
// node map.js whole|stream FILE DIR: maps every 945 transaction set of FILE with node-x12's
// X12TransactionMap (node-x12 installed in DIR/node_modules); one JSON object per line to stdout.
const fs = require('fs');
const { Transform } = require('stream');
const [mode, file, dir] = process.argv.slice(2);
const { X12Parser, X12Transaction, X12TransactionMap } = require(dir + '/node_modules/node-x12');
const each = (query) => 'FOREACH(W12)=>' + query;  // one value per W12, in order
const map = {
  order_id: 'W0602',
  shipment_id: 'W0604',
  ship_date: 'W0603',
  carrier: { scac: 'W2702' },
  lines: {
    sku: each('W1208:W1207["SK"]'),
    quantity_ordered: each('W1202'),
    quantity_shipped: each('W1203'),
    uom: each('W1205'),
    status_code: each('W1201'),
  },
};
const mapper = new X12TransactionMap(map);
let sets = 0;
let out = '';
function emit(transaction) {
  mapper.setTransaction(transaction);
  const object = mapper.toObject();
  // toObject gives an array for a FOREACH map only when it matched; keep lines an array.
  if (!Array.isArray(object.lines)) object.lines = object.lines.sku === null ? [] : [object.lines];
  out += JSON.stringify(object) + '\n';
  if (out.length > 1 << 20) { fs.writeSync(1, out); out = ''; }
  sets += 1;
}
function done() {
  fs.writeSync(1, out);
  console.error('node-x12: ' + sets + ' transaction sets mapped');
  fs.writeSync(3, String(sets));  // fd 3: the script's check against the ST count
}
if (mode === 'whole') {
  // parse() gives an X12Interchange, or an X12FatInterchange when the file holds several ISAs.
  const parsed = new X12Parser(true).parse(fs.readFileSync(file, 'utf8'));
  for (const interchange of parsed.interchanges || [parsed]) {
    for (const group of interchange.functionalGroups) group.transactions.forEach(emit);
  }
  done();
} else {
  // Delimiters given, not strict: see bench/compare_node_x12.sh. node-x12 1.7.1 also keeps a
  // stale partial segment when a chunk ends exactly on the segment terminator and glues it
  // to the next chunk, so no chunk is let end on '~' (that '~' goes with the next chunk).
  const options = {
    segmentTerminator: '~', elementDelimiter: '*', subElementDelimiter: '>', endOfLine: '\n', format: true,
  };
  const parser = new X12Parser(false, 'utf8', options);
  const tilde = Buffer.from('~');
  let carry = false;
  const chunks = new Transform({
    transform(chunk, encoding, callback) {
      if (carry) chunk = Buffer.concat([tilde, chunk]);
      carry = chunk[chunk.length - 1] === tilde[0];
      callback(null, carry ? chunk.subarray(0, -1) : chunk);
    },
    flush(callback) { callback(null, carry ? tilde : null); },
  });
  let transaction = null;
  fs.createReadStream(file)
    .pipe(chunks)
    .pipe(parser)
    .on('data', (segment) => {
      if (segment.tag === 'ST') {
        transaction = new X12Transaction(options);
        transaction.header = segment;
      } else if (segment.tag === 'SE') {
        transaction.trailer = segment;
        emit(transaction);
        transaction = null;
      } else if (transaction !== null) {
        transaction.segments.push(segment);
      }
    })
    .on('error', (e) => { console.error('node-x12: ' + e.message); process.exit(1); })
    .on('end', done);
}
JS

rows=()       # table rows: tool|file|seconds|MB/s|peak RSS
declare -A secs_of  # "tool@MB" -> seconds, for the ratios

# run TOOL FILE MB CMD...: runs CMD (stdout to /dev/null) under /usr/bin/time and adds a row.
# A node run that dies of "heap out of memory" is a row, not an error; other failures stop.
run() {
  local tool=$1 file=$2 mb=$3
  shift 3
  local bytes rc=0 secs rss_kb
  bytes=$(stat -c %s "$file")
  : >"$tmp/sets"
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" 3>"$tmp/sets" || rc=$?
  read -r secs rss_kb < <(tail -n 1 "$tmp/time")
  local rss
  rss=$(awk -v r="$rss_kb" 'BEGIN { printf "%.1f MB", r / 1024 }')
  if ((rc != 0)); then
    if grep -q 'heap out of memory' "$tmp/err"; then
      rows+=("$tool|$mb MB|$secs|failed: out of memory (default heap)|$rss")
      return
    fi
    echo "$tool on $mb MB: FAILED (exit $rc)" >&2
    tail -5 "$tmp/err" >&2
    exit 1
  fi
  if [[ -s $tmp/sets && $(cat "$tmp/sets") != "$(grep -c '^ST\*' "$file")" ]]; then
    echo "$tool on $mb MB: mapped $(cat "$tmp/sets") sets, the file has $(grep -c '^ST\*' "$file")" >&2
    exit 1
  fi
  secs_of["$tool@$mb"]=$secs
  rows+=("$tool|$mb MB|$secs|$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / 1048576 / (s > 0 ? s : 0.01) }')|$rss")
}

# ratio A B MB: "edigate/node-x12 ... on MB MB: N x" when both completed on that file.
ratio() {
  local a=${secs_of["$1@$3"]:-} b=${secs_of["$2@$3"]:-}
  [[ -n $a && -n $b ]] || return 0
  awk -v a="$a" -v b="$b" -v l="$1 / $2, $3 MB 945" \
    'BEGIN { printf "ratio %-50s %6.1fx (MB/s over MB/s, same file)\n", l ":", b / (a > 0 ? a : 0.01) }'
}

edigate=(env -C "$root" "$build/gateway/edigate" map --config config.example.yaml --partner example-3pl)
node_default=(env -u NODE_OPTIONS node "$tmp/map.js")

for mb in "$big_mb" "$small_mb"; do
  file=$tmp/945-$mb.x12
  "$build/bench/generate_x12" --type 945 --megabytes "$mb" --out "$file" --seed 1
  cat "$file" >/dev/null  # into the page cache for all runs
  run "edigate map" "$file" "$mb" "${edigate[@]}" "$file"
  run "node-x12 parse()+map" "$file" "$mb" "${node_default[@]}" whole "$file" "$tmp"
  run "node-x12 stream+map" "$file" "$mb" "${node_default[@]}" stream "$file" "$tmp"
  rm -f "$file"
done

echo "edigate $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), node-x12 $node_version, node $(node --version), $(nproc) cores"
printf '%-22s %8s %9s  %-36s %10s\n' tool file seconds MB/s "peak RSS"
for row in "${rows[@]}"; do
  IFS='|' read -r tool size secs rate rss <<<"$row"
  printf '%-22s %8s %9s  %-36s %10s\n' "$tool" "$size" "$secs" "$rate" "$rss"
done
for mb in "$big_mb" "$small_mb"; do
  ratio "edigate map" "node-x12 parse()+map" "$mb"
  ratio "edigate map" "node-x12 stream+map" "$mb"
done
