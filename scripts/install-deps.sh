#!/bin/sh
# Installs the Debian 12 packages rmtramp's build and test suite need.
#
#   scripts/install-deps.sh           install whatever is missing (idempotent)
#   scripts/install-deps.sh --check   only check; exit 1 and name what is missing
#   scripts/install-deps.sh --list    print the package list, one per line
#
# The check is one dpkg-query call, so `make check` can run it every time at no
# cost; apt-get (update + install) only runs when something is really missing.
set -eu

# One package per line, with the reason it is here.  Keep this the single list:
# CI and developers' machines both come from it.
# linux-image-amd64 is here only for its file /boot/vmlinuz-*-amd64, the boot
# corpus's kernel (testimages/corpus/build.sh copies it; no download at build
# or test time).  The build machine never boots it; installing it pulls
# initramfs-tools and generates a /boot/initrd.img (about 1.5 minutes, once).
PACKAGES='
gcc                 hosted and freestanding (-m32) C builds
make                the build
binutils            ld -m elf_i386, objcopy, ar
nasm                test guests (testimages/), assembly stubs
clang               fuzzing and sanitizer builds of the hosted libraries
libclang-rt-14-dev  clang sanitizer/fuzzer runtimes
libcmocka-dev       unit tests (tests/unit/)
libunicorn-dev      differential tests of the interpreter (tests/diff/)
valgrind            memory checks of the hosted tests
qemu-system-x86     QEMU TCG: native runs and the SVM stack
seabios             QEMU firmware; also guest BIOS under the stack
bochs               Bochs 2.7: native runs and the VT-x stack
bochsbios           Bochs rombios (BIOS-bochs-latest)
vgabios             Bochs VGA BIOS
bochs-term          Bochs display_library: term (the only headless one)
syslinux            boot-loader corpus images
syslinux-common     boot-loader corpus images
isolinux            boot-loader corpus ISOs
grub-pc-bin         boot-loader corpus images
grub-common         grub-mkrescue (the GRUB corpus ISOs)
xorriso             building ISOs
mtools              writing files into FAT floppy/disk images
linux-image-amd64   the corpus kernel: installs /boot/vmlinuz-*-amd64 (testimages/corpus/)
libc6-dev           libc.a for the static /init of the corpus initramfs
memtest86+          corpus entry: memtest86+x64.bin and its own ISO
ipxe                corpus entry: the iPXE ISO
util-linux          script(1): drains the pty of Bochs term display
coreutils           timeout(1), truncate(1), stat(1)
diffutils           diff/cmp in tests
gdb                 make debug HOST=qemu: gdb on the QEMU gdbstub (scripts/debug.sh)
iproute2            ss(8): scripts/debug.sh waits for the QEMU gdb port
'

package_names() {
	printf '%s\n' "$PACKAGES" | awk 'NF { print $1 }'
}

# Prints the packages that are not fully installed: one dpkg-query call for the
# whole list (unknown packages print nothing, so they count as missing).
missing_packages() {
	# shellcheck disable=SC2046 # word splitting of the list is intended
	installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' \
		$(package_names) 2>/dev/null | awk '$2 == "installed" { print $1 }' || true)
	for p in $(package_names); do
		printf '%s\n' "$installed" | grep -qx "$p" || echo "$p"
	done
}

mode=${1:-install}
case $mode in
--list)
	package_names
	exit 0 ;;
--check|install) ;;
*)
	echo "usage: $0 [--check|--list]" >&2
	exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "install-deps: dpkg-query not found; this script supports Debian 12 only" >&2
	exit 1
fi

missing=$(missing_packages | tr '\n' ' ')
missing=${missing% }
if [ -z "$missing" ]; then
	[ "$mode" = --check ] || echo "install-deps: all packages already installed"
	exit 0
fi

if [ "$mode" = --check ]; then
	echo "install-deps: missing Debian packages: $missing" >&2
	echo "install-deps: run scripts/install-deps.sh to install them" >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "install-deps: need root (or sudo) to install: $missing" >&2
	exit 1
fi

echo "install-deps: installing: $missing"
export DEBIAN_FRONTEND=noninteractive
# sudo drops most of the environment; pass the frontend explicitly.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update ||
	{ echo "install-deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086 # $missing is a word list on purpose
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing ||
	{ echo "install-deps: apt-get install failed for: $missing" >&2; exit 1; }

still=$(missing_packages | tr '\n' ' ')
if [ -n "${still% }" ]; then
	echo "install-deps: still missing after apt-get install: $still" >&2
	exit 1
fi
echo "install-deps: done"
