#!/bin/sh
# guest-lines.sh PREFIX FILE — print the lines a test guest printed: those
# that start with "PREFIX: " (testimages/lib/e9.inc: every guest line does).
# Carriage returns are dropped (a pty may have turned "\n" into "\r\n").
# Exit status: 0 (even if there are no such lines), 2 on bad usage.
set -eu
if [ $# -ne 2 ]; then
	echo "usage: $0 PREFIX FILE" >&2
	exit 2
fi
if [ ! -r "$2" ]; then
	echo "guest-lines: cannot read $2" >&2
	exit 2
fi
# index() == 1 compares the prefix literally (no regex surprises).
tr -d '\r' < "$2" | awk -v p="$1: " 'index($0, p) == 1'
