// The MCP server's view of the backend's events: each session's state as it changes, so a tool can wait until a
// guest has booted and report its phases on the way (MCP progress notifications). The console is not shown to
// anyone here, so every chunk is acknowledged at once: the backend's flow control must not pause the guest's
// serial line for a viewer that never reads it.
import type { SessionInfo } from '../../src-shared/api/contract';
import type { Backend } from '../backend/types';

/** The phases of a boot, in order: a progress notification's `progress` is the phase's place in this list. */
export const BOOT_PHASES = ['kit', 'qemu', 'firmware', 'kernel', 'init', 'ready'] as const;
const SETTLED = new Set<SessionInfo['phase']>(['ready', 'stopped', 'crashed']);

export const settled = (info: SessionInfo): boolean => SETTLED.has(info.phase);

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** each new phase while waiting; the wait ends only once what it returns has settled (a notification sent) */
  onPhase?: (info: SessionInfo) => unknown;
}

export class SessionWatch {
  private readonly waiters = new Map<string, Set<(info: SessionInfo) => void>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly backend: Backend) {
    this.unsubscribe = backend.subscribe((name, payload) => {
      if (name === 'session.state') {
        const info = payload as SessionInfo;
        for (const w of this.waiters.get(info.id) ?? []) w(info);
      } else if (name === 'console.data') {
        const { session, data } = payload as { session: string; data: string };
        void backend.call('console.ack', { session, chars: data.length });
      }
    });
  }

  /** The session as it stands, or undefined for an id this backend never booted. */
  async info(id: string): Promise<SessionInfo | undefined> {
    const r = await this.backend.call('lab.info', {});
    return r.ok ? (r.value as { sessions: SessionInfo[] }).sessions.find((s) => s.id === id) : undefined;
  }

  /**
   * Waits until the session is ready, stopped or crashed, telling each phase on the way; at the timeout or when
   * the request is cancelled, the session as it then stands.
   */
  async untilSettled(id: string, o: WaitOptions): Promise<SessionInfo | undefined> {
    let last: SessionInfo | undefined;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    // a progress notification must leave before the answer does: the client drops one for a request answered
    const told: unknown[] = [];
    const seen = (info: SessionInfo) => {
      if (info.phase !== last?.phase) told.push(o.onPhase?.(info));
      last = info;
      if (settled(info)) done();
    };
    // listening first, then reading the state: no change falls between the two
    const waiters = this.waiters.get(id) ?? new Set();
    this.waiters.set(id, waiters.add(seen));
    const timer = setTimeout(done, o.timeoutMs);
    o.signal?.addEventListener('abort', done, { once: true });
    try {
      const now = await this.info(id);
      if (now && !last) seen(now);
      if (!now) done();
      await finished;
      await Promise.allSettled(told);
      return last;
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', done);
      waiters.delete(seen);
      if (!waiters.size) this.waiters.delete(id);
    }
  }

  close(): void {
    this.unsubscribe();
  }
}
