// The profile's CXL topology as QEMU 7.2 options (docs/shared "q35 and CXL
// type-3 memory"): a file backend for each device's capacity and label area,
// one pxb-cxl host bridge on pcie.0, a cxl-rp root port per device, the
// type-3 devices below them, and the fixed memory windows targeting the
// host bridge. The machine's cxl=on is set with the other -machine options.
import {
  CXL_HOST_BRIDGE_BUS,
  CXL_HOST_BRIDGE_ID,
  cxlLsaBackendId,
  cxlMemBackendId,
  cxlRootPortId,
  type Cxl,
} from '../../src-shared/profile/cxl';
import { qemuOpts, QemuOptionError } from './escape';

export interface CxlFiles {
  mem: string;
  lsa: string;
}

/** Where a device's backing files live: in the VM's runtime folder, removed with it at stop. */
export const cxlFilePaths = (runDir: string, deviceId: string): CxlFiles => ({
  mem: `${runDir}/${deviceId}.cxl.img`,
  lsa: `${runDir}/${deviceId}.lsa.img`,
});

/**
 * The root ports' chassis and first slot, as on the guest the lab observed: PCIe slot numbers are unique per
 * chassis, and nothing else on q35 uses chassis 0.
 */
const ROOT_PORT_CHASSIS = 0;
const ROOT_PORT_FIRST_SLOT = 2;

export function cxlArgv(cxl: Cxl, files: Record<string, CxlFiles>): string[] {
  const argv: string[] = [];
  cxl.devices.forEach((d, i) => {
    const f = files[d.id];
    if (!f) throw new QemuOptionError(`cxl.devices[${i}]`, `no backing files prepared for ${d.id}`);
    const backend = (id: string, path: string, size: number) =>
      qemuOpts(`cxl.devices[${i}]`, 'memory-backend-file', { id, share: 'on', 'mem-path': path, size });
    argv.push('-object', backend(cxlMemBackendId(d.id), f.mem, d.size));
    argv.push('-object', backend(cxlLsaBackendId(d.id), f.lsa, d.labels));
  });
  argv.push(
    '-device',
    qemuOpts('cxl', 'pxb-cxl', { bus_nr: CXL_HOST_BRIDGE_BUS, bus: 'pcie.0', id: CXL_HOST_BRIDGE_ID }),
  );
  cxl.devices.forEach((d, i) => {
    const port = cxlRootPortId(i);
    argv.push(
      '-device',
      qemuOpts(`cxl.devices[${i}]`, 'cxl-rp', {
        port: i,
        bus: CXL_HOST_BRIDGE_ID,
        id: port,
        chassis: ROOT_PORT_CHASSIS,
        slot: ROOT_PORT_FIRST_SLOT + i,
      }),
      '-device',
      qemuOpts(`cxl.devices[${i}]`, 'cxl-type3', {
        bus: port,
        memdev: cxlMemBackendId(d.id),
        lsa: cxlLsaBackendId(d.id),
        id: d.id,
      }),
    );
  });
  // Every value here is a number or the lab's own id: nothing to escape.
  if (cxl.windows.length > 0)
    argv.push(
      '-M',
      cxl.windows.map((w, n) => `cxl-fmw.${n}.targets.0=${CXL_HOST_BRIDGE_ID},cxl-fmw.${n}.size=${w.size}`).join(','),
    );
  return argv;
}
