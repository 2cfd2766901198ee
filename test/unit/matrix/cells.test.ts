// A matrix's grid: rows (profile x kernel), columns (scenarios), cell ids, and the order cells start in.
import { describe, expect, it } from 'vitest';
import { expandMatrix, rowLabel, runOrder } from '../../../src-shared/matrix/cells';

describe('matrix cells', () => {
  it('crosses each profile with each kernel as a row, and each row with each scenario', () => {
    const { header, cells } = expandMatrix('m', '', {
      profiles: ['p1', 'p2'],
      kernels: ['host', 'hmm'],
      scenarios: ['s1', 's2', 's3'],
    });
    expect(header.rows).toEqual([
      { id: 'p1.host', profile: 'p1', kernel: 'host' },
      { id: 'p1.hmm', profile: 'p1', kernel: 'hmm' },
      { id: 'p2.host', profile: 'p2', kernel: 'host' },
      { id: 'p2.hmm', profile: 'p2', kernel: 'hmm' },
    ]);
    expect(header.columns).toEqual(['s1', 's2', 's3']);
    expect(cells).toHaveLength(12);
    expect(cells[0]).toEqual({ id: 'p1.host.s1', row: 'p1.host', column: 's1' });
    expect(new Set(cells.map((c) => c.id)).size).toBe(12);
  });

  it('leaves the profile to each scenario, and the kernel to each profile, when the matrix names none', () => {
    const { header, cells } = expandMatrix('m', 'd', { scenarios: ['s1', 's2'] });
    expect(header).toEqual({ name: 'm', description: 'd', rows: [{ id: 'own' }], columns: ['s1', 's2'] });
    expect(cells.map((c) => c.id)).toEqual(['own.s1', 'own.s2']);
    expect(rowLabel(header.rows[0]!)).toBe("each scenario's own profile");
    const k = expandMatrix('m', '', { kernels: ['host'], scenarios: ['s'] });
    expect(k.cells.map((c) => c.id)).toEqual(['own.host.s']);
    expect(rowLabel(k.header.rows[0]!)).toBe("each scenario's own profile · kernel host");
  });

  it('starts scenario by scenario on every row, so each row boots (and saves its checkpoint) once first', () => {
    const { header, cells } = expandMatrix('m', '', { profiles: ['a', 'b', 'c'], scenarios: ['x', 'y'] });
    expect(runOrder(header, cells).map((c) => c.id)).toEqual(['a.x', 'b.x', 'c.x', 'a.y', 'b.y', 'c.y']);
    expect(runOrder(header, [...cells].reverse()).map((c) => c.id)).toEqual(runOrder(header, cells).map((c) => c.id));
  });
});
