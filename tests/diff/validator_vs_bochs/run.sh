#!/bin/sh
# The validator against Bochs 2.7's own VM-entry checks (docs/validator-vs-bochs.md).
#
# usage: run.sh COUNT SEED OUTDIR [BATCH]
#
#   1. build/tests/diff/vvb-gen writes the states, BATCH (default and maximum
#      2250) per file: OUTDIR/batch-N/states.bin;
#   2. Bochs (core2_penryn_t9600) boots build/host-oracle/host.rom with the
#      file at 0x01000000, cut into 128 KiB pieces (optramimage1..4: Bochs
#      2.7 loads each image into one 128 KiB memory block, host/oracle.h);
#      the oracle VM-enters every state
#      through backend_load_state() and prints one line per state
#      (OUTDIR/batch-N/console.txt); Bochs names each refused field in
#      OUTDIR/batch-N/bochs.log;
#   3. build/tests/diff/vvb-compare runs the same states through
#      vmcs_view_from_guest() + vmentry_validate() and prints the agreement;
#      its last line is
#        validator-vs-bochs: states=N agree=A bochs-deviation=D unexplained=U
#
# Exit status: vvb-compare's (0 iff unexplained=0 and every state has a
# verdict), 2 for a usage or build problem.
set -eu
[ $# -ge 3 ] || { echo "usage: run.sh COUNT SEED OUTDIR [BATCH]" >&2; exit 2; }
count=$1
seed=$2
out=$3
batch=${4:-2250}
[ "$batch" -le 2250 ] || { echo "run.sh: BATCH is at most 2250" >&2; exit 2; }
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
rom=$build/host-oracle/host.rom
gen=$build/tests/diff/vvb-gen
cmp=$build/tests/diff/vvb-compare
for f in "$rom" "$gen" "$cmp"; do
	[ -e "$f" ] || { echo "run.sh: missing $f (make oracle)" >&2; exit 2; }
done
command -v bochs > /dev/null || { echo "run.sh: bochs not found (scripts/install-deps.sh)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
clean=$here/../../lib/clean-bochs-stdout.sh

rm -rf "$out"
mkdir -p "$out"
case $out in /*) ;; *) out=$PWD/$out ;; esac

# Bochs time per batch: startup plus ~1 ms per state is generous.
first=0 n=0 args=
while [ "$first" -lt "$count" ]; do
	size=$((count - first))
	[ "$size" -gt "$batch" ] && size=$batch
	dir=$out/batch-$n
	mkdir -p "$dir"
	"$gen" "$seed" "$count" "$dir/states.bin" "$first" "$size"
	(cd "$dir" && split -b 131072 -d -a 1 states.bin piece-)
	images=
	for p in "$dir"/piece-*; do
		k=${p##*-}
		images="${images}optramimage$((k + 1)): file=$p, address=$(printf 0x%08x $((0x01000000 + k * 0x20000)))
"
	done
	cat > "$dir/bochsrc" <<EOF
megs: 256
romimage: file=$rom, address=0xfffe0000
vgaromimage: file=/usr/share/vgabios/vgabios.bin
${images}cpu: model=core2_penryn_t9600, count=1, reset_on_triple_fault=0, ignore_bad_msrs=0
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
EOF
	printf 'c\nquit\n' > "$dir/debugger.rc"
	limit=$((30 + size / 100))
	t0=$(date +%s%N)
	set +e
	{ (cd "$dir" && TERM=dumb exec timeout -k 2 "$limit" bochs -q -f bochsrc -rc debugger.rc \
		< /dev/null > stdout.raw 2> stderr.raw); } 2> /dev/null
	set -e
	t1=$(date +%s%N)
	"$clean" "$dir/stdout.raw" > "$dir/console.txt"
	echo "run.sh: batch $n: states $first..$((first + size - 1)) in Bochs:" \
		"$(( (t1 - t0) / 1000000 )) ms"
	args="$args $dir"
	first=$((first + size))
	n=$((n + 1))
done
# shellcheck disable=SC2086
exec "$cmp" $args
