// The probe channel (ttyS1): one request line out, one framed reply back.
// Each request carries a fresh nonce and only lines between
// "@@PMEMLAB NONCE BEGIN" and "@@PMEMLAB NONCE END RC" count, so nothing else
// written to the line can be mistaken for a reply.
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { parseProbeDump } from '../../src-shared/snapshot/probe-dump';
import type { Snapshot } from '../../src-shared/snapshot/types';

export class ProbeError extends Error {}

interface Waiter {
  nonce: string;
  lines: string[] | undefined;
  resolve: (r: { lines: string[]; rc: number }) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class ProbeClient {
  private buffer = '';
  private waiter?: Waiter;
  private queue: Promise<unknown> = Promise.resolve();
  private closedReason?: string;
  private readyWaiters: (() => void)[] = [];
  ready = false;

  constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => this.onData(c));
    socket.on('close', () => this.fail('the probe channel closed (QEMU exited?)'));
    socket.on('error', (e) => this.fail(`the probe channel closed (${e.message}; QEMU exited?)`));
  }

  /** Resolves when the agent has announced itself. */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((r) => this.readyWaiters.push(r));
  }

  /**
   * A restored guest's agent is already in its loop and never announces itself again: its answer to one
   * request is the announcement.
   */
  async untilAnswering(timeoutMs: number): Promise<void> {
    // ping: answered by the agent's loop itself, no command to start while TCG translates everything anew
    await this.request('ping', [], timeoutMs, 'ping');
    this.ready = true;
    this.readyWaiters.splice(0).forEach((r) => r());
  }

  /** One request at a time: the agent is a single shell loop. */
  request(verb: string, args: string[], timeoutMs: number, what: string): Promise<{ lines: string[]; rc: number }> {
    const run = () =>
      new Promise<{ lines: string[]; rc: number }>((resolve, reject) => {
        if (this.closedReason) return reject(new ProbeError(`${what}: ${this.closedReason}`));
        const nonce = randomBytes(8).toString('hex');
        const timer = setTimeout(() => {
          this.waiter = undefined;
          reject(new ProbeError(`${what}: no reply from the guest within ${timeoutMs} ms`));
        }, timeoutMs);
        this.waiter = { nonce, lines: undefined, resolve, reject, timer };
        this.socket.write([nonce, verb, ...args].join(' ') + '\n');
      });
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  async snapshot(timeoutMs = 10_000): Promise<Snapshot> {
    return parseProbeDump(await this.rawSnapshot(timeoutMs));
  }

  /** The agent's dump as text, for recording fixtures. */
  async rawSnapshot(timeoutMs = 10_000): Promise<string> {
    const { lines } = await this.request('snap', [], timeoutMs, 'snapshot');
    return lines.join('\n') + '\n';
  }

  /**
   * Runs a shell command in the guest; the agent kills it one second before our own deadline.
   * `echo` shows the command and its output on the console, as if the user had typed it.
   */
  async run(command: string, timeoutMs = 60_000, echo = true): Promise<{ output: string; exitCode: number }> {
    const guestSeconds = Math.max(1, Math.floor(timeoutMs / 1000) - 1);
    const { lines, rc } = await this.request(
      echo ? 'run' : 'exec',
      [String(guestSeconds), Buffer.from(command).toString('base64')],
      timeoutMs,
      `command "${command}"`,
    );
    const output = Buffer.from(lines.join(''), 'base64').toString('utf8');
    if (rc === 137)
      throw new ProbeError(`command "${command}" did not finish within ${guestSeconds} s and was killed in the guest`);
    return { output, exitCode: rc };
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (line === '@@PMEMLAB 0 READY') {
      this.ready = true;
      this.readyWaiters.splice(0).forEach((r) => r());
      return;
    }
    const w = this.waiter;
    if (!w) return;
    if (line === `@@PMEMLAB ${w.nonce} BEGIN`) {
      w.lines = [];
      return;
    }
    const end = `@@PMEMLAB ${w.nonce} END `;
    if (line.startsWith(end) && w.lines) {
      clearTimeout(w.timer);
      this.waiter = undefined;
      w.resolve({ lines: w.lines, rc: Number(line.slice(end.length)) });
      return;
    }
    w.lines?.push(line);
  }

  private fail(reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    const w = this.waiter;
    if (w) {
      clearTimeout(w.timer);
      this.waiter = undefined;
      w.reject(new ProbeError(reason));
    }
  }
}
