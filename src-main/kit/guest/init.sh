#!/bin/sh
# PMEM Lab guest init (PID 1). Mounts the pseudo file systems, loads the
# pmem/dax/hotplug modules in dependency order, starts the probe agent on
# ttyS1 and gives the user a shell on ttyS0.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /tmp /run
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
load() {
	while read -r m; do
		insmod "$m" 2>/dev/null || echo "pmem-lab: could not load $m" > /dev/console
	done < "$1"
}
load /etc/pmem-lab/modules
# The CXL drivers only where the firmware describes a CXL root (QEMU's cxl=on), before the agent's first snapshot.
[ -e /sys/bus/acpi/devices/ACPI0017:00 ] && load /etc/pmem-lab/modules.cxl
hostname pmem-lab
stty -F /dev/ttyS1 raw -echo 2>/dev/null
/bin/agent.sh < /dev/ttyS1 > /dev/ttyS1 2>/dev/null &
# virtio (for virtio-mem) changes nothing else at boot: load it after the agent is up, then leave a mark for
# the lab's boot wait (src-main/guest/virtio-mem-wait.ts): the virtio-mem devices have met their driver.
(load /etc/pmem-lab/modules.later; : > /run/pmem-lab-late-modules) &
export PS1='\h:\w# '
echo "PMEM Lab guest ready: ndctl, daxctl, cxl and busybox are in /bin."
exec setsid cttyhack sh -l
