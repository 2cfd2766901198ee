// ndctl's JSON for regions and namespaces (ndctl/json.c util_namespace_to_json,
// ndctl/list.c region_to_json), as create-namespace and list print it, built
// from the kernel's state the way libndctl reads it from sysfs.
import { targetMemdevs } from '../kernel/cxl/bus';
import type { DaxDevice } from '../kernel/dax-bus';
import { nsName, type Namespace } from '../kernel/namespace';
import { availableSize, regionName, type Region } from '../kernel/region';
import type { Kernel } from '../kernel/state';
import { daxRegionJson } from './daxctl-json';
import { jsonHex, jsonSize, type JsonValue } from './json-c';
import type { LabelVersion } from './ndctl';

export interface NdctlJsonFlags {
  /** -u: human sizes */
  human: boolean;
  /** -v: numa_node and target_node */
  verbose: boolean;
  /** UTIL_JSON_DAX (-X, and create-namespace): the dax region and its devices instead of the chardev */
  dax: boolean;
}

/** What the kernel reports for a namespace without a uuid label (seed namespaces of a labelled region) */
const NULL_UUID = '00000000-0000-0000-0000-000000000000';

export const daxOf = (k: Kernel, ns: Namespace): DaxDevice | undefined => [...k.dax.values()].find((d) => d.ns === ns);

/** A namespace is active when a driver holds it: enabled and with capacity (libndctl ndctl_namespace_is_active). */
export const nsActive = (ns: Namespace): boolean => ns.region.enabled && ns.enabled && ns.size > 0;

/** drivers/nvdimm/namespace_devs.c nvdimm_namespace_disk_name: pmemR, or pmemR.N for a labelled namespace N > 0 */
const diskName = (ns: Namespace) =>
  ns.region.labelled && ns.id > 0 ? `pmem${ns.region.id}.${ns.id}` : `pmem${ns.region.id}`;

/**
 * util_namespace_to_json. An fsdax namespace without a uuid is the kernel's
 * native memory mode (a label-less e820 namespace: page map in RAM, no pfn
 * device); with one, a pfn device holds it.
 */
export function namespaceJson(k: Kernel, ns: Namespace, f: NdctlJsonFlags): Record<string, JsonValue> {
  const dax = ns.mode === 'devdax' ? daxOf(k, ns) : undefined;
  const pfn = ns.mode === 'fsdax' && ns.uuid !== undefined;
  const j: Record<string, JsonValue> = { dev: nsName(ns), mode: ns.mode };
  if (ns.mode !== 'raw') j.map = pfn || dax ? ns.map : 'mem';
  const size = dax ? dax.end - dax.start + 1 : pfn ? ns.size - ns.offset : ns.size;
  j.size = jsonSize(size, f.human);
  if (ns.region.labelled || pfn || dax) j.uuid = ns.uuid ?? NULL_UUID;
  // util_raw_uuid_to_json (-v): the label's own uuid beside the pfn's or dax's; random on the guest,
  // the model has one uuid per namespace and shows it there too
  if (f.verbose && ns.region.labelled && (pfn || dax) && ns.uuid) j.raw_uuid = ns.uuid;
  if (dax) {
    if (f.dax) j.daxregion = daxRegionJson(k, dax, { human: f.human, devices: true });
    else if (nsActive(ns)) j.chardev = dax.name;
  } else j.sector_size = 512;
  if (pfn || dax) j.align = ns.align;
  if (!dax && nsActive(ns)) j.blockdev = diskName(ns);
  if (!nsActive(ns)) j.state = 'disabled';
  if (f.verbose) {
    j.numa_node = ns.region.node;
    if (ns.region.targetNode >= 0) j.target_node = ns.region.targetNode;
  }
  return j;
}

/**
 * The largest free extent of a labelled region: the widest gap between its
 * namespaces (region_devs.c nd_region_allocatable_dpa); libndctl reports 0 for
 * a label-less region, as it does its available_size.
 */
function maxAvailableExtent(r: Region): number {
  if (!r.labelled) return 0;
  const used = r.namespaces.filter((n) => n.size > 0).sort((a, b) => a.start - b.start);
  let at = r.start;
  let max = 0;
  for (const n of used) {
    max = Math.max(max, n.start - at);
    at = Math.max(at, n.start + n.size);
  }
  return Math.max(max, r.start + r.size - at);
}

/**
 * The interleave-set cookie a labelled region shows in set_cookie (what ndctl
 * prints as iset_id): nd_fletcher64 over the region's DIMM mappings
 * (drivers/acpi/nfit/core.c acpi_nfit_init_interleave_set), in the layout of
 * the label version on the DIMM: v1.1 (region_offset, serial_number) or v1.2
 * (nfit_set_info2: region_offset, serial_number, vendor_id, manufacturing date
 * and location, 31 reserved bytes). QEMU's one-DIMM NFIT region: offset 0,
 * vendor 0x8086, serial 0x123456 + slot (hw/acpi/nvdimm.c), no manufacturing
 * data. Without labels (set_cookie fails with ENXIO) there is none.
 */
export function interleaveSetCookie(k: Kernel, r: Region, version?: LabelVersion): bigint | undefined {
  if (r.kind === 'cxl') return cxlSetCookie(k, r);
  const slot = nfitSlot(k, r);
  if (!r.labelled || !version || slot < 0) return undefined;
  const serial = 0x123456 + slot;
  return fletcher64(version === '1.1' ? [0, 0, serial, 0] : [0, 0, serial, 0x8086, 0, 0, 0, 0, 0, 0, 0, 0]);
}

/**
 * A CXL region's cookie, the same for both label versions: nd_fletcher64 over each mapping's device-physical
 * start and its memdev's serial, 64 bits each (drivers/cxl/pmem.c cxl_pmem_region_probe). QEMU 7.2's type-3
 * device has no serial number (0), so a region at the start of its device has cookie 0, as seen.
 */
function cxlSetCookie(k: Kernel, r: Region): bigint | undefined {
  const region = k.cxl?.regions.find((c) => c.nd === r);
  if (!region) return undefined;
  const u32 = (n: number) => [n % 2 ** 32, Math.floor(n / 2 ** 32)];
  return fletcher64(
    targetMemdevs(k.cxl!, region).flatMap((m) => [...u32(Math.max(0, m.decoder.dpaStart ?? 0)), ...u32(m.serial)]),
  );
}

/** nd_fletcher64 over 32-bit words (drivers/nvdimm/core.c) */
function fletcher64(words: number[]): bigint {
  let lo = 0n;
  let hi = 0n;
  for (const w of words) {
    lo = (lo + BigInt(w)) & 0xffffffffn;
    hi += lo;
  }
  return ((hi << 32n) | lo) & ((1n << 64n) - 1n);
}

/** The QEMU NVDIMM slot behind an NFIT region (one DIMM per region), or -1 for an e820 region. */
export const nfitSlot = (k: Kernel, r: Region): number =>
  r.kind === 'nfit' ? k.machine.nvdimms.findIndex((n) => n.start === r.start) : -1;

const hexBe = (n: number, bytes: number) =>
  Array.from({ length: bytes }, (_, i) => ((n >> (8 * i)) & 0xff).toString(16).padStart(2, '0')).join('');

/**
 * util_dimm_to_json of the DIMM in a QEMU NVDIMM slot: QEMU's NFIT gives it
 * vendor 0x8086, serial 0x123456 + slot, handle slot + 1 and physical id 0
 * (hw/acpi/nvdimm.c; seen for slots 0 and 1); libndctl prints the id as the
 * big-endian vendor and serial ("8680-56341200", ndctl_dimm_get_unique_id).
 */
export function dimmJson(slot: number, f: NdctlJsonFlags): Record<string, JsonValue> {
  const id = `${hexBe(0x8086, 2)}-${hexBe(0x123456 + slot, 4)}`;
  return { dev: `nmem${slot}`, id, handle: jsonHex(slot + 1, f.human), phys_id: jsonHex(0, f.human) };
}

/** util_mapping_to_json: the region's one DIMM, from its start */
export const mappingJson = (slot: number, r: Region, f: NdctlJsonFlags): Record<string, JsonValue> => ({
  dimm: `nmem${slot}`,
  offset: jsonHex(0, f.human),
  length: jsonSize(r.size, f.human),
  position: 0,
});

/**
 * The nd buses in the order they registered: nd_e820 loads before nfit in the
 * guest, so with legacy pmem the e820 bus is ndbus0 and the NFIT's ndbus1
 * (drivers/nvdimm/bus.c nvdimm_bus_register numbers them in turn). With CXL,
 * cxl_pmem, which init loads last, registers the bus of the CXL root's nvdimm
 * bridge, with or without regions (drivers/cxl/pmem.c cxl_nvdimm_bridge_probe).
 */
export function ndBuses(k: Kernel): { kind: Region['kind']; id: number }[] {
  const kinds: Region['kind'][] = (['e820', 'nfit'] as const).filter((kind) => k.regions.some((r) => r.kind === kind));
  if (k.cxl) kinds.push('cxl');
  return kinds.map((kind, id) => ({ kind, id }));
}

const PROVIDERS: Record<Region['kind'], string> = { nfit: 'ACPI.NFIT', e820: 'e820', cxl: 'CXL' };

/** util_bus_to_json: the bus's provider (QEMU's NFIT offers no scrub state) */
export const busJson = (bus: { kind: Region['kind']; id: number }) => ({
  provider: PROVIDERS[bus.kind],
  dev: `ndbus${bus.id}`,
});

/** ndctl/list.c region_to_json; mappings with -D */
export function regionJson(
  r: Region,
  f: NdctlJsonFlags,
  extra: { isetId?: bigint; mappings?: JsonValue[] } = {},
): Record<string, JsonValue> {
  const { isetId, mappings } = extra;
  const j: Record<string, JsonValue> = {
    dev: regionName(r),
    size: jsonSize(r.size, f.human),
    align: jsonSize(r.align, f.human),
    available_size: jsonSize(r.labelled ? availableSize(r) : 0, f.human),
    max_available_extent: jsonSize(maxAvailableExtent(r), f.human),
    type: 'pmem',
  };
  if (f.verbose) {
    j.numa_node = r.node;
    if (r.targetNode >= 0) j.target_node = r.targetNode;
  }
  if (isetId !== undefined) j.iset_id = f.human ? `0x${isetId.toString(16)}` : isetId;
  if (mappings?.length) j.mappings = mappings;
  if (!r.enabled) j.state = 'disabled';
  // CXL regions are flushed by the memory controller (ND_REGION_PERSIST_MEMCTRL); QEMU's NFIT says nothing
  j.persistence_domain = r.kind === 'cxl' ? 'memory_controller' : 'unknown';
  return j;
}
