#!/bin/sh
# The first scenario end to end: testimages/roundtrip.asm (real mode ->
# 32-bit protected mode -> real mode, three times) under the whole stack —
# Bochs' VT-x without unrestricted guest, the reference host, the loader, the
# blob — and the same image natively under plain QEMU and plain Bochs.
#
# Asserts: the guest's lines of the three runs are identical (and equal the
# golden file); each transition went through blob and host (one log line
# each, three handoffs and three re-entries, in the blob's counters and the
# host's VMCALL / CR-access exit counts); the guest ended the run itself.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
out=$build/test-out/stack-roundtrip
rm -rf "$out"
mkdir -p "$out"
lines=$root/tests/lib/guest-lines.sh
fail() { echo "stack-roundtrip: FAIL: $*"; echo "--- last console lines:"; tail -40 "$out/stack/console.txt" 2>/dev/null; exit 1; }

RMT_BUILD=$build "$root/tests/boot/run-stack-bochs.sh" "$build/images/roundtrip.img" "$out/stack" 120 ||
	fail "the stack run did not end through the shutdown port"
"$root/tests/boot/run-native-qemu.sh" "$build/testimages/roundtrip.flp" "$out/qemu.e9" 60 2>/dev/null ||
	fail "the native QEMU run failed"
"$root/tests/boot/run-native-bochs.sh" "$build/testimages/roundtrip.flp" "$out/bochs.e9" 60 2>/dev/null ||
	fail "the native Bochs run failed"

"$lines" roundtrip "$out/stack/console.txt" > "$out/stack.guest"
"$lines" roundtrip "$out/qemu.e9" > "$out/qemu.guest"
"$lines" roundtrip "$out/bochs.e9" > "$out/bochs.guest"
for run in qemu bochs; do
	diff -u "$out/$run.guest" "$out/stack.guest" > "$out/$run.diff" ||
		{ cat "$out/$run.diff"; fail "guest output under the stack differs from native $run"; }
done
diff -u "$root/testimages/roundtrip.expected" "$out/stack.guest" ||
	fail "guest output differs from testimages/roundtrip.expected"

con=$out/stack/console.txt
count() { grep -c "$1" "$con" || true; }
[ "$(count '^rmtramp: vcpu0 handoff to protected mode at ')" = 3 ] || fail "expected 3 handoff log lines"
[ "$(count '^rmtramp: vcpu0 reentry, guest cleared PE at ')" = 3 ] || fail "expected 3 re-entry log lines"
grep -q '^host: blob vcpu0 counters: handoffs=3 reentries=3 ' "$con" ||
	fail "blob counters are not handoffs=3 reentries=3"
# Host side: 3 handoff hypercalls; CR accesses = 3 PE clears + the blob's
# own 3 (CR3, CR4.PSE, CR0.PG) at cold boot.
grep -q '^host: exits (vmx): .*vmcall=3 cr_access=6' "$con" ||
	fail "host exit counts are not vmcall=3 cr_access=6"
if grep -q -E 'FATAL|FAIL' "$con"; then fail "a FATAL/FAIL line in the console"; fi
echo "stack-roundtrip: ok ($(grep '^host: blob vcpu0 counters' "$con" | cut -d' ' -f5-6))"
