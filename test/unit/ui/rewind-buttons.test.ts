import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../../src-shared/api/contract';
import { branchLabel, rewindButtons } from '../../../src-renderer/views/timeline/rewind';

const ready: SessionInfo = {
  id: '0123abcd',
  profile: 'dimm-hotplug',
  phase: 'ready',
  rules: '6.1',
  checkpoints: [0, 1, 2],
};

describe('rewind and fork buttons', () => {
  it('acts on an earlier entry with a checkpoint, and says which entries go', () => {
    const b = rewindButtons(ready, 1, 2, null);
    expect(b.rewind).toEqual({
      enabled: true,
      why: 'restore the guest and the model to entry 1; the entries after it are dropped',
    });
    expect(b.fork).toEqual({
      enabled: true,
      why: 'restore the guest and the model to entry 1; the entries after it are kept as a branch',
    });
  });

  it('rewinds the newest entry, but has nothing there to fork off', () => {
    const b = rewindButtons(ready, 2, 2, null);
    expect(b.rewind.enabled).toBe(true);
    expect(b.fork).toEqual({ enabled: false, why: 'nothing after this entry to keep as a branch' });
  });

  it('says why neither button can act', () => {
    const why = (s: SessionInfo | null, n = 1, busy: string | null = null) => {
      const b = rewindButtons(s, n, 2, busy);
      expect(b.fork).toEqual(b.rewind);
      expect(b.rewind.enabled).toBe(false);
      return b.rewind.why;
    };
    expect(why(null)).toBe('no guest');
    expect(why({ ...ready, phase: 'kernel' })).toBe('the guest is not ready (kernel)');
    expect(why(ready, 1, 'rewind')).toBe('wait: rewind is under way');
    const none: SessionInfo = { ...ready, checkpoints: undefined };
    expect(why({ ...none, noRewind: 'a VFIO device' })).toBe('this session keeps no checkpoints: a VFIO device');
    expect(why({ ...ready, checkpoints: [0, 2] })).toBe('no checkpoint at entry 1');
    expect(why(none)).toBe('no checkpoint at entry 1');
  });

  it('names a kept branch by its size and where it left', () => {
    expect(branchLabel({ id: 1, from: 0, entries: 4 })).toBe('branch 1: 4 entries after entry 0');
    expect(branchLabel({ id: 2, from: 3, entries: 1 })).toBe('branch 2: 1 entry after entry 3');
  });
});
