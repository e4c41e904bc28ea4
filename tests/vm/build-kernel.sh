#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Build (once per machine) a small kernel the real-kernel test tier boots,
# and print the path of its image on stdout.
#
# Usage: build-kernel.sh [SERIES [ARCH]]
#        SERIES: 6.12 (default) or 7.3; ARCH: x86_64 (default) or arm64,
#        cross-built with gcc-aarch64-linux-gnu.
# Source: Debian's linux-source tarball of that series, found or fetched by
#         fetch-source.sh (override: LIBIOMMUNEST_KERNEL_TARBALL).
# Config: tinyconfig + kernel.config + kernel-ARCH.config +
#         kernel-ARCH-SERIES.config (those present).
# Cache:  ${LIBIOMMUNEST_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libiommunest-vm}
#         src/<tarball key>/             extracted source, shared by all configs
#         build/<tarball key>-<cfg>/     O= build directory
#         build/<tarball key>-<cfg>.log  build log
# The key covers the tarball (name, size, mtime), kernel.config and RECIPE,
# so editing the fragment or the tarball being upgraded triggers a rebuild.
#
# Exit: 0 ok; 77 prerequisites missing (reason on stderr); 1 build failure.

set -euo pipefail

# Bump when the build steps below change in a way that affects the result.
readonly RECIPE=2

here=$(cd "$(dirname "$0")" && pwd)
readonly series=${1:-6.12}
readonly arch=${2:-x86_64}
fragments=("$here/kernel.config")
for f in "kernel-$arch.config" "kernel-$arch-$series.config"; do
	[ ! -f "$here/$f" ] || fragments+=("$here/$f")
done
readonly fragments
case $arch in
x86_64) kmake_arch=(ARCH=x86_64); image_path=arch/x86/boot/bzImage; target=bzImage ;;
arm64) kmake_arch=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	image_path=arch/arm64/boot/Image; target=Image ;;
*) echo "build-kernel: unknown architecture $arch" >&2; exit 2 ;;
esac
readonly cache=${LIBIOMMUNEST_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libiommunest-vm}
readonly jobs=${LIBIOMMUNEST_VM_JOBS:-$(nproc)}

say() { echo "build-kernel: $*" >&2; }
skip() { say "SKIP: $*"; exit 77; }
die() { say "ERROR: $*"; exit 1; }

check_prereqs() {
	local rc=0
	tarball=${LIBIOMMUNEST_KERNEL_TARBALL:-}
	[ -n "$tarball" ] || tarball=$(bash "$here/fetch-source.sh" "$series") || rc=$?
	[ "$rc" = 0 ] || exit "$rc"
	[ -r "$tarball" ] || skip "kernel source tarball $tarball not found"
	local tool tools=(make gcc flex bison bc tar xz sha256sum flock)
	[ "$arch" = x86_64 ] || tools+=(aarch64-linux-gnu-gcc)
	for tool in "${tools[@]}"; do
		command -v "$tool" >/dev/null || skip "build tool '$tool' not found"
	done
	local f
	for f in "${fragments[@]}"; do
		[ -r "$f" ] || die "config fragment $f missing"
	done
}

# Stable identifiers of the inputs; any change gives a new build directory.
compute_keys() {
	local name stat cfg
	name=$(basename "$tarball")
	name=${name%%.tar*}
	stat=$(stat -L -c '%s-%Y' "$tarball")
	cfg=$( { echo "recipe=$RECIPE"; cat "${fragments[@]}"; } | sha256sum | cut -c1-16)
	src_key=$name-$stat
	srcdir=$cache/src/$src_key
	builddir=$cache/build/$src_key-$arch-$cfg
	log=$builddir.log
	bzimage=$builddir/$image_path
	stamp=$builddir/.libiommunest-built
}

is_built() { [ -f "$stamp" ] && [ -f "$bzimage" ]; }

# Run a build step with its output in the log; on failure show the tail.
step() {
	local what=$1
	shift
	echo "=== $what: $*" >>"$log"
	if ! "$@" >>"$log" 2>&1; then
		say "$what failed; last lines of $log:"
		tail -n 40 "$log" >&2
		die "$what failed (full log: $log)"
	fi
}

in_dir() { (cd "$1" && shift && "$@"); }

# Extract into a temporary directory and rename, so an interrupted
# extraction is never mistaken for a complete one.
extract_source() {
	[ -f "$srcdir/.libiommunest-extracted" ] && return 0
	say "extracting $tarball into $srcdir"
	rm -rf "$srcdir.tmp" "$srcdir"
	mkdir -p "$srcdir.tmp"
	step extract tar -xJf "$tarball" -C "$srcdir.tmp" --strip-components=1
	[ -f "$srcdir.tmp/Makefile" ] || die "no Makefile at the top of $tarball"
	touch "$srcdir.tmp/.libiommunest-extracted"
	mv "$srcdir.tmp" "$srcdir"
}

# Every line of the fragments must appear verbatim in the final .config;
# olddefconfig silently drops options whose dependencies are not met.
verify_config() {
	local line missing=()
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) grep -qxF -- "$line" "$builddir/.config" || missing+=("$line") ;;
		esac
	done < <(cat "${fragments[@]}")
	if [ "${#missing[@]}" -ne 0 ]; then
		say "these options from ${fragments[*]##*/} did not survive olddefconfig:"
		printf '  %s\n' "${missing[@]}" >&2
		die "kernel config incomplete (check dependencies in Kconfig)"
	fi
}

build_kernel() {
	local kmake=(make -C "$srcdir" O="$builddir" "${kmake_arch[@]}")
	rm -rf "$builddir"
	mkdir -p "$builddir"
	: >"$log"
	say "building Linux $series for $arch ($(basename "$tarball")) in $builddir (log: $log), this takes minutes"
	step tinyconfig "${kmake[@]}" tinyconfig
	# merge_config.sh creates its temporary files in the current directory.
	step merge_config in_dir "$builddir" \
		"$srcdir/scripts/kconfig/merge_config.sh" -m -O "$builddir" \
		"$builddir/.config" "${fragments[@]}"
	step olddefconfig "${kmake[@]}" olddefconfig
	verify_config
	step "$target" "${kmake[@]}" -j"$jobs" "$target"
	[ -f "$bzimage" ] || die "make succeeded but $bzimage is missing"
	touch "$stamp"
}

main() {
	check_prereqs
	compute_keys
	if is_built; then
		echo "$bzimage"
		return 0
	fi
	mkdir -p "$cache/src" "$cache/build"
	# One builder at a time; a waiter finds the finished result afterwards.
	exec 9>"$cache/.lock"
	if ! flock -n 9; then
		say "waiting for another build (lock $cache/.lock)"
		flock 9
	fi
	if ! is_built; then
		extract_source
		build_kernel
	fi
	echo "$bzimage"
}

main "$@"
