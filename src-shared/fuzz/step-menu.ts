// The kinds of step the fuzzer draws, each with a weight that depends on the
// state (a namespace to reconfigure, a dax device to hand to kmem, a free
// slot to hotplug into). Most steps act on objects that exist; some are
// meant to fail (a device that is not there, too much space, a busy block).
import type { Snapshot } from '../snapshot/types';
import type { Step } from '../scenario/schema';
import { MiB, formatSize } from '../units';
import { cxlMenu } from './cxl-menu';
import type { Rng } from './prng';

/** What the generator knows: the model's snapshot plus the QMP objects it has added. */
export interface GenState {
  snap: Snapshot;
  nvdimms: number;
  dimms: string[];
  freeSlots: number;
  /** hotplug memory left under maxmem */
  headroom: number;
  /** QMP ids drawn so far */
  nextId: number;
}

export type StepMaker = (rng: Rng, s: GenState) => Step[];

const run = (line: string): Step => ({ run: line });
const qmp = (execute: string, args: Record<string, unknown>): Step => ({ qmp: { execute, arguments: args } });
const BLOCK = '/sys/devices/system/memory';

function createNamespace(rng: Rng, s: GenState): Step[] {
  const r = rng.pick(s.snap.nd.regions);
  const mode = rng.weighted([
    ['devdax', 3],
    ['fsdax', 2],
    ['raw', 1],
  ] as const);
  const size = rng.weighted([
    [undefined, 2],
    [Math.max(1, Math.floor(r.available / (16 * MiB) / rng.int(1, 4))) * 16 * MiB, 3],
    [rng.int(1, 64) * 2 * MiB, 1],
    [r.size * 2, 0.3],
  ] as const);
  const sizeArg = size !== undefined ? ` -s ${formatSize(size)}` : '';
  return [run(`ndctl create-namespace -r ${r.name} -m ${mode}${sizeArg}${rng.chance(0.2) ? ' -f' : ''}`)];
}

function reconfigNamespace(rng: Rng, s: GenState): Step[] {
  const ns = rng.pick(s.snap.nd.namespaces);
  const mode = rng.weighted([
    ['devdax', 4],
    ['fsdax', 2],
    ['raw', 1],
  ] as const);
  const map = mode !== 'raw' && rng.chance(0.2) ? ` -M ${rng.pick(['mem', 'dev'])}` : '';
  const align = mode !== 'raw' && rng.chance(0.2) ? ` -a ${rng.pick(['4K', '2M', '1G'])}` : '';
  return [run(`ndctl create-namespace -f -e ${ns.name} -m ${mode}${map}${align}`)];
}

function namespaceOp(rng: Rng, s: GenState): Step[] {
  const ns = rng.pick(s.snap.nd.namespaces).name;
  return [run(`ndctl ${rng.pick(['destroy-namespace -f', 'disable-namespace', 'enable-namespace'])} ${ns}`)];
}

function regionOp(rng: Rng, s: GenState): Step[] {
  const r = rng.pick([...s.snap.nd.regions.map((x) => x.name), 'all']);
  if (rng.chance(0.3)) return [run(`ndctl init-labels -f nmem${rng.int(0, s.nvdimms - 1)}`)];
  return [run(`ndctl ${rng.pick(['disable-region', 'enable-region'])} ${r}`)];
}

function reconfigureDevice(rng: Rng, s: GenState): Step[] {
  const d = rng.pick(s.snap.dax.devices);
  if (d.mode === 'system-ram' && rng.chance(0.7))
    return [run(`daxctl reconfigure-device ${rng.pick(['-m devdax', '--mode=devdax'])} -f ${d.name}`)];
  const flags = [rng.chance(0.25) ? ' --no-online' : '', rng.chance(0.25) ? ' --no-movable' : ''].join('');
  return [run(`daxctl reconfigure-device ${rng.pick(['-m system-ram', '--mode=system-ram'])}${flags} ${d.name}`)];
}

function daxMemory(rng: Rng, s: GenState): Step[] {
  const d = rng.pick(s.snap.dax.devices);
  return [run(`daxctl ${rng.pick(['online-memory', 'offline-memory'])} ${d.name}`)];
}

function daxDriver(rng: Rng, s: GenState): Step[] {
  const d = rng.pick(s.snap.dax.devices);
  const from = d.driver || rng.pick(['device_dax', 'kmem']);
  const to = from === 'kmem' ? 'device_dax' : 'kmem';
  return [
    rng.chance(0.5)
      ? run(`echo ${d.name} > /sys/bus/dax/drivers/${from}/unbind`)
      : run(`echo ${d.name} > /sys/bus/dax/drivers/${to}/${rng.pick(['new_id', 'bind'])}`),
  ];
}

function blockState(rng: Rng, s: GenState): Step[] {
  const offline = s.snap.memoryBlocks.filter((b) => b.state !== 'online');
  const b = offline.length && rng.chance(0.6) ? rng.pick(offline) : rng.pick(s.snap.memoryBlocks);
  const state =
    b.state === 'online' && rng.chance(0.8)
      ? 'offline'
      : rng.pick(['online', 'online_kernel', 'online_movable', 'offline']);
  return [run(`echo ${state} > ${BLOCK}/memory${b.id}/state`)];
}

function autoOnline(rng: Rng): Step[] {
  return [run(`echo ${rng.pick(['offline', 'online', 'online_movable'])} > ${BLOCK}/auto_online_blocks`)];
}

function hotplugDimm(rng: Rng, s: GenState): Step[] {
  const id = s.nextId++;
  const size = rng.chance(0.85) ? rng.pick([128, 256, 512, 1024]) * MiB : rng.int(33, 300) * 2 * MiB;
  const node = s.snap.numa.nodes.length > 1 && rng.chance(0.6) ? { node: rng.pick(s.snap.numa.nodes).id } : {};
  return [
    qmp('object-add', { 'qom-type': 'memory-backend-ram', id: `hp${id}`, size }),
    qmp('device_add', { driver: 'pc-dimm', id: `dimm${id}`, memdev: `hp${id}`, ...node }),
  ];
}

/** A new requested size for a virtio-mem device: mostly whole device blocks up to its maximum, now and then not. */
function virtioMemResize(rng: Rng, s: GenState): Step[] {
  const d = rng.pick(s.snap.virtioMem ?? []);
  const value = rng.weighted([
    [rng.int(0, d.maxSize / d.blockSize) * d.blockSize, 6],
    [d.maxSize, 1],
    [0, 1],
    [d.size + rng.int(1, d.blockSize - 1), 0.5],
    [d.maxSize + d.blockSize, 0.5],
  ] as const);
  return [qmp('qom-set', { path: d.id, property: 'requested-size', value })];
}

function unplugDimm(rng: Rng, s: GenState): Step[] {
  return [qmp('device_del', { id: rng.pick(s.dimms) })];
}

/** Reads that change nothing: the model stays in sync and, where it models the object, predicts the output. */
function readOnly(rng: Rng, s: GenState): Step[] {
  const b = s.snap.memoryBlocks.length ? rng.pick(s.snap.memoryBlocks).id : 0;
  const r = s.snap.nd.regions.length ? rng.pick(s.snap.nd.regions).name : undefined;
  return [
    run(
      rng.pick([
        `cat ${BLOCK}/memory${b}/state`,
        `cat ${BLOCK}/memory${b}/valid_zones`,
        `cat ${BLOCK}/auto_online_blocks`,
        'cat /proc/iomem',
        'ndctl list -R',
        'ndctl list -N',
        'daxctl list',
        ...(r ? [`cat /sys/bus/nd/devices/${r}/available_size`] : []),
      ]),
    ),
  ];
}

/** Steps on objects that are not there: the tools and the kernel refuse them. */
function failing(rng: Rng, s: GenState): Step[] {
  const blocks = s.snap.memoryBlocks.map((b) => b.id);
  return [
    rng.pick([
      run(`daxctl reconfigure-device -m system-ram dax${s.snap.nd.regions.length + 3}.0`),
      run(`echo online > ${BLOCK}/memory${Math.max(0, ...blocks) + 1 + rng.int(0, 40)}/state`),
      run(`ndctl create-namespace -r region${s.snap.nd.regions.length + 2} -m devdax`),
      qmp('device_del', { id: 'absent-dimm' }),
      qmp('device_add', { driver: 'pc-dimm', id: 'absent-dimm', memdev: 'absent-mem' }),
    ]),
  ];
}

/** Each kind of step and its weight in the current state (0: not now). */
export function menu(s: GenState): [StepMaker, number][] {
  const { regions, namespaces } = s.snap.nd;
  const dax = s.snap.dax.devices;
  return [
    [createNamespace, regions.some((r) => r.available >= 16 * MiB) ? 4 : regions.length ? 0.5 : 0],
    [reconfigNamespace, namespaces.length ? 4 : 0],
    [namespaceOp, namespaces.length ? 1 : 0],
    [regionOp, regions.length && s.nvdimms ? 0.7 : 0],
    [reconfigureDevice, dax.length ? 5 : 0],
    [daxMemory, dax.some((d) => d.mode === 'system-ram') ? 2 : 0],
    [daxDriver, dax.length ? 1.5 : 0],
    [blockState, s.snap.memoryBlocks.length ? 4 : 0],
    [autoOnline, 0.5],
    [hotplugDimm, s.freeSlots > 0 && s.headroom >= 128 * MiB ? 3 : 0],
    [unplugDimm, s.dimms.length ? 1 : 0],
    [virtioMemResize, s.snap.virtioMem?.length ? 3 : 0],
    ...cxlMenu(s),
    [readOnly, 2],
    [failing, 1],
  ];
}
