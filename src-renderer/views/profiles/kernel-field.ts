// What the profile editor's kernel field shows and how its select maps to the
// profile's kernel (profile-form.ts writes it into the YAML), and how a
// kernel.build event changes a preset as the field shows it.
import type { Events, KernelBuildProgress, KernelPreset } from '../../../src-shared/api/contract';
import type { KernelChoice } from './profile-form';

/**
 * A first build on the lab's 2-core machine, when no build here says better: the kernel builder measured 10 to 13
 * minutes (src-main/kernel-build/build.ts); the longer, so the button does not promise too little.
 */
export const FIRST_BUILD_MINUTES = 13;

/** The select's value for a choice: host, preset:NAME, path or other. */
export const choiceValue = (k: KernelChoice): string => (k.kind === 'preset' ? `preset:${k.preset}` : k.kind);

/** The choice a select value stands for; the current one's path stays when "own build" is picked again. */
export function choiceOf(value: string, current: KernelChoice): KernelChoice {
  if (value.startsWith('preset:')) return { kind: 'preset', preset: value.slice('preset:'.length) };
  if (value === 'path') return current.kind === 'path' ? current : { kind: 'path', path: '', modules: '' };
  if (value === 'other') return current;
  return { kind: 'host' };
}

/** "1m40s" below ten minutes, else "12 min": what a build took or has left. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 600) return `${Math.round(s / 60)} min`;
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** "hmm — built 6.1.0-lab", "hmm — building 42%", "hmm — not built" */
export function presetLabel(p: KernelPreset): string {
  if (p.building) return `${p.name} — building${p.building.percent === undefined ? '' : ` ${p.building.percent}%`}`;
  return `${p.name} — ${p.built ? `built ${p.built.release}` : 'not built'}`;
}

/** A build's likely length: the longest build of a preset here (they share the base config), else a first build's. */
export function buildMinutes(presets: readonly KernelPreset[]): number {
  const seconds = Math.max(0, ...presets.map((p) => p.built?.seconds ?? 0));
  return seconds ? Math.max(1, Math.round(seconds / 60)) : FIRST_BUILD_MINUTES;
}

/** "compile 42% · about 5m20s left" */
export function progressText(p: KernelBuildProgress): string {
  return (
    p.stage +
    (p.percent === undefined ? '' : ` ${p.percent}%`) +
    (p.etaSeconds === undefined ? '' : ` · about ${duration(p.etaSeconds)} left`)
  );
}

/** The preset after a kernel.build event: building while progress comes, built or not at the end. */
export function afterBuildEvent(p: KernelPreset, e: Events['kernel.build']): KernelPreset {
  const rest = { ...p };
  delete rest.building;
  if (e.built) return { ...rest, built: e.built };
  if (e.error) return rest;
  return e.progress ? { ...rest, building: e.progress } : p;
}
