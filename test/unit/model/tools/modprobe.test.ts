// busybox modprobe/rmmod of test_hmm in the model (tools/modprobe.ts,
// kernel/test-hmm.ts). The words and exit statuses of a kernel without the
// module are the ones Debian's kernel gave on a guest (modprobe: "not found in
// modules.dep", rmmod: ENOENT); the chunk placement is what the hmm kernel
// gave (issue 16: fce0000000 and fcf0000000 on a 40-bit qemu64 CPU).
import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../../../src-shared/actions';
import { createModel } from '../../../../src-shared/model';
import { ProfileSchema, type ProfileInput } from '../../../../src-shared/profile/schema';

const profile = (kernel: ProfileInput['kernel']) =>
  ProfileSchema.parse({ name: 'hmm', memory: { size: '2G', slots: 4, maxmem: '1006G' }, pciHole64: 0, kernel });
const run = (m: ReturnType<typeof createModel>, line: string) => {
  const p = parseConsoleLine(line);
  if (p.kind !== 'action') throw new Error(p.reason);
  return m.apply(p.action);
};
/** the /proc/iomem lines of the chunks, as the guest prints them */
const chunks = (m: ReturnType<typeof createModel>) =>
  m
    .snapshot()
    .iomem.split('\n')
    .filter((l) => l.endsWith(' : hmm_dmirror'));

describe('test_hmm', () => {
  it('on the hmm preset: two chunks at the top of the 40-bit space, the first device highest, and back', () => {
    const m = createModel(profile({ preset: 'hmm' }));
    const load = run(m, 'modprobe test_hmm');
    expect(load).toMatchObject({ exitCode: 0, output: '' });
    expect(chunks(m)).toEqual(['fce0000000-fcefffffff : hmm_dmirror', 'fcf0000000-fcffffffff : hmm_dmirror']);
    expect(load.log).toEqual([
      'added new 256 MB chunk (total 1 chunks, 256 MB) PFNs [0xfcf0000 0xfd00000)',
      'added new 256 MB chunk (total 1 chunks, 256 MB) PFNs [0xfce0000 0xfcf0000)',
      'HMM test module loaded. This is only for testing HMM.',
    ]);
    expect(run(m, 'modprobe test-hmm')).toMatchObject({ exitCode: 0, log: [] });
    expect(chunks(m)).toHaveLength(2);
    expect(run(m, 'rmmod test_hmm').exitCode).toBe(0);
    expect(chunks(m)).toEqual([]);
    expect(run(m, 'rmmod test_hmm')).toMatchObject({
      exitCode: 1,
      output: "rmmod: can't unload module 'test_hmm': No such file or directory\n",
    });
    run(m, 'modprobe test_hmm');
    expect(chunks(m)).toEqual(['fce0000000-fcefffffff : hmm_dmirror', 'fcf0000000-fcffffffff : hmm_dmirror']);
  });

  it("on Debian's kernel: not in modules.dep, nothing to unload", () => {
    const m = createModel(profile('host'));
    for (const line of ['modprobe test_hmm', 'modprobe -r test_hmm'])
      expect(run(m, line)).toMatchObject({
        exitCode: 1,
        output: 'modprobe: module test_hmm not found in modules.dep\n',
      });
    expect(run(m, 'rmmod test_hmm')).toMatchObject({
      exitCode: 1,
      output: "rmmod: can't unload module 'test_hmm': No such file or directory\n",
    });
    expect(chunks(m)).toEqual([]);
  });

  it('a DIMM QEMU plugs over a chunk adds no memory: the region request warns, ACPI takes -EEXIST quietly', () => {
    const m = createModel(profile({ preset: 'hmm' }));
    run(m, 'modprobe test_hmm');
    const blocks = m.snapshot().memoryBlocks.length;
    m.apply({ kind: 'object-add', id: 'hp1', qomType: 'memory-backend-ram', size: 2 ** 28 });
    const plug = m.apply({ kind: 'device-add', driver: 'pc-dimm', id: 'dimm1', memdev: 'hp1', addr: 0xfce0000000 });
    expect(plug.exitCode).toBe(0);
    expect(plug.log).toEqual([
      'resource: Unaddressable device hmm_dmirror [mem 0xfce0000000-0xfcefffffff]' +
        ' conflicts with [mem 0xfce0000000-0xfcefffffff]',
    ]);
    expect(m.snapshot().memoryBlocks).toHaveLength(blocks);
  });

  it('only modules the model follows are in the vocabulary', () => {
    expect(parseConsoleLine('modprobe kmem')).toMatchObject({ kind: 'unknown' });
    expect(parseConsoleLine('rmmod -f test_hmm')).toMatchObject({ kind: 'unknown' });
    expect(parseConsoleLine('modprobe -r test_hmm')).toMatchObject({ action: { op: 'unload', tool: 'modprobe' } });
  });
});
