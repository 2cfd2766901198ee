// The guest's side of a virtio-mem resize. QEMU's size changes as the guest's driver plugs each sub-block, and
// the driver adds the memory block afterwards (drivers/virtio/virtio_mem.c virtio_mem_sbm_plug_and_add_mb), so
// QEMU can report the requested size while the guest is still adding the last block: a snapshot then caught
// `System RAM (virtio_mem)` unmerged and its memory block not yet there (CI, scenario cxl-virtio-mem). The
// order in mm/memory_hotplug.c add_memory_resource gives the end: the resource is requested first, the memory
// block devices follow, the resource is merged with its neighbour (MHP_MERGE_RESOURCE) and the blocks are
// onlined last; try_remove_memory removes the blocks first and shrinks the resource last.

/**
 * A shell function that succeeds once every `System RAM (virtio_mem)` range of `$R/proc/iomem` has all its
 * memory blocks under `$R/sys/devices/system/memory` and no two such ranges of one device touch (both merge once
 * added; kernel/resource.c merge_system_ram_resource merges siblings only, so two devices' ranges may touch).
 */
export const VIRTIO_MEM_ADDED = `virtio_mem_added() {
  bs=$((0x$(cat $R/sys/devices/system/memory/block_size_bytes)))
  last=
  for r in $(sed -n -e 's/^ *[0-9a-f]*-[0-9a-f]* : virtio[0-9]*$/-/p' \\
    -e 's/^ *\\([0-9a-f]*\\)-\\([0-9a-f]*\\) : System RAM (virtio_mem)$/\\1-\\2/p' $R/proc/iomem); do
    [ "$r" = - ] && { last=; continue; } # the next device's ranges
    s=$((0x\${r%-*})); e=$((0x\${r#*-}))
    [ "$last" = "$((s - 1))" ] && return 1
    last=$e
    b=$((s / bs))
    while [ $b -le $((e / bs)) ]; do [ -d $R/sys/devices/system/memory/memory$b ] || return 1; b=$((b + 1)); done
  done
}`;

/**
 * The guest command that returns once its virtio-mem memory is added or removed whole, and the ranges and
 * block states have not changed for 100 ms (onlining comes after the merge).
 */
const UNTIL_VIRTIO_MEM_SETTLED = `${VIRTIO_MEM_ADDED}
seen=
while :; do
  if virtio_mem_added; then
    now=$(grep 'virtio_mem' /proc/iomem; cat /sys/devices/system/memory/memory*/state)
    [ "$now" = "$seen" ] && break
    seen=$now
  else
    seen=
  fi
  usleep 100000
done`;

/** Runs a command in the guest without echoing it (the probe's run). */
export type GuestCommand = (command: string, timeoutMs: number) => Promise<{ exitCode: number }>;

/** Waits, after QEMU has the devices' sizes, until the guest has added or removed that memory whole. */
export async function untilGuestVirtioMemSettled(guest: GuestCommand, timeoutMs: number, what: string): Promise<void> {
  if ((await guest(UNTIL_VIRTIO_MEM_SETTLED, timeoutMs)).exitCode !== 0)
    throw new Error(`${what}: the guest did not finish adding or removing virtio-mem memory in ${timeoutMs} ms`);
}
