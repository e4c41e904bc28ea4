#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Print the path of the Linux source tarball for a kernel series, fetching
# it once per machine when the system does not have it.
#
# Usage: fetch-source.sh SERIES        (6.12, 7.3, ...)
# The system's /usr/src/linux-source-SERIES.tar.xz is used when present
# (Debian 12 ships 6.12).  Otherwise Debian's newer suites are asked through
# newer-apt.sh: the newest linux-source-SERIES, or, if the mirror has moved
# on, the newest later series.  The package is downloaded and unpacked with
# dpkg -x into the cache, never installed.  The version used goes to stderr.
# Exit: 0 ok; 77 not available here (reason on stderr).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
readonly series=${1:?usage: fetch-source.sh SERIES}
readonly cache=${LIBIOMMUNEST_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libiommunest-vm}

say() { echo "fetch-source: $*" >&2; }
skip() { say "SKIP: $*"; exit 77; }

# The wanted series if offered, else the newest series above it.
pick_package() {
	local names
	names=$(bash "$here/newer-apt.sh" names '^linux-source-[0-9]+\.[0-9]+$') || exit $?
	if grep -qxF "linux-source-$series" <<<"$names"; then
		echo "linux-source-$series"
		return
	fi
	printf '%s\n' "$names" "linux-source-$series" | sort -V |
		awk -v want="linux-source-$series" 'seen { last = $0 } $0 == want { seen = 1 } END { print last }'
}

main() {
	local sys=/usr/src/linux-source-$series.tar.xz pkg ver dest tarball
	if [ -r "$sys" ]; then
		echo "$sys"
		return
	fi
	pkg=$(pick_package)
	[ -n "$pkg" ] || skip "no linux-source-$series or newer in Debian's newer suites"
	ver=$(bash "$here/newer-apt.sh" policy "$pkg" | awk '/Candidate:/ { print $2 }')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || skip "$pkg has no candidate version"
	[ "$pkg" = "linux-source-$series" ] || say "linux-source-$series is gone; using $pkg"
	dest=$cache/pkg/${pkg}_$ver-src
	if [ ! -f "$dest/.unpacked" ]; then
		say "downloading $pkg $ver"
		rm -rf "$dest" "$dest.tmp"
		mkdir -p "$dest.tmp"
		(cd "$dest.tmp" && bash "$here/newer-apt.sh" download "$pkg=$ver" &&
			dpkg -x ./*.deb tree && rm -f ./*.deb) ||
			skip "could not download $pkg $ver"
		touch "$dest.tmp/.unpacked"
		mv "$dest.tmp" "$dest"
	fi
	tarball=$(ls "$dest"/tree/usr/src/linux-source-*.tar.xz 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || skip "$pkg $ver holds no source tarball"
	say "using $pkg $ver"
	echo "$tarball"
}

main
