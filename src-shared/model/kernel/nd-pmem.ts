// The nd bus drivers that claim a namespace: nd_pmem for raw and fsdax
// (drivers/nvdimm/pmem.c pmem_attach_disk), dax_pmem for devdax
// (drivers/dax/pmem.c, with the page map of drivers/nvdimm/pfn_devs.c), and
// region enable/disable (drivers/nvdimm/region.c nd_region_probe).
import { why } from '../why';
import { createDaxDevice, daxName, removeDaxDevice } from './dax-bus';
import { ENXIO, KernelError } from './errno';
import { nsAdvanceSeeds, nsClaimByInfoBlock, nsName, nsScan, nsUnclaim, type Namespace } from './namespace';
import { nsToPfnOffset } from './pfn';
import type { Region } from './region';
import { releaseRegion, requestRegion } from './resource';
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
    nsProbe(k, ns);
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
    nsProbe(k, ns);
    nsAdvanceSeeds(ns);
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
