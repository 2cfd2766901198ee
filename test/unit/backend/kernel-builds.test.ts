// The backend's kernel builds as a state machine, with the kernel-build
// library's two functions passed in: one build at a time, a busy refusal for
// another preset, an unknown preset named with the ones there are, progress
// events four a second at most, the end, and an abort when the lab stops.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Events } from '../../../src-shared/api/contract';
import { KernelBuilds, THROTTLE_MS, type KernelLibrary } from '../../../src-main/backend/kernel-builds';
import type { BuildProgress, BuiltKernel, PresetInfo } from '../../../src-main/kernel-build';

const built = (preset: string): BuiltKernel => ({
  preset,
  hash: 'ab'.repeat(32),
  dir: `/home/u/.local/share/pmem-lab/kernels/${preset}-abababababab`,
  image: `/home/u/.local/share/pmem-lab/kernels/${preset}-abababababab/vmlinux`,
  modulesDir: `/home/u/.local/share/pmem-lab/kernels/${preset}-abababababab/lib/modules/6.1.0-lab`,
  release: '6.1.0-lab',
  seconds: 581,
  builtAt: '2026-11-27T10:00:00.000Z',
});

const PRESETS: PresetInfo[] = [
  { name: 'base', description: 'the trimmed lab base' },
  { name: 'debug', description: 'dynamic debug' },
  { name: 'hmm', description: 'device-private memory', built: built('hmm') },
];

/** A build that runs until the test ends it, reporting what the test tells it to. */
interface FakeBuild {
  preset: string;
  signal: AbortSignal;
  report: (p: BuildProgress) => void;
  finish: (k: BuiltKernel) => void;
  fail: (e: Error) => void;
}

function lab() {
  const events: Events['kernel.build'][] = [];
  const builds: FakeBuild[] = [];
  const lib: KernelLibrary = {
    listPresets: () => Promise.resolve(PRESETS),
    buildPresetKernel: (o) =>
      new Promise<BuiltKernel>((finish, fail) => {
        const signal = o.signal!;
        signal.addEventListener('abort', () => fail(new Error('aborted')));
        builds.push({ preset: o.preset, signal, report: (p) => o.onProgress?.(p), finish, fail });
      }),
  };
  return { events, builds, kernels: new KernelBuilds((e) => events.push(e), lib) };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('KernelBuilds', () => {
  it('lists the presets with what the page may see of a build: its release, date and time, no host paths', async () => {
    const { kernels } = lab();
    const list = await kernels.list();
    expect(list.map((p) => p.name)).toEqual(['base', 'debug', 'hmm']);
    expect(list[2]).toEqual({
      name: 'hmm',
      description: 'device-private memory',
      built: { release: '6.1.0-lab', builtAt: '2026-11-27T10:00:00.000Z', seconds: 581 },
    });
    expect(JSON.stringify(list)).not.toContain('/home/u');
  });

  it('refuses an unknown preset naming the field and the presets there are, and builds nothing', async () => {
    const { kernels, builds } = lab();
    const refused = kernels.build('nope');
    await expect(refused).rejects.toMatchObject({
      code: 'not-found',
      field: 'preset',
      message: 'preset: no kernel preset "nope"; the lab has base, debug, hmm (kernel-presets/*.config)',
    });
    await settle();
    expect(builds).toEqual([]);
  });

  it('runs one build at a time: the same preset again answers with its state, another is refused as busy', async () => {
    const { kernels, builds, events } = lab();
    const first = await kernels.build('base');
    expect(first).toMatchObject({ name: 'base', building: { stage: 'source' } });
    await settle();
    expect(builds.map((b) => b.preset)).toEqual(['base']);

    builds[0]!.report({ stage: 'compile', detail: '100/~1900 objects', percent: 5, etaSeconds: 540 });
    expect(await kernels.build('base')).toMatchObject({ name: 'base', building: { stage: 'compile', percent: 5 } });
    expect((await kernels.list()).find((p) => p.name === 'base')?.building).toMatchObject({ percent: 5 });
    await expect(kernels.build('hmm')).rejects.toMatchObject({
      code: 'busy',
      message: expect.stringContaining('the base kernel is being built (compile 5%)'),
    });
    await settle();
    expect(builds).toHaveLength(1);

    builds[0]!.finish(built('base'));
    await settle();
    expect(events.at(-1)).toEqual({
      preset: 'base',
      progress: { stage: 'compile', detail: '100/~1900 objects', percent: 5, etaSeconds: 540 },
      built: { release: '6.1.0-lab', builtAt: '2026-11-27T10:00:00.000Z', seconds: 581 },
    });
    expect((await kernels.list()).find((p) => p.name === 'base')?.building).toBeUndefined();
    // the lab is free again
    expect(await kernels.build('hmm')).toMatchObject({ name: 'hmm', building: { stage: 'source' } });
  });

  it('sends progress four times a second at most, the newest report each time', async () => {
    const { kernels, builds, events } = lab();
    await kernels.build('debug');
    await settle();
    const b = builds[0]!;
    for (let i = 1; i <= 10; i++) {
      b.report({ stage: 'compile', detail: `${i}`, percent: i });
      await vi.advanceTimersByTimeAsync(20);
    }
    // at once for the first, then the newest when THROTTLE_MS had passed: 20 ms steps, 200 ms in all
    expect(events.map((e) => e.progress?.percent)).toEqual([1]);
    await vi.advanceTimersByTimeAsync(THROTTLE_MS);
    expect(events.map((e) => e.progress?.percent)).toEqual([1, 10]);
    await vi.advanceTimersByTimeAsync(THROTTLE_MS * 4);
    expect(events).toHaveLength(2);
    b.report({ stage: 'install', detail: 'make modules_install' });
    expect(events.at(-1)?.progress?.stage).toBe('install');

    // a progress report still waiting is dropped at the end: the end event carries the newest
    b.report({ stage: 'install', detail: 'depmod' });
    b.finish(built('debug'));
    await settle();
    await vi.advanceTimersByTimeAsync(THROTTLE_MS * 2);
    expect(events.slice(2).map((e) => [e.progress?.detail, !!e.built])).toEqual([
      ['make modules_install', false],
      ['depmod', true],
    ]);
  });

  it("sends a failed build's error text, and frees the lab", async () => {
    const { kernels, builds, events } = lab();
    await kernels.build('hmm');
    await settle();
    builds[0]!.fail(new Error('make exited with 2\n  fix: see build.log'));
    await settle();
    expect(events.at(-1)).toMatchObject({ preset: 'hmm', error: 'make exited with 2\n  fix: see build.log' });
    expect(events.at(-1)?.built).toBeUndefined();
    await kernels.build('base');
    await settle();
    expect(builds.map((b) => b.preset)).toEqual(['hmm', 'base']);
  });

  it('aborts the build under way when the lab stops, and has sent its end when stop returns', async () => {
    const { kernels, builds, events } = lab();
    await kernels.stop(); // nothing to stop
    await kernels.build('hmm');
    await settle();
    expect(builds[0]!.signal.aborted).toBe(false);
    await kernels.stop();
    expect(builds[0]!.signal.aborted).toBe(true);
    expect(events.at(-1)).toMatchObject({ preset: 'hmm', error: 'the lab stopped during the build' });
    expect((await kernels.list()).every((p) => !p.building)).toBe(true);
  });
});
