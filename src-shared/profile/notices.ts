// What a valid profile's NVDIMMs become, told before boot: the size QEMU
// gives each region, and what the guest gets of it through the lab's usual
// path (a devdax namespace handed to kmem). The numbers come from running
// that path on the model, so they follow the same rules as its predictions.
import { createModel, type KernelModel } from '../model';
import { applyStep } from '../scenario/apply';
import { formatSize, sizeWords } from '../units';
import type { FieldError } from '../validation';
import { nvdimmBackendSize, type Nvdimm, type Profile } from './schema';

/** One notice per NVDIMM, on its size field. */
export function profileNotices(profile: Profile): FieldError[] {
  if (!profile.nvdimms.length) return [];
  try {
    return nvdimmNotices(profile);
  } catch (e) {
    // the model refuses a machine it cannot lay out (a memmap= range over an NVDIMM): no prediction then
    const message = `the model cannot tell what the guest makes of these NVDIMMs: ${(e as Error).message}`;
    return [{ field: 'nvdimms', message }];
  }
}

function nvdimmNotices(profile: Profile): FieldError[] {
  const model = createModel(profile);
  const { machine, kernel } = model.state;
  return machine.nvdimms.flatMap((placed, i) => {
    const region = kernel.regions.find((r) => r.kind === 'nfit' && r.start === placed.start);
    if (!region) return [];
    const d = profile.nvdimms[i]!;
    const message = `${qemuRegion(d, placed.size)}. ${asSystemRam(model, region.id, region.size, region.align)}`;
    return [{ field: `nvdimms[${i}].size`, message }];
  });
}

/**
 * QEMU's region is the backing file less the label area, aligned down to 2M
 * (hw/mem/nvdimm.c nvdimm_prepare_memory_region); the lab sizes the file so that it is `size`.
 */
function qemuRegion(d: Nvdimm, region: number): string {
  const gives = `QEMU gives the guest a ${formatSize(region)} region`;
  if (d.labels === 'none') return gives;
  const file = nvdimmBackendSize(d);
  return `${gives}; its ${sizeWords(d.labels)} label area takes ${formatSize(file - region)} more of the backing file`;
}

/** A devdax namespace over the whole region, then daxctl's system-ram: the lab's way to hot-add an NVDIMM. */
function asSystemRam(model: KernelModel, id: number, size: number, align: number): string {
  const create = `ndctl create-namespace -f -e namespace${id}.0 -m devdax`;
  const created = run(model, create);
  if (created.exitCode !== 0) {
    // drivers/nvdimm/region_devs.c default_align, checked by ndctl's validate_namespace_options
    if (size % align !== 0) {
      const down = Math.floor(size / align) * align;
      const sizes = [down, down + align].filter((s) => s > 0).map(formatSize);
      return (
        `The guest kernel aligns the region to ${formatSize(align)} (drivers/nvdimm/region_devs.c default_align) ` +
        `and ${formatSize(size)} is not a multiple of it: \`${create}\` is refused; ${sizes.join(' or ')} would not be`
      );
    }
    return `\`${create}\` is refused: ${created.reason}`;
  }
  const dax = model.state.kernel.dax.get(`dax${id}.0`)!;
  const daxSize = dax.end - dax.start + 1;
  const online = `daxctl reconfigure-device --mode=system-ram dax${id}.0`;
  const added = run(model, online);
  const head = `As devdax (\`${create}\`) it is a ${formatSize(daxSize)} dax device after its page map`;
  if (added.exitCode !== 0) return `${head}; \`${online}\` is refused: ${added.reason}`;
  const bs = model.state.kernel.blocks.blockSize;
  const ram = dax.kmem!.blocks.length * bs;
  return `${head}; kmem hot-adds only whole ${formatSize(bs)} memory blocks: ${formatSize(ram)} of System RAM`;
}

/** The step as every door runs it on the model (scenario/apply.ts), its refusal as the rules behind it. */
function run(model: KernelModel, line: string): { exitCode: number; reason: string } {
  const r = applyStep(model, { run: line });
  if (!r.ok) throw new Error(`${line}: ${r.outOfSync}`);
  return { exitCode: r.result.exitCode, reason: r.result.explanations.map((e) => e.rule).join('; ') };
}
