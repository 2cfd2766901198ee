import { parseIomem } from '../../src-shared/snapshot/iomem';
import type { IomemLine, Snapshot } from '../../src-shared/snapshot/types';
import type { Profile } from '../../src-shared/profile/schema';
import { loadProfile } from '../../src-main/store/profiles';
import { bootProfile, prepare, type Prepared } from '../../src-main/guest/lab';
import type { Vm } from '../../src-main/guest/vm';

const prepared = new Map<string, Prepared>();
const running = new Set<Vm>();

/** Boots a shipped profile (or a given one) under TCG, as every test here must pass without KVM. */
export async function boot(ref: string | Profile): Promise<Vm> {
  const profile = typeof ref === 'string' ? await loadProfile(ref) : ref;
  let p = prepared.get(profile.name);
  if (!p) {
    p = await prepare(profile, { accel: 'tcg' });
    prepared.set(profile.name, p);
  }
  const vm = await bootProfile(profile, p);
  running.add(vm);
  return vm;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((vm) => vm.stop()));
  running.clear();
}

export function iomemLines(s: Snapshot): IomemLine[] {
  const { lines, problems } = parseIomem(s.iomem);
  if (problems.length) throw new Error(`unreadable iomem: ${problems.join('; ')}`);
  return lines;
}

export function findLine(s: Snapshot, name: string): IomemLine | undefined {
  return iomemLines(s).find((l) => l.name === name);
}

export function childrenOf(s: Snapshot, parent: IomemLine): IomemLine[] {
  const lines = iomemLines(s);
  const i = lines.findIndex((l) => l.start === parent.start && l.end === parent.end && l.name === parent.name);
  const out: IomemLine[] = [];
  for (let j = i + 1; j < lines.length && lines[j]!.depth > parent.depth; j++)
    if (lines[j]!.depth === parent.depth + 1) out.push(lines[j]!);
  return out;
}

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;
