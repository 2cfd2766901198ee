// The profile: a declarative description of one QEMU guest. Validated with
// zod; the JSON Schema in qemu-profiles/profile.schema.json is generated
// from this module (npm run schema) and checked for drift in the tests.
import { z } from 'zod';
import { MiB, KiB, formatSize, sizeWords } from '../units';
import { multiplesAround, notASize, qemuId, size } from './fields';
import { checkCxl, CxlSchema } from './cxl';
import { DEFAULT_QEMU, pcAddressLimitError, pcConstants, pcDeviceMemSize } from '../model/platform/qemu-pc';
import { checkVirtioMem } from './virtio-mem-check';

const cpuList = z.union([
  z.array(z.number().int().min(0)),
  z
    .string()
    .regex(/^\d+(-\d+)?$/, 'write a CPU range such as "0-1" or a list [0, 1]')
    .transform((s) => {
      const [a, b] = s.split('-').map(Number);
      const out: number[] = [];
      for (let c = a!; c <= (b ?? a!); c++) out.push(c);
      return out;
    }),
]);

export const NumaNodeSchema = z.strictObject({
  node: z.number().int().min(0).max(63),
  cpus: cpuList.default([]),
  memory: size().default(0),
});

export const NvdimmSchema = z.strictObject({
  id: qemuId,
  /** Size of the region the guest sees (QEMU's backing file is larger by the label area, rounded up to 2 MiB). */
  size: size(),
  /** Label area size, or "none" for a label-less NVDIMM. */
  labels: z.union([z.literal('none'), size()], { error: (issue) => notASize(issue.input, true) }).default('none'),
  node: z.number().int().min(0).max(63).default(0),
  /**
   * "temporary": lives in the VM's runtime folder; "persistent": kept between boots (labels and namespaces survive).
   */
  backing: z.enum(['temporary', 'persistent']).default('temporary'),
});

export const VirtioMemSchema = z.strictObject({
  id: qemuId,
  /** The device's maximum: its memory backend, all of which QEMU reserves in device memory. */
  size: size(),
  /** What the guest is asked to plug at boot (QEMU's requested-size); QMP qom-set changes it later. */
  requestedSize: size().default(0),
  node: z.number().int().min(0).max(63).default(0),
});

export const KernelSourceSchema = z.union([
  z.literal('host'),
  z.strictObject({
    path: z.string().min(1).describe('a bzImage or vmlinux from your kernel build'),
    modules: z
      .string()
      .min(1)
      .describe('the lib/modules/VERSION folder of that build (after make modules_install INSTALL_MOD_PATH=...)'),
  }),
  z.strictObject({
    preset: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a preset name: lowercase letters, digits and "-", as in kernel-presets/')
      .describe('a kernel the lab built from kernel-presets/PRESET.config (pmem-lab kernel build PRESET)'),
  }),
]);

// eslint-disable-next-line no-control-regex -- control characters are among what it refuses
const KERNEL_ARG = /^[^\s"'\\\x00-\x1f\x7f]+$/;

export const ProfileSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'use lowercase letters, digits and "-"'),
    description: z.string().default(''),
    machine: z.enum(['pc', 'q35']).default('pc'),
    cpus: z.number().int().min(1).max(64).default(2),
    memory: z.strictObject({
      size: size(),
      slots: z.number().int().min(1).max(256).optional(),
      maxmem: size().optional(),
    }),
    numa: z.array(NumaNodeSchema).optional(),
    nvdimms: z.array(NvdimmSchema).default([]),
    /** virtio-mem-pci devices, after the NVDIMMs in device memory (profile order) */
    virtioMem: z.array(VirtioMemSchema).default([]),
    /** CXL fixed memory windows and persistent type-3 devices (q35 only). */
    cxl: CxlSchema.optional(),
    kernelArgs: z
      .array(
        z.string().regex(KERNEL_ARG, 'one kernel argument per entry, without spaces, quotes or control characters'),
      )
      .default([]),
    /**
     * The 64-bit PCI window QEMU opens after device memory (the host bridge's pci-hole64-size: 2G on pc, 32G on
     * q35). 0 lets device memory reach up to the HyperTransport reserve, where device-private memory lands.
     */
    pciHole64: size().optional(),
    accel: z.enum(['auto', 'kvm', 'tcg']).default('auto'),
    kernel: KernelSourceSchema.default('host'),
  })
  .superRefine((p, ctx) => checkTopology(p, ctx));

export type Profile = z.output<typeof ProfileSchema>;
export type ProfileInput = z.input<typeof ProfileSchema>;
export type Nvdimm = Profile['nvdimms'][number];
export type NumaNode = NonNullable<Profile['numa']>[number];
export type VirtioMem = Profile['virtioMem'][number];

/**
 * QEMU rounds the exposed region down to the backend's alignment (2 MiB),
 * so the backing file holds the region plus the label area rounded up.
 */
export const NVDIMM_BACKEND_ALIGN = 2 * MiB;
export const NVDIMM_MIN_LABEL = 128 * KiB;

export function nvdimmBackendSize(d: Nvdimm): number {
  const label = d.labels === 'none' ? 0 : d.labels;
  return d.size + Math.ceil(label / NVDIMM_BACKEND_ALIGN) * NVDIMM_BACKEND_ALIGN;
}

function checkTopology(p: Omit<Profile, never>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const { size, slots, maxmem } = p.memory;
  if (size % (2 * MiB) !== 0) issue(['memory', 'size'], `must be a multiple of 2M: ${multiplesAround(size, 2 * MiB)}`);
  if ((slots === undefined) !== (maxmem === undefined)) {
    issue(['memory', slots === undefined ? 'slots' : 'maxmem'], 'set both memory.slots and memory.maxmem, or neither');
  }
  if (maxmem !== undefined && maxmem < size)
    issue(['memory', 'maxmem'], `must be at least memory.size (${sizeWords(size)})`);
  if (slots !== undefined && maxmem === size)
    issue(['memory', 'maxmem'], 'QEMU refuses hotplug slots with maxmem equal to memory.size; raise memory.maxmem');
  const pc = {
    ...pcConstants(DEFAULT_QEMU, p.machine),
    ...(p.pciHole64 !== undefined ? { pci64Size: p.pciHole64 } : {}),
  };
  const limitError = (cxlWindows?: number[]) =>
    pcAddressLimitError(
      pc,
      size >= pc.splitAt ? size - pc.lowRamWhenSplit : 0,
      pcDeviceMemSize(p.memory, pc),
      cxlWindows,
    );
  const tooFar = limitError();
  const tooFarWithCxl = p.cxl && !tooFar && limitError(p.cxl.windows.map((w) => w.size));
  if (tooFar) issue(['memory', maxmem === undefined ? 'size' : 'maxmem'], tooFar);
  if (tooFarWithCxl) issue(['cxl', 'windows'], `${tooFarWithCxl}; make the windows smaller`);
  if (p.nvdimms.length > 0 && maxmem === undefined)
    issue(['nvdimms'], 'NVDIMMs live in hotplug memory: set memory.slots and memory.maxmem');
  if (slots !== undefined && p.nvdimms.length > slots)
    issue(['memory', 'slots'], `${p.nvdimms.length} NVDIMMs need at least ${p.nvdimms.length} slots`);
  const dev = p.nvdimms.reduce((sum, d) => sum + nvdimmBackendSize(d), 0);
  const vmem = p.virtioMem.reduce((sum, d) => sum + d.size, 0);
  if (maxmem !== undefined && size + dev + vmem > maxmem) {
    const total = sizeWords(size + dev + vmem);
    const parts = [
      ...(dev ? [`NVDIMM backing ${sizeWords(dev)}`] : []),
      ...(vmem ? [`virtio-mem ${sizeWords(vmem)}`] : []),
    ];
    issue(
      ['memory', 'maxmem'],
      `RAM ${sizeWords(size)} plus ${parts.join(' plus ')} is ${total}, more than maxmem ` +
        `${sizeWords(maxmem)}; raise memory.maxmem to at least ${total}`,
    );
  }
  checkVirtioMem(p, issue);
  const ids = new Set<string>(p.virtioMem.map((d) => d.id));
  const nodes = new Set((p.numa ?? []).map((n) => n.node));
  p.nvdimms.forEach((d, i) => {
    if (ids.has(d.id)) issue(['nvdimms', i, 'id'], `duplicate id "${d.id}"`);
    ids.add(d.id);
    if (d.size % NVDIMM_BACKEND_ALIGN !== 0 || d.size === 0) issue(['nvdimms', i, 'size'], nvdimmSizeError(d.size));
    if (d.labels !== 'none' && d.labels < NVDIMM_MIN_LABEL)
      issue(['nvdimms', i, 'labels'], 'QEMU needs at least 128K of label area, or "none"');
    if (p.numa && !nodes.has(d.node)) issue(['nvdimms', i, 'node'], `node ${d.node} is not in numa[]`);
    if (!p.numa && d.node !== 0) issue(['nvdimms', i, 'node'], 'a node other than 0 needs a numa[] list');
  });
  if (p.cxl) checkCxl(p.cxl, p.machine, ids, issue);
  if (p.numa) {
    const seen = new Set<number>();
    const cpus = new Set<number>();
    let mem = 0;
    p.numa.forEach((n, i) => {
      if (seen.has(n.node)) issue(['numa', i, 'node'], `duplicate node ${n.node}`);
      else if (n.node !== i)
        issue(['numa', i, 'node'], `list nodes in order from 0 without gaps (QEMU: "numa: Node ID missing")`);
      seen.add(n.node);
      mem += n.memory;
      if (n.memory % (2 * MiB) !== 0)
        issue(['numa', i, 'memory'], `must be a multiple of 2M: ${multiplesAround(n.memory, 2 * MiB)}`);
      for (const c of n.cpus) {
        if (c >= p.cpus) issue(['numa', i, 'cpus'], `CPU ${c} does not exist (cpus: ${p.cpus})`);
        if (cpus.has(c)) issue(['numa', i, 'cpus'], `CPU ${c} is in two nodes`);
        cpus.add(c);
      }
    });
    if (mem !== size)
      issue(
        ['numa'],
        `node memory adds up to ${sizeWords(mem)} but memory.size is ${sizeWords(size)}; make them equal`,
      );
    if (cpus.size !== p.cpus) issue(['numa'], `every CPU must belong to a node (${cpus.size} of ${p.cpus} placed)`);
  }
}

/**
 * QEMU sizes an NVDIMM's region in whole backend alignments: the backing file
 * less the label area, aligned down (hw/mem/nvdimm.c nvdimm_prepare_memory_region).
 */
function nvdimmSizeError(bytes: number): string {
  const align = formatSize(NVDIMM_BACKEND_ALIGN);
  if (bytes < NVDIMM_BACKEND_ALIGN) return `must be at least ${align}: QEMU sizes an NVDIMM's region in whole ${align}`;
  return (
    `QEMU sizes an NVDIMM's region in whole ${align} (hw/mem/nvdimm.c nvdimm_prepare_memory_region aligns it down), ` +
    `so the guest cannot see ${sizeWords(bytes)}: write ${multiplesAround(bytes, NVDIMM_BACKEND_ALIGN)}`
  );
}
