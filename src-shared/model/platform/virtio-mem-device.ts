// QEMU's virtio-mem device (hw/virtio/virtio-mem.c, hw/virtio/virtio-mem-pci.c):
// a region of device memory the guest plugs in device blocks, one bit each;
// `size` is what is plugged, `requested-size` what the guest is asked to
// plug, and the usable region how far into the region it may go. The guest's
// driver is behind VirtioMemGuest: the platform never sees the kernel.
import { hex, MiB } from '../../units';
import type { PciFunction } from './pci';
import { QmpError } from './qmp-error';

/** QEMU's default device block: the host's THP size, 2 MiB on x86-64 (virtio_mem_default_block_size). */
export const VIRTIO_MEM_BLOCK_SIZE = 2 * MiB;
/** How far the usable region reaches past the requested size on x86 (VIRTIO_MEM_USABLE_EXTENT). */
const USABLE_EXTENT = 256 * MiB;

export interface VirtioMemDevice {
  id: string;
  /** its PCI slot on bus 0 (function 0) */
  pciSlot: number;
  memdev: string;
  /** memaddr: where QEMU placed the region in device memory */
  addr: number;
  /** the memory backend's size: the device's maximum */
  regionSize: number;
  blockSize: number;
  node: number;
  requestedSize: number;
  /** plugged bytes (QEMU's `size`) */
  size: number;
  usableRegionSize: number;
  /** plugged device blocks, one flag per block of the region (QEMU's bitmap) */
  plugged: boolean[];
}

/**
 * The PCI function: virtio 1.0 only (virtio_pci_force_virtio_1), its capabilities in BAR 4, 16 KiB, 64-bit
 * prefetchable (hw/virtio/virtio-pci.c modern_mem_bar_idx); seen as `BAR 4 [mem 0xfebfc000-0xfebfffff 64bit pref]`.
 */
export const virtioMemPciFunction = (dev: VirtioMemDevice): PciFunction => ({
  slot: dev.pciSlot,
  fn: 0,
  what: `virtio-mem-pci ${dev.id}`,
  bars: [{ index: 4, size: 0x4000, prefetch: true }],
});

/** The guest's driver, told that the device's configuration changed (virtio_notify_config). */
export interface VirtioMemGuest {
  configChanged(dev: VirtioMemDevice): void;
}

/** virtio_mem_resize_usable_region: requested size plus the extent, in whole blocks, within the region. */
function resizeUsableRegion(dev: VirtioMemDevice, requested: number, canShrink: boolean): void {
  const aligned = Math.ceil(Math.min(dev.regionSize, requested + USABLE_EXTENT) / dev.blockSize) * dev.blockSize;
  const size = requested === 0 ? 0 : aligned;
  if (size < dev.usableRegionSize && !canShrink) return;
  dev.usableRegionSize = size;
}

/** The device as virtio_mem_device_realize leaves it: nothing plugged. */
export function virtioMemRealize(d: {
  id: string;
  pciSlot: number;
  memdev: string;
  addr: number;
  size: number;
  node: number;
}) {
  const dev: VirtioMemDevice = {
    id: d.id,
    pciSlot: d.pciSlot,
    memdev: d.memdev,
    addr: d.addr,
    regionSize: d.size,
    blockSize: VIRTIO_MEM_BLOCK_SIZE,
    node: d.node,
    requestedSize: 0,
    size: 0,
    usableRegionSize: 0,
    plugged: Array<boolean>(d.size / VIRTIO_MEM_BLOCK_SIZE).fill(false),
  };
  return dev;
}

/** requested-size at realize: the usable region follows (can shrink). */
export function virtioMemSetInitialRequest(dev: VirtioMemDevice, requested: number): void {
  dev.requestedSize = requested;
  resizeUsableRegion(dev, requested, true);
}

/** qom-set requested-size on a running device (virtio_mem_set_requested_size): checked, then the guest is told. */
export function virtioMemSetRequestedSize(dev: VirtioMemDevice, value: number, guest: VirtioMemGuest): void {
  if (value % dev.blockSize !== 0) {
    throw new QmpError('GenericError', `'requested-size' has to be multiples of 'block-size' (${hex(dev.blockSize)})`);
  }
  if (value > dev.regionSize) {
    throw new QmpError(
      'GenericError',
      `'requested-size' cannot exceed the memory backend size(${hex(dev.regionSize)})`,
    );
  }
  if (value !== dev.requestedSize) {
    resizeUsableRegion(dev, value, false);
    dev.requestedSize = value;
  }
  // QEMU notifies even when the value did not change
  guest.configChanged(dev);
}

/**
 * A plug or unplug request from the guest (virtio_mem_state_change_request): the range must lie in the
 * usable region and be wholly in the other state; plugging past the requested size is refused (NACK).
 */
export function virtioMemStateChange(dev: VirtioMemDevice, gpa: number, size: number, plug: boolean): boolean {
  const first = (gpa - dev.addr) / dev.blockSize;
  const count = size / dev.blockSize;
  if (first < 0 || gpa + size > dev.addr + dev.usableRegionSize || !Number.isInteger(first)) return false;
  if (plug && dev.size + size > dev.requestedSize) return false;
  for (let b = first; b < first + count; b++) if (dev.plugged[b] === plug) return false;
  for (let b = first; b < first + count; b++) dev.plugged[b] = plug;
  dev.size += plug ? size : -size;
  return true;
}
