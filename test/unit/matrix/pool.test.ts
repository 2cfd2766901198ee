// The local pool of `pmem-lab matrix`: at most `slots` cells at once, within
// the memory their guests need, a row's other cells waiting for its first to
// boot (and save its checkpoint), and a cell that fails stopping nothing.
import { describe, expect, it } from 'vitest';
import { runPool, type PoolJob } from '../../../src-main/matrix/pool';

interface Job extends PoolJob {
  /** ticks until it boots, then until it ends */
  boot: number;
  end: number;
  fail?: boolean;
}

/** Runs the pool on a fake clock; the log says what started, booted and ended, and when. */
async function simulate(jobs: Job[], opts: { slots: number; memory: number; warmUp: boolean }) {
  const log: string[] = [];
  let now = 0;
  let running = 0;
  let peak = 0;
  let heldPeak = 0;
  let held = 0;
  const timers: { at: number; fire: () => void }[] = [];
  const after = (ticks: number) => new Promise<void>((r) => timers.push({ at: now + ticks, fire: r }));
  const done = runPool(jobs, opts, async (j, booted) => {
    log.push(`${now} start ${j.id}`);
    peak = Math.max(peak, ++running);
    heldPeak = Math.max(heldPeak, (held += j.cost));
    try {
      await after(j.boot);
      if (j.fail) throw new Error('QEMU exited');
      log.push(`${now} booted ${j.id}`);
      booted();
      await after(j.end);
    } finally {
      running--;
      held -= j.cost;
      log.push(`${now} end ${j.id}`);
    }
  });
  let finished = false;
  void done.then(() => (finished = true));
  for (let guard = 0; !finished && guard < 1000; guard++) {
    await new Promise((r) => setImmediate(r));
    timers.sort((a, b) => a.at - b.at);
    const next = timers.shift();
    if (next) {
      now = next.at;
      next.fire();
    }
  }
  expect(finished).toBe(true);
  return { log, peak, heldPeak };
}

const job = (id: string, group: string, more: Partial<Job> = {}): Job => ({
  id,
  group,
  cost: 1,
  boot: 5,
  end: 5,
  ...more,
});

describe('the matrix pool', () => {
  it('runs every job, never more than the slots at once', async () => {
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((id) => job(id, id));
    const r = await simulate(jobs, { slots: 2, memory: 100, warmUp: false });
    expect(r.peak).toBe(2);
    expect(r.log.filter((l) => l.includes(' end '))).toHaveLength(5);
  });

  it("holds a row's other jobs until its first one has booted, letting other rows go first", async () => {
    const jobs = [job('a1', 'a'), job('a2', 'a'), job('b1', 'b')];
    const r = await simulate(jobs, { slots: 3, memory: 100, warmUp: true });
    expect(r.log.slice(0, 4)).toEqual(['0 start a1', '0 start b1', '5 booted a1', '5 start a2']);
    const cold = await simulate(jobs, { slots: 2, memory: 100, warmUp: false });
    expect(cold.log.slice(0, 2)).toEqual(['0 start a1', '0 start a2']);
  });

  it('keeps the jobs within the memory, and runs one that alone needs more by itself', async () => {
    const jobs = [job('a', 'a', { cost: 6 }), job('b', 'b', { cost: 6 }), job('big', 'c', { cost: 20 }), job('d', 'd')];
    const r = await simulate(jobs, { slots: 4, memory: 13, warmUp: false });
    expect(r.log.slice(0, 3)).toEqual(['0 start a', '0 start b', '0 start d']);
    const big = r.log.indexOf(r.log.find((l) => l.endsWith('start big'))!);
    expect(r.log.slice(0, big).filter((l) => l.includes(' end '))).toHaveLength(3);
    expect(r.heldPeak).toBe(20);
  });

  it('goes on when a job fails before booting: its row is no longer held', async () => {
    const jobs = [job('a1', 'a', { fail: true }), job('a2', 'a'), job('a3', 'a')];
    const r = await simulate(jobs, { slots: 2, memory: 100, warmUp: true });
    expect(r.log).toContain('5 end a1');
    expect(r.log).toContain('5 start a2');
    expect(r.log.filter((l) => l.includes(' end '))).toHaveLength(3);
  });
});
