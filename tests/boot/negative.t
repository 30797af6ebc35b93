#!/bin/sh
# Bad input never crashes or hangs the stack: each testimages/negative/
# guest does one wrong thing, and the blob or the host must stop the machine
# with a message naming what and where (CS:EIP), the guest state, and a
# failure status — on both hosts (HOSTS, default "bochs qemu").
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
status=0

# expect NAME PATTERN...: every grep -E pattern must match the console.
expect() {
	name=$1
	shift
	out=$build/test-out/negative/$host/$name
	rm -rf "$out"
	if ! RMT_BUILD=$build "$root/tests/lib/run-stack.sh" $host \
		"$build/images/negative-$name.img" "$out" 60; then
		echo "negative/$host/$name: FAIL: the machine did not stop properly (hang?)"
		status=1
		return
	fi
	for pat in "$@" '^host: stop: FAILURE$' '^host: +eax=[0-9a-f]{8} '; do
		if ! grep -q -E "$pat" "$out/console.txt"; then
			echo "negative/$host/$name: FAIL: no line matching: $pat"
			tail -20 "$out/console.txt" | sed 's/^/  | /'
			status=1
			return
		fi
	done
	echo "negative/$host/$name: ok: $(grep -m1 -E 'FATAL' "$out/console.txt")"
}

for host in ${HOSTS:-bochs qemu}; do
	# A guest's VMCALL is not a hypercall: refused at the guest's CS:EIP.
	expect pm-vmcall '^host: FATAL: hypercall 3 from 0008:00007c2[0-9a-f], which is not a registered blob$'
	# A guest posing as a blob: registration happens once, so its header is
	# refused and its "hypercall" is a guest's.
	expect reregister \
		'^host: blob registration at 0x00200000 refused: a blob is registered already$' \
		'^host: FATAL: hypercall 3 from 0008:00200100, which is not a registered blob$'
	# x87 arithmetic in an interpreted window (after an FNINIT the blob runs):
	# named, with CS:EIP and the opcode bytes.
	expect interp-x87 \
		'^rmtramp: vcpu0 FATAL: cannot interpret the instruction at 0000:00007c1a \(d9 e8 .*x87 instruction d9 e8 not interpreted' \
		'^host: FATAL from the blob \(reason 1\): cannot interpret the instruction at 0000:00007c1a'
	# CLI; HLT in real mode: the blob says nothing can wake it.
	expect realmode-hlt \
		'^host: FATAL from the blob \(reason 2\): the guest executed HLT with interrupts disabled at 0000:00007c01;'
	# A triple fault in the guest's protected mode: the host reports it.
	expect triple-fault '^host: FATAL: guest triple fault at 0008:00007c1d$'
done
exit $status
