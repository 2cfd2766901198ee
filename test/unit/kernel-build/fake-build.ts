// A build folder as the builder leaves it (manifest, vmlinux, modules.dep),
// written straight into a temp PMEM_LAB_DATA, for the code that finds builds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheKey, kernelsDir, type Manifest } from '../../../src-main/kernel-build/cache';
import { buildHash, mergedConfig } from '../../../src-main/kernel-build/presets';
import { debianIdentity, debianSourceVersion } from '../../../src-main/kernel-build/source';

/** `files: false` leaves out vmlinux and modules.dep. */
export async function fakeBuild(o: {
  preset: string;
  identity: string;
  kind?: 'debian' | 'tree';
  builtAt: string;
  files?: boolean;
  /** a folder name of its own, for a second build of one key */
  key?: string;
}): Promise<{ dir: string; hash: string }> {
  const config = await mergedConfig(o.preset);
  const hash = buildHash(o.identity, config);
  const dir = join(kernelsDir(), o.key ?? cacheKey(o.preset, hash));
  const manifest: Manifest = {
    preset: o.preset,
    hash,
    configHash: config.configHash,
    source: { kind: o.kind ?? 'debian', identity: o.identity },
    release: '6.1.192',
    seconds: 581,
    objects: 1234,
    builtAt: o.builtAt,
  };
  mkdirSync(join(dir, 'lib/modules/6.1.192'), { recursive: true });
  if (o.files !== false) {
    writeFileSync(join(dir, 'vmlinux'), 'ELF');
    writeFileSync(join(dir, 'lib/modules/6.1.192/modules.dep'), '');
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return { dir, hash };
}

/** The installed package's identity (a build of another version is stale), or any when it is not installed. */
export const installedIdentity = async (): Promise<string> =>
  debianIdentity((await debianSourceVersion()) ?? '6.1.192-2');
