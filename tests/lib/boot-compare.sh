# tests/lib/boot-compare.sh — shared body of the native boot tests (sourced,
# bash, after common.sh).
#
#   boot_both_and_compare IMAGE_NAME FLOPPY EXPECTED [ROM]
#
# Boots FLOPPY under plain QEMU and plain Bochs (tests/boot/run-native-*.sh;
# with ROM, that firmware replaces the BIOS) and checks that each run ends
# itself and prints exactly EXPECTED on port 0xE9, including the guest's
# final "IMAGE_NAME: done: " line.  Needs $WORK (make_workdir) and $root.
# Returns 0 if all holds, 1 otherwise (differences are printed).

boot_both_and_compare() {
	local image=$1 floppy=$2 expected=$3 rom=${4:-} emu status=0
	[ -f "$floppy" ] || die "missing $floppy (run: make testimages)"
	[ -f "$expected" ] || die "missing $expected"
	[ -z "$rom" ] || [ -f "$rom" ] || die "missing $rom (run: make testimages)"
	grep -q "^$image: done: " "$expected" ||
		die "$expected has no '$image: done: ' line: not a golden file"
	for emu in qemu bochs; do
		# A run takes well under a second on either emulator; 60 s leaves
		# room for a loaded CI machine.
		if ! RMT_BIOS=$rom "$root/tests/boot/run-native-$emu.sh" "$floppy" "$WORK/$emu.e9" 60; then
			echo "$RMT_SCRIPT: the $emu run did not end properly; the guest printed:"
			sed 's/^/  | /' "$WORK/$emu.e9"
			status=1
			continue
		fi
		# The whole port-0xE9 output must be the expected lines and
		# nothing more: a stray byte left by the runner's cleaning, or a
		# line the guest printed twice, fails here too.
		if ! diff -u "$expected" "$WORK/$emu.e9" > "$WORK/$emu.diff"; then
			echo "$RMT_SCRIPT: $emu output differs from $(basename "$expected"):"
			cat "$WORK/$emu.diff"
			status=1
		fi
	done
	# Identical to the golden file implies identical to each other; say so
	# explicitly when both ran but differ, it is the comparison that matters.
	if [ -f "$WORK/qemu.e9" ] && [ -f "$WORK/bochs.e9" ] &&
	   ! cmp -s "$WORK/qemu.e9" "$WORK/bochs.e9"; then
		echo "$RMT_SCRIPT: QEMU and Bochs outputs differ:"
		diff -u "$WORK/qemu.e9" "$WORK/bochs.e9" || true
		status=1
	fi
	[ $status -eq 0 ] &&
		echo "$RMT_SCRIPT: QEMU and Bochs both print the $(wc -l < "$expected") expected lines"
	return $status
}

# skip_unless_emulators: exit 77 (skip) if QEMU or Bochs is missing — unless
# CI=true, where a missing emulator is a failure (install-deps should have
# installed it).
skip_unless_emulators() {
	local t
	for t in qemu-system-x86_64 bochs nasm; do
		if ! command -v "$t" >/dev/null 2>&1; then
			[ "${CI:-}" = true ] && die "'$t' not installed (scripts/install-deps.sh)"
			echo "$RMT_SCRIPT: skipped: '$t' not installed (scripts/install-deps.sh)"
			exit 77
		fi
	done
}
