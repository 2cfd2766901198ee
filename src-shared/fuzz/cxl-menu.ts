// CXL steps for the fuzzer: create-region on a root decoder (now and then a
// size, granularity or type cxl or the kernel refuses), enable, disable and
// destroy of a region, and `cxl list` in the forms the model predicts.
// Disabling or destroying with --force is drawn only for a region whose nd
// region holds no namespace with capacity, since the model stops following a
// region unbound under kmem or re-created over namespace labels
// (docs/model.md "CXL").
import type { Step } from '../scenario/schema';
import type { Rng } from './prng';
import type { GenState } from './step-menu';

const run = (line: string): Step => ({ run: line });

export function cxlCreateRegion(rng: Rng, s: GenState): Step[] {
  const cxl = s.snap.cxl!;
  const root = rng.pick(cxl.decoders.filter((d) => d.kind === 'root'));
  const memdev = rng.pick(cxl.memdevs);
  const size = rng.weighted([
    ['', 8],
    [' -s 256M', 2],
    [' -s 512M', 1],
    [' -s 1G', 1],
    [' -s 128M', 0.5],
    [' -s 64G', 0.5],
  ] as const);
  const granularity = rng.weighted([
    ['', 8],
    [' -g 512', 1],
    [' -g 4096', 1],
    [' -g 300', 0.5],
  ] as const);
  const type = rng.weighted([
    [' -t pmem', 3],
    ['', 3],
    [' -t ram', 0.3],
  ] as const);
  return [run(`cxl create-region -d ${root.name}${type} -m ${memdev.name}${size}${granularity}`)];
}

/** The region's nd region holds no namespace with capacity: unbinding it loses nothing the model cannot follow. */
function idle(s: GenState, region: string): boolean {
  return !s.snap.nd.namespaces.some((n) => n.region === region && n.size > 0);
}

export function cxlRegionOp(rng: Rng, s: GenState): Step[] {
  const r = rng.pick(s.snap.cxl!.regions);
  const ops = [
    [`cxl destroy-region ${r.name}`, 1],
    [`cxl ${r.enabled ? 'disable' : 'enable'}-region ${r.name}`, idle(s, r.name) ? 2 : 0],
    [`cxl destroy-region -f ${r.name}`, idle(s, r.name) ? 2 : 0],
  ] as const;
  return [run(rng.weighted(ops))];
}

/** The lists and the filters the model follows (tools/cxl-list.ts), on the objects there are. */
export function cxlList(rng: Rng, s: GenState): Step[] {
  const cxl = s.snap.cxl!;
  const root = rng.pick(cxl.decoders.filter((d) => d.kind === 'root'));
  const region = cxl.regions.length ? rng.pick(cxl.regions).name : 'region0';
  const options = rng.pick([
    '',
    ' -M',
    ' -Mu',
    ' -D',
    ' -Di',
    ' -DT',
    ' -R',
    ' -Ri',
    ' -RT',
    ' -Ru',
    ' -BP',
    ' -PEDi',
    ' -BDR',
    ' -v',
    ' -vv',
    ` -m ${rng.pick(cxl.memdevs).name}`,
    ` -d ${root.name} -R`,
    ` -d ${rng.pick(['root', 'switch', 'endpoint'])} -i`,
    ` -r ${region} -Di`,
  ]);
  return [run(`cxl list${options}`)];
}

/** Weights: a region to create while an endpoint decoder is free (and now and then when none is). */
export function cxlMenu(s: GenState): [(rng: Rng, s: GenState) => Step[], number][] {
  const cxl = s.snap.cxl;
  if (!cxl?.memdevs.length) return [];
  const free = cxl.decoders.some((d) => d.kind === 'endpoint' && d.size === 0);
  return [
    [cxlCreateRegion, free ? 3 : 0.4],
    [cxlRegionOp, cxl.regions.length ? 2 : 0],
    [cxlList, 1],
  ];
}
