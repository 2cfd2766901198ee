// Hotplug is asynchronous in the guest: QEMU answers device_add at once and
// the guest's ACPI handler runs afterwards. Wait for the guest's own signal
// (its _OST report, surfaced as ACPI_DEVICE_OST, or DEVICE_DELETED; for
// virtio-mem its size changes) instead of sleeping.
import type { QmpClient, QmpEvent } from '../qemu/qmp';
import { settleVirtioMem } from './virtio-mem-wait';
import { untilGuestVirtioMemSettled, type GuestCommand } from './virtio-mem-guest';

/** A resize the guest cannot carry out (or not wholly) shows as no further size change for this long. */
const VIRTIO_MEM_QUIET_MS = 3000;

const DIMM_DRIVERS = new Set(['pc-dimm', 'nvdimm']);

const deviceOf = (e: QmpEvent): string | undefined => {
  const info = e.data?.info as { device?: string } | undefined;
  return e.event === 'ACPI_DEVICE_OST' ? info?.device : (e.data?.device as string | undefined);
};

/**
 * ACPI _OST status: 0 success, 0x84 ejection in progress (ACPI spec, _OST); anything else ends an eject as a refusal.
 */
const ostStatus = (e: QmpEvent) => (e.data?.info as { status?: number } | undefined)?.status ?? 0;
const EJECT_NOT_FINAL = new Set([0, 0x84]);

export async function executeAndSettle(
  qmp: QmpClient,
  execute: string,
  args: Record<string, unknown> | undefined,
  timeoutMs: number,
  stepName: string,
  guest: GuestCommand,
): Promise<unknown> {
  const t0 = Date.now();
  const mark = qmp.events.length;
  const id = typeof args?.id === 'string' ? args.id : undefined;
  const driver = args?.driver;
  const result = await qmp.execute(execute, args, timeoutMs);

  if (execute === 'device_add' && id && typeof driver === 'string' && DIMM_DRIVERS.has(driver)) {
    await qmp.waitForEvent(
      (e) => e.event === 'ACPI_DEVICE_OST' && deviceOf(e) === id,
      timeoutMs,
      mark,
      `${stepName}: the guest's ACPI report (ACPI_DEVICE_OST) for ${id}`,
    );
  } else if (execute === 'device_del' && typeof args?.id === 'string') {
    // Done when the DIMM is gone, or when the guest refuses the
    // eject; "in progress" (0x84) and success (0) are not the end.
    const del = args.id;
    await qmp.waitForEvent(
      (e) =>
        deviceOf(e) === del &&
        (e.event === 'DEVICE_DELETED' || (e.event === 'ACPI_DEVICE_OST' && !EJECT_NOT_FINAL.has(ostStatus(e)))),
      timeoutMs,
      mark,
      `${stepName}: the guest's answer to removing ${del}`,
    );
  } else if (execute === 'qom-set' && args?.property === 'requested-size' && typeof args.path === 'string') {
    await settleVirtioMem(qmp, {
      id: args.path.replace(/^\/machine\/peripheral\//, ''),
      since: mark,
      firstChangeMs: VIRTIO_MEM_QUIET_MS,
      quietMs: VIRTIO_MEM_QUIET_MS,
      timeoutMs,
      what: stepName,
    });
    // QEMU has the size once the guest plugged it; the guest adds (or removes) the memory block after that
    await untilGuestVirtioMemSettled(guest, Math.max(1, timeoutMs - (Date.now() - t0)), stepName);
  }
  return result;
}
