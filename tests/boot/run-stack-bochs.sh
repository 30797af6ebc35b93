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
# RMT_BOCHS_IGNORE_BAD_MSRS=1 makes MSRs Bochs' Penryn model lacks read as
# 0 (Bochs' ignore_bad_msrs), as the native reference runs of Linux have it
# (run-native-bochs.sh): Linux's early code reads IA32_MISC_ENABLE with no
# fault handler, and the host passes that MSR to the processor.
# Exit status: 0 if the machine ended the run through the shutdown port
# (which the host and the guest both use), 1 otherwise; a test judges the
# console, not this.
set -eu
image=$1
out=$2
limit=${3:-120}
build=${RMT_BUILD:-build}
here=$(dirname "$0")
case $image in /*) ;; *) image=$PWD/$image ;; esac
case $build in /*) ;; *) build=$PWD/$build ;; esac
[ -r "$image" ] || { echo "run-stack-bochs: no image $image" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)          # Bochs runs in $out: every path absolute
# Bochs 2.7 loads an optramimage correctly only up to 128 KiB (it reads the
# file into one 128 KiB block): place the image as consecutive 128 KiB
# pieces, optramimage1..4 (at most 512 KiB).
rm -f "$out"/image.part*
split -b 131072 -d -a 1 "$image" "$out/image.part"
ramimages=
n=0
for part in "$out"/image.part*; do
	n=$((n + 1))
	[ $n -le 4 ] || { echo "run-stack-bochs: $image is larger than 512 KiB" >&2; exit 2; }
	ramimages="${ramimages}optramimage$n: file=$part, address=$(printf '0x%x' $((0x100000 + (n - 1) * 0x20000)))
"
done
cat > "$out/bochsrc" <<EOF2
megs: 256
romimage: file=${RMT_HOST_ROM:-$build/host/host.rom}, address=0xfffe0000
vgaromimage: file=/usr/share/vgabios/vgabios.bin
${ramimages}cpu: model=core2_penryn_t9600, count=1, reset_on_triple_fault=0, ignore_bad_msrs=${RMT_BOCHS_IGNORE_BAD_MSRS:-0}
display_library: term
port_e9_hack: enabled=1
log: bochs.log
clock: sync=none
sound: waveoutdrv=dummy
magic_break: enabled=1
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
${RMT_BOCHS_EXTRA:-}
EOF2
printf 'c\nquit\n' > "$out/debugger.rc"
rm -f "$out/bochs.log"

# TERM=dumb keeps the term display from stalling (it draws on a pty of its
# own, not stdout); timeout ends in SIGKILL since Bochs catches SIGTERM.
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
