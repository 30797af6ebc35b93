#!/bin/bash
# run-native-qemu.sh IMAGE OUTFILE [TIMEOUT]
#
# Boots a disk image under plain QEMU (TCG, SeaBIOS, no stack) and writes
# what the guest printed on port 0xE9 to OUTFILE.  This is the "native"
# reference a run under the stack is compared with.  The kind of image is
# chosen by its name:
#   *.flp        a 1.44 MB floppy, drive A:, 32 MiB of RAM, QEMU's own
#                SeaBIOS (the test guests' historical setup, unchanged);
#   *.hdd, *.img a flat hard disk on the first IDE channel, drive C: (80h),
#                64 MiB of RAM, Debian's 128 KiB SeaBIOS build
#                (/usr/share/seabios/bios.bin: the one run under the blob) and
#                -machine pc,smm=off (no SMM: the blob's guests have none).
#                The size must be a whole number of 16-head, 63-sector
#                cylinders: QEMU then guesses exactly that geometry, the same
#                one run-native-bochs.sh gives Bochs.
#   *.iso        a CD-ROM (El Torito) on the second IDE channel, booted
#                first; 512 MiB (the corpus baselines' size), the same
#                Debian 128 KiB SeaBIOS and smm=off as a hard disk, and no
#                network card: QEMU's default NIC carries an iPXE option ROM
#                whose banners would fake the iPXE corpus entry's marker (and
#                SeaBIOS would fall back to booting it).
#
# Success marker.  By default the guest ends the run by writing RUN_OK (0) to
# isa-debug-exit at port 0xF4 (testimages/lib/exit.inc); QEMU then exits with
# status (0 << 1) | 1 = 1.  That status is the success marker: a triple fault
# with -no-reboot exits 0, RUN_FAILED exits 3, a hang is ended by the timeout.
# A payload that cannot do that (an OS, a boot loader: the corpus, see
# testimages/corpus/build.sh) is judged by a string instead: with
# RMT_MARKER=STRING the run succeeds as soon as STRING appears in what the
# guest printed on COM1, on port 0xE9 or on the screen; the runner polls
# every 0.2 s, stops QEMU then, and reports the time to the marker.
#
# Exit status: 0 the guest ended the run with RUN_OK (or RMT_MARKER was
# seen); 1 anything else (the reason is printed; OUTFILE still holds
# whatever the guest printed).
# Environment: RMT_KEEP=1 keeps the scratch directory (QEMU's own output);
# QEMU overrides the binary; RMT_BIOS=ROM replaces SeaBIOS with another
# machine firmware (tests/boot/nobios-rom.asm: start a guest with no BIOS);
# RMT_MEGS overrides the RAM size in MiB; RMT_MARKER (above);
# RMT_SERIAL=FILE writes the guest's COM1 output to FILE (otherwise COM1 is
# not connected, as before); RMT_SCREEN=FILE samples the VGA text screen
# (80x25 at 0xB8000, read through QEMU's monitor) at every poll and writes
# the last one to FILE as text — for payloads that only draw on the screen.
set -eu
RMT_SCRIPT=run-native-qemu
. "$(dirname "$0")/../lib/common.sh"

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 IMAGE.flp|IMAGE.hdd|IMAGE.img|IMAGE.iso OUTFILE [TIMEOUT_SECONDS]" >&2
	exit 2
fi
image=$1
out=$2
limit=${3:-60}
QEMU=${QEMU:-qemu-system-x86_64}

[ -f "$image" ] || die "image not found: $image"
size=$(stat -c %s "$image")
bios=${RMT_BIOS:-}
case $image in
*.flp)
	[ "$size" -eq 1474560 ] ||
		die "$image is not a 1.44 MB floppy image (1474560 bytes)"
	megs=${RMT_MEGS:-32}
	machine=pc,accel=tcg
	drive_if=floppy boot_order=a ;;
*.hdd|*.img)
	cyl_bytes=$((16 * 63 * 512))
	[ "$size" -gt 0 ] && [ $((size % cyl_bytes)) -eq 0 ] ||
		die "$image: $size bytes is not a whole number of 16x63 cylinders ($cyl_bytes bytes)"
	megs=${RMT_MEGS:-64}
	machine=pc,accel=tcg,smm=off
	bios=${bios:-/usr/share/seabios/bios.bin}
	drive_if=ide boot_order=c ;;
*.iso)
	[ "$size" -gt 0 ] && [ $((size % 2048)) -eq 0 ] ||
		die "$image: $size bytes is not a whole number of 2048-byte CD sectors"
	megs=${RMT_MEGS:-512}
	machine=pc,accel=tcg,smm=off
	bios=${bios:-/usr/share/seabios/bios.bin}
	drive_if=ide,media=cdrom boot_order=d ;;
*)
	die "$image: unknown kind of image (want .flp, .hdd, .img or .iso)" ;;
esac
marker=${RMT_MARKER:-}
serial_out=${RMT_SERIAL:-}
screen_out=${RMT_SCREEN:-}
need_tool "$QEMU" timeout
bios_args=()
if [ -n "$bios" ]; then
	[ -r "$bios" ] || die "cannot read the BIOS $bios (RMT_BIOS; Debian package seabios)"
	bios_args=(-bios "$bios")
fi
make_workdir qemu

# QEMU opens the image read-write: boot a scratch copy so a run can never
# change the build output (and two runs never share an image).
cp "$image" "$WORK/disk.img"
: > "$WORK/e9.out"
: > "$WORK/com1.out"

# COM1 to a file only when asked: the test guests' runs stay as they were.
serial_args=(-serial none)
[ -z "$serial_out" ] && [ -z "$marker" ] || serial_args=(-serial "file:$WORK/com1.out")
# The monitor on a pair of FIFOs (QEMU's pipe: chardev opens mon.in and
# mon.out) only when the screen is sampled.  fd 3 holds mon.in open
# read-write, so opening it never blocks and QEMU never sees EOF.
monitor_args=(-monitor none)
extra_args=()
case $image in *.iso) extra_args=(-nic none) ;; esac
if [ -n "$screen_out" ]; then
	mkfifo "$WORK/mon.in" "$WORK/mon.out"
	exec 3<>"$WORK/mon.in"
	cat "$WORK/mon.out" > "$WORK/monitor.log" &
	catpid=$!
	monitor_args=(-monitor "pipe:$WORK/mon")
fi

# The VGA text screen -> text (tests/lib/vga-text.sh).  pmemsave reads the
# guest's physical memory, through the VGA device for 0xB8000.  The file name
# is quoted: the monitor would parse "4000 /path" as a division.
screen_request() {
	echo "pmemsave 0xb8000 4000 \"$WORK/vga.bin\"" >&3
}
screen_text() {
	"$(dirname "$0")/../lib/vga-text.sh" "$WORK/vga.bin"
}
marker_seen() {
	grep -a -q -F -e "$marker" "$WORK/com1.out" "$WORK/e9.out" && return 0
	[ -n "$screen_out" ] && screen_text | grep -q -F -e "$marker"
}

start=$(now_ns)
set +e
# -debugcon at 0xE9: the guest's output, byte for byte, nothing else
#   (Debian's SeaBIOS logs to 0x402, not 0xE9).
# -serial none (unless asked), -monitor none (unless the screen is
#   sampled), -display none: headless; -no-reboot: a triple fault stops
#   QEMU instead of rebooting into the same image forever.
# timeout -k: SIGTERM first, SIGKILL 5 s later if QEMU does not go (also
#   when the marker poll below ends the run with SIGTERM).
timeout -k 5 "$limit" "$QEMU" \
	-machine "$machine" -m "$megs" \
	-display none "${monitor_args[@]}" "${serial_args[@]}" -no-reboot \
	-debugcon "file:$WORK/e9.out" -global isa-debugcon.iobase=0xe9 \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-drive "file=$WORK/disk.img,if=$drive_if,format=raw" -boot order=$boot_order \
	"${extra_args[@]}" "${bios_args[@]}" \
	> "$WORK/qemu.log" 2>&1 &
qpid=$!
seen=
marker_time=
if [ -n "$marker" ] || [ -n "$screen_out" ]; then
	# Poll until the marker shows (then stop QEMU) or QEMU ends by itself.
	while kill -0 "$qpid" 2>/dev/null; do
		[ -z "$screen_out" ] || screen_request
		if [ -n "$marker" ] && marker_seen; then
			seen=1
			marker_time=$(seconds_since "$start")
			kill -TERM "$qpid" 2>/dev/null
			break
		fi
		sleep 0.2
	done
fi
wait "$qpid"
status=$?
set -e
elapsed=$(seconds_since "$start")
# Last look: the marker may have come with QEMU's exit (e.g. a power-off
# right after the line); the screen as it was at the last poll.
if [ -n "$marker" ] && [ -z "$seen" ] && marker_seen; then
	seen=1
	marker_time=$elapsed
fi
if [ -n "$screen_out" ]; then
	# The reader of mon.out ends with QEMU's exit; if QEMU never started,
	# it would block in open() forever: end it either way.
	exec 3>&-
	kill "$catpid" 2>/dev/null || true
	screen_text > "$screen_out" || die "cannot write $screen_out"
fi
[ -z "$serial_out" ] || cp "$WORK/com1.out" "$serial_out" || die "cannot write $serial_out"

cp "$WORK/e9.out" "$out" || die "cannot write $out"

name=$(basename "$image")
if [ -n "$marker" ]; then
	if [ -n "$seen" ]; then
		echo "$RMT_SCRIPT: $name: marker \"$marker\" after ${marker_time}s" >&2
		exit 0
	fi
	case $status in
	124|137) reason="timed out after ${limit}s" ;;
	*)       reason="QEMU exited with status $status" ;;
	esac
	echo "$RMT_SCRIPT: $name: FAILED: no marker \"$marker\": $reason, after ${elapsed}s" >&2
	if [ -s "$WORK/qemu.log" ]; then
		echo "$RMT_SCRIPT: QEMU said:" >&2
		tail -n 20 "$WORK/qemu.log" | sed 's/^/  /' >&2
	fi
	exit 1
fi
case $status in
1)
	echo "$RMT_SCRIPT: $name: guest ended the run (RUN_OK) in ${elapsed}s" >&2
	exit 0 ;;
3)
	reason="guest ended the run with RUN_FAILED" ;;
0)
	reason="QEMU stopped without the guest ending the run (triple fault?)" ;;
124|137)
	reason="timed out after ${limit}s (guest never ended the run)" ;;
*)
	reason="QEMU exited with status $status" ;;
esac
echo "$RMT_SCRIPT: $name: FAILED: $reason, after ${elapsed}s" >&2
if [ -s "$WORK/qemu.log" ]; then
	echo "$RMT_SCRIPT: QEMU said:" >&2
	tail -n 20 "$WORK/qemu.log" | sed 's/^/  /' >&2
fi
exit 1
