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

/**
 * One CXL decoder (drivers/cxl/core/port.c): a root decoder per fixed memory window, a switch decoder of the host
 * bridge, an endpoint decoder of each memdev. Read from /sys/bus/cxl/devices/decoderP.N.
 */
export interface CxlDecoderInfo {
  name: string;
  /** the port it belongs to (root0, port1, endpointN) */
  port: string;
  kind: 'root' | 'switch' | 'endpoint';
  /** the host physical range it decodes (start, size: 0 until a region commits it) */
  start: number;
  size: number;
  interleaveWays: number;
  interleaveGranularity: number;
  /** root and switch decoders: the targets in position order, as target_list prints them */
  targetList?: string;
  /** switch and endpoint decoders: the region it decodes for ('' for none) */
  region?: string;
  /** endpoint decoders: none, pmem or ram; the device-physical range (-1: none) */
  mode?: string;
  dpaResource?: number;
  dpaSize?: number;
  /** root decoders: the name create_pmem_region offers for the next region (regionN) */
  nextRegion?: string;
}

/** A CXL region (drivers/cxl/core/region.c), under the root decoder it was created on. */
export interface CxlRegionInfo {
  name: string;
  decoder: string;
  resource: number;
  size: number;
  interleaveWays: number;
  interleaveGranularity: number;
  /** the decoders are programmed (commit) */
  commit: boolean;
  /** endpoint decoders by position (target0..N) */
  targets: string[];
  /** bound to the cxl_region driver (cxl enable-region; disable-region unbinds it) */
  enabled: boolean;
}

/** A CXL memory device (drivers/cxl/core/memdev.c) and the endpoint port above it. */
export interface CxlMemdevInfo {
  name: string;
  /** endpointN, the memdev's port (its uport) */
  endpoint: string;
  /** the PCI function (0000:0d:00.0) and the root port it sits under (the host bridge's dport) */
  pci: string;
  rootPort: string;
  pmemSize: number;
  labelStorageSize: number;
  serial: number;
  numaNode: number;
}

/** The CXL bus: absent for a guest without one. */
export interface CxlBusInfo {
  decoders: CxlDecoderInfo[];
  regions: CxlRegionInfo[];
  memdevs: CxlMemdevInfo[];
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
  /** the CXL bus (/sys/bus/cxl); absent for a guest without one */
  cxl?: CxlBusInfo;
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
