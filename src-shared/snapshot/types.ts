// What one probe round trip (or the model) says about a guest's memory state.

export interface MemoryBlockInfo {
  /** memoryN: N = physical address / block size */
  id: number;
  /** the kernel's word: online, offline or going-offline */
  state: string;
  /** valid_zones as the kernel prints it, e.g. "Normal Movable" or "Movable" */
  zones: string;
  /** NUMA node the block belongs to (-1 when no node link was found) */
  node: number;
  removable?: boolean;
  /**
   * The model's only: pages of the block's own memmap (memmap_on_memory; the kernel's nr_vmemmap_pages).
   * The 6.1 guest shows nothing per block (its MemTotal and /proc/zoneinfo show the sum), so it is display
   * only and outside the fidelity comparison.
   */
  nrVmemmapPages?: number;
}

export interface NdRegion {
  name: string; // regionN
  size: number;
  align: number;
  available: number;
  numaNode: number;
  targetNode: number;
  /** "pmem" for NFIT/e820 regions */
  devtype: string;
}

export interface NdNamespace {
  name: string; // namespaceR.N
  region: string;
  /** the kernel's sysfs word: raw, memory (ndctl's fsdax), dax (devdax), safe (sector) */
  mode: string;
  size: number;
  uuid?: string;
  /** pfn/dax/btt holder device, when the namespace is claimed */
  holder?: string;
}

export interface DaxDevice {
  name: string; // daxR.N
  size: number;
  targetNode: number;
  /** bound driver: device_dax, kmem, or "" when unbound */
  driver: string;
  /** daxctl's view: devdax under device_dax, system-ram under kmem */
  mode: 'devdax' | 'system-ram' | 'unbound';
}

export interface NumaNodeInfo {
  id: number;
  memTotalKiB: number;
  cpus: string;
  /** memory block ids linked from /sys/devices/system/node/nodeN */
  blocks: number[];
}

/** A virtio-mem device as QEMU reports it (query-memory-devices): what is plugged and what is asked for. */
export interface VirtioMemInfo {
  id: string;
  memaddr: number;
  maxSize: number;
  blockSize: number;
  /** plugged bytes */
  size: number;
  requestedSize: number;
  node: number;
}

export interface Snapshot {
  kernel: string;
  /** /proc/iomem exactly as the kernel printed it */
  iomem: string;
  blockSizeBytes: number;
  autoOnlineBlocks: string;
  memoryBlocks: MemoryBlockInfo[];
  nd: { regions: NdRegion[]; namespaces: NdNamespace[] };
  dax: { devices: DaxDevice[] };
  numa: { nodes: NumaNodeInfo[] };
  /** virtio-mem devices, from QEMU (the probe dump's V lines); absent for a guest without any */
  virtioMem?: VirtioMemInfo[];
  /** the kernel's messages since the previous snapshot, without timestamps (the model: those its rules printed) */
  log?: string[];
  /** What the parser could not read; empty when everything parsed. */
  problems?: string[];
}

/** One /proc/iomem line: depth (0 = top level), inclusive range, name. */
export interface IomemLine {
  depth: number;
  start: number;
  end: number;
  name: string;
}

/** A guest with nothing in it but the iomem text given: what a side shows before it knows anything. */
export const emptySnapshot = (iomem = ''): Snapshot => ({
  kernel: '',
  iomem,
  blockSizeBytes: 0,
  autoOnlineBlocks: 'offline',
  memoryBlocks: [],
  nd: { regions: [], namespaces: [] },
  dax: { devices: [] },
  numa: { nodes: [] },
});
