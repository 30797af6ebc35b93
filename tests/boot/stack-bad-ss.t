#!/bin/sh
# The safety net: a test-only blob (RMT_FEAT_TEST_BAD_SS_RPL) hands off an SS
# whose RPL differs from CS's.  Bochs' VM entry must refuse it, and the host
# must report the failure with the guest state and the SDM rule, then stop
# with a failure status — never hang, never run the bad state.
set -eu
build=${RMT_BUILD:-build}
out=$build/test-out/stack-bad-ss
rm -rf "$out"
"$(dirname "$0")/run-stack-bochs.sh" "$build/images/roundtrip-bad-ss.img" "$out" 120 || true
con=$out/console.txt
fail() { echo "stack-bad-ss: FAIL: $*"; echo "--- last console lines:"; tail -40 "$con"; exit 1; }

grep -q 'host: blob registered: .*TEST BUILD: bad SS.RPL' "$con" || fail "the test blob did not register"
grep -q '^rmtramp: vcpu0 handoff to protected mode' "$con" || fail "the blob never handed off"
grep -q '^host: FATAL: VM entry failed: invalid guest state (exit reason 0x80000021)' "$con" ||
	fail "the host did not report the VM-entry failure"
# the state the processor refused: SS with RPL 3, CS with RPL 0
grep -q '^host:   ss   sel=...3 ' "$con" || fail "the reported state does not show SS.RPL=3"
# our validator names the SDM rule, Bochs' log names the field it refused
grep -q '^host: validator: seg.ss_rpl_eq_cs_rpl: 26.3.1.2: SS.RPL (3) != CS.RPL (0)' "$con" ||
	fail "the host did not name rule seg.ss_rpl_eq_cs_rpl"
grep -q 'VMENTER FAIL: VMCS guest CS.RPL != SS.RPL' "$out/bochs.log" ||
	fail "Bochs' log does not name SS.RPL ($(grep -m1 'VMENTER FAIL' "$out/bochs.log"))"
grep -q '^host: stop: FAILURE' "$con" || fail "the host did not stop with a failure status"
# nothing the guest printed after the refused handoff
if grep -q '^roundtrip: .*protected mode' "$con"; then fail "the guest ran after a refused entry"; fi
echo "stack-bad-ss: ok ($(grep -m1 'VMENTER FAIL' "$out/bochs.log" | sed 's/.*VMENTER/VMENTER/'))"
