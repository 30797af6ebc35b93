#!/bin/sh
# run-stack.sh HOST IMAGE OUTDIR [TIMEOUT]: boot IMAGE through the whole
# stack on HOST = bochs (VT-x, core2_penryn_t9600) or qemu (TCG + SVM).
# Both runners write OUTDIR/console.txt; see tests/boot/run-stack-*.sh.
set -eu
host=$1
shift
case $host in
bochs|qemu) exec "$(dirname "$0")/../boot/run-stack-$host.sh" "$@" ;;
*) echo "run-stack: unknown host '$host' (bochs or qemu)" >&2; exit 2 ;;
esac
