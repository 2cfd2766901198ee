// The model's read-only commands: no-ops for the kernel, outputs predicted
// where the model holds what they read. Expected values are what real guests
// printed (test/fixtures/real/read-only-mix and the runs noted beside them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../../../src-shared/actions';
import { createModel, type KernelModel } from '../../../../src-shared/model';
import { humanSize, kernfsListOrder } from '../../../../src-shared/model/tools/json-c';
import { interleaveSetCookie } from '../../../../src-shared/model/tools/ndctl-json';
import { parseProfileYaml } from '../../../../src-shared/profile/validate';

const ROOT = join(import.meta.dirname, '../../../..');
function model(profile: string): KernelModel {
  const p = parseProfileYaml(readFileSync(join(ROOT, 'qemu-profiles', `${profile}.yaml`), 'utf8'));
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return createModel(p.value);
}
const run = (m: KernelModel, line: string) => {
  const p = parseConsoleLine(line);
  if (p.kind !== 'action') throw new Error(`${line}: ${p.reason}`);
  return m.apply(p.action);
};

describe('read-only commands in the model', () => {
  it('change nothing, whatever they print', () => {
    const m = model('nvdimm-1g-labels');
    run(m, 'ndctl create-namespace -f -e namespace0.0 -m devdax');
    const before = JSON.stringify(m.snapshot());
    for (const line of ['ls /sys', 'ndctl list -RNu', 'daxctl list -M', 'cat /proc/iomem', 'dmesg | tail -3']) {
      expect(run(m, line).exitCode, line).toBe(0);
    }
    expect(JSON.stringify(m.snapshot())).toBe(before);
  });

  it('leave the output unpredicted where the model does not hold what they read', () => {
    const m = model('nvdimm-1g-labels');
    for (const line of ['ls /sys/bus/nd/devices', 'grep kmem /proc/iomem', 'head -2 /proc/meminfo', 'ndctl list -H']) {
      expect(run(m, line).output, line).toBeUndefined();
    }
    expect(run(m, 'cat /sys/devices/system/memory/memory0/state /proc/meminfo').output).toBeUndefined();
  });

  it('cat: the kernel show functions, and busybox refusing a file that is not there', () => {
    const m = model('nvdimm-1g-labels');
    expect(run(m, 'cat /sys/bus/nd/devices/region0/align').output).toBe('0x1000000\n');
    expect(run(m, 'cat /sys/devices/system/memory/memory5/phys_index').output).toBe('00000005\n');
    expect(run(m, 'cat /sys/devices/system/memory/memory0/valid_zones').output).toBe('none\n');
    const missing = run(m, 'cat /sys/devices/system/memory/memory40/state');
    expect(missing.exitCode).toBe(1);
    expect(missing.output).toBe(
      "cat: can't open '/sys/devices/system/memory/memory40/state': No such file or directory\n",
    );
  });

  it('list namespaces in the order libndctl reads them: kernfs name-hash order, reversed', () => {
    // seen: ndctl list -Ni of namespace0.0-0.3 in one region
    const names = ['namespace0.0', 'namespace0.1', 'namespace0.2', 'namespace0.3'];
    expect(kernfsListOrder(names, (n) => n)).toEqual(['namespace0.2', 'namespace0.1', 'namespace0.3', 'namespace0.0']);
  });

  it('print sizes as ndctl --human does', () => {
    expect(humanSize(1073741824)).toBe('1024.00 MiB (1073.74 MB)');
    expect(humanSize(1054867456)).toBe('1006.00 MiB (1054.87 MB)');
    expect(humanSize(16777216)).toBe('16.00 MiB (16.78 MB)');
    expect(humanSize(838860800)).toBe('800.00 MiB (838.86 MB)');
    expect(humanSize(2097152)).toBe(2097152);
  });

  it('compute the interleave-set cookie of the label version ndctl wrote', () => {
    const m = model('nvdimm-1g-labels');
    run(m, 'ndctl create-namespace -f -e namespace0.0 -m devdax');
    const r = m.state.kernel.regions[0]!;
    // seen: autolabel (v1.2) 52512752653219036, init-labels (v1.1) 10248187106440278
    expect(interleaveSetCookie(m.state.kernel, r, '1.2')).toBe(52512752653219036n);
    expect(interleaveSetCookie(m.state.kernel, r, '1.1')).toBe(10248187106440278n);
    expect(run(m, 'ndctl list -R').output).toContain('"iset_id":52512752653219036,');
  });
});
