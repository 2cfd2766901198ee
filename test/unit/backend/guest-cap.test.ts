import { describe, expect, it } from 'vitest';
import { defaultGuestCap, guestCap } from '../../../src-main/backend/guest-cap';

const GiB = 2 ** 30;

describe('the cap on running guests', () => {
  it('is two per core, bounded by one per 2 GiB of host memory, and at least one', () => {
    expect(defaultGuestCap(2, 24 * GiB).max).toBe(4);
    expect(defaultGuestCap(16, 24 * GiB).max).toBe(12);
    expect(defaultGuestCap(8, 1 * GiB).max).toBe(1);
    expect(defaultGuestCap(2, 24 * GiB).why).toMatch(/two per core \(2\).*24 GiB/);
  });

  it('takes a configured number and refuses nonsense, naming it', () => {
    expect(guestCap('3').max).toBe(3);
    expect(guestCap(7).max).toBe(7);
    for (const bad of ['0', '-1', '2.5', 'many', 1000])
      expect(() => guestCap(bad)).toThrow(/PMEM_LAB_MAX_GUESTS: ".*" is not a whole number from 1 to 256/);
  });
});
