#!/bin/sh
# tests/bench/kill.sh [SIZE] [KILLS]: kill -9 a crm import at random
# moments, and prove that nothing is ever half imported (`make bench-kill`;
# too long for `make test`, which runs a small one: tests/506-*.bats).
#
# The bench file of SIZE rows (default 1,000,000, generated as make bench
# does) is imported once without interruption: the reference. Then KILLS
# times (default 20): a fresh database, the import killed with SIGKILL at
# a random moment of an uninterrupted one's time (reading, the final move,
# anywhere), `crm check` (must be clean), the database's indexes (all of
# them must be there), `crm import ... --resume` to the end, and the
# database compared with the reference (tests/bench/dbsum.sh: every
# table's rows, columns and indexes, the audit log and the runs aside).
# One JSON line per kill goes to bench/kill.jsonl (make bench-check reads
# it); exits 1 if any kill left a difference.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
SIZE=${1:-1000000}
KILLS=${2:-20}
SEED=${BENCH_SEED:-42}
CRM=${CRM_BIN:-$ROOT/crm}
B=$ROOT/bench
D=$B/data/leads-$SIZE-seed$SEED
W=$B/work/kill
OUT=$B/kill.jsonl
mkdir -p "$D" "$W" "$B/bin" || exit 2
[ -x "$CRM" ] || { echo "kill: no crm binary at $CRM (run make first)" >&2; exit 2; }
if [ ! -x "$B/bin/gen" ] || [ tests/bench/gen.c -nt "$B/bin/gen" ]; then
	${CC:-cc} -O2 -std=c11 -Wall -Wextra -Werror -o "$B/bin/gen" tests/bench/gen.c || exit 2
fi
CSV=$D/leads.csv
if [ ! -f "$CSV" ]; then
	"$B/bin/gen" --rows "$SIZE" --seed "$SEED" --bom --crlf -o "$CSV" || exit 2
fi

export HOME="$W/home" XDG_CONFIG_HOME="$W/home/.config" XDG_DATA_HOME="$W/home/.local/share"
export CRM_USER=bench CRM_NO_HOOKS=1 TZ=Asia/Shanghai NO_COLOR=1
export CRM_NOW=2026-11-01T09:00:00+08:00 LC_ALL=C.UTF-8
unset CRM_DB COLUMNS
mkdir -p "$HOME"
note() { echo "kill: $*" >&2; }
now() { date +%s.%N; }

rm -f "$W"/*.db* "$OUT.tmp"
"$CRM" -q --db "$W/empty.db" init > /dev/null || exit 2
cp "$W/empty.db" "$W/ref.db"
t0=$(now)
"$CRM" -q --db "$W/ref.db" import leads "$CSV" > /dev/null 2> "$W/ref.err" || { note "the reference import failed"; cat "$W/ref.err" >&2; exit 2; }
tref=$(echo "$t0 $(now)" | awk '{ printf "%.3f", $2 - $1 }')
sh tests/bench/dbsum.sh "$W/ref.db" > "$W/ref.sum"
indexes=$(sqlite3 "$W/empty.db" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)")
note "reference: $SIZE rows imported in ${tref}s; $KILLS kills at random moments of it"

bad=0
i=1
while [ "$i" -le "$KILLS" ]; do
	db=$W/k.db
	rm -f "$db" "$db-wal" "$db-shm"
	cp "$W/empty.db" "$db"
	# a random moment of the import, from its start to its last commit
	at=$(awk -v s="$SEED$i" -v t="$tref" 'BEGIN { srand(s); printf "%.3f", 0.05 + rand() * t }')
	"$CRM" -q --db "$db" import leads "$CSV" > /dev/null 2>&1 &
	pid=$!
	sleep "$at"
	killed=false
	kill -9 "$pid" 2>/dev/null && killed=true
	wait "$pid" 2>/dev/null
	staged=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name LIKE 'bulk_%'" 2>/dev/null)
	leads=$(sqlite3 "$db" "SELECT count(*) FROM lead" 2>/dev/null)
	check=$("$CRM" --db "$db" check --json 2>&1)
	crc=$?
	check_ok=false
	[ "$crc" = 0 ] && ! printf '%s\n' "$check" | grep -v '"result":"ok"' | grep -q . && check_ok=true
	have=$(sqlite3 "$db" "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name NOT LIKE 'bulk_%' ORDER BY name)")
	idx_ok=false
	[ "$have" = "$indexes" ] && idx_ok=true
	t1=$(now)
	"$CRM" -q --db "$db" import leads "$CSV" --resume > /dev/null 2> "$W/resume.err"
	rrc=$?
	tres=$(echo "$t1 $(now)" | awk '{ printf "%.3f", $2 - $1 }')
	same=false
	sh tests/bench/dbsum.sh "$db" | cmp -s - "$W/ref.sum" && same=true
	ok=false
	[ "$check_ok" = true ] && [ "$idx_ok" = true ] && [ "$rrc" = 0 ] && [ "$same" = true ] && ok=true
	[ "$ok" = true ] || bad=$((bad + 1))
	printf '{"kill":%d,"at_s":%s,"killed":%s,"leads_after_kill":%s,"staging_left":%s,"check_ok":%s,"indexes_ok":%s,"resume_exit":%d,"resume_s":%s,"same_as_uninterrupted":%s,"ok":%s}\n' \
		"$i" "$at" "$killed" "${leads:-0}" "${staged:-0}" "$check_ok" "$idx_ok" "$rrc" "$tres" "$same" "$ok" >> "$OUT.tmp"
	note "kill $i at ${at}s: $leads leads after the kill, check $check_ok, indexes $idx_ok, resume exit $rrc (${tres}s), same $same"
	[ "$ok" = true ] || { cp "$db" "$W/failed-$i.db"; cat "$W/resume.err" >&2; }
	i=$((i + 1))
done
mv "$OUT.tmp" "$OUT"
rm -f "$W/k.db" "$W/k.db-wal" "$W/k.db-shm"
note "$((KILLS - bad)) of $KILLS ended as the uninterrupted import; results in $OUT"
[ "$bad" = 0 ]
