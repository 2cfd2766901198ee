// The guest-side end of a virtio-mem resize, run by the host's /bin/sh on a fake /proc and /sys: the state CI
// caught (QEMU at the requested size, the guest's last block requested but neither merged nor a memory block
// yet) is not the end, nor is a removal half done; a merged range with all its blocks is.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VIRTIO_MEM_ADDED } from '../../../src-main/guest/virtio-mem-guest';

/** Whether virtio_mem_added succeeds where device virtio0 has `ranges` and the memory blocks are `blocks`. */
const added = (ranges: string[], blocks: number[]) =>
  addedOn(['100000000-17fffffff : virtio0', ...ranges.map((r) => `  ${r}`)], blocks);

/** The same on a guest whose /proc/iomem is `lines` (after a first reserved line). */
async function addedOn(lines: string[], blocks: number[]): Promise<boolean> {
  const root = mkdtempSync(join(tmpdir(), 'vmem-guest-'));
  mkdirSync(join(root, 'proc'));
  const memory = join(root, 'sys/devices/system/memory');
  mkdirSync(memory, { recursive: true });
  writeFileSync(join(memory, 'block_size_bytes'), '8000000\n');
  for (const b of blocks) mkdirSync(join(memory, `memory${b}`));
  const iomem = ['00000000-00000fff : Reserved', ...lines];
  writeFileSync(join(root, 'proc/iomem'), iomem.join('\n') + '\n');
  const r = await execa('sh', ['-c', `${VIRTIO_MEM_ADDED}\nvirtio_mem_added`], { env: { R: root }, reject: false });
  return r.exitCode === 0;
}

const RAM = (r: string) => `${r} : System RAM (virtio_mem)`;

describe('the end of a virtio-mem resize in the guest', () => {
  it('is not the state CI caught: the last block requested, unmerged, without its memory block', async () => {
    expect(await added([RAM('100000000-107ffffff'), RAM('108000000-10fffffff')], [32])).toBe(false);
    // its memory block there, but not yet merged
    expect(await added([RAM('100000000-107ffffff'), RAM('108000000-10fffffff')], [32, 33])).toBe(false);
  });

  it('is a merged range with every memory block, or no virtio-mem memory at all', async () => {
    expect(await added([RAM('100000000-10fffffff')], [32, 33])).toBe(true);
    expect(await added([RAM('100000000-107ffffff'), RAM('110000000-117ffffff')], [32, 34])).toBe(true);
    expect(await added([], [])).toBe(true);
  });

  it("is two devices whose memory touches: the kernel merges a range only with its own device's", async () => {
    // found by pmem-lab fuzz (seed 4178703815): two 128 MiB devices side by side, one whole, one with 8 MiB
    const lines = [
      '100000000-107ffffff : virtio0',
      RAM('  100000000-107ffffff'),
      '108000000-10fffffff : virtio1',
      RAM('  108000000-1087fffff'),
    ];
    expect(await addedOn(lines, [32, 33])).toBe(true);
    expect(await addedOn(lines, [32])).toBe(false);
  });

  it('is not a removal half done: the memory block gone, the range not yet shrunk', async () => {
    expect(await added([RAM('100000000-10fffffff')], [32])).toBe(false);
  });
});
