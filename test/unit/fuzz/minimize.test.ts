// The minimizer's delta debugging, driven by a fake trial (production runs
// each candidate on a real guest): it keeps the diverging step last, drops
// the steps that do not matter, simplifies the profile, accepts a candidate
// only when the same divergence remains, and stays within its budget.
import { describe, expect, it } from 'vitest';
import type { Divergence } from '../../../src-shared/fuzz/divergence';
import { minimize, type Candidate } from '../../../src-shared/fuzz/minimize';
import { stepKind } from '../../../src-shared/fuzz/step-gen';
import type { ProfileInput } from '../../../src-shared/profile/schema';
import type { Step } from '../../../src-shared/scenario/schema';

const BLOCK = '/sys/devices/system/memory';
const steps: Step[] = [
  { run: 'ndctl list -R' },
  { run: 'ndctl create-namespace -r region0 -m devdax' },
  { run: `echo offline > ${BLOCK}/memory3/state` },
  { qmp: { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id: 'hp1', size: 134217728 } } },
  { run: `echo online > ${BLOCK}/memory40/state` },
  { run: 'cat /proc/iomem' },
  { run: 'daxctl reconfigure-device -m system-ram dax0.0' },
];
const profile: ProfileInput = {
  name: 'fuzz-1-0',
  cpus: 3,
  memory: { size: '6G', slots: 4, maxmem: '12G' },
  numa: [
    { node: 0, cpus: [0, 1, 2], memory: '4G' },
    { node: 1, cpus: [], memory: '2G' },
  ],
  nvdimms: [
    { id: 'nvdimm0', size: '1G', labels: '128K', node: 1 },
    { id: 'nvdimm1', size: '512M', labels: 'none', node: 0 },
  ],
  kernelArgs: ['memmap=256M!1G', 'movable_node', 'memhp_default_state=online'],
};
const found: Candidate = { profile, steps };
const target: Divergence = { n: steps.length, kind: stepKind(steps[6]!), classes: ['iomem', 'blocks'] };

/** The divergence needs the namespace step before the reconfigure, and an NVDIMM. */
function fakeGuest(c: Candidate): Divergence[] {
  const last = c.steps[c.steps.length - 1];
  const hasNs = c.steps.slice(0, -1).some((s) => 'run' in s && s.run.includes('create-namespace'));
  // the offline of memory3 makes an earlier, other divergence
  const early = c.steps.findIndex((s) => 'run' in s && s.run.includes('memory3'));
  const out: Divergence[] = [];
  if (early >= 0) out.push({ n: early + 1, kind: 'block-state', classes: ['exit'] });
  if (last && hasNs && c.profile.nvdimms?.length)
    out.push({ n: c.steps.length, kind: stepKind(last), classes: ['iomem', 'blocks'] });
  // without the namespace, the reconfigure diverges otherwise: another divergence, at the same step
  else if (last) out.push({ n: c.steps.length, kind: stepKind(last), classes: ['exit'] });
  return out;
}

const counting = () => {
  const tried: Candidate[] = [];
  const trial = (c: Candidate) => (tried.push(c), Promise.resolve(fakeGuest(c)));
  return { tried, trial };
};

describe('minimize', () => {
  it('keeps the diverging step last, drops the steps that do not matter, simplifies the profile', async () => {
    const { trial, tried } = counting();
    const m = await minimize(found, target, trial, 40);
    expect(m.candidate.steps).toEqual([steps[1], steps[6]]);
    expect(m.candidate.profile).toMatchObject({ kernelArgs: [], cpus: 2, memory: { size: 1024 ** 3 } });
    expect(m.candidate.profile.nvdimms).toHaveLength(1);
    expect(m.candidate.profile.numa).toBeUndefined();
    expect(m.trials).toBe(tried.length);
    expect(m.kept).toBeGreaterThan(0);
    // the minimized candidate still diverges the same way
    expect(fakeGuest(m.candidate)[0]).toMatchObject({ n: 2, classes: ['iomem', 'blocks'] });
  });

  it('never accepts a candidate whose first divergence is another one', async () => {
    const { trial, tried } = counting();
    await minimize(found, target, trial, 40);
    const accepted = tried.filter((c) => fakeGuest(c)[0]?.n === c.steps.length);
    // candidates that kept memory3's offline diverged earlier: tried, never kept
    expect(tried.some((c) => c.steps.some((s) => 'run' in s && s.run.includes('memory3')))).toBe(true);
    expect(accepted.every((c) => !c.steps.some((s) => 'run' in s && s.run.includes('memory3')))).toBe(true);
  });

  it('never accepts the same divergence at an earlier step', async () => {
    const [x, y] = [{ run: 'daxctl reconfigure-device -m system-ram dax1.0' }, steps[6]!];
    const at = (n: number): Divergence => ({ n, kind: 'reconfigure-device', classes: ['iomem'] });
    // y diverges only after x; without movable_node it is x that diverges, the same way
    const trial = (c: Candidate): Promise<Divergence[]> =>
      Promise.resolve(c.steps.length < 2 ? [] : [at(c.profile.kernelArgs?.includes('movable_node') ? 2 : 1)]);
    const m = await minimize({ profile, steps: [x, y] }, at(2), trial, 20);
    expect(m.candidate.steps).toEqual([x, y]);
    expect(m.candidate.profile.kernelArgs).toContain('movable_node');
  });

  it('stays within its budget, and with none returns what it was given', async () => {
    for (const budget of [0, 1, 3]) {
      const { trial, tried } = counting();
      const m = await minimize(found, target, trial, budget);
      expect(tried.length).toBeLessThanOrEqual(budget);
      if (budget === 0) expect(m.candidate).toBe(found);
    }
  });

  it('a divergence at boot is minimized on the profile alone', async () => {
    const boot: Divergence = { n: 0, kind: 'boot', classes: ['iomem'] };
    const trial = (c: Candidate): Promise<Divergence[]> =>
      Promise.resolve(c.profile.kernelArgs?.includes('movable_node') ? [boot] : [{ ...boot, classes: ['nodes'] }]);
    const m = await minimize({ profile, steps: [] }, boot, trial, 20);
    expect(m.candidate.profile.kernelArgs).toEqual(['movable_node']);
    expect(m.candidate.profile.nvdimms).toEqual([]);
    expect(m.candidate.steps).toEqual([]);
  });
});
