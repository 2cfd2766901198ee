// Serial bytes to viewers: UTF-8 decoded without splitting characters,
// batched every ~16 ms, and paused at a high watermark of characters the
// renderer has not acknowledged yet (resumed below the low one), so a
// flood of kernel messages cannot grow the backend's memory without bound.
import { StringDecoder } from 'node:string_decoder';

export const HIGH_WATERMARK = 100_000;
export const LOW_WATERMARK = 5_000;
const BATCH_MS = 16;
/** A viewer that stops acknowledging must not hang the guest's UART: resume after this long regardless. */
const MAX_PAUSE_MS = 1000;

export interface ConsoleSource {
  pauseConsole(): void;
  resumeConsole(): void;
}

export class ConsoleStream {
  private decoder = new StringDecoder('utf8');
  private pending = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private unacked = 0;
  private paused = false;
  private pauseTimer: ReturnType<typeof setTimeout> | undefined;

  /** `viewers` says how many renderers are attached: with none, nobody acknowledges, so nothing is counted. */
  constructor(
    private readonly source: ConsoleSource,
    private readonly send: (data: string) => void,
    private readonly viewers: () => number,
  ) {}

  push(bytes: Buffer): void {
    this.pending += this.decoder.write(bytes);
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const data = this.pending;
    this.pending = '';
    if (this.viewers() > 0) this.unacked += data.length;
    this.send(data);
    if (!this.paused && this.unacked > HIGH_WATERMARK) {
      this.paused = true;
      this.source.pauseConsole();
      this.pauseTimer = setTimeout(() => this.resume(), MAX_PAUSE_MS);
    }
  }

  /** The lab's own words between the guest's bytes: after what the guest printed so far, never before it. */
  say(text: string): void {
    this.flush();
    this.send(text);
  }

  ack(chars: number): void {
    this.unacked = Math.max(0, this.unacked - chars);
    if (this.paused && this.unacked < LOW_WATERMARK) this.resume();
  }

  private resume(): void {
    clearTimeout(this.pauseTimer);
    this.unacked = 0;
    if (!this.paused) return;
    this.paused = false;
    this.source.resumeConsole();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  close(): void {
    clearTimeout(this.pauseTimer);
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
