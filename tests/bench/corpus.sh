#!/bin/sh
# tests/bench/corpus.sh BUILD RUNS OUTFILE — the boot-corpus part of `make
# bench` (tests/bench/run.sh calls it and puts OUTFILE, a Markdown section,
# into BENCHMARKS.md).  Figures, never a pass/fail test.
#
# Each entry of build/corpus/ boots on QEMU 7.2 TCG natively
# (tests/boot/run-native-qemu.sh: Debian's SeaBIOS, 256 MiB like the stack's
# machine) and through the QEMU-SVM stack (tests/lib/run-disk.sh: SeaBIOS
# under the blob, 240 MiB of 256 for the guest), RUNS times each,
# interleaved (native, stack, next entry; then the next round).  The time is
# the runners' "marker after Ts": from starting QEMU to the entry's marker
# (the markers of tests/boot/native-corpus.t), polled every 0.2 s by both
# runners.  Per entry: the medians and their ratio — only when every run of
# both kinds reached the marker; a boot that failed is reported as failed
# with the first reason, never as a ratio.  The blob's counters come from
# the stack runs (read out of the machine at the marker, or the host's own
# line when the host ended the run), medians over the runs.  Host exits by
# reason come from one more stack run per entry with the exit-log host
# (build/host-log/host.rom: one "host: exit NAME ..." line per VM exit,
# counted by NAME up to the marker; the timed runs use the ordinary host).
# Scratch files: BUILD/bench/corpus/.
set -eu
build=$1
runs=$2
md=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
corpus=$build/corpus
work=$build/bench/corpus
rm -rf "$work"
mkdir -p "$work"

. "$root/tests/lib/corpus-markers.sh"
# ENTRY KIND MARKER (one a line; KIND serial or screen)
entries="linux-isolinux.iso serial $INIT
linux-grub.iso serial $INIT
linux16-grub.iso serial $INIT
linux-syslinux.hdd serial $INIT
memtest86+-syslinux.flp serial $MEMTEST
memtest86+.iso screen $MEMTEST
ipxe.iso screen $IPXE"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
marker_time() { sed -n 's/.*marker ".*" after \([0-9.]*\)s$/\1/p' "$1"; }
# why DIR: the first reason a stack run failed (a refusal, a FATAL line, the runner's verdict).
why() {
	r=$({ grep -E -m 1 '^host: guest .* refused' "$1/console.txt" || true; grep -m 1 FATAL "$1/console.txt" || true; } 2>/dev/null |
		sed 's/^host: //; s/^rmtramp: //' | awk '{ printf "%s%s", (NR > 1 ? " → " : ""), $0 }')
	[ -n "$r" ] || r=$(sed -n 's/.*FAILED: //p' "$1/runner.err" | head -n 1)
	printf '%s' "$r" | sed 's/|/\\|/g'
}

# boot native|stack|log ENTRY KIND MARKER DIR
boot() {
	mkdir -p "$5"
	screen=
	[ "$3" = screen ] && screen=$5/screen.txt
	case $1 in
	native)
		RMT_MEGS=256 RMT_MARKER=$4 RMT_SCREEN=$screen RMT_SERIAL=$5/com1.txt \
			"$root/tests/boot/run-native-qemu.sh" "$corpus/$2" "$5/e9.txt" 120 \
			> /dev/null 2> "$5/runner.err" ;;
	stack|log)
		rom=
		[ "$1" = log ] && rom=$build/host-log/host.rom
		RMT_BUILD=$build RMT_HOST_ROM=$rom RMT_MARKER=$4 RMT_SCREEN=$screen \
			"$root/tests/lib/run-disk.sh" qemu "$corpus/$2" "$5" 180 \
			> /dev/null 2> "$5/runner.err" ;;
	esac
}

i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	echo "$entries" | while read -r entry kind marker; do
		for how in native stack; do
			d=$work/$entry/$how-$i
			if boot $how "$entry" "$kind" "$marker" "$d"; then
				echo "$entry $how ok $(marker_time "$d/runner.err")" >> "$work/times"
			else
				echo "$entry $how failed" >> "$work/times"
			fi
		done
	done
done
echo "$entries" | while read -r entry kind marker; do
	boot log "$entry" "$kind" "$marker" "$work/$entry/log" || true
done

rows=
counter_rows=
exit_rows=
while read -r entry kind marker; do
	n_ok=$(awk -v e="$entry" '$1 == e && $2 == "native" && $3 == "ok"' "$work/times" | wc -l)
	s_ok=$(awk -v e="$entry" '$1 == e && $2 == "stack" && $3 == "ok"' "$work/times" | wc -l)
	nat=$(awk -v e="$entry" '$1 == e && $2 == "native" && $3 == "ok" { print $4 }' "$work/times" | median)
	stk=$(awk -v e="$entry" '$1 == e && $2 == "stack" && $3 == "ok" { print $4 }' "$work/times" | median)
	ncell=${nat:--}
	[ "$n_ok" -eq "$runs" ] || ncell="${nat:+$nat, }FAILED $((runs - n_ok))/$runs"
	if [ "$s_ok" -eq "$runs" ]; then
		scell=$stk
	else
		# The first failed stack run says why.
		j=1
		while [ $j -lt "$runs" ] &&
		      grep -q 'marker ".*" after' "$work/$entry/stack-$j/runner.err"; do
			j=$((j + 1))
		done
		scell="FAILED $((runs - s_ok))/$runs: $(why "$work/$entry/stack-$j")"
	fi
	if [ "$n_ok" -eq "$runs" ] && [ "$s_ok" -eq "$runs" ]; then
		ratio=$(awk -v a="$stk" -v b="$nat" 'BEGIN { printf "**%.2f**", a / b }')
	else
		ratio="— (a boot failed)"
	fi
	rows="$rows| $entry | $ncell | $scell | $ratio |
"
	# Counters: per run, from counters.txt (read at the marker) or the
	# host's line (the host ended the run); medians over the runs.
	: > "$work/$entry/counters"
	j=1
	while [ $j -le "$runs" ]; do
		d=$work/$entry/stack-$j
		if [ -s "$d/counters.txt" ]; then
			sed 's/^blob vcpu0 counters: //' "$d/counters.txt" >> "$work/$entry/counters"
		else
			sed -n 's/^host: blob vcpu0 counters: //p' "$d/console.txt" 2>/dev/null | tail -n 1 \
				>> "$work/$entry/counters"
		fi
		j=$((j + 1))
	done
	c=$(tr ' ' '\n' < "$work/$entry/counters" | awk -F= 'NF == 2 { v[$1] = v[$1] " " $2; if (!($1 in o)) { o[$1] = ++k; n[k] = $1 } }
		END { for (i = 1; i <= k; i++) print n[i], v[n[i]] }' |
		while read -r name vals; do
			m=$(echo "$vals" | tr ' ' '\n' | median)
			[ "$m" = 0 ] || printf '%s=%s ' "$name" "$m"
		done)
	h=$(echo "$c" | tr ' ' '\n' | sed -n 's/^handoffs=//p')
	r=$(echo "$c" | tr ' ' '\n' | sed -n 's/^reentries=//p')
	traps=$(echo "$c" | tr ' ' '\n' | grep -v -E '^(handoffs|reentries)=|^$' | tr '\n' ' ' | sed 's/ *$//')
	note=
	[ "$s_ok" -eq "$runs" ] || note=" (up to the failure)"
	counter_rows="$counter_rows| $entry | ${h:--} | ${r:--} | ${traps:--}$note |
"
	l=$work/$entry/log
	ex=$(sed -n 's/^host: exit \([^ ]*\) (.*/\1/p' "$l/console.txt" 2>/dev/null | sort | uniq -c |
		sort -rn | awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1 }')
	lnote=
	grep -q 'marker ".*" after' "$l/runner.err" 2>/dev/null || lnote=" (up to the failure)"
	exit_rows="$exit_rows| $entry | ${ex:--}$lnote |
"
done <<EOF
$entries
EOF

cat > "$md" <<EOF
## The boot corpus: the stack against native (QEMU)

Each entry of \`build/corpus/\` (\`make corpus\`; markers as in
\`tests/boot/native-corpus.t\`) booted on QEMU 7.2 TCG natively (Debian's
SeaBIOS, 256 MiB) and through the QEMU-SVM stack (SeaBIOS under the blob;
240 MiB of 256 for the guest), $runs runs each, interleaved; median seconds
from starting QEMU to the marker (both runners poll every 0.2 s).  A ratio
only where every run of both kinds reached the marker; a failed boot is
reported with its first reason.  Target: stack ≤ 1.10 × native.

| entry | native (s) | stack (s) | stack / native |
|---|---|---|---|
${rows}
### Blob counters per boot (stack runs, medians)

Handoffs and re-entries are the blob's mode transitions; traps are vm86
traps by kind, \`interpreted\` counts instructions run by the interpreter.
A failed boot's counters are those at the failure.

| entry | handoffs | re-entries | traps and other counters (non-zero) |
|---|---|---|---|
${counter_rows}
### Host VM exits by reason (one stack boot with the exit-log host)

| entry | exits |
|---|---|
${exit_rows}
EOF
