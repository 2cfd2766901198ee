// The CXL fixed memory windows and the 64-bit PCI window after them, as three
// q35 guests showed them (docs/model.md "CXL"), in address order.
import { describe, expect, it } from 'vitest';
import { buildMachine } from '../../../src-shared/model/platform/machine';
import { ProfileSchema } from '../../../src-shared/profile/schema';

const device = { id: 'd0', size: '256M' };
const machineOf = (memory: object, windows: string[]) =>
  buildMachine(
    ProfileSchema.parse({
      name: 't',
      machine: 'q35',
      memory,
      cxl: { windows: windows.map((size) => ({ size })), devices: [device] },
    }),
    '7.2',
  );
const lines = (m: ReturnType<typeof buildMachine>) =>
  m.upperResources
    .filter((r) => r.name.startsWith('CXL') || (r.kind === 'window' && r.start > 2 ** 32))
    .sort((a, b) => a.start - b.start)
    .map((r) => `${r.start.toString(16)}-${r.end.toString(16)} : ${r.name}`);

describe('CXL fixed memory windows', () => {
  it('follow device memory, from the next 256 MiB boundary after the host register area', () => {
    expect(lines(machineOf({ size: '512M', slots: 4, maxmem: '4G' }, ['4G']))).toEqual([
      '2f0000000-3efffffff : CXL Window 0',
      '400000000-bffffffff : PCI Bus 0000:00',
    ]);
    expect(lines(machineOf({ size: '2G', slots: 4, maxmem: '8G' }, ['1G', '2G']))).toEqual([
      '390000000-3cfffffff : CXL Window 0',
      '3d0000000-44fffffff : CXL Window 1',
      '480000000-c7fffffff : PCI Bus 0000:00',
    ]);
  });

  it('follow RAM above 4 GiB on a machine without device memory', () => {
    const m = machineOf({ size: '3G' }, ['512M']);
    expect(lines(m)).toEqual(['150000000-16fffffff : CXL Window 0', '180000000-97fffffff : PCI Bus 0000:00']);
    expect(m.cxl?.hostRegs).toBe(0x140000000);
  });

  it('leave a machine without CXL as it was', () => {
    const m = buildMachine(ProfileSchema.parse({ name: 't', machine: 'q35', memory: { size: '3G' } }), '7.2');
    expect(m.cxl).toBeUndefined();
    expect(m.pci64.start).toBe(0x140000000);
  });
});
