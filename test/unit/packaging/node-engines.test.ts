// The README promises Node 20 (package.json "engines"). npm only warns
// (EBADENGINE) about a locked package that wants a newer Node, so the lock
// file is checked here: the only such packages are the Electron download and
// rebuild tools below, and none of them runs on the machine's Node in a way
// that matters (README "Packaging" says why).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

/** Packages that declare Node >= 22.12 and why each is harmless on Node 20. */
const NEWER_NODE_ONLY: Record<string, string> = {
  electron: "npm-side launcher and downloader; the app runs on the Node inside Electron's binary",
  '@electron/get':
    "electron's downloader (ESM, loaded by require(), which Node 20.19+ does); run only by pmem-lab start",
  '@electron-internal/extract-zip': "electron's unzipper (N-API), run only by pmem-lab start",
  '@electron/rebuild':
    'electron-builder rebuilds native modules with it; the app has none and packages no node_modules',
  'node-abi': "@electron/rebuild's ABI table, loaded only with it",
};

interface LockEntry {
  engines?: { node?: string } | string[];
  dev?: boolean;
  optional?: boolean;
}

/**
 * Locked packages whose engines.node excludes `node`, by name, with whether they are dev-only.
 * Optional ones are left out: npm skips those silently (rollup's lzma binding, for one).
 */
function refusingNode(lock: { packages: Record<string, LockEntry> }, node: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (!path || !range || entry.optional || semver.satisfies(node, range)) continue;
    out.set(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), entry.dev === true);
  }
  return out;
}

describe('Node 20 support', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const promised = semver.minVersion(pkg.engines.node)!.version;

  it('every locked package supports the promised Node, except the documented dev-only Electron tools', () => {
    expect(promised).toBe('20.19.0');
    const refusing = refusingNode(lock, promised);
    expect([...refusing.keys()].sort()).toEqual(Object.keys(NEWER_NODE_ONLY).sort());
    expect([...refusing.values()].every((dev) => dev)).toBe(true);
  });

  it('notices a package that wants a newer Node', () => {
    const mutated = structuredClone(lock);
    mutated.packages['node_modules/ws'].engines = { node: '>=22.12.0' };
    expect(refusingNode(mutated, promised).get('ws')).toBe(false);
  });
});
