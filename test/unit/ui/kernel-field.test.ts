// The profile editor's kernel field: its select's values, the labels of the
// presets, the build's estimate and progress, and how events move a preset.
import { describe, expect, it } from 'vitest';
import type { KernelPreset } from '../../../src-shared/api/contract';
import {
  afterBuildEvent,
  buildMinutes,
  choiceOf,
  choiceValue,
  duration,
  FIRST_BUILD_MINUTES,
  presetLabel,
  progressText,
} from '../../../src-renderer/views/profiles/kernel-field';

const built = { release: '6.1.0-lab', builtAt: '2026-11-27T10:00:00.000Z', seconds: 581 };
const hmm: KernelPreset = { name: 'hmm', description: 'device-private memory' };

describe('the kernel field', () => {
  it("maps the select to the profile's kernel and back, keeping a path when own build is picked again", () => {
    expect(choiceValue({ kind: 'host' })).toBe('host');
    expect(choiceValue({ kind: 'preset', preset: 'hmm' })).toBe('preset:hmm');
    expect(choiceValue({ kind: 'path', path: '/a', modules: '/b' })).toBe('path');
    expect(choiceOf('preset:hmm', { kind: 'host' })).toEqual({ kind: 'preset', preset: 'hmm' });
    expect(choiceOf('host', { kind: 'preset', preset: 'hmm' })).toEqual({ kind: 'host' });
    expect(choiceOf('path', { kind: 'host' })).toEqual({ kind: 'path', path: '', modules: '' });
    const own = { kind: 'path', path: '/a', modules: '/b' } as const;
    expect(choiceOf('path', own)).toBe(own);
    const other = { kind: 'other', text: '"x"' } as const;
    expect(choiceOf('other', other)).toBe(other);
  });

  it('labels each preset with its state', () => {
    expect(presetLabel(hmm)).toBe('hmm — not built');
    expect(presetLabel({ ...hmm, built })).toBe('hmm — built 6.1.0-lab');
    expect(presetLabel({ ...hmm, building: { stage: 'compile', detail: '', percent: 42 } })).toBe('hmm — building 42%');
    expect(presetLabel({ ...hmm, building: { stage: 'source', detail: '' } })).toBe('hmm — building');
  });

  it("estimates a build from the longest one here, else from a first build's", () => {
    expect(buildMinutes([hmm])).toBe(FIRST_BUILD_MINUTES);
    expect(
      buildMinutes([hmm, { ...hmm, name: 'base', built }, { ...hmm, name: 'x', built: { ...built, seconds: 20 } }]),
    ).toBe(10);
    expect(buildMinutes([{ ...hmm, built: { ...built, seconds: 5 } }])).toBe(1);
  });

  it('says the stage, percent and time left', () => {
    expect(duration(45)).toBe('45s');
    expect(duration(320)).toBe('5m20s');
    expect(duration(1490)).toBe('25 min');
    expect(progressText({ stage: 'compile', detail: 'x', percent: 42, etaSeconds: 320 })).toBe(
      'compile 42% · about 5m20s left',
    );
    expect(progressText({ stage: 'config', detail: 'x' })).toBe('config');
  });

  it('moves a preset along with the events: building, then built, or back to not built on an error', () => {
    const building = afterBuildEvent(hmm, { preset: 'hmm', progress: { stage: 'compile', detail: 'x', percent: 3 } });
    expect(building).toEqual({ ...hmm, building: { stage: 'compile', detail: 'x', percent: 3 } });
    expect(afterBuildEvent(building, { preset: 'hmm', progress: { stage: 'done', detail: 'y' }, built })).toEqual({
      ...hmm,
      built,
    });
    expect(afterBuildEvent(building, { preset: 'hmm', error: 'make exited with 2' })).toEqual(hmm);
  });
});
