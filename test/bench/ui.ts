// UI benchmarks in Debian's headless Chromium: the memory-block grid with
// 131072 blocks (first render, zoom/pan frames) and a 10,000-row resource
// tree scrolling. The page mounts the app's real components.
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { launchChromium } from '../e2e/browser';
import { median } from './stats';

export interface UiFigures {
  ui_blocks_131072_first_render_ms: number;
  ui_blocks_frame_ms: number;
  ui_tree_10k_frame_ms: number;
}

export async function benchUi(runs: number): Promise<UiFigures> {
  const out = await mkdtemp(join(tmpdir(), 'pmem-lab-ui-bench-'));
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = join(out, req.url === '/' ? 'index.html' : req.url!.replace(/^\//, '').replace(/\.\./g, ''));
    const type = { 'content-type': types[extname(path)] ?? 'application/octet-stream' };
    void readFile(path).then(
      (body) => res.writeHead(200, type).end(body),
      () => res.writeHead(404, type).end(), // a file that cannot be read is not there
    );
  });
  try {
    await build({
      root: join(import.meta.dirname, 'ui-page'),
      base: './',
      configFile: false,
      plugins: [svelte()],
      logLevel: 'warn',
      build: { outDir: out, emptyOutDir: true, target: 'es2022' },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const browser = await launchChromium();
    const first: number[] = [];
    const grid: number[] = [];
    const tree: number[] = [];
    try {
      for (let i = 0; i < runs; i++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 1300 } });
        await page.goto(url);
        const r = await page.evaluate(() =>
          (
            window as unknown as {
              bench: () => Promise<{ firstRender: number; gridFrame: number; gridFrames: number; treeFrame: number }>;
            }
          ).bench(),
        );
        if (r.gridFrames < 30) throw new Error(`only ${r.gridFrames} of 60 grid interactions redrew`);
        first.push(r.firstRender);
        grid.push(r.gridFrame);
        tree.push(r.treeFrame);
        await page.close();
      }
    } finally {
      await browser.close();
    }
    const f = (xs: number[]) => Number(median(xs).toFixed(1));
    return { ui_blocks_131072_first_render_ms: f(first), ui_blocks_frame_ms: f(grid), ui_tree_10k_frame_ms: f(tree) };
  } finally {
    server.close();
    await rm(out, { recursive: true, force: true });
  }
}

if (import.meta.filename === process.argv[1]) console.log(await benchUi(Number(process.env.BENCH_RUNS ?? 5)));
