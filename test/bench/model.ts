// The model at real scale: a 16 TiB platform (2 GiB of boot RAM, so 128 MiB
// blocks, and 16 TiB of NVDIMM: 131072 block-sized sections, 8M sub-sections),
// onlining 4 TiB of it through kmem, and printing and diffing two
// 100,000-line /proc/iomem trees.
import { createModel } from '../../src-shared/model';
import { ProfileSchema, type Profile } from '../../src-shared/profile/schema';
import { parseConsoleLine } from '../../src-shared/actions';
import { compareSnapshots } from '../../src-shared/compare';
import { createRoot, requestRegion, Resource, requestResourceConflict } from '../../src-shared/model/kernel/resource';
import { printIomem } from '../../src-shared/model/kernel/iomem';
import { emptySnapshot } from '../../src-shared/snapshot/types';
import { median, timeIt } from './stats';

/**
 * 2 GiB of boot RAM (128 MiB blocks) and 16 NVDIMMs of 1 TiB: 16 TiB of persistent memory. qemu64 under TCG
 * addresses 40 bits (1 TiB), so the validation refuses this profile for a guest; the model builds it on a
 * 46-bit CPU, as a `-cpu host` guest on a server would have.
 */
const BIG: Profile = {
  ...ProfileSchema.parse({ name: 'bench-16t', memory: { size: '2G' } }),
  memory: { size: 2 * 2 ** 30, slots: 16, maxmem: (16 * 1024 + 2 + 16 * 2) * 2 ** 30 },
  nvdimms: Array.from({ length: 16 }, (_, i) => ({
    id: `nv${i}`,
    size: 2 ** 40,
    labels: 'none' as const,
    node: 0,
    backing: 'temporary' as const,
  })),
};
const PHYS_BITS = 46;

function act(model: ReturnType<typeof createModel>, line: string): void {
  const p = parseConsoleLine(line);
  if (p.kind !== 'action') throw new Error(p.reason);
  const r = model.apply(p.action);
  if (r.exitCode !== 0) throw new Error(`${line}: ${r.output}`);
}

function bigTree(lines: number, shift: number): Resource {
  const root = createRoot();
  for (let i = 0; i < lines / 2; i++) {
    const start = (i + 1) * 2 ** 30;
    const top = new Resource(start, start + 2 ** 29 - 1, `Persistent Memory`);
    requestResourceConflict(root, top);
    requestRegion(root, start + (i % 7 === 0 ? shift : 0), 2 ** 21, `namespace${i}.0`);
  }
  return root;
}

export interface ModelFigures {
  model_build_16tib_ms: number;
  model_kmem_4tib_ms: number;
  iomem_diff_100k_ms: number;
  subsections: number;
  blocks: number;
}

export async function benchModel(runs: number): Promise<ModelFigures> {
  const build: number[] = [];
  const kmem: number[] = [];
  const diff: number[] = [];
  let subsections = 0;
  let blocks = 0;
  for (let i = 0; i < runs; i++) {
    let model!: ReturnType<typeof createModel>;
    // Build: the platform, all 16 TiB as devdax (ZONE_DEVICE) and the sub-section map over it.
    build.push(
      await timeIt(() => {
        model = createModel(BIG, { physBits: PHYS_BITS });
        for (let n = 0; n < 16; n++) act(model, `ndctl create-namespace -f -e namespace${n}.0 -m devdax`);
        subsections = model.sections().subsectionCount;
      }),
    );
    kmem.push(
      await timeIt(() => {
        for (let n = 0; n < 4; n++) act(model, `daxctl reconfigure-device --mode=system-ram dax${n}.0`);
      }),
    );
    blocks = model.state.kernel.blocks.count;
  }
  // The app prints and diffs the same trees after every step, so the trees are
  // built once and the print+diff is timed repeatedly (the first runs include JIT warm-up).
  const a = bigTree(100_000, 0);
  const b = bigTree(100_000, 2 ** 21);
  for (let i = 0; i < Math.max(runs, 9); i++) {
    diff.push(
      await timeIt(() => {
        const c = compareSnapshots(emptySnapshot(printIomem(a)), emptySnapshot(printIomem(b)));
        if (c.fidelity.total <= c.fidelity.matched) throw new Error('the two trees were meant to differ');
      }),
    );
  }
  return {
    model_build_16tib_ms: Number(median(build).toFixed(1)),
    model_kmem_4tib_ms: Number(median(kmem).toFixed(1)),
    iomem_diff_100k_ms: Number(median(diff).toFixed(1)),
    subsections,
    blocks,
  };
}
