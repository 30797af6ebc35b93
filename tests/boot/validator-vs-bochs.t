#!/bin/sh
# The VM-entry validator against Bochs 2.7's own checks, check-sized: 2000
# seeded random and edge-case states (protected mode and vm86) VM-entered by
# the oracle host under Bochs and run through vmcs_view_from_guest() +
# vmentry_validate().  Every disagreement must be one of Bochs 2.7's
# documented deviations (vmentry_bochs27_deviations()); `make diff-bochs` is
# the full run.  docs/validator-vs-bochs.md.
set -eu
build=${RMT_BUILD:-build}
out=$build/test-out/validator-vs-bochs
for f in "$build/host-oracle/host.rom" "$build/tests/diff/vvb-gen" "$build/tests/diff/vvb-compare"; do
	[ -e "$f" ] || { echo "validator-vs-bochs: $f missing (make oracle)"; exit 1; }
done
mkdir -p "$(dirname "$out")"
set +e
"$(dirname "$0")/../diff/validator_vs_bochs/run.sh" "${RMT_VVB_STATES:-2000}" \
	"${RMT_VVB_SEED:-20261122}" "$out" > "$out.txt" 2>&1
rc=$?
set -e
last=$(tail -n 1 "$out.txt")
echo "$last"
case $last in
"validator-vs-bochs: states="*" unexplained=0")
	[ "$rc" -eq 0 ] && exit 0 ;;
esac
echo "--- $out.txt:"
grep -A 14 UNEXPLAINED "$out.txt" | head -60
tail -n 5 "$out.txt"
exit 1
