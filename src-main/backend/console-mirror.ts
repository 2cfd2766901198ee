// What the user does in the guest console, as the model needs it: the lines
// typed (rebuilt from keystrokes) and, once the shell's prompt is back, what
// the guest printed for each. A vocabulary line is mirrored into the model; a
// line the model cannot read stops it (out of sync); other commands leave it be.
//
// Every Enter waits for a prompt of its own, in order: the shell answers the
// lines typed ahead one after another, so the first prompt ends the first line
// and what follows it belongs to the next. A line typed before the previous
// one's prompt came back overlaps it: the earlier line's output may hold the
// later one's echo, and a snapshot after its prompt may already show the later
// line at work, so the earlier line is marked as overlapped.
import { classifyConsoleLine } from '../../src-shared/actions';
import { TypedLineTracker } from './typed-line';

/**
 * The guest shell's prompt (PS1='\h:\w# ' with hostname pmem-lab). busybox ash follows it with a cursor-position
 * query (ESC [ 6 n).
 */
// eslint-disable-next-line no-control-regex -- a terminal's escape sequences start with ESC (\x1b)
const PROMPT = /pmem-lab:[^\r\n#]*# (?:\x1b\[[0-9;]*[A-Za-z])*/;
// eslint-disable-next-line no-control-regex -- a terminal's escape sequences start with ESC (\x1b)
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]/g;
/** What a command may print before its prompt is looked for no more. */
const KEPT = 64 * 1024;

export const OVERLAPPED =
  'the next line was typed before this one finished: its output may hold that line, and the guest may have been ' +
  'running it when this step was snapshotted';

/** What the guest printed for a mirrored line, and whether the next line overlapped it. */
export interface LineOutput {
  output: string;
  overlapped?: string;
}

export type TypedMeaning = { mirror: string; result: Promise<LineOutput> } | { outOfSync: string };

interface EnteredLine {
  line: string;
  text: string;
  overlapped: boolean;
  done?: (r: LineOutput) => void;
  timer?: ReturnType<typeof setTimeout>;
}

export class ConsoleMirror {
  private readonly typed = new TypedLineTracker();
  /** every line entered whose prompt has not come back yet, oldest first */
  private awaiting: EnteredLine[] = [];
  /** the last prompt the shell printed, as the terminal shows it */
  private prompt = '';
  private tail = '';
  private readonly captures = new Set<Capture>();

  constructor(private readonly timeoutMs: number) {}

  /** Keystrokes for the guest shell: what each line finished by Enter means for the model. */
  keystrokes(data: string): TypedMeaning[] {
    const out: TypedMeaning[] = [];
    for (const t of this.typed.feed(data)) {
      for (const a of this.awaiting) a.overlapped = true;
      const line = 'line' in t ? t.line : '';
      const waiting: EnteredLine = { line, text: '', overlapped: false };
      // a line that never sees its prompt (typed into a program reading stdin) stops waiting in time
      waiting.timer = setTimeout(() => this.finish(waiting), this.timeoutMs);
      this.awaiting.push(waiting);
      if ('unreadable' in t)
        out.push({
          outOfSync: 'a line edited with cursor keys, history or tab completion could not be read from the keystrokes',
        });
      else {
        const meaning = classifyConsoleLine(t.line);
        if (meaning.kind === 'outside') out.push({ outOfSync: meaning.reason });
        else if (meaning.kind === 'action') out.push({ mirror: t.line, result: this.watch(waiting) });
      }
    }
    return out;
  }

  private watch(w: EnteredLine): Promise<LineOutput> {
    return new Promise((resolve) => (w.done = resolve));
  }

  /** The guest's console output: each prompt ends the oldest line still waiting. */
  output(text: string): void {
    this.tail = (this.tail + text).slice(-256);
    const seen = PROMPT.exec(this.tail.replace(/[\s\S]*\n/, ''));
    if (seen) this.prompt = seen[0].replace(ESCAPES, '');
    for (const c of this.captures) c.feed(text);
    let rest = text;
    while (rest && this.awaiting.length) {
      const w = this.awaiting[0]!;
      w.text = (w.text + rest).slice(-KEPT);
      const m = PROMPT.exec(w.text);
      if (!m) return;
      // what came after the prompt belongs to the next line
      rest = w.text.slice(m.index + m[0].length);
      w.text = w.text.slice(0, m.index);
      this.finish(w);
    }
  }

  /** The prompt and the line being typed, as the shell would redraw them (for output printed beside the shell). */
  redraw(): string {
    return this.prompt + this.typed.pending();
  }

  /**
   * The console from now on: `until` resolves once it has shown a text (or after a time), so what the lab prints
   * beside the guest comes after what the guest printed for a step, though the two travel on different lines.
   */
  capture(): Capture {
    const c = new Capture(() => this.captures.delete(c));
    this.captures.add(c);
    return c;
  }

  private finish(w: EnteredLine): void {
    clearTimeout(w.timer);
    this.awaiting = this.awaiting.filter((a) => a !== w);
    if (!w.done) return;
    const text = w.text.replace(ESCAPES, '').replace(/\r/g, '');
    const at = text.indexOf(w.line);
    const output = (at >= 0 ? text.slice(at + w.line.length) : text).replace(/^\n/, '');
    w.done({ output, ...(w.overlapped ? { overlapped: OVERLAPPED } : {}) });
  }
}

const plain = (t: string) => t.replace(ESCAPES, '').replace(/\r/g, '');

export class Capture {
  private seen = '';
  private wanted?: { text: string; done: () => void };

  constructor(private readonly close: () => void) {}

  /** Watches no more. */
  stop(): void {
    if (this.wanted) this.wanted.done();
    else this.close();
  }

  feed(text: string): void {
    this.seen = (this.seen + plain(text)).slice(-KEPT);
    if (this.wanted && this.seen.includes(this.wanted.text)) this.wanted.done();
  }

  until(text: string, timeoutMs: number): Promise<void> {
    const want = plain(text).trimEnd().slice(-64);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.close();
        resolve();
      };
      const t = setTimeout(done, timeoutMs);
      this.wanted = { text: want, done };
      if (this.seen.includes(want)) done();
    });
  }
}
