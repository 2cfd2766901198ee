// The machine the kernel finds at boot: the e820 map QEMU's pc machine and
// SeaBIOS build for a profile, the PCI windows, the device-memory region for
// DIMMs and NVDIMMs, and `memmap=` carve-outs (arch/x86/kernel/e820.c).
import type { Profile } from '../profile/schema';
import { nvdimmBackendSize } from '../profile/schema';
import { GiB, alignUp, parseSize } from '../units';
import { createRoot, Desc, IORESOURCE_BUSY, IORESOURCE_MEM, IORESOURCE_SYSTEM_RAM, Resource, requestResourceConflict } from './resource';
import { KERNEL_IMAGE, pcConstants, type PcConstants } from './qemu-pc';
import { why } from './why';

export interface RamRange {
  start: number;
  end: number;
  node: number;
}

export interface NvdimmPlacement {
  id: string;
  start: number;
  /** the region the guest sees */
  size: number;
  /** what it takes of device memory: the region plus the label area, rounded up to 2 MiB */
  backendSize: number;
  node: number;
  labelled: boolean;
}

export interface Platform {
  constants: PcConstants;
  root: Resource;
  /** e820 System RAM, with its NUMA node */
  bootRam: RamRange[];
  /** e820 type 12 ranges from memmap=SIZE!START */
  legacyPmem: { start: number; end: number; node: number }[];
  deviceMem?: { base: number; size: number };
  nvdimms: NvdimmPlacement[];
  pci64: { start: number; end: number };
  /** CPUs of each node as sysfs lists them ("0,1") */
  cpus: Map<number, string>;
}

const FOUR_G = 4 * GiB;

/** memmap=SIZE!START (type 12, persistent memory); other memmap forms are not modelled. */
export function legacyCarveOuts(args: string[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const a of args) {
    const m = /^memmap=([0-9]+[KMGT]?)!([0-9]+[KMGT]?)$/i.exec(a);
    if (!m) continue;
    const size = parseSize(m[1]!);
    const start = parseSize(m[2]!);
    if (size && start !== undefined) out.push({ start, end: start + size - 1 });
  }
  return out;
}

function subtract(ranges: { start: number; end: number }[], cut: { start: number; end: number }): { start: number; end: number }[] {
  return ranges.flatMap((r) => {
    if (cut.end < r.start || cut.start > r.end) return [r];
    const parts: { start: number; end: number }[] = [];
    if (cut.start > r.start) parts.push({ start: r.start, end: cut.start - 1 });
    if (cut.end < r.end) parts.push({ start: cut.end + 1, end: r.end });
    return parts;
  });
}

export function buildPlatform(profile: Profile, qemu: string): Platform {
  const c = pcConstants(qemu);
  const hasNvdimm = profile.nvdimms.length > 0;
  const ram = profile.memory.size;
  const below = ram >= c.splitAt ? c.lowRamWhenSplit : ram;
  const above = ram - below;
  const lowEnd = below - c.lowRamReserved(hasNvdimm);

  // NUMA: QEMU hands out RAM to nodes in order, low RAM first, skipping the hole.
  const nodeSizes = profile.numa ? profile.numa.map((n) => ({ node: n.node, size: n.memory })) : [{ node: 0, size: ram }];
  const nodeOfOffset = (offset: number) => {
    let acc = 0;
    for (const n of nodeSizes) {
      acc += n.size;
      if (offset < acc) return n.node;
    }
    return nodeSizes[nodeSizes.length - 1]!.node;
  };
  const toOffset = (addr: number) => (addr >= FOUR_G ? below + addr - high : addr);

  // QEMU moves everything above 4 GiB to 1 TiB when it would reach the AMD HyperTransport hole (hw/i386/pc.c x86_update_above_4g_mem_start).
  const { slots, maxmem } = profile.memory;
  const deviceSize = slots !== undefined && maxmem !== undefined ? maxmem - ram + slots * c.deviceMemPerSlot : 0;
  const maxUsed = alignUp(alignUp(FOUR_G + above, GiB) + deviceSize, GiB) + c.pci64Size;
  const high = maxUsed > c.amdHtReserved[0] ? 2 ** 40 : FOUR_G;
  let ramRanges = [{ start: 0x100000, end: lowEnd - 1 }];
  if (above > 0) ramRanges.push({ start: high, end: high + above - 1 });
  const carves = legacyCarveOuts(profile.kernelArgs);
  for (const cut of carves) ramRanges = subtract(ramRanges, cut);
  // Split RAM ranges at node boundaries.
  const bootRam: RamRange[] = [];
  for (const r of ramRanges) {
    let s = r.start;
    while (s <= r.end) {
      const node = nodeOfOffset(toOffset(s));
      let e = s;
      let acc = 0;
      for (const n of nodeSizes) {
        acc += n.size;
        if (toOffset(s) < acc) {
          const boundary = acc - 1;
          e = Math.min(r.end, boundary < below ? boundary : high + boundary - below);
          break;
        }
      }
      bootRam.push({ start: s, end: e, node });
      s = e + 1;
    }
  }

  const root = createRoot();
  const e820 = (start: number, end: number, name: string, flags: number, desc: Desc, rule: string) =>
    requestResourceConflict(root, new Resource(start, end, name, flags, desc, why(rule, 'arch/x86/kernel/e820.c:e820__reserve_resources')));
  const fixed = (list: [number, number, string, number][], rule: string) => {
    let last: Resource | undefined;
    for (const [s, e, name, depth] of list) {
      const res = new Resource(s, e, name, name === 'System RAM' ? IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY : IORESOURCE_MEM, Desc.None, why(rule, 'arch/x86/kernel/e820.c, arch/x86/pci/acpi.c'));
      if (depth === 0) {
        requestResourceConflict(root, res);
        last = res;
      } else if (last) requestResourceConflict(last, res);
    }
  };
  fixed(c.lowArea, 'firmware low area: e820 RAM below 640 KiB, the VGA window and ROMs in the reserved range up to 1 MiB');
  for (const r of ramRanges) {
    e820(r.start, r.end, 'System RAM', IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, Desc.None, 'e820 RAM from QEMU\'s memory size, less what SeaBIOS keeps at the top of low RAM and any memmap= carve-out');
  }
  const firstRam = root.children.find((r) => r.name === 'System RAM' && r.start === 0x100000);
  if (firstRam) {
    for (const [s, e, name] of KERNEL_IMAGE) {
      requestResourceConflict(firstRam, new Resource(s, e, name, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, Desc.None, why('the kernel image (moves with the build and KASLR; outside the fidelity metric)', 'arch/x86/kernel/setup.c')));
    }
  }
  for (const cut of carves) {
    e820(cut.start, cut.end, 'Persistent Memory (legacy)', IORESOURCE_MEM, Desc.PersistentMemoryLegacy, 'memmap=SIZE!START turns RAM into e820 type 12, named "Persistent Memory (legacy)"');
  }
  e820(below - c.lowRamReserved(hasNvdimm), below - 1, 'Reserved', IORESOURCE_MEM, Desc.Reserved,
    `SeaBIOS reserves 0x${c.lowRamReserved(hasNvdimm).toString(16)} bytes at the top of low RAM${hasNvdimm ? ' (a page more with nvdimm=on)' : ''}`);
  requestResourceConflict(root, new Resource(below, c.pci32End, 'PCI Bus 0000:00', IORESOURCE_MEM, Desc.None, why('the 32-bit PCI window from the end of low RAM to the IOAPIC', 'arch/x86/pci/acpi.c')));
  fixed(c.hole, 'fixed platform devices in the 4 GiB hole');

  let deviceMem: Platform['deviceMem'];
  if (deviceSize > 0) deviceMem = { base: alignUp(high + above, GiB), size: deviceSize };
  const nvdimms: NvdimmPlacement[] = [];
  let next = deviceMem?.base ?? 0;
  for (const d of profile.nvdimms) {
    next = alignUp(next, c.dimmAlign);
    nvdimms.push({ id: d.id, start: next, size: d.size, backendSize: nvdimmBackendSize(d), node: d.node, labelled: d.labels !== 'none' });
    next += nvdimmBackendSize(d);
  }
  const pci64Start = alignUp(deviceMem ? deviceMem.base + deviceMem.size : high + above, GiB);
  const pci64 = { start: pci64Start, end: pci64Start + c.pci64Size - 1 };
  requestResourceConflict(root, new Resource(pci64.start, pci64.end, 'PCI Bus 0000:00', IORESOURCE_MEM, Desc.None, why(`the 64-bit PCI window (${c.pci64Size / GiB} GiB) starts at the first GiB after ${deviceMem ? 'device memory (maxmem - RAM + 1 GiB per slot)' : 'RAM'}`, 'hw/i386/pc.c:pc_pci_hole64_start')));
  e820(c.amdHtReserved[0], c.amdHtReserved[1], 'Reserved', IORESOURCE_MEM, Desc.Reserved, 'QEMU reserves the AMD HyperTransport range for AMD-vendor CPUs (TCG\'s qemu64)');

  const legacyPmem = carves.map((cut) => ({ ...cut, node: nodeOfOffset(toOffset(cut.start)) }));
  const cpus = new Map(profile.numa ? profile.numa.map((n) => [n.node, n.cpus.join(',')]) : [[0, Array.from({ length: profile.cpus }, (_, i) => i).join(',')]]);
  return { constants: c, root, bootRam, legacyPmem, deviceMem, nvdimms, pci64, cpus };
}
