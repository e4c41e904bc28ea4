#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# Boot the test kernel under QEMU (TCG) with the given statically linked test
# programs in an initramfs, run them in order and judge their TAP output.
#
# Usage: run-vm.sh --profile mock|vfio|smmuv3 [--name NAME] [--timeout SECS]
#                  [--show] PROGRAM...
#   --name  what the closing line calls the run (default vm-<profile>)
#   --show  print each program's output and count programs, not TAP lines:
#           a program passes when it exits 0 (for examples and benchmarks)
# A kernel WARN, BUG or Oops in the log, or a change of the kernel's taint
# value, fails the program after which it appeared (or the boot).
#   mock  no vIOMMU: /dev/iommu with the kernel's mock IOMMU (IOMMUFD_TEST)
#   vfio  emulated VT-d plus QEMU's edu device bound to vfio-pci, i.e.
#         /dev/vfio/devices/vfio0
#   smmuv3  arm64: QEMU's virt machine with an emulated SMMUv3 (two stages)
#         and the edu device as vfio0; QEMU from qemu-root.sh, booted
#         through UEFI with an IORT that marks the root complex CANWBS
#         (see iort-canwbs.sh); programs and busybox built for arm64
# Environment:
#   LIBIOMMUNEST_VM_KERNEL   bzImage to boot (default: build-kernel.sh output)
#   LIBIOMMUNEST_VM_BUSYBOX  static busybox (default: busybox in PATH)
#   LIBIOMMUNEST_VM_LOGDIR   where the work directory goes (default: $TMPDIR)
#   LIBIOMMUNEST_VM_KEEP=1   keep the work directory even on success
#   INEST_PROVOKE            passed to the guest as /etc/inest-provoke
#                            (the vm-harness tier's switch)
#
# Last stdout line: "<name>: N passed, N failed". Exit: 0 when nothing
# failed and something passed; 77 when prerequisites are missing; else 1,
# keeping the serial log and naming it.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
profile=
name=
show=0
timeout_secs=120
programs=()

say() { echo "run-vm: $*" >&2; }
skip() { say "SKIP: $*"; exit 77; }
die() { say "ERROR: $*"; exit 1; }
usage() {
	echo "usage: run-vm.sh --profile mock|vfio|smmuv3 [--name NAME] [--timeout SECS] [--show] PROGRAM..." >&2
	exit 2
}

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--profile) [ $# -ge 2 ] || usage; profile=$2; shift 2 ;;
		--timeout) [ $# -ge 2 ] || usage; timeout_secs=$2; shift 2 ;;
		--name) [ $# -ge 2 ] || usage; name=$2; shift 2 ;;
		--show) show=1; shift ;;
		--) shift; break ;;
		-*) usage ;;
		*) break ;;
		esac
	done
	programs=("$@")
	case $profile in
	mock | vfio) arch=x86_64 ;;
	smmuv3) arch=arm64 ;;
	*) usage ;;
	esac
	[ -n "$name" ] || name=vm-$profile
	case $timeout_secs in '' | *[!0-9]*) usage ;; esac
	[ ${#programs[@]} -gt 0 ] || usage
}

# A dynamically linked program would fail in the guest with a puzzling
# "not found", so refuse it here (only when readelf is there to tell).
is_dynamic() {
	command -v readelf >/dev/null &&
		LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'
}

check_inputs() {
	local tool
	for tool in cpio gzip timeout awk; do
		command -v "$tool" >/dev/null || skip "'$tool' not found"
	done
	if [ "$arch" = x86_64 ]; then
		qemu_bin=qemu-system-x86_64
		command -v "$qemu_bin" >/dev/null ||
			skip "qemu-system-x86_64 not found (apt install qemu-system-x86)"
	else
		local rc=0
		qemu_bin=$(bash "$here/qemu-root.sh") || rc=$?
		[ "$rc" = 0 ] || exit "$rc"
		firmware=$(bash "$here/qemu-root.sh" --firmware)
		[ -r "$firmware" ] || skip "UEFI firmware $firmware missing"
	fi
	local brc=0
	busybox=$(bash "$here/fetch-busybox.sh" "$arch") || brc=$?
	[ "$brc" = 0 ] || exit "$brc"
	! is_dynamic "$busybox" ||
		skip "$busybox is dynamically linked (apt install busybox-static)"
	local prog names=" "
	for prog in "${programs[@]}"; do
		{ [ -f "$prog" ] && [ -x "$prog" ]; } || die "$prog: not an executable file"
		! is_dynamic "$prog" || die "$prog: dynamically linked; link it with -static"
		case ${prog##*/} in *[[:space:]]*) die "$prog: name contains blanks" ;; esac
		case $names in *" ${prog##*/} "*) die "two programs named ${prog##*/}" ;; esac
		names="$names${prog##*/} "
	done
}

find_kernel() {
	if [ -n "${LIBIOMMUNEST_VM_KERNEL:-}" ]; then
		kernel=$LIBIOMMUNEST_VM_KERNEL
		[ -f "$kernel" ] || die "LIBIOMMUNEST_VM_KERNEL=$kernel does not exist"
		return
	fi
	local rc=0
	local series=6.12
	[ "$arch" = x86_64 ] || series=7.3
	kernel=$("$here/build-kernel.sh" "$series" "$arch") || rc=$?
	[ "$rc" -eq 0 ] || exit "$rc"
}

make_initramfs() {
	local root=$work/root prog
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,tests,etc}
	cp "$busybox" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$here/guest-init.sh" "$root/init"
	chmod 755 "$root/init"
	echo "$profile" >"$root/etc/inest-profile"
	echo "${INEST_PROVOKE:-none}" >"$root/etc/inest-provoke"
	: >"$root/etc/inest-tests"
	for prog in "${programs[@]}"; do
		cp "$prog" "$root/tests/"
		echo "${prog##*/}" >>"$root/etc/inest-tests"
	done
	(cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$work/initramfs.cpio.gz"
	if [ "$profile" = smmuv3 ]; then
		# The kernel reads ACPI table upgrades from an uncompressed
		# cpio at the start of the initrd.
		local upgrade rc=0
		upgrade=$(bash "$here/iort-canwbs.sh" "$qemu_bin" "$kernel") ||
			rc=$?
		[ "$rc" = 0 ] || exit "$rc"
		cat "$upgrade" "$work/initramfs.cpio.gz" >"$work/initrd"
	else
		mv "$work/initramfs.cpio.gz" "$work/initrd"
	fi
}

# The vfio profile needs the guest's VT-d to isolate MSIs (interrupt
# remapping), or iommufd refuses to bind the device (EPERM).
qemu_args() {
	local append="panic=-1 quiet"
	qemu=("$qemu_bin" -accel tcg -nographic -no-reboot -kernel "$kernel"
		-initrd "$work/initrd")
	case $profile in
	vfio)
		qemu+=(-m 512 -M "q35,kernel-irqchip=split"
			-device "intel-iommu,intremap=on" -device edu)
		append="console=ttyS0 $append intel_iommu=on" ;;
	mock)
		qemu+=(-m 512 -M q35)
		append="console=ttyS0 $append" ;;
	smmuv3)
		# -audio none: QEMU would otherwise look for audio modules.
		qemu+=(-m 1024 -M "virt,iommu=smmuv3,gic-version=3" -cpu max
			-bios "$firmware" -audio none -device edu)
		append="console=ttyAMA0 acpi=force $append" ;;
	esac
	qemu+=(-append "$append")
}

boot() {
	local start
	start=$(date +%s)
	qemu_rc=0
	timeout -k 5 "$timeout_secs" "${qemu[@]}" </dev/null >"$log" 2>&1 ||
		qemu_rc=$?
	elapsed=$(($(date +%s) - start))
}

# Turn the serial log into per-program lines, "not ok" lines, loud problems
# (lines starting "PROBLEM ") and a final "TOTALS passed failed" line.
parse_log() {
	awk -v show="$show" -v progs="$(printf '%s\n' "${programs[@]##*/}")" '
	BEGIN { n = split(progs, order, "\n") }
	{ sub(/\r+$/, "") }
	/Kernel panic/ { panic = panic ? panic : $0 }
	/qemu: hardware error/ { hwerr = hwerr ? hwerr : $0 }
	/@@INEST-SETUP-FAILED/ { sub(/.*@@INEST-SETUP-FAILED /, ""); setup = setup "; " $0; next }
	/@@INEST-ALL-DONE/ { alldone = 1; cur = ""; next }
	/@@INEST-TAINT / {
		who = $(NF - 1); t = $NF
		if (who != "boot" && t != taint) tainted[who] = t
		if (who == "boot" && t != 0) boot_taint = t
		taint = t; next
	}
	# Kernel messages follow the program that caused them (or the boot).
	/^kmsg: / && /(WARNING:|BUG:|Oops)/ {
		who = last != "" ? last : "boot"
		if (!(who in warn)) warn[who] = substr($0, 7)
	}
	/@@INEST-BEGIN / { cur = $NF; began[cur] = 1; next }
	/@@INEST-END / {
		name = $(NF - 1); rc = $NF; sub(/^rc=/, "", rc)
		ended[name] = 1; rcs[name] = rc; cur = ""; last = name; next
	}
	cur == "" { next }
	show && $0 != "" { print "OUT " cur "| " $0; next }
	show { next }
	/^not ok [0-9]+/ { nok[cur]++; print cur ": " $0; next }
	/^ok [0-9]+.*# *[Ss][Kk][Ii][Pp]/ { skips[cur]++; next }
	/^ok [0-9]+/ { ok[cur]++; next }
	/^# *SKIP/ { why[cur] = $0; sub(/^# *SKIP:? */, "", why[cur]) }
	END {
		if (panic != "") print "PROBLEM guest kernel panicked: " panic
		if (hwerr != "") print "PROBLEM QEMU aborted (device model misused?): " hwerr
		if (setup != "") print "PROBLEM guest setup failed: " substr(setup, 3)
		if ("boot" in warn) print "PROBLEM kernel WARN/BUG during boot: " warn["boot"]
		if (boot_taint != "") print "PROBLEM kernel tainted (" boot_taint ") before the first program"
		for (i = 1; i <= n; i++) {
			p = order[i]
			if (p == "") continue
			passed += ok[p]; failed += nok[p]
			counts = sprintf("%d ok, %d not ok, %d skipped", ok[p], nok[p], skips[p])
			if (!began[p]) {
				failed++; status = "NOT RUN"
				print "PROBLEM " p ": never started"
			} else if (!ended[p]) {
				failed++; status = "NO END MARKER (crashed or hung)"
				print "PROBLEM " p ": END marker missing"
			} else if ((p in warn) || (p in tainted)) {
				failed++
				status = "FAIL: kernel WARN/BUG or taint"
				if (p in warn) print "PROBLEM " p ": kernel WARN/BUG: " warn[p]
				if (p in tainted) print "PROBLEM " p ": kernel taint became " tainted[p]
			} else if (rcs[p] == 77) {
				status = "SKIPPED" (why[p] != "" ? ": " why[p] : "")
			} else if (rcs[p] != 0) {
				status = "FAIL rc=" rcs[p]
				if (!nok[p]) failed++
			} else {
				status = nok[p] ? "FAIL" : "PASS"
				if (show) passed++
			}
			print "program " p ": " status " (" counts ")"
		}
		if (!alldone) print "PROBLEM ALL-DONE marker missing"
		if (!passed) print "PROBLEM no ok lines at all"
		print "TOTALS", passed + 0, failed + 0
	}' "$log"
}

report() {
	local line passed=0 failed=0 problems=0
	while IFS= read -r line; do
		case $line in
		"PROBLEM "*) say "FAIL: ${line#PROBLEM }"; problems=$((problems + 1)) ;;
		"TOTALS "*) read -r _ passed failed <<<"$line" ;;
		"OUT "*) echo "${line#OUT }" ;;
		*) echo "$name: $line" ;;
		esac
	done < <(parse_log)
	if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
		say "FAIL: guest hung: killed after ${timeout_secs}s timeout"
		problems=$((problems + 1))
	elif [ "$qemu_rc" -ne 0 ]; then
		say "FAIL: qemu exited with status $qemu_rc"
		problems=$((problems + 1))
	fi
	echo "$name: guest ran for ${elapsed}s ($(grep -m1 -o 'kernel=[^ ]*' "$log" | tr -d '\r' || echo 'kernel=?'))"
	ok_run=0
	if [ "$problems" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; then
		ok_run=1
	else
		say "serial log kept at $log"
		tail -n 30 "$log" | sed 's/^/run-vm:   | /' >&2
	fi
	echo "$name: $passed passed, $failed failed"
}

main() {
	parse_args "$@"
	check_inputs
	find_kernel
	work=$(mktemp -d "${LIBIOMMUNEST_VM_LOGDIR:-${TMPDIR:-/tmp}}/libiommunest-vm-$profile.XXXXXX")
	log=$work/serial.log
	make_initramfs
	qemu_args
	boot
	report
	if [ "$ok_run" -eq 1 ]; then
		if [ "${LIBIOMMUNEST_VM_KEEP:-0}" = 1 ]; then
			say "work directory kept at $work"
		else
			rm -rf "$work"
		fi
		exit 0
	fi
	exit 1
}

main "$@"
