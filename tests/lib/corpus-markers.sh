# tests/lib/corpus-markers.sh — the boot corpus's success markers, one place
# for every script that boots it (native-corpus.t, the stack corpus tests
# through stack-corpus.sh, tests/bench/corpus.sh; sourced, POSIX sh).  Where
# each comes from: testimages/corpus/build.sh.
INIT='rmtramp-corpus: init reached'      # the Linux entries' initramfs, on COM1
MEMTEST='Memtest86+ v6'                  # memtest86+: COM1 (floppy) or the screen (ISO)
IPXE='No more network devices'           # iPXE's end, on the screen (no NIC)
