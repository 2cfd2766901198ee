// The CXL bus the kernel builds at boot on QEMU 7.2's topology (one pxb-cxl
// host bridge, a root port and a type-3 device per profile device): cxl_acpi
// adds root0 with a root decoder per fixed memory window (drivers/cxl/acpi.c
// cxl_parse_cfmws), cxl_port the host bridge's port1, cxl_mem an endpoint port
// per memdev (drivers/cxl/mem.c). QEMU gives every component one HDM decoder
// (hw/cxl/cxl-component-utils.c), so the host bridge has decoder1.0 and each
// endpoint decoderN.0. Memdevs and endpoints are numbered in bus order, as
// two boots showed; cxl_pci probes asynchronously, and a third boot of two
// devices numbered them the other way (docs/model.md "CXL").
import type { Resource } from '../resource';
import type { Region } from '../region';
import type { Kernel } from '../state';
import { memregionAlloc } from '../memregion';

/** CXL_DECODER_MIN_GRANULARITY: what QEMU's decoders report before anything is programmed. */
export const CXL_MIN_GRANULARITY = 256;
/**
 * A host bridge with one root port gets a pass-through decoder instead of its HDM decoders
 * (drivers/cxl/port.c cxl_port_probe, devm_cxl_add_passthrough_decoder), which keeps cxl_decoder_init's
 * granularity, a page, until a region sets it; with more root ports the HDM decoder reads QEMU's reset value.
 */
const PASSTHROUGH_GRANULARITY = 4096;
/** The host bridge's uid in its CEDT CHBS entry: QEMU uses the pxb's bus number (12), the root decoders' target. */
export const HOST_BRIDGE_UID = 12;
const hex2 = (n: number) => n.toString(16).padStart(2, '0');
/** The pxb-cxl's ACPI device (the first ACPI0016), port1's host and root0's downstream port. */
export const HOST_BRIDGE_ACPI = 'ACPI0016:00';
/** Its PCI root bus, the alias `cxl list` prints beside it. */
export const HOST_BRIDGE_PCI_ROOT = `pci0000:${hex2(HOST_BRIDGE_UID)}`;

export interface CxlDecoder {
  name: string;
  port: string;
  kind: 'root' | 'switch' | 'endpoint';
  /** the programmed host physical range (hpa_range); 0 and 0 until a region commits it */
  start: number;
  size: number;
  ways: number;
  granularity: number;
  /** root: the host bridge uid; switch: the dport ids in position order */
  targets: number[];
  region?: CxlRegion;
  /** endpoint decoders: partition mode and the device-physical range (dpaStart -1: none) */
  mode?: 'none' | 'pmem';
  dpaStart?: number;
  dpaSize?: number;
}

export interface CxlRootDecoder extends CxlDecoder {
  /** the window's resource, CXL Window N (cxlrd->res) */
  res: Resource;
  /** the memregion id create_pmem_region offers next (cxlrd->region_id) */
  nextRegionId: number;
  /** the proximity domain's node of the window (acpi_parse_cfmws; -1 without an SRAT) */
  node: number;
}

export interface CxlMemdev {
  name: string;
  endpoint: string;
  decoder: CxlDecoder;
  /** the host bridge's downstream port id (the root port's number) */
  dport: number;
  pci: string;
  rootPort: string;
  pmemSize: number;
  labelSize: number;
  /** the device serial number: QEMU 7.2's cxl-type3 has no serial property and reports 0 */
  serial: number;
  /** ndctl wrote namespace labels to its label area through a region that has gone since */
  labelsWritten?: boolean;
}

export interface CxlRegion {
  id: number;
  root: CxlRootDecoder;
  /** 0 until a size is written; resource then holds the range */
  size: number;
  ways: number;
  granularity: number;
  resource?: Resource;
  /** endpoint decoders by position */
  targets: (CxlDecoder | undefined)[];
  committed: boolean;
  /** bound to cxl_region; its nd region while bound */
  enabled: boolean;
  nd?: Region;
  /** the "Persistent Memory" resource cxl_pmem inserts while the nd region lives */
  pmem?: Resource;
}

export interface CxlBus {
  roots: CxlRootDecoder[];
  hostBridge: CxlDecoder;
  memdevs: CxlMemdev[];
  regions: CxlRegion[];
}

/** The bus at boot, after the nd regions took their memregion ids (the kit loads the CXL modules last). */
export function cxlBusProbe(k: Kernel): CxlBus | undefined {
  const cxl = k.machine.cxl;
  if (!cxl) return undefined;
  const sratNodes = k.machine.srat ? new Set(k.machine.srat.map((e) => e.node)).size : 0;
  const roots: CxlRootDecoder[] = cxl.windows.map((w) => ({
    name: `decoder0.${w.index}`,
    port: 'root0',
    kind: 'root',
    start: w.start,
    size: w.end - w.start + 1,
    ways: 1,
    granularity: CXL_MIN_GRANULARITY,
    targets: [HOST_BRIDGE_UID],
    res: findWindow(k.root, w.start),
    nextRegionId: memregionAlloc(k),
    // acpi_parse_cfmws: each window gets a proximity domain after the SRAT's, and its node the next free id
    node: k.machine.srat ? sratNodes + w.index : -1,
  }));
  const hostBridge: CxlDecoder = {
    name: 'decoder1.0',
    port: 'port1',
    kind: 'switch',
    start: 0,
    size: 0,
    ways: 1,
    granularity: cxl.devices.length === 1 ? PASSTHROUGH_GRANULARITY : CXL_MIN_GRANULARITY,
    targets: [0],
  };
  const memdevs = cxl.devices.map((d, i): CxlMemdev => {
    const endpoint = `endpoint${2 + i}`;
    return {
      name: `mem${i}`,
      endpoint,
      decoder: {
        name: `decoder${2 + i}.0`,
        port: endpoint,
        kind: 'endpoint',
        start: 0,
        size: 0,
        ways: 1,
        granularity: CXL_MIN_GRANULARITY,
        targets: [],
        mode: 'none',
        dpaStart: -1,
        dpaSize: 0,
      },
      dport: i,
      pci: `0000:${hex2(HOST_BRIDGE_UID + 1 + i)}:00.0`,
      rootPort: `0000:${hex2(HOST_BRIDGE_UID)}:${hex2(i)}.0`,
      pmemSize: d.capacity,
      labelSize: d.labels,
      serial: 0,
    };
  });
  return { roots, hostBridge, memdevs, regions: [] };
}

function findWindow(root: Resource, start: number): Resource {
  const w = root.children.find((c) => c.start === start && c.name.startsWith('CXL Window'));
  if (!w) throw new Error(`no CXL Window resource at 0x${start.toString(16)}`);
  return w;
}

/** The memdevs behind a region's targets, in position order (a position not set yet has none). */
export const targetMemdevs = (bus: CxlBus, r: CxlRegion): CxlMemdev[] =>
  r.targets.flatMap((t) => bus.memdevs.filter((m) => t && m.decoder === t));

export const cxlDecoders = (bus: CxlBus): CxlDecoder[] => [
  ...bus.roots,
  bus.hostBridge,
  ...bus.memdevs.map((m) => m.decoder),
];
