// Random profiles the profile validation accepts: the pc and q35 machines,
// RAM sizes on both sides of each one's split below 4 GiB, NUMA layouts with uneven and memory-only nodes,
// 0 to 4 NVDIMMs with or without labels, 0 to 2 virtio-mem devices, memmap=
// ranges, hotplug slots and the kernel's memory policy arguments.
import type { ProfileInput } from '../profile/schema';
import { validateProfile } from '../profile/validate';
import type { Profile } from '../profile/schema';
import { GiB, MiB, alignUp, formatSize, parseSize } from '../units';
import type { Rng } from './prng';

/**
 * RAM sizes to draw from. QEMU's pc machine keeps all RAM below 4 GiB up to
 * 3.5 GiB and splits larger RAM at 3 GiB (hw/i386/pc_piix.c: pc_init1); q35
 * keeps it up to 2.75 GiB and splits at 2 GiB (hw/i386/pc_q35.c: pc_q35_init),
 * so sizes cluster there. The large ones need a host that can hold the guest.
 */
export const RAM_SIZES: readonly number[] = [
  ...[512, 768, 1024, 1536, 2048, 2560, 2816, 3072, 3328, 3584, 3840, 4096, 4608, 6144, 8192].map((m) => m * MiB),
  ...[16, 32, 64, 128, 256].map((g) => g * GiB),
];

/** The default draw fits a guest on a small host: up to 8 GiB of RAM. */
export const DEFAULT_RAM_MAX = 8 * GiB;

export interface ProfileGenOptions {
  /** the RAM sizes to draw from (default: RAM_SIZES up to DEFAULT_RAM_MAX) */
  ramSizes?: readonly number[];
  /** refusals beyond the schema (e.g. what this host can hold); a reason refuses */
  refuse?: (p: Profile) => string | undefined;
}

export interface GeneratedProfile {
  /** the profile as a scenario file writes it inline */
  input: ProfileInput;
  profile: Profile;
}

const POLICY_ARGS: readonly string[] = [
  'memhp_default_state=online',
  'memhp_default_state=online_movable',
  'memhp_default_state=online_kernel',
  'memhp_default_state=offline',
  'movable_node',
  'memory_hotplug.memmap_on_memory=1',
];
const NVDIMM_SIZES = [128, 256, 512, 1024, 2048].map((m) => m * MiB);
const LABEL_SIZES = ['none', 'none', '128K', '256K', '1M'] as const;
/** how many NVDIMMs, and how often */
const NVDIMM_COUNTS = [
  [0, 4],
  [1, 4],
  [2, 2],
  [3, 1],
  [4, 1],
] as const;
/** how many virtio-mem devices, and how often */
const VIRTIO_MEM_COUNTS = [
  [0, 6],
  [1, 3],
  [2, 1],
] as const;
/** virtio-mem maxima: whole memory blocks mostly, now and then a size that ends inside one */
const VIRTIO_MEM_SIZES = [128, 256, 512, 1024, 2048].map((m) => m * MiB);
const MAX_TRIES = 50;

/** A profile named `name` that validates, drawn from `rng`. */
export function generateProfile(rng: Rng, name: string, opts: ProfileGenOptions = {}): GeneratedProfile {
  const sizes = opts.ramSizes ?? RAM_SIZES.filter((s) => s <= DEFAULT_RAM_MAX);
  for (let i = 0; i < MAX_TRIES; i++) {
    const input = drawProfile(rng, name, sizes);
    const v = validateProfile(input);
    if (v.ok && !opts.refuse?.(v.value)) return { input, profile: v.value };
  }
  throw new Error(`no valid profile in ${MAX_TRIES} draws: the RAM sizes or the refusals leave none`);
}

const CXL_WINDOW_COUNTS = [
  [1, 3],
  [2, 2],
] as const;
const CXL_WINDOW_SIZES = ['256M', '512M', '1G', '2G', '4G'];
const CXL_DEVICE_SIZES = ['256M', '512M', '1G'];

function drawProfile(rng: Rng, name: string, ramSizes: readonly number[]): ProfileInput {
  // now and then an uneven size: a few 2 MiB pages more than a round one
  const size = rng.pick(ramSizes) + (rng.chance(0.2) ? rng.int(1, 63) * 2 * MiB : 0);
  const machine = rng.chance(0.3) ? 'q35' : 'pc';
  const cpus = rng.weighted([
    [2, 6],
    [1, 2],
    [3, 1],
    [4, 1],
  ] as const);
  const numa = rng.chance(0.4) ? drawNuma(rng, size, cpus) : undefined;
  const nodes = numa?.map((n) => n.node) ?? [0];
  const nvdimms = Array.from({ length: rng.weighted(NVDIMM_COUNTS) }, (_, i) => ({
    id: `nvdimm${i}`,
    size: formatSize(rng.chance(0.7) ? rng.pick(NVDIMM_SIZES) : rng.int(32, 512) * 2 * MiB),
    labels: rng.pick(LABEL_SIZES),
    node: rng.pick(nodes),
  }));
  const virtioMem = Array.from({ length: rng.weighted(VIRTIO_MEM_COUNTS) }, (_, i) => {
    const max = rng.chance(0.8) ? rng.pick(VIRTIO_MEM_SIZES) : rng.int(16, 1024) * 2 * MiB;
    // what is plugged at boot: nothing, all of it, or any number of 2 MiB device blocks between
    const requested = rng.weighted([
      [0, 1],
      [max, 1],
      [rng.int(1, max / (2 * MiB)) * 2 * MiB, 3],
    ] as const);
    return { id: `vm${i}`, size: formatSize(max), requestedSize: formatSize(requested), node: rng.pick(nodes) };
  });
  // one type-3 device: with two, cxl_pci's asynchronous probe can swap their names (docs/model.md "CXL")
  const cxl = machine === 'q35' && rng.chance(0.4) ? drawCxl(rng) : undefined;
  const hotplug = nvdimms.length > 0 || virtioMem.length > 0 || rng.chance(0.6);
  // a label area (at most 1 MiB here) takes 2 MiB more backing (nvdimmBackendSize)
  const backing = nvdimms.reduce((s, d) => s + (d.labels === 'none' ? 0 : 2 * MiB), 0);
  const nvdimmBytes = [...nvdimms, ...virtioMem].reduce((s, d) => s + parseSize(d.size)!, 0);
  const maxmem = alignUp(size + nvdimmBytes + backing + rng.pick([0, 1, 2, 4]) * GiB, GiB);
  const kernelArgs = [...drawMemmap(rng, size, machine), ...POLICY_ARGS.filter(() => rng.chance(0.08))];
  return {
    name,
    description: 'generated by pmem-lab fuzz',
    machine,
    cpus,
    memory: hotplug
      ? {
          size: formatSize(size),
          slots: nvdimms.length + rng.int(nvdimms.length ? 0 : 1, 3),
          maxmem: formatSize(maxmem),
        }
      : { size: formatSize(size) },
    ...(numa ? { numa } : {}),
    nvdimms,
    ...(virtioMem.length ? { virtioMem } : {}),
    ...(cxl ? { cxl } : {}),
    kernelArgs,
  };
}

/** One or two fixed memory windows and one persistent type-3 device. */
function drawCxl(rng: Rng): NonNullable<ProfileInput['cxl']> {
  const windows = Array.from({ length: rng.weighted(CXL_WINDOW_COUNTS) }, () => ({
    size: rng.pick(CXL_WINDOW_SIZES),
  }));
  return { windows, devices: [{ id: 'cxl0', size: rng.pick(CXL_DEVICE_SIZES), labels: rng.pick(['128K', '256K']) }] };
}

/** 1 to 3 nodes holding the CPUs, then maybe a memory-only node; RAM split unevenly between them. */
function drawNuma(rng: Rng, size: number, cpus: number): NonNullable<ProfileInput['numa']> {
  const withCpus = rng.int(1, Math.min(3, cpus));
  const memoryOnly = rng.chance(0.5) ? 1 : 0;
  const count = withCpus + memoryOnly;
  // cut points on memory-block (128 MiB) or only page-pair (2 MiB) boundaries
  const unit = rng.chance(0.7) ? 128 * MiB : 2 * MiB;
  const cuts = Array.from({ length: count - 1 }, () => rng.int(0, size / unit) * unit).sort((a, b) => a - b);
  const bounds = [0, ...cuts, size];
  // a memory-only node is often empty: its memory comes from an NVDIMM or a hotplugged DIMM
  if (memoryOnly && rng.chance(0.5)) bounds[count - 1] = size;
  return Array.from({ length: count }, (_, node) => ({
    node,
    cpus: node < withCpus ? range(cpus).filter((c) => c % withCpus === node) : [],
    memory: formatSize(bounds[node + 1]! - bounds[node]!),
  }));
}

/** memmap=SIZE!START (e820 pmem) inside low RAM, clear of where the kernel loads, aligned or not. */
function drawMemmap(rng: Rng, size: number, machine: 'pc' | 'q35'): string[] {
  // the least RAM either machine keeps below 4 GiB once it splits
  const top = Math.min(size, machine === 'q35' ? 2 * GiB : 3 * GiB);
  if (top < GiB || !rng.chance(0.2)) return [];
  const unit = rng.chance(0.7) ? 128 * MiB : 2 * MiB;
  const len = rng.int(1, Math.max(1, Math.floor(512 * MiB) / unit)) * unit;
  const lo = 512 * MiB;
  if (lo + len > top) return [];
  const start = lo + rng.int(0, Math.floor((top - lo - len) / unit)) * unit;
  return [`memmap=${formatSize(len)}!${formatSize(start)}`];
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
