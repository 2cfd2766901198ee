// The MCP server's watch on the backend's sessions, over a backend that only emits events: a wait ends at ready
// (or a crash, or its timeout, or a cancelled request) and tells each phase once, progress only grows, and the
// console is acknowledged so the backend's flow control never pauses a guest for this viewer.
import { describe, expect, it } from 'vitest';
import type { EventName, Events, SessionInfo } from '../../../src-shared/api/contract';
import type { Backend, EventListener } from '../../../src-main/backend/types';
import { SessionWatch } from '../../../src-main/mcp/session-watch';
import { progressSender, waitOptions, type Extra } from '../../../src-main/mcp/tools/progress';

class FakeBackend implements Backend {
  listeners = new Set<EventListener>();
  sessions: SessionInfo[] = [];
  calls: { method: string; params: unknown }[] = [];
  call(method: string, params: unknown) {
    this.calls.push({ method, params });
    return Promise.resolve({ ok: true as const, value: method === 'lab.info' ? { sessions: this.sessions } : {} });
  }
  subscribe(l: EventListener) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  async stopAll() {}
  emit<E extends EventName>(name: E, payload: Events[E]) {
    for (const l of this.listeners) l(name, payload);
  }
}

const info = (phase: SessionInfo['phase']): SessionInfo => ({ id: 'a1b2c3d4', profile: 'p', phase, rules: '6.1' });
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the session watch', () => {
  it('waits until the guest is ready, telling each phase once', async () => {
    const b = new FakeBackend();
    b.sessions = [info('kit')];
    const watch = new SessionWatch(b);
    const phases: string[] = [];
    const waiting = watch.untilSettled('a1b2c3d4', { timeoutMs: 5000, onPhase: (s) => phases.push(s.phase) });
    await tick();
    for (const p of ['qemu', 'qemu', 'kernel', 'init', 'ready'] as const) b.emit('session.state', info(p));
    b.emit('session.state', { ...info('firmware'), id: 'ffffffff' }); // another session's
    expect((await waiting)?.phase).toBe('ready');
    expect(phases).toEqual(['kit', 'qemu', 'kernel', 'init', 'ready']);
    watch.close();
    expect(b.listeners.size).toBe(0);
  });

  it('answers at once when settled or unknown, and at the timeout or a cancel with the phase then', async () => {
    const b = new FakeBackend();
    const watch = new SessionWatch(b);
    b.sessions = [info('crashed')];
    expect((await watch.untilSettled('a1b2c3d4', { timeoutMs: 5000 }))?.phase).toBe('crashed');
    expect(await watch.untilSettled('00000000', { timeoutMs: 5000 })).toBeUndefined();
    b.sessions = [info('kernel')];
    expect((await watch.untilSettled('a1b2c3d4', { timeoutMs: 20 }))?.phase).toBe('kernel');
    const cancel = new AbortController();
    const waiting = watch.untilSettled('a1b2c3d4', { timeoutMs: 5000, signal: cancel.signal });
    await tick();
    cancel.abort();
    expect((await waiting)?.phase).toBe('kernel');
  });

  it('acknowledges the console it is sent, as a viewer that read it would', () => {
    const b = new FakeBackend();
    new SessionWatch(b);
    b.emit('console.data', { session: 'a1b2c3d4', data: 'x'.repeat(70_000) });
    expect(b.calls).toEqual([{ method: 'console.ack', params: { session: 'a1b2c3d4', chars: 70_000 } }]);
  });
});

describe('boot progress', () => {
  const extra = (progressToken?: string) => {
    const sent: unknown[] = [];
    const e = {
      _meta: progressToken ? { progressToken } : undefined,
      signal: new AbortController().signal,
      sendNotification: (n: unknown) => Promise.resolve(void sent.push(n)),
    } as unknown as Extra;
    return { e, sent };
  };

  it('is a notification per boot phase reached, growing only, when the request carries a token', () => {
    const { e, sent } = extra('t1');
    const o = waitOptions({}, e);
    for (const p of ['kit', 'qemu', 'qemu', 'init', 'kernel'] as const) o.onPhase!(info(p));
    o.onPhase!({ ...info('ready'), readyMs: 812, boot: { from: 'checkpoint' } });
    o.onPhase!(info('stopping'));
    expect(sent.map((n) => (n as { params: { progress: number; message: string } }).params)).toEqual([
      { progressToken: 't1', progress: 1, total: 6, message: 'kit' },
      { progressToken: 't1', progress: 2, total: 6, message: 'qemu' },
      { progressToken: 't1', progress: 5, total: 6, message: 'init' },
      { progressToken: 't1', progress: 6, total: 6, message: 'ready in 812 ms (restored from its checkpoint)' },
    ]);
    expect(o.timeoutMs).toBe(300_000);
  });

  it('is nothing without a token', async () => {
    const { e, sent } = extra();
    await progressSender(e)(1, 2, 'x');
    await waitOptions({ timeoutSeconds: 5 }, e).onPhase!(info('kit'));
    expect(sent).toEqual([]);
  });
});
