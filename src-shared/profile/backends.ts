// The memory backends a profile's guest starts with, named as the lab names
// them on QEMU's command line (src-main/qemu/argv.ts) and as QMP then finds
// them: an object-add of one of these ids is a duplicate, and a pc-dimm on one
// finds it already mapped.
import type { Profile } from './schema';

/** QEMU's own name for the machine's RAM (MachineClass.default_ram_id of pc), kept for the backend that holds it. */
export const RAM_BACKEND_ID = 'pc.ram';
export const numaBackendId = (node: number) => `ram-node${node}`;
export const nvdimmBackendId = (nvdimmId: string) => `mem-${nvdimmId}`;
export const virtioMemBackendId = (deviceId: string) => `mem-${deviceId}`;

/** Every backend of the guest at boot, with its size; each is in use from the start. */
export function bootBackends(profile: Profile): Map<string, number> {
  const ram: [string, number][] = profile.numa
    ? profile.numa.filter((n) => n.memory > 0).map((n) => [numaBackendId(n.node), n.memory])
    : [[RAM_BACKEND_ID, profile.memory.size]];
  return new Map([
    ...ram,
    ...profile.nvdimms.map((d): [string, number] => [nvdimmBackendId(d.id), d.size]),
    ...profile.virtioMem.map((d): [string, number] => [virtioMemBackendId(d.id), d.size]),
  ]);
}
