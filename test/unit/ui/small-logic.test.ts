import { describe, expect, it } from 'vitest';
import { bootProgress } from '../../../src-renderer/views/vm/phases';
import { commandFor } from '../../../src-renderer/lib/shortcuts';

const key = (
  code: string,
  mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; altKey: boolean; metaKey: boolean }> = {},
) => ({ code, ctrlKey: true, shiftKey: true, altKey: false, metaKey: false, ...mods });

describe('boot progress', () => {
  it('marks the steps before the current phase done', () => {
    expect(bootProgress('kit', false)).toEqual(['active', 'todo', 'todo', 'todo']);
    expect(bootProgress('kernel', false)).toEqual(['done', 'done', 'active', 'todo']);
    expect(bootProgress('ready', true)).toEqual(['done', 'done', 'done', 'done']);
    expect(bootProgress('crashed', false)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(bootProgress('stopped', true)).toEqual(['done', 'done', 'done', 'done']);
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
