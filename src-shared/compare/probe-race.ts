// The one id the kernel leaves to chance on the nd bus. When a region comes
// up (at boot or after a restart), nd_region_probe (drivers/nvdimm/region.c)
// registers its namespaces, whose probes run asynchronously and each take a
// pfn/dax/btt device from the region's allocator (nd_pfn_probe, nd_dax_probe),
// while the region itself makes its pfn and dax seeds (nd_pfn_create,
// nd_dax_create). Whoever gets there first takes the lowest id: a namespace
// holds pfn0.1 on one boot and pfn0.0 on the next (seen in memmap-split on CI,
// and in nvdimm-e820-mixed after a region restart). The model takes the seeds
// first. So holders are compared up to a renaming of ids that this race can
// cause, and no other: one consistent renaming per region and device kind,
// moving only ids a probe could have taken (the seed plus one per namespace).
import type { NdNamespace, Snapshot } from '../snapshot/types';

const HOLDER = /^(pfn|dax|btt)(\d+)\.(\d+)$/;

/** The model's holder name as the real guest's race named it, for every model namespace whose holder it renames. */
export function probeRaceRenaming(real: Snapshot, model: Snapshot): Map<string, string> {
  const realNs = new Map(real.nd.namespaces.map((n) => [n.name, n]));
  // per "kind region": model id -> real id, and the namespaces that ask for it
  const maps = new Map<string, { ids: Map<number, number>; names: string[]; one: boolean }>();
  for (const m of model.nd.namespaces) {
    const r = realNs.get(m.name);
    const mh = m.holder?.match(HOLDER);
    const rh = r?.holder?.match(HOLDER);
    if (!mh || !rh || mh[1] !== rh[1] || mh[2] !== rh[2]) continue;
    const key = `${mh[1]} ${mh[2]}`;
    const entry = maps.get(key) ?? { ids: new Map<number, number>(), names: [] as string[], one: true };
    maps.set(key, entry);
    const [from, to] = [Number(mh[3]), Number(rh[3])];
    entry.one &&= (entry.ids.get(from) ?? to) === to;
    entry.ids.set(from, to);
    entry.names.push(m.name);
  }
  const renamed = new Map<string, string>();
  for (const [key, { ids, names, one }] of maps) {
    const [kind, region] = key.split(' ');
    if (!one || !raceCouldGive(ids, namespacesOf(real, `region${region}`))) continue;
    for (const name of names) {
      const m = model.nd.namespaces.find((n) => n.name === name)!;
      const id = ids.get(Number(m.holder!.match(HOLDER)![3]))!;
      if (m.holder !== `${kind}${region}.${id}`) renamed.set(name, `${kind}${region}.${id}`);
    }
  }
  return renamed;
}

const namespacesOf = (s: Snapshot, region: string): NdNamespace[] => s.nd.namespaces.filter((n) => n.region === region);

/** A one-to-one renaming that moves only ids the probe race hands out: 0 to the region's namespace count. */
function raceCouldGive(ids: Map<number, number>, namespaces: NdNamespace[]): boolean {
  const targets = new Set(ids.values());
  if (targets.size !== ids.size) return false;
  const last = namespaces.length;
  return [...ids].every(([from, to]) => from === to || (from <= last && to <= last));
}
