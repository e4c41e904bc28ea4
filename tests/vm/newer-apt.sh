#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# A private apt configuration that sees Debian's newer suites (trixie,
# trixie-backports, sid) through the mirror this machine already uses,
# without changing the system's apt setup.  Packages are only downloaded
# and unpacked with dpkg -x, never installed into the system.
#
# Usage: newer-apt.sh update              refresh the private lists
#        newer-apt.sh policy PKG...       apt-cache policy through them
#        newer-apt.sh names REGEX         package names matching REGEX
#        newer-apt.sh download PKG[=VER]  into the current directory
#        newer-apt.sh mirror              the mirror URI (for debootstrap)
# NEWER_APT_ARCH=arm64 (or another Debian architecture) works on that
# architecture's package lists instead of the machine's.
# Cache: ${LIBIOMMUNEST_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libiommunest-vm}/apt
# Exit 77 when the machine has no Debian source to take the mirror from.
set -euo pipefail
readonly cache=${LIBIOMMUNEST_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libiommunest-vm}
readonly dir=$cache/apt
readonly suites="trixie trixie-backports sid"
readonly arch=${NEWER_APT_ARCH:-}
readonly lists=$dir/lists${arch:+-$arch}

say() { echo "newer-apt: $*" >&2; }

# The first Debian archive URI of the system's own sources (deb822 or
# one-line format); the security archive is not the one we want.
mirror_uri() {
	local uri
	uri=$( { cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
			awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }'
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; break } }'
	} | grep -v -e security -e '^cdrom:' | head -n 1 || true)
	[ -n "$uri" ] || { say "SKIP: no Debian mirror in the system's apt sources"; exit 77; }
	echo "${uri%/}"
}

apt_opts() {
	opts=(-o "Dir::Etc::sourcelist=/dev/null" -o "Dir::Etc::sourceparts=$dir/sources"
		-o "Dir::State::Lists=$lists" -o "Dir::Cache=$dir/cache"
		-o "Dir::Etc::preferencesparts=$dir/prefs" -o "APT::Get::List-Cleanup=0"
		-o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
	[ -z "$arch" ] || opts+=(-o "APT::Architecture=$arch" -o "APT::Architectures::=$arch")
}

write_sources() {
	mkdir -p "$dir/sources" "$lists/partial" "$dir/cache/archives/partial" "$dir/prefs"
	cat >"$dir/sources/newer.sources" <<SRC
Types: deb
URIs: $(mirror_uri)
Suites: $suites
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}

update() {
	write_sources
	apt_opts
	apt-get "${opts[@]}" -qq update >&2
	touch "$lists/.updated"
}

# Refresh once a day at most: the lists are large and change slowly.
ensure_lists() {
	if [ -z "$(find "$lists/.updated" -mmin -1440 2>/dev/null)" ]; then
		update
	fi
}

main() {
	local cmd=${1:-}
	shift || true
	case $cmd in
	update) update ;;
	mirror) mirror_uri ;;
	policy) ensure_lists; apt_opts; apt-cache "${opts[@]}" policy "$@" ;;
	names) ensure_lists; apt_opts; apt-cache "${opts[@]}" pkgnames | grep -E "$1" | sort -V ;;
	download) ensure_lists; apt_opts; apt-get "${opts[@]}" -qq download "$@" >&2 ;;
	*) echo "usage: newer-apt.sh update|policy|names|download|mirror ..." >&2; exit 2 ;;
	esac
}

main "$@"
