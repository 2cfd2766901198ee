// Waiting for virtio-mem: done when QEMU reports the requested size, or once
// the device stops changing (the guest stopped short of it), never before.
import { describe, expect, it } from 'vitest';
import type { QmpClient, QmpEvent } from '../../../src-main/qemu/qmp';
import { settleVirtioMem, type VirtioMemDeviceInfo } from '../../../src-main/guest/virtio-mem-wait';

const MiB = 2 ** 20;

/** A QEMU whose device plugs `steps` one after the other, every `everyMs`, reporting each as an event. */
function fakeQemu(requested: number, steps: number[], everyMs: number) {
  const dev: VirtioMemDeviceInfo = {
    id: 'vm0',
    memaddr: 2 ** 32,
    'max-size': 2 ** 30,
    'block-size': 2 * MiB,
    size: 0,
    'requested-size': requested,
    node: 0,
  };
  const events: QmpEvent[] = [];
  const timers = steps.map((size, i) =>
    setTimeout(
      () => {
        dev.size = size;
        const now = Date.now();
        events.push({
          event: 'MEMORY_DEVICE_SIZE_CHANGE',
          data: { id: 'vm0', size, 'qom-path': '/machine/peripheral/vm0' },
          timestamp: { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 },
        });
      },
      everyMs * (i + 1),
    ),
  );
  const qmp = {
    events,
    execute: (cmd: string) =>
      Promise.resolve(cmd === 'query-memory-devices' ? [{ type: 'virtio-mem', data: { ...dev } }] : undefined),
  } as unknown as QmpClient;
  return { qmp, stop: () => timers.forEach(clearTimeout) };
}

const opts = { since: 0, firstChangeMs: 400, quietMs: 300, timeoutMs: 5000, what: 'test' };

describe('settleVirtioMem', () => {
  it('ends when the device reaches its requested size', async () => {
    const q = fakeQemu(256 * MiB, [128 * MiB, 256 * MiB], 50);
    const t0 = Date.now();
    expect(await settleVirtioMem(q.qmp, opts)).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(Date.now() - t0).toBeLessThan(300);
  });

  it('ends once a device that stopped short has been quiet, and names it', async () => {
    const q = fakeQemu(1536 * MiB, [128 * MiB, 1024 * MiB], 50);
    const t0 = Date.now();
    const short = await settleVirtioMem(q.qmp, opts);
    expect(short.map((d) => [d.id, d.size])).toEqual([['vm0', 1024 * MiB]]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100 + 300);
  });

  it('waits for a first change before calling a device settled', async () => {
    const q = fakeQemu(256 * MiB, [256 * MiB], 250);
    expect(await settleVirtioMem(q.qmp, opts)).toEqual([]);
    const none = fakeQemu(256 * MiB, [], 0);
    const t0 = Date.now();
    expect(await settleVirtioMem(none.qmp, opts)).toHaveLength(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
  });

  it('fails when the size is still changing at the deadline', async () => {
    const q = fakeQemu(
      2 ** 30,
      [2, 4, 6, 8, 10, 12].map((n) => n * MiB),
      100,
    );
    await expect(settleVirtioMem(q.qmp, { ...opts, timeoutMs: 350 })).rejects.toThrow(
      /test: virtio-mem vm0 still changing after 350 ms/,
    );
    q.stop();
  });
});
