// App-wide state over the contract: profiles, sessions and their timelines.
// Components read it and call its methods; nothing here touches Node.
import type {
  CallName,
  LabApi,
  ModelView,
  Params,
  ProfileEntry,
  Result,
  SessionInfo,
  TimelineEntry,
  WhatIf,
  WhatIfEntry,
} from '../../src-shared/api/contract';
import type { Step } from '../../src-shared/scenario/schema';
import { DEFAULT_KERNEL_RULES, type KernelRules } from '../../src-shared/model/kernel-rules';
import { KernelPresets } from './kernels.svelte';

/** A kernel rule set the what-if can play (src-shared/model/kernel-rules.ts). */
export type Rules = KernelRules;

export class LabState {
  profiles = $state<ProfileEntry[] | null>(null);
  profilesError = $state<string | null>(null);
  sessions = $state<Record<string, SessionInfo>>({});
  timelines = $state<Record<string, TimelineEntry[]>>({});
  current = $state<string | null>(null);
  selectedProfile = $state<string | null>(null);
  /** the timeline entry shown in the compare and memory views (null: the latest) */
  selectedEntry = $state<number | null>(null);
  /** the session's steps replayed under another kernel's rules, when the what-if is on */
  replay = $state<WhatIf | null>(null);
  busy = $state<string | null>(null);
  /** a branch a fork kept, shown read-only in place of the session's timeline */
  branch = $state<{ id: number; from: number; entries: TimelineEntry[] } | null>(null);
  /** how many times a rewind or a fork replaced the current session's timeline */
  resets = $state(0);
  errors = $state<{ id: number; text: string }[]>([]);
  connection = $state<'ok' | 'lost'>('ok');
  /** the kernels the lab builds, and the build under way */
  readonly kernels: KernelPresets;
  private errorId = 0;

  constructor(readonly api: LabApi) {
    this.kernels = new KernelPresets(api);
    api.on('session.state', (s) => {
      this.sessions[s.id] = s;
    });
    api.on('timeline.entry', ({ session, entry }) => {
      const list = (this.timelines[session] ??= []);
      if (!list.some((e) => e.n === entry.n)) list.push(entry);
    });
    // a rewind or a fork: the entries after the one restored are gone, and so is anything shown of them
    api.on('timeline.reset', ({ session, entries }) => {
      this.timelines[session] = entries;
      if (session !== this.current) return;
      this.selectedEntry = null;
      this.replay = null;
      this.branch = null;
      this.resets++;
    });
  }

  get session(): SessionInfo | null {
    return this.current ? (this.sessions[this.current] ?? null) : null;
  }

  get timeline(): TimelineEntry[] {
    return this.current ? (this.timelines[this.current] ?? []) : [];
  }

  get entry(): TimelineEntry | null {
    const t = this.timeline;
    if (!t.length) return null;
    return this.selectedEntry === null
      ? t[t.length - 1]!
      : (t.find((e) => e.n === this.selectedEntry) ?? t[t.length - 1]!);
  }

  /** The what-if's answer for the shown entry (its view absent where those rules could not follow). */
  get whatIf(): { rules: Rules; entry?: WhatIfEntry; view?: ModelView } | null {
    const r = this.replay;
    if (!r) return null;
    const w = r.entries.find((x) => x.n === this.entry?.n);
    return { rules: r.rules, ...(w ? { entry: w } : {}), ...(w?.view ? { view: w.view } : {}) };
  }

  /** The entries where the guest and the model disagree, and in which dimensions. */
  get disagreements(): { n: number; dimensions: string[] }[] {
    return this.timeline.flatMap((e) => {
      const f = e.comparison?.fidelity;
      if (!f || f.matched === f.total) return [];
      const dims = Object.entries(f.byDimension).filter(([, d]) => d.matched !== d.total);
      return [{ n: e.n, dimensions: dims.map(([k]) => k) }];
    });
  }

  report(text: string): void {
    const id = ++this.errorId;
    this.errors.push({ id, text });
    setTimeout(() => this.dismiss(id), 12_000);
  }

  dismiss(id: number): void {
    this.errors = this.errors.filter((e) => e.id !== id);
  }

  /** A call whose failure is shown to the user; returns undefined on failure. */
  async call<C extends CallName>(method: C, params: Params<C>): Promise<Result<C> | undefined> {
    const r = await this.api.call(method, params);
    if (r.ok) return r.value;
    this.report(r.error.message);
    return undefined;
  }

  async loadProfiles(): Promise<void> {
    const r = await this.api.call('profiles.list', {});
    if (r.ok) {
      this.profiles = r.value;
      this.profilesError = null;
      this.selectedProfile ??= r.value.find((p) => p.name === 'nvdimm-1g-labels')?.name ?? r.value[0]?.name ?? null;
    } else this.profilesError = r.error.message;
    const info = await this.api.call('lab.info', {});
    if (info.ok) {
      for (const s of info.value.sessions) this.sessions[s.id] = s;
      await this.reattach(info.value.sessions);
    }
  }

  /**
   * A reloaded page, or a second tab, shows the newest running
   * guest with its timeline (its console replays its history).
   */
  private async reattach(sessions: SessionInfo[]): Promise<void> {
    const live = sessions.filter((s) => s.phase !== 'stopped' && s.phase !== 'crashed').at(-1);
    if (!live || this.current) return;
    this.current = live.id;
    this.selectedProfile = live.profile;
    const t = await this.api.call('session.timeline', { session: live.id });
    if (!t.ok) return;
    // entries that arrived as events while the timeline was on its way are kept
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup used on the next line, never state
    const known = new Map([...(this.timelines[live.id] ?? []), ...t.value].map((e) => [e.n, e]));
    this.timelines[live.id] = [...known.values()].sort((a, b) => a.n - b.n);
  }

  async boot(profile: string): Promise<void> {
    const s = await this.call('vm.boot', { profile });
    if (!s) return;
    this.sessions[s.id] = s;
    this.timelines[s.id] = [];
    this.current = s.id;
    this.selectedEntry = null;
    this.replay = null;
    this.branch = null;
  }

  async stop(): Promise<void> {
    if (!this.current) return;
    await this.call('vm.stop', { session: this.current });
  }

  async snapshot(): Promise<void> {
    if (!this.current) return;
    await this.run('snapshot', () => this.call('session.snapshot', { session: this.current! }));
  }

  async act(step: Step): Promise<TimelineEntry | undefined> {
    if (!this.current) return undefined;
    return this.run('act', () => this.call('session.act', { session: this.current!, step }));
  }

  async setWhatIf(rules: Rules | null): Promise<void> {
    if (!rules || rules === DEFAULT_KERNEL_RULES || !this.current) {
      this.replay = null;
      return;
    }
    const session = this.current;
    const asked = this.timelines[session];
    const replay = await this.call('session.whatIf', { session, rules });
    // a rewind while the replay was on its way made it stale
    if (replay && this.timelines[session] === asked) this.replay = replay;
  }

  /** The guest and the model back to entry `n`; the entries after it are dropped. */
  rewind(n: number): Promise<SessionInfo | undefined> {
    return this.restore('session.rewind', n);
  }

  /** As rewind, but the entries after `n` are kept as a branch to look at. */
  fork(n: number): Promise<SessionInfo | undefined> {
    return this.restore('session.fork', n);
  }

  private async restore(method: 'session.rewind' | 'session.fork', n: number): Promise<SessionInfo | undefined> {
    const session = this.current;
    if (!session) return undefined;
    const s = await this.run(method === 'session.rewind' ? 'rewind' : 'fork', () => this.call(method, { session, n }));
    if (s) this.sessions[s.id] = s;
    return s;
  }

  /** Shows a branch a fork kept (read only); null goes back to the session's timeline. */
  async viewBranch(id: number | null): Promise<void> {
    const session = this.current;
    const b = id === null ? undefined : this.session?.branches?.find((x) => x.id === id);
    if (!session || !b) {
      this.branch = null;
      return;
    }
    const entries = await this.call('session.branch', { session, id: b.id });
    if (entries && session === this.current) this.branch = { id: b.id, from: b.from, entries };
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    this.busy = what;
    try {
      return await fn();
    } finally {
      this.busy = null;
    }
  }
}
