// Every dimension but /proc/iomem and blocks (design.md "Fidelity by
// dimension"): exit, output, buses, nodes and log, each counted as the union
// and intersection of its items, and the step's fidelity their sum.
import { describe, expect, it } from 'vitest';
import { compare, diffItems, DIMENSIONS, outputItems } from '../../../src-shared/compare';
import type { Snapshot } from '../../../src-shared/snapshot/types';
import { snapshotOf } from '../snapshot-of';

const empty = snapshotOf('');
const run = (real: { output?: string; exitCode?: number }, model: { output?: string; exitCode?: number }) =>
  compare({ real: empty, model: empty, step: { qmp: false, real, model } });
const qmp = (real: string, model: string) =>
  compare({ real: empty, model: empty, step: { qmp: true, real: { output: real }, model: { output: model } } });

/** As ndctl create-namespace printed it on a guest (test/fixtures/real/kmem-labels/steps.json), trimmed. */
const NDCTL = `{
  "dev":"namespace0.0",
  "mode":"devdax",
  "size":1054867456,
  "uuid":"efa3a644-e6a7-11f1-ab19-ef8a9ba0f785",
  "daxregion":{
    "id":0,
    "devices":[
      {
        "chardev":"dax0.0",
        "target_node":0
      }
    ]
  }
}
`;

describe('exit', () => {
  it('matches equal exit statuses and counts a differing one as two items', () => {
    expect(run({ exitCode: 0 }, { exitCode: 0 }).fidelity.byDimension.exit).toEqual({ matched: 1, total: 1 });
    const c = run({ exitCode: 234 }, { exitCode: 1 });
    expect(c.fidelity.byDimension.exit).toEqual({ matched: 0, total: 2 });
    expect(c.exit).toEqual([
      { side: 'real', text: 'exit 234' },
      { side: 'model', text: 'exit 1' },
    ]);
  });

  it("compares a QMP step by success or error class, whatever QEMU's description says", () => {
    const err = (desc: string) => JSON.stringify({ error: { class: 'GenericError', desc } });
    expect(qmp(err('a'), err('b')).fidelity.byDimension.exit).toEqual({ matched: 1, total: 1 });
    const c = qmp('{"return":{}}', JSON.stringify({ error: { class: 'DeviceNotFound', desc: 'x' } }));
    expect(c.exit.map((r) => r.text)).toEqual(['QMP success', 'QMP error DeviceNotFound']);
    expect(c.fidelity.byDimension.exit).toEqual({ matched: 0, total: 2 });
  });

  it('counts nothing after boot (no step) nor where the guest gave no exit status', () => {
    expect(compare({ real: empty, model: empty }).fidelity.byDimension.exit).toEqual({ matched: 0, total: 0 });
    const c = run({ output: 'x' }, { output: 'x', exitCode: 0 });
    expect(c.fidelity.byDimension.exit).toEqual({ matched: 0, total: 0 });
    expect(c.exit).toEqual([{ side: 'model', text: 'exit 0', counted: false }]);
  });
});

describe('output', () => {
  it('reads JSON as path=value pairs whatever the key order, with the uuids masked', () => {
    const model = JSON.stringify(
      { ...JSON.parse(NDCTL), uuid: '0b0c5f0e-1111-4222-8333-444455556666', dev: 'namespace0.0' },
      null,
      2,
    );
    const c = run({ output: NDCTL, exitCode: 0 }, { output: model, exitCode: 0 });
    expect(c.output.every((r) => r.side === 'both')).toBe(true);
    expect(c.fidelity.byDimension.output).toEqual({ matched: 7, total: 7 });
    expect(outputItems(NDCTL)).toContain('uuid=<uuid>');
    expect(outputItems(NDCTL)).toContain('daxregion.devices[0].chardev="dax0.0"');
  });

  it('counts a differing value as two items, the model row next to the real one', () => {
    const c = run({ output: NDCTL }, { output: NDCTL.replace('"target_node":0', '"target_node":1') });
    expect(c.fidelity.byDimension.output).toEqual({ matched: 6, total: 8 });
    expect(c.output.filter((r) => r.side !== 'both')).toEqual([
      { side: 'real', text: 'daxregion.devices[0].target_node=0' },
      { side: 'model', text: 'daxregion.devices[0].target_node=1' },
    ]);
  });

  it("reads a tool's lines around its JSON, normalised, and a value typed differently as a difference", () => {
    const real = 'reconfigured 1 device\r\n[\n  {\n    "chardev":"dax0.0",\n    "movable":true\n  }\n]\n\n';
    expect(outputItems(real)).toEqual(['reconfigured 1 device', '[0].chardev="dax0.0"', '[0].movable=true']);
    expect(outputItems('  Error:   no   space  \n\n')).toEqual(['Error: no space']);
    expect(outputItems('uuid 0b0c5f0e-1111-4222-8333-444455556666 busy')).toEqual(['uuid <uuid> busy']);
    expect(run({ output: '{"size":1}' }, { output: '{"size":"1"}' }).fidelity.byDimension.output.matched).toBe(0);
  });

  it('shows an output the model does not predict without counting it', () => {
    const c = run({ output: 'memory32\nmemory33\n', exitCode: 0 }, { exitCode: 0 });
    expect(c.output).toEqual([
      { side: 'real', text: 'memory32', counted: false },
      { side: 'real', text: 'memory33', counted: false },
    ]);
    expect(c.fidelity.byDimension.output).toEqual({ matched: 0, total: 0 });
    // an empty prediction is a prediction
    expect(run({ output: 'memory32\n' }, { output: '' }).fidelity.byDimension.output).toEqual({
      matched: 0,
      total: 1,
    });
  });

  it('shows a printed adapter ROM line without counting it, as the iomem dimension does', () => {
    // a q35 guest's cat /proc/iomem in CI (cxl-boot): the ROM image at 0xe8000 happened to checksum
    const model = '000c0000-000c7fff : Video ROM\n000f0000-000fffff : System ROM\n';
    const real = '000c0000-000c7fff : Video ROM\n000e8000-000effff : Adapter ROM\n000f0000-000fffff : System ROM\n';
    const c = run({ output: real, exitCode: 0 }, { output: model, exitCode: 0 });
    expect(c.output[1]).toEqual({ side: 'real', text: '000e8000-000effff : Adapter ROM', counted: false });
    expect(c.fidelity.byDimension.output).toEqual({ matched: 2, total: 2 });
    // a line the metric counts still differs
    const other = run({ output: real.replace('Adapter', 'Extension'), exitCode: 0 }, { output: model, exitCode: 0 });
    expect(other.fidelity.byDimension.output).toEqual({ matched: 2, total: 3 });
  });

  it('matches repeated lines as many times as both sides print them', () => {
    expect(diffItems(['a', 'a', 'b'], ['a', 'b', 'b'])).toEqual([
      { side: 'both', text: 'a' },
      { side: 'real', text: 'a' },
      { side: 'both', text: 'b' },
      { side: 'model', text: 'b' },
    ]);
  });
});

describe('log', () => {
  const withLog = (log: string[] | undefined): Snapshot => ({ ...empty, ...(log ? { log } : {}) });

  it('lists a real message no modelled rule prints without counting it, and counts what the model predicted', () => {
    const c = compare({
      real: withLog(['dax0.0: rejecting DAX region without any memory after alignment', 'random: crng init done']),
      model: empty,
      modelLog: ['dax0.0: rejecting DAX region without any memory after alignment', 'kmem: something else'],
    });
    expect(c.log).toEqual([
      { side: 'both', text: 'dax0.0: rejecting DAX region without any memory after alignment' },
      { side: 'real', text: 'random: crng init done', counted: false },
      { side: 'model', text: 'kmem: something else' },
    ]);
    expect(c.fidelity.byDimension.log).toEqual({ matched: 1, total: 2 });
  });

  it('counts a real message that a modelled rule prints', () => {
    const rows = diffItems(['kmem: too small', 'other'], [], (l) => l.startsWith('kmem:'));
    expect(rows).toEqual([
      { side: 'real', text: 'kmem: too small' },
      { side: 'real', text: 'other', counted: false },
    ]);
  });

  it('lists the predicted messages, uncounted, where the guest log was not captured; none without a prediction', () => {
    const c = compare({ real: withLog(undefined), model: empty, modelLog: ['kmem: x'] });
    expect(c.log).toEqual([{ side: 'model', text: 'kmem: x', counted: false }]);
    expect(c.fidelity.byDimension.log.total).toBe(0);
    expect(compare({ real: withLog(['a']), model: empty }).log).toEqual([]);
  });
});

describe('buses and nodes', () => {
  const region = { name: 'region0', size: 2 ** 30, align: 2 ** 24, available: 0, numaNode: 0, targetNode: 1 };
  const bus = (numaNode: number, namespaces: Snapshot['nd']['namespaces']): Snapshot => ({
    ...empty,
    nd: { regions: [{ ...region, numaNode, devtype: 'nd_pmem' }], namespaces },
    numa: { nodes: [{ id: 0, memTotalKiB: 1947844, cpus: '0-1', blocks: [1, 0] }] },
  });
  const ns = { name: 'namespace0.0', region: 'region0', mode: 'dax', size: 2 ** 26, uuid: 'u', holder: 'dax0.0' };

  it('keys devices by name and compares their sysfs attributes', () => {
    const c = compare({ real: bus(0, [ns]), model: bus(1, [{ ...ns, uuid: 'v' }]) });
    expect(c.buses).toEqual([
      {
        side: 'real',
        bus: 'region',
        name: 'region0',
        real: { size: 2 ** 30, align: 2 ** 24, available: 0, numa_node: 0, target_node: 1 },
        model: { size: 2 ** 30, align: 2 ** 24, available: 0, numa_node: 1, target_node: 1 },
      },
      { side: 'both', bus: 'namespace', name: 'namespace0.0', real: expect.anything(), model: expect.anything() },
    ]);
    expect(c.fidelity.byDimension.buses).toEqual({ matched: 1, total: 3 });
    const oneSided = compare({ real: bus(0, []), model: bus(0, [ns]) });
    expect(oneSided.fidelity.byDimension.buses).toEqual({ matched: 1, total: 2 });
  });

  it('counts a virtio-mem device on what QEMU reports: plugged and requested size, and the rest', () => {
    const vm = {
      id: 'vm0',
      memaddr: 2 ** 32,
      maxSize: 2 ** 30,
      blockSize: 2 ** 21,
      size: 2 ** 28,
      requestedSize: 2 ** 29,
      node: 0,
    };
    const real = { ...empty, virtioMem: [vm] };
    expect(compare({ real, model: real }).fidelity.byDimension.buses).toEqual({ matched: 1, total: 1 });
    const short = compare({ real, model: { ...empty, virtioMem: [{ ...vm, size: 2 ** 29 }] } });
    expect(short.buses).toEqual([
      expect.objectContaining({
        side: 'real',
        bus: 'virtio-mem',
        name: 'vm0',
        real: expect.objectContaining({ size: 2 ** 28 }),
      }),
    ]);
    expect(short.fidelity.byDimension.buses).toEqual({ matched: 0, total: 2 });
    expect(compare({ real, model: empty }).fidelity.byDimension.buses).toEqual({ matched: 0, total: 1 });
  });

  it('compares each node on MemTotal and its blocks, in any order', () => {
    const real = bus(0, []);
    const same = { ...real, numa: { nodes: [{ ...real.numa.nodes[0]!, blocks: [0, 1] }] } };
    expect(compare({ real, model: same }).fidelity.byDimension.nodes).toEqual({ matched: 1, total: 1 });
    const more = { ...real, numa: { nodes: [{ ...real.numa.nodes[0]!, memTotalKiB: 2097152 }] } };
    expect(compare({ real, model: more }).fidelity.byDimension.nodes).toEqual({ matched: 0, total: 2 });
  });

  it('with the boot known, compares MemTotal as its change since boot (the boot value shown only)', () => {
    const node = (memTotalKiB: number, blocks = [0, 1]) => ({
      ...empty,
      numa: { nodes: [{ id: 0, memTotalKiB, cpus: '0-1', blocks }] },
    });
    const boot = { real: node(1947844), model: node(2097152) };
    // both sides gained one 128 MiB block: the change agrees though the totals differ by the boot reservation
    const c = compare({ real: node(2078916, [0, 1, 2]), model: node(2228224, [0, 1, 2]), boot });
    expect(c.fidelity.byDimension.nodes).toEqual({ matched: 1, total: 1 });
    expect(c.nodes[0]!.real).toEqual({ memTotalKiB: 2078916, memAddedKiB: 131072, blocks: [0, 1, 2] });
    // a change that differs counts, and so does the same gap without the boot
    const less = compare({ real: node(2078916, [0, 1, 2]), model: node(2224128, [0, 1, 2]), boot });
    expect(less.fidelity.byDimension.nodes).toEqual({ matched: 0, total: 2 });
    const noBoot = compare({ real: node(2078916, [0, 1, 2]), model: node(2228224, [0, 1, 2]) });
    expect(noBoot.fidelity.byDimension.nodes).toEqual({ matched: 0, total: 2 });
  });

  it('sums every dimension into the fidelity', () => {
    const c = compare({
      real: bus(0, [ns]),
      model: bus(1, [ns]),
      step: { qmp: false, real: { output: 'x', exitCode: 0 }, model: { output: 'y', exitCode: 0 } },
    });
    const by = c.fidelity.byDimension;
    expect(Object.keys(by)).toEqual([...DIMENSIONS]);
    expect(c.fidelity.matched).toBe(DIMENSIONS.reduce((a, d) => a + by[d].matched, 0));
    expect(c.fidelity.total).toBe(DIMENSIONS.reduce((a, d) => a + by[d].total, 0));
    // exit 1/1, output 0/2, buses 1/3, nodes 1/1
    expect(c.fidelity).toMatchObject({ matched: 3, total: 7 });
  });
});
