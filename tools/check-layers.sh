#!/bin/sh
# tools/check-layers.sh [LIBDIR]: keep lib/ layered (make test runs it).
#
# A module is a file without its extension (core/record.c and
# core/record.h are one module); module A uses module B when a file of A
# includes a header of B ("core/record.h", found under LIBDIR). It fails,
# naming the files, when
#   - a folder includes a header of a higher layer, or of another folder
#     of its own layer (features side by side do not know each other);
#   - modules include each other, directly or through a chain, at any
#     depth of folders;
#   - a folder is not in the layer table below.
# Files directly in LIBDIR (the list of modules) are the top.
set -u
lib=${1:-lib}
[ -d "$lib" ] || { echo "check-layers: no folder $lib" >&2; exit 2; }

# The layers, lowest first: a folder may include its own headers and those
# of lower layers. Keep lib/README.md's picture the same.
layer_of() {
	case $1 in
	base) echo 0 ;;          # values: memory, strings, text, dates, money, phones
	io) echo 1 ;;            # formats and streams: CSV, xlsx, JSON lines, the writer
	core) echo 2 ;;          # context, db, config, audit, hooks, types, records, queries
	team | data) echo 3 ;;   # users and visibility | import, export, fields, tags, history, merge
	sales) echo 4 ;;         # leads to deals: pipelines, approvals, scoring, rules, reports
	cash) echo 5 ;;          # quotes to payments
	service) echo 6 ;;       # tickets, surveys, renewals, health
	insight) echo 7 ;;       # dashboard, weekly report, KPIs
	server) echo 8 ;;        # the team server: PostgreSQL schema, roles, policies, migrate
	.) echo 9 ;;             # lib/*.c: the list of modules
	*) echo "" ;;
	esac
}

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

# Every include of ours as "from-file to-header" lines.
find "$lib" -type f \( -name '*.c' -o -name '*.h' \) | sort | while read -r f; do
	rel=${f#"$lib"/}
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
		while read -r inc; do
			if [ -f "$lib/$inc" ]; then
				echo "$rel $inc"
			elif [ -f "$(dirname "$f")/$inc" ]; then
				d=$(dirname "$rel")
				[ "$d" = . ] && echo "$rel $inc" || echo "$rel $d/$inc"
			fi
		done
done > "$tmp/includes"

folder() {
	case $1 in
	*/*) echo "${1%%/*}" ;;
	*) echo . ;;
	esac
}

# Folders must be known.
find "$lib" -type f \( -name '*.c' -o -name '*.h' \) | sed "s|^$lib/||" | while read -r rel; do
	d=$(folder "$rel")
	[ -n "$(layer_of "$d")" ] || echo "lib/$rel: folder $d is in no layer (add it to tools/check-layers.sh)"
done > "$tmp/unknown"
if [ -s "$tmp/unknown" ]; then
	cat "$tmp/unknown"
	fail=1
fi

# Includes that point up, or sideways into another folder.
while read -r from to; do
	df=$(folder "$from")
	dt=$(folder "$to")
	[ "$df" = "$dt" ] && continue
	lf=$(layer_of "$df")
	lt=$(layer_of "$dt")
	[ -n "$lf" ] && [ -n "$lt" ] || continue
	if [ "$lt" -gt "$lf" ]; then
		echo "lib/$from includes $to: $df (layer $lf) may not use $dt (layer $lt, above it)"
	elif [ "$lt" -eq "$lf" ]; then
		echo "lib/$from includes $to: $df and $dt are side by side (layer $lf); neither may use the other"
	fi
done < "$tmp/includes" > "$tmp/layers"
if [ -s "$tmp/layers" ]; then
	cat "$tmp/layers"
	fail=1
fi

# Cycles between modules, at any depth: tsort finds them.
while read -r from to; do
	a=${from%.*}
	b=${to%.*}
	[ "$a" = "$b" ] || echo "$a $b"
done < "$tmp/includes" | sort -u > "$tmp/edges"
# tsort names one loop at a time: take its members out and ask again.
while :; do
	tsort "$tmp/edges" > /dev/null 2> "$tmp/loop"
	grep -q 'loop' "$tmp/loop" || break
	members=$(sed -n 's/^tsort: \([^:]*\)$/\1/p' "$tmp/loop" | awk '!seen[$0]++')
	[ -n "$members" ] || break
	first=$(echo "$members" | head -n 1)
	echo "include cycle: $(printf '%s\n%s\n' "$members" "$first" | sed 's|^|lib/|; s|$|.*|' |
		awk 'NR > 1 { printf " -> " } { printf "%s", $0 } END { print "" }')"
	for m in $members; do
		awk -v m="$m" '$1 != m && $2 != m' "$tmp/edges" > "$tmp/edges.new"
		mv "$tmp/edges.new" "$tmp/edges"
	done
	fail=1
done

if [ "$fail" -ne 0 ]; then
	echo "check-layers: lib/ is not layered (see tools/check-layers.sh)" >&2
	exit 1
fi
echo "check-layers: $(wc -l < "$tmp/edges" | tr -d ' ') module includes, no cycle, none points up"
