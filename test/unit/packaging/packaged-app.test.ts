// A real, offline electron-builder run (`--linux dir`, about 10 s) on a copy
// of the checkout, with a stand-in Electron folder in place of the download:
// app.asar holds only what the app runs (no node_modules), the fuses are
// flipped as electron-builder.yml says, and the packaged main process runs
// from the extracted archive with nothing else around it, serving its page
// over app://.
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { extractAll, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../../src-main/electron/bundle';
import { readBuilderConfig } from '../../../scripts/check-builder-config';
import { FIXTURE_INDEX, runMainBundle, writeFixtureRenderer } from '../electron/fake-app';

const ROOT = join(import.meta.dirname, '../../..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron 45's fuse wire as shipped: version 1, nine fuses (build/fuses/fuses.json5 in electron/electron). */
const STOCK_WIRE = '101100011';
/** Everything app.asar may hold: the two bundles, the built renderer and the data the backend reads. */
const SHIPPED = [
  /^\/package\.json$/,
  /^\/dist\/electron\/(main|preload)\.cjs$/,
  /^\/dist\/renderer\/.+/,
  /^\/qemu-profiles\/.+\.(yaml|json)$/,
  /^\/scenarios\/.+\.yaml$/,
  /^\/src-main\/kit\/guest\/.+\.sh$/,
];

let tmp: string;
let asar: string;
let files: string[];
let binary: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pmem-lab-pack-'));
  const project = join(tmp, 'project');
  // The checkout as the builder would see it, dependencies included (linked), but not the real dist/ (a test must not
  // overwrite a build) nor the other ignored folders (caches, test artifacts).
  const ignored = [
    '.git',
    ...readFileSync(join(ROOT, '.gitignore'), 'utf8')
      .split('\n')
      .filter((l) => /^[^/*!#]+\/$/.test(l))
      .map((l) => l.slice(0, -1)),
  ];
  await cp(ROOT, project, { recursive: true, filter: (src) => !ignored.includes(relative(ROOT, src).split(sep)[0]!) });
  await symlink(join(ROOT, 'node_modules'), join(project, 'node_modules'));
  await buildElectron(join(project, 'dist/electron'));
  await writeFixtureRenderer(join(project, 'dist/renderer'));
  const electronDist = join(tmp, 'electron-dist');
  await writeFakeElectron(electronDist);
  await execa(
    join(ROOT, 'node_modules/.bin/electron-builder'),
    ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${electronDist}`],
    { cwd: project },
  );
  const unpacked = join(project, 'dist/packages/linux-unpacked');
  asar = join(unpacked, 'resources/app.asar');
  files = listPackage(asar, { isPack: false }).filter((p) => !('files' in statFile(asar, p.slice(1))));
  binary = join(unpacked, 'pmem-lab');
}, 120_000);
afterAll(() => rm(tmp, { recursive: true, force: true }));

/**
 * An unpacked "Electron" that is only what electron-builder touches: the executable, carrying the fuse wire it flips.
 */
async function writeFakeElectron(dir: string): Promise<void> {
  await mkdir(dir);
  await writeFile(join(dir, 'electron'), `#!/bin/sh\n# ${SENTINEL}\x01\x09${STOCK_WIRE}\n`, { mode: 0o755 });
}

describe('packaged app (electron-builder --linux dir)', () => {
  it('app.asar holds the bundles, the renderer and the lab data, and no node_modules', async () => {
    expect(files.filter((f) => !SHIPPED.some((re) => re.test(f)))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        '/dist/electron/main.cjs',
        '/dist/electron/preload.cjs',
        '/dist/renderer/index.html',
        '/qemu-profiles/nvdimm-1g-labels.yaml',
        '/src-main/kit/guest/init.sh',
      ]),
    );
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
    await expect(stat(`${asar}.unpacked`)).rejects.toThrow(/ENOENT/);
    expect((await stat(asar)).size).toBeLessThan(4 * 1024 * 1024);
  });

  it('flips every fuse electron-builder.yml names', async () => {
    const fuses = (await readBuilderConfig()).electronFuses as Record<string, boolean>;
    const wire = await getCurrentFuseWire(binary);
    // The wire holds ASCII '0' (off) and '1' (on); a fuse's index
    // is its FuseV1Options value, named like the config key.
    const state = (key: string) =>
      String.fromCharCode(
        wire[FuseV1Options[(key.charAt(0).toUpperCase() + key.slice(1)) as keyof typeof FuseV1Options]]!,
      );
    for (const [key, on] of Object.entries(fuses)) expect(state(key), key).toBe(on ? '1' : '0');
    expect(state('runAsNode')).toBe('0');
    expect(state('grantFileProtocolExtraPrivileges')).toBe('0');
  });

  it('runs from the extracted archive alone: finds its profiles, loads nothing from node_modules', async () => {
    const app = join(tmp, 'extracted');
    extractAll(asar, app);
    const seen = await runMainBundle(join(app, 'dist/electron/main.cjs'));
    expect(seen.trusted).toEqual(expect.arrayContaining(['nvdimm-1g-labels', 'dimm-hotplug']));
    expect(seen.served.index).toMatchObject({ status: 200, body: FIXTURE_INDEX });
    // The escapes aim at files the archive does hold (package.json, a profile): refused all the same.
    expect(seen.served.escapes.map((r) => r.status)).toEqual([403, 403, 403]);
  });
});
