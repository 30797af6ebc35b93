# tests/lib/stack-scenario.sh — shared body of the tests/boot/stack-<name>.t
# scenario tests (sourced, POSIX sh, after `set -eu`).
#
# A scenario is one test guest, testimages/<name>.asm, booted three ways:
#   stack   Bochs' VT-x (no unrestricted guest) -> host -> loader -> blob ->
#           the guest (build/images/<name>.img, tests/boot/run-stack-bochs.sh)
#   qemu    the floppy natively under plain QEMU (run-native-qemu.sh)
#   bochs   the floppy natively under plain Bochs (run-native-bochs.sh)
# The guest's lines ("<name>: ...") must be identical in all three and equal
# testimages/<name>.expected; then the test checks what the console says about
# how the stack ran it (handoffs, re-entries, interpreted windows).
#
#   scenario_start NAME         sets $root, $build, $out, $con; clears $out
#   scenario_boot_three [T]     the three runs (stack timeout T s, default 120)
#                               and the three-way + golden comparison
#   SCENARIO_QEMU_DEVIATES=FILE (set before scenario_boot_three) for a guest
#                               that probes what QEMU TCG does not implement
#                               (segment-limit and type checks on data
#                               accesses): QEMU's lines must then equal FILE —
#                               the deviation pinned down line by line, and the
#                               run must end with RUN_FAILED (the guest's own
#                               verdict) — while the stack must equal native
#                               Bochs and the golden file as usual.  Say why
#                               in the test.
#   scenario_also_qemu_stack [T]  the same image through the QEMU-SVM stack
#                               too: its guest lines must equal the golden
#                               file, its blob counters the Bochs stack's
#                               handoffs/re-entries, and no FATAL
#   scenario_count_is N ERE WHAT   exactly N console lines match ERE
#   scenario_counters H R       the blob's counters say handoffs=H reentries=R
#                               and the host counted H VMCALLs and R + 3 CR
#                               accesses (R PE clears + the blob's own 3 at
#                               cold boot: CR3, CR4.PSE, CR0.PG)
#   scenario_no_fatal           no FATAL/FAIL line anywhere in the console
#   scenario_ok                 prints "stack-NAME: ok (...)"
#   scenario_fail MSG           prints MSG and the console's tail; exit 1
# Every run has a timeout and a success marker (the runners'); a failure
# exits 1 with the reason — nothing is skipped.

scenario_fail() {
	echo "stack-$scenario: FAIL: $*"
	if [ -r "$con" ]; then
		echo "--- last console lines ($con):"
		tail -n 40 "$con"
	fi
	exit 1
}

scenario_start() {
	scenario=$1
	root=$(cd "$(dirname "$0")/../.." && pwd)
	build=${RMT_BUILD:-build}
	case $build in /*) ;; *) build=$root/$build ;; esac
	out=$build/test-out/stack-$scenario
	con=$out/stack/console.txt
	rm -rf "$out"
	mkdir -p "$out"
	for f in "$build/images/$scenario.img" "$build/testimages/$scenario.flp" \
		 "$root/testimages/$scenario.expected"; do
		[ -r "$f" ] || scenario_fail "missing $f (run: make all)"
	done
}

scenario_boot_three() {
	_limit=${1:-120}
	_lines=$root/tests/lib/guest-lines.sh
	RMT_BUILD=$build "$root/tests/boot/run-stack-bochs.sh" "$build/images/$scenario.img" \
		"$out/stack" "$_limit" ||
		scenario_fail "the stack run did not end through the shutdown port"
	_qemu_ok=0
	"$root/tests/boot/run-native-qemu.sh" "$build/testimages/$scenario.flp" "$out/qemu.e9" 60 \
		2>"$out/qemu.err" || _qemu_ok=$?
	if [ -n "${SCENARIO_QEMU_DEVIATES:-}" ]; then
		grep -q 'guest ended the run with RUN_FAILED' "$out/qemu.err" ||
			{ cat "$out/qemu.err"; scenario_fail "the native QEMU run did not end with the guest's RUN_FAILED (known deviation)"; }
	elif [ "$_qemu_ok" != 0 ]; then
		cat "$out/qemu.err"; scenario_fail "the native QEMU run failed"
	fi
	"$root/tests/boot/run-native-bochs.sh" "$build/testimages/$scenario.flp" "$out/bochs.e9" 60 \
		2>"$out/bochs.err" || { cat "$out/bochs.err"; scenario_fail "the native Bochs run failed"; }

	"$_lines" "$scenario" "$con" > "$out/stack.guest"
	"$_lines" "$scenario" "$out/qemu.e9" > "$out/qemu.guest"
	"$_lines" "$scenario" "$out/bochs.e9" > "$out/bochs.guest"
	_runs="qemu bochs"
	if [ -n "${SCENARIO_QEMU_DEVIATES:-}" ]; then
		diff -u "$SCENARIO_QEMU_DEVIATES" "$out/qemu.guest" > "$out/qemu-deviation.diff" ||
			{ cat "$out/qemu-deviation.diff"; scenario_fail "native QEMU no longer deviates exactly as $SCENARIO_QEMU_DEVIATES says"; }
		_runs=bochs
	else
		# QEMU and Bochs first: if they disagree the golden file cannot be right.
		diff -u "$out/qemu.guest" "$out/bochs.guest" > "$out/native.diff" ||
			{ cat "$out/native.diff"; scenario_fail "native QEMU and native Bochs print different lines"; }
	fi
	for _run in $_runs; do
		diff -u "$out/$_run.guest" "$out/stack.guest" > "$out/$_run.diff" ||
			{ cat "$out/$_run.diff"; scenario_fail "guest output under the stack differs from native $_run"; }
	done
	diff -u "$root/testimages/$scenario.expected" "$out/stack.guest" ||
		scenario_fail "guest output differs from testimages/$scenario.expected"
	grep -q "^$scenario: done: " "$out/stack.guest" ||
		scenario_fail "the guest never printed its '$scenario: done: ' line"
}

scenario_also_qemu_stack() {
	_qcon=$out/qemu-stack/console.txt
	RMT_BUILD=$build "$root/tests/lib/run-stack.sh" qemu "$build/images/$scenario.img" \
		"$out/qemu-stack" "${1:-120}" ||
		{ tail -n 20 "$_qcon"; scenario_fail "the QEMU-SVM stack run did not end the machine"; }
	"$root/tests/lib/guest-lines.sh" "$scenario" "$_qcon" > "$out/qemu-stack.guest"
	diff -u "$root/testimages/$scenario.expected" "$out/qemu-stack.guest" ||
		scenario_fail "guest output under the QEMU-SVM stack differs from the golden file"
	_counts=$(grep '^host: blob vcpu0 counters' "$con" | cut -d' ' -f5-6)
	grep -q "^host: blob vcpu0 counters: $_counts " "$_qcon" ||
		scenario_fail "the QEMU-SVM stack's blob counters differ from the Bochs stack's ($_counts)"
	if grep -q -E 'FATAL|FAIL' "$_qcon"; then
		scenario_fail "a FATAL/FAIL line under the QEMU-SVM stack: $(grep -m1 -E 'FATAL|FAIL' "$_qcon")"
	fi
}

scenario_count_is() {
	_n=$(grep -c -E "$2" "$con" || true)
	[ "$_n" = "$1" ] || scenario_fail "expected $1 $3, the console has $_n"
}

scenario_counters() {
	scenario_count_is "$1" '^rmtramp: vcpu0 handoff to protected mode at ' "handoff log lines"
	scenario_count_is "$2" '^rmtramp: vcpu0 reentry, guest cleared PE at ' "re-entry log lines"
	grep -q "^host: blob vcpu0 counters: handoffs=$1 reentries=$2 " "$con" ||
		scenario_fail "blob counters are not handoffs=$1 reentries=$2"
	grep -q -E "^host: exits \(vmx\): .*vmcall=$1 cr_access=$(($2 + 3))( |\$)" "$con" ||
		scenario_fail "host exit counts are not vmcall=$1 cr_access=$(($2 + 3))"
}

scenario_no_fatal() {
	if grep -q -E 'FATAL|FAIL' "$con"; then
		scenario_fail "a FATAL/FAIL line in the console: $(grep -m1 -E 'FATAL|FAIL' "$con")"
	fi
}

scenario_ok() {
	echo "stack-$scenario: ok ($(grep '^host: blob vcpu0 counters' "$con" | cut -d' ' -f5-6))"
}
