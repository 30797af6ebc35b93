#!/bin/sh
# compared-lines.sh PREFIX FILE — the lines of a test guest that a golden
# file pins down: the guest's lines ("PREFIX: ...", as guest-lines.sh) minus
# the ones whose values legitimately differ between BIOSes, emulators and
# runs, which such a guest prints with a prefix of their own
# (testimages/biosdisk/biosdisk.asm):
#   "PREFIX: info: ..."   sizes, geometry, tick counts, what the BIOS offers
#   "PREFIX: e820: ..."   the BIOS's memory map, one entry a line
# Exit status: 0 (even if no line is left), 2 on bad usage.
set -eu
if [ $# -ne 2 ]; then
	echo "usage: $0 PREFIX FILE" >&2
	exit 2
fi
"$(dirname "$0")/guest-lines.sh" "$1" "$2" |
	awk -v i="$1: info: " -v e="$1: e820: " 'index($0, i) != 1 && index($0, e) != 1'
