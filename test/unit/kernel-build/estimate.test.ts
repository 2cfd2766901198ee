// Compile progress: kbuild's "  CC"/"  LD" lines counted against the last
// build's count, as a percent that stays below 100 until make is done and an ETA.
import { describe, expect, it } from 'vitest';
import { CompileCounter, estimate, formatDuration, isObjectLine } from '../../../src-main/kernel-build/estimate';

describe('compile progress', () => {
  it("counts kbuild's object lines, built-in and module, and nothing else", () => {
    for (const l of [
      '  CC      mm/memory.o',
      '  CC [M]  lib/test_hmm.o',
      '  LD [M]  lib/test_hmm.ko',
      '  LD      vmlinux.o',
    ])
      expect(isObjectLine(l), l).toBe(true);
    for (const l of ['  HOSTCC  scripts/kconfig/conf.o', '  AR      mm/built-in.a', 'CC mm/x.o', '  CCx', ''])
      expect(isObjectLine(l), l).toBe(false);
  });

  it('gives a percent below 100 and an ETA from the rate so far', () => {
    expect(estimate(0, 1000, 0)).toEqual({ percent: 0 });
    expect(estimate(250, 1000, 60)).toEqual({ percent: 25, etaSeconds: 180 });
    expect(estimate(999, 1000, 600)).toEqual({ percent: 99, etaSeconds: 1 });
    expect(estimate(1200, 1000, 700)).toEqual({ percent: 99 }); // more than the last build made: no ETA to give
  });

  it('reports each time the percent moves, with elapsed time and time left', () => {
    let now = 0;
    const c = new CompileCounter(200, 0, () => now);
    const reports = [];
    for (let i = 0; i < 10; i++) {
      now += 3000;
      reports.push(c.line('  CC      x.o'));
      reports.push(c.line('  AR      x/built-in.a'));
    }
    expect(c.objects).toBe(10);
    const said = reports.filter((r) => r !== undefined);
    expect(said.map((r) => r.percent)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(said[1]).toEqual({
      stage: 'compile',
      percent: 1,
      etaSeconds: 594,
      detail: '2/~200 objects, 6s elapsed, about 9m54s left',
    });
  });

  it('says durations as minutes and seconds', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59.6)).toBe('1m00s');
    expect(formatDuration(581)).toBe('9m41s');
  });
});
