// What `cat` reads from the files the model holds: /proc/iomem and the sysfs
// attributes of memory blocks, nd regions, namespaces and dax devices, each
// printed as its kernel show function prints it. A file of a device that does
// not exist is missing; any other file is not modelled (undefined).
import { printIomem } from '../kernel/iomem';
import { nsFind, sysfsMode } from '../kernel/namespace';
import { availableSize, regionFind } from '../kernel/region';
import type { Kernel } from '../kernel/state';

export type FileRead = { text: string } | { missing: true } | undefined;

const hex = (n: number) => n.toString(16);
const line = (v: string | number): FileRead => ({ text: `${v}\n` });
const MISSING: FileRead = { missing: true };

/** drivers/base/memory.c: memoryN/ attributes and the directory's own */
function memoryFile(k: Kernel, rest: string): FileRead {
  if (rest === 'block_size_bytes') return line(hex(k.blocks.blockSize));
  if (rest === 'auto_online_blocks') return line(k.blocks.autoOnline);
  const m = /^memory(\d+)\/(\w+)$/.exec(rest);
  if (!m) return undefined;
  const b = k.blocks.sorted().find((x) => x.id === Number(m[1]));
  const attr = m[2]!;
  if (!['state', 'valid_zones', 'removable', 'phys_index', 'phys_device'].includes(attr)) return undefined;
  if (!b) return MISSING;
  if (attr === 'state') return line(b.online ? 'online' : 'offline');
  if (attr === 'valid_zones') return line(k.blocks.validZones(b));
  // phys_index_show prints "%08lx"; removable is always 1 since 5.13; phys_device 0 on x86
  if (attr === 'phys_index') return line(hex(b.id).padStart(8, '0'));
  return line(attr === 'removable' ? 1 : 0);
}

/** drivers/nvdimm/region_devs.c and namespace_devs.c attributes */
function ndFile(k: Kernel, dev: string, attr: string): FileRead {
  if (/^region\d+$/.test(dev)) {
    if (!['size', 'available_size', 'align', 'numa_node', 'target_node'].includes(attr)) return undefined;
    const r = regionFind(k, dev);
    // region_visible: available_size needs an interleave set, which an e820 region lacks (seen: no such file)
    if (!r || (attr === 'available_size' && r.kind === 'e820')) return MISSING;
    if (attr === 'size') return line(r.size);
    if (attr === 'available_size') return line(availableSize(r));
    // align_show prints "%#lx"
    if (attr === 'align') return line(`0x${hex(r.align)}`);
    return line(attr === 'numa_node' ? r.node : r.targetNode);
  }
  if (/^namespace\d+\.\d+$/.test(dev)) {
    if (attr !== 'mode' && attr !== 'size') return undefined;
    const ns = nsFind(k.regions, dev);
    if (!ns || !ns.region.enabled) return MISSING;
    return line(attr === 'mode' ? sysfsMode(ns) : ns.size);
  }
  return undefined;
}

/** drivers/dax/bus.c attributes */
function daxFile(k: Kernel, dev: string, attr: string): FileRead {
  if (!['size', 'target_node', 'align'].includes(attr)) return undefined;
  const d = k.dax.get(dev);
  if (!d) return MISSING;
  if (attr === 'size') return line(d.end - d.start + 1);
  return line(attr === 'align' ? d.ns.align : d.targetNode);
}

export function readFile(k: Kernel, path: string): FileRead {
  if (path === '/proc/iomem') return { text: printIomem(k.root) };
  let m = /^\/sys\/devices\/system\/memory\/(.+)$/.exec(path);
  if (m) return memoryFile(k, m[1]!);
  m = /^\/sys\/bus\/nd\/devices\/([\w.]+)\/(\w+)$/.exec(path);
  if (m) return ndFile(k, m[1]!, m[2]!);
  m = /^\/sys\/bus\/dax\/devices\/(dax\d+\.\d+)\/(\w+)$/.exec(path);
  if (m) return daxFile(k, m[1]!, m[2]!);
  return undefined;
}
