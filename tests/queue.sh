# queue.sh: the suites as one queue that a worker per core takes from, the
# slowest first, so that no core idles while the other has a long part
# left. Sourced by tests/run and tests/run-server.
#
# queue_make DIR FILE...   writes the queue DIR/queue, in the order of
#                          tests/slow (the slowest suites, one per line),
#                          then the others as given
# queue_work DIR NAME CMD  runs CMD FILE for each suite it takes, its TAP
#                          into DIR/NAME.tap, each suite's seconds into
#                          DIR/NAME.times

queue_make() {
	_dir=$1
	shift
	: >"$_dir/queue"
	for _s in $(grep -v '^#' tests/slow 2>/dev/null); do
		for _f in "$@"; do
			[ "$_f" = "tests/$_s.bats" ] && echo "$_f" >>"$_dir/queue"
		done
	done
	for _f in "$@"; do
		grep -qxF "$_f" "$_dir/queue" || echo "$_f" >>"$_dir/queue"
	done
	: >"$_dir/queue.lock"
}

# the first suite of DIR/queue, taken off it; nothing once it is empty
queue_pop() {
	flock "$1/queue.lock" sh -c 'head -n 1 "$1/queue"; sed -i 1d "$1/queue"' _ "$1"
}

queue_work() {
	_qd=$1
	_name=$2
	shift 2
	: >"$_qd/$_name.tap"
	while :; do
		_f=$(queue_pop "$_qd")
		[ -n "$_f" ] || break
		_t0=$(date +%s)
		"$@" "$_f" >>"$_qd/$_name.tap" 2>&1
		echo "$(($(date +%s) - _t0)) $_f" >>"$_qd/$_name.times"
	done
}
