# tests/lib/common.sh — shared helpers for the test scripts (sourced, bash).
#
#   die MSG...            print "<script>: MSG" on stderr and exit 1
#   need_tool TOOL...     die naming the Debian package hint if a tool is missing
#   make_workdir NAME     create a scratch directory, removed on exit unless
#                         RMT_KEEP=1 (then its path is printed), in $WORK
#   now_ns                monotonic-enough wall clock in nanoseconds
#   seconds_since NS      elapsed seconds since NS, as "1.23"
#   host_counters_fallback OUT
#                         the stack runners: if OUT/counters.txt (the blob's
#                         counters read out of the machine) is empty, take the
#                         line the host printed when it ended the run itself
#                         (the guest powered off through ACPI); no line, no file

RMT_SCRIPT=${RMT_SCRIPT:-$(basename "$0")}

die() {
	echo "$RMT_SCRIPT: $*" >&2
	exit 1
}

need_tool() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 ||
			die "'$t' not found; run scripts/install-deps.sh"
	done
}

make_workdir() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/rmt-$1.XXXXXX") ||
		die "cannot create a scratch directory in ${TMPDIR:-/tmp}"
	if [ "${RMT_KEEP:-0}" = 1 ]; then
		echo "$RMT_SCRIPT: keeping scratch directory $WORK" >&2
	else
		trap 'rm -rf "$WORK"' EXIT
	fi
}

now_ns() {
	date +%s%N
}

seconds_since() {
	local d=$(( $(now_ns) - $1 ))
	printf '%d.%02d' $(( d / 1000000000 )) $(( d % 1000000000 / 10000000 ))
}

host_counters_fallback() {
	[ -s "$1/counters.txt" ] ||
		sed -n 's/^host: \(blob vcpu0 counters:.*\)/\1/p' "$1/console.txt" | tail -n 1 > "$1/counters.txt"
	[ -s "$1/counters.txt" ] || rm -f "$1/counters.txt"
}
