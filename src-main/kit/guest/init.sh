#!/bin/sh
# PMEM Lab guest init (PID 1). Mounts the pseudo file systems, loads the
# pmem/dax/hotplug modules, starts the probe agent on ttyS1 and gives the user
# a shell on ttyS0. Under TCG every process costs milliseconds: each module
# list loads in one process, while the mounts and the agent's start go on.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
names() {
	while read -r m; do
		m=${m##*/}
		printf '%s ' "${m%.ko}"
	done < "$1"
}
# load LIST: the modules LIST names (paths, in dependency order), in one modprobe. Whatever that leaves out
# (a kit without depmod's index, a module that failed) gets an insmod each, and a console line if that fails.
load() {
	[ -s "$1" ] || return 0
	modprobe -aq $(names "$1") 2>/dev/null && return
	while read -r m; do
		n=${m##*/}
		n=${n%.ko}
		[ -d "/sys/module/${n//-/_}" ] || insmod "$m" 2>/dev/null || echo "pmem-lab: could not load $m" > /dev/console
	done < "$1"
}
# The modules load in the background while init mounts the rest and starts the agent, in one order: the
# kernel hands out region ids from one pool (memregion_alloc) to libnvdimm's regions and to each CXL root
# decoder's next region, so the CXL drivers (only where the firmware describes a CXL root, QEMU's cxl=on) load
# after the others, as the model assumes; loaded beside them, the ids came out in either order.
{
	load /etc/pmem-lab/modules
	[ -e /sys/bus/acpi/devices/ACPI0017:00 ] && load /etc/pmem-lab/modules.cxl
} &
modules=$!
mkdir -p /dev/pts /tmp /run
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
hostname pmem-lab
stty -F /dev/ttyS1 raw -echo 2>/dev/null
# The agent starts now, so its reader copies the boot log while the modules load; it answers only once the
# shell below opens this FIFO (/etc/profile): its first snapshot is the booted state, after the prompt.
mkfifo /run/pmem-lab-booted
/bin/agent.sh /run/pmem-lab-booted < /dev/ttyS1 > /dev/ttyS1 2>/dev/null &
wait $modules
# virtio (for virtio-mem) changes nothing else at boot: load it after the agent is up, then leave a mark for
# the lab's boot wait (src-main/guest/virtio-mem-wait.ts): the virtio-mem devices have met their driver.
(load /etc/pmem-lab/modules.later; : > /run/pmem-lab-late-modules) &
export PS1='\h:\w# '
echo "PMEM Lab guest ready: ndctl, daxctl, cxl and busybox are in /bin."
exec setsid cttyhack sh -l
