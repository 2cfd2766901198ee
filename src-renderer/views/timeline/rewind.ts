// Whether the timeline's "Rewind to here" and "Fork from here" can act on an entry, and if not, why (the
// buttons' titles say it), and how a kept branch is named in the list.
import type { SessionInfo } from '../../../src-shared/api/contract';

export interface RewindButton {
  enabled: boolean;
  /** the button's title: what it does, or why it cannot */
  why: string;
}

/** Both buttons for entry `n` of a session whose newest entry is `latest`, while `busy` runs (or null). */
export function rewindButtons(
  session: SessionInfo | null,
  n: number,
  latest: number,
  busy: string | null,
): { rewind: RewindButton; fork: RewindButton } {
  const no = (why: string) => ({ rewind: { enabled: false, why }, fork: { enabled: false, why } });
  if (!session) return no('no guest');
  if (session.phase !== 'ready') return no(`the guest is not ready (${session.phase})`);
  if (busy) return no(`wait: ${busy} is under way`);
  if (session.noRewind) return no(`this session keeps no checkpoints: ${session.noRewind}`);
  if (!session.checkpoints?.includes(n)) return no(`no checkpoint at entry ${n}`);
  return {
    rewind: {
      enabled: true,
      why:
        n === latest
          ? `restore the guest as it was at entry ${n}`
          : `restore the guest and the model to entry ${n}; the entries after it are dropped`,
    },
    fork:
      n === latest
        ? { enabled: false, why: 'nothing after this entry to keep as a branch' }
        : {
            enabled: true,
            why: `restore the guest and the model to entry ${n}; the entries after it are kept as a branch`,
          },
  };
}

export function branchLabel(b: { id: number; from: number; entries: number }): string {
  return `branch ${b.id}: ${b.entries} ${b.entries === 1 ? 'entry' : 'entries'} after entry ${b.from}`;
}
