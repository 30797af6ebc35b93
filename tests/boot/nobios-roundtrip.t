#!/bin/bash
# nobios-roundtrip.t — the roundtrip guest started the way the stack's loader
# starts it: no BIOS at all (build/testimages/roundtrip.nobios.rom is the
# machine firmware; it copies roundtrip.bin to 0000:7C00 and jumps there with
# DL = 0, IF = 0, an all-zero IVT).  Under plain QEMU and plain Bochs the
# output must be exactly testimages/roundtrip.expected, the same as a native
# floppy boot: the guest's boot code must see its magic and skip INT 13h (a
# BIOS call here would jump through a zero vector and never end the run).
#
# Environment: RMT_BUILD = the build directory (default: build).
# Exit status: 0 pass, 1 fail, 77 skip (as native-roundtrip.t).
set -eu
RMT_SCRIPT=nobios-roundtrip
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/common.sh"
. "$root/tests/lib/boot-compare.sh"
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac

skip_unless_emulators
make_workdir nobios-roundtrip
# The floppy is attached but never read: the ROM does not touch it.
boot_both_and_compare roundtrip "$build/testimages/roundtrip.flp" \
	"$root/testimages/roundtrip.expected" "$build/testimages/roundtrip.nobios.rom"
