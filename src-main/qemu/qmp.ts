// A small QMP client (QEMU docs/interop/qmp-spec.rst): CRLF-separated JSON,
// a greeting, qmp_capabilities, an id on every command, events on their own stream.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp?: { seconds: number; microseconds: number };
}

export class QmpError extends Error {
  constructor(
    readonly errorClass: string,
    readonly desc: string,
    readonly command: string,
  ) {
    super(`QMP ${command} failed: ${errorClass}: ${desc}`);
  }
}

interface Pending {
  command: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class QmpClient extends EventEmitter<{ event: [QmpEvent]; close: [] }> {
  private buffer = '';
  private nextId = 1;
  private pending = new Map<string, Pending>();
  private greeting?: (v: unknown) => void;
  private closed = false;
  readonly events: QmpEvent[] = [];

  constructor(private readonly socket: Socket) {
    super();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => this.onClose());
    socket.on('error', () => this.onClose());
  }

  /** Waits for the greeting and leaves capabilities negotiation mode. */
  async handshake(timeoutMs = 10_000): Promise<unknown> {
    const greeting = await new Promise((resolve, reject) => {
      // QEMU that exits before greeting closes the socket: say so at once rather than at the timeout
      const onClose = () => settle(new Error('QEMU closed the QMP connection before its greeting'));
      const settle = (error?: Error, v?: unknown) => {
        clearTimeout(t);
        this.off('close', onClose);
        if (error) reject(error);
        else resolve(v);
      };
      const t = setTimeout(() => settle(new Error('QMP greeting did not arrive')), timeoutMs);
      if (this.closed) return onClose();
      this.on('close', onClose);
      this.greeting = (v) => settle(undefined, v);
    });
    await this.execute('qmp_capabilities');
    return greeting;
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>, timeoutMs = 30_000): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`QMP ${command}: the QMP connection is closed`));
    const id = `pl-${this.nextId++}`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`QMP ${command} got no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject, timer });
      this.socket.write(JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id }) + '\r\n');
    });
  }

  /** Resolves with the first event (already received since `since`, or still to come) that matches. */
  waitForEvent(match: (e: QmpEvent) => boolean, timeoutMs: number, since = 0, what = 'event'): Promise<QmpEvent> {
    const seen = this.events.slice(since).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const onEvent = (e: QmpEvent) => {
        if (!match(e)) return;
        cleanup();
        resolve(e);
      };
      const onClose = () => {
        cleanup();
        reject(new Error(`QMP connection closed while waiting for ${what}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('event', onEvent);
        this.off('close', onClose);
      };
      this.on('event', onEvent);
      this.on('close', onClose);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line) this.onMessage(line);
    }
  }

  private onMessage(line: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if ('QMP' in msg) {
      this.greeting?.(msg.QMP);
      return;
    }
    if (typeof msg.event === 'string') {
      const e = msg as unknown as QmpEvent;
      this.events.push(e);
      this.emit('event', e);
      return;
    }
    const p = typeof msg.id === 'string' ? this.pending.get(msg.id) : undefined;
    if (!p) return; // a reply to nobody we know: dropped, as the spec allows
    this.pending.delete(msg.id as string);
    clearTimeout(p.timer);
    if ('error' in msg) {
      const err = msg.error as { class?: string; desc?: string };
      p.reject(new QmpError(err.class ?? 'GenericError', err.desc ?? '', p.command));
    } else p.resolve(msg.return);
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`QMP ${p.command}: QEMU closed the QMP connection`));
    }
    this.pending.clear();
    this.emit('close');
  }
}
