#!/bin/sh
# Filter an emulator's terminal stream down to the text lines the machine
# printed: drop terminal escape sequences and carriage returns, and Bochs'
# own banner and debugger lines.
sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1b[()][0-9A-Za-z]//g' -e 's/\x1b[=>]//g' \
    -e 's/\r//g' |
grep -v -E '^[0-9]{11}[a-z]\[|^\(0\)|^Next at t=|^Bochs (is exiting|connected)|^=+$|^\[UNMAP|^$' || true
