import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { claimRunDir, sweepStaleRunDirs } from '../../../src-main/guest/run-dirs';

function folder(root: string, name: string, owner?: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'nv0.img'), 'x');
  if (owner !== undefined) writeFileSync(join(dir, 'owner'), owner);
  return dir;
}

describe('stale runtime folders', () => {
  it('removes folders whose owner exited, keeps live and just-created ones', async () => {
    const root = mkdtempSync(join(tmpdir(), 'run-dirs-'));
    const mine = folder(root, 'mine');
    await claimRunDir(mine);
    const exited = execa('true');
    await exited;
    folder(root, 'dead-owner', `${exited.pid} 12345\n`);
    const [self] = (await readFile(join(mine, 'owner'), 'utf8')).split(' ');
    folder(root, 'reused-pid', `${self} 1\n`);
    folder(root, 'being-created');
    const old = folder(root, 'old-unowned');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    utimesSync(old, twoMinutesAgo, twoMinutesAgo);

    expect((await sweepStaleRunDirs(root)).sort()).toEqual(['dead-owner', 'old-unowned', 'reused-pid']);
    expect(readdirSync(root).sort()).toEqual(['being-created', 'mine']);
  });

  it('records this process and its start time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-dirs-'));
    await claimRunDir(dir);
    const [pid, started] = (await readFile(join(dir, 'owner'), 'utf8')).trim().split(' ');
    expect(Number(pid)).toBe(process.pid);
    expect(started).toMatch(/^\d+$/);
  });

  it('is quiet when the root does not exist yet', async () => {
    expect(await sweepStaleRunDirs(join(tmpdir(), 'no-such-pmem-lab-root'))).toEqual([]);
  });
});
