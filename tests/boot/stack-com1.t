#!/bin/sh
# The blob's console on COM1: with RMT_BOOT_CONSOLE_COM1 in the boot record
# (image roundtrip-com1) every line the blob prints on port 0xE9 also leaves
# through the first serial port, and the guest still runs to its end.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
out=$build/test-out/stack-com1
rm -rf "$out"
fail() { echo "stack-com1: FAIL: $*"; exit 1; }
RMT_BUILD=$build RMT_BOCHS_EXTRA="com1: enabled=1, mode=file, dev=com1.txt" \
	"$root/tests/boot/run-stack-bochs.sh" "$build/images/roundtrip-com1.img" "$out" 120 ||
	fail "the run did not end through the shutdown port"
grep '^rmtramp: ' "$out/console.txt" > "$out/e9.blob"
tr -d '\r' < "$out/com1.txt" > "$out/com1.blob"
[ "$(wc -l < "$out/e9.blob")" -ge 7 ] || fail "too few blob lines on port 0xE9"
diff -u "$out/e9.blob" "$out/com1.blob" || fail "COM1 does not carry exactly the blob's console lines"
grep -q '^roundtrip: done: ' "$out/console.txt" || fail "the guest did not finish"
echo "stack-com1: ok ($(wc -l < "$out/com1.blob") blob lines on COM1)"
