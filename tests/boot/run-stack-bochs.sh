#!/bin/sh
# Boot a guest image through the whole stack under Bochs 2.7:
#   Bochs (core2_penryn_t9600: VT-x, no EPT, no unrestricted guest)
#     -> build/host/host.rom as the machine firmware (VMXON, VM entries)
#       -> IMAGE (loader + blob + payload) placed at 1 MiB
#
# usage: run-stack-bochs.sh IMAGE OUTDIR [TIMEOUT_SECONDS]
# Writes OUTDIR/console.txt (what reached port 0xE9, cleaned: host, blob and
# guest lines) and OUTDIR/bochs.log (Bochs' own log, with its VMENTER FAIL
# reasons).  Exit status: Bochs' (a test judges the console, not this).
set -eu
image=$1
out=$2
timeout=${3:-120}
build=${RMT_BUILD:-build}
mkdir -p "$out"
rc="$out/bochsrc"
cat > "$rc" <<EOF2
megs: 32
romimage: file=$build/host/host.rom, address=0xfffe0000
vgaromimage: file=/usr/share/vgabios/vgabios.bin
optramimage1: file=$image, address=0x100000
cpu: model=core2_penryn_t9600, count=1, reset_on_triple_fault=0, ignore_bad_msrs=0
display_library: term
port_e9_hack: enabled=1
log: $out/bochs.log
clock: sync=none
sound: waveoutdrv=dummy
magic_break: enabled=1
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
${RMT_BOCHS_EXTRA:-}
EOF2
printf 'c\nquit\n' > "$out/bochs.cont"
status=0
# script(1) drains the pseudo-terminal the term display draws into (else
# Bochs blocks on a full pty); timeout ends in SIGKILL because Bochs catches
# SIGTERM.
TERM=dumb timeout -k 5 "$timeout" script -qfec \
	"bochs -q -f $rc -rc $out/bochs.cont" /dev/null < /dev/null > "$out/raw.txt" 2>&1 || status=$?
"$(dirname "$0")/../lib/clean-console.sh" < "$out/raw.txt" > "$out/console.txt"
exit $status
