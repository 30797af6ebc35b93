#!/bin/sh
# vga-text.sh FILE: a dump of the VGA text screen (80x25 at 0xB8000, 4000
# bytes, e.g. QEMU's `pmemsave 0xb8000 4000 FILE`) as text on stdout: even
# bytes are characters, odd bytes attributes, 80 cells a row; non-printable
# characters become spaces, trailing spaces and empty rows are dropped.
# Used by run-native-qemu.sh and run-stack-qemu.sh for payloads that only
# draw on the screen (memtest86+'s ISO, iPXE).
set -eu
[ $# -eq 1 ] || { echo "usage: $0 VGA_DUMP" >&2; exit 2; }
[ -s "$1" ] || exit 0
od -An -v -tu1 -w160 "$1" | awk '{
	s = ""
	for (i = 1; i <= NF; i += 2)
		s = s sprintf("%c", ($i >= 32 && $i < 127) ? $i : 32)
	sub(/ +$/, "", s)
	if (s != "") print s
}'
