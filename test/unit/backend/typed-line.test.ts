import { describe, expect, it } from 'vitest';
import { TypedLineTracker } from '../../../src-main/backend/typed-line';

describe('lines typed into the guest console', () => {
  it('rebuilds a line from keystrokes, with backspace', () => {
    const t = new TypedLineTracker();
    expect(t.feed('ndctl list')).toEqual([]);
    expect(t.feed('x\x7f -R\r')).toEqual([{ line: 'ndctl list -R' }]);
  });

  it('splits pasted text into lines and treats CRLF as one Enter', () => {
    const t = new TypedLineTracker();
    expect(t.feed('a\r\nb\rc')).toEqual([{ line: 'a' }, { line: 'b' }]);
    expect(t.feed('\n')).toEqual([{ line: 'c' }]);
  });

  it('forgets a line abandoned with Ctrl-C or erased with Ctrl-U', () => {
    const t = new TypedLineTracker();
    expect(t.feed('daxctl reconfigure-device\x03echo 1\r')).toEqual([{ line: 'echo 1' }]);
    expect(t.feed('rm -rf\x15ls\r')).toEqual([{ line: 'ls' }]);
  });

  it("ignores the terminal answering the shell's cursor-position query", () => {
    const t = new TypedLineTracker();
    expect(t.feed('\x1b[24;13Rdaxctl offline-memory dax0.0\r')).toEqual([{ line: 'daxctl offline-memory dax0.0' }]);
  });

  it('reports lines edited with cursor keys, history or tab as unreadable, then recovers', () => {
    const t = new TypedLineTracker();
    expect(t.feed('\x1b[A\r')).toEqual([{ unreadable: true }]);
    expect(t.feed('ndc\tlist\r')).toEqual([{ unreadable: true }]);
    expect(t.feed('ls\r')).toEqual([{ line: 'ls' }]);
  });
});
