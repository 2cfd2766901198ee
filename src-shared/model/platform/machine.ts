// The machine the kernel finds at boot: the e820 map that QEMU's pc machine
// and SeaBIOS build for a profile, the fixed devices and PCI windows, NUMA
// placement of RAM, and the device-memory region where DIMMs and NVDIMMs go
// (hw/i386/pc.c pc_memory_init, pc_pci_hole64_start; hw/i386/pc.c
// x86_update_above_4g_mem_start; SeaBIOS's e820 table).
import type { Profile } from '../../profile/schema';
import { CXL_DEVICE_ALIGN } from '../../profile/cxl';
import { GiB, alignDown, alignUp } from '../../units';
import { why, type Why } from '../why';
import { pcAddressSpace, pcConstants, pcDeviceMemSize, type PcConstants } from './qemu-pc';
import { seabiosPlaceBars, type PciFunction } from './pci';
import { cxlWindowResources, placeCxlRange, type CxlRange } from './cxl-windows';
import { cxlDriverLines, cxlHostBridgeLines, cxlPciFunctions } from './cxl-pci';
import { e820Reserved, fixedResources, holeResources, pciWindow } from './firmware-resources';
import { seabiosHighReserve, smbiosTableBytes } from './seabios-high';
import { buildSrat, qemuNodes, type SratMemory } from './srat';
import { bootBackends, virtioMemBackendId } from '../../profile/backends';
import {
  VIRTIO_MEM_BLOCK_SIZE,
  virtioMemPciFunction,
  virtioMemRealize,
  virtioMemSetInitialRequest,
  type VirtioMemDevice,
} from './virtio-mem-device';
import { optionalModules } from '../../profile/kernel-modules';

export interface RamRange {
  start: number;
  end: number;
  node: number;
}

export interface NvdimmPlacement {
  id: string;
  start: number;
  /** the region the guest sees and what it takes of device memory (QEMU's nvdimm memory region: no label area) */
  size: number;
  node: number;
  labelled: boolean;
}

/**
 * A resource the firmware describes: an e820 reserved range, a fixed device,
 * ROM or PCI BAR (`fixed`), or a PCI window from the host bridge's ACPI _CRS
 * (`window`). An entry of depth d nests under the last entry of depth d - 1.
 */
export interface FirmwareResource {
  start: number;
  end: number;
  name: string;
  kind: 'e820-reserved' | 'fixed' | 'window';
  depth: 0 | 1 | 2 | 3;
  why: Why;
}

/** A pc-dimm plugged into device memory (hw/mem/pc-dimm.c). */
export interface Dimm {
  id: string;
  /** its slot: the first free one (NVDIMMs hold the first slots, in profile order) */
  slot: number;
  start: number;
  size: number;
  node: number;
  memdev: string;
}

/** A cxl-type3 device: its persistent capacity as the guest sees it (256 MiB units) and its label area. */
export interface CxlType3 {
  id: string;
  capacity: number;
  labels: number;
}

export interface Machine {
  constants: PcConstants;
  /** the functions on PCI bus 0 with memory BARs (the machine's own, then the profile's devices) */
  pciFunctions: PciFunction[];
  /** the CPU's physical address bits: the kernel's iomem root ends at 2^physBits - 1 (arch/x86/kernel/setup.c) */
  physBits: number;
  /** the kernel command line QEMU passes (-append) */
  kernelArgs: string[];
  /** the modules outside the lab base that the booted kernel ships (profile/kernel-modules.ts) */
  kernelModules: readonly string[];
  /** the first MiB: e820 entries, the VGA window and the ROMs */
  legacyArea: FirmwareResource[];
  /** e820 RAM as SeaBIOS reports it, low RAM first */
  e820Ram: { start: number; end: number }[];
  /** everything after RAM: SeaBIOS's reserve, PCI windows, fixed devices, the HyperTransport reserve */
  upperResources: FirmwareResource[];
  /** the NUMA node of the RAM at addr, and the last address of that node's RAM (QEMU's SRAT) */
  nodeAt(addr: number): { node: number; last: number };
  deviceMem?: { base: number; size: number };
  /** QEMU's SRAT memory entries; undefined when it builds none (no NUMA nodes and no hotplug slots) */
  srat?: SratMemory[];
  nvdimms: NvdimmPlacement[];
  /** virtio-mem devices, placed after the NVDIMMs in profile order (QEMU's state: plugged and requested sizes) */
  virtioMem: VirtioMemDevice[];
  pci64: { start: number; end: number };
  /** the CXL host register area, fixed memory windows and type-3 devices (bus order), when the profile has CXL */
  cxl?: CxlRange & { devices: CxlType3[] };
  /** CPUs of each node as sysfs lists them ("0,1") */
  cpus: Map<number, string>;
  /** hotplug slots (-m slots=), NVDIMMs and DIMMs each taking one */
  slots: number;
  /** device memory QEMU lets memory devices use in all: maxmem - RAM (hw/mem/memory-device.c) */
  deviceMemBudget: number;
  /** NUMA nodes as QEMU counts them: the profile's, or node 0 it adds itself for hotplug slots, or none */
  numaNodes: number;
  /** QMP state: memory backends with their sizes (the boot ones, then object-add), and plugged DIMMs */
  backends: Map<string, number>;
  /** the backends the guest booted with, each mapped by its RAM, node or NVDIMM */
  bootBackends: Set<string>;
  dimms: Map<string, Dimm>;
}

const FOUR_G = 4 * GiB;

/** `physBits`: the CPU's address width where it is not qemu64's (a `-cpu host` guest; the model at scale). */
export function buildMachine(profile: Profile, qemu: string, physBits?: number): Machine {
  const c = {
    ...pcConstants(qemu, profile.machine),
    ...(physBits ? { physBits } : {}),
    ...(profile.pciHole64 !== undefined ? { pci64Size: profile.pciHole64 } : {}),
  };
  const hasNvdimm = profile.nvdimms.length > 0;
  const ram = profile.memory.size;
  const below = ram >= c.splitAt ? c.lowRamWhenSplit : ram;
  const above = ram - below;
  const smbiosBytes = smbiosTableBytes(c.seabiosHigh, ram, above > 0);
  const reserve = seabiosHighReserve(c.seabiosHigh, hasNvdimm, smbiosBytes);
  const lowEnd = below - reserve.bytes;

  const deviceSize = pcDeviceMemSize(profile.memory, c);
  const cxlWindows = profile.cxl?.windows.map((w) => w.size);
  const high = pcAddressSpace(c, above, deviceSize, cxlWindows).aboveStart;
  const e820Ram = [{ start: 0x100000, end: lowEnd - 1 }];
  if (above > 0) e820Ram.push({ start: high, end: high + above - 1 });

  // NUMA: QEMU hands out RAM to nodes in order, low RAM first, skipping the hole.
  const nodeSizes = profile.numa
    ? profile.numa.map((n) => ({ node: n.node, size: n.memory }))
    : [{ node: 0, size: ram }];
  const nodeAt = (addr: number) => {
    const offset = addr >= FOUR_G ? below + addr - high : addr;
    let acc = 0;
    for (const n of nodeSizes) {
      acc += n.size;
      if (offset < acc) return { node: n.node, last: acc - 1 < below ? acc - 1 : high + acc - 1 - below };
    }
    return { node: nodeSizes[nodeSizes.length - 1]!.node, last: addr };
  };

  // pc_get_device_memory_range: device memory starts at the first GiB after RAM above 4 GiB, even when empty
  const deviceBase = alignUp(high + above, GiB);
  let deviceMem: Machine['deviceMem'];
  if (deviceSize > 0) deviceMem = { base: deviceBase, size: deviceSize };
  const nvdimms: NvdimmPlacement[] = [];
  let next = deviceMem?.base ?? 0;
  for (const d of profile.nvdimms) {
    next = alignUp(next, c.dimmAlign);
    nvdimms.push({ id: d.id, start: next, size: d.size, node: d.node, labelled: d.labels !== 'none' });
    // QEMU places the next device after this one's memory region (memory_device_get_region_size: no label area).
    next += d.size;
  }
  // virtio-mem: the whole backend, aligned to its device block (virtio_mem_pci_get_min_alignment); each on
  // the lowest PCI slot free (softmmu/qdev-monitor.c: no addr=, pci_bus_devfn_available from slot 0)
  const freeSlots = Array.from({ length: 32 }, (_, s) => s).filter((s) => !c.pciSlotsTaken.includes(s));
  const virtioMem = profile.virtioMem.map((d, i) => {
    next = alignUp(next, Math.max(c.dimmAlign, VIRTIO_MEM_BLOCK_SIZE));
    const dev = virtioMemRealize({
      id: d.id,
      pciSlot: freeSlots[i]!,
      memdev: virtioMemBackendId(d.id),
      addr: next,
      size: d.size,
      node: d.node,
    });
    virtioMemSetInitialRequest(dev, d.requestedSize);
    next += d.size;
    return dev;
  });
  const memEnd = deviceBase + deviceSize;
  const after = deviceMem
    ? 'device memory (maxmem - RAM + 1 GiB per slot)'
    : 'the empty device memory region at the first GiB boundary after RAM';
  const cxl = profile.cxl
    ? placeCxlRange(
        memEnd,
        profile.cxl.windows.map((w) => w.size),
      )
    : undefined;
  const pci64Start = alignUp(cxl ? cxl.end : memEnd, GiB);
  // i440fx_pcihost_get_pci_hole64_end: the window's end rounded up to a GiB
  const pci64 = { start: pci64Start, end: alignUp(pci64Start + c.pci64Size, GiB) - 1 };

  const pci64Rule =
    `the 64-bit PCI window (${c.pci64Size / GiB} GiB) starts at the first GiB after ` +
    (cxl ? 'the last CXL fixed memory window' : after);
  const pciFunctions = [
    ...c.builtinPci,
    ...virtioMem.map(virtioMemPciFunction),
    ...(profile.cxl ? cxlPciFunctions(profile.cxl) : []),
  ];
  const upperResources = [
    ...holeResources(c, below, reserve, seabiosPlaceBars(pciFunctions), {
      ...(cxl ? { driverLines: cxlDriverLines, cxlHostRegs: cxl.hostRegs } : {}),
      ...(pci64.end > pci64.start
        ? { pci64: pciWindow(pci64.start, pci64.end, why(pci64Rule, 'hw/i386/pc.c:pc_pci_hole64_start')) }
        : {}),
    }),
    ...(cxl && profile.cxl
      ? [...cxlHostBridgeLines(profile.cxl, cxl.hostRegs), ...cxlWindowResources(cxl, after)]
      : []),
    e820Reserved(
      c.amdHtReserved[0],
      c.amdHtReserved[1],
      "QEMU reserves the AMD HyperTransport range for AMD-vendor CPUs (TCG's qemu64)",
    ),
  ];

  const nodes = qemuNodes(
    profile.numa?.map((n) => ({ node: n.node, size: n.memory })),
    profile.memory.slots,
    ram,
  );
  const backends = bootBackends(profile);
  const cpus = new Map(
    profile.numa
      ? profile.numa.map((n) => [n.node, n.cpus.join(',')])
      : [[0, Array.from({ length: profile.cpus }, (_, i) => i).join(',')]],
  );
  return {
    constants: c,
    pciFunctions,
    physBits: c.physBits,
    kernelArgs: profile.kernelArgs,
    kernelModules: optionalModules(profile.kernel),
    legacyArea: fixedResources(
      c.lowArea,
      'firmware low area: e820 RAM below 640 KiB, the VGA window and ROMs in the reserved range up to 1 MiB',
    ),
    e820Ram,
    upperResources,
    nodeAt,
    deviceMem,
    srat: buildSrat({ nodes, below4g: below, above4gStart: high, deviceMem }),
    nvdimms,
    virtioMem,
    pci64,
    ...(cxl && profile.cxl
      ? {
          cxl: {
            ...cxl,
            devices: profile.cxl.devices.map((d) => ({
              id: d.id,
              capacity: alignDown(d.size, CXL_DEVICE_ALIGN),
              labels: d.labels,
            })),
          },
        }
      : {}),
    cpus,
    slots: profile.memory.slots ?? 0,
    deviceMemBudget: profile.memory.maxmem === undefined ? 0 : profile.memory.maxmem - ram,
    numaNodes: nodes.length,
    backends,
    bootBackends: new Set(backends.keys()),
    dimms: new Map(),
  };
}
