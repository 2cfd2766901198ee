// The files QEMU backs a profile's NVDIMMs with (README "Profiles", `backing`):
// throw-away ones in the VM's runtime folder, removed with it at stop, and
// persistent images in the data folder, which PMEM Lab never deletes.
import { mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { nvdimmBackendSize, type Profile } from '../../src-shared/profile/schema';
import { ProfileError } from '../store/profile-error';

/** Creates or resizes each NVDIMM's backing file; returns their paths by NVDIMM id. */
export async function prepareNvdimmFiles(
  profile: Profile,
  runDir: string,
  imagesDir: string,
): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const [i, d] of profile.nvdimms.entries()) {
    const size = nvdimmBackendSize(d);
    const path = d.backing === 'persistent' ? join(imagesDir, `${d.id}.img`) : join(runDir, `${d.id}.img`);
    if (d.backing === 'persistent') {
      await mkdir(imagesDir, { recursive: true });
      const existing = await stat(path).then(
        (s) => s.size,
        () => undefined,
      );
      if (existing !== undefined && existing !== size) {
        throw ProfileError.at(
          `nvdimms[${i}].size`,
          `the persistent image ${path} holds ${existing} bytes but the profile asks for ${size}; set the size ` +
            `back, or move the image away to start fresh (PMEM Lab never deletes it)`,
        );
      }
    }
    files[d.id] = path;
    // a truncate to the same size still sets the modification time, which is part of a checkpoint's key
    if (d.backing === 'persistent' && (await stat(path).catch(() => undefined))?.size === size) continue;
    const fh = await open(path, 'a');
    await fh.truncate(size);
    await fh.close();
  }
  return files;
}
