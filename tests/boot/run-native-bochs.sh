#!/bin/bash
# run-native-bochs.sh IMAGE OUTFILE [TIMEOUT]
#
# Boots a disk image under plain Bochs 2.7 (rombios, CPU model
# core2_penryn_t9600, no stack) and writes what the guest printed on port
# 0xE9 to OUTFILE, cleaned of Bochs' own banner and debugger lines.  The kind
# of image is chosen by its name (as run-native-qemu.sh does):
#   *.flp        a 1.44 MB floppy, floppya, 32 MiB (unchanged historical setup);
#   *.hdd, *.img a flat hard disk as ata0-master, booted as drive 80h, 64 MiB,
#                the i440FX PCI chipset.  The size must be a whole number of
#                16-head, 63-sector cylinders; Bochs is given exactly that
#                geometry (it refuses a flat image whose size does not match),
#                the one QEMU guesses for the same file.
#   *.iso        a CD-ROM as ata0-slave (ata0-master stays empty), booted
#                first (boot: cdrom), 512 MiB, the i440FX PCI chipset.
#
# Success marker.  By default the guest ends the run by writing "Shutdown" to
# port 0x8900 (testimages/lib/exit.inc); Bochs then logs "Shutdown port:
# shutdown requested" and exits 1.  That log line is the success marker.
# Bochs cannot see the guest's RUN_OK/RUN_FAILED value (port 0xF4 is
# unmapped there): the caller judges the output.  A payload that cannot do
# that (the corpus: testimages/corpus/build.sh) is judged by a string:
# with RMT_MARKER=STRING the run succeeds as soon as STRING appears in the
# guest's COM1 or port-0xE9 output; the runner polls every 0.5 s, stops
# Bochs then and reports the time to the marker.
#
# How Bochs' output is obtained (measured with Bochs 2.7, Debian 12):
#  - port_e9_hack writes each byte to Bochs' stdout.  stdout also carries a
#    banner, the "Next at t=0" debugger stop and its disassembly line (before
#    the first guest instruction), and a disassembly line when the run stops.
#    Log lines go to the log file, the exit message to stderr.
#  - display_library: term does NOT draw on stdout: the term GUI opens its own
#    pseudo-terminal (/dev/ptmx; stderr says 'Bochs connected to screen
#    "/dev/pts/N"') and draws there.  Running Bochs under script(1) therefore
#    does not drain that pty; it only adds "\r\n" translation and merges
#    stderr into stdout, so it is not used here.
#  - With TERM=xterm, a guest that keeps rewriting the screen stalls Bochs
#    after ~10 s (nothing reads the screen pty), with or without script(1).
#    With TERM=dumb, curses emits little and the same guest ran 36 s without
#    slowing down.  So TERM=dumb, always.
#
# Exit status: 0 the guest ended the run through the Shutdown port; 1
# anything else (timeout, panic, triple fault; the reason is printed).
# Environment: RMT_KEEP=1 keeps the scratch directory (bochsrc, bochs.log,
# raw stdout); BOCHS overrides the binary; RMT_BIOS=ROM replaces rombios
# with another machine firmware (tests/boot/nobios-rom.asm); RMT_MEGS
# overrides the RAM size in MiB; RMT_MARKER (above); RMT_SERIAL=FILE
# writes the guest's COM1 output to FILE (otherwise COM1 keeps Bochs'
# default, not connected); RMT_BOCHS_IGNORE_BAD_MSRS=1 makes MSRs that
# Bochs' core2_penryn_t9600 lacks read as 0 instead of raising #GP (the
# default, which catches the test guests' mistakes): Linux reads
# IA32_MISC_ENABLE (0x1A0) before it has an IDT and would triple-fault.
set -eu
RMT_SCRIPT=run-native-bochs
. "$(dirname "$0")/../lib/common.sh"

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 IMAGE.flp|IMAGE.hdd|IMAGE.img|IMAGE.iso OUTFILE [TIMEOUT_SECONDS]" >&2
	exit 2
fi
image=$1
out=$2
limit=${3:-120}
BOCHS=${BOCHS:-bochs}
BOCHS_SHARE=${BOCHS_SHARE:-/usr/share}

[ -f "$image" ] || die "image not found: $image"
size=$(stat -c %s "$image")
case $image in
*.flp)
	[ "$size" -eq 1474560 ] ||
		die "$image is not a 1.44 MB floppy image (1474560 bytes)"
	megs=${RMT_MEGS:-32}
	# Exactly the configuration the floppy tests always had.
	disk_config="floppya: 1_44=disk.img, status=inserted
boot: floppy" ;;
*.hdd|*.img)
	cyl_bytes=$((16 * 63 * 512))
	[ "$size" -gt 0 ] && [ $((size % cyl_bytes)) -eq 0 ] ||
		die "$image: $size bytes is not a whole number of 16x63 cylinders ($cyl_bytes bytes)"
	megs=${RMT_MEGS:-64}
	disk_config="pci: enabled=1, chipset=i440fx
ata0-master: type=disk, path=disk.img, mode=flat, cylinders=$((size / cyl_bytes)), heads=16, spt=63
boot: disk" ;;
*.iso)
	[ "$size" -gt 0 ] && [ $((size % 2048)) -eq 0 ] ||
		die "$image: $size bytes is not a whole number of 2048-byte CD sectors"
	megs=${RMT_MEGS:-512}
	disk_config="pci: enabled=1, chipset=i440fx
ata0-slave: type=cdrom, path=disk.img, status=inserted
boot: cdrom" ;;
*)
	die "$image: unknown kind of image (want .flp, .hdd, .img or .iso)" ;;
esac
marker=${RMT_MARKER:-}
serial_out=${RMT_SERIAL:-}
bad_msrs=0
[ "${RMT_BOCHS_IGNORE_BAD_MSRS:-0}" = 1 ] && bad_msrs=1
# COM1 to a file only when asked (or needed for the marker): the test
# guests' configuration stays as it was.
serial_config=
[ -z "$serial_out" ] && [ -z "$marker" ] ||
	serial_config="com1: enabled=1, mode=file, dev=com1.txt"
need_tool "$BOCHS" timeout
rom=${RMT_BIOS:-$BOCHS_SHARE/bochs/BIOS-bochs-latest}
case $rom in /*) ;; *) rom=$(pwd)/$rom ;; esac     # Bochs runs in $WORK
for f in "$rom" "$BOCHS_SHARE/vgabios/vgabios.bin"; do
	[ -r "$f" ] || die "missing $f (Debian packages bochsbios, vgabios)"
done
make_workdir bochs

# Bochs opens disk images read-write and leaves IMAGE.lock behind when it is
# killed: boot a scratch copy in the scratch directory, so neither can touch
# the build output or block the next run.
cp "$image" "$WORK/disk.img"
: > "$WORK/com1.txt"

# See the reference configuration in reference/testbed.md.
# reset_on_triple_fault=0: a triple fault panics and ends the run (no reboot
# loop); clock sync=none: deterministic; error: report: VM-entry failures and
# other errors are logged.
cat > "$WORK/bochsrc" <<EOF
megs: $megs
romimage: file=$rom
vgaromimage: file=$BOCHS_SHARE/vgabios/vgabios.bin
$disk_config
$serial_config
display_library: term
port_e9_hack: enabled=1
log: bochs.log
cpu: model=core2_penryn_t9600, count=1, reset_on_triple_fault=0, ignore_bad_msrs=$bad_msrs
clock: sync=none
sound: waveoutdrv=dummy
magic_break: enabled=1
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
EOF
# The debugger (compiled in) stops before the first instruction: continue,
# and quit when the guest stops (e.g. at a magic breakpoint).
printf 'c\nquit\n' > "$WORK/debugger.rc"

marker_seen() {
	grep -a -q -F -e "$marker" "$WORK/com1.txt" "$WORK/stdout.raw" 2>/dev/null
}

start=$(now_ns)
set +e
# Bochs catches SIGTERM ("sig 15 caught") and keeps running: timeout -k
# ends in SIGKILL 2 s later (also when the marker poll below sends SIGTERM
# to timeout, which passes it on).  stdin is /dev/null so the debugger never
# waits for input.  The outer 2>/dev/null only hides bash's "Killed" job
# notice.  $! is timeout's pid: the subshell execs it.
{ (cd "$WORK" && TERM=dumb exec timeout -k 2 "$limit" "$BOCHS" -q -f bochsrc -rc debugger.rc \
	< /dev/null > stdout.raw 2> stderr.raw) & } 2>/dev/null
bpid=$!
seen=
marker_time=
if [ -n "$marker" ]; then
	while kill -0 "$bpid" 2>/dev/null; do
		if marker_seen; then
			seen=1
			marker_time=$(seconds_since "$start")
			kill -TERM "$bpid" 2>/dev/null
			break
		fi
		sleep 0.5
	done
fi
{ wait "$bpid"; } 2>/dev/null
status=$?
set -e
elapsed=$(seconds_since "$start")
if [ -n "$marker" ] && [ -z "$seen" ] && marker_seen; then
	seen=1
	marker_time=$elapsed
fi
[ -z "$serial_out" ] || cp "$WORK/com1.txt" "$serial_out" || die "cannot write $serial_out"

# Keep what the guest wrote to port 0xE9 (the guest prints whole lines
# only, so a debugger line always starts a line of its own).
"$(dirname "$0")/../lib/clean-bochs-stdout.sh" \
	"$WORK/stdout.raw" > "$out" || die "cannot write $out"

name=$(basename "$image")
if [ -n "$marker" ] && [ -n "$seen" ]; then
	echo "$RMT_SCRIPT: $name: marker \"$marker\" after ${marker_time}s" >&2
	exit 0
fi
if [ -z "$marker" ] && grep -q 'Shutdown port: shutdown requested' "$WORK/bochs.log" 2>/dev/null; then
	echo "$RMT_SCRIPT: $name: guest ended the run (Shutdown port) in ${elapsed}s" >&2
	exit 0
fi
case $status in
124|137) reason="timed out after ${limit}s (guest never ended the run)" ;;
0)       reason="the guest stopped at a magic breakpoint (xchg bx,bx)" ;;
*)       reason="Bochs exited with status $status without the guest ending the run" ;;
esac
[ -z "$marker" ] || reason="no marker \"$marker\": $reason"
echo "$RMT_SCRIPT: $name: FAILED: $reason, after ${elapsed}s" >&2
# The log says why: panics (triple fault, ...) and errors.
if [ -f "$WORK/bochs.log" ]; then
	grep -E '>>PANIC<<|\]e?\[|e\[CPU|triple|VMENTER FAIL' "$WORK/bochs.log" |
		tail -n 15 | sed 's/^/  /' >&2 || true
fi
grep -v '^0000' "$WORK/stderr.raw" | grep -v '^[[:space:]]*$' | tail -n 5 | sed 's/^/  /' >&2 || true
exit 1
