// Built kernels under DATA/kernels/PRESET-HASH12 (a folder the lab boots
// kernels from, backend/kernel-paths.ts): vmlinux, lib/modules/RELEASE,
// config, build.log and manifest.json. A folder is renamed into place whole,
// so one with a manifest is complete.
import { constants } from 'node:fs';
import { access, lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { dataDir } from '../util/paths';
import { mergedConfig, presetNames, readPreset } from './presets';
import { debianIdentity, debianSourceVersion } from './source';
import type { BuiltKernel, PresetInfo } from './types';

export const kernelsDir = (): string => join(dataDir(), 'kernels');

export const cacheKey = (preset: string, hash: string): string => `${preset}-${hash.slice(0, 12)}`;

export const ManifestSchema = z.object({
  preset: z.string(),
  hash: z.string(),
  /** the merged config's hash alone: finds a Debian build when the package (its version) is gone */
  configHash: z.string(),
  source: z.object({ kind: z.enum(['debian', 'tree']), identity: z.string() }),
  release: z.string(),
  seconds: z.number(),
  /** the objects make reported making (CC and LD lines): the next build's progress estimate */
  objects: z.number(),
  builtAt: z.string(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function builtKernelOf(dir: string, m: Manifest): BuiltKernel {
  return {
    preset: m.preset,
    hash: m.hash,
    dir,
    image: join(dir, 'vmlinux'),
    modulesDir: join(dir, 'lib', 'modules', m.release),
    release: m.release,
    seconds: m.seconds,
    builtAt: m.builtAt,
  };
}

const exists = (path: string) =>
  access(path, constants.F_OK).then(
    () => true,
    () => false,
  );

export async function readManifest(dir: string): Promise<Manifest | undefined> {
  const text = await readFile(join(dir, 'manifest.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return ManifestSchema.parse(JSON.parse(text));
  } catch {
    return undefined; // not one of this builder's folders
  }
}

/** Every complete build, newest first. */
export async function readBuilds(): Promise<{ dir: string; manifest: Manifest }[]> {
  const names = await readdir(kernelsDir()).catch(() => [] as string[]);
  const builds: { dir: string; manifest: Manifest }[] = [];
  for (const name of names) {
    if (name.includes('.')) continue; // NAME.tmp.PID, NAME.lock
    const dir = join(kernelsDir(), name);
    const manifest = await readManifest(dir);
    if (manifest) builds.push({ dir, manifest });
  }
  return builds.sort((a, b) => b.manifest.builtAt.localeCompare(a.manifest.builtAt));
}

/**
 * The newest Debian-source build of the preset's current fragments, cheaply:
 * no extraction, the package version from dpkg (when the package is gone, the
 * merged config alone decides). Builds from a user's tree or with a user's
 * fragment are reached by their paths, never by a preset name.
 */
export async function findBuiltKernel(preset: string): Promise<BuiltKernel | undefined> {
  if (!(await presetNames()).includes(preset)) return undefined;
  const { configHash } = await mergedConfig(preset);
  const version = await debianSourceVersion();
  for (const k of debianBuildsOf(await readBuilds(), preset, configHash, version && debianIdentity(version)))
    if ((await exists(k.image)) && (await exists(join(k.modulesDir, 'modules.dep')))) return k;
  return undefined;
}

/** Of `builds` (newest first), the Debian ones of this config; of the installed source, when one is installed. */
export function debianBuildsOf(
  builds: readonly { dir: string; manifest: Manifest }[],
  preset: string,
  configHash: string,
  installed: string | undefined,
): BuiltKernel[] {
  return builds
    .filter(({ manifest: m }) => m.preset === preset && m.source.kind === 'debian' && m.configHash === configHash)
    .filter(({ manifest: m }) => !installed || m.source.identity === installed)
    .map(({ dir, manifest }) => builtKernelOf(dir, manifest));
}

export async function listPresets(): Promise<PresetInfo[]> {
  const out: PresetInfo[] = [];
  for (const name of await presetNames()) {
    const { description } = await readPreset(name);
    const built = await findBuiltKernel(name);
    out.push({ name, description, ...(built ? { built } : {}) });
  }
  return out;
}

/** What the last build of this preset made, from any source: the best guess for the next one. */
export async function lastObjectCount(preset: string): Promise<number | undefined> {
  return (await readBuilds()).find((b) => b.manifest.preset === preset && b.manifest.objects > 0)?.manifest.objects;
}

/** The bytes a folder takes, as du counts them (allocated blocks; hard links once). */
export async function diskUsage(dir: string, seen = new Set<string>()): Promise<number> {
  const s = await lstat(dir);
  const id = `${s.dev}:${s.ino}`;
  if (seen.has(id)) return 0;
  seen.add(id);
  let bytes = s.blocks * 512;
  if (s.isDirectory()) for (const name of await readdir(dir)) bytes += await diskUsage(join(dir, name), seen);
  return bytes;
}
