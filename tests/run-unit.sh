#!/bin/sh
# Runs each cmocka unit-test binary given on the command line and prints one
# line per binary.  Exit status: 0 if every binary passed.
status=0
for t in "$@"; do
	if out=$("$t" 2>&1); then
		n=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
		echo "unit: PASS $(basename "$t") (${n:-?} cases)"
	else
		printf '%s\n' "$out" | grep -E '^\[  (FAILED|  ERROR) ' | head -20
		printf '%s\n' "$out" | tail -15
		echo "unit: FAIL $(basename "$t")"
		status=1
	fi
done
exit $status
