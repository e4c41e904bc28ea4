#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# A newer QEMU for the smmuv3 profile, without touching the system: a
# minimal Debian root of a newer suite (debootstrap --variant=minbase from
# the machine's own mirror) holding qemu-system-arm and the arm64 UEFI
# firmware, cached once per machine.  QEMU runs from it through the root's
# own dynamic loader; no chroot is needed.
#
# Usage: qemu-root.sh    prints the path of a qemu-system-aarch64 wrapper;
#                        the firmware is <root>/usr/share/qemu-efi-aarch64/
#                        QEMU_EFI.fd, printed by qemu-root.sh --firmware
# Environment: LIBIOMMUNEST_QEMU_SUITE (default trixie: QEMU 10.0).
# Exit: 0 ok; 77 not possible here (reason on stderr); 1 failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
readonly cache=${LIBIOMMUNEST_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libiommunest-vm}
readonly suite=${LIBIOMMUNEST_QEMU_SUITE:-trixie}
readonly packages=qemu-system-arm,qemu-efi-aarch64
readonly RECIPE=1
readonly base=$cache/qemu-root-$suite-r$RECIPE
readonly root=$base/root wrapper=$base/qemu-system-aarch64

say() { echo "qemu-root: $*" >&2; }
skip() { say "SKIP: $*"; exit 77; }

build_root() {
	local mirror
	command -v debootstrap >/dev/null ||
		skip "debootstrap not found (apt-get install debootstrap)"
	[ "$(id -u)" = 0 ] || skip "debootstrap needs root"
	mirror=$(bash "$here/newer-apt.sh" mirror) || exit $?
	say "debootstrap $suite with $packages (once per machine)"
	rm -rf "$base.tmp"
	mkdir -p "$base.tmp"
	if ! debootstrap --variant=minbase --include="$packages" "$suite" \
		"$base.tmp/root" "$mirror" >"$base.tmp/debootstrap.log" 2>&1; then
		tail -n 20 "$base.tmp/debootstrap.log" >&2
		say "ERROR: debootstrap failed (log: $base.tmp/debootstrap.log)"
		exit 1
	fi
	rm -rf "$base"
	mv "$base.tmp" "$base"
}

# Run QEMU with the root's loader and libraries; QEMU_MODULE_DIR keeps it
# from loading the host's (older) QEMU modules.
write_wrapper() {
	local libs=$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu
	cat >"$wrapper.tmp" <<WRAP
#!/bin/sh
QEMU_MODULE_DIR=$root/usr/lib/x86_64-linux-gnu/qemu
export QEMU_MODULE_DIR
exec $root/lib64/ld-linux-x86-64.so.2 --library-path $libs \\
	$root/usr/bin/qemu-system-aarch64 -L $root/usr/share/qemu "\$@"
WRAP
	chmod 755 "$wrapper.tmp"
	mv "$wrapper.tmp" "$wrapper"
}

main() {
	if [ "${1:-}" = --firmware ]; then
		echo "$root/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"
		return
	fi
	if [ ! -x "$wrapper" ]; then
		mkdir -p "$cache"
		exec 9>"$cache/.qemu-root.lock"
		flock 9
		[ -x "$wrapper" ] || { build_root; write_wrapper; }
	fi
	"$wrapper" --version | head -n 1 >&2
	echo "$wrapper"
}

main "$@"
