// The model on modern memory at scale: a q35 guest with 4 CXL fixed memory
// windows and 16 type-3 devices (the profile check allows 8 per host bridge;
// the model takes 16) and a 1 TiB virtio-mem device that plugs all of it, in
// 2 MiB device blocks (524,288 sub-blocks, 8,192 memory blocks), then prints
// /proc/iomem. A 1 TiB device does not fit qemu64's 40 address bits, so the
// model builds it on a 46-bit CPU, as the 16 TiB benchmark does.
import { createModel } from '../../src-shared/model';
import { printIomem } from '../../src-shared/model/kernel/iomem';
import { parseQmpCommand } from '../../src-shared/actions';
import { ProfileSchema, type Profile } from '../../src-shared/profile/schema';
import { median, timeIt } from './stats';

const GiB = 2 ** 30;
const TiB = 1024 * GiB;

function modernProfile(): Profile {
  const p = ProfileSchema.parse({
    name: 'bench-modern',
    machine: 'q35',
    memory: { size: '2G', slots: 4, maxmem: '8G' },
    // online at once, so that the driver's 1 GiB offline threshold does not stop the plug
    kernelArgs: ['memhp_default_state=online_movable'],
    cxl: { windows: Array.from({ length: 4 }, () => ({ size: '4G' })), devices: [{ id: 'cxl0', size: '256M' }] },
    virtioMem: [{ id: 'vm0', size: '1G', requestedSize: 0 }],
  });
  const device = p.cxl!.devices[0]!;
  return {
    ...p,
    memory: { size: 2 * GiB, slots: 4, maxmem: 2 * GiB + TiB + 4 * GiB },
    cxl: { ...p.cxl!, devices: Array.from({ length: 16 }, (_, i) => ({ ...device, id: `cxl${i}` })) },
    virtioMem: [{ ...p.virtioMem[0]!, size: TiB }],
  };
}

export interface ModernModelFigures {
  model_q35_cxl_virtio_1tib_ms: number;
  virtio_mem_blocks: number;
}

export async function benchModernModel(runs: number): Promise<ModernModelFigures> {
  const profile = modernProfile();
  const resize = parseQmpCommand({
    execute: 'qom-set',
    arguments: { path: 'vm0', property: 'requested-size', value: TiB },
  });
  if (resize.kind !== 'action') throw new Error(resize.reason);
  const times: number[] = [];
  let blocks = 0;
  for (let i = 0; i < runs; i++) {
    times.push(
      await timeIt(() => {
        const model = createModel(profile, { physBits: 46 });
        const r = model.apply(resize.action);
        if (r.exitCode !== 0) throw new Error(r.output);
        blocks = model.state.kernel.blocks.count - 16;
        if (!printIomem(model.state.kernel.root).includes('CXL Window 3')) throw new Error('no fourth CXL window');
      }),
    );
  }
  if (blocks !== 8192) throw new Error(`the 1 TiB device plugged ${blocks} memory blocks, not 8192`);
  return { model_q35_cxl_virtio_1tib_ms: Number(median(times).toFixed(1)), virtio_mem_blocks: blocks };
}
