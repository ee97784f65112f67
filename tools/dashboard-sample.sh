#!/bin/sh
# tools/dashboard-sample.sh: share/samples/dashboard.png, the picture the
# README shows: the page `make demo` writes (the demo's data, its pinned
# today), drawn by headless Chromium (make deps installs it) at 1360x900.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
[ -x ./crm ] || { echo "dashboard-sample: build crm first (make)" >&2; exit 2; }
command -v chromium > /dev/null || { echo "dashboard-sample: chromium is missing (make deps)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/crm-sample.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && sh "$root/share/demo.sh" "$root/crm" > demo.out 2>&1)
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$tmp/profile" --hide-scrollbars \
	--window-size=1360,900 --screenshot="$root/share/samples/dashboard.png" "file://$tmp/dashboard.html" 2> /dev/null
echo "share/samples/dashboard.png"
