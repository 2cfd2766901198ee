// Real vs model on the buses and the NUMA nodes (design.md "Fidelity by
// dimension": buses, nodes): every device keyed by its name, every node by
// its id, compared on the attributes a kernel developer reads in sysfs.
import type { Side } from './fidelity';
import type { Snapshot } from '../snapshot/types';
import { cxlDevices, type CxlBus } from './cxl-devices';
import { probeRaceRenaming } from './probe-race';

export type DeviceFields = Record<string, string | number>;

export interface BusDiffRow {
  side: Side;
  /**
   * nd regions (drivers/nvdimm/region_devs.c), namespaces (namespace_devs.c), dax devices (drivers/dax/bus.c),
   * virtio-mem devices as QEMU reports them (query-memory-devices), the CXL bus (cxl-devices.ts)
   */
  bus: 'region' | 'namespace' | 'dax' | 'virtio-mem' | CxlBus;
  name: string;
  real?: DeviceFields;
  model?: DeviceFields;
  /** the model's own holder, when the real guest's probe race named the same device otherwise (probe-race.ts) */
  modelHolder?: string;
}

export interface NodeFields {
  memTotalKiB: number;
  /** MemTotal less the node's MemTotal right after boot: what is compared when the boot is known */
  memAddedKiB?: number;
  blocks: number[];
}

export interface NodeDiffRow {
  side: Side;
  id: number;
  real?: NodeFields;
  model?: NodeFields;
}

/** Each node's MemTotal right after boot, on each side. */
export interface NodeBase {
  real: Snapshot;
  model: Snapshot;
}

/** The attributes compared, by bus, as sysfs names them. */
function devices(
  s: Snapshot,
  renamed = new Map<string, string>(),
): { bus: BusDiffRow['bus']; name: string; fields: DeviceFields }[] {
  return [
    ...s.nd.regions.map((r) => ({
      bus: 'region' as const,
      name: r.name,
      fields: {
        size: r.size,
        align: r.align,
        available: r.available,
        numa_node: r.numaNode,
        target_node: r.targetNode,
      },
    })),
    ...s.nd.namespaces.map((n) => ({
      bus: 'namespace' as const,
      name: n.name,
      fields: { mode: n.mode, size: n.size, holder: renamed.get(n.name) ?? n.holder ?? '' },
    })),
    ...s.dax.devices.map((d) => ({
      bus: 'dax' as const,
      name: d.name,
      fields: { size: d.size, target_node: d.targetNode, driver: d.driver, mode: d.mode },
    })),
    ...(s.virtioMem ?? []).map((v) => ({
      bus: 'virtio-mem' as const,
      name: v.id,
      fields: {
        memaddr: v.memaddr,
        'max-size': v.maxSize,
        'block-size': v.blockSize,
        size: v.size,
        'requested-size': v.requestedSize,
        node: v.node,
      },
    })),
    ...cxlDevices(s),
  ];
}

const same = (a: object, b: object): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Rows keyed by `key`, in the real side's order then the model's; a pair differing in any field is two items. */
function pairUp<T, R>(
  real: T[],
  model: T[],
  key: (x: T) => string,
  row: (side: Side, r: T | undefined, m: T | undefined) => R,
  value: (x: T) => object,
): R[] {
  const m = new Map(model.map((x) => [key(x), x]));
  const rows = real.map((r) => {
    const mm = m.get(key(r));
    m.delete(key(r));
    return row(mm ? (same(value(r), value(mm)) ? 'both' : 'real') : 'real', r, mm);
  });
  return [...rows, ...[...m.values()].map((x) => row('model', undefined, x))];
}

export function diffBuses(real: Snapshot, model: Snapshot): BusDiffRow[] {
  const renamed = probeRaceRenaming(real, model);
  const own = (name: string) => model.nd.namespaces.find((n) => n.name === name)?.holder;
  return pairUp(
    devices(real),
    devices(model, renamed),
    (d) => `${d.bus} ${d.name}`,
    (side, r, m) => ({
      side,
      bus: (r ?? m)!.bus,
      name: (r ?? m)!.name,
      ...(r ? { real: r.fields } : {}),
      ...(m ? { model: m.fields } : {}),
      ...(m?.bus === 'namespace' && renamed.has(m.name) ? { modelHolder: own(m.name) } : {}),
    }),
    (d) => d.fields,
  );
}

/**
 * Nodes on MemTotal and their blocks. With the boot known, MemTotal is
 * compared as its change since boot: the boot value is what memblock left
 * (kernel image, struct pages, swiotlb, page tables, firmware holes), which
 * the model does not predict; it is shown, not compared (docs/model.md
 * "Not modelled yet").
 */
export function diffNodes(real: Snapshot, model: Snapshot, base?: NodeBase): NodeDiffRow[] {
  const nodes = (s: Snapshot, boot: Snapshot | undefined) =>
    s.numa.nodes.map((n) => {
      const atBoot = boot ? (boot.numa.nodes.find((b) => b.id === n.id)?.memTotalKiB ?? 0) : undefined;
      const fields: NodeFields = {
        memTotalKiB: n.memTotalKiB,
        ...(atBoot !== undefined ? { memAddedKiB: n.memTotalKiB - atBoot } : {}),
        blocks: [...n.blocks].sort((a, b) => a - b),
      };
      return { id: n.id, fields };
    });
  return pairUp(
    nodes(real, base?.real),
    nodes(model, base?.model),
    (n) => String(n.id),
    (side, r, m) => ({
      side,
      id: (r ?? m)!.id,
      ...(r ? { real: r.fields } : {}),
      ...(m ? { model: m.fields } : {}),
    }),
    ({ fields: f }) => ({ mem: f.memAddedKiB ?? f.memTotalKiB, blocks: f.blocks }),
  );
}
