// predict, compare, explain, kernel_log: the model alone (as pmem-lab model runs it, through the ledger with no
// guest beside it), and what a session's timeline entries say: fidelity and differences, the rule behind a line or
// an answer, the kernel's messages on each side.
import { z } from 'zod';
import { KernelRulesSchema, type TimelineEntry } from '../../../src-shared/api/contract';
import { checkUserQmp } from '../../../src-shared/actions/qmp-allow';
import { StepLedger } from '../../../src-shared/ledger';
import type { Profile } from '../../../src-shared/profile/schema';
import { StepSchema, type Step } from '../../../src-shared/scenario/schema';
import {
  EntryRefShape,
  EntrySummarySchema,
  ExplanationSchema,
  ProfileRefSchema,
  RuleSchema,
  SessionIdSchema,
  StepInputSchema,
} from '../schemas';
import { SnapshotSchema, snapshotOut } from '../snapshot-schema';
import { entrySummary, entryText, pickEntry } from '../summary';
import { explainAnswer, explainLine, explainText } from '../explain';
import { resolveProfile } from '../profile-ref';
import { result, ToolError, value } from '../results';
import { READ_ONLY, type ToolContext } from './context';

const StepsSchema = z.array(StepInputSchema).max(1000).optional().describe('steps after boot, in order');

/** The model's answers to a profile and steps, no guest: QMP outside the memory vocabulary refused as on a guest. */
async function predictLedger(
  ref: z.output<typeof ProfileRefSchema>,
  steps: Step[],
  rules?: z.output<typeof KernelRulesSchema>,
): Promise<{ profile: Profile; ledger: StepLedger }> {
  const r = await resolveProfile(ref);
  if (!r.ok) throw ToolError.fields(r.errors);
  for (const [i, step] of steps.entries()) {
    const v = 'qmp' in step ? checkUserQmp(step.qmp, { maxmem: r.profile.memory.maxmem }) : undefined;
    if (v && !v.ok) throw new ToolError(v.reason, `steps[${i}].${v.field}`);
  }
  const ledger = new StepLedger(r.profile, rules);
  ledger.boot();
  for (const step of steps) ledger.step('agent', step);
  return { profile: r.profile, ledger };
}

const timeline = async (ctx: ToolContext, session: string) =>
  value(await ctx.backend.call('session.timeline', { session })) as TimelineEntry[];

const PredictedStep = z.object({
  n: z.number().int(),
  step: StepSchema.nullable(),
  exitCode: z.number().int().optional(),
  output: z.string().optional(),
  outOfSync: z.string().optional(),
  modelOnly: z.boolean().optional(),
  rules: z.array(RuleSchema).describe('the rules that decided the answer'),
  log: z.array(z.string()).optional().describe('the kernel messages its rules print'),
});

function predicted(e: TimelineEntry): z.output<typeof PredictedStep> {
  const m = e.model;
  return {
    n: e.n,
    step: e.step,
    ...(m?.exitCode !== undefined ? { exitCode: m.exitCode } : {}),
    ...(m?.output !== undefined ? { output: m.output } : {}),
    ...(m?.outOfSync ? { outOfSync: m.outOfSync } : {}),
    ...(m?.modelOnly ? { modelOnly: true } : {}),
    rules: m?.explanations ?? [],
    ...(m?.log?.length ? { log: m.log } : {}),
  };
}

export function registerModelTools(ctx: ToolContext): void {
  const { server } = ctx;

  server.registerTool(
    'predict',
    {
      title: 'Predict with the model',
      description:
        "The kernel model alone, from a profile and steps, no guest (as pmem-lab model): each step's predicted " +
        'exit status, output and the rules behind it, and the memory state after the last step it followed ' +
        "(/proc/iomem in the kernel's format). rules replays an older kernel's rules.",
      inputSchema: { profile: ProfileRefSchema, steps: StepsSchema, rules: KernelRulesSchema.optional() },
      outputSchema: {
        profile: z.string(),
        rules: KernelRulesSchema,
        notModelled: z.array(z.string()).optional().describe('kernel arguments of the profile the model ignores'),
        outOfSync: z.string().optional().describe('why the model stopped following, when it did'),
        steps: z.array(PredictedStep),
        iomem: z.string(),
        snapshot: SnapshotSchema,
      },
      annotations: READ_ONLY,
    },
    async ({ profile, steps = [], rules }) => {
      const { profile: p, ledger } = await predictLedger(profile, steps, rules);
      const view = [...ledger.entries].reverse().find((e) => e.view)?.view;
      if (!view) throw new ToolError(`the model cannot build this profile: ${ledger.outOfSync}`, 'profile');
      const out = {
        profile: p.name,
        rules: ledger.rules,
        ...(view.notModelled ? { notModelled: view.notModelled } : {}),
        ...(ledger.outOfSync ? { outOfSync: ledger.outOfSync } : {}),
        steps: ledger.entries.map(predicted),
        iomem: view.snapshot.iomem,
        snapshot: snapshotOut(view.snapshot),
      };
      const lines = out.steps
        .filter((s) => s.step)
        .map((s) => `[${s.n}] exit ${s.exitCode ?? '-'}${s.outOfSync ? ` (out of sync: ${s.outOfSync})` : ''}`);
      return result(out, [...lines, view.snapshot.iomem.trimEnd()].join('\n'));
    },
  );

  server.registerTool(
    'compare',
    {
      title: 'Real vs model',
      description:
        "A session's timeline entry compared: the fidelity by dimension (iomem, blocks, exit, output, buses, " +
        'nodes, log) and every row where the guest and the model differ; why it is not compared when it is not.',
      inputSchema: EntryRefShape,
      outputSchema: EntrySummarySchema.shape,
      annotations: READ_ONLY,
    },
    async ({ session, entry }) => {
      const s = entrySummary(session, pickEntry(await timeline(ctx, session), entry));
      return result(s, entryText(s));
    },
  );

  server.registerTool(
    'explain',
    {
      title: 'Explain a line or an answer',
      description:
        'The rule and kernel source behind a model /proc/iomem line (quote the line, or a resource name), and ' +
        "behind the model's answer to the entry's step (a refusal's reason among them). Of a session's entry, or " +
        "of the model alone given profile and steps (as predict). A line only the guest prints gets the model's " +
        'lines over its range.',
      inputSchema: {
        session: SessionIdSchema.optional(),
        entry: EntryRefShape.entry,
        profile: ProfileRefSchema.optional().describe('instead of a session: the model alone, as predict'),
        steps: StepsSchema,
        rules: KernelRulesSchema.optional(),
        line: z.string().max(4096).optional().describe('a /proc/iomem line as printed, or a resource name'),
      },
      outputSchema: {
        session: z.string().optional(),
        n: z.number().int(),
        step: StepSchema.nullable(),
        line: z
          .object({
            query: z.string(),
            found: z.boolean(),
            explanation: ExplanationSchema.optional(),
            candidates: z.array(ExplanationSchema),
          })
          .optional(),
        answer: z.object({
          realExitCode: z.number().int().optional(),
          modelExitCode: z.number().int().optional(),
          modelOutput: z.string().optional(),
          rules: z.array(RuleSchema),
          outOfSync: z.string().optional(),
        }),
      },
      annotations: READ_ONLY,
    },
    async (args) => {
      if (!args.session === !args.profile)
        throw new ToolError('give session (a guest entry) or profile (the model alone): one of the two', 'session');
      const entries = args.session
        ? await timeline(ctx, args.session)
        : (await predictLedger(args.profile!, args.steps ?? [], args.rules)).ledger.entries;
      const e = pickEntry(entries, args.entry);
      if (args.line !== undefined && !e.view)
        throw new ToolError(`the model is not following at entry ${e.n}: ${e.model?.outOfSync ?? 'no view'}`, 'line');
      const line = args.line !== undefined ? explainLine(e.view!.explanations, args.line) : undefined;
      const answer = explainAnswer(e);
      const out = {
        ...(args.session ? { session: args.session } : {}),
        n: e.n,
        step: e.step,
        answer,
        ...(line ? { line } : {}),
      };
      return result(out, explainText(out));
    },
  );

  server.registerTool(
    'kernel_log',
    {
      title: 'Kernel log of a step',
      description:
        "The kernel's messages during a timeline entry (after boot: the boot log) on the guest and those the " +
        "model's rules print, with the rows that differ (a guest message no modelled rule prints is shown, not " +
        'counted).',
      inputSchema: EntryRefShape,
      outputSchema: {
        session: z.string(),
        n: z.number().int(),
        step: StepSchema.nullable(),
        captured: z.boolean().describe("whether the guest's messages were read for this entry"),
        real: z.array(z.string()),
        model: z.array(z.string()),
        differences: z.array(z.object({ side: z.enum(['real', 'model']), text: z.string(), counted: z.boolean() })),
      },
      annotations: READ_ONLY,
    },
    async ({ session, entry }) => {
      const e = pickEntry(await timeline(ctx, session), entry);
      const rows = e.comparison?.log ?? [];
      const real = e.real?.snapshot?.log;
      const model = e.model?.log ?? rows.filter((r) => r.side !== 'real').map((r) => r.text);
      const differences = rows
        .filter((r) => r.side !== 'both')
        .map((r) => ({ side: r.side as 'real' | 'model', text: r.text, counted: r.counted !== false }));
      const out = { session, n: e.n, step: e.step, captured: real !== undefined, real: real ?? [], model, differences };
      const text =
        `[${e.n}] guest: ${real ? `${real.length} messages` : 'not captured'}, model: ${model.length}` +
        (differences.length
          ? `\n${differences.map((d) => `  ${d.side === 'real' ? '-' : '+'} ${d.text}`).join('\n')}`
          : '');
      return result(out, text);
    },
  );
}
