import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../../src-shared/actions/console';

describe('cxl lines in the vocabulary', () => {
  it('reads create-region with cxl option forms', () => {
    expect(
      parseConsoleLine('cxl create-region -d decoder0.1 -t pmem -m mem0 mem1 -w2 --granularity=512 -s 1G'),
    ).toEqual({
      kind: 'action',
      action: {
        kind: 'cxl-create-region',
        decoder: 'decoder0.1',
        type: 'pmem',
        size: '1G',
        ways: 2,
        granularity: 512,
        memdevsFlag: true,
        targets: ['mem0', 'mem1'],
      },
    });
  });

  it('reads enable, disable and destroy; --force only on destroy', () => {
    expect(parseConsoleLine('cxl destroy-region -f region0')).toEqual({
      kind: 'action',
      action: { kind: 'cxl-region', op: 'destroy', force: true, regions: ['region0'] },
    });
    expect(parseConsoleLine('cxl disable-region -d decoder0.0 0')).toEqual({
      kind: 'action',
      action: { kind: 'cxl-region', op: 'disable', decoder: 'decoder0.0', force: false, regions: ['0'] },
    });
    expect(parseConsoleLine('cxl enable-region -f region0').kind).toBe('unknown');
  });

  it('leaves what it does not model outside: -b, other commands, non-integer ways', () => {
    for (const line of [
      'cxl create-region -b cxl_acpi.0 -d decoder0.0 -m mem0',
      'cxl create-region -d decoder0.0 -w two -m mem0',
      'cxl reserve-dpa mem0',
    ])
      expect(parseConsoleLine(line).kind, line).toBe('unknown');
    expect(parseConsoleLine('cxl list -R')).toMatchObject({ kind: 'action', action: { kind: 'read-only' } });
  });
});
