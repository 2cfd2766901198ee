// A profile's virtio-mem devices: QEMU's refusals before it starts, each on
// the field to change, with the fix (hw/virtio/virtio-mem.c, hw/mem/memory-device.c).
import { describe, expect, it } from 'vitest';
import { validateProfile } from '../../../src-shared/profile/validate';

const base = { name: 't', memory: { size: '2G', slots: 4, maxmem: '8G' } };
const fields = (extra: Record<string, unknown>) => {
  const r = validateProfile({ ...base, ...extra });
  return r.ok ? [] : r.errors.map((e) => [e.field, e.message]);
};
const vm = (d: Record<string, unknown>) => ({ virtioMem: [{ id: 'vm0', size: '1G', ...d }] });

describe('profile virtio-mem devices', () => {
  it('accepts a device and fills in its defaults (nothing requested, node 0)', () => {
    const r = validateProfile({ ...base, ...vm({}) });
    expect(r.ok && r.value.virtioMem).toEqual([{ id: 'vm0', size: 2 ** 30, requestedSize: 0, node: 0 }]);
    expect(fields(vm({ requestedSize: '1G' }))).toEqual([]);
  });

  it('refuses what QEMU refuses, naming the field and the fix', () => {
    expect(fields(vm({ requestedSize: '3M' }))).toEqual([
      ['virtioMem[0].requestedSize', expect.stringMatching(/multiples of 'block-size' \(0x200000\)": write 2M or 4M$/)],
    ]);
    expect(fields(vm({ requestedSize: '2G' }))).toEqual([
      ['virtioMem[0].requestedSize', expect.stringContaining('QEMU starts, but the guest can plug no more')],
    ]);
    expect(fields(vm({ size: '1025M' }))).toEqual([
      [
        'virtioMem[0].size',
        expect.stringMatching(/backend memory size must be multiple of 0x200000"\): write 1G or 1026M$/),
      ],
    ]);
    expect(fields(vm({ node: 1 }))).toEqual([
      [
        'virtioMem[0].node',
        expect.stringContaining("'node' property has value '1', which exceedsthe number of numa nodes: 1"),
      ],
    ]);
    const numa = { numa: [{ node: 0, cpus: [0, 1], memory: '2G' }] };
    expect(fields({ ...numa, ...vm({ node: 1 }) })).toEqual([['virtioMem[0].node', 'node 1 is not in numa[]']]);
    expect(
      fields({
        virtioMem: [
          { id: 'vm0', size: '1G' },
          { id: 'vm0', size: '1G' },
        ],
      }),
    ).toEqual([['virtioMem[1].id', 'duplicate id "vm0"']]);
  });

  it('needs device memory, and counts the whole device against maxmem', () => {
    expect(fields({ memory: { size: '2G' }, ...vm({}) })).toEqual([
      ['virtioMem', expect.stringContaining('please specify the maxmem option')],
    ]);
    expect(fields({ memory: { size: '2G', slots: 1, maxmem: '3G' }, ...vm({ size: '2G' }) })).toEqual([
      ['memory.maxmem', 'RAM 2G plus virtio-mem 2G is 4G, more than maxmem 3G; raise memory.maxmem to at least 4G'],
    ]);
  });
});
