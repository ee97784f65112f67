#!/bin/sh
# tests/bench/dbsum.sh DB [SKIP...]: a canonical dump of a crm database,
# to compare two of them (an import undone with the database before it,
# a killed and resumed import with an uninterrupted one): every table's
# columns and rows (sorted), every index's name, table and columns,
# sorted (SQLite writes a rebuilt index's CREATE at the end of its schema
# and a renamed table's name quoted: neither is a difference). The tables
# named after DB are left out (default: the audit log and the import runs,
# which an undo adds to).
set -u
db=$1
shift
skip=${*:-audit import_run}
in_skip() { for s in $skip; do [ "$s" = "$1" ] && return 0; done; return 1; }
tables=$(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
	AND name NOT LIKE 'search_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name") || exit 2
for t in $tables; do
	in_skip "$t" && continue
	echo "== table $t"
	sqlite3 "$db" "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo('$t') ORDER BY cid"
	sqlite3 "$db" "SELECT * FROM \"$t\"" | LC_ALL=C sort
done
echo "== indexes"
sqlite3 "$db" "SELECT m.name, m.tbl_name, group_concat(x.name, ','), coalesce(substr(m.sql, instr(m.sql, ' WHERE ')), '')
	FROM sqlite_master AS m, pragma_index_xinfo(m.name) AS x WHERE m.type = 'index' AND m.sql IS NOT NULL
	AND x.key GROUP BY m.name ORDER BY m.name"
echo "== search"
sqlite3 "$db" "SELECT count(*) FROM search; SELECT count(*) FROM search_dirty"
