// The lab's kernel presets as the page sees them (kernels.list), and the one
// build a lab runs at a time (kernels.build): started in the background, its
// progress sent as kernel.build events (at most one every THROTTLE_MS), then
// its end. The page is untrusted: it names a preset, which must be one of
// kernel-presets/*.config; nothing else of the host is reachable from here.
import type { Events, KernelBuildProgress, KernelPreset } from '../../src-shared/api/contract';
import { buildPresetKernel, listPresets, type BuiltKernel, type PresetInfo } from '../kernel-build';

/** The kernel-build library's functions this module uses (a test passes its own). */
export interface KernelLibrary {
  listPresets: () => Promise<PresetInfo[]>;
  buildPresetKernel: typeof buildPresetKernel;
}

/** A refusal with the contract's error code and the field it is about. */
export class KernelBuildError extends Error {
  constructor(
    readonly code: 'busy' | 'not-found',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Four progress events a second at most: enough for a percent and an ETA, few for a slow page. */
export const THROTTLE_MS = 250;

interface Job {
  preset: string;
  progress: KernelBuildProgress;
  abort: AbortController;
  /** settles once the end has been sent */
  ended: Promise<void>;
}

const builtOf = (k: BuiltKernel): KernelPreset['built'] => ({
  release: k.release,
  builtAt: k.builtAt,
  seconds: k.seconds,
});

export class KernelBuilds {
  private job: Job | undefined;
  private lastSent = -Infinity;
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly emit: (e: Events['kernel.build']) => void,
    private readonly lib: KernelLibrary = { listPresets, buildPresetKernel },
  ) {}

  async list(): Promise<KernelPreset[]> {
    return (await this.lib.listPresets()).map((p) => this.entry(p));
  }

  /**
   * Starts the preset's build and answers at once with its state. The same preset again answers with the build under
   * way; another one while a build runs is refused (busy), as is a name kernel-presets/ does not have (not-found).
   */
  async build(preset: string): Promise<KernelPreset> {
    this.refuseOther(preset);
    const presets = await this.lib.listPresets();
    const info = presets.find((p) => p.name === preset);
    if (!info)
      throw new KernelBuildError(
        'not-found',
        `preset: no kernel preset "${preset}"; the lab has ${presets.map((p) => p.name).join(', ')} ` +
          `(kernel-presets/*.config)`,
        'preset',
      );
    this.refuseOther(preset); // another call may have started one while the presets were read
    if (!this.job) this.start(preset);
    return this.entry(info);
  }

  /** Aborts the build under way (the backend is stopping) and waits until its end has been sent. */
  async stop(): Promise<void> {
    const job = this.job;
    if (!job) return;
    job.abort.abort(new Error('the lab stopped'));
    await job.ended;
  }

  private refuseOther(preset: string): void {
    const job = this.job;
    if (job && job.preset !== preset)
      throw new KernelBuildError(
        'busy',
        `the ${job.preset} kernel is being built (${job.progress.stage}${
          job.progress.percent === undefined ? '' : ` ${job.progress.percent}%`
        }); a lab builds one kernel at a time: build ${preset} when it is done`,
      );
  }

  private entry(p: PresetInfo): KernelPreset {
    const building = this.job?.preset === p.name ? this.job.progress : undefined;
    return {
      name: p.name,
      description: p.description,
      ...(p.built ? { built: builtOf(p.built) } : {}),
      ...(building ? { building } : {}),
    };
  }

  private start(preset: string): void {
    const abort = new AbortController();
    const job: Job = { preset, progress: { stage: 'source', detail: 'starting' }, abort, ended: Promise.resolve() };
    this.job = job;
    // a throw before the library's first await becomes the build's failure, as a rejection would
    const run = Promise.resolve().then(() =>
      this.lib.buildPresetKernel({ preset, signal: abort.signal, onProgress: (p) => this.progress(job, p) }),
    );
    job.ended = run.then(
      (k) => this.end(job, { built: builtOf(k) }),
      (e: unknown) => this.end(job, { error: abort.signal.aborted ? 'the lab stopped during the build' : message(e) }),
    );
  }

  /** Sends at once when the last event is THROTTLE_MS old, else once that much time has passed (the newest then). */
  private progress(job: Job, p: KernelBuildProgress): void {
    if (this.job !== job) return;
    job.progress = p;
    if (this.pending) return;
    const wait = this.lastSent + THROTTLE_MS - Date.now();
    if (wait <= 0) this.send(job);
    else this.pending = setTimeout(() => this.send(job), wait);
  }

  private send(job: Job): void {
    this.pending = undefined;
    this.lastSent = Date.now();
    this.emit({ preset: job.preset, progress: job.progress });
  }

  private end(job: Job, outcome: Pick<Events['kernel.build'], 'built' | 'error'>): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    this.job = undefined;
    this.lastSent = -Infinity;
    // the last progress says how it ended: compiled (done), found built (cached), or the stage it failed in
    this.emit({ preset: job.preset, progress: job.progress, ...outcome });
  }
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
