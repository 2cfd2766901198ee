// The zod schemas the MCP tools share: what they take (a profile in any of the forms the lab reads, a step of the
// action vocabulary) and what they give (a session, a timeline entry's comparison). Each tool's own schemas sit
// beside it; the contract's types stay the source these are checked against (summary.ts returns their output).
import { z } from 'zod';
import { KernelRulesSchema, PHASES, SessionIdSchema, SOURCES, type SessionInfo } from '../../src-shared/api/contract';
import { DIMENSIONS } from '../../src-shared/compare';
import { StepSchema } from '../../src-shared/scenario/schema';
import { validateWith } from '../../src-shared/validation';

export { SessionIdSchema };

/** YAML and names are bounded as at the contract: a profile is a page, not a file system. */
const MAX_YAML = 256 * 1024;

/**
 * A profile as the lab reads one anywhere: a name (qemu-profiles/ or the user's own) or a path, YAML text, or the
 * profile itself. Validated by the tool, through the profile's own validation, so errors name the field and the fix.
 */
export const ProfileRefSchema = z.union([
  z
    .string()
    .min(1)
    .max(4096)
    .describe('a profile name from the profiles resource (e.g. dimm-hotplug), or a path to a profile file'),
  z.strictObject({ yaml: z.string().max(MAX_YAML).describe('the profile as YAML text, as in qemu-profiles/') }),
  z
    .record(z.string(), z.unknown())
    .describe('the profile itself as an object (the fields of pmem-lab://schema/profile.json)'),
]);
export type ProfileRef = z.output<typeof ProfileRefSchema>;

/**
 * A step of the action vocabulary: a console line, a QMP command (the memory vocabulary only) or a model-only
 * line. zod says only "Invalid input" for a union none of whose options fit: say which key is wrong and what
 * is allowed, as a scenario file's step is told.
 */
export const StepInputSchema = z.union(StepSchema.options, { error: (issue) => stepMessage(issue.input) });

function stepMessage(input: unknown): string {
  const r = validateWith(StepSchema, input);
  if (r.ok) return 'not a step';
  return r.errors.map((e) => (e.field === '(root)' ? e.message : `${e.field}: ${e.message}`)).join('; ');
}

export const FieldErrorSchema = z.object({
  field: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

const Count = z.object({ matched: z.number().int(), total: z.number().int() });
/** matched/total over every dimension's items, and per dimension (design.md "Fidelity by dimension") */
export const FidelitySchema = Count.extend({ byDimension: z.record(z.enum(DIMENSIONS), Count) });

export const DiffLineSchema = z.object({
  dimension: z.enum(DIMENSIONS),
  side: z.enum(['real', 'model']),
  text: z.string(),
  /** false: shown, outside the metric */
  counted: z.boolean(),
});

export const PhaseSchema = z.enum(PHASES);

export const SessionInfoSchema = z.object({
  id: z.string(),
  profile: z.string(),
  phase: PhaseSchema,
  accel: z.string().optional(),
  accelWhy: z.string().optional(),
  qemu: z.string().optional(),
  kernel: z.string().optional(),
  readyMs: z.number().optional(),
  boot: z.object({ from: z.enum(['checkpoint', 'cold']), why: z.string().optional() }).optional(),
  checkpoints: z.array(z.number().int()).optional(),
  noRewind: z.string().optional(),
  branches: z.array(z.object({ id: z.number().int(), from: z.number().int(), entries: z.number().int() })).optional(),
  phaseMs: z.partialRecord(PhaseSchema, z.number()).optional(),
  argv: z.array(z.string()).optional(),
  reason: z.string().optional(),
  outOfSync: z.string().optional(),
  rules: KernelRulesSchema,
});

/** A session's info as the schema's type: this fails to compile when a field the schema describes changes. */
export const sessionInfoOut = (s: SessionInfo): z.output<typeof SessionInfoSchema> => s;

/** A timeline entry as a tool reports it: what each side answered, and the comparison. */
export const EntrySummarySchema = z.object({
  session: z.string(),
  /** the entry's number in the session's timeline (0: after boot) */
  n: z.number().int(),
  source: z.enum(SOURCES),
  step: StepSchema.nullable(),
  /** the console line or QMP command as sent */
  sent: z.string().optional(),
  real: z
    .object({
      exitCode: z.number().int().optional(),
      output: z.string().optional(),
      error: z.string().optional(),
      overlapped: z.string().optional(),
    })
    .optional(),
  model: z
    .object({
      exitCode: z.number().int().optional(),
      output: z.string().optional(),
      outOfSync: z.string().optional(),
      modelOnly: z.boolean().optional(),
    })
    .optional(),
  /** compared, and the guest and the model agree in every dimension */
  agree: z.boolean(),
  fidelity: FidelitySchema.optional(),
  /** every row where the sides differ, or shown without being counted */
  differences: z.array(DiffLineSchema),
  /** why nothing is compared, when so */
  note: z.string().optional(),
});

export const ExplanationSchema = z.object({ text: z.string(), rule: z.string(), source: z.string() });
export const RuleSchema = z.object({ rule: z.string(), source: z.string() });

/** Which entry of a session: its number, or the newest when left out. */
export const EntryRefShape = {
  session: SessionIdSchema,
  entry: z.number().int().nonnegative().optional().describe("the entry's number in the timeline; default the newest"),
};
