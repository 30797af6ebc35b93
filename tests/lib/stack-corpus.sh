# tests/lib/stack-corpus.sh — shared body of tests/boot/stack-corpus.t (the
# QEMU-SVM stack) and stack-corpus-bochs.t (the Bochs VT-x stack): the boot
# corpus (build/corpus/, testimages/corpus/build.sh) booted through the whole
# stack by tests/lib/run-disk.sh (sourced, POSIX sh, after `set -eu`).
#
#   corpus_start NAME      sets $root $build $corpus $out, checks the corpus
#   corpus_boot HOST ENTRY KIND MARKER TIMEOUT MIN_REENTRIES [CHECK...]
#                          one boot; KIND serial (MARKER on COM1) or screen
#                          (MARKER on the VGA text screen, QEMU only); CHECK
#                          is "+STRING" (the serial log must contain it) or
#                          "-STRING" (must not), as in native-corpus.t
#   corpus_linux_min       prints the re-entries a Linux entry's loader needs,
#   corpus_memtest_min     and the memtest86+ floppy's (see "Counters" below)
#   INIT MEMTEST IPXE      the markers (tests/lib/corpus-markers.sh)
#   corpus_end             prints the summary (one line per boot) and exits
#                          with the test's status
#
# Each boot passes when, within TIMEOUT seconds:
#   1. MARKER shows (the runner stops the machine then and reads the blob's
#      counters out of its context: run-stack-{qemu,bochs}.sh RMT_MARKER;
#      if the machine powered off first — Bochs ends ~30 ms after Linux's
#      marker — the host's counters line if it printed one, else the
#      transition log's line counts stand in);
#   2. the CHECK strings hold on the serial log, and no FATAL line is on the
#      console;
#   3. the counters are plausible (below).
#
# Counters.  Every handoff and every re-entry is one line of the blob's
# transition log ("rmtramp: vcpu0 handoff ...", "... reentry ...") and one
# count; a run stopped from outside may have counted a transition whose line
# is not out yet, so for each kind  lines <= count <= lines + 1.  Handoffs
# and re-entries alternate from the cold boot in real mode, so
# reentries <= handoffs <= reentries + 1, and handoffs >= 1 (every entry
# ends in protected mode).  Re-entries have a lower bound from what the
# boot loader must do through the BIOS from protected mode — each such BIOS
# call is one CR0.PE clear, whatever the BIOS adds of its own (SeaBIOS's POST
# and CD boot make ~100 round trips; those only add):
#   SYSLINUX/ISOLINUX and GRUB run in protected mode and read every byte of
#   the kernel and the initramfs through INT 13h into a real-mode buffer,
#   at most 64 KiB a call (syslinux core/fs/diskio_bios.c: 32 CD sectors or
#   63/127 disk sectors through its 64 KiB bounce buffer; GRUB's scratch
#   buffer is 36 or 64 KiB): floor((vmlinuz + initrd.gz) / 65536) re-entries
#   at least (corpus_linux_min; 130 for Debian 6.1's kernel);
#   SYSLINUX on the floppy reads memtest.bin with CHS calls of at most one
#   track (18 sectors, 9 KiB): floor(size / 9216);
#   iPXE writes to the screen through INT 10h from protected mode, one call
#   per character: the marker's 25 characters are 25 re-entries at least;
#   memtest86+'s own ISO boot code loads it in real mode: no re-entry needed.
# Observed through the QEMU stack up to the kernel's entry (today's host
# stops there): ISOLINUX 515, GRUB linux 959, GRUB linux16 924, SYSLINUX hard
# disk 398, the memtest86+ floppy 357, memtest86+'s ISO 110 (SeaBIOS's
# own), iPXE 391 by its FXSAVE.
#
# A failure prints the runner's verdict, the first FATAL/refusal line, the
# blob's last transitions, its counters, the last 40 console lines and the
# last serial lines (or the screen); the summary at the end has one line per
# boot, so the tail tests/check.sh shows is enough to see what failed.  The
# whole output is also kept in $out/report.txt; every boot's files (console,
# serial, counters, bochsrc...) in $out/HOST-ENTRY/.

. "$(dirname "$0")/../lib/corpus-markers.sh"

corpus_start() {
	corpus_test=$1
	root=$(cd "$(dirname "$0")/../.." && pwd)
	build=${RMT_BUILD:-build}
	case $build in /*) ;; *) build=$root/$build ;; esac
	corpus=$build/corpus
	out=$build/test-out/$corpus_test
	rm -rf "$out"
	mkdir -p "$out"
	report=$out/report.txt
	: > "$report"
	corpus_status=0
	corpus_summary=
	corpus_times=
	for f in linux-isolinux.iso linux-grub.iso linux16-grub.iso linux-syslinux.hdd \
		 memtest86+-syslinux.flp memtest86+.iso ipxe.iso vmlinuz initrd.gz; do
		if [ ! -r "$corpus/$f" ]; then
			echo "$corpus_test: FAIL: missing $corpus/$f (run: make corpus)"
			exit 1
		fi
	done
	for f in "$build/images/seabios.img" "$build/images/rombios.img" "$build/tools/blob-counters"; do
		if [ ! -r "$f" ]; then
			echo "$corpus_test: FAIL: missing $f (run: make all)"
			exit 1
		fi
	done
}

# say LINE...: print and keep in the report.
say() {
	printf '%s\n' "$*" | tee -a "$report"
}

corpus_linux_min() {
	echo $(( ($(stat -c %s "$corpus/vmlinuz") + $(stat -c %s "$corpus/initrd.gz")) / 65536 ))
}

corpus_memtest_min() {
	echo $(( $(stat -c %s /boot/memtest86+x64.bin) / 9216 ))
}

# counter NAME FILE: the value of NAME= in the counters line of FILE.
counter() {
	sed -n "s/.*blob vcpu0 counters:.* $1=\([0-9]*\).*/\1/p" "$2" | tail -n 1
}

# The first refusal or FATAL line: why the host or the blob stopped.
first_fatal() {
	{ grep -E -m 1 '^host: guest .* refused' "$1" || true; grep -m 1 FATAL "$1" || true; } 2>/dev/null |
		sed 's/^host: //; s/^rmtramp: //' | awk '{ printf "%s%s", (NR > 1 ? " -> " : ""), $0 }'
}

corpus_fail() {
	local_why=$1
	corpus_status=1
	say "$corpus_test: FAIL: $corpus_id: $local_why"
	sed 's/^/  /' "$corpus_dir/runner.err" | tee -a "$report"
	fatal=$(first_fatal "$corpus_dir/console.txt")
	[ -z "$fatal" ] || say "  why: $fatal"
	say "  --- the blob's last transitions:"
	grep -E '^rmtramp: vcpu0 (handoff|reentry|interpreting)' "$corpus_dir/console.txt" |
		tail -n 6 | sed 's/^/  | /' | tee -a "$report"
	if [ -s "$corpus_dir/counters.txt" ]; then
		say "  --- counters read at the end: $(cat "$corpus_dir/counters.txt")"
	else
		c=$(grep '^host: blob vcpu0 counters:' "$corpus_dir/console.txt" | tail -n 1)
		say "  --- counters: ${c:-none (neither read at the end nor printed by the host)}"
	fi
	say "  --- last 40 console lines ($corpus_dir/console.txt):"
	tail -n 40 "$corpus_dir/console.txt" | sed 's/^/  | /' | tee -a "$report"
	if [ "$corpus_kind" = screen ]; then
		say "  --- the screen at the end:"
		if [ -s "$corpus_dir/screen.txt" ]; then
			sed 's/^/  | /' "$corpus_dir/screen.txt" | tail -n 25 | tee -a "$report"
		else
			say "  | (blank, or not in a text mode)"
		fi
	else
		say "  --- last serial lines ($corpus_dir/com1.txt):"
		# Drop carriage returns and the terminal escapes GRUB sends.
		tr -d '\r' < "$corpus_dir/com1.txt" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g' |
			tail -n 10 | sed 's/^/  | /' | tee -a "$report"
	fi
	h=$(counter handoffs "$corpus_dir/counters.txt" 2>/dev/null)
	[ -n "$h" ] || h=$(counter handoffs "$corpus_dir/console.txt")
	r=$(counter reentries "$corpus_dir/counters.txt" 2>/dev/null)
	[ -n "$r" ] || r=$(counter reentries "$corpus_dir/console.txt")
	last=$(grep -E '^rmtramp: vcpu0 (handoff|reentry)' "$corpus_dir/console.txt" | tail -n 1 |
		sed 's/^rmtramp: vcpu0 //; s/ cr0=.*//')
	corpus_summary="$corpus_summary$corpus_test: FAIL $corpus_id: $local_why${fatal:+; $fatal}; handoffs=${h:-?} reentries=${r:-?}${last:+, last: $last}
"
}

corpus_boot() {
	corpus_host=$1 corpus_entry=$2 corpus_kind=$3
	marker=$4 limit=$5 min_r=$6
	shift 6
	corpus_id="$corpus_host $corpus_entry"
	corpus_dir=$out/$corpus_host-$corpus_entry
	screen=
	[ "$corpus_kind" = screen ] && screen=$corpus_dir/screen.txt
	mkdir -p "$corpus_dir"
	# ignore_bad_msrs on Bochs: Linux reads IA32_MISC_ENABLE, which the
	# host passes through and Bochs' Penryn lacks (native-corpus.t does the
	# same).  Harmless for QEMU's runner.
	if ! RMT_BUILD=$build RMT_MARKER=$marker RMT_SCREEN=$screen RMT_NAME="$corpus_id" \
		RMT_BOCHS_IGNORE_BAD_MSRS=1 \
		"$root/tests/lib/run-disk.sh" "$corpus_host" "$corpus/$corpus_entry" "$corpus_dir" "$limit" \
		> "$corpus_dir/runner.out" 2> "$corpus_dir/runner.err"; then
		corpus_fail "no \"$marker\" through the stack"
		return 0
	fi
	for c in "$@"; do
		case $c in
		+*) grep -a -q -F -e "${c#+}" "$corpus_dir/com1.txt" ||
			{ corpus_fail "the serial log lacks \"${c#+}\""; return 0; } ;;
		-*) ! grep -a -q -F -e "${c#-}" "$corpus_dir/com1.txt" ||
			{ corpus_fail "the serial log has \"${c#-}\""; return 0; } ;;
		esac
	done
	if grep -q FATAL "$corpus_dir/console.txt"; then
		corpus_fail "a FATAL line on the console"
		return 0
	fi
	hl=$(grep -c '^rmtramp: vcpu0 handoff ' "$corpus_dir/console.txt" || true)
	rl=$(grep -c '^rmtramp: vcpu0 reentry' "$corpus_dir/console.txt" || true)
	# The counters: read out of the machine by the runner (at the marker,
	# or on QEMU when the guest powered off), else the host's own line (a
	# host that prints them when the guest powers off), else — Bochs
	# exits ~30 ms after Linux's marker, sometimes before the runner's
	# interrupt lands — the transition log, one line per transition.
	if [ -s "$corpus_dir/counters.txt" ]; then
		src="read at the end"
		cf=$corpus_dir/counters.txt
	elif grep -q '^host: blob vcpu0 counters:' "$corpus_dir/console.txt"; then
		src="printed by the host"
		cf=$corpus_dir/console.txt
	else
		src="the transition log's lines (the machine powered off before the counters could be read)"
		printf 'blob vcpu0 counters: handoffs=%s reentries=%s\n' "$hl" "$rl" > "$corpus_dir/counters-from-log.txt"
		cf=$corpus_dir/counters-from-log.txt
	fi
	h=$(counter handoffs "$cf")
	r=$(counter reentries "$cf")
	if [ -z "$h" ] || [ -z "$r" ]; then
		corpus_fail "no handoffs/reentries in the counters ($src)"
		return 0
	fi
	if [ "$h" -lt "$hl" ] || [ "$h" -gt $((hl + 1)) ] ||
	   [ "$r" -lt "$rl" ] || [ "$r" -gt $((rl + 1)) ]; then
		corpus_fail "counters handoffs=$h reentries=$r disagree with the transition log ($hl handoff, $rl reentry lines)"
		return 0
	fi
	if [ "$h" -lt 1 ] || [ "$h" -lt "$r" ] || [ "$h" -gt $((r + 1)) ]; then
		corpus_fail "implausible counters handoffs=$h reentries=$r (want 1 <= handoffs, reentries <= handoffs <= reentries + 1)"
		return 0
	fi
	if [ "$r" -lt "$min_r" ]; then
		corpus_fail "reentries=$r, fewer than the $min_r the loader needs"
		return 0
	fi
	t=$(sed -n 's/.*marker ".*" after \([0-9.]*\)s$/\1/p' "$corpus_dir/runner.err")
	say "$corpus_test: ok: $corpus_id: \"$marker\" after ${t}s; handoffs=$h reentries=$r (>= $min_r needed; $src)"
	corpus_summary="$corpus_summary$corpus_test: ok   $corpus_id: ${t}s, handoffs=$h reentries=$r
"
	corpus_times="$corpus_times $corpus_host:$corpus_entry=${t}s"
}

corpus_end() {
	say "$corpus_test: times to the marker:${corpus_times:- none}"
	say "$corpus_test: full report in $report; each boot's files in $out/HOST-ENTRY/"
	say "--- summary"
	printf '%s' "$corpus_summary" | tee -a "$report"
	exit "$corpus_status"
}
