#!/bin/sh
# Boot a guest image through the whole stack under QEMU TCG with SVM:
#   QEMU (-cpu qemu64,+svm; TCG: no decode assists, no next-RIP)
#     -> build/host/host.rom as the machine firmware (-bios); it picks its
#        SVM backend, which imitates a VT-x host without unrestricted guest
#       -> IMAGE (loader + blob + payload) placed at 1 MiB (-device loader)
#
# usage: run-stack-qemu.sh IMAGE OUTDIR [TIMEOUT_SECONDS]
# Writes OUTDIR/console.txt (port 0xE9: host, loader, blob and guest lines)
# and OUTDIR/com1.txt (the serial port).  RMT_LIVE=1 shows the console as it
# happens; RMT_QEMU_EXTRA adds QEMU options; RMT_HOST_ROM another host ROM
# (build/host-log/host.rom logs every VM exit).
# Exit status: 0 if the machine ended the run through isa-debug-exit (the
# host and the guests end runs that way), 1 otherwise.
#
# A payload that never ends the run itself (the boot corpus: Linux powers
# off through ACPI, memtest86+ and iPXE run forever) is judged by a marker:
#   RMT_MARKER=STRING  the run succeeds as soon as STRING shows in com1.txt,
#                console.txt or (with RMT_SCREEN) on the screen; the runner
#                polls every 0.2 s, stops the machine then and says
#                'run-stack-qemu: NAME: marker "STRING" after Ts' on stderr
#                (NAME: RMT_NAME, default the image's file name), as
#                run-native-qemu.sh does.  Exit status 0 if the marker
#                showed, 1 otherwise.
#   RMT_SCREEN=FILE    sample the VGA text screen at every poll (QEMU's
#                monitor, pmemsave of 0xB8000) and write the last sample to
#                FILE as text (tests/lib/vga-text.sh).
# With RMT_MARKER the runner also reads the blob's counters at the end (at
# the marker, or at the timeout: a hung guest's counters say how far it
# got) from vCPU 0's context in the machine's memory and writes them to
# OUTDIR/counters.txt, in the host's own format ("blob vcpu0 counters:
# handoffs=N ..."; $RMT_BUILD/tools/blob-counters, the ABI's
# rmt_vcpu_context).  When the host ended the run (the guest powered off, or
# a failure), its own "host: blob vcpu0 counters:" line, from console.txt.
# RMT_QEMU_GDB=1 adds -s -S: QEMU waits for gdb on tcp::1234 before the
# first instruction (docs/debugging.md; scripts/debug.sh).
set -eu
image=$1
out=$2
limit=${3:-120}
build=${RMT_BUILD:-build}
here=$(dirname "$0")
. "$here/../lib/common.sh"
[ -r "$image" ] || { echo "run-stack-qemu: no image $image" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
: > "$out/console.txt"
: > "$out/com1.txt"
rm -f "$out/counters.txt" "$out/context.bin" "$out/vga.bin"
marker=${RMT_MARKER:-}
screen_out=${RMT_SCREEN:-}
name=${RMT_NAME:-$(basename "$image")}
counters_tool=$build/tools/blob-counters
gdb_args=
[ "${RMT_QEMU_GDB:-0}" = 1 ] && gdb_args="-s -S"
tailpid=
if [ "${RMT_LIVE:-0}" = 1 ]; then
	tail -q -f -n +1 "$out/console.txt" "$out/com1.txt" &
	tailpid=$!
fi

if [ -z "$marker" ]; then
	set +e
	# shellcheck disable=SC2086 # RMT_QEMU_EXTRA is a list of options
	timeout -k 2 "$limit" qemu-system-x86_64 -machine pc,accel=tcg -cpu qemu64,+svm -m 256 \
		-display none -monitor none -no-reboot -nodefaults -vga std \
		-serial "file:$out/com1.txt" \
		-chardev "file,id=e9,path=$out/console.txt" -device isa-debugcon,iobase=0xe9,chardev=e9 \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-bios "${RMT_HOST_ROM:-$build/host/host.rom}" \
		-device "loader,file=$image,addr=0x100000,force-raw=on" \
		$gdb_args ${RMT_QEMU_EXTRA:-} < /dev/null > "$out/qemu.out" 2>&1
	status=$?
	set -e
	if [ -n "$tailpid" ]; then
		sleep 0.3
		kill "$tailpid" 2>/dev/null || true
	fi
	# isa-debug-exit makes QEMU exit with (value << 1) | 1: 1 for the host's
	# "guest finished", 3 for a failure; 124/137 is the timeout.
	case $status in 1|3) exit 0 ;; *) exit 1 ;; esac
fi

# --- with a marker: QEMU in the background, its monitor on a FIFO pair ---
[ -x "$counters_tool" ] ||
	{ echo "run-stack-qemu: missing $counters_tool (make all)" >&2; exit 2; }
blob_bin=$build/blob/rmtramp.bin
ctx=$("$counters_tool" where "$blob_bin") ||
	{ echo "run-stack-qemu: cannot locate the blob's context in $blob_bin" >&2; exit 2; }
ctx_addr=${ctx% *}
ctx_bytes=$((${ctx#* } * 4))
rm -f "$out/mon.in" "$out/mon.out"
mkfifo "$out/mon.in" "$out/mon.out"
# fd 3 holds mon.in open read-write: opening never blocks, QEMU never sees EOF.
exec 3<>"$out/mon.in"
cat "$out/mon.out" > "$out/monitor.log" &
catpid=$!
start=$(now_ns)
set +e
# The outer timeout is a backstop only: the poll loop below ends the run at
# $limit itself, after reading the counters.
# shellcheck disable=SC2086 # RMT_QEMU_EXTRA is a list of options
# -no-shutdown: a guest that powers off (the Linux entries do, milliseconds
# after their marker) or resets (with -no-reboot) leaves the machine stopped
# instead of ending QEMU, so its counters can still be read; the loop asks
# "info status" at every poll and ends the run then.
timeout -k 2 $((limit + 20)) qemu-system-x86_64 -machine pc,accel=tcg -cpu qemu64,+svm -m 256 \
	-display none -monitor "pipe:$out/mon" -no-reboot -no-shutdown -nodefaults -vga std \
	-serial "file:$out/com1.txt" \
	-chardev "file,id=e9,path=$out/console.txt" -device isa-debugcon,iobase=0xe9,chardev=e9 \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-bios "${RMT_HOST_ROM:-$build/host/host.rom}" \
	-device "loader,file=$image,addr=0x100000,force-raw=on" \
	$gdb_args ${RMT_QEMU_EXTRA:-} < /dev/null > "$out/qemu.out" 2>&1 &
qpid=$!
set -e

# pmemsave reads machine-physical memory (0xB8000 through the VGA device).
# The file name is quoted: the monitor would parse "4000 /path" as a division.
screen_request() {
	echo "pmemsave 0xb8000 4000 \"$out/vga.bin\"" >&3
}
marker_seen() {
	grep -a -q -F -e "$marker" "$out/com1.txt" "$out/console.txt" && return 0
	[ -n "$screen_out" ] && [ -s "$out/vga.bin" ] &&
		"$here/../lib/vga-text.sh" "$out/vga.bin" | grep -q -F -e "$marker"
}

seen='' marker_time='' ended='' timed_out='' powered_off=''
while :; do
	if ! kill -0 "$qpid" 2>/dev/null; then
		ended=1
		break
	fi
	[ -z "$screen_out" ] || screen_request
	echo "info status" >&3
	if marker_seen; then
		seen=1
		marker_time=$(seconds_since "$start")
		break
	fi
	if grep -a -q 'VM status: paused (shutdown)' "$out/monitor.log"; then
		powered_off=1
		break
	fi
	if [ $(( ($(now_ns) - start) / 1000000000 )) -ge "$limit" ]; then
		timed_out=1
		break
	fi
	sleep 0.2
done
if [ -z "$ended" ]; then
	# Stop the machine, read vCPU 0's context (and the screen once more),
	# then quit; the monitor runs the commands in order.
	echo stop >&3
	echo "pmemsave $ctx_addr $ctx_bytes \"$out/context.bin\"" >&3
	[ -z "$screen_out" ] || screen_request
	echo quit >&3
fi
set +e
wait "$qpid"
status=$?
set -e
exec 3>&-
kill "$catpid" 2>/dev/null || true
rm -f "$out/mon.in" "$out/mon.out"
elapsed=$(seconds_since "$start")
if [ -n "$tailpid" ]; then
	sleep 0.3
	kill "$tailpid" 2>/dev/null || true
fi
# Last look: the marker may have come with the machine's end.
if [ -z "$seen" ] && marker_seen; then
	seen=1
	marker_time=$elapsed
fi
if [ -n "$screen_out" ]; then
	if [ -s "$out/vga.bin" ]; then
		"$here/../lib/vga-text.sh" "$out/vga.bin" > "$screen_out"
	else
		: > "$screen_out"
	fi
fi
if [ -s "$out/context.bin" ]; then
	od -An -v -tx4 "$out/context.bin" | "$counters_tool" name > "$out/counters.txt" ||
		{ echo "run-stack-qemu: $name: the blob's context at $ctx_addr is not readable" >&2
		  rm -f "$out/counters.txt"; }
fi
host_counters_fallback "$out"
if [ -n "$seen" ]; then
	echo "run-stack-qemu: $name: marker \"$marker\" after ${marker_time}s" >&2
	exit 0
fi
if [ -n "$timed_out" ]; then
	reason="timed out after ${limit}s"
elif [ -n "$powered_off" ]; then
	reason="the guest powered the machine off or reset it"
else
	case $status in
	1) reason="the host ended the run (guest finished)" ;;
	3) reason="the host ended the run (failure)" ;;
	124|137) reason="timed out after ${limit}s (QEMU did not stop)" ;;
	*) reason="QEMU exited with status $status" ;;
	esac
fi
echo "run-stack-qemu: $name: FAILED: no marker \"$marker\": $reason, after ${elapsed}s" >&2
exit 1
