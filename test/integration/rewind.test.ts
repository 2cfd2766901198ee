// Rewind and fork in a session (issue 14): each step leaves a checkpoint of the guest; rewinding restores it in
// a new QEMU (with the devices hot-added by then on its command line) and replays the model to it, so the next
// steps agree again; a fork keeps the abandoned entries as a branch. Through the backend, the app's door.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo, TimelineEntry } from '../../src-shared/api/contract';
import type { Step } from '../../src-shared/scenario/schema';
import { LabBackend } from '../../src-main/backend/lab-backend';
import { runtimeRoot } from '../../src-main/util/paths';
import type { CheckpointMeta } from '../../src-main/checkpoint/store';

let lab: LabBackend;
let store: string;
const saved = process.env.PMEM_LAB_CHECKPOINTS;
const resets: { entries: number; console: string }[] = [];

beforeAll(async () => {
  store = await mkdtemp(join(tmpdir(), 'pmem-lab-rewind-'));
  process.env.PMEM_LAB_CHECKPOINTS = store;
  lab = new LabBackend({ mode: 'browser' });
  lab.subscribe((name, payload) => {
    if (name === 'timeline.reset') {
      const p = payload as { entries: TimelineEntry[]; console: string };
      resets.push({ entries: p.entries.length, console: p.console });
    }
  });
});
afterAll(async () => {
  await lab.stopAll();
  if (saved === undefined) delete process.env.PMEM_LAB_CHECKPOINTS;
  else process.env.PMEM_LAB_CHECKPOINTS = saved;
  await rm(store, { recursive: true, force: true });
});

async function call<T>(method: string, params: unknown): Promise<T> {
  const r = await lab.call(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

async function boot(profile: string): Promise<string> {
  const { id } = await call<SessionInfo>('vm.boot', { profile });
  const end = Date.now() + 120_000;
  while ((await call<TimelineEntry[]>('session.timeline', { session: id })).length === 0) {
    if (Date.now() > end) throw new Error('the session did not boot');
    await new Promise((r) => setTimeout(r, 200));
  }
  return id;
}

const full = (e: TimelineEntry) => e.comparison!.fidelity.matched === e.comparison!.fidelity.total;
const act = (session: string, step: Step) => call<TimelineEntry>('session.act', { session, step });
const info = async (session: string) =>
  (await call<{ sessions: SessionInfo[] }>('lab.info', {})).sessions.find((s) => s.id === session)!;
/** The newest step checkpoint's meta.json. */
async function lastMeta(session: string): Promise<CheckpointMeta> {
  const n = (await info(session)).checkpoints!.at(-1)!;
  return JSON.parse(await readFile(join(runtimeRoot(), `session-${session}`, `entry-${n}`, 'meta.json'), 'utf8'));
}
const dimm = (id: string, size: number): Step[] => [
  { qmp: { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id: `m-${id}`, size } } },
  { qmp: { execute: 'device_add', arguments: { driver: 'pc-dimm', id, memdev: `m-${id}` } } },
];

describe('rewind and fork', () => {
  it('rewinds past hotplugged DIMMs, forks from the boot, and the steps after each agree', async () => {
    const s = await boot('dimm-hotplug');
    const steps = [
      ...dimm('dimm1', 512 * 2 ** 20),
      { run: 'echo online_movable > /sys/devices/system/memory/memory32/state' },
    ];
    for (const step of steps) expect(full(await act(s, step))).toBe(true);
    expect((await info(s)).checkpoints).toEqual([0, 1, 2, 3]);
    // the DIMM's RAM is a file that the checkpoint copies, not 512 MiB that QEMU reads into the stream (hot-ram.ts)
    const meta = await lastMeta(s);
    expect(meta.ram['m-dimm1']).toEqual({ bytes: 512 * 2 ** 20 });
    expect(meta.state.bytes).toBeLessThan(2 ** 20);
    const at2 = (await call<TimelineEntry[]>('session.timeline', { session: s }))[2]!;

    // back to entry 2: the DIMM is there (on the new QEMU's command line), its blocks not yet online
    const rewound = await call<SessionInfo>('session.rewind', { session: s, n: 2 });
    expect(rewound).toMatchObject({ phase: 'ready', checkpoints: [0, 1, 2] });
    expect(resets.at(-1)).toMatchObject({ entries: 3 });
    expect(resets.at(-1)!.console).toContain('pmem-lab:/#');
    const snap = await call<TimelineEntry>('session.snapshot', { session: s });
    expect(snap.n).toBe(3);
    expect(full(snap)).toBe(true);
    expect(snap.real!.snapshot!.iomem).toBe(at2.real!.snapshot!.iomem);
    expect(snap.real!.snapshot!.memoryBlocks).toEqual(at2.real!.snapshot!.memoryBlocks);
    expect(full(await act(s, { run: 'echo online > /sys/devices/system/memory/memory33/state' }))).toBe(true);
    // the restored guest's DIMM is a RAM file again, which its QEMU holds and its checkpoints copy
    expect((await lastMeta(s)).ram['m-dimm1']).toEqual({ bytes: 512 * 2 ** 20 });

    // a fork from the boot keeps entries 1..4 as a branch; hotplug works on the restored guest
    const forked = await call<SessionInfo>('session.fork', { session: s, n: 0 });
    expect(forked.branches).toEqual([{ id: 1, from: 0, entries: 4 }]);
    expect((await call<TimelineEntry[]>('session.branch', { session: s, id: 1 })).map((e) => e.n)).toEqual([
      1, 2, 3, 4,
    ]);
    const timeline = await call<TimelineEntry[]>('session.timeline', { session: s });
    expect(timeline.map((e) => e.n)).toEqual([0]);
    for (const step of dimm('dimm2', 256 * 2 ** 20)) expect(full(await act(s, step))).toBe(true);
    const after = await call<TimelineEntry>('session.snapshot', { session: s });
    expect(after.real!.snapshot!.iomem).not.toContain('dimm1');
    expect(after.real!.snapshot!.memoryBlocks.filter((b) => b.id >= 32).length).toBe(2);

    const refused = await lab.call('session.rewind', { session: s, n: 9 });
    expect(refused).toMatchObject({ ok: false, error: { field: 'n', message: 'entry 9 is not in the timeline' } });
  });

  it('rewinds a virtio-mem resize: the device and the guest are back at the earlier size', async () => {
    const s = await boot('virtio-mem');
    const grow: Step = {
      qmp: { execute: 'qom-set', arguments: { path: 'vm0', property: 'requested-size', value: 512 * 2 ** 20 } },
    };
    const shrink: Step = {
      qmp: { execute: 'qom-set', arguments: { path: 'vm0', property: 'requested-size', value: 0 } },
    };
    const grown = await act(s, grow);
    expect(full(grown)).toBe(true);
    expect(full(await act(s, shrink))).toBe(true);
    await call<SessionInfo>('session.rewind', { session: s, n: 1 });
    const snap = await call<TimelineEntry>('session.snapshot', { session: s });
    expect(full(snap)).toBe(true);
    expect(snap.real!.snapshot!.virtioMem).toEqual(grown.real!.snapshot!.virtioMem);
    expect(snap.real!.snapshot!.iomem).toBe(grown.real!.snapshot!.iomem);
  });
});
