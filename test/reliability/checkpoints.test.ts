// Faults around boot checkpoints (issue 14): a checkpoint truncated, corrupted or written by another QEMU; the
// disk filling while one is written; two guests restoring one checkpoint at once; QEMU killed while saving and
// while restoring. A checkpoint that cannot be used is never used (the guest boots cold and says why), and
// nothing is lost: no partial checkpoint, no other checkpoint touched, no QEMU or runtime folder left.
import { execa } from 'execa';
import { mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src-main/store/profiles';
import { prepare, type Prepared } from '../../src-main/guest/lab';
import { Vm, type VmOptions } from '../../src-main/guest/vm';
import { listCheckpoints, statePath, type CheckpointMeta } from '../../src-main/checkpoint/store';
import type { Profile } from '../../src-shared/profile/schema';
import { isolateRuntime, leaks, sha256, waitFor } from './leaks';

let profile: Profile;
let prepared: Prepared;
let root: string;

beforeAll(async () => {
  root = join(isolateRuntime(), 'checkpoints');
  process.env.PMEM_LAB_CHECKPOINTS = root;
  profile = await loadProfile('nvdimm-1g-labels');
  prepared = await prepare(profile, { accel: 'tcg' });
});
afterEach(async () => {
  expect(await waitFor(async () => (await leaks()).qemu.length + (await leaks()).runtime.length === 0, 3000)).toBe(
    true,
  );
});
afterAll(() => delete process.env.PMEM_LAB_CHECKPOINTS);

const boot = (extra: Partial<VmOptions> = {}) => Vm.boot({ profile, kit: prepared.kit, accel: 'tcg', ...extra });

/** Boots and stops, leaving the profile's checkpoint; returns its folder. */
async function saved(): Promise<string> {
  const vm = await boot();
  await vm.stop();
  const [entry] = await listCheckpoints();
  expect(entry?.meta.profile).toBe(profile.name);
  return entry!.dir;
}

/** One boot that must come up cold for `why`, then one that restores the checkpoint the cold boot saved anew. */
async function coldThenRestored(why: RegExp): Promise<void> {
  const vm = await boot();
  expect(vm.checkpoint).toMatchObject({ from: 'cold', why: expect.stringMatching(why) });
  expect((await vm.run('echo up')).output).toBe('up\n');
  await vm.stop();
  const again = await boot();
  expect(again.checkpoint?.from).toBe('checkpoint');
  await again.stop();
}

/** Runs `fn` with the folder in `env` on a fresh tmpfs of `size`, which must be left empty. */
async function withSmallTmpfs(env: 'PMEM_LAB_CHECKPOINTS' | 'PMEM_LAB_SHM', size: string, fn: () => Promise<void>) {
  const small = join(root, '..', `small-${env}`);
  mkdirSync(small, { recursive: true });
  await execa('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', small]);
  const before = process.env[env];
  process.env[env] = small;
  try {
    await fn();
    expect(readdirSync(small)).toEqual([]);
  } finally {
    if (before === undefined) delete process.env[env];
    else process.env[env] = before;
    await execa('umount', [small]);
  }
}

const meta = (dir: string) => JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as CheckpointMeta;

describe('a checkpoint that cannot be used is never used', () => {
  it('truncated: found before QEMU starts', async () => {
    const dir = await saved();
    truncateSync(statePath(dir), 4096);
    await coldThenRestored(/holds 4096 bytes instead of \d+ \(truncated\)/);
  });

  it('corrupted: one flipped byte, caught by the checksum before the guest runs', async () => {
    const dir = await saved();
    const state = readFileSync(statePath(dir));
    const i = Math.floor(state.length / 2);
    state.writeUInt8(state.readUInt8(i) ^ 0xff, i);
    writeFileSync(statePath(dir), state);
    await coldThenRestored(/does not match its checksum/);
  });

  it('another QEMU’s stream (a foreign header, its checksum made to match): QEMU refuses it', async () => {
    const dir = await saved();
    const state = readFileSync(statePath(dir));
    state.writeUInt32BE(0x0000ffff, 4); // the stream version after the QEVM magic
    writeFileSync(statePath(dir), state);
    const m = meta(dir);
    m.state.sha256 = sha256(statePath(dir));
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(m));
    await coldThenRestored(/did not restore/);
  });
});

describe('nothing is lost', () => {
  it('the disk fills while a checkpoint is written: no checkpoint, no partial folder, the guest runs', async () => {
    await withSmallTmpfs('PMEM_LAB_CHECKPOINTS', '16m', async () => {
      const vm = await boot();
      try {
        expect(vm.checkpoint?.why).toMatch(/its checkpoint was not saved \(.*No space left on device\)$/);
        expect((await vm.run('echo up')).output).toBe('up\n');
      } finally {
        await vm.stop();
      }
    });
  });

  it('tmpfs with less room than the guest’s RAM: the guest boots cold and unsaved, saying why', async () => {
    await withSmallTmpfs('PMEM_LAB_SHM', '64m', async () => {
      const vm = await boot();
      try {
        // a guest whose RAM outgrew tmpfs would die of SIGBUS: its RAM stays private and nothing is saved
        const why = expect.stringMatching(/MiB free, less than its 2048 MiB/);
        expect(vm.checkpoint).toEqual({ from: 'cold', why });
        expect(vm.ram).toBeUndefined();
        expect((await vm.run('echo up')).output).toBe('up\n');
      } finally {
        await vm.stop();
      }
    });
  });

  it('two guests restore one checkpoint at once, each with its own NVDIMM file', async () => {
    const dir = await saved();
    const before = sha256(statePath(dir));
    const [a, b] = await Promise.all([boot(), boot()]);
    try {
      expect([a.checkpoint?.from, b.checkpoint?.from]).toEqual(['checkpoint', 'checkpoint']);
      await a.run('ndctl create-namespace -f -e namespace0.0 -m fsdax');
      const ns = async (vm: Vm) => (await vm.snapshot()).nd.namespaces.map((n) => n.mode);
      // sysfs calls fsdax "memory"
      expect(await ns(a)).toEqual(['memory', 'raw']);
      expect(await ns(b)).toEqual(['raw']);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(sha256(statePath(dir))).toBe(before);
  });

  it('QEMU killed while it saves: the boot fails clearly, no partial checkpoint, the others intact', async () => {
    const other = await saved();
    const otherSum = sha256(statePath(other));
    // another guest (one CPU), so another key: a name alone is not (the key leaves QEMU's -name out)
    const withLabels: Profile = { ...profile, name: 'kill-during-save', cpus: 1 };
    let vm: Vm | undefined;
    const booting = boot({ profile: withLabels, onLaunched: (v) => (vm = v) });
    // the save begins once the guest is up: its staging folder appears
    expect(await waitFor(() => readdirSync(root).some((n) => n.startsWith('.tmp-')), 60_000)).toBe(true);
    process.kill(vm!.pid!, 'SIGKILL');
    await expect(booting).rejects.toThrow(/ended while its checkpoint was saved: QEMU was killed/);
    expect(readdirSync(root)).toEqual([other.split('/').pop()]);
    expect(sha256(statePath(other))).toBe(otherSum);
  });

  it('QEMU killed while it restores: the guest boots cold, the checkpoint stays as it was', async () => {
    const dir = await saved();
    const sum = sha256(statePath(dir));
    let launches = 0;
    const vm = await boot({
      onLaunched: (v) => {
        // the first launch is the restore: killed as soon as it runs
        if (launches++ === 0) void waitFor(() => !!v.pid, 5000).then(() => process.kill(v.pid!, 'SIGKILL'));
      },
    });
    expect(launches).toBe(2);
    expect(vm.checkpoint).toMatchObject({ from: 'cold', why: expect.stringMatching(/did not restore/) });
    await vm.stop();
    expect(sha256(statePath(dir))).toBe(sum);
  });
});
