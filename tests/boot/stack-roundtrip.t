#!/bin/sh
# The first scenario end to end: testimages/roundtrip.asm (real mode ->
# 32-bit protected mode -> real mode, three times) under the whole stack on
# both hosts — Bochs' VT-x without unrestricted guest and QEMU's SVM, each
# with the reference host, the loader and the blob — and the same image
# natively under plain QEMU and plain Bochs.
#
# Asserts: the guest's lines of the four runs are identical (and equal the
# golden file); each transition went through blob and host (one log line
# each, three handoffs and three re-entries, in the blob's counters and the
# host's hypercall / CR exit counts); the guest ended the run itself.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
out=$build/test-out/stack-roundtrip
rm -rf "$out"
mkdir -p "$out"
lines=$root/tests/lib/guest-lines.sh
con=
fail() { echo "stack-roundtrip: FAIL: $*"; [ -z "$con" ] || { echo "--- last console lines:"; tail -40 "$con"; }; exit 1; }
"$root/tests/boot/run-native-qemu.sh" "$build/testimages/roundtrip.flp" "$out/qemu.e9" 60 2>/dev/null ||
	fail "the native QEMU run failed"
"$root/tests/boot/run-native-bochs.sh" "$build/testimages/roundtrip.flp" "$out/bochs.e9" 60 2>/dev/null ||
	fail "the native Bochs run failed"

"$lines" roundtrip "$out/qemu.e9" > "$out/qemu.guest"
"$lines" roundtrip "$out/bochs.e9" > "$out/bochs.guest"
diff -u "$out/qemu.guest" "$out/bochs.guest" || fail "native QEMU and native Bochs differ"
diff -u "$root/testimages/roundtrip.expected" "$out/qemu.guest" ||
	fail "native output differs from testimages/roundtrip.expected"

# host exit counts: 3 handoff hypercalls; on VT-x 3 PE clears + the blob's
# own CR3, CR4.PSE and CR0.PG writes at cold boot; on SVM CR0 writes (3 PE
# clears + PG), and reads (SVM has no read shadows: every MOV from CR0/SMSW)
for host in bochs qemu; do
	con=$out/$host/console.txt
	RMT_BUILD=$build "$root/tests/lib/run-stack.sh" $host "$build/images/roundtrip.img" "$out/$host" 120 ||
		fail "the $host stack run did not end the machine properly"
	"$lines" roundtrip "$con" > "$out/$host.stack.guest"
	diff -u "$out/qemu.guest" "$out/$host.stack.guest" ||
		fail "guest output under the $host stack differs from the native runs"
	count() { grep -c "$1" "$con" || true; }
	[ "$(count '^rmtramp: vcpu0 handoff to protected mode at ')" = 3 ] || fail "$host: expected 3 handoff log lines"
	[ "$(count '^rmtramp: vcpu0 reentry, guest cleared PE at ')" = 3 ] || fail "$host: expected 3 re-entry log lines"
	grep -q '^host: blob vcpu0 counters: handoffs=3 reentries=3 ' "$con" ||
		fail "$host: blob counters are not handoffs=3 reentries=3"
	case $host in
	bochs) want='^host: exits \(vmx\): .*vmcall=3 cr_access=6' ;;
	qemu)  want='^host: exits \(svm\): cr0_read=[0-9]+ cr0_write=4 .*vmmcall=3' ;;
	esac
	grep -q -E "$want" "$con" || fail "$host: host exit counts do not match $want"
	if grep -q -E 'FATAL|FAIL' "$con"; then fail "$host: a FATAL/FAIL line in the console"; fi
	echo "stack-roundtrip: $host ok ($(grep '^host: exits' "$con"))"
done
