// The fuzz generators: the same seed draws the same scenarios, every profile
// passes validation, and every step is one the action vocabulary reads (or a
// read-only command, which the model treats as a no-op).
import { describe, expect, it } from 'vitest';
import { parseConsoleLine, parseQmpCommand } from '../../../src-shared/actions';
import { mulberry32, scenarioSeed } from '../../../src-shared/fuzz/prng';
import { DEFAULT_RAM_MAX, generateProfile, RAM_SIZES } from '../../../src-shared/fuzz/profile-gen';
import { generateSteps, stepKind } from '../../../src-shared/fuzz/step-gen';
import { validateProfile } from '../../../src-shared/profile/validate';
import { applyStep, startModel } from '../../../src-shared/scenario/apply';
import type { Step } from '../../../src-shared/scenario/schema';
import { GiB, MiB } from '../../../src-shared/units';

const draw = (seed: number, i: number, opts = {}) => {
  const rng = mulberry32(scenarioSeed(seed, i));
  const g = generateProfile(rng, `fuzz-${seed}-${i}`, opts);
  return { ...g, steps: generateSteps(rng, g.profile, 8) };
};
const SCENARIOS = Array.from({ length: 150 }, (_, i) => draw(7, i));

describe('fuzz generators', () => {
  it('draw the same profiles and steps for the same seed, other ones for another seed', () => {
    expect(draw(42, 3)).toEqual(draw(42, 3));
    expect(JSON.stringify(draw(42, 3))).not.toEqual(JSON.stringify(draw(43, 3)));
    // scenario i does not depend on how many come before it
    expect(scenarioSeed(42, 3)).not.toBe(scenarioSeed(42, 4));
  });

  it('draw only profiles the validation accepts, within the RAM sizes asked for', () => {
    for (const { input, profile } of SCENARIOS) {
      expect(validateProfile(input).ok, JSON.stringify(input)).toBe(true);
      expect(profile.memory.size).toBeLessThanOrEqual(DEFAULT_RAM_MAX + 126 * MiB);
    }
    const big = Array.from({ length: 60 }, (_, i) => draw(7, i, { ramSizes: RAM_SIZES.filter((s) => s >= 64 * GiB) }));
    expect(big.every((g) => g.profile.memory.size >= 64 * GiB)).toBe(true);
    // a refusal beyond the schema (as a host-capacity check would) is respected
    const small = generateProfile(mulberry32(1), 'x', { refuse: (p) => (p.nvdimms.length ? 'no' : undefined) });
    expect(small.profile.nvdimms).toEqual([]);
  });

  it('cover the topologies the issue names', () => {
    const profiles = SCENARIOS.map((s) => s.profile);
    for (const machine of ['pc', 'q35']) {
      const split = (p: (typeof profiles)[number]) => p.memory.size >= (machine === 'pc' ? 3.5 : 2.75) * GiB;
      const on = profiles.filter((p) => p.machine === machine);
      expect(on.some(split) && on.some((p) => !split(p)), machine).toBe(true);
    }
    expect(profiles.some((p) => p.numa?.some((n) => n.cpus.length === 0 && n.memory > 0))).toBe(true);
    expect(profiles.some((p) => p.numa?.some((n) => n.cpus.length === 0 && n.memory === 0))).toBe(true);
    expect(profiles.some((p) => p.numa && new Set(p.numa.map((n) => n.memory)).size > 1)).toBe(true);
    for (const n of [0, 1, 2, 3, 4]) expect(profiles.some((p) => p.nvdimms.length === n)).toBe(true);
    expect(profiles.some((p) => p.nvdimms.some((d) => d.labels === 'none'))).toBe(true);
    expect(profiles.some((p) => p.nvdimms.some((d) => d.labels !== 'none'))).toBe(true);
    expect(profiles.some((p) => p.kernelArgs.some((a) => a.startsWith('memmap=')))).toBe(true);
    expect(profiles.some((p) => p.kernelArgs.some((a) => !a.startsWith('memmap=')))).toBe(true);
    expect(profiles.some((p) => p.memory.slots === undefined)).toBe(true);
    for (const n of [0, 1, 2]) expect(profiles.some((p) => p.virtioMem.length === n)).toBe(true);
    const vmem = profiles.flatMap((p) => p.virtioMem);
    expect(vmem.some((d) => d.requestedSize === 0) && vmem.some((d) => d.requestedSize === d.size)).toBe(true);
    expect(vmem.some((d) => d.requestedSize > 0 && d.requestedSize < d.size)).toBe(true);
    expect(vmem.some((d) => d.size % (128 * MiB) !== 0)).toBe(true);
    expect(SCENARIOS.some((s) => s.steps.some((st) => 'qmp' in st && st.qmp.execute === 'qom-set'))).toBe(true);
    const cxl = profiles.filter((p) => p.cxl);
    expect(cxl.every((p) => p.machine === 'q35' && p.cxl!.devices.length === 1)).toBe(true);
    for (const n of [1, 2]) expect(cxl.some((p) => p.cxl!.windows.length === n)).toBe(true);
  });

  it('draw CXL region steps the model follows to the end', () => {
    const withCxl = Array.from({ length: 200 }, (_, i) => {
      const rng = mulberry32(scenarioSeed(11, i));
      const g = generateProfile(rng, `fuzz-11-${i}`);
      return g.profile.cxl ? { profile: g.profile, steps: generateSteps(rng, g.profile, 30) } : undefined;
    }).filter((s) => s !== undefined);
    expect(withCxl.length).toBeGreaterThan(10);
    const kinds = new Set(withCxl.flatMap((s) => s.steps.map(stepKind)));
    for (const k of ['cxl-create-region', 'cxl-region', 'cxl list']) expect(kinds).toContain(k);
    for (const { profile, steps } of withCxl) {
      const start = startModel(profile);
      if (!start.ok) throw new Error(start.outOfSync);
      for (const step of steps) {
        const r = applyStep(start.model, step);
        expect(r.ok, JSON.stringify(step)).toBe(true);
        // every cxl list drawn is one the model predicts, so the fuzzer compares its output
        if (r.ok && stepKind(step) === 'cxl list') expect(r.result.output, JSON.stringify(step)).toBeDefined();
      }
    }
  });

  it('draw steps the vocabulary reads, meaningful ones and failing ones', () => {
    const steps: Step[] = SCENARIOS.flatMap((s) => s.steps);
    for (const step of steps) {
      const parsed = 'run' in step ? parseConsoleLine(step.run) : 'qmp' in step ? parseQmpCommand(step.qmp) : null;
      expect(parsed?.kind, JSON.stringify(step)).toBe('action');
    }
    const kinds = new Set(steps.map(stepKind));
    for (const k of ['create-namespace', 'reconfigure-device', 'block-state', 'object-add', 'device-add', 'ndctl list'])
      expect(kinds).toContain(k);
    expect([...kinds].some((k) => k.startsWith('read '))).toBe(true);
    // a dax device is reconfigured only after a namespace in devdax mode made one, in most scenarios
    const reconfig = SCENARIOS.filter((s) => s.steps.some((x) => 'run' in x && /reconfigure-device/.test(x.run)));
    expect(reconfig.length).toBeGreaterThan(10);
    // device_add follows the object-add of its backend
    for (const { steps: ss } of SCENARIOS)
      ss.forEach((x, i) => {
        const memdev = 'qmp' in x && x.qmp.execute === 'device_add' ? x.qmp.arguments?.memdev : 'absent-mem';
        if (memdev !== 'absent-mem')
          expect(ss.slice(0, i).some((y) => 'qmp' in y && y.qmp.arguments?.id === memdev)).toBe(true);
      });
  });
});
