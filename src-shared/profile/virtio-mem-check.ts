// What QEMU refuses in a profile's virtio-mem devices, in its own words where
// it has them (hw/virtio/virtio-mem.c virtio_mem_device_realize,
// virtio_mem_set_requested_size; hw/mem/memory-device.c), each naming the
// field and the fix.
import { formatSize, sizeWords } from '../units';
import { VIRTIO_MEM_BLOCK_SIZE } from '../model/platform/virtio-mem-device';
import type { Profile } from './schema';

type Issue = (path: (string | number)[], message: string) => void;

const block = formatSize(VIRTIO_MEM_BLOCK_SIZE);

/** Multiples of the device block either side of `bytes`, as a hint. */
const near = (bytes: number): string => {
  const down = Math.floor(bytes / VIRTIO_MEM_BLOCK_SIZE) * VIRTIO_MEM_BLOCK_SIZE;
  return [down, down + VIRTIO_MEM_BLOCK_SIZE]
    .filter((b) => b > 0)
    .map(formatSize)
    .join(' or ');
};

export function checkVirtioMem(p: Pick<Profile, 'virtioMem' | 'memory' | 'numa'>, issue: Issue): void {
  if (p.virtioMem.length > 0 && p.memory.maxmem === undefined) {
    issue(
      ['virtioMem'],
      'virtio-mem lives in hotplug memory: set memory.slots and memory.maxmem (QEMU: "memory devices (e.g. for ' +
        'memory hotplug) are not enabled, please specify the maxmem option")',
    );
  }
  const ids = new Set<string>();
  const nodes = new Set((p.numa ?? []).map((n) => n.node));
  p.virtioMem.forEach((d, i) => {
    const at = (f: string) => ['virtioMem', i, f];
    if (ids.has(d.id)) issue(at('id'), `duplicate id "${d.id}"`);
    ids.add(d.id);
    if (d.size === 0 || d.size % VIRTIO_MEM_BLOCK_SIZE !== 0)
      issue(
        at('size'),
        `QEMU needs the memory backend in whole device blocks of ${block} ("backend memory size must be multiple ` +
          `of 0x${VIRTIO_MEM_BLOCK_SIZE.toString(16)}"): write ${near(d.size || VIRTIO_MEM_BLOCK_SIZE)}`,
      );
    if (d.requestedSize % VIRTIO_MEM_BLOCK_SIZE !== 0)
      issue(
        at('requestedSize'),
        `QEMU: "'requested-size' property has to be multiples of 'block-size' ` +
          `(0x${VIRTIO_MEM_BLOCK_SIZE.toString(16)})": write ${near(d.requestedSize)}`,
      );
    else if (d.requestedSize > d.size)
      issue(
        at('requestedSize'),
        `more than the device's size (${sizeWords(d.size)}): QEMU starts, but the guest can plug no more than the ` +
          `device holds, and QEMU refuses such a value once running ("'requested-size' cannot exceed the memory ` +
          `backend size"); raise virtioMem[${i}].size or lower the request`,
      );
    if (p.numa && !nodes.has(d.node)) issue(at('node'), `node ${d.node} is not in numa[]`);
    if (!p.numa && d.node !== 0)
      issue(
        at('node'),
        `a node other than 0 needs a numa[] list (QEMU: "'node' property has value '${d.node}', which exceedsthe ` +
          'number of numa nodes: 1")',
      );
  });
}
