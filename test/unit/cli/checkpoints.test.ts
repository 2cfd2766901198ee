// pmem-lab checkpoints list|clear on a store of the test's own (PMEM_LAB_CHECKPOINTS): what a user sees of the
// saved guests, and clearing one profile's or all.
import { mkdtempSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT } from '../../../src-main/checkpoint/key';
import { commit, filesDir, ramDir, stagingDir, statePath } from '../../../src-main/checkpoint/store';

const ROOT = join(import.meta.dirname, '../../..');

async function checkpoint(root: string, key: string, profile: string): Promise<void> {
  const staged = await stagingDir(root);
  writeFileSync(statePath(staged), Buffer.alloc(8192, 1));
  writeFileSync(join(filesDir(staged), 'nvdimm0.img'), '');
  writeFileSync(join(ramDir(staged), 'pc.ram'), '');
  truncateSync(join(ramDir(staged), 'pc.ram'), 2 ** 31); // a sparse copy: what the guest touched takes room
  const meta = { format: CHECKPOINT_FORMAT, key, profile, created: '2026-11-27T10:00:00.000Z', saveMs: 700 };
  writeFileSync(
    join(staged, 'meta.json'),
    JSON.stringify({
      ...meta,
      state: { sha256: 's', bytes: 8192 },
      files: { 'nvdimm0.img': { bytes: 0 } },
      ram: { 'pc.ram': { bytes: 2 ** 31 } },
      parts: {},
    }),
  );
  await commit(staged, key, root);
}

describe('pmem-lab checkpoints', () => {
  it('lists the store and clears one profile, then all', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pmem-lab-cli-checkpoints-'));
    const env = { ...process.env, PMEM_LAB_CHECKPOINTS: root };
    const cli = (...args: string[]) => execa('node', ['bin/pmem-lab.js', 'checkpoints', ...args], { cwd: ROOT, env });
    expect((await cli('list')).stdout).toBe(`no checkpoints in ${root}`);
    await checkpoint(root, 'a'.repeat(32), 'dimm-hotplug');
    await checkpoint(root, 'b'.repeat(32), 'virtio-mem');
    const listed = JSON.parse((await cli('list', '--json')).stdout) as {
      key: string;
      profile: string;
      stateBytes: number;
    }[];
    expect(listed.map((c) => [c.profile, c.stateBytes]).sort()).toEqual([
      ['dimm-hotplug', 8192],
      ['virtio-mem', 8192],
    ]);
    const text = (await cli('list')).stdout;
    expect(text).toMatch(/^a{32} {2}dimm-hotplug +[\d.]+ MiB on disk {2}used 20\d\d-/m);
    expect(text).toMatch(/^b{32} {2}virtio-mem +[\d.]+ MiB on disk/m);
    expect(text).toMatch(/\n2 checkpoints, [\d.]+ MiB in /);
    expect((await cli('clear', '--profile', 'virtio-mem')).stdout).toBe(`removed 1 checkpoint from ${root}`);
    expect(readdirSync(root)).toEqual(['a'.repeat(32)]);
    expect((await cli('clear')).stdout).toBe(`removed 1 checkpoint from ${root}`);
    expect(readdirSync(root)).toEqual([]);
  }, 60_000);
});
