#!/bin/sh
# Boot a guest image through the whole stack under Bochs 2.7:
#   Bochs (core2_penryn_t9600: VT-x, no EPT, no unrestricted guest)
#     -> build/host/host.rom as the machine firmware (VMXON, VM entries)
#       -> IMAGE (loader + blob + payload) placed at 1 MiB (optramimage)
#
# usage: run-stack-bochs.sh IMAGE OUTDIR [TIMEOUT_SECONDS]
# Writes OUTDIR/console.txt (what reached port 0xE9: host, loader, blob and
# guest lines) and OUTDIR/bochs.log (Bochs' own log, with its VMENTER FAIL
# reasons).  RMT_LIVE=1 also shows the console as it happens (make run);
# RMT_HOST_ROM another host ROM (build/host-log/host.rom logs every VM exit).
# Exit status: 0 if the machine ended the run through the shutdown port
# (which the host and the guest both use), 1 otherwise; a test judges the
# console, not this.
#
# RMT_MARKER=STRING: a payload that never ends the run itself (the boot
# corpus) is judged by a marker instead, as run-stack-qemu.sh does: the run
# succeeds as soon as STRING shows in OUTDIR/com1.txt (when RMT_BOCHS_EXTRA
# connects COM1 there, as run-disk.sh does) or on port 0xE9; the runner
# watches for it with tail -f (inotify), then stops Bochs at once (SIGINT:
# Bochs' debugger takes over and runs the rest of OUTDIR/debugger.rc; a
# guest that powers off right after its marker, as Linux does ~30 ms
# later, may still end Bochs first: then no counters), reads vCPU 0's context with the
# debugger's `xp` and writes the blob's counters to OUTDIR/counters.txt in
# the host's format ($RMT_BUILD/tools/blob-counters); it says
# 'run-stack-bochs: NAME: marker "STRING" after Ts' on stderr.  The same
# happens at the timeout, so a hung guest's counters say how far it got.
# Exit status 0 if the marker showed, 1 otherwise.
#
# Other knobs: RMT_BOCHS_EXTRA adds bochsrc lines; RMT_BOCHS_IGNORE_BAD_MSRS=1
# makes MSRs Bochs' Penryn lacks read as 0 (Linux reads IA32_MISC_ENABLE,
# which the host passes through; run-native-bochs.sh has the same knob);
# RMT_BOCHS_MAGIC_BREAK=1 turns on magic breakpoints (xchg %bx,%bx: the blob
# executes one at every handoff and re-entry, docs/debugging.md; off by
# default, so they cost nothing); RMT_BOCHS_RC=FILE replaces the debugger
# commands ("c", "quit"), and RMT_BOCHS_INTERACTIVE=1 runs Bochs on the
# terminal without a timeout (scripts/debug.sh).
set -eu
image=$1
out=$2
limit=${3:-120}
build=${RMT_BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
case $image in /*) ;; *) image=$PWD/$image ;; esac
case $build in /*) ;; *) build=$PWD/$build ;; esac
[ -r "$image" ] || { echo "run-stack-bochs: no image $image" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)          # Bochs runs in $out: every path absolute
marker=${RMT_MARKER:-}
name=${RMT_NAME:-$(basename "$image")}
counters_tool=$build/tools/blob-counters
# Bochs 2.7 loads an optramimage correctly only up to 128 KiB (it reads the
# file into one 128 KiB block): place the image as consecutive 128 KiB
# pieces, optramimage1..4 (at most 512 KiB).
rm -f "$out"/image.part* "$out/counters.txt"
# A stale serial log would fake a marker (run-disk.sh points COM1 there).
: > "$out/com1.txt"
split -b 131072 -d -a 1 "$image" "$out/image.part"
ramimages=
n=0
for part in "$out"/image.part*; do
	n=$((n + 1))
	[ $n -le 4 ] || { echo "run-stack-bochs: $image is larger than 512 KiB" >&2; exit 2; }
	ramimages="${ramimages}optramimage$n: file=$part, address=$(printf '0x%x' $((0x100000 + (n - 1) * 0x20000)))
"
done
bad_msrs=0
[ "${RMT_BOCHS_IGNORE_BAD_MSRS:-0}" = 1 ] && bad_msrs=1
magic=0
[ "${RMT_BOCHS_MAGIC_BREAK:-0}" = 1 ] && magic=1
cat > "$out/bochsrc" <<EOF2
megs: 256
romimage: file=${RMT_HOST_ROM:-$build/host/host.rom}, address=0xfffe0000
vgaromimage: file=/usr/share/vgabios/vgabios.bin
${ramimages}cpu: model=core2_penryn_t9600, count=1, reset_on_triple_fault=0, ignore_bad_msrs=$bad_msrs
display_library: term
port_e9_hack: enabled=1
log: bochs.log
clock: sync=none
sound: waveoutdrv=dummy
magic_break: enabled=$magic
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
${RMT_BOCHS_EXTRA:-}
EOF2
rm -f "$out/bochs.log"

if [ "${RMT_BOCHS_INTERACTIVE:-0}" = 1 ]; then
	# The debugger on this terminal; the term display opens a pty of its
	# own, so stdout carries the debugger and port 0xE9.  No timeout.
	rc=${RMT_BOCHS_RC:-}
	cd "$out"
	if [ -n "$rc" ]; then
		TERM=dumb bochs -q -f bochsrc -rc "$rc" 2> stderr.raw | tee stdout.raw
	else
		TERM=dumb bochs -q -f bochsrc 2> stderr.raw | tee stdout.raw
	fi
	"$here/../lib/clean-bochs-stdout.sh" stdout.raw > console.txt
	exit 0
fi

if [ -z "$marker" ]; then
	if [ -n "${RMT_BOCHS_RC:-}" ]; then
		cp "$RMT_BOCHS_RC" "$out/debugger.rc"
	else
		printf 'c\nquit\n' > "$out/debugger.rc"
	fi
	# TERM=dumb keeps the term display from stalling (it draws on a pty of
	# its own, not stdout); timeout ends in SIGKILL since Bochs catches
	# SIGTERM.
	set +e
	if [ "${RMT_LIVE:-0}" = 1 ]; then
		(cd "$out" && TERM=dumb exec timeout -k 2 "$limit" bochs -q -f bochsrc -rc debugger.rc \
			< /dev/null 2> stderr.raw) | tee "$out/stdout.raw" |
			RMT_UNBUFFERED=1 "$here/../lib/clean-bochs-stdout.sh"
	else
		{ (cd "$out" && TERM=dumb exec timeout -k 2 "$limit" bochs -q -f bochsrc -rc debugger.rc \
			< /dev/null > stdout.raw 2> stderr.raw); } 2>/dev/null
	fi
	set -e
	"$here/../lib/clean-bochs-stdout.sh" "$out/stdout.raw" > "$out/console.txt"
	grep -q 'Shutdown port: shutdown requested' "$out/bochs.log" 2>/dev/null
	exit
fi

# --- with a marker ---------------------------------------------------------
[ -x "$counters_tool" ] ||
	{ echo "run-stack-bochs: missing $counters_tool (make all)" >&2; exit 2; }
ctx=$("$counters_tool" where "$build/blob/rmtramp.bin") ||
	{ echo "run-stack-bochs: cannot locate the blob's context in $build/blob/rmtramp.bin" >&2; exit 2; }
ctx_addr=${ctx% *}
ctx_words=${ctx#* }
# The debugger runs "c" at start; after a SIGINT (the marker, the timeout)
# it reads the rest: vCPU 0's context from physical memory, then quit.
printf 'c\nxp /%uwx %s\nquit\n' "$ctx_words" "$ctx_addr" > "$out/debugger.rc"
: > "$out/stdout.raw"
start=$(now_ns)
# $! is timeout's pid (the subshell execs it); timeout passes SIGINT on to
# Bochs.  The outer timeout is a backstop: the loop below ends the run.
{ (cd "$out" && TERM=dumb exec timeout -k 2 $((limit + 30)) bochs -q -f bochsrc -rc debugger.rc \
	< /dev/null > stdout.raw 2> stderr.raw) & } 2>/dev/null
bpid=$!
if [ "${RMT_LIVE:-0}" = 1 ]; then
	# tail ends by itself with Bochs (--pid).
	tail -f -n +1 --pid="$bpid" "$out/stdout.raw" |
		RMT_UNBUFFERED=1 "$here/../lib/clean-bochs-stdout.sh" &
fi
marker_seen() {
	grep -a -q -F -e "$marker" "$out/com1.txt" "$out/stdout.raw" 2>/dev/null
}
# The marker is caught by tail -f (inotify: milliseconds), not by polling:
# Linux powers the machine off ~30 ms (wall) after printing the corpus's
# marker under Bochs, and Bochs then exits whatever the panic action, so a
# poll every 0.5 s would almost never stop it in time to read the counters.
# The watcher records the time and interrupts Bochs at once; if the machine
# still powers off first, counters.txt is missing (the caller falls back on
# the host's counters line, if any, or the transition log).
rm -f "$out/marker.ns"
{ tail -q -f -n +1 --pid="$bpid" "$out/com1.txt" "$out/stdout.raw" 2>/dev/null |
	grep -a -q -F -e "$marker" && { now_ns > "$out/marker.ns"; kill -INT "$bpid" 2>/dev/null; }; } &
watcher=$!
seen='' marker_time='' timed_out=''
while kill -0 "$bpid" 2>/dev/null; do
	[ ! -s "$out/marker.ns" ] || break
	if [ $(( ($(now_ns) - start) / 1000000000 )) -ge "$limit" ]; then
		timed_out=1
		kill -INT "$bpid" 2>/dev/null || true
		break
	fi
	sleep 0.2
done
set +e
{ wait "$bpid"; } 2>/dev/null
status=$?
set -e
elapsed=$(seconds_since "$start")
kill "$watcher" 2>/dev/null || true
if [ -s "$out/marker.ns" ]; then
	seen=1
	d=$(( $(cat "$out/marker.ns") - start ))
	marker_time=$(printf '%d.%02d' $(( d / 1000000000 )) $(( d % 1000000000 / 10000000 )))
elif marker_seen; then
	seen=1
	marker_time=$elapsed
fi
# The debugger's xp lines: "0x000000000f211000 <bogus+       0>:\t0x58435452\t...",
# there when the interrupt came before Bochs ended by itself.
if grep -a -q '^0x[0-9a-f]\{16\} <[^>]*>:' "$out/stdout.raw"; then
	sed -n 's/^0x[0-9a-f]\{16\} <[^>]*>:[[:space:]]*//p' "$out/stdout.raw" |
		"$counters_tool" name > "$out/counters.txt" 2> "$out/counters.err" ||
		{ echo "run-stack-bochs: $name: the blob's context at $ctx_addr is not readable: $(cat "$out/counters.err")" >&2
		  rm -f "$out/counters.txt"; }
	rm -f "$out/counters.err"
fi
"$here/../lib/clean-bochs-stdout.sh" "$out/stdout.raw" > "$out/console.txt"
host_counters_fallback "$out"
if [ -n "$seen" ]; then
	echo "run-stack-bochs: $name: marker \"$marker\" after ${marker_time}s" >&2
	exit 0
fi
if [ -n "$timed_out" ]; then
	reason="timed out after ${limit}s"
elif grep -q 'Shutdown port: shutdown requested' "$out/bochs.log" 2>/dev/null; then
	reason="the host ended the run"
else
	case $status in
	124|137) reason="timed out after ${limit}s (Bochs did not stop)" ;;
	*) reason="Bochs exited with status $status" ;;
	esac
fi
echo "run-stack-bochs: $name: FAILED: no marker \"$marker\": $reason, after ${elapsed}s" >&2
exit 1
