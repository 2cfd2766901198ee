// The one contract between the UI and the backend (docs/architecture.md "UI and
// backend"): every call's params and every event are declared here with a
// schema. It names no transport and no runtime: each transport (src-main's IPC
// and WebSocket adapters) is a generic adapter over it. Params are validated
// where they enter the backend.
import { z } from 'zod';
import { StepSchema, type Step } from '../scenario/schema';
import type { Snapshot } from '../snapshot/types';
import type { Comparison } from '../compare';
import type { Mapping } from '../model/kernel/sparse';
import { KERNEL_RULE_IDS } from '../model/kernel-rules';
import type { Profile } from '../profile/schema';
import type { FieldError } from '../validation';

export const KernelRulesSchema = z.enum(KERNEL_RULE_IDS);
export const SessionIdSchema = z.string().regex(/^[0-9a-f]{8}$/, 'a session id as returned by vm.boot');
const ProfileName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a profile name: lowercase letters, digits and "-"');
/** YAML text is bounded: a profile is a page, not a file system. */
const Yaml = z.string().max(256 * 1024, 'at most 256 KiB of YAML');

/**
 * Boot progress, in order: building the kit, starting QEMU, the firmware, the kernel booting, the kit's init
 * (modules, the agent), the guest shell ready.
 */
export const PHASES = ['kit', 'qemu', 'firmware', 'kernel', 'init', 'ready', 'stopping', 'stopped', 'crashed'] as const;
export type Phase = (typeof PHASES)[number];

export interface SessionInfo {
  id: string;
  profile: string;
  phase: Phase;
  /** kvm or tcg, known once the kit is ready */
  accel?: string;
  /** why the accelerator was chosen (the probe's verdict) */
  accelWhy?: string;
  qemu?: string;
  kernel?: string;
  readyMs?: number;
  /** how the guest came up: restored from its boot checkpoint, or cold (and why not restored) */
  boot?: { from: 'checkpoint' | 'cold'; why?: string };
  /** the timeline entries the session can rewind to or fork from (each has a checkpoint of the guest) */
  checkpoints?: number[];
  /** why the session keeps no checkpoints (so it cannot rewind), when it keeps none */
  noRewind?: string;
  /** earlier branches of the timeline, kept by a fork: each left the current one after entry `from` */
  branches?: { id: number; from: number; entries: number }[];
  /** when each boot phase began, in ms from the boot's start (the phases a boot reached) */
  phaseMs?: Partial<Record<Phase, number>>;
  /** QEMU's argv, once started */
  argv?: string[];
  /** the crash or failure explanation */
  reason?: string;
  /** the model could not follow a console line: which one and why */
  outOfSync?: string;
  rules: z.output<typeof KernelRulesSchema>;
}

export interface Explanation {
  /** the model's /proc/iomem line as printed */
  text: string;
  rule: string;
  source: string;
}

/** The model's side of a step: its snapshot, the rule behind each line and the memory map data. */
export interface ModelView {
  rules: z.output<typeof KernelRulesSchema>;
  snapshot: Snapshot;
  explanations: Explanation[];
  sections: { sectionCount: number; subsectionCount: number; mappings: Mapping[] };
  /** the profile's kernel arguments the model does not carry out; absent when it carries out all */
  notModelled?: string[];
}

/** Where an entry came from: the boot, the action panel, the console, a snapshot, a scenario, or an MCP client. */
export const SOURCES = ['boot', 'panel', 'console', 'snapshot', 'scenario', 'agent'] as const;

export interface TimelineEntry {
  /** 0 = the state after boot */
  n: number;
  at: number;
  source: (typeof SOURCES)[number];
  step: Step | null;
  /** what was sent: the console line, or the QMP command as JSON */
  sent?: string;
  real?: {
    output?: string;
    exitCode?: number;
    snapshot?: Snapshot;
    error?: string;
    /** the next line was typed before this one finished: no snapshot belongs to this step alone */
    overlapped?: string;
  };
  /** the model's answer: what its tools printed and returned, and the rules that decided the step */
  model?: {
    output?: string;
    exitCode?: number;
    explanations?: { rule: string; source: string }[];
    /** the kernel messages the model's rules printed during the step */
    log?: string[];
    outOfSync?: string;
    modelOnly?: boolean;
  };
  view?: ModelView;
  /** real vs model on every dimension (design.md "Fidelity by dimension"): the fidelity and each dimension's rows */
  comparison?: Comparison;
}

/** One timeline entry replayed under another kernel's rules: what that kernel's model answered, and its view. */
export interface WhatIfEntry {
  n: number;
  model: { output?: string; exitCode?: number; explanations?: { rule: string; source: string }[]; outOfSync?: string };
  view?: ModelView;
}

/** A session's steps replayed under another kernel's rules (design.md "What-if"). */
export interface WhatIf {
  rules: z.output<typeof KernelRulesSchema>;
  entries: WhatIfEntry[];
  /** the first entry where these rules answer differently from the ones the model followed */
  firstDifference?: number;
}

export interface ProfileEntry {
  name: string;
  yaml: string;
  profile?: Profile;
  errors?: FieldError[];
}

export interface ProfileCheck {
  ok: boolean;
  profile?: Profile;
  errors: FieldError[];
  /** what QEMU and the guest will make of a valid profile (src-shared/profile/notices.ts): told, not refused */
  notices?: FieldError[];
  /** the QEMU command line this profile boots with (kit paths shown as placeholders until the kit is built) */
  argv?: string[];
}

/** A kernel the lab builds (kernel-presets/*.config, `pmem-lab kernel build`): a profile names it as kernel.preset. */
export interface KernelPreset {
  name: string;
  description: string;
  /** the build matching the current fragments, when there is one */
  built?: { release: string; builtAt: string; seconds: number };
  /** a build under way from this lab */
  building?: KernelBuildProgress;
}

export interface KernelBuildProgress {
  stage: 'source' | 'config' | 'compile' | 'install' | 'done' | 'cached';
  detail: string;
  percent?: number;
  etaSeconds?: number;
}

export interface LabInfo {
  version: string;
  mode: 'electron' | 'browser' | 'mcp';
  qemu?: string;
  hostKernel?: string;
  sessions: SessionInfo[];
}

const none = z.strictObject({});
const KernelPresetName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a preset name such as hmm');
const session = z.strictObject({ session: SessionIdSchema });

/** Every call: name -> params schema and result type. */
export const calls = {
  'lab.info': { params: none, result: {} as LabInfo },
  'profiles.list': { params: none, result: {} as ProfileEntry[] },
  'profiles.check': { params: z.strictObject({ yaml: Yaml }), result: {} as ProfileCheck },
  'profiles.save': { params: z.strictObject({ name: ProfileName, yaml: Yaml }), result: {} as ProfileEntry },
  'kernels.list': { params: none, result: {} as KernelPreset[] },
  /** starts a build and answers at once; `kernel.build` events follow until it ends */
  'kernels.build': { params: z.strictObject({ preset: KernelPresetName }), result: {} as KernelPreset },
  'vm.boot': { params: z.strictObject({ profile: ProfileName }), result: {} as SessionInfo },
  'vm.stop': { params: session, result: {} as SessionInfo },
  'console.input': {
    params: z.strictObject({ session: SessionIdSchema, data: z.string().max(64 * 1024) }),
    result: {} as Record<string, never>,
  },
  'console.history': { params: session, result: {} as { data: string } },
  /** the renderer has written this many console characters: flow control for the serial stream */
  'console.ack': {
    params: z.strictObject({ session: SessionIdSchema, chars: z.number().int().nonnegative() }),
    result: {} as Record<string, never>,
  },
  'session.snapshot': { params: session, result: {} as TimelineEntry },
  'session.act': {
    params: z.strictObject({ session: SessionIdSchema, step: StepSchema }),
    result: {} as TimelineEntry,
  },
  'session.timeline': { params: session, result: {} as TimelineEntry[] },
  /** replay the session's steps under another kernel's rules (model only) */
  'session.whatIf': {
    params: z.strictObject({ session: SessionIdSchema, rules: KernelRulesSchema }),
    result: {} as WhatIf,
  },
  'session.report': { params: session, result: {} as { html: string; filename: string } },
  /** the guest and the model back to entry `n` (its checkpoint restored); the entries after it are dropped */
  'session.rewind': {
    params: z.strictObject({ session: SessionIdSchema, n: z.number().int().nonnegative() }),
    result: {} as SessionInfo,
  },
  /** as rewind, but the entries after `n` are kept as a branch the timeline can show */
  'session.fork': {
    params: z.strictObject({ session: SessionIdSchema, n: z.number().int().nonnegative() }),
    result: {} as SessionInfo,
  },
  /** a branch a fork kept: its entries (read only) */
  'session.branch': {
    params: z.strictObject({ session: SessionIdSchema, id: z.number().int().positive() }),
    result: {} as TimelineEntry[],
  },
} as const;

export type CallName = keyof typeof calls;
export type Params<C extends CallName> = z.input<(typeof calls)[C]['params']>;
export type Result<C extends CallName> = (typeof calls)[C]['result'];

export interface Events {
  'session.state': SessionInfo;
  'console.data': { session: string; data: string };
  /** the console starts over from this screen: a guest restored from its checkpoint shows the one it was saved with */
  'console.reset': { session: string; data: string };
  'timeline.entry': { session: string; entry: TimelineEntry };
  /**
   * after a rewind or a fork: the whole timeline as it now stands, and the console as the restored guest shows
   * it (the renderer redraws both)
   */
  'timeline.reset': { session: string; entries: TimelineEntry[]; console: string };
  /** a build's progress, then its end: done (built set) or failed (error set) */
  'kernel.build': { preset: string; progress?: KernelBuildProgress; built?: KernelPreset['built']; error?: string };
}
export type EventName = keyof Events;

export type ErrorCode = 'invalid' | 'not-found' | 'busy' | 'failed' | 'internal';
export interface ApiError {
  code: ErrorCode;
  message: string;
  field?: string;
}
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** What crosses a transport: a call with an id, its reply, or an event. */
export const WireCallSchema = z.strictObject({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  params: z.unknown(),
});
export type WireCall = z.output<typeof WireCallSchema>;
export type WireMessage =
  | WireCall
  | { type: 'reply'; id: number; reply: Reply<unknown> }
  | { type: 'event'; name: EventName; payload: Events[EventName] };

export const isCallName = (m: string): m is CallName => Object.prototype.hasOwnProperty.call(calls, m);

/** Validates a call's params at the boundary: the parsed params, or an error naming the field. */
export function checkParams<C extends CallName>(
  method: C,
  params: unknown,
): { ok: true; value: z.output<(typeof calls)[C]['params']> } | { ok: false; error: ApiError } {
  const r = calls[method].params.safeParse(params ?? {});
  if (r.success) return { ok: true, value: r.data as z.output<(typeof calls)[C]['params']> };
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  return {
    ok: false,
    error: {
      code: 'invalid',
      message: `${method}: ${field ? `${field}: ` : ''}${issue.message}`,
      ...(field ? { field } : {}),
    },
  };
}

/** The surface every transport exposes to the renderer (src-renderer/lib/lab-client.ts picks one). */
export interface LabApi {
  call<C extends CallName>(method: C, params: Params<C>): Promise<Reply<Result<C>>>;
  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void;
}
