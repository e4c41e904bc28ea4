#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
#
# /init of the initramfs that run-vm.sh packs: set up the guest, run every
# program listed in /etc/inest-tests (from /tests) in order between markers
# that run-vm.sh parses from the serial console, then power off.
#
# Markers (each on a line of its own):
#   @@INEST-SETUP-FAILED <reason>   guest preparation failed
#   @@INEST-BEGIN <name>            program starts
#   @@INEST-END <name> rc=<N>       program exited with status N
#   @@INEST-TAINT <name> <value>     /proc/sys/kernel/tainted after <name>
#                                   (boot: before the first program)
#   @@INEST-ALL-DONE                all programs ran
# Kernel messages are kept off the console (so they cannot split a TAP line)
# and are printed after each program instead, each line prefixed "kmsg: ".

PATH=/bin
export PATH

setup_failed() {
	echo "@@INEST-SETUP-FAILED $*"
}

mount_filesystems() {
	mount -t proc proc /proc || setup_failed "mount /proc"
	mount -t sysfs sysfs /sys || setup_failed "mount /sys"
	# DEVTMPFS_MOUNT does not apply to an initramfs root, so mount it here.
	mount -t devtmpfs devtmpfs /dev || setup_failed "mount /dev"
	mount -t debugfs debugfs /sys/kernel/debug ||
		setup_failed "mount /sys/kernel/debug"
	mount -t tmpfs tmpfs /tmp || setup_failed "mount /tmp"
}

# Print and clear the kernel log so each program's messages follow it.
flush_kmsg() {
	dmesg -c | sed 's/^/kmsg: /'
}

# A WARN or BUG taints the kernel even when its message is lost; run-vm.sh
# fails the program after which the value changed.
report_taint() {
	echo "@@INEST-TAINT $1 $(cat /proc/sys/kernel/tainted)"
}

# Hand QEMU's edu device (1234:11e8) to vfio-pci, which creates the cdev
# /dev/vfio/devices/vfio0 behind the emulated VT-d or SMMUv3.
bind_edu() {
	drv=/sys/bus/pci/drivers/vfio-pci
	if [ ! -d "$drv" ]; then
		setup_failed "no vfio-pci driver in the guest kernel"
		return
	fi
	if ! echo "1234 11e8" >"$drv/new_id"; then
		setup_failed "writing 1234 11e8 to $drv/new_id failed"
		return
	fi
	tries=0
	while [ ! -c /dev/vfio/devices/vfio0 ]; do
		tries=$((tries + 1))
		if [ "$tries" -gt 100 ]; then
			setup_failed "/dev/vfio/devices/vfio0 did not appear within 10s"
			return
		fi
		usleep 100000
	done
}

run_tests() {
	while IFS= read -r name; do
		echo "@@INEST-BEGIN $name"
		(cd /tmp && exec "/tests/$name" </dev/null)
		rc=$?
		# Start on a fresh line even if the program left one unterminated.
		echo
		echo "@@INEST-END $name rc=$rc"
		flush_kmsg
		report_taint "$name"
	done </etc/inest-tests
}

main() {
	/bin/busybox --install -s /bin
	mount_filesystems
	exec </dev/console >/dev/console 2>&1
	dmesg -n 1
	INEST_PROFILE=$(cat /etc/inest-profile)
	export INEST_PROFILE
	HOME=/tmp
	export HOME
	echo "@@INEST-GUEST profile=$INEST_PROFILE kernel=$(uname -r) uptime=$(cut -d' ' -f1 /proc/uptime)"
	case $INEST_PROFILE in
	vfio | smmuv3) bind_edu ;;
	esac
	flush_kmsg
	report_taint boot
	run_tests
	echo "@@INEST-ALL-DONE uptime=$(cut -d' ' -f1 /proc/uptime)"
	poweroff -f
}

main
