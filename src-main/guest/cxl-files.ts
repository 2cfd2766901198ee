// The files QEMU backs a profile's CXL type-3 devices with: capacity and
// label area, both throw-away files in the VM's runtime folder (removed with
// it at stop), created sparse at the profile's sizes.
import { open } from 'node:fs/promises';
import type { Profile } from '../../src-shared/profile/schema';
import { cxlFilePaths, type CxlFiles } from '../qemu/cxl-argv';

export async function prepareCxlFiles(profile: Profile, runDir: string): Promise<Record<string, CxlFiles>> {
  const files: Record<string, CxlFiles> = {};
  for (const d of profile.cxl?.devices ?? []) {
    const paths = cxlFilePaths(runDir, d.id);
    for (const [path, size] of [
      [paths.mem, d.size],
      [paths.lsa, d.labels],
    ] as const) {
      const fh = await open(path, 'w');
      await fh.truncate(size);
      await fh.close();
    }
    files[d.id] = paths;
  }
  return files;
}
