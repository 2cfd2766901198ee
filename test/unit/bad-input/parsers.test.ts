// The snapshot parsers fed 10,000 random, truncated and interleaved dumps:
// they never throw, finish quickly, and say what they could not read.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIomem } from '../../../src-shared/snapshot/iomem';
import { parseProbeDump } from '../../../src-shared/snapshot/probe-dump';
import { RUNS, RUNS_TIMEOUT_MS } from './counts';

const REAL = join(import.meta.dirname, '../../fixtures/real');
const dumps = readdirSync(REAL)
  .filter((d) => !d.includes('.') && d !== 'bootstrap')
  .flatMap((d) =>
    readdirSync(join(REAL, d))
      .filter((f) => f.endsWith('.dump'))
      .map((f) => readFileSync(join(REAL, d, f), 'utf8')),
  );
const KERNEL_NOISE = [
  '[   12.345678] nd_pmem namespace0.0: unable to guarantee persistence of writes',
  '[    3.1] kmem dax0.0: mapping0: 0x108000000-0x13fffffff could not reserve region',
  '\x1b[6n',
  'pmem-lab:/# ',
  '\u0000\u0001\ufffd',
  'Call Trace:',
  '',
];

/** A real dump cut at a random point, with kernel messages and garbage dropped between its lines. */
const damaged = fc
  .tuple(
    fc.constantFrom(...dumps),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...KERNEL_NOISE), fc.string())), { maxLength: 6 }),
  )
  .map(([dump, cut, noise]) => {
    const lines = dump.slice(0, Math.floor(dump.length * cut)).split('\n');
    for (const [at, text] of noise) lines.splice(at % (lines.length + 1), 0, text);
    return lines.join('\n');
  });

describe(`${RUNS} damaged and random dumps`, { timeout: RUNS_TIMEOUT_MS }, () => {
  it('parseProbeDump never throws, and lists problems for what it could not read', () => {
    fc.assert(
      fc.property(
        fc.oneof(damaged, fc.string({ maxLength: 2000 }), fc.string({ unit: 'binary', maxLength: 500 })),
        (text) => {
          const t0 = performance.now();
          const s = parseProbeDump(text);
          expect(performance.now() - t0).toBeLessThan(200);
          expect(Array.isArray(s.memoryBlocks)).toBe(true);
          expect(typeof s.iomem).toBe('string');
          expect(Array.isArray(s.problems ?? [])).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('parseIomem never throws, and every line is either read or reported', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          damaged.map((d) => parseProbeDump(d).iomem + '\n' + d.slice(0, 300)),
          fc.string({ maxLength: 2000 }),
        ),
        (text) => {
          const r = parseIomem(text);
          const nonEmpty = text.split('\n').filter((l) => l.replace(/\r$/, '').length > 0).length;
          expect(r.lines.length + r.problems.length).toBe(nonEmpty);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('names the line it could not read', () => {
    const dump = dumps[0]!;
    const cutAt = dump.indexOf('\nB ') + 6; // inside the first memory-block line
    const cut = parseProbeDump(dump.slice(0, cutAt));
    expect(cut.problems).toEqual([expect.stringMatching(/^probe line \d+: cannot read "B /)]);
    expect(parseProbeDump('garbage\nK 6.1').problems).toContain('probe line 1: cannot read "garbage"');
  });
});
