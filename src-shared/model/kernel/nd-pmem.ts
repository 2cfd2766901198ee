// The nd bus drivers that claim a namespace: nd_pmem for raw and fsdax
// (drivers/nvdimm/pmem.c pmem_attach_disk), dax_pmem for devdax
// (drivers/dax/pmem.c, with the page map of drivers/nvdimm/pfn_devs.c), and
// region enable/disable (drivers/nvdimm/region.c nd_region_probe).
import { hex } from '../../units';
import { why } from '../why';
import { createDaxDevice, daxName, removeDaxDevice } from './dax-bus';
import { ENODEV, ENXIO, EOPNOTSUPP, KernelError } from './errno';
import { printk } from './printk';
import { nsAdvanceSeeds, nsClaimByInfoBlock, nsName, nsScan, nsUnclaim, type Namespace } from './namespace';
import { nsToPfnOffset } from './pfn';
import type { Region } from './region';
import { releaseRegion, requestRegion, ResourceBusyError } from './resource';
import { sectionNeighbour } from './sparse';
import type { Kernel } from './state';

/**
 * The driver claims a namespace: raw and fsdax (pmem driver) request the whole
 * range; devdax requests the metadata as the namespace and (through device_dax)
 * the rest as the dax device. Requests nest under the non-busy region resource.
 */
function claim(k: Kernel, ns: Namespace): void {
  const name = nsName(ns);
  if (ns.mode === 'devdax') {
    const { offset } = nsToPfnOffset({ ...ns, name }, daxName(ns));
    ns.offset = offset;
    const map = ns.map === 'dev' ? ' and the page map (64 bytes per 4 KiB page)' : '';
    const rule = `devdax keeps the first ${offset / 2 ** 20} MiB of ${name} for the info block${map}, up to its align`;
    const meta = why(rule, 'drivers/nvdimm/pfn_devs.c:nd_pfn_init');
    ns.resources = [requestRegion(k.root, ns.start, offset, name, 0, meta)];
  } else {
    if (ns.mode === 'fsdax') ns.offset = nsToPfnOffset({ ...ns, name }, `pfn${ns.region.id}.${ns.id}`).offset;
    const rule = why(`the pmem driver claims all of ${name} (${ns.mode})`, 'drivers/nvdimm/pmem.c:pmem_attach_disk');
    ns.resources = [requestRegion(k.root, ns.start, ns.size, name, 0, rule)];
  }
}

function release(ns: Namespace): void {
  for (const r of ns.resources) if (r.parent) releaseRegion(r.parent, r.start, r.size);
  ns.resources = [];
}

/**
 * The namespace's driver probes: before sub-sections (5.3) a ZONE_DEVICE
 * mapping must own whole sections (devm_memremap_pages); then the claim, and
 * for devdax the dax device. A refusal names the namespace (`device`).
 */
export function nsProbe(k: Kernel, ns: Namespace): void {
  checkNativeMapping(k, ns);
  if (ns.mode !== 'raw' && !k.rules.subsections) {
    const other = sectionNeighbour(k, ns.start, ns.start + ns.size - 1);
    if (other) {
      const rule =
        `before 5.3 a ZONE_DEVICE mapping must own whole 128 MiB sections; ${nsName(ns)} shares one with` +
        ` ${other.owner} (devm_memremap_pages attempted on mixed region)`;
      const source = 'kernel/memremap.c:devm_memremap_pages (5.2); sub-sections came in 5.3, mm/sparse.c';
      throw new KernelError(ENXIO, why(rule, source), undefined, nsName(ns));
    }
  }
  claim(k, ns);
  if (ns.mode === 'devdax') createDaxDevice(k, ns);
}

/** 2 MiB: what devm_memremap_pages can map on x86 (memremap_compat_align, the sub-section size). */
const MEMREMAP_COMPAT_ALIGN = 2 * 2 ** 20;

/**
 * A namespace whose region maps its own pages (e820: ND_REGION_PAGEMAP) and no
 * pfn device (pmem_should_map_pages) must start and end on 2 MiB; else nd_pmem
 * refuses it (drivers/nvdimm/namespace_devs.c nvdimm_namespace_common_probe).
 */
function checkNativeMapping(k: Kernel, ns: Namespace): void {
  if (ns.region.kind !== 'e820' || ns.mode !== 'fsdax' || ns.uuid !== undefined) return;
  const end = ns.start + ns.size;
  if (ns.start % MEMREMAP_COMPAT_ALIGN === 0 && end % MEMREMAP_COMPAT_ALIGN === 0) return;
  const name = nsName(ns);
  // %pr of an IORESOURCE_MEM resource (lib/vsprintf.c resource_string)
  printk(k, `nd_pmem ${name}: [mem ${hex(ns.start)}-${hex(end - 1)} flags 0x200] misaligned, unable to map`);
  const rule = `${name} is not on 2 MiB boundaries, so its pages cannot be mapped (memremap_compat_align)`;
  throw new KernelError(EOPNOTSUPP, why(rule, 'drivers/nvdimm/namespace_devs.c:nvdimm_namespace_common_probe'));
}

/**
 * A driver's probe (at boot, on enable-region, enable-namespace): a refusal
 * leaves the namespace without a driver or a pfn/dax device, and the driver
 * core reports it but for ENODEV and ENXIO (drivers/base/dd.c
 * call_driver_probe). Returns the refusal.
 */
function nsDriverProbe(k: Kernel, ns: Namespace): KernelError | undefined {
  try {
    nsProbe(k, ns);
    return undefined;
  } catch (e) {
    if (!(e instanceof KernelError) || e instanceof ResourceBusyError) throw e;
    ns.enabled = false;
    nsUnclaim(ns);
    const driver = ns.mode === 'devdax' ? 'dax_pmem' : 'nd_pmem';
    if (e.errno !== ENODEV && e.errno !== ENXIO)
      printk(k, `${driver}: probe of ${nsName(ns)} failed with error -${e.errno}`);
    return e;
  }
}

/** The driver lets go: the dax device (if any) goes, then the namespace's resources. */
export function nsRemove(k: Kernel, ns: Namespace): void {
  const dax = [...k.dax.values()].find((d) => d.ns === ns);
  if (dax) removeDaxDevice(k, dax);
  release(ns);
}

/**
 * disable-namespace / enable-namespace: ndctl deletes the pfn/dax device as it
 * disables (ndctl_namespace_disable_invalidate); on enable the driver finds the
 * info block and a new device claims the namespace again.
 */
export function nsSetEnabled(k: Kernel, ns: Namespace, enable: boolean): void {
  if (enable && ns.size === 0) {
    const rule = `${nsName(ns)} has no capacity: no driver takes a zero-size namespace`;
    throw new KernelError(
      ENXIO,
      why(rule, 'drivers/nvdimm/namespace_devs.c:nvdimm_namespace_common_probe'),
      undefined,
      nsName(ns),
    );
  }
  if (enable && !ns.enabled) {
    ns.enabled = true;
    nsClaimByInfoBlock(ns);
    const refused = nsDriverProbe(k, ns);
    if (refused) throw refused;
  } else if (!enable && ns.enabled) {
    nsRemove(k, ns);
    nsUnclaim(ns);
    ns.enabled = false;
  }
}

/**
 * The region comes up (at boot and on enable-region): it publishes its
 * namespaces (nsScan) and their drivers claim every one with capacity; a seed
 * a driver took is replaced (nd_region_advance_seeds).
 */
export function regionProbe(k: Kernel, region: Region): void {
  region.enabled = true;
  nsScan(region);
  for (const ns of region.namespaces) {
    ns.enabled = true;
    if (ns.size === 0) continue;
    if (!nsDriverProbe(k, ns)) nsAdvanceSeeds(ns);
  }
}

/** Every namespace of the region let go of (before labels are rewritten, or the region goes). */
export function regionRemoveNamespaces(k: Kernel, region: Region): void {
  for (const ns of region.namespaces) {
    nsRemove(k, ns);
    nsUnclaim(ns);
  }
}

export function regionDisable(k: Kernel, region: Region): void {
  regionRemoveNamespaces(k, region);
  region.enabled = false;
}
