import { describe, expect, it } from 'vitest';
import { bootProgress, stepDurations } from '../../../src-renderer/views/vm/phases';
import { commandFor } from '../../../src-renderer/lib/shortcuts';

const key = (
  code: string,
  mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; altKey: boolean; metaKey: boolean }> = {},
) => ({ code, ctrlKey: true, shiftKey: true, altKey: false, metaKey: false, ...mods });

describe('boot progress', () => {
  const at = { kit: 0, qemu: 40, firmware: 300, kernel: 480, init: 6400, ready: 6700 };
  it('marks the steps before the current phase done, and the current one active', () => {
    expect(bootProgress('kit', false, { kit: 0 })).toEqual(['active', 'todo', 'todo', 'todo', 'todo', 'todo']);
    expect(bootProgress('kernel', false, { kit: 0, qemu: 40, firmware: 300, kernel: 480 })).toEqual([
      'done',
      'done',
      'done',
      'active',
      'todo',
      'todo',
    ]);
    expect(bootProgress('ready', true, at)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    // a firmware faster than the watch's poll still ran
    expect(bootProgress('kernel', false, { kit: 0, qemu: 40, kernel: 300 })[2]).toBe('done');
  });

  it('fails the step a crash happened in, and shows nothing of a stopped guest', () => {
    const inKernel = { kit: 0, qemu: 40, firmware: 300, kernel: 480, crashed: 9000 };
    expect(bootProgress('crashed', false, inKernel)).toEqual(['done', 'done', 'done', 'failed', 'todo', 'todo']);
    // a guest that crashed after it was ready: its last step fails, not all green
    expect(bootProgress('crashed', true, { ...at, crashed: 20_000 })).toEqual([
      'done',
      'done',
      'done',
      'done',
      'done',
      'failed',
    ]);
    expect(bootProgress('stopped', true, at)).toEqual(['todo', 'todo', 'todo', 'todo', 'todo', 'todo']);
  });

  it('says how long each step took', () => {
    expect(stepDurations(at, 7000)).toEqual([40, 260, 180, 5920, 300, undefined]);
    // a step the watch never saw (a fast firmware) has no time of its own: it counts to the step before it
    expect(stepDurations({ kit: 0, qemu: 40, kernel: 480 }, 1000)).toEqual([
      40,
      440,
      undefined,
      520,
      undefined,
      undefined,
    ]);
  });
});

describe('shortcuts', () => {
  it('needs Ctrl+Shift and nothing else, so the guest shell keeps its keys', () => {
    expect(commandFor(key('KeyB'))).toBe('boot');
    expect(commandFor(key('KeyS'))).toBe('snapshot');
    expect(commandFor(key('KeyX'))).toBe('stop');
    expect(commandFor(key('KeyB', { shiftKey: false }))).toBeUndefined();
    expect(commandFor(key('KeyB', { altKey: true }))).toBeUndefined();
    expect(commandFor(key('KeyC'))).toBeUndefined();
  });
});
