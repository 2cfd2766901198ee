// Scenario files (README "Scenarios"): a profile and a list of steps,
// each a console line run in the guest or a QMP command sent to QEMU.
import { z } from 'zod';
import { parseYamlWith, validateWith, type Validated } from '../validation';

const timeout = z.number().positive().max(3600).optional().describe('seconds before the step fails (default 60)');

export const RunStepSchema = z.strictObject({
  run: z
    .string()
    .min(1)
    .refine((s) => !s.includes('\n'), 'one command line, without newlines'),
  timeout,
});
export const QmpStepSchema = z.strictObject({
  qmp: z.strictObject({
    execute: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a QMP command name such as device_add'),
    arguments: z.record(z.string(), z.unknown()).optional(),
  }),
  timeout,
});
/** A model-only step (device-private memory, add_memory at a range, bad blocks): the real guest cannot do it. */
export const ModelStepSchema = z.strictObject({ model: z.string().min(1), timeout });
export const StepSchema = z.union([RunStepSchema, QmpStepSchema, ModelStepSchema]);

export const ScenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'use lowercase letters, digits and "-"'),
  description: z.string().default(''),
  /** a name in qemu-profiles/, a relative path, or an inline profile mapping */
  profile: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  steps: z.array(StepSchema).default([]),
});

export type Scenario = z.output<typeof ScenarioSchema>;
export type Step = z.output<typeof StepSchema>;

export const validateScenario = (data: unknown): Validated<Scenario> => validateWith(ScenarioSchema, data);
export const parseScenarioYaml = (text: string): Validated<Scenario> => parseYamlWith(ScenarioSchema, text);

export function describeStep(step: Step): string {
  return 'run' in step ? step.run : 'qmp' in step ? `qmp ${JSON.stringify(step.qmp)}` : `model-only: ${step.model}`;
}
