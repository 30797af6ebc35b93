#!/bin/sh
# Bochs' stdout -> what the machine wrote to port 0xE9 (port_e9_hack).
#
# Bochs 2.7's term display draws on a pseudo-terminal of its own, not on
# stdout (TERM=dumb keeps it from stalling), so stdout holds the banner,
# debugger lines and the port-0xE9 bytes.  This keeps the latter:
#  1. drop everything up to and including the first debugger disassembly line
#     ("(0) [0x0000fffffff0] f000:fff0 (unk. ctxt): jmp ..."): the banner and
#     start-up lines come before the first instruction runs;
#  2. drop later debugger lines: disassembly ("(0).[123] [0x...] ..." or
#     "(0) [0x...] ..."), "Next at t=...", "(0) Magic breakpoint"; a
#     disassembly line glued to an unfinished line (the machine stopped
#     mid-line) is cut off and the machine's part kept;
#     and what the debugger's `xp` prints (the stack runners read the
#     blob's counters with it at a marker): "[bochs]:" and
#     "0x000000000f211000 <bogus+       0>:\t0x58435452\t...";
#  3. drop terminal escape sequences and carriage returns, in case a future
#     Bochs draws on stdout again.
# RMT_UNBUFFERED=1: line-buffered, for showing a run as it happens.
u=
[ "${RMT_UNBUFFERED:-0}" = 1 ] && u=-u
exec sed $u -E \
	-e '1,/^\([0-9]+\) \[0x[0-9a-f]+\] /d' \
	-e '/^\([0-9]+\)\.?\[[0-9]+\] \[0x[0-9a-f]+\] /d' \
	-e '/^\([0-9]+\) \[0x[0-9a-f]+\] /d' \
	-e 's/\([0-9]+\)\.?\[[0-9]+\] \[0x[0-9a-f]+\] [0-9a-f]+:[0-9a-f]+ .*$//' \
	-e '/^Next at t=[0-9]+$/d' \
	-e '/^\([0-9]+\) Magic breakpoint$/d' \
	-e '/^\[bochs\]:$/d' -e '/^0x[0-9a-f]{16} <[^>]*>:/d' \
	-e '/^(=+|Bochs is exiting with the following message:|\[UNMAP \] Shutdown port: shutdown requested)$/d' \
	-e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[()][0-9A-Za-z]//g' -e 's/\r//g' \
	"$@"
