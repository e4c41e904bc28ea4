#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# The smmuv3 profile's ACPI table upgrade: QEMU's own IORT with every PCI
# root complex marked CANWBS, packed as the uncompressed cpio
# (kernel/firmware/acpi/IORT.aml) that the kernel takes from the start of
# its initrd (CONFIG_ACPI_TABLE_UPGRADE).  Linux 7.3's SMMUv3 driver
# allocates a vIOMMU only for a coherent root complex that can write back
# without snooping (CANWBS) or an SMMU with S2FWB; QEMU offers neither,
# while under TCG every DMA is coherent anyway.
#
# The table is read from the QEMU that runs the tests (a first boot prints
# /sys/firmware/acpi/tables/IORT), patched, and cached per QEMU version:
#   each root-complex node (type 2): memory access flags (node byte 23)
#   |= CANWBS (bit 2); OEM revision (table bytes 24..27) + 1, since an
#   upgrade with the same revision is ignored; checksum (byte 9) fixed.
#
# Usage: iort-canwbs.sh QEMU KERNEL   prints the cpio's path
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
readonly qemu=${1:?usage: iort-canwbs.sh QEMU KERNEL} kernel=${2:?kernel}
readonly cache=${LIBIOMMUNEST_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libiommunest-vm}

say() { echo "iort-canwbs: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# Boot a guest whose /init prints the IORT in hex, between markers.
dump_iort() { # work dir -> hex on stdout
	local work=$1 busybox firmware
	busybox=$(bash "$here/fetch-busybox.sh" arm64)
	firmware=$(bash "$here/qemu-root.sh" --firmware)
	mkdir -p "$work/rootfs/bin" "$work/rootfs/proc" "$work/rootfs/sys"
	cp "$busybox" "$work/rootfs/bin/busybox"
	cat >"$work/rootfs/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t sysfs sysfs /sys
echo "@@IORT $(/bin/busybox od -A n -v -t x1 /sys/firmware/acpi/tables/IORT | /bin/busybox tr -d ' \n')"
/bin/busybox poweroff -f
INIT
	chmod 755 "$work/rootfs/init"
	(cd "$work/rootfs" && find . | cpio -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$work/dump.cpio.gz"
	timeout -k 5 120 "$qemu" -accel tcg -nographic -no-reboot -m 1024 \
		-M virt,iommu=smmuv3,gic-version=3 -cpu max -bios "$firmware" \
		-audio none -kernel "$kernel" -initrd "$work/dump.cpio.gz" \
		-append "console=ttyAMA0 acpi=force panic=-1 quiet" \
		</dev/null >"$work/dump.log" 2>&1 || true
	tr -d '\r' <"$work/dump.log" | sed -n 's/.*@@IORT \([0-9a-f]*\).*/\1/p'
}

# hex in, patched binary table out (python3 is already a test dependency).
patch_table() { # hex, out file
	python3 - "$1" "$2" <<'PY'
import struct, sys
t = bytearray.fromhex(sys.argv[1])
assert t[:4] == b"IORT" and struct.unpack_from("<I", t, 4)[0] == len(t), "not an IORT"
nodes, off = struct.unpack_from("<II", t, 36)
patched = 0
for _ in range(nodes):
    ntype, nlen = t[off], struct.unpack_from("<H", t, off + 1)[0]
    if ntype == 2:               # PCI root complex
        t[off + 23] |= 1 << 2    # memory access flags: CANWBS
        patched += 1
    off += nlen
assert patched, "no root complex node"
struct.pack_into("<I", t, 24, struct.unpack_from("<I", t, 24)[0] + 1)
t[9] = 0
t[9] = (-sum(t)) & 0xff
open(sys.argv[2], "wb").write(t)
print(f"iort-canwbs: {patched} root complex node(s) marked CANWBS", file=sys.stderr)
PY
}

main() {
	local key out work hex
	key=$("$qemu" --version | head -n 1 | sha256sum | cut -c1-16)
	out=$cache/iort-canwbs-$key.cpio
	if [ ! -s "$out" ]; then
		work=$(mktemp -d)
		say "reading QEMU's IORT (one boot, once per QEMU version)"
		hex=$(dump_iort "$work")
		[ -n "$hex" ] || die "no IORT in the guest's output ($work/dump.log)"
		mkdir -p "$work/up/kernel/firmware/acpi"
		patch_table "$hex" "$work/up/kernel/firmware/acpi/IORT.aml"
		(cd "$work/up" && find kernel | cpio -o -H newc -R 0:0 --quiet) \
			>"$out.tmp"
		mv "$out.tmp" "$out"
		rm -rf "$work"
	fi
	echo "$out"
}

main
