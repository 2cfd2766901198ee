import { describe, expect, it } from 'vitest';
import { ConsoleMirror, OVERLAPPED, type TypedMeaning } from '../../../src-main/backend/console-mirror';

const P = 'pmem-lab:/# \x1b[6n';
const mirrored = (m: TypedMeaning[]) => m.map((x) => ('mirror' in x ? x : null)).filter((x) => x !== null);

describe('the console mirror: each line typed gets its own output', () => {
  it('gives a line what the guest printed between its Enter and the next prompt, split prompts and all', async () => {
    const c = new ConsoleMirror(5000);
    const [m] = mirrored(c.keystrokes('ndctl list -R\r'));
    c.output('ndctl list -R\r\n[\r\n  {"dev":"region0"}\r\n]\r\npmem-lab');
    c.output(':/# \x1b[6n');
    expect(await m!.result).toEqual({ output: '[\n  {"dev":"region0"}\n]\n' });
  });

  it('splits the output of a line typed ahead at the first prompt, and marks the earlier line overlapped', async () => {
    const c = new ConsoleMirror(5000);
    const [first] = mirrored(c.keystrokes('ndctl list -N\r'));
    c.output('ndctl list -N\r\n');
    // typed while the first still runs: the tty echoes it in the middle of the first one's output
    const [second] = mirrored(c.keystrokes('ndctl list -R\r'));
    c.output('ctl list -R\r\n[\r\n  {"dev":"namespace0.0"}\r\n]\r\n');
    c.output(`${P}ndctl list -R\r\n[\r\n  {"dev":"region0"}\r\n]\r\n${P}`);
    const a = await first!.result;
    expect(a.overlapped).toBe(OVERLAPPED);
    expect(a.output).toContain('namespace0.0');
    expect(a.output).not.toContain('region0');
    expect(await second!.result).toEqual({ output: '[\n  {"dev":"region0"}\n]\n' });
  });

  it('counts the prompts of lines it does not mirror, so they take nothing from the next', async () => {
    const c = new ConsoleMirror(5000);
    expect(mirrored(c.keystrokes('sleep 1\r'))).toEqual([]);
    const [m] = mirrored(c.keystrokes('ndctl list -R\r'));
    c.output(`sleep 1\r\n${P}ndctl list -R\r\n[]\r\n${P}`);
    const r = await m!.result;
    expect(r.output).toBe('[]\n');
    // the sleep line was overlapped, not the mirrored one after it
    expect(r.overlapped).toBeUndefined();
  });

  it('gives up on a prompt after its time and keeps what it saw', async () => {
    const c = new ConsoleMirror(20);
    const [m] = mirrored(c.keystrokes('daxctl list\r'));
    c.output('daxctl list\r\n[');
    expect(await m!.result).toEqual({ output: '[' });
  });

  it('redraws the last prompt with the line being typed', () => {
    const c = new ConsoleMirror(5000);
    c.output(`booted\r\n${P}`);
    c.keystrokes('ndctl li');
    expect(c.redraw()).toBe('pmem-lab:/# ndctl li');
  });

  it('waits until the console has shown a text that arrives after the step answered', async () => {
    const c = new ConsoleMirror(5000);
    const seen = c.capture();
    let done = false;
    const wait = seen.until('# ndctl list\n[]\n', 5000).then(() => (done = true));
    c.output('# ndctl list\r\n[');
    await Promise.resolve();
    expect(done).toBe(false);
    c.output(']\r\n');
    await wait;
    expect(done).toBe(true);
  });
});
