#!/bin/sh
# The safety net: a test-only blob (RMT_FEAT_TEST_BAD_SS_RPL) hands off an SS
# whose RPL differs from CS's.  On Bochs, the processor's VM entry must refuse
# it (Bochs names the field in its log); on QEMU the SVM backend, imitating
# VT-x without unrestricted guest, must refuse it before VMRUN.  Either way
# the host reports the failure with the guest state and the SDM rule, then
# stops with a failure status — never hangs, never runs the bad state.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
status=0
for host in bochs qemu; do
	out=$build/test-out/stack-bad-ss/$host
	rm -rf "$out"
	RMT_BUILD=$build "$root/tests/lib/run-stack.sh" $host \
		"$build/images/roundtrip-bad-ss.img" "$out" 120 || true
	con=$out/console.txt
	case $host in
	bochs) refused='^host: FATAL: VM entry failed: invalid guest state \(exit reason 0x80000021\)' ;;
	qemu)  refused='^host: FATAL: VM entry refused: invalid guest state for VT-x without unrestricted guest' ;;
	esac
	for pat in \
		'^host: blob registered: .*TEST BUILD: bad SS.RPL' \
		'^rmtramp: vcpu0 handoff to protected mode' \
		"$refused" \
		'^host:   ss   sel=...3 ' \
		'^host: validator: seg.ss_rpl_eq_cs_rpl: 26.3.1.2: SS.RPL \(3\) != CS.RPL \(0\)' \
		'^host: stop: FAILURE$'; do
		if ! grep -q -E "$pat" "$con"; then
			echo "stack-bad-ss/$host: FAIL: no line matching: $pat"
			tail -30 "$con" | sed 's/^/  | /'
			status=1
			continue 2
		fi
	done
	if [ $host = bochs ] && ! grep -q 'VMENTER FAIL: VMCS guest CS.RPL != SS.RPL' "$out/bochs.log"; then
		echo "stack-bad-ss/bochs: FAIL: Bochs' log does not name the field ($(grep -m1 'VMENTER FAIL' "$out/bochs.log"))"
		status=1
		continue
	fi
	if grep -q '^roundtrip: .*pm32' "$con"; then
		echo "stack-bad-ss/$host: FAIL: the guest ran after a refused entry"
		status=1
		continue
	fi
	echo "stack-bad-ss/$host: ok"
done
exit $status
