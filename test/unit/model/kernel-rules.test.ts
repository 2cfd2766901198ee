// The kernel rule sets (src-shared/model/kernel-rules.ts): one table, asked for
// capabilities, and each rule set doing what docs/model.md "Kernel-version
// what-if" says of it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createModel,
  DEFAULT_KERNEL_RULES,
  KERNEL_RULE_IDS,
  KERNEL_RULES,
  type KernelRules,
} from '../../../src-shared/model';
import { KernelRulesSchema } from '../../../src-shared/api/contract';
import { ProfileSchema } from '../../../src-shared/profile/schema';
import { parseConsoleLine } from '../../../src-shared/actions';

const ROOT = join(import.meta.dirname, '../../..');
const MODEL = join(ROOT, 'src-shared/model');

const NVDIMM = {
  name: 'x',
  memory: { size: '2G', slots: 4, maxmem: '8G' },
  nvdimms: [{ id: 'nv', size: '1G', labels: '128K' }],
};

function run(rules: KernelRules, lines: string[]) {
  const m = createModel(ProfileSchema.parse(NVDIMM), { kernel: rules });
  const results = lines.map((line) => {
    const p = parseConsoleLine(line);
    if (p.kind !== 'action') throw new Error(p.reason);
    return m.apply(p.action);
  });
  return { m, results };
}

describe('kernel rule sets', () => {
  it('are one table: the contract takes its ids, 6.1 first and the default', () => {
    expect(KERNEL_RULE_IDS).toEqual(['6.1', '5.3', '5.1', '5.0']);
    expect(KernelRulesSchema.options).toEqual(KERNEL_RULE_IDS);
    expect(DEFAULT_KERNEL_RULES).toBe('6.1');
    for (const id of KERNEL_RULE_IDS) expect(KERNEL_RULES[id].id).toBe(id);
    expect(KERNEL_RULES['6.1'].label).toBe("6.1 (the guest's)");
  });

  it('the model asks for capabilities and never compares a version', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    const compares = /\b(rules|id|kernel)\b[\w.]*\s*[!=]==?\s*['"`]\d+\.\d+|['"`]\d+\.\d+['"`]\s*[!=]==?/;
    const offenders = files(MODEL)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('kernel-rules.ts'))
      .filter((f) => compares.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  // docs/model.md "Kernel-version what-if", rule set by rule set.
  const KMEM = [
    'ndctl create-namespace -f -e namespace0.0 -m devdax',
    'daxctl reconfigure-device --mode=system-ram dax0.0',
  ];
  const expected: Record<KernelRules, { kmem: string | null; removes: boolean; subsections: boolean }> = {
    '6.1': { kmem: 'System RAM (kmem)', removes: true, subsections: true },
    '5.3': { kmem: 'System RAM', removes: true, subsections: true },
    '5.1': { kmem: 'System RAM', removes: false, subsections: false },
    '5.0': { kmem: null, removes: false, subsections: false },
  };

  for (const id of KERNEL_RULE_IDS) {
    const want = expected[id];
    const kmemDoes = want.kmem ? `nests "${want.kmem}" under dax0.0` : 'fails';
    it(`${id}: kmem ${kmemDoes}; back to devdax ${want.removes ? 'removes it' : 'keeps it'}`, () => {
      const { m, results } = run(id, [...KMEM, 'daxctl reconfigure-device --mode=devdax -f dax0.0']);
      const [ns, kmem, back] = results;
      expect(ns!.exitCode).toBe(0);
      if (!want.kmem) {
        // the kernel logs why; daxctl says only that the device would not enable
        expect(kmem!.log.join('\n')).toMatch(/could not reserve region: conflicts with Persistent Memory/);
        expect(kmem!.output).toMatch(/daxctl_dev_enable: dax0.0: failed to enable/);
        expect(kmem!.exitCode).toBe(256 - 17);
        return;
      }
      expect(kmem!.exitCode).toBe(0);
      const nested = `  108000000-13fffffff : dax0.0\n    108000000-13fffffff : ${want.kmem}\n`;
      expect(run(id, KMEM).m.snapshot().iomem).toContain(nested);
      expect(back!.exitCode === 0, back!.output).toBe(want.removes);
      expect(m.snapshot().iomem.includes(nested)).toBe(!want.removes);
    });

    it(`${id}: a devdax namespace that shares a 128 MiB section is ${want.subsections ? 'taken' : 'refused'}`, () => {
      const { m, results } = run(id, [
        'ndctl disable-region region0',
        'ndctl init-labels -f all',
        'ndctl enable-region region0',
        'ndctl create-namespace -r region0 -m devdax -s 64M',
        'ndctl create-namespace -r region0 -m devdax -s 48M',
        'ndctl create-namespace -r region0 -m devdax -s 32M',
      ]);
      const second = results[4]!;
      expect(second.exitCode === 0, second.output).toBe(want.subsections);
      if (want.subsections) return;
      // libndctl and ndctl word the refusal as for any probe failure (seen in ns-autorecover), and
      // ndctl's autorecover gives the seed back at size 0, so the next create finds it again.
      expect(second.output).toBe(
        'libndctl: ndctl_dax_enable: dax0.1: failed to enable\n  Error: namespace0.1: failed to enable\n\n' +
          'failed to create namespace: No such device or address\n',
      );
      expect(second.exitCode).toBe(237);
      expect(results[5]!.output).toContain('namespace0.1: failed to enable');
      const namespaces = m.snapshot().nd.namespaces.map((n) => [n.name, n.size, n.holder ?? '']);
      expect(namespaces).toEqual([
        ['namespace0.0', 64 * 2 ** 20, 'dax0.0'],
        ['namespace0.1', 0, ''],
      ]);
    });
  }
});
