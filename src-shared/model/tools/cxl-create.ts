// `cxl create-region` (ndctl 76.1 cxl/region.c): the options checked first
// (a refusal there exits 1), then the region built through sysfs one write at
// a time, each failure logged as cxl logs it and the half-built region
// deleted. cxl prints its log on stderr, then the region's JSON on stdout.
import type { Action } from '../../actions/types';
import { parseSize } from '../../units';
import type { CxlBus, CxlMemdev, CxlRootDecoder } from '../kernel/cxl/bus';
import {
  createPmemRegion,
  cxlBus,
  decoderSetDpaSize,
  decoderSetMode,
  regionAttach,
  regionCommit,
  regionDelete,
  regionEnable,
  regionSetGranularity,
  regionSetSize,
  regionSetWays,
} from '../kernel/cxl/region';
import { EINVAL, ENOSPC, ENXIO, EOPNOTSUPP, KernelError, strerror } from '../kernel/errno';
import type { Kernel } from '../kernel/state';
import { why, type Why } from '../why';
import { cxlRegionJson } from './cxl-json';
import { assertLabelsFollowed, cxlLog, maxAvailableExtent, memdevMatches } from './cxl-shared';
import { jsonC } from './json-c';
import { ToolFailure } from './failure';

type Create = Extract<Action, { kind: 'cxl-create-region' }>;

const SZ_256M = 256 * 2 ** 20;
const REGION_C = 'ndctl cxl/region.c';

/** A refusal while parsing the options: cxl exits EXIT_FAILURE. */
const LIBCXL_SET_SIZE = 'ndctl cxl/lib/libcxl.c:cxl_region_set_size';

function refuse(fn: string, message: string, rule: Why, errno = EINVAL): never {
  const out = cxlLog(fn, message) + cxlLog('cmd_create_region', 'created 0 regions');
  throw new ToolFailure('cxl', out, errno, rule);
}

/**
 * A failure inside create_region: cxl logs it and still exits 0, since region_action overwrites the rc with
 * that of its walk over the existing regions (ndctl 76.1).
 */
function softFail(fn: string, message: string, rule: Why, errno: number): never {
  const out = cxlLog(fn, message) + cxlLog('cmd_create_region', 'created 0 regions');
  throw new ToolFailure('cxl-soft', out, errno, rule);
}

/** The memdevs below the root decoder that the filter names, in the filter's order (collect_memdevs). */
function collectMemdevs(bus: CxlBus, root: CxlRootDecoder | undefined, names: string[]): CxlMemdev[] {
  if (!root) return [];
  if (!names.length) return bus.memdevs;
  const pos = (m: CxlMemdev) => names.findIndex((n) => memdevMatches(m, n));
  return bus.memdevs.filter((m) => pos(m) >= 0).sort((a, b) => pos(a) - pos(b));
}

export function createRegion(k: Kernel, a: Create): string {
  const bus = cxlBus(k);
  const src = (fn: string) => `${REGION_C}:${fn}`;
  if (!a.decoder)
    refuse(
      'parse_create_options',
      'no root decoder specified',
      why('-d names the root decoder', src('parse_create_options')),
    );
  if (a.targets.length && !a.memdevsFlag)
    refuse(
      'parse_create_options',
      'must specify option for target object types (-m)',
      why('targets on the line need -m', src('parse_create_options')),
    );
  const root = bus.roots.find((r) => r.name === a.decoder);
  // cxl's to_csv: each target may itself be a space- or comma-separated list
  const names = a.targets.flatMap((t) => t.split(/[ ,]/)).filter(Boolean);
  const memdevs = collectMemdevs(bus, root, names);
  const count = names.length;
  if (!memdevs.length)
    refuse(
      'collect_memdevs',
      `no active memdevs found: decoder: ${a.decoder} filter: ${count ? names.join(',') : 'none'}`,
      why(`no memdev named on the line sits below ${a.decoder}`, src('collect_memdevs')),
      ENXIO,
    );
  const type = a.type ?? 'pmem';
  if (type !== 'pmem' && type !== 'ram')
    refuse(
      'parse_create_options',
      `unsupported type: ${type}`,
      why('-t takes pmem or ram', src('parse_create_options')),
    );
  const size = a.size === undefined ? 0 : parseSize(a.size);
  if (size === undefined)
    refuse('parse_create_options', `Invalid size: ${a.size}`, why('-s takes a size', src('parse_create_options')));
  const ways = a.ways ?? (count || memdevs.length);
  if (a.ways !== undefined && a.ways <= 0)
    refuse(
      'parse_create_options',
      `Invalid interleave ways: ${a.ways}`,
      why('-w is positive', src('parse_create_options')),
    );
  if (ways > memdevs.length || (count && ways !== memdevs.length)) {
    const more = ways > memdevs.length ? 'greater' : 'less';
    refuse(
      'validate_ways',
      `Interleave ways ${ways} is ${more} than number of memdevs ${count ? 'specified' : 'found'}: ${memdevs.length}`,
      why('the interleave ways are the number of memdevs', src('validate_ways')),
    );
  }
  if (a.granularity !== undefined && a.granularity <= 0)
    refuse(
      'parse_create_options',
      `Invalid interleave granularity: ${a.granularity}`,
      why('-g is positive', src('parse_create_options')),
    );
  if (size && size % ways)
    refuse(
      'parse_create_options',
      `size (${size}) is not an integral multiple of interleave-ways (${ways})`,
      why('each way takes an equal share', src('parse_create_options')),
    );
  return build(k, bus, root!, memdevs.slice(0, ways), { size: size, ways, granularity: a.granularity, type });
}

function build(
  k: Kernel,
  bus: CxlBus,
  root: CxlRootDecoder,
  memdevs: CxlMemdev[],
  p: { size: number; ways: number; granularity?: number; type: string },
): string {
  const src = (fn: string) => `${REGION_C}:${fn}`;
  const minSize = Math.min(...memdevs.map((m) => m.pmemSize));
  let size = p.size || minSize * p.ways;
  const extent = maxAvailableExtent(bus, root);
  if (p.size && size > extent)
    softFail(
      'create_region',
      `${root.name}: region size 0x${size.toString(16)} exceeds max available space`,
      why(`the largest free extent of ${root.name} is ${extent / 2 ** 20} MiB`, src('create_region')),
      ENOSPC,
    );
  if (size > extent) size = Math.floor(extent / (SZ_256M * p.ways)) * SZ_256M * p.ways;
  if (p.type === 'ram')
    softFail(
      'create_region',
      "region type 'ram' not supported yet",
      why('ndctl 76.1 creates pmem regions only (and 6.1 has no create_ram_region)', src('create_region')),
      EOPNOTSUPP,
    );
  assertLabelsFollowed(memdevs);
  const region = createPmemRegion(k, root);
  const name = `region${region.id}`;
  /** one sysfs write; its failure logged in create_region's words, then the region deleted (cxl_region_delete) */
  const step = (message: (error: string) => string, work: () => void) => {
    try {
      work();
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      regionDelete(k, region);
      softFail('create_region', message(strerror(e.errno)), e.why, e.errno);
    }
  };
  // the root decoder's granularity unless -g; under a 1-way root any -g (cxl_region_determine_granularity)
  const granularity = p.granularity ?? root.granularity;
  step(
    (e) => `${name}: set_interleave_granularity failed: ${e}`,
    () => regionSetGranularity(region, granularity),
  );
  step(
    (e) => `${name}: set_interleave_ways failed: ${e}`,
    () => regionSetWays(region, p.ways),
  );
  step(
    (e) => `${name}: set_size failed: ${e}`,
    () => {
      // a full window leaves size 0 (aligned down above); libcxl will not write 0, which would free the range
      if (size === 0) throw new KernelError(EINVAL, why('libcxl refuses to set a region size of 0', LIBCXL_SET_SIZE));
      regionSetSize(region, size);
    },
  );
  for (const [i, m] of memdevs.entries()) {
    if (m.decoder.size !== 0) {
      regionDelete(k, region);
      softFail(
        'cxl_memdev_find_decoder',
        `could not get a free decoder for ${m.name}`,
        why(`${m.decoder.name}, ${m.name}'s only decoder, decodes a region already`, src('cxl_memdev_find_decoder')),
        ENXIO,
      );
    }
    const dpa = (bytes: number) =>
      step(
        (e) => `${m.decoder.name}: set_dpa_size failed: ${e}`,
        () => decoderSetDpaSize(m, bytes),
      );
    // a decoder in another mode gets no capacity and the region's mode first
    if (m.decoder.mode !== 'pmem') {
      dpa(0);
      step(
        (e) => `${m.decoder.name}: set_mode failed: ${e}`,
        () => decoderSetMode(m, 'pmem'),
      );
    }
    dpa(size / p.ways);
    step(
      () => `${name}: failed to set target${i} to ${m.name}`,
      () => regionAttach(bus, region, i, m),
    );
  }
  step(
    (e) => `${name}: failed to commit decode: ${e}`,
    () => regionCommit(region),
  );
  step(
    (e) => `${name}: failed to enable: ${e}`,
    () => regionEnable(k, region),
  );
  return (
    cxlLog('cmd_create_region', 'created 1 region') + jsonC(cxlRegionJson(region, bus, { human: false, targets: true }))
  );
}
