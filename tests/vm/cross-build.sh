#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Build test programs for an arm64 guest: each one statically linked with
# the library's sources, by Debian's cross compiler (gcc-aarch64-linux-gnu
# with libc6-dev-arm64-cross).  The library needs nothing beyond libc, so
# no cross-configured build tree is needed.
#
# Usage: cross-build.sh OUTDIR SOURCE.c...   one program per source, named
#        after it; prints the programs' paths.  Exit 77 without the
#        cross compiler.
# EXTRA_SOURCES: more .c files (blank-separated) linked into every program,
#        e.g. the examples' shared code.
set -euo pipefail
: "${srcdir:=.}"
readonly cc=${CROSS_CC:-aarch64-linux-gnu-gcc}
out=${1:?usage: cross-build.sh OUTDIR SOURCE.c...}
shift
command -v "$cc" >/dev/null ||
	{ echo "cross-build: SKIP: $cc not found (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross)" >&2; exit 77; }
mkdir -p "$out"
lib=("$srcdir"/lib/*.c "$srcdir"/lib/*/*.c)
read -r -a extra <<<"${EXTRA_SOURCES:-}"
for src in "$@"; do
	prog=$out/$(basename "$src" .c)
	# Rebuild only when a source is newer than the program.
	if [ -f "$prog" ] && [ -z "$(find "$src" "${lib[@]}" "${extra[@]}" \
		"$srcdir"/lib/*.h "$srcdir"/lib/*/*.h "$srcdir"/include/libiommunest/*.h \
		"$srcdir"/tests/vm/*.h "$srcdir"/examples/*.h \
		-newer "$prog" 2>/dev/null | head -n 1)" ]; then
		echo "$prog"
		continue
	fi
	"$cc" -static -std=gnu11 -O2 -Wall -Wextra -Werror \
		-I"$srcdir/include" -I"$srcdir/lib" -I"$srcdir/tests/vm" \
		-I"$srcdir/examples" -o "$prog" "${lib[@]}" "${extra[@]}" "$src"
	echo "$prog"
done
