// virtio-mem is asynchronous in the guest: QEMU answers qom-set at once, the
// guest's driver plugs or unplugs afterwards, and QEMU reports each change of
// the plugged size (MEMORY_DEVICE_SIZE_CHANGE). The guest may stop short of
// the requested size (docs/model.md "virtio-mem": the offline threshold, busy
// kernel-zone pages), so a device also counts as settled once its size stops
// changing.
import type { ProbeClient } from '../probe/client';
import type { QmpClient, QmpEvent } from '../qemu/qmp';
import { untilGuestVirtioMemSettled } from './virtio-mem-guest';

/** What the guest's init leaves once it loaded the late modules, virtio_mem among them (kit/guest/init.sh). */
const LATE_MODULES_MARK = '/run/pmem-lab-late-modules';

/** One device of query-memory-devices (qapi/machine.json VirtioMEMDeviceInfo). */
export interface VirtioMemDeviceInfo {
  id: string;
  memaddr: number;
  'max-size': number;
  'block-size': number;
  size: number;
  'requested-size': number;
  node: number;
}

export async function queryVirtioMem(qmp: QmpClient): Promise<VirtioMemDeviceInfo[]> {
  const all = await qmp.execute<{ type: string; data: VirtioMemDeviceInfo }[]>('query-memory-devices');
  return all.filter((d) => d.type === 'virtio-mem').map((d) => d.data);
}

/** The probe dump's `V` lines (src-shared/snapshot/probe-dump.ts): each virtio-mem device as QEMU reports it. */
export async function virtioMemDumpLines(qmp: QmpClient): Promise<string> {
  return (await queryVirtioMem(qmp))
    .map(
      (d) => `V ${d.id} ${d.memaddr} ${d['max-size']} ${d['block-size']} ${d.size} ${d['requested-size']} ${d.node}\n`,
    )
    .join('');
}

const eventMs = (e: QmpEvent) => (e.timestamp ? e.timestamp.seconds * 1000 + e.timestamp.microseconds / 1000 : 0);

/** When QEMU last reported a size change of the device, since event `since`. */
function lastChange(qmp: QmpClient, id: string, since: number): number | undefined {
  const mine = qmp.events.slice(since).filter((e) => e.event === 'MEMORY_DEVICE_SIZE_CHANGE' && e.data?.id === id);
  return mine.length ? eventMs(mine[mine.length - 1]!) : undefined;
}

export interface SettleOptions {
  /** one device (by id), or every virtio-mem device */
  id?: string;
  /** the index in the event list from which changes count */
  since: number;
  /** a device with no change at all has settled after this long (the driver may still be loading at boot) */
  firstChangeMs: number;
  /** a device that changed has settled once it has not for this long */
  quietMs: number;
  timeoutMs: number;
  what: string;
}

/**
 * The guest counts as ready once virtio_mem has probed every device and each has plugged its requested size,
 * or has stopped short of it, and the guest has added what it plugged: the kit's init loads virtio_mem after
 * the probe agent is up (nothing else at boot needs it), so at the agent's announcement no device has its
 * driver yet. Waiting here, in the one boot
 * every door goes through, keeps the first snapshot what the profile asks for (`ready_ms` includes it). A
 * device asked for nothing shows no change: the init's mark says its driver is there (pmem-lab fuzz found
 * the first snapshot without `virtioN` before the mark).
 */
export async function settleVirtioMemAtBoot(
  qmp: QmpClient,
  probe: ProbeClient,
  timeoutMs: number,
): Promise<VirtioMemDeviceInfo[]> {
  const t0 = Date.now();
  const mark = await probe.run(`while [ ! -e ${LATE_MODULES_MARK} ]; do usleep 20000; done`, timeoutMs, false);
  if (mark.exitCode !== 0) throw new Error(`boot: the guest's init did not load virtio_mem within ${timeoutMs} ms`);
  let left = Math.max(1, timeoutMs - (Date.now() - t0));
  const short = await settleVirtioMem(qmp, {
    since: 0,
    firstChangeMs: 3000,
    quietMs: 3000,
    timeoutMs: left,
    what: 'boot',
  });
  // the guest adds each memory block after QEMU has its size (virtio-mem-guest.ts)
  left = Math.max(1, timeoutMs - (Date.now() - t0));
  await untilGuestVirtioMemSettled((c, ms) => probe.run(c, ms, false), left, 'boot');
  return short;
}

/**
 * Waits until every device concerned has plugged what is requested, or has stopped changing; returns those
 * that stopped short of it.
 */
export async function settleVirtioMem(qmp: QmpClient, o: SettleOptions): Promise<VirtioMemDeviceInfo[]> {
  const t0 = Date.now();
  for (;;) {
    const pending = (await queryVirtioMem(qmp)).filter(
      (d) => (o.id === undefined || d.id === o.id) && d.size !== d['requested-size'],
    );
    if (!pending.length) return [];
    const now = Date.now();
    const still = pending.filter((d) => {
      const last = lastChange(qmp, d.id, o.since);
      return last === undefined ? now - t0 < o.firstChangeMs : now - last < o.quietMs;
    });
    if (!still.length) return pending;
    if (now - t0 > o.timeoutMs) {
      throw new Error(
        `${o.what}: virtio-mem ${still.map((d) => d.id).join(', ')} still changing after ${o.timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
