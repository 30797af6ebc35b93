#!/bin/sh
# make bench: measure, and write BENCHMARKS.md.  Never a pass/fail test.
#   1. the interpreter's cost: callgrind over whole test guests run through
#      the hosted interpreter (tests/bench/interp_trace.c): host instructions
#      per guest instruction, the fixed start-up cost subtracted;
#   2. stack vs native wall time for the same disk (biosdisk.hdd) booted by
#      the same guest BIOS natively and under the blob, RUNS runs each,
#      interleaved, median;
#   3. the blob's traps and the host's exits by kind, from the stack runs;
#   4. the boot corpus on QEMU, native against the stack, RUNS runs each
#      (tests/bench/corpus.sh: times, ratios, counters, exits per entry).
# usage: run.sh BUILD_DIR ITRACE_BINARY [RUNS]
set -eu
build=$1
itrace=$2
runs=${3:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$build/bench
mkdir -p "$out"
md=$root/BENCHMARKS.md

now_ns() { date +%s%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# --- 1. interpreter cost ------------------------------------------------
ir() {  # ir IMAGE STEPS -> "Ir guest_instructions"
	valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$itrace" "$1" ${2:+"$2"} \
		> "$out/itrace.out" 2> "$out/valgrind.err" || true
	irs=$(sed -n 's/^summary: *//p' "$out/cg.out")
	n=$(sed -n 's/^guest_instructions=\([0-9]*\).*/\1/p' "$out/itrace.out")
	echo "$irs $n"
}
set -- $(ir "$build/testimages/roundtrip.bin" 0)
base=$1
interp_rows=
total_ir=0
total_n=0
for t in roundtrip transition-loads linux-setup seg16-from-32 big-real-mode a20 btx; do
	img=$build/testimages/$t.bin
	[ -r "$img" ] || continue
	set -- $(ir "$img")
	net=$(($1 - base))
	total_ir=$((total_ir + net))
	total_n=$((total_n + $2))
	interp_rows="$interp_rows| $t | $2 | $net | $((net / $2)) |
"
done

# --- 2. boot times --------------------------------------------------------
disk=$build/testimages/biosdisk.hdd
: > "$out/times"
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	for host in qemu bochs; do
		t0=$(now_ns)
		# 256 MiB natively too: the disk fills every usable byte, and the
		# stack's guest has 240 MiB of the 256 (host/memmap.h).
		RMT_MEGS=256 "$root/tests/boot/run-native-$host.sh" "$disk" "$out/native-$host.e9" 120 \
			2>/dev/null || true
		t1=$(now_ns)
		RMT_BUILD=$build "$root/tests/lib/run-disk.sh" $host "$disk" "$out/stack-$host" 600 \
			> /dev/null 2>&1 || true
		t2=$(now_ns)
		echo "$host native $(( (t1 - t0) / 1000000 ))" >> "$out/times"
		echo "$host stack $(( (t2 - t1) / 1000000 ))" >> "$out/times"
	done
done
time_rows=
for host in qemu bochs; do
	nat=$(awk -v h=$host '$1 == h && $2 == "native" { print $3 }' "$out/times" | median)
	stk=$(awk -v h=$host '$1 == h && $2 == "stack" { print $3 }' "$out/times" | median)
	ratio=$(awk -v a="$stk" -v b="$nat" 'BEGIN { printf "%.2f", a / b }')
	case $host in qemu) what="QEMU 7.2 TCG, SeaBIOS bios.bin" ;; bochs) what="Bochs 2.7 core2_penryn_t9600, rombios" ;; esac
	time_rows="$time_rows| $what | $nat | $stk | $ratio |
"
done

# --- 3. traps and exits ---------------------------------------------------
counter_rows=
for host in qemu bochs; do
	con=$out/stack-$host/console.txt
	exits=$(sed -n 's/^host: exits (\(.*\)): *//p' "$con" | tail -1)
	blob=$(sed -n 's/^host: blob vcpu0 counters: *//p' "$con" | tail -1 | tr ' ' '\n' |
		grep -v '=0$' | tr '\n' ' ')
	counter_rows="$counter_rows| $host | $exits | $blob |
"
done

# --- 4. the boot corpus ---------------------------------------------------
"$root/tests/bench/corpus.sh" "$build" "$runs" "$out/corpus.md"

cat > "$md" <<EOF2
# Benchmarks

Written by \`make bench\` (tests/bench/run.sh) on $(date -u +%Y-%m-%d), on this
project's 2-core machine.  Figures, not pass/fail tests; noisy where they are
wall-clock times.

## The interpreter: host instructions per emulated guest instruction

valgrind --tool=callgrind over whole BIOS-less test guests run entirely
through the hosted interpreter (\`tests/bench/interp_trace.c\`, the freestanding
sources compiled as in the blob — -Os, vm86/ -O2 — with libc's memcpy/memset
where the blob has lib/string.c's): mode-switch sequences, segment loads in
both transition windows, string moves, big-real-mode accesses, serial output.  The harness's
memory callbacks and loop are counted; its fixed start-up cost ($base Ir) is
subtracted.  Target: at most 300.

| guest | guest instructions | host instructions (Ir) | per guest instruction |
|---|---|---|---|
${interp_rows}| **all** | $total_n | $total_ir | **$((total_ir / total_n))** |

## Booting a disk: the stack against native

The same hard disk (testimages/biosdisk: INT 10h/13h/15h/16h/1Ah, timer
waits, three protected-mode round trips, big real mode) booted by the same
guest BIOS, natively (256 MiB) and under the blob (240 MiB of 256 for the
guest; the disk writes and verifies every usable byte), POST included, $runs
runs each, interleaved; median wall time in milliseconds, from starting the
emulator to the guest ending the run.

| emulator | native (ms) | stack (ms) | stack / native |
|---|---|---|---|
${time_rows}
## Traps and exits by kind (one stack boot of the disk above)

| host | host VM exits by reason | blob counters (non-zero) |
|---|---|---|
${counter_rows}
$(cat "$out/corpus.md")
EOF2
echo "bench: wrote $md"
echo "interp: $((total_ir / total_n)) host instructions per guest instruction over $total_n"
printf '%s' "$time_rows"
