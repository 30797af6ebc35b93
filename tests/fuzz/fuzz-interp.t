#!/bin/sh
# libFuzzer over the interpreter (decode + execute on arbitrary bytes and
# states, with address and undefined-behaviour sanitizers), bounded:
# FUZZ_QUICK seconds (make fuzz-quick).  Fails on any crash or sanitizer
# report.  `make fuzz` runs it longer.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
make --no-print-directory fuzz-quick
