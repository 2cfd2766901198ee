// ndctl's checks of create-namespace's options before it writes anything
// (ndctl/namespace.c validate_namespace_options, check_dax_align): the size
// against label-less regions and the region align, the pfn/dax align against
// what the kernel supports, and -M/--map.
import type { Action } from '../../actions/types';
import { formatSize, hex } from '../../units';
import { EINVAL, ENODEV, ENXIO, strerror } from '../kernel/errno';
import type { Namespace, NsMode } from '../kernel/namespace';
import { PFN_SUPPORTED_ALIGNMENTS, type PfnMap } from '../kernel/pfn';
import { regionName, type Region } from '../kernel/region';
import { why, type Why } from '../why';
import type { ToolFailure } from './failure';
import { ndctlFailure } from './ndctl';

type Create = Extract<Action, { kind: 'create-namespace' }>;

const PAGE = 4096;
const SZ_16M = 16 * 2 ** 20;
const SOURCE = 'ndctl/namespace.c:validate_namespace_options';
const UNITS: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/**
 * How create-namespace ends on a failure (cmd_create_namespace): each message as
 * ndctl's error() prints it; messages from err() are counted and stand alone,
 * otherwise "failed to create|reconfigure namespace: <strerror>" follows and a
 * failed create exits with -ENODEV whatever the cause.
 */
export function createFailure(
  a: Pick<Create, 'reconfig'>,
  messages: string[],
  errno: number,
  rule: Why,
  counted = false,
): ToolFailure {
  const lines = messages.map((m) => `  Error: ${counted ? 'create namespace: ' : ''}${m}\n\n`).join('');
  if (counted) return ndctlFailure(lines, errno, rule);
  const tail = `failed to ${a.reconfig ? 'reconfigure' : 'create'} namespace: ${strerror(errno)}\n`;
  return ndctlFailure(lines + tail, a.reconfig ? errno : ENODEV, rule);
}

/** The size against a label-less region and the region's align (validate_namespace_options). */
export function validateSize(region: Region, size: number, a: Create): void {
  if (!region.labelled && size !== region.size) {
    const rule =
      'a region without a label index has exactly one namespace covering all of it' +
      ' (ndctl writes labels itself only when no size is asked for)';
    const messages = [
      'Legacy / label-less namespaces do not support sub-dividing a region',
      'Retry without -s/--size=',
    ];
    throw createFailure(a, messages, EINVAL, why(rule, SOURCE));
  }
  if (Number.isNaN(size) || size % region.align !== 0) {
    const message = `${regionName(region)}: align setting is ${hex(region.align)} size ${hex(size || 0)} is misaligned`;
    const rule = `namespace sizes must be multiples of the region's align (${hex(region.align)})`;
    throw createFailure(a, [message], EINVAL, why(rule, SOURCE), true);
  }
}

/**
 * The pfn/dax device's align and map: -a must be one of the kernel's supported
 * alignments for fsdax/devdax; without -a a reconfigured namespace keeps its
 * own, else the pfn/dax seed's (a page for raw, or when the region does not
 * start on it); the size must be a multiple of it. -M on a raw namespace is refused.
 */
export function pfnOptions(
  region: Region,
  target: Namespace | undefined,
  mode: NsMode,
  size: number,
  a: Create,
): { align: number; map: PfnMap } {
  const pfnMode = mode === 'fsdax' || mode === 'devdax';
  let align: number;
  if (a.align !== undefined) {
    if (!pfnMode) {
      const rule = 'only fsdax and devdax namespaces have an alignment';
      throw createFailure(a, [`${mode} mode does not support setting an alignment`], ENXIO, why(rule, SOURCE));
    }
    const supported = PFN_SUPPORTED_ALIGNMENTS;
    if (!supported.includes(a.align)) {
      const rule = `the kernel supports the alignments ${supported.map(formatSize).join(', ')} for ${mode}`;
      const source = 'drivers/nvdimm/pfn_devs.c:nd_pfn_supported_alignments';
      throw createFailure(a, [`unsupported align: ${formatSize(a.align)}`], ENXIO, why(rule, source));
    }
    align = a.align;
  } else if (target && target.size > 0 && target.mode === mode) {
    // the same mode again keeps the align of the namespace's pfn or dax device, or a page without one
    // (an unclaimed legacy namespace is already fsdax to ndctl)
    align = pfnMode && target.holder !== undefined ? target.align : PAGE;
  } else {
    // the seed's align: the default, or what an earlier failed create left in it
    align = mode === 'devdax' ? region.daxSeed.align : mode === 'fsdax' ? region.pfnSeed.align : PAGE;
    if (region.start % align !== 0) align = PAGE;
  }
  if (size % align !== 0) {
    const rule = `the size must be a multiple of the ${mode} align (${hex(align)})`;
    // ndctl suggests the next multiple of max(unit, align), in the unit -s was written in
    const unit = UNITS[a.sizeUnit ?? ''] ?? 1;
    const step = Math.max(unit, align);
    const hint = `${((Math.floor(size / step) + 1) * step) / unit}${a.sizeUnit ?? ''}`;
    const message =
      `'--size=' must align to interleave-width: 1 and alignment: ${align}\n` + `did you intend --size=${hint}?`;
    throw createFailure(a, [message], EINVAL, why(rule, SOURCE), true);
  }
  if (size < SZ_16M && mode !== 'raw') {
    const rule = 'fsdax and devdax namespaces are at least 16 MiB (nd_namespace_store)';
    throw createFailure(a, [`'--size=' must be >= 16MiB for '${mode}' mode`], EINVAL, why(rule, SOURCE));
  }
  if (a.map && target && !pfnMode) {
    const rule = 'only fsdax and devdax namespaces have a page map to place';
    const message = `${a.reconfig}: --map= only valid for fsdax mode namespace`;
    throw createFailure(a, [message], EINVAL, why(rule, SOURCE), true);
  }
  return { align, map: a.map ?? 'dev' };
}

/** check_dax_align: an fsdax/devdax namespace must start on 16 MiB unless --force. */
export function checkDaxAlign(ns: Namespace, name: string, a: Create): void {
  if (ns.mode === 'raw' || a.force || ns.start % SZ_16M === 0) return;
  const rule = 'ndctl wants fsdax/devdax namespaces to start on 16 MiB (override with --force)';
  const message = `${name} misaligned to 16M, adjust region alignment and retry`;
  throw createFailure(a, [message], EINVAL, why(rule, 'ndctl/namespace.c:check_dax_align'));
}
