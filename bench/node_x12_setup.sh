# Sourced by bench/compare_node_x12*.sh (after `set -euo pipefail` and `root=`, `build=`):
# checks GNU time, node and npm, builds generate_x12 and edigate, makes $tmp (removed on
# exit) and installs npm package node-x12 into it with its own npm cache, so nothing is left
# behind; sets $node_version.
if [[ ! -x /usr/bin/time ]]; then
  echo "installing GNU time (/usr/bin/time)" >&2
  apt-get install -y time >/dev/null
fi
command -v node >/dev/null && command -v npm >/dev/null || { echo "node and npm are needed" >&2; exit 2; }
ninja -C "$build" generate_x12 edigate >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm install --silent --no-audit --no-fund --cache "$tmp/npm-cache" node-x12 >/dev/null)
node_version=$(node -p "require('$tmp/node_modules/node-x12/package.json').version")
