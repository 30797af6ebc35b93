#!/bin/sh
# scripts/debug.sh HOST [DISK] — boot DISK through the whole stack and stop
# at a mode transition of the blob (by default the last one before the run
# failed: the failing transition), with the blob's and the host's symbols
# loaded:
#   HOST=bochs  Bochs' own debugger.  The blob executes a magic breakpoint
#               (xchg %bx,%bx, firmware/blob.h) at every handoff and
#               re-entry, right after its log line; the debugger run has
#               magic_break enabled and continues N-1 times, so it stops
#               at the N-th transition line of the console.  Bochs is
#               deterministic here (clock: sync=none), so the N-th stop of
#               the debugger run is the N-th transition of the first run.
#               Symbols: ldsym of nm-style files made from
#               build/blob/rmtramp.elf and build/host/host.elf.
#   HOST=qemu   gdb on QEMU's gdbstub (-gdb tcp::PORT -S: QEMU waits for
#               gdb before the first instruction).  Symbols: host.elf and
#               add-symbol-file rmtramp.elf (both linked where they run).
#               Breakpoints on the blob's `handoff` (firmware/run.c,
#               inlined: gdb finds it by its debug info) and
#               `blob_reentry_main` (firmware/main.c) count transitions and
#               stop at the N-th; one on the host's `host_stop` stops at
#               any failure the host reports.  QEMU TCG is not
#               deterministic (interrupts land at different instructions
#               from run to run, so a loader's round trips vary by a few):
#               the N-th transition of the gdb run is near, not always at,
#               the first run's; the host_stop breakpoint catches the
#               failure itself either way.
#
# DISK: a .iso (CD-ROM), floppy or hard-disk image as for tests/lib/
# run-disk.sh; default build/corpus/linux-isolinux.iso.  SCENARIO=name
# debugs a BIOS-less test guest (build/images/NAME.img) instead.
# TRANSITION=N stops at the N-th transition; without it a first, ordinary
# run counts the transitions ("rmtramp: vcpu0 handoff"/"reentry" lines) and
# N is their number.  BATCH=1 runs non-interactively: it prints the state at
# the stop (registers, the code, the guest-state record the blob hands the
# host), continues to the host's failure (Bochs: a breakpoint on host_stop;
# gdb: the host_stop breakpoint) and prints the state there, then quits —
# the recipe's self-check.  Interactive (default): you get the debugger's
# prompt at the stop.  Files in $RMT_BUILD/debug/HOST/ (first/ the first
# run, run/ the debugger run, the symbol and command files).
# Environment: RMT_BUILD (default build), RMT_DEBUG_TIMEOUT (seconds for
# each run, default 300; 3600 for an interactive QEMU session),
# RMT_GDB_PORT (default 1234).
set -eu
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 bochs|qemu [DISK]   (TRANSITION=N, BATCH=1, SCENARIO=name)" >&2
	exit 2
fi
host=$1
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
disk=${2:-$build/corpus/linux-isolinux.iso}
scenario=${SCENARIO:-}
n=${TRANSITION:-}
batch=${BATCH:-0}
limit=${RMT_DEBUG_TIMEOUT:-300}
port=${RMT_GDB_PORT:-1234}
out=$build/debug/$host
blob_elf=$build/blob/rmtramp.elf
host_elf=$build/host/host.elf
case $host in bochs|qemu) ;; *) echo "debug: HOST must be bochs or qemu, not '$host'" >&2; exit 2 ;; esac
for f in "$blob_elf" "$host_elf" "$build/tools/blob-counters"; do
	[ -r "$f" ] || { echo "debug: missing $f (run: make all)" >&2; exit 2; }
done
[ -n "$scenario" ] || [ -r "$disk" ] || { echo "debug: cannot read $disk" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
export RMT_BUILD=$build RMT_BOCHS_IGNORE_BAD_MSRS=1

# boot DIR: one boot through the stack, as make run does it.
boot() {
	if [ -n "$scenario" ]; then
		"$root/tests/lib/run-stack.sh" "$host" "$build/images/$scenario.img" "$1" "$limit"
	else
		"$root/tests/lib/run-disk.sh" "$host" "$disk" "$1" "$limit"
	fi
}
transitions() {
	grep -c -E '^rmtramp: vcpu0 (handoff|reentry)' "$1" || true
}

if [ -z "$n" ]; then
	echo "debug: a first run to count the transitions ($out/first) ..."
	boot "$out/first" > /dev/null 2>&1 || true
	n=$(transitions "$out/first/console.txt")
	[ "$n" -gt 0 ] || { echo "debug: the first run made no transition; see $out/first/console.txt" >&2; exit 1; }
	echo "debug: $n transitions; the last one:"
	grep -E '^rmtramp: vcpu0 (handoff|reentry)' "$out/first/console.txt" | tail -n 1 | cut -c1-200
	grep -E -m 2 '^host: guest .* refused|FATAL' "$out/first/console.txt" | sed 's/^/debug: then: /' || true
fi
case $n in ''|*[!0-9]*|0) echo "debug: TRANSITION must be a positive number, not '$n'" >&2; exit 2 ;; esac

ctx=$("$build/tools/blob-counters" where "$build/blob/rmtramp.bin")
ctx_addr=${ctx% *}
guest_rec=$(printf '0x%08x' $((ctx_addr + 16)))      # rmt_vcpu_context.guest (abi.h)
host_stop=$(nm "$host_elf" | awk '$3 == "host_stop" { print "0x" $1 }')
[ -n "$host_stop" ] || { echo "debug: no host_stop in $host_elf" >&2; exit 2; }

if [ "$host" = bochs ]; then
	nm "$blob_elf" | awk 'NF == 3 { print $1, $3 }' > "$out/blob.sym"
	nm "$host_elf" | awk 'NF == 3 { print $1, $3 }' > "$out/host.sym"
	{
		echo "ldsym global \"$out/blob.sym\""
		echo "ldsym global \"$out/host.sym\""
		i=0
		while [ $i -lt "$n" ]; do echo c; i=$((i + 1)); done
		if [ "$batch" = 1 ]; then
			cat <<EOF
r
sreg
creg
u /8
xp /56wx $guest_rec
lb $host_stop
c
r
u /4
quit
EOF
		fi
	} > "$out/debugger.rc"
	echo "debug: Bochs stops at transition $n (magic breakpoint $n); commands: $out/debugger.rc"
	if [ "$batch" = 1 ]; then
		RMT_BOCHS_MAGIC_BREAK=1 RMT_BOCHS_RC=$out/debugger.rc boot "$out/run" > /dev/null 2>&1 || true
		raw=$out/run/stdout.raw
		# The transition line just before the N-th "Magic breakpoint".
		at=$(awk -v n="$n" '/^rmtramp: vcpu0 (handoff|reentry)/ { last = $0 }
			/^\(0\) Magic breakpoint$/ { if (++k == n) { print last; exit } }' "$raw")
		[ -n "$at" ] || { echo "debug: FAIL: Bochs never stopped at transition $n; see $raw" >&2; exit 1; }
		echo "debug: stopped at transition $n: $(echo "$at" | cut -c1-200)"
		if [ -r "$out/first/console.txt" ] &&
		   [ "$at" != "$(grep -E '^rmtramp: vcpu0 (handoff|reentry)' "$out/first/console.txt" | sed -n "${n}p")" ]; then
			echo "debug: FAIL: that is not the first run's transition $n" >&2
			exit 1
		fi
		echo "debug: the debugger at the stop, then at the host's host_stop:"
		# From the N-th stop on: what the debugger printed.
		awk -v n="$n" '/^\(0\) Magic breakpoint$/ { k++ } k >= n' "$raw" |
			grep -v -E '^(rmtramp|host|loader): ' | sed 's/^/  /'
		grep -E -m 2 '^host: guest .* refused|FATAL' "$out/run/console.txt" | sed 's/^host: /debug: host: /' || true
	else
		RMT_BOCHS_MAGIC_BREAK=1 RMT_BOCHS_RC=$out/debugger.rc RMT_BOCHS_INTERACTIVE=1 boot "$out/run"
	fi
	exit 0
fi

# --- QEMU + gdb ---------------------------------------------------------------
command -v gdb > /dev/null || { echo "debug: gdb not found (Debian package gdb)" >&2; exit 2; }
if ss -ltn 2>/dev/null | grep -q ":$port "; then
	echo "debug: port $port is in use (RMT_GDB_PORT)" >&2
	exit 2
fi
# gdb stops where Bochs does: on the line after each magic breakpoint, when
# the blob has logged the transition and rmt_vcpu_context.guest holds the
# state it hands over (handoff) or was given (re-entry).
handoff_line=firmware/run.c:$(grep -n 'blob_magic_break();' "$root/firmware/run.c" | cut -d: -f1)
reentry_line=firmware/main.c:$(grep -n 'blob_magic_break();' "$root/firmware/main.c" | cut -d: -f1)
guest="((struct rmt_vcpu_context *)$ctx_addr)->guest"
# Without TRANSITION=N, stop at the first run's last transition found by its
# kind and CS:EIP, at its occurrence among the first run's transitions of
# that kind at that CS:EIP ("handoff SEL EIP K"): exact unless interrupt
# timing changes how often the guest passes there (the last transition
# before a failure is usually the guest's one jump into its OS).
match=
if [ -z "${TRANSITION:-}" ]; then
	match=$(grep -E '^rmtramp: vcpu0 (handoff|reentry)' "$out/first/console.txt" | awk '
		{ kind = ($3 == "handoff") ? "handoff" : "reentry"
		  for (i = 1; i <= NF; i++) if ($i == "at") { split($(i + 1), a, ":"); break }
		  key = kind " " a[1] " " a[2]; seen[key]++; last = key }
		END { print last, seen[last] }')
fi
{
	printf '%s\n' "set pagination off"
	printf '%s\n' "set confirm off"
	printf '%s\n' "file $host_elf"
	printf '%s\n' "add-symbol-file $blob_elf"
	printf '%s\n' "# QEMU's gdbstub is x86-64 (so is the host): in the 32-bit blob x/i"
	printf '%s\n' "# decodes as 64-bit code (objdump -d the ELF for the exact listing)"
	printf '%s\n' "# and locals kept in registers may be wrong."
	printf '%s\n' "set architecture i386:x86-64"
	printf '%s\n' "target remote :$port"
	if [ -n "$match" ]; then
		set -- $match
		line=$handoff_line
		[ "$1" = reentry ] && line=$reentry_line
		printf '%s\n' "break $line if $guest.seg[1].sel == 0x$2 && $guest.eip == 0x$3"
		[ "$4" -le 1 ] || echo "ignore 1 $(($4 - 1))"
		printf '%s\n' "commands"
		printf '%s\n' "printf \"debug: stopped at the $1 at %04x:%08x (occurrence $4 there)\\n\", $guest.seg[1].sel, $guest.eip"
		printf '%s\n' "end"
		printf '%s\n' "break host_stop"
		printf '%s\n' "continue"
	else
		printf '%s\n' 'set $rmt_n = 0'
		for kind in handoff reentry; do
			line=$handoff_line
			[ $kind = reentry ] && line=$reentry_line
			printf '%s\n' "break $line"
			printf '%s\n' "commands"
			printf '%s\n' "silent"
			printf '%s\n' 'set $rmt_n = $rmt_n + 1'
			printf '%s\n' "if \$rmt_n < $n"
			printf '%s\n' "continue"
			printf '%s\n' "end"
			printf '%s\n' "printf \"debug: stopped at transition %d, a $kind\\n\", \$rmt_n"
			printf '%s\n' "end"
		done
		printf '%s\n' "break host_stop"
		printf '%s\n' "continue"
	fi
	if [ "$batch" = 1 ]; then
		printf '%s\n' "info registers rip rsp eflags cs"
		printf '%s\n' 'x/3i $pc'
		printf '%s\n' 'printf "debug: the guest-state record (rmt_vcpu_context.guest):\n"'
		printf '%s\n' "p/x $guest"
		printf '%s\n' 'printf "debug: on to the host'"'"'s host_stop\n"'
		[ -n "$match" ] && echo "delete 1" || echo "delete 1 2"
		printf '%s\n' "continue"
		printf '%s\n' "bt 1"
		printf '%s\n' "p/x ((struct rmt_vcpu_context *)$ctx_addr)->counters"
		printf '%s\n' "kill"
		printf '%s\n' "quit"
	fi
} > "$out/gdb.cmd"
[ "$batch" = 1 ] || limit=${RMT_DEBUG_TIMEOUT:-3600}
echo "debug: QEMU waits for gdb on tcp::$port; commands: $out/gdb.cmd"
RMT_QEMU_EXTRA="-gdb tcp::$port -S" boot "$out/run" > "$out/run.log" 2>&1 &
runner=$!
i=0
until ss -ltn 2>/dev/null | grep -q ":$port "; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$runner" 2>/dev/null; then
		echo "debug: QEMU did not open tcp::$port; see $out/run/qemu.out" >&2
		exit 1
	fi
	sleep 0.1
done
status=0
if [ "$batch" = 1 ]; then
	gdb -q -batch -x "$out/gdb.cmd" 2>&1 | tee "$out/gdb.log" || status=1
	# The check: gdb stopped at the transition (not only at the failure).
	grep -q '^debug: stopped at ' "$out/gdb.log" || status=1
else
	gdb -q -x "$out/gdb.cmd" || status=1
fi
wait "$runner" || true
echo "debug: the run's console: $out/run/console.txt"
exit $status
