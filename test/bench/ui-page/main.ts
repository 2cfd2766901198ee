// The bench page: the real MemoryBlockGrid and ResourceTree components with
// synthetic data at the scale, timed from inside the page.
import { flushSync, mount, unmount } from 'svelte';
import MemoryBlockGrid from '../../../src-renderer/views/memory/MemoryBlockGrid.svelte';
import ResourceTree from '../../../src-renderer/views/tree/ResourceTree.svelte';
import type { MemoryBlockInfo } from '../../../src-shared/snapshot/types';
import type { IomemDiffRow } from '../../../src-shared/compare/fidelity';

const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(r));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function blocks(n: number): MemoryBlockInfo[] {
  return Array.from({ length: n }, (_, id) => ({
    id,
    state: id % 5 === 0 ? 'offline' : 'online',
    zones: id % 3 ? 'Movable' : 'Normal',
    node: id % 4,
  }));
}

const hex = (n: number) => n.toString(16).padStart(9, '0');

function rows(n: number): IomemDiffRow[] {
  return Array.from({ length: n }, (_, i) => ({
    side: i % 50 === 0 ? 'model' : i % 77 === 0 ? 'real' : 'both',
    text: `${'  '.repeat(i % 3)}${hex(i * 2 ** 21)}-${hex(i * 2 ** 21 + 2 ** 21 - 1)} : namespace${i}.0`,
  }));
}

/** First render of 131072 blocks (mount to the end of the first draw), then draw times while zooming and panning. */
async function grid(count: number): Promise<{ firstRender: number; frames: number[] }> {
  const target = document.getElementById('grid')!;
  const data = blocks(count);
  const draws: number[] = [];
  let drawn!: () => void;
  const first = new Promise<void>((r) => (drawn = r));
  const t0 = performance.now();
  const app = mount(MemoryBlockGrid, {
    target,
    props: { blocks: data, blockSize: 2 ** 27, ondraw: (ms: number) => (draws.push(ms), drawn()) },
  });
  await first;
  const firstRender = performance.now() - t0;
  const canvas = target.querySelector('canvas')!;
  const frames: number[] = [];
  for (let i = 0; i < 60; i++) {
    const before = draws.length;
    const h0 = performance.now();
    // a zoom step (Ctrl+wheel) every third frame, panning (wheel) in between
    const zoom = i % 3 === 0;
    canvas.dispatchEvent(
      new WheelEvent('wheel', {
        deltaY: zoom ? (i % 6 === 0 ? -100 : 100) : 240 * (i % 2 ? 1 : -1) + 120,
        ctrlKey: zoom,
        clientX: 300,
        clientY: 200,
        cancelable: true,
      }),
    );
    flushSync();
    const handled = performance.now() - h0;
    await nextFrame();
    await nextFrame();
    if (draws.length > before) frames.push(handled + draws[draws.length - 1]!);
  }
  await unmount(app);
  return { firstRender, frames };
}

/** Scrolling a 10,000-row tree: per frame, the scroll handling, the DOM update and the layout it forces. */
async function tree(count: number): Promise<number[]> {
  const target = document.getElementById('tree')!;
  const app = mount(ResourceTree, { target, props: { rows: rows(count), explanations: [] } });
  flushSync();
  await nextFrame();
  const scroller = target.querySelector('[role="listbox"]') as HTMLElement;
  const frames: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    scroller.scrollTop += 400;
    scroller.dispatchEvent(new Event('scroll'));
    flushSync();
    void scroller.querySelector('[data-side]')!.getBoundingClientRect().top;
    frames.push(performance.now() - t0);
    await nextFrame();
  }
  const shownOk = scroller.querySelectorAll('[data-side]').length < 200;
  await unmount(app);
  if (!shownOk) throw new Error('the tree rendered more rows than fit: not virtualised');
  return frames;
}

(window as unknown as { bench: unknown }).bench = async () => {
  const g = await grid(131072);
  const t = await tree(10_000);
  return { firstRender: g.firstRender, gridFrame: median(g.frames), gridFrames: g.frames.length, treeFrame: median(t) };
};
