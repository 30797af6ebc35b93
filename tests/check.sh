#!/bin/bash
# tests/check.sh [UNIT_BINARY...] — run the whole test suite.
#
# The tests are:
#   - every unit-test binary given on the command line (cmocka; `make check`
#     passes $(UNIT_BINS)), named unit/<binary>;
#   - every executable tests/{boot,diff,fuzz}/*.t script, named
#     <dir>/<script without .t>.
# A test is a command: exit 0 = pass, 77 = skip, anything else = fail.
# Each test gets RMT_BUILD (the build directory, default "build") in its
# environment and runs with the repository root as its working directory.
#
# Output: one line per test, "PASS name", "SKIP name" or "FAIL name" (a
# failing test's last lines of output follow, indented), then the summary
# line "N passed, N failed, N skipped" alone on a line.
# Exit status: 1 if any test failed, else 0.
#
# Environment: RMT_BUILD; RMT_TEST_TIMEOUT (seconds per test, default 900:
# a hung test fails instead of hanging the suite); RMT_TAIL (lines of output
# shown for a failing test, default 30).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export RMT_BUILD=${RMT_BUILD:-build}
per_test_timeout=${RMT_TEST_TIMEOUT:-900}
tail_lines=${RMT_TAIL:-30}

names=()
cmds=()
for bin in "$@"; do
	[ -x "$bin" ] || { echo "check: unit binary not found or not executable: $bin" >&2; exit 2; }
	names+=("unit/$(basename "$bin")")
	cmds+=("$bin")
done
for t in tests/boot/*.t tests/diff/*.t tests/fuzz/*.t; do
	[ -e "$t" ] || continue                 # no .t files: the glob stays literal
	[ -x "$t" ] || { echo "check: warning: $t is not executable, not run" >&2; continue; }
	n=$(basename "$t" .t)
	d=$(basename "$(dirname "$t")")
	names+=("$d/$n")
	cmds+=("$t")
done

log=$(mktemp "${TMPDIR:-/tmp}/rmt-check.XXXXXX")
trap 'rm -f "$log"' EXIT

passed=0 failed=0 skipped=0
for i in "${!cmds[@]}"; do
	name=${names[$i]}
	set +e
	# timeout -k: a test that ignores SIGTERM is killed 10 s later.
	timeout -k 10 "$per_test_timeout" "${cmds[$i]}" > "$log" 2>&1 < /dev/null
	rc=$?
	set -e
	case $rc in
	0)  echo "PASS $name"; passed=$((passed + 1)) ;;
	77) echo "SKIP $name"; skipped=$((skipped + 1))
	    # Say why, if the test said so (its last line).
	    [ -s "$log" ] && tail -n 1 "$log" | sed 's/^/    /' ;;
	*)  echo "FAIL $name"; failed=$((failed + 1))
	    case $rc in
	    124|137) echo "    (timed out after ${per_test_timeout}s)" ;;
	    *)       echo "    (exit status $rc)" ;;
	    esac
	    tail -n "$tail_lines" "$log" | sed 's/^/    /' ;;
	esac
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
