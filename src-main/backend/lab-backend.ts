// The backend object behind the contract: one per app (Electron) or server
// (browser mode). Every call is checked against the contract's schemas here,
// where input enters, and errors leave as typed values, never as throws.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  calls,
  checkParams,
  isCallName,
  type ApiError,
  type CallName,
  type EventName,
  type Events,
  type LabInfo,
  type ProfileCheck,
  type ProfileEntry,
  type Reply,
  type Result,
  type SessionInfo,
  type TimelineEntry,
} from '../../src-shared/api/contract';
import type { Profile } from '../../src-shared/profile/schema';
import type { Step } from '../../src-shared/scenario/schema';
import { parseProfileYaml } from '../../src-shared/profile/validate';
import { profileNotices } from '../../src-shared/profile/notices';
import { renderReport } from '../../src-shared/report/html';
import { argvPreview } from '../qemu/argv';
import { QemuOptionError } from '../qemu/escape';
import { listProfiles, loadProfile, ProfileError, readProfileText, saveProfile } from '../store/profiles';
import { QmpRefusedError } from '../guest/runner';
import { LabSession, SessionStateError } from './lab-session';
import { NoCheckpointError } from './step-checkpoints';
import { guestCap, type GuestCap } from './guest-cap';
import { checkKernelPaths, kernelRoots } from './kernel-paths';
import { KernelBuildError, KernelBuilds } from './kernel-builds';
import type { Backend, EventListener } from './types';

type Handlers = { [C in CallName]: (p: z.output<(typeof calls)[C]['params']>) => Promise<Result<C>> | Result<C> };

export class NotFoundError extends Error {}
export class GuestCapError extends Error {}

export interface BackendOptions {
  mode: LabInfo['mode'];
  /** running guests at most (default: derived from the host's cores and memory) */
  maxGuests?: number;
  /** folders besides /boot, /lib/modules and the lab's kernels folder that profiles may boot kernels from */
  kernelDirs?: readonly string[];
}

export class LabBackend implements Backend {
  private readonly sessions = new Map<string, LabSession>();
  private readonly listeners = new Set<EventListener>();
  private readonly kernels = new KernelBuilds((e) => this.emit('kernel.build', e));

  private readonly mode: LabInfo['mode'];
  private readonly cap: GuestCap;
  private readonly kernelRoots: string[];

  constructor(
    opts: BackendOptions,
    private readonly version = '0.1.0',
  ) {
    this.mode = opts.mode;
    this.cap = guestCap(opts.maxGuests);
    this.kernelRoots = kernelRoots(opts.kernelDirs);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit<E extends EventName>(name: E, payload: Events[E]): void {
    for (const l of this.listeners) l(name, payload);
  }

  async call(method: string, params: unknown): Promise<Reply<unknown>> {
    if (!isCallName(method))
      return {
        ok: false,
        error: { code: 'invalid', message: `unknown call "${String(method).slice(0, 64)}"`, field: 'method' },
      };
    const checked = checkParams(method, params);
    if (!checked.ok) return checked;
    const handler = this.handlers[method] as (p: unknown) => unknown; // a value or a promise of one
    return this.reply(() => handler(checked.value));
  }

  private async reply<T>(run: () => T | Promise<T>): Promise<Reply<T>> {
    try {
      return { ok: true, value: await run() };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  /**
   * For a door in this process that acts for the user who started it (pmem-lab mcp), as the command line does:
   * a profile it resolved itself (inline, from a path, a scenario's) boots under the same cap and kernel folders
   * as vm.boot. Not on the contract: a page boots shipped or saved profiles by name only.
   */
  bootProfile(name: string, profile: Profile): Promise<Reply<SessionInfo>> {
    return this.reply(() => this.startSession(name, profile));
  }

  /** session.act for such a door, the entry marked as coming from it (a scenario it runs, or the agent). */
  act(session: string, step: Step, source: TimelineEntry['source']): Promise<Reply<TimelineEntry>> {
    return this.reply(() => this.session(session).act(step, source));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...[...this.sessions.values()].map((s) => s.stop()), this.kernels.stop()]);
  }

  private checkCap(): void {
    const running = [...this.sessions.values()].filter((s) => s.live).length;
    if (running >= this.cap.max) {
      throw new GuestCapError(
        `${running} guests are running, the most this lab runs at once (${this.cap.max}: ${this.cap.why}); stop ` +
          `one first, or start the lab with --max-guests N`,
      );
    }
  }

  private async startSession(name: string, profile: Profile): Promise<SessionInfo> {
    this.checkCap();
    await checkKernelPaths(profile, this.kernelRoots);
    const id = randomBytes(4).toString('hex');
    const s = new LabSession(id, name, profile, {
      state: (info) => this.emit('session.state', info),
      console: (data) => this.emit('console.data', { session: id, data }),
      consoleReset: (data) => this.emit('console.reset', { session: id, data }),
      entry: (entry) => this.emit('timeline.entry', { session: id, entry }),
      reset: (entries, console) => this.emit('timeline.reset', { session: id, entries, console }),
      viewers: () => this.listeners.size,
    });
    this.sessions.set(id, s);
    // Boot runs on; progress arrives as session.state events, so the UI can show kit -> qemu -> kernel -> ready.
    void s.boot().catch(() => undefined);
    return s.info();
  }

  private session(id: string): LabSession {
    const s = this.sessions.get(id);
    if (!s) throw new NotFoundError(`no session ${id}; boot one with vm.boot`);
    return s;
  }

  private async profileEntry(name: string): Promise<ProfileEntry> {
    const { text } = await readProfileText(name);
    const r = parseProfileYaml(text);
    return r.ok ? { name, yaml: text, profile: r.value } : { name, yaml: text, errors: r.errors };
  }

  private readonly handlers: Handlers = {
    'lab.info': (): LabInfo => ({
      version: this.version,
      mode: this.mode,
      sessions: [...this.sessions.values()].map((s) => s.info()),
    }),
    'profiles.list': async () => Promise.all((await listProfiles()).map((n) => this.profileEntry(n))),
    'profiles.check': ({ yaml }): ProfileCheck => {
      const r = parseProfileYaml(yaml);
      if (!r.ok) return { ok: false, errors: r.errors };
      try {
        return { ok: true, profile: r.value, errors: [], notices: profileNotices(r.value), argv: argvPreview(r.value) };
      } catch (e) {
        if (e instanceof QemuOptionError)
          return { ok: false, profile: r.value, errors: [{ field: e.field, message: e.message }] };
        throw e;
      }
    },
    'profiles.save': async ({ name, yaml }) => {
      await saveProfile(name, yaml);
      return this.profileEntry(name);
    },
    'kernels.list': () => this.kernels.list(),
    'kernels.build': ({ preset }) => this.kernels.build(preset),
    'vm.boot': async ({ profile: name }) => {
      this.checkCap();
      return this.startSession(name, await loadProfile(name));
    },
    'vm.stop': async ({ session }) => {
      const s = this.session(session);
      await s.stop();
      return s.info();
    },
    'console.input': ({ session, data }) => {
      this.session(session).input(data);
      return {};
    },
    'console.history': ({ session }) => ({ data: this.session(session).consoleHistory() }),
    'console.ack': ({ session, chars }) => {
      this.session(session).ack(chars);
      return {};
    },
    'session.snapshot': ({ session }) => this.session(session).snapshot(),
    'session.act': ({ session, step }) => this.session(session).act(step),
    'session.timeline': ({ session }) => this.session(session).timeline,
    'session.whatIf': ({ session, rules }) => this.session(session).whatIf(rules),
    'session.rewind': ({ session, n }) => this.session(session).rewind(n, false),
    'session.fork': ({ session, n }) => this.session(session).rewind(n, true),
    'session.branch': ({ session, id }) => this.session(session).branch(id),
    'session.report': ({ session }) => {
      const s = this.session(session);
      const info = s.info();
      const html = renderReport({
        title: `PMEM Lab session: ${s.profileName}`,
        profile: s.profileName,
        ...(info.kernel ? { kernel: info.kernel } : {}),
        ...(info.qemu ? { qemu: info.qemu } : {}),
        ...(info.accel ? { accel: info.accel } : {}),
        generatedAt: new Date().toISOString(),
        steps: s.timeline,
      });
      return { html, filename: `pmem-lab-${s.profileName}-${new Date().toISOString().replace(/[:.]/g, '-')}.html` };
    },
  };
}

function toApiError(e: unknown): ApiError {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ProfileError) return { code: 'invalid', message, ...(e.field ? { field: e.field } : {}) };
  if (e instanceof QmpRefusedError) return { code: 'invalid', message: e.message, field: `step.${e.field}` };
  if (e instanceof KernelBuildError) return { code: e.code, message, ...(e.field ? { field: e.field } : {}) };
  if (e instanceof NotFoundError) return { code: 'not-found', message, field: 'session' };
  if (e instanceof NoCheckpointError) return { code: 'invalid', message, field: 'n' };
  if (e instanceof SessionStateError || e instanceof GuestCapError) return { code: 'busy', message };
  return { code: 'failed', message };
}

export function createBackend(opts: BackendOptions): Backend {
  return new LabBackend(opts);
}
