// cxl's JSON objects (ndctl 76.1 cxl/json.c): a memdev, the bus, a port, an
// endpoint, a decoder with its targets and a region with its mappings, keys in
// the order the tool adds them. Sizes are numbers, or with --human display
// sizes; ids and addresses are numbers, or "%#llx" strings with --human.
import {
  HOST_BRIDGE_ACPI,
  HOST_BRIDGE_PCI_ROOT,
  HOST_BRIDGE_UID,
  targetMemdevs,
  type CxlBus,
  type CxlDecoder,
  type CxlMemdev,
  type CxlRegion,
  type CxlRootDecoder,
} from '../kernel/cxl/bus';
import { maxAvailableExtent } from './cxl-shared';
import { jsonHex, jsonSize, kernfsListOrder, type JsonValue } from './json-c';

export interface CxlJsonFlags {
  human: boolean;
  /** -T (or -v): decoders' targets, ports' dports, regions' mappings */
  targets: boolean;
}

type JsonObject = Record<string, JsonValue>;

/** util_cxl_memdev_to_json: 6.1 has no memdev numa_node attribute, and QEMU 7.2's device no ram partition. */
export const cxlMemdevJson = (m: CxlMemdev, f: CxlJsonFlags): JsonObject => ({
  memdev: m.name,
  pmem_size: jsonSize(m.pmemSize, f.human),
  serial: jsonHex(m.serial, f.human),
  host: m.pci,
});

/** util_cxl_bus_to_json and the root port's dports: the one host bridge, by its ACPI name and PCI root. */
export function cxlBusJson(f: CxlJsonFlags): JsonObject {
  const j: JsonObject = { bus: 'root0', provider: 'ACPI.CXL' };
  if (f.targets)
    Object.assign(j, {
      nr_dports: 1,
      dports: [{ dport: HOST_BRIDGE_ACPI, alias: HOST_BRIDGE_PCI_ROOT, id: jsonHex(HOST_BRIDGE_UID, f.human) }],
    });
  return j;
}

/** The host bridge's port1: its dports are the root ports (PCI functions, no alias), in libcxl's kernfs order. */
export function cxlPortJson(bus: CxlBus, f: CxlJsonFlags): JsonObject {
  const j: JsonObject = { port: 'port1', host: HOST_BRIDGE_ACPI, depth: 1 };
  if (f.targets)
    Object.assign(j, {
      nr_dports: bus.memdevs.length,
      dports: kernfsListOrder(bus.memdevs, (m) => `dport${m.dport}`).map((m) => ({
        dport: m.rootPort,
        id: jsonHex(m.dport, f.human),
      })),
    });
  return j;
}

export const cxlEndpointJson = (m: CxlMemdev): JsonObject => ({ endpoint: m.endpoint, host: m.name, depth: 2 });

/** util_cxl_decoder_to_json, then util_cxl_targets_append_json for a root or switch decoder. */
export function cxlDecoderJson(bus: CxlBus, d: CxlDecoder, f: CxlJsonFlags): JsonObject {
  const j: JsonObject = { decoder: d.name };
  if (d.size) Object.assign(j, { resource: jsonHex(d.start, f.human), size: jsonSize(d.size, f.human) });
  j.interleave_ways = d.ways;
  // granularity is left out where there is no interleave
  if (d.ways > 1) j.interleave_granularity = d.granularity;
  // a root decoder has no region attribute
  if (d.kind !== 'root' && d.region) j.region = `region${d.region.id}`;
  if (!d.size) j.state = 'disabled';
  if (d.kind === 'endpoint') {
    if (d.dpaSize)
      Object.assign(j, { dpa_resource: jsonHex(d.dpaStart!, f.human), dpa_size: jsonSize(d.dpaSize, f.human) });
    if (d.mode && d.mode !== 'none') j.mode = d.mode;
    return j;
  }
  if (d.kind === 'root') {
    Object.assign(j, {
      max_available_extent: jsonSize(maxAvailableExtent(bus, d as CxlRootDecoder), f.human),
      pmem_capable: true,
      volatile_capable: true,
      accelmem_capable: true,
    });
  }
  j.nr_targets = d.targets.length;
  // libcxl puts each target_list entry at the head of its list: the last position first
  if (f.targets && d.targets.length)
    j.targets = d.targets.map((id, position) => targetJson(bus, d, id, position, f)).reverse();
  return j;
}

/** A root decoder targets the host bridge (its uid); the host bridge's decoder targets root ports. */
function targetJson(bus: CxlBus, d: CxlDecoder, id: number, position: number, f: CxlJsonFlags): JsonObject {
  if (d.kind === 'root')
    return { target: HOST_BRIDGE_ACPI, alias: HOST_BRIDGE_PCI_ROOT, position, id: jsonHex(id, f.human) };
  const port = bus.memdevs.find((m) => m.dport === id)!;
  return { target: port.rootPort, position, id: jsonHex(id, f.human) };
}

/**
 * util_cxl_region_to_json: no resource before a size is set; the mappings (with -T, and always as create-region
 * prints the new region) in the reverse of their positions, as libcxl lists them.
 */
export function cxlRegionJson(r: CxlRegion, bus: CxlBus, f: CxlJsonFlags): JsonObject {
  const j: JsonObject = { region: `region${r.id}` };
  if (r.resource) j.resource = jsonHex(r.resource.start, f.human);
  Object.assign(j, {
    size: jsonSize(r.size, f.human),
    interleave_ways: r.ways,
    interleave_granularity: r.granularity,
    decode_state: r.committed ? 'commit' : 'reset',
  });
  if (!r.enabled) j.state = 'disabled';
  if (f.targets)
    j.mappings = targetMemdevs(bus, r)
      .map((m, position) => ({ position, memdev: m.name, decoder: m.decoder.name }))
      .reverse();
  return j;
}
