#!/bin/sh
# The interpreter against unicorn (QEMU's CPU as a library), the make-check
# size: DIFF_QUICK_N seeded random instructions in 16- and 32-bit code
# segments (tests/diff/interp_vs_unicorn.c); registers, defined flags and
# touched memory compared after every one.  `make diff-unicorn` is the full
# run (1,000,000).  Passes only on "mismatches=0".
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=$(make --no-print-directory diff-unicorn-quick 2>&1) || { printf '%s\n' "$out" | tail -20; exit 1; }
line=$(printf '%s\n' "$out" | grep '^interp-vs-unicorn: ' | tail -1)
echo "$line"
case $line in
*" mismatches=0 "*) exit 0 ;;
*) printf '%s\n' "$out" | tail -20; exit 1 ;;
esac
