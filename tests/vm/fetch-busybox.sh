#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Print the path of a static busybox for the guest architecture.
# x86_64: the system's (busybox-static).  Another architecture: Debian's
# busybox-static package of that architecture, downloaded through
# newer-apt.sh and unpacked with dpkg -x into the cache, never installed.
# Usage: fetch-busybox.sh [ARCH]     Exit: 0 ok; 77 not available here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
readonly arch=${1:-x86_64}
readonly cache=${LIBIOMMUNEST_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libiommunest-vm}

say() { echo "fetch-busybox: $*" >&2; }
skip() { say "SKIP: $*"; exit 77; }

if [ "$arch" = x86_64 ]; then
	bb=${LIBIOMMUNEST_VM_BUSYBOX:-$(command -v busybox || true)}
	[ -n "$bb" ] || skip "busybox not found (apt install busybox-static)"
	echo "$bb"
	exit 0
fi
dest=$cache/busybox-$arch
if [ ! -x "$dest/bin/busybox" ]; then
	say "downloading busybox-static for $arch"
	rm -rf "$dest.tmp"
	mkdir -p "$dest.tmp"
	(cd "$dest.tmp" && NEWER_APT_ARCH=$arch bash "$here/newer-apt.sh" \
		download busybox-static && dpkg -x ./*.deb root && rm -f ./*.deb) ||
		skip "could not download busybox-static for $arch"
	mkdir -p "$dest.tmp/bin"
	mv "$(find "$dest.tmp/root" -path "*bin/busybox" -type f | head -n 1)" \
		"$dest.tmp/bin/busybox"
	rm -rf "$dest.tmp/root" "$dest"
	mv "$dest.tmp" "$dest"
fi
echo "$dest/bin/busybox"
