// What the user does in the guest console, as the model needs it: the lines
// typed (rebuilt from keystrokes) and, once the shell's prompt is back, what
// the guest printed for each. A vocabulary line is mirrored into the model; a
// line the model cannot read stops it (out of sync); other commands leave it be.
import { classifyConsoleLine } from '../../src-shared/actions';
import { TypedLineTracker } from './typed-line';

/**
 * The guest shell's prompt (PS1='\h:\w# ' with hostname pmem-lab): a console command has finished when it
 * reappears. busybox ash follows it with a cursor-position query (ESC [ 6 n).
 */
// eslint-disable-next-line no-control-regex -- a terminal's escape sequences start with ESC (\x1b)
const PROMPT = /pmem-lab:[^\r\n]*# (?:\x1b\[[0-9;]*[A-Za-z])*$/;
// eslint-disable-next-line no-control-regex -- a terminal's escape sequences start with ESC (\x1b)
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]/g;
/** What a command may print before its prompt is looked for no more. */
const KEPT = 64 * 1024;

export type TypedMeaning = { mirror: string } | { outOfSync: string };

export class ConsoleMirror {
  private readonly typed = new TypedLineTracker();
  /** the console since the last mirrored Enter, while a prompt is awaited */
  private sinceEnter: string | undefined;
  private waiters: (() => void)[] = [];

  /** Keystrokes for the guest shell: what each line finished by Enter means for the model. */
  keystrokes(data: string): TypedMeaning[] {
    const out: TypedMeaning[] = [];
    for (const t of this.typed.feed(data)) {
      if ('unreadable' in t)
        out.push({
          outOfSync: 'a line edited with cursor keys, history or tab completion could not be read from the keystrokes',
        });
      else {
        const meaning = classifyConsoleLine(t.line);
        if (meaning.kind === 'outside') out.push({ outOfSync: meaning.reason });
        else if (meaning.kind === 'action') out.push({ mirror: t.line });
      }
    }
    return out;
  }

  /** The guest's console output, watched for the prompt while a mirrored line runs. */
  output(text: string): void {
    if (this.sinceEnter === undefined) return;
    this.sinceEnter = (this.sinceEnter + text).slice(-KEPT);
    if (PROMPT.test(this.sinceEnter)) for (const w of this.waiters.splice(0)) w();
  }

  /**
   * Watches from now for the prompt after `line`; resolves with
   * what the guest printed for it (echo and prompt removed).
   */
  outputOf(line: string, timeoutMs: number): Promise<string> {
    this.sinceEnter = '';
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.waiters = this.waiters.filter((w) => w !== done);
        const text = (this.sinceEnter ?? '').replace(PROMPT, '').replace(ESCAPES, '').replace(/\r/g, '');
        this.sinceEnter = undefined;
        const at = text.indexOf(line);
        resolve((at >= 0 ? text.slice(at + line.length) : text).replace(/^\n/, ''));
      };
      const t = setTimeout(done, timeoutMs);
      this.waiters.push(done);
    });
  }
}
