// Sections and sub-sections (mm/sparse.c): 128 MiB sections, each with a map
// of 64 sub-sections of 2 MiB. System RAM is always whole sections;
// ZONE_DEVICE mappings (fsdax and devdax namespaces, device-private memory)
// activate only the sub-sections they cover, so since 5.3 several of them,
// and System RAM, can share a section.
import { nsName } from './namespace';
import type { Kernel } from './state';
import { virtioMemRuns } from './virtio-mem';

export const SECTION_SIZE = 2 ** 27;
export const SUBSECTION_SIZE = 2 ** 21;
export const SUBSECTIONS_PER_SECTION = SECTION_SIZE / SUBSECTION_SIZE;

export interface Mapping {
  start: number;
  end: number;
  owner: string;
  /** virtio-mem-unplugged: device blocks of an added memory block that the device has not plugged */
  kind: 'ram' | 'zone-device' | 'virtio-mem-unplugged';
}

export interface SectionMap {
  /** sections from address 0 to the top of device memory */
  sectionCount: number;
  subsectionCount: number;
  /** 8 bytes per section: bit i set = sub-section i active (section_active_map) */
  active: Uint8Array;
  mappings: Mapping[];
}

/**
 * What is mapped: online-able memory (every block; a virtio-mem block as runs of plugged and unplugged device
 * blocks, all with their memmap) and the ZONE_DEVICE ranges of claimed fsdax/devdax namespaces.
 */
function mappings(k: Kernel): Mapping[] {
  const out: Mapping[] = [];
  const bs = k.blocks.blockSize;
  for (const id of k.blocks.ids()) {
    const runs = virtioMemRuns(k, id);
    if (runs) {
      for (const r of runs) {
        const owner = r.plugged ? `memory${id}` : `${r.device} (unplugged)`;
        out.push({ start: r.start, end: r.end, owner, kind: r.plugged ? 'ram' : 'virtio-mem-unplugged' });
      }
    } else out.push({ start: id * bs, end: (id + 1) * bs - 1, owner: `memory${id}`, kind: 'ram' });
  }
  for (const r of k.regions) {
    for (const ns of r.namespaces) {
      if (ns.size === 0 || ns.mode === 'raw' || !ns.resources.length) continue;
      const dax = [...k.dax.values()].find((d) => d.ns === ns);
      // device_dax (or the pmem driver for fsdax) holds the pages; kmem has torn the ZONE_DEVICE mapping down.
      if (ns.mode === 'devdax' && dax?.driver !== 'device_dax') continue;
      out.push({ start: ns.start, end: ns.start + ns.size - 1, owner: nsName(ns), kind: 'zone-device' });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

export function buildSectionMap(k: Kernel): SectionMap {
  const list = mappings(k);
  const top = Math.max(k.machine.pci64.start, ...list.map((x) => x.end + 1));
  const sectionCount = Math.ceil(top / SECTION_SIZE);
  const active = new Uint8Array(sectionCount * 8);
  for (const x of list) {
    const first = Math.floor(x.start / SUBSECTION_SIZE);
    const last = Math.floor(x.end / SUBSECTION_SIZE);
    for (let s = first; s <= last;) {
      // whole bytes at a time where the run allows
      if (s % 8 === 0 && s + 7 <= last) {
        active[s >> 3] = 0xff;
        s += 8;
      } else {
        active[s >> 3]! |= 1 << (s & 7);
        s++;
      }
    }
  }
  return { sectionCount, subsectionCount: sectionCount * SUBSECTIONS_PER_SECTION, active, mappings: list };
}

/** One section's sub-sections with their owners, for drawing its strip. */
export function sectionStrip(map: SectionMap, section: number): { index: number; active: boolean; owner?: string }[] {
  const base = section * SECTION_SIZE;
  return Array.from({ length: SUBSECTIONS_PER_SECTION }, (_, i) => {
    const start = base + i * SUBSECTION_SIZE;
    const bit = section * SUBSECTIONS_PER_SECTION + i;
    const owner = map.mappings.find((x) => x.start <= start && x.end >= start + SUBSECTION_SIZE - 1)?.owner;
    return { index: i, active: (map.active[bit >> 3]! & (1 << (bit & 7))) !== 0, ...(owner ? { owner } : {}) };
  });
}

/**
 * The first other mapping that shares a 128 MiB section with [start, end]:
 * before 5.3 that made devm_memremap_pages fail.
 */
export function sectionNeighbour(k: Kernel, start: number, end: number): Mapping | undefined {
  const first = Math.floor(start / SECTION_SIZE);
  const last = Math.floor(end / SECTION_SIZE);
  const section = (addr: number) => Math.floor(addr / SECTION_SIZE);
  return mappings(k).find((x) => section(x.end) >= first && section(x.start) <= last);
}
