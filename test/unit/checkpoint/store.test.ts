import { mkdtemp, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT } from '../../../src-main/checkpoint/key';
import {
  clearCheckpoints,
  commit,
  evict,
  filesDir,
  listCheckpoints,
  ramDir,
  readMeta,
  stagingDir,
  statePath,
  type CheckpointMeta,
} from '../../../src-main/checkpoint/store';
import { findCheckpoint } from '../../../src-main/checkpoint/guest';
import { shellWord } from '../../../src-main/checkpoint/stream';

const KEY_A = 'a'.repeat(32);
const KEY_B = 'b'.repeat(32);
const KEY_C = 'c'.repeat(32);

/** A checkpoint as saveCheckpoint leaves it: a stream of `bytes`, one file copy, one RAM copy, meta.json last. */
async function write(root: string, key: string, bytes: number, profile = 'p'): Promise<string | undefined> {
  const staged = await stagingDir(root);
  await writeFile(statePath(staged), Buffer.alloc(bytes, 7));
  await writeFile(join(filesDir(staged), 'nvdimm0.img'), 'label');
  await writeFile(join(ramDir(staged), 'pc.ram'), Buffer.alloc(8192, 1));
  const meta: CheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    key,
    profile,
    created: new Date().toISOString(),
    state: { sha256: 'x', bytes },
    files: { 'nvdimm0.img': { bytes: 5 } },
    ram: { 'pc.ram': { bytes: 8192 } },
    parts: {},
    saveMs: 1,
  };
  await writeFile(join(staged, 'meta.json'), JSON.stringify(meta));
  return commit(staged, key, root);
}

describe('the checkpoint store', () => {
  it('uses a whole checkpoint and says why it does not use a broken one', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ckstore-'));
    expect(await findCheckpoint(KEY_A, root)).toBe('no checkpoint for this boot yet');
    const dir = (await write(root, KEY_A, 4096))!;
    expect(await readMeta(dir, KEY_A)).toMatchObject({ key: KEY_A, state: { bytes: 4096 } });
    expect(await readMeta(dir, KEY_B)).toMatch(/key does not match/);
    await truncate(statePath(dir), 1000);
    expect(await readMeta(dir, KEY_A)).toMatch(/holds 1000 bytes instead of 4096 \(truncated\)/);
    // found broken: removed, so the cold boot that follows can save a good one
    expect(await findCheckpoint(KEY_A, root)).toMatch(/truncated/);
    expect(await readdir(root)).toEqual([]);
  });

  it('does not use a checkpoint whose RAM copy is cut short or gone, nor one whose meta lists no RAM', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ckstore-'));
    const dir = (await write(root, KEY_A, 10))!;
    await truncate(join(ramDir(dir), 'pc.ram'), 4096);
    expect(await readMeta(dir, KEY_A)).toMatch(/copy of RAM backend pc.ram is missing or has the wrong size/);
    await rm(join(ramDir(dir), 'pc.ram'));
    expect(await readMeta(dir, KEY_A)).toMatch(/copy of RAM backend pc.ram is missing/);
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'meta.json'), JSON.stringify({ ...meta, ram: undefined }));
    expect(await readMeta(dir, KEY_A)).toMatch(/lists no RAM files \(corrupt\)/);
  });

  it('never reads a checkpoint of another format, or one whose meta is not JSON', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ckstore-'));
    const dir = (await write(root, KEY_A, 10))!;
    const meta = join(dir, 'meta.json');
    await writeFile(meta, JSON.stringify({ format: CHECKPOINT_FORMAT + 1, key: KEY_A }));
    expect(await readMeta(dir, KEY_A)).toMatch(`written in format ${CHECKPOINT_FORMAT + 1}`);
    await writeFile(meta, '{"format": 1, "key');
    expect(await readMeta(dir, KEY_A)).toMatch(/not JSON/);
  });

  it('keeps the first of two saves of one key and leaves no staging folder', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ckstore-'));
    expect(await write(root, KEY_A, 10)).toBe(join(root, KEY_A));
    expect(await write(root, KEY_A, 20)).toBeUndefined();
    expect(await readdir(root)).toEqual([KEY_A]);
    expect(await readMeta(join(root, KEY_A), KEY_A)).toMatchObject({ state: { bytes: 10 } });
  });

  it('evicts the least recently used first, never the one just saved, and stale staging folders', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ckstore-'));
    for (const k of [KEY_A, KEY_B, KEY_C]) await write(root, k, 64 * 1024);
    const old = new Date(Date.now() - 3600_000);
    await utimes(join(root, KEY_B, 'meta.json'), old, old);
    await utimes(join(root, KEY_C, 'meta.json'), new Date(Date.now() - 7200_000), new Date(Date.now() - 7200_000));
    const staged = await stagingDir(root);
    await utimes(staged, new Date(0), new Date(0));
    const one = (await listCheckpoints(root))[0]!.diskBytes;
    // room for two: C is the oldest, but it is the one being kept; B goes
    expect(await evict(2 * one, KEY_C, root)).toEqual([KEY_B]);
    expect((await readdir(root)).sort()).toEqual([KEY_A, KEY_C]);
    expect(await evict(0, KEY_C, root)).toEqual([KEY_A]);
    expect(await readdir(root)).toEqual([KEY_C]);
  });

  it('clears one profile’s checkpoints or all', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ckstore-'));
    await write(root, KEY_A, 10, 'one');
    await write(root, KEY_B, 10, 'two');
    expect(await clearCheckpoints('one', root)).toBe(1);
    expect(await readdir(root)).toEqual([KEY_B]);
    expect(await clearCheckpoints(undefined, root)).toBe(1);
    expect((await stat(root)).isDirectory()).toBe(true);
  });

  it('hands QEMU’s exec transport the path as one shell word, whatever it holds', async () => {
    for (const path of ["/data/it's here/state.bin", '/data/$(touch /tmp/x) `id`/a b;c', '/a\\b"c']) {
      const r = await execa('sh', ['-c', `printf %s ${shellWord(path)}`]);
      expect(r.stdout).toBe(path);
    }
  });
});
