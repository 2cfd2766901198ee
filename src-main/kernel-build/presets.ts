// The presets: Kconfig fragments in kernel-presets/ (base.config, the trimmed
// lab base every preset starts from, then one per purpose). A build's config
// is base + the preset + an optional user fragment, and its cache key hashes
// that text with the source it is built from.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { KitInputError } from '../kit/sources';
import { appRoot } from '../util/app-root';
import { FragmentLineError, mergeFragments, parseFragment, type Assignment } from './fragment';

/** Bump when the build recipe changes in a way the config text does not show: every cached build is then stale. */
const BUILD_FORMAT = 'pmem-lab kernel build 1';
export const BASE_PRESET = 'base';
/** The names a profile's kernel.preset may take (src-shared/profile/schema.ts). */
const NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** Far above any real fragment; a larger --fragment is a mistake (a kernel image, a log). */
const MAX_FRAGMENT_BYTES = 1 << 20;

export const presetsDir = (): string => join(appRoot(), 'kernel-presets');

export async function presetNames(): Promise<string[]> {
  const files = await readdir(presetsDir()).catch(() => [] as string[]);
  return files
    .filter((f) => f.endsWith('.config'))
    .map((f) => f.slice(0, -'.config'.length))
    .filter((n) => NAME.test(n))
    .sort((a, b) => (a === BASE_PRESET ? -1 : b === BASE_PRESET ? 1 : a.localeCompare(b)));
}

/** The first paragraph of the fragment's leading comment, as one line. */
export function describeFragment(text: string): string {
  const words: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const said = line.replace(/^#\s?/, '').trim();
    if (!said) break;
    words.push(said);
  }
  return words.join(' ');
}

export async function readPreset(name: string): Promise<{ name: string; description: string; text: string }> {
  const names = await presetNames();
  if (!names.includes(name))
    throw new KitInputError(
      `no kernel preset "${name}"`,
      `pick one of ${names.join(', ')} (the fragments in ${presetsDir()})`,
    );
  const text = await readFile(join(presetsDir(), `${name}.config`), 'utf8');
  return { name, description: describeFragment(text), text };
}

/** A user's --fragment: read whole, every line a Kconfig line, else refused naming the line. */
async function readUserFragment(path: string): Promise<{ name: string; text: string }> {
  const file = resolve(path);
  const data = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new KitInputError(`--fragment ${path}: cannot read it (${e.code ?? e.message})`, 'check the path');
  });
  if (data.length > MAX_FRAGMENT_BYTES)
    throw new KitInputError(
      `--fragment ${path}: ${data.length} bytes is no Kconfig fragment`,
      'pass a file of CONFIG_NAME=value lines',
    );
  return { name: `--fragment ${path}`, text: data.toString('utf8') };
}

export interface MergedConfig {
  preset: string;
  /** base + preset + user fragment, the file kconfig reads */
  text: string;
  assignments: Assignment[];
  /** the hash of the text alone: how a build of the preset's current fragments is found whatever its source */
  configHash: string;
}

export async function mergedConfig(preset: string, userFragment?: string): Promise<MergedConfig> {
  const own = await readPreset(preset);
  const parts = preset === BASE_PRESET ? [own] : [await readPreset(BASE_PRESET), own];
  const named = parts.map((p) => ({ name: `${p.name}.config`, text: p.text }));
  if (userFragment !== undefined) named.push(await readUserFragment(userFragment));
  const assignments: Assignment[] = [];
  for (const part of named) {
    try {
      assignments.push(...parseFragment(part.text, part.name));
    } catch (e) {
      if (!(e instanceof FragmentLineError)) throw e;
      throw new KitInputError(
        e.message,
        'write one CONFIG_NAME=value (y, m, a number or "text") or "# CONFIG_NAME is not set" a line; ' +
          'other lines start with #',
      );
    }
  }
  const text = mergeFragments(named);
  return { preset, text, assignments, configHash: sha256(`${BUILD_FORMAT}\n${text}`) };
}

/** The cache key's hash: format, source and config, so a new package version or tree is a new build. */
export const buildHash = (sourceIdentity: string, config: MergedConfig): string =>
  sha256(`${BUILD_FORMAT}\n${sourceIdentity}\n${config.text}`);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
