#!/bin/bash
# native-roundtrip.t — the roundtrip guest (testimages/roundtrip.asm) booted
# natively from its floppy, without the stack, under plain QEMU (SeaBIOS) and
# plain Bochs (rombios).  Both runs must end themselves and print exactly the
# lines of testimages/roundtrip.expected, so they are identical too.  This
# pins down the reference that runs under the stack are compared with.
#
# Environment: RMT_BUILD = the build directory (default: build).
# Exit status: 0 pass, 1 fail, 77 skip (an emulator is missing and CI is not
# true; under CI a missing emulator is a failure).
set -eu
RMT_SCRIPT=native-roundtrip
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib/common.sh"
. "$root/tests/lib/boot-compare.sh"
build=${RMT_BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac

skip_unless_emulators
make_workdir native-roundtrip
boot_both_and_compare roundtrip "$build/testimages/roundtrip.flp" \
	"$root/testimages/roundtrip.expected"
