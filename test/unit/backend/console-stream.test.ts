import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsoleStream, HIGH_WATERMARK } from '../../../src-main/backend/console-stream';

afterEach(() => vi.useRealTimers());

function setup(viewers = 1) {
  const calls: string[] = [];
  const sent: string[] = [];
  const source = { pauseConsole: () => calls.push('pause'), resumeConsole: () => calls.push('resume') };
  return {
    calls,
    sent,
    stream: new ConsoleStream(
      source,
      (d) => sent.push(d),
      () => viewers,
    ),
  };
}

describe('console stream to viewers', () => {
  it('never splits a UTF-8 character across batches', () => {
    vi.useFakeTimers();
    const { sent, stream } = setup();
    const bytes = Buffer.from('é→x');
    stream.push(bytes.subarray(0, 1));
    stream.flush();
    stream.push(bytes.subarray(1));
    stream.flush();
    expect(sent.join('')).toBe('é→x');
    expect(sent.every((s) => !s.includes('\uFFFD'))).toBe(true);
  });

  it('batches what arrives within a frame into one message', () => {
    vi.useFakeTimers();
    const { sent, stream } = setup();
    for (const c of 'abc') stream.push(Buffer.from(c));
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(sent).toEqual(['abc']);
  });

  it('pauses above the high watermark and resumes once acknowledged', () => {
    vi.useFakeTimers();
    const { calls, stream } = setup();
    stream.push(Buffer.alloc(HIGH_WATERMARK + 1, 'a'));
    stream.flush();
    expect(calls).toEqual(['pause']);
    stream.ack(HIGH_WATERMARK - 10_000);
    expect(calls).toEqual(['pause']);
    stream.ack(10_000);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('does not let a silent viewer stall the guest for more than a second', () => {
    vi.useFakeTimers();
    const { calls, stream } = setup();
    stream.push(Buffer.alloc(HIGH_WATERMARK + 1, 'a'));
    stream.flush();
    vi.advanceTimersByTime(1100);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('counts nothing while no viewer is attached', () => {
    vi.useFakeTimers();
    const { calls, stream } = setup(0);
    stream.push(Buffer.alloc(HIGH_WATERMARK * 2, 'a'));
    stream.flush();
    expect(calls).toEqual([]);
  });
});
