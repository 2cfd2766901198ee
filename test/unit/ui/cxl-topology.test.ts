// The CXL topology view's rows: the bus as a tree (windows with their regions,
// the host bridge, root ports, memdevs and their endpoint decoders), the guest's
// and the model's merged by path, differences named field by field.
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src-shared/api/contract';
import type { CxlBusInfo, CxlRegionInfo, Snapshot } from '../../../src-shared/snapshot/types';
import { cxlTopology, hasCxlBus, type TopologyRow } from '../../../src-renderer/views/cxl/cxl-topology';
import { snapshotOf } from '../snapshot-of';

const WINDOW = 0x2f0000000;
const M256 = 256 * 2 ** 20;

/** q35-cxl-pmem after `cxl create-region -d decoder0.0 -t pmem -m mem0`, as the guest shows it. */
function bus(region = true): CxlBusInfo {
  const at = region ? { start: WINDOW, size: M256, region: 'region0' } : { start: 0, size: 0, region: '' };
  return {
    decoders: [
      { name: 'decoder0.0', port: 'root0', kind: 'root', start: WINDOW, size: 4 * 2 ** 30, interleaveWays: 1 },
      { name: 'decoder1.0', port: 'port1', kind: 'switch', ...at, interleaveWays: 1, targetList: '0' },
      {
        name: 'decoder2.0',
        port: 'endpoint2',
        kind: 'endpoint',
        ...at,
        interleaveWays: 1,
        mode: region ? 'pmem' : 'none',
      },
    ].map((d) => ({
      interleaveGranularity: 256,
      ...(d.kind === 'root' ? { targetList: '12', nextRegion: region ? 'region1' : 'region0' } : {}),
      ...(d.kind === 'endpoint' ? { dpaResource: region ? 0 : -1, dpaSize: region ? M256 : 0 } : {}),
      ...d,
    })) as CxlBusInfo['decoders'],
    regions: region ? [regionInfo()] : [],
    memdevs: [
      {
        name: 'mem0',
        endpoint: 'endpoint2',
        pci: '0000:0d:00.0',
        rootPort: '0000:0c:00.0',
        pmemSize: M256,
        labelStorageSize: 256 * 1024,
        serial: 0,
        numaNode: -1,
      },
    ],
  };
}
const regionInfo = (over: Partial<CxlRegionInfo> = {}): CxlRegionInfo => ({
  name: 'region0',
  decoder: 'decoder0.0',
  resource: WINDOW,
  size: M256,
  interleaveWays: 1,
  interleaveGranularity: 256,
  commit: true,
  targets: ['decoder2.0'],
  enabled: true,
  ...over,
});
const snap = (cxl: CxlBusInfo | undefined, ndRegions: string[] = ['region0']): Snapshot => ({
  ...snapshotOf(''),
  ...(cxl ? { cxl } : {}),
  nd: {
    regions: ndRegions.map((name) => ({
      name,
      size: M256,
      align: 2 ** 24,
      available: M256,
      numaNode: 0,
      targetNode: 1,
      devtype: 'nd_pmem',
    })),
    namespaces: [],
  },
});
const text = (fields: TopologyRow['real']) => fields?.map((x) => x.value).join(' · ');
const byKey = (rows: TopologyRow[], key: string) => rows.find((r) => r.key === key)!;

describe('the CXL topology view', () => {
  it('lays the bus out as a tree: windows and regions, then the host bridge down to the endpoint decoders', () => {
    const rows = cxlTopology(snap(bus()), snap(bus()));
    expect(rows.map((r) => `${' '.repeat(r.depth)}${r.name} ${r.kind}`)).toEqual([
      'root0 root',
      ' decoder0.0 window',
      '  region0 region',
      ' port1 host-bridge',
      '  decoder1.0 switch',
      '  0000:0c:00.0 root-port',
      '   mem0 memdev',
      '    decoder2.0 endpoint',
    ]);
    expect(rows.map((r) => r.key)).toContain('root0/port1/0000:0c:00.0/mem0/decoder2.0');
    expect(rows.every((r) => r.side === 'both' && r.differing.length === 0)).toBe(true);
  });

  it("shows each node's facts: window range and free space, region state and nd region, decoder modes", () => {
    const rows = cxlTopology(snap(bus()), snap(bus()));
    expect(text(byKey(rows, 'root0/decoder0.0').real)).toBe(
      '0x2f0000000–0x3efffffff · 4G · 1 way · granularity 256 · targets 12 · 3840M free · next region1',
    );
    expect(text(byKey(rows, 'root0/decoder0.0/region0').real)).toBe(
      '0x2f0000000–0x2ffffffff · 256M · 1 way · granularity 256 · committed · enabled · targets decoder2.0 · ' +
        'nd region0',
    );
    expect(text(byKey(rows, 'root0/port1/decoder1.0').real)).toBe(
      '0x2f0000000–0x2ffffffff · 256M · 1 way · granularity 256 · targets 0 · region0',
    );
    expect(text(byKey(rows, 'root0/port1/0000:0c:00.0/mem0').model)).toBe(
      'endpoint2 · 0000:0d:00.0 · pmem 256M · labels 256K',
    );
    expect(text(byKey(rows, 'root0/port1/0000:0c:00.0/mem0/decoder2.0').model)).toBe(
      'pmem · DPA 0x0–0xfffffff · 0x2f0000000–0x2ffffffff · 256M · region0',
    );
    // before any region: nothing programmed, the whole window free
    const boot = cxlTopology(snap(bus(false), []), null);
    expect(text(byKey(boot, 'root0/decoder0.0').real)).toContain('4G free · next region0');
    expect(text(byKey(boot, 'root0/port1/0000:0c:00.0/mem0/decoder2.0').real)).toBe(
      'none · no DPA · no range · no region',
    );
  });

  it('names the fields a node differs in, and a disabled region without its nd region', () => {
    const model = bus();
    model.regions = [regionInfo({ enabled: false, commit: false })];
    model.decoders[2] = { ...model.decoders[2]!, mode: 'none' };
    const rows = cxlTopology(snap(bus()), snap(model, []));
    const region = byKey(rows, 'root0/decoder0.0/region0');
    expect(region.side).toBe('differs');
    expect(region.differing).toEqual(['commit', 'driver', 'nd region']);
    expect(text(region.model)).toContain('not committed · disabled · targets decoder2.0 · no nd region');
    expect(byKey(rows, 'root0/port1/0000:0c:00.0/mem0/decoder2.0').differing).toEqual(['mode']);
    expect(byKey(rows, 'root0/decoder0.0').side).toBe('both');
  });

  it('shows a node on one side only on that side, under its parent, after the other side’s nodes there', () => {
    const model = bus();
    model.decoders.splice(1, 0, {
      ...model.decoders[0]!,
      name: 'decoder0.1',
      start: 2 * WINDOW,
      nextRegion: 'region1',
    });
    model.regions = [regionInfo({ name: 'region3' }), regionInfo({ name: 'region1', decoder: 'decoder0.1' })];
    const rows = cxlTopology(snap(bus()), snap(model, ['region1']));
    expect(rows.slice(1, 7).map((r) => `${r.key} ${r.side}`)).toEqual([
      'root0/decoder0.0 both',
      'root0/decoder0.0/region0 real',
      'root0/decoder0.0/region3 model',
      'root0/decoder0.1 model',
      'root0/decoder0.1/region1 model',
      'root0/port1 both',
    ]);
    // the guest has one window less: its decoder0.0 has nothing on the other side's decoder0.1 to skip
    const oneWindow = cxlTopology(snap(model, ['region1']), snap(bus()));
    expect(oneWindow.slice(1, 6).map((r) => `${r.key} ${r.side}`)).toEqual([
      'root0/decoder0.0 both',
      'root0/decoder0.0/region3 real',
      'root0/decoder0.0/region0 model',
      'root0/decoder0.1 real',
      'root0/decoder0.1/region1 real',
    ]);
    expect(byKey(oneWindow, 'root0/decoder0.1/region1').differing).toEqual([]);
  });

  it('is empty without a CXL bus, and knows a guest has one from its boot entry', () => {
    expect(cxlTopology(snap(undefined), snap(undefined))).toEqual([]);
    expect(cxlTopology(null, undefined)).toEqual([]);
    const boot = (s: Snapshot): TimelineEntry => ({ n: 0, at: 0, source: 'boot', step: null, real: { snapshot: s } });
    expect(hasCxlBus([])).toBe(false);
    expect(hasCxlBus([boot(snap(undefined))])).toBe(false);
    expect(hasCxlBus([boot(snap(bus(false), []))])).toBe(true);
  });
});
